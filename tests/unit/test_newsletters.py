"""Newsletters (services/newsletters): a contact's own choices, the signed landing link (works
without signing in, cannot be forged, works with the module off), and staff's list types."""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import select

from portal_app.models import MailingList, MailingOptOut, ModuleAccess
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.services.newsletters import lists, tokens
from portal_app.services.portal.modules import MODULE_KEYS

from demo_people import ADMIN, PARTNER, STAFF, USER
from migrations import run_alembic

LIISA = "liisa.makinen@acme.example.com"


def list_id(demo, name: str) -> int:
    return demo.session.exec(select(MailingList.id).where(MailingList.name == name)).one()


def token_for(demo, list_id: int, email: str) -> str:
    """The landing link's token of a list for an address, as the list's mails carry it."""
    return tokens.make_token(list_id, demo.session.get(MailingList, list_id).link_key, email)


def receiving(demo, who: str) -> dict[str, bool]:
    return {c.name: c.receiving for c in lists.my_lists(session=demo.session, actor=demo.actor(who))}


def test_a_contact_stops_and_restarts_a_list_for_its_own_address(demo):
    assert receiving(demo, USER) == {"Critical notices": True, "Marketing and offers": True}
    assert receiving(demo, LIISA) == {"Critical notices": True, "Marketing and offers": False}  # the demo's
    marketing = list_id(demo, "Marketing and offers")
    done = lists.set_my_list(session=demo.session, actor=demo.actor(USER), list_id=marketing, receiving=False)
    assert done.receiving is False and receiving(demo, USER)["Marketing and offers"] is False
    again = lists.set_my_list(session=demo.session, actor=demo.actor(USER), list_id=marketing, receiving=False)
    assert again.receiving is False  # a second stop changes nothing
    rows = demo.session.exec(select(MailingOptOut).where(MailingOptOut.email == USER)).all()
    assert [(r.mailing_list_id, r.source) for r in rows] == [(marketing, "portal")]
    lists.set_my_list(session=demo.session, actor=demo.actor(USER), list_id=marketing, receiving=True)
    assert receiving(demo, USER)["Marketing and offers"] is True
    assert receiving(demo, LIISA)["Marketing and offers"] is False  # another's choice is untouched


def test_list_types_read_in_the_readers_language_where_staff_wrote_them(demo):
    def names(lang: str) -> list[tuple[str, str]]:
        return [(c.name, c.description) for c in lists.my_lists(session=demo.session, actor=demo.actor(USER), lang=lang)]

    assert [n for n, _ in names("fi")] == ["Markkinointi ja tarjoukset", "Tärkeät tiedotteet"]  # the demo's, by name
    assert dict(names("de"))["Wichtige Mitteilungen"].startswith("Serviceunterbrechungen")
    staff = demo.actor(STAFF)
    marketing = list_id(demo, "Marketing and offers")
    saved = lists.save_list(session=demo.session, actor=staff, list_id=marketing, data={
        "name": "Marketing and offers", "description": "Offers.", "name_fi": "Tarjoukset", "description_fi": "",
        "name_de": "", "description_de": "", "name_it": "Offerte", "description_it": "Le offerte."})
    assert saved.translations == {"fi": {"name": "Tarjoukset"}, "it": {"name": "Offerte", "description": "Le offerte."}}
    assert ("Tarjoukset", "Offers.") in names("fi") and ("Marketing and offers", "Offers.") in names("de")
    token = token_for(demo, marketing, USER)
    assert lists.landing(session=demo.session, token=token, lang="it").name == "Offerte"
    assert lists.landing_set(session=demo.session, token=token, receiving=False, lang="fi").name == "Tarjoukset"
    assert lists.set_my_list(session=demo.session, actor=demo.actor(USER), list_id=marketing, receiving=True,
                             lang="it").description == "Le offerte."
    with pytest.raises(ValidationFailed) as refused:  # a translation's problem at its own field; nothing written
        lists.save_list(session=demo.session, actor=staff, list_id=marketing,
                        data={"name": "Marketing and offers", "name_fi": "x" * 101})
    assert set(refused.value.fields) == {"name_fi"}
    demo.session.rollback()
    assert ("Tarjoukset", "Offers.") in names("fi")


