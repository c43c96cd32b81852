"""The newsletters' states: a contact stops and restarts a list (the page follows, with a notice), a
landing link does the same without signing in and a broken one says so, and staff adds, renames and
deletes a list type and makes a landing link."""

from __future__ import annotations

from sqlmodel import select
from statekit import Portal, landing_token, redirect_path

from portal_app.db import session_scope
from portal_app.models import MailingList, MailingOptOut
from portal_app.services.newsletters import lists
from portal_app.state.admin_newsletters import AdminNewsletterState, AdminNewslettersState
from portal_app.state.newsletters import LandingState, NewslettersState


def _list_id(name: str) -> int:
    with session_scope() as s:
        return s.exec(select(MailingList.id).where(MailingList.name == name)).one()


def _stopped(email: str) -> list[int]:
    with session_scope() as s:
        return list(s.exec(select(MailingOptOut.mailing_list_id).where(MailingOptOut.email == email)).all())


def test_a_contact_stops_and_restarts_the_marketing_mail(portal: Portal):
    inst = portal.state(NewslettersState, "acme_user", url="/newsletters")
    portal.call(inst, "load")
    assert inst.intro == "Choose which of our mailings you receive at user@acme.example.com."
    assert [(i["name"], i["receiving"]) for i in inst.items] == [("Critical notices", True), ("Marketing and offers", True)]
    marketing = _list_id("Marketing and offers")
    portal.call(inst, "set_receiving", marketing, False)
    assert inst.notice == "Stopped: Marketing and offers." and not inst.busy
    assert [i["receiving"] for i in inst.items] == [True, False] and _stopped("user@acme.example.com") == [marketing]
    portal.call(inst, "set_receiving", marketing, True)
    assert inst.notice == "You receive Marketing and offers again." and _stopped("user@acme.example.com") == []


def test_a_list_type_deleted_while_the_page_is_open_leaves_it_at_the_next_click(portal: Portal):
    inst = portal.state(NewslettersState, "acme_user", url="/newsletters")
    portal.call(inst, "load")
    marketing = _list_id("Marketing and offers")
    with session_scope() as s:
        lists.delete_list(session=s, actor=portal.actor("staff"), list_id=marketing)
    portal.call(inst, "set_receiving", marketing, False)
    assert inst.errors == {"form": "This list type was just removed, so there is nothing to choose for it. "
                                   "Your other lists are below."}
    assert [i["name"] for i in inst.items] == ["Critical notices"] and inst.notice == "" and not inst.busy


def test_the_landing_link_works_without_signing_in(portal: Portal):
    marketing = _list_id("Marketing and offers")
    page = portal.state(LandingState, None, url=f"/newsletters/{landing_token(marketing, 'reader@example.org')}")
    portal.call(page, "load")
    assert page.found and page.name == "Marketing and offers" and page.address == "For r***@example.org" and page.receiving
    portal.call(page, "set_receiving", False)
    assert not page.receiving and page.notice == "Stopped: Marketing and offers."
    assert _stopped("reader@example.org") == [marketing]
    assert page.text_lang == {"name": "en", "description": "en"}
    finnish = portal.state(LandingState, None, url=f"/newsletters/{landing_token(marketing, 'reader@example.org')}")
    finnish.lang = "fi"
    portal.call(finnish, "load")
    assert finnish.name == "Markkinointi ja tarjoukset" and finnish.text_lang == {"name": "fi", "description": "fi"}
    broken = portal.state(LandingState, None, url="/newsletters/1.abcd." + "x" * 43)
    portal.call(broken, "load")
    assert broken.loaded and not broken.found and broken.name == ""


def test_without_the_module_the_page_says_it_is_not_available(portal: Portal):
    """Switched off, or a collaborator (who has no newsletters): said in the page's place."""
    from portal_app.services.portal import config

    for who in ("partner",):
        inst = portal.state(NewslettersState, who, url="/newsletters")
        portal.call(inst, "guard")
        portal.call(inst, "load")
        assert inst.unavailable and inst.items == [] and not inst.loaded
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=Portal.actor("staff"), module="newsletters", enabled=False)
    try:
        inst = portal.state(NewslettersState, "acme_user", url="/newsletters")
        portal.call(inst, "guard")
        portal.call(inst, "load")
        assert inst.unavailable and inst.items == []
    finally:
        with session_scope() as s:
            config.set_module_enabled(session=s, actor=Portal.actor("staff"), module="newsletters", enabled=True)


def test_staff_adds_renames_links_and_deletes_a_list_type(portal: Portal):
    listing = portal.state(AdminNewslettersState, "staff", url="/admin/newsletters")
    portal.call(listing, "load")
    assert [(r["name"], r["stopped"]) for r in listing.rows] == [("Critical notices", 0), ("Marketing and offers", 1)]
    portal.call(listing, "create", {"name": "Marketing and offers", "description": ""})
    assert listing.errors == {"name": "A list type of this name exists already."}
    key = listing.form_key
    portal.call(listing, "create", {"name": "Product news", "description": "Monthly", "name_fi": "x" * 101})
    assert set(listing.errors) == {"name_fi"} and listing.texts_open  # said at the Finnish name, shown
    portal.call(listing, "create", {"name": "Product news", "description": "Monthly", "name_fi": "Tuoteuutiset"})
    assert listing.notice == "List type added." and listing.errors == {} and listing.form_key == key + 1
    # the same form sent again (a double click): nothing added, and "added" is what it still says
    portal.call(listing, "create", {"name": "Product news", "description": "Monthly", "form_key": str(key)})
    assert listing.notice == "List type added." and listing.errors == {} and listing.form_key == key + 1
    news = _list_id("Product news")

    page = portal.state(AdminNewsletterState, "staff", url=f"/admin/newsletters/{news}")
    portal.call(page, "load")
    assert page.found and page.name == "Product news" and page.stopped == []
    assert page.values["name_fi"] == "Tuoteuutiset" and page.texts_open
    portal.call(page, "save", {"name": "Product updates", "description": "Monthly"})
    assert page.notice == "List type saved." and page.name == "Product updates"
    portal.call(page, "make_link", {"email": "nope"})
    assert page.errors == {"email": page.errors["email"]} and page.link == ""
    portal.call(page, "make_link", {"email": "vera@example.org"})
    assert page.link.endswith("/newsletters/" + landing_token(news, "vera@example.org")) and page.errors == {}
    assert redirect_path(portal.call(page, "delete")) == "/admin/newsletters"
    with session_scope() as s:
        assert s.get(MailingList, news) is None

    marketing = portal.state(AdminNewsletterState, "staff", url=f"/admin/newsletters/{_list_id('Marketing and offers')}")
    portal.call(marketing, "load")
    assert [(a["email"], a["source"]) for a in marketing.stopped] == [("liisa.makinen@acme.example.com", "in the portal")]