def test_who_may_choose_and_what_is_refused(demo):
    marketing = list_id(demo, "Marketing and offers")
    for who in (STAFF, PARTNER):
        with pytest.raises(PermissionDenied):
            lists.my_lists(session=demo.session, actor=demo.actor(who))
    no_module = demo.make_profile("No newsletters", modules={m: ModuleAccess.EDIT for m in MODULE_KEYS}
                                  | {"newsletters": ModuleAccess.NONE})
    demo.use_profile(ADMIN, no_module)
    with pytest.raises(PermissionDenied):
        lists.set_my_list(session=demo.session, actor=demo.actor(ADMIN), list_id=marketing, receiving=False)
    for bad in ("x", None, 1, "true"):
        with pytest.raises(ValidationFailed):
            lists.set_my_list(session=demo.session, actor=demo.actor(USER), list_id=marketing, receiving=bad)
    with pytest.raises(NotFound):
        lists.set_my_list(session=demo.session, actor=demo.actor(USER), list_id=999999, receiving=False)
    with pytest.raises(ValidationFailed):
        lists.set_my_list(session=demo.session, actor=demo.actor(USER), list_id="1 OR 1=1", receiving=False)
    assert demo.session.exec(select(MailingOptOut).where(MailingOptOut.email != LIISA)).all() == []


def test_the_landing_link_stops_and_restarts_one_list_for_one_address(demo):
    marketing, critical = list_id(demo, "Marketing and offers"), list_id(demo, "Critical notices")
    token = token_for(demo, marketing, "someone@example.org")  # no portal account needed
    page = lists.landing(session=demo.session, token=token)
    assert (page.name, page.address, page.receiving) == ("Marketing and offers", "s***@example.org", True)
    assert lists.landing_set(session=demo.session, token=token, receiving=False).receiving is False
    assert lists.landing(session=demo.session, token=token).receiving is False
    assert lists.landing(session=demo.session, token=token_for(demo, critical, "someone@example.org")).receiving
    row = demo.session.exec(select(MailingOptOut).where(MailingOptOut.email == "someone@example.org")).one()
    assert (row.mailing_list_id, row.source) == (marketing, "landing")
    # the module switched off: stopping mail still works
    settings_row = demo.settings()
    settings_row.enabled_modules = [m for m in MODULE_KEYS if m != "newsletters"]
    demo.session.add(settings_row)
    demo.session.commit()
    assert lists.landing_set(session=demo.session, token=token, receiving=True).receiving is True
    key = demo.session.get(MailingList, marketing).link_key
    assert tokens.landing_link(marketing, key, "a@b.example").endswith(
        "/newsletters/" + token_for(demo, marketing, "a@b.example"))


def test_a_forged_or_broken_link_is_refused(demo):
    marketing = list_id(demo, "Marketing and offers")
    token = token_for(demo, marketing, "someone@example.org")
    list_part, address, signature = token.split(".")
    other_address = token_for(demo, marketing, "victim@example.org").split(".")[1]
    forged = [f"{list_part}.{other_address}.{signature}",  # another address under this signature
              f"{list_id(demo, 'Critical notices')}.{address}.{signature}",  # another list
              token[:-1] + ("A" if token[-1] != "A" else "B"), "", "abc", None, 5, token + ".x", "1.@@@@." + "a" * 43]
    for bad in forged:
        with pytest.raises(ValidationFailed):
            lists.landing(session=demo.session, token=bad)
        with pytest.raises(ValidationFailed):
            lists.landing_set(session=demo.session, token=bad, receiving=False)
    assert demo.session.exec(select(MailingOptOut).where(MailingOptOut.email != LIISA)).all() == []
    lists.delete_list(session=demo.session, actor=demo.actor(STAFF), list_id=marketing)
    with pytest.raises(NotFound):  # a genuine link to a list since deleted
        lists.landing(session=demo.session, token=token)


def test_a_deleted_lists_links_do_not_pass_to_a_new_list_with_its_id(demo):
    staff = demo.actor(STAFF)
    last = lists.save_list(session=demo.session, actor=staff, data={"name": "Webinars"})
    token = token_for(demo, last.id, "someone@example.org")
    assert lists.landing(session=demo.session, token=token).name == "Webinars"
    lists.delete_list(session=demo.session, actor=staff, list_id=last.id)
    successor = lists.save_list(session=demo.session, actor=staff, data={"name": "Events"})
    assert successor.id == last.id  # SQLite gives the highest id again
    for call in (lambda: lists.landing(session=demo.session, token=token),
                 lambda: lists.landing_set(session=demo.session, token=token, receiving=False)):
        with pytest.raises(ValidationFailed):
            call()
    assert demo.session.exec(select(MailingOptOut).where(MailingOptOut.mailing_list_id == successor.id)).all() == []


def test_a_list_made_before_link_keys_keeps_its_mailed_links(demo):
    old = MailingList(name="Old list", link_key="")  # as migration 0032 leaves the lists it finds: no key
    demo.session.add(old)
    demo.session.commit()
    mailed = tokens.make_token(old.id, "", "someone@example.org")
    assert lists.landing_set(session=demo.session, token=mailed, receiving=False).name == "Old list"
    link = lists.staff_landing_link(session=demo.session, actor=demo.actor(STAFF), list_id=old.id,
                                    email="someone@example.org")
    assert link.endswith("/" + mailed)


def test_staff_keeps_the_list_types(demo):
    staff = demo.actor(STAFF)
    assert [(r.name, r.stopped) for r in lists.staff_lists(session=demo.session, actor=staff)] == [
        ("Critical notices", 0), ("Marketing and offers", 1)]
    made = lists.save_list(session=demo.session, actor=staff, data={"name": " Product news ", "description": "Monthly"})
    assert (made.name, made.description, made.stopped) == ("Product news", "Monthly", 0)
    with pytest.raises(ValidationFailed) as taken:
        lists.save_list(session=demo.session, actor=staff, data={"name": "product NEWS"})
    assert taken.value.fields == {"name": ("error.list_name_taken", {})}
    renamed = lists.save_list(session=demo.session, actor=staff, list_id=made.id, data={"name": "Product News"})
    assert renamed.name == "Product News"  # its own name, in another case, is no clash
    with pytest.raises(ValidationFailed) as refused:
        lists.save_list(session=demo.session, actor=staff, data={"name": "", "description": "x" * 501})
    assert refused.value.fields == {"name": ("error.required", {}), "description": ("error.too_long", {"max": 500})}
    marketing = list_id(demo, "Marketing and offers")
    assert [(a.email, a.source) for a in lists.stopped_addresses(session=demo.session, actor=staff,
                                                                 list_id=marketing)] == [(LIISA, "portal")]
    link = lists.staff_landing_link(session=demo.session, actor=staff, list_id=marketing, email=" Vera@Example.ORG ")
    assert lists.landing(session=demo.session, token=link.rsplit("/", 1)[1]).address == "v***@example.org"
    with pytest.raises(ValidationFailed):
        lists.staff_landing_link(session=demo.session, actor=staff, list_id=marketing, email="not an address")
    lists.delete_list(session=demo.session, actor=staff, list_id=marketing)
    assert demo.session.exec(select(MailingOptOut)).all() == []  # its stopped addresses go with it
    for who in (USER, ADMIN, PARTNER):
        actor = demo.actor(who)
        for call in (lambda: lists.staff_lists(session=demo.session, actor=actor),
                     lambda: lists.save_list(session=demo.session, actor=actor, data={"name": "Hacked"}),
                     lambda: lists.delete_list(session=demo.session, actor=actor, list_id=made.id),
                     lambda: lists.stopped_addresses(session=demo.session, actor=actor, list_id=made.id),
                     lambda: lists.staff_landing_link(session=demo.session, actor=actor, list_id=made.id,
                                                      email="a@example.org")):
            with pytest.raises(PermissionDenied):
                call()


def test_the_migration_makes_the_tables_and_takes_them_away(tmp_path):
    run_alembic(tmp_path, "upgrade", "head")
    db = tmp_path / "portal.db"
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO mailinglist (name, created_at) VALUES ('News', '2026-12-05 07:00:00')")
        conn.execute("INSERT INTO mailingoptout (mailing_list_id, email, created_at) VALUES (1, 'a@b.fi', '2026-12-05')")
        with pytest.raises(sqlite3.IntegrityError):  # one row per list and address
            conn.execute("INSERT INTO mailingoptout (mailing_list_id, email, created_at) VALUES (1, 'a@b.fi', '2026')")
        assert conn.execute("SELECT description, link_key FROM mailinglist").fetchall() == [("", "")]
    run_alembic(tmp_path, "downgrade", "0022_knowledge_base")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'mailing%'").fetchall() == []
