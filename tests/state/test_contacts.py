"""ContactsState for the right actors: a company admin on /company, staff on /admin/company."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select
from statekit import ACME_PRIVATE, EMAILS, GLOBEX_PRIVATE, PARTNER_PRIVATE, Portal

from portal_app.db import session_scope
from portal_app.models import CONTACT_FIELDS, Account, Contact, ModuleAccess, PasswordToken, PortalProfile, utcnow
from portal_app.services.portal.modules import MODULE_KEYS
from portal_app.services.accounts import auth
from portal_app.services.companies import directory
from portal_app.state.contacts import ContactsState
from portal_app.state.session import SessionState

ACME_NAMES = {"Aino Virtanen", "Ville Korhonen", "Liisa Mäkinen", "Pekka Nieminen", "Sanna Laine"}


def _contact(contact_id: int) -> Contact:
    with session_scope() as s:
        return s.get(Contact, contact_id)


def _account_of(contact_id: int) -> Account | None:
    with session_scope() as s:
        return s.exec(select(Account).where(Account.contact_id == contact_id)).first()


def _company_page(portal: Portal, who: str = "acme_admin") -> ContactsState:
    inst = portal.state(ContactsState, who, url="/company")
    portal.call(inst, "load_for_company")
    return inst


def test_company_admin_sees_only_its_own_company(portal: Portal):
    inst = _company_page(portal)
    assert inst.manage and not inst.staff_mode and inst.profile_options == []
    assert {r["name"] for r in inst.rows} == ACME_NAMES
    assert [r["is_self"] for r in inst.rows if r["name"] == "Aino Virtanen"] == [True]
    portal.assert_no_markers(inst, GLOBEX_PRIVATE + PARTNER_PRIVATE + ("Sam Staff", "staff@example.com"))
    globex = _company_page(portal, "globex_admin")
    assert {r["name"] for r in globex.rows} == {"Greta Schmidt", "Hans Müller", "Klara Weber"}
    portal.assert_no_markers(globex, ACME_PRIVATE + PARTNER_PRIVATE)


def test_a_colleague_added_or_deactivated_in_another_tab_shows_on_the_next_tick(portal: Portal):
    here, there = _company_page(portal), _company_page(portal)
    before = list(here.rows)
    portal.call(here, "tick")
    assert here.rows == before  # nothing changed: nothing read again
    portal.call(there, "save_contact", {"first_name": "Maija", "last_name": "Tick", "email": "maija.tick@acme.example.com"})
    assert not there.errors
    portal.call(here, "tick")
    assert "Maija Tick" in {r["name"] for r in here.rows}
    ville = portal.contact_id("Korhonen")
    portal.call(there, "set_active", ville, False)
    portal.call(here, "tick")
    assert [r["is_active"] for r in here.rows if r["id"] == ville] == [False]
    # staff's page of the company follows too
    staff = portal.state(ContactsState, "staff", url=f"/admin/company?id={portal.company_id('Acme Oy')}")
    portal.call(staff, "load_for_admin")
    portal.call(there, "set_active", ville, True)
    portal.call(staff, "tick")
    assert [r["is_active"] for r in staff.rows if r["id"] == ville] == [True]


def test_company_admin_adds_a_contact(portal: Portal):
    inst = _company_page(portal)
    portal.call(inst, "open_new")
    assert inst.dialog_open and [f["name"] for f in inst.edit_fields] == list(CONTACT_FIELDS)
    assert all(f["value"] == "" for f in inst.edit_fields)
    portal.call(inst, "save_contact", {"first_name": "Maija", "last_name": "Meikäläinen",
                                       "email": "Maija.M@Acme.Example.com", "job_title": "Designer",
                                       "company_id": portal.company_id("Globex GmbH"), "id": 1})
    assert not inst.errors and not inst.dialog_open and "Maija Meikäläinen" in inst.notice
    assert "Maija Meikäläinen" in {r["name"] for r in inst.rows}
    with session_scope() as s:
        row = s.exec(select(Contact).where(Contact.last_name == "Meikäläinen")).one()
        assert row.company_id == portal.company_id("Acme Oy")  # never the company id the form sent
        assert row.email == "maija.m@acme.example.com" and row.job_title == "Designer"
    assert _account_of(row.id) is None  # portal access is a separate step


def test_company_admin_new_contact_errors_keep_what_was_typed(portal: Portal):
    inst = _company_page(portal)
    portal.call(inst, "open_new")
    before = portal.snapshot()
    portal.call(inst, "save_contact", {"first_name": "", "last_name": "Solo", "email": "not-an-email"})
    assert inst.errors.get("email") or inst.errors.get("first_name")
    assert inst.dialog_open and {f["name"]: f["value"] for f in inst.edit_fields}["last_name"] == "Solo"
    assert portal.snapshot() == before


def test_company_admin_edits_a_colleague(portal: Portal):
    inst = _company_page(portal)
    pekka = portal.contact_id("Nieminen")
    portal.call(inst, "open_edit", pekka)
    values = {f["name"]: f["value"] for f in inst.edit_fields}
    assert inst.dialog_open and values["first_name"] == "Pekka" and values["email"] == "pekka.nieminen@acme.example.com"
    portal.call(inst, "save_contact", {**values, "job_title": "Warehouse manager"})
    assert not inst.errors and not inst.dialog_open and inst.notice
    assert _contact(pekka).job_title == "Warehouse manager"
    assert "Warehouse manager" in {r["job_title"] for r in inst.rows}


def test_company_admin_gives_and_removes_portal_access(portal: Portal):
    inst = _company_page(portal)
    pekka = portal.contact_id("Nieminen")
    portal.call(inst, "set_access", pekka, True)
    assert not inst.errors and "pekka.nieminen@acme.example.com" in inst.notice
    account = _account_of(pekka)
    assert account is not None and account.enabled and account.password_hash is None
    assert _contact(pekka).profile_id == portal.profile_id("Basic")  # the default profile
    mails = portal.outbox()
    assert len(mails) == 1 and "pekka.nieminen@acme.example.com" in mails[0] and "token=" in mails[0]
    assert [(r["portal_access"], r["profile_name"]) for r in inst.rows if r["id"] == pekka] == [(True, "Basic")]
    portal.call(inst, "set_access", pekka, False)
    assert not inst.errors and not _account_of(pekka).enabled
    # the profile is kept for giving access again, and not shown while no one signs in with it
    assert _contact(pekka).profile_id == portal.profile_id("Basic")
    assert [r["profile_name"] for r in inst.rows if r["id"] == pekka] == [""]


def test_company_admin_sets_admin_and_deactivates(portal: Portal):
    inst = _company_page(portal)
    ville = portal.contact_id("Korhonen")
    ville_token = portal.token("acme_user")
    portal.call(inst, "set_admin", ville, True)
    assert not inst.errors and _contact(ville).portal_admin
    assert inst.notice == "Ville Korhonen is now a company admin."  # what was done, to whom
    portal.call(inst, "set_active", ville, False)
    assert not inst.errors and not _contact(ville).is_active and not _account_of(ville).enabled
    assert inst.notice == "Ville Korhonen is deactivated."
    with session_scope() as s:
        assert auth.actor_for_token(session=s, token=ville_token) is None  # signed out at once
    who = portal.state(SessionState, None)
    portal.connect(who, ville_token)
    portal.call(who, "guard")
    assert not who.signed_in
    portal.call(inst, "set_active", ville, True)  # back, but not signing in: the page says how
    assert _contact(ville).is_active and not _account_of(ville).enabled
    assert inst.notice.startswith("Ville Korhonen is active again. To let them sign in, give portal access")


def test_company_admin_cannot_act_on_itself(portal: Portal):
    inst = _company_page(portal)
    aino = portal.contact_id("Virtanen")
    before = portal.snapshot()
    for handler, args in (("set_active", (aino, False)), ("set_admin", (aino, False)),
                          ("set_access", (aino, False))):
        portal.call(inst, handler, *args)
        assert inst.errors, handler
    assert portal.snapshot() == before


def test_company_admin_sends_a_set_password_link(portal: Portal):
    inst = _company_page(portal)
    portal.call(inst, "send_link", portal.contact_id("Korhonen"))
    assert not inst.errors and EMAILS["acme_user"] in inst.notice
    assert any(EMAILS["acme_user"] in m for m in portal.outbox())
    with session_scope() as s:
        assert s.exec(select(PasswordToken)).first() is not None
    portal.call(inst, "send_link", portal.contact_id("Laine"))  # no portal access: refused
    assert inst.errors


def _profile_showing(portal: Portal, who: str, fields: dict[str, str]) -> None:
    """Give `who`'s contact a profile with every module at edit and only `fields` shown."""
    with session_scope() as s:
        profile = PortalProfile(name=f"Shows {len(fields)} fields", field_access=fields,
                                module_access={m: ModuleAccess.EDIT for m in MODULE_KEYS})
        s.add(profile)
        s.commit()
        contact = s.get(Contact, portal.contact_id(EMAILS[who]))
        contact.profile_id = profile.id
        s.add(contact)
        s.commit()


def test_a_refusal_of_a_field_the_profile_hides_is_said_above_the_form(portal: Portal):
    """A company admin whose profile shows no contact field: Save is refused with the names of the fields
    it needs, and who can help, not silently; nothing is filed."""
    _profile_showing(portal, "acme_admin", {})
    inst = _company_page(portal)
    portal.call(inst, "open_new")
    assert inst.dialog_open and inst.edit_fields == []
    before = portal.snapshot()
    portal.call(inst, "save_contact", {"submission_id": inst.submission_id})
    assert inst.dialog_open and inst.errors["form"].startswith("First name: ")
    assert "Last name: " in inst.errors["form"] and inst.errors["form"].endswith(
        "Your access profile does not show these fields: ask support to fill them in or to show them to you.")
    assert portal.snapshot() == before


def test_saving_a_colleague_whose_email_the_profile_hides_sends_no_new_link(portal: Portal):
    """Ville awaits his password; an admin whose profile hides emails saves his (unchanged) contact: no new
    link, no address shown, the mailed link still the one that works."""
    inst = _company_page(portal)
    portal.call(inst, "send_link", portal.contact_id("Korhonen"))
    mails = len(portal.outbox())
    with session_scope() as s:
        s.exec(update(Account).where(Account.email == EMAILS["acme_user"]).values(password_hash=None))
        s.commit()
    _profile_showing(portal, "acme_admin", {"contact.job_title": "edit"})
    inst = _company_page(portal)
    ville = portal.contact_id("Korhonen")
    portal.call(inst, "open_edit", ville)
    assert [f["name"] for f in inst.edit_fields] == ["job_title"]
    portal.call(inst, "save_contact", {"job_title": "Buyer"})
    assert not inst.errors and _contact(ville).job_title == "Buyer"
    assert inst.notice == "Contact saved." and len(portal.outbox()) == mails


def test_a_set_password_link_is_said_sent_without_the_address_the_profile_hides(portal: Portal):
    _profile_showing(portal, "acme_admin", {})
    inst = _company_page(portal)
    assert {r["email"] for r in inst.rows} == {""}
    portal.call(inst, "send_link", portal.contact_id("Korhonen"))
    assert not inst.errors and inst.notice == "A set-password link was emailed to Ville Korhonen."


def test_demoted_company_admin_loses_the_list_on_next_load_and_action(portal: Portal):
    inst = _company_page(portal)
    with session_scope() as s:
        s.exec(update(Contact).where(Contact.last_name == "Virtanen").values(portal_admin=False))
        s.commit()
    before = portal.snapshot()
    portal.call(inst, "set_admin", portal.contact_id("Korhonen"), True)
    assert inst.errors and portal.snapshot() == before
    portal.call(inst, "load_for_company")
    assert not inst.manage and inst.rows == []


def test_action_without_the_page_load_does_not_crash(portal: Portal):
    """An event sent without the page's on_load (no company loaded in this state) used to raise
    after the write, from the list refresh; the action is done and the list left empty."""
    inst = portal.state(ContactsState, "acme_admin")
    portal.call(inst, "set_admin", portal.contact_id("Korhonen"), True)
    assert not inst.errors and _contact(portal.contact_id("Korhonen")).portal_admin and inst.rows == []
    staff = portal.state(ContactsState, "staff")
    portal.call(staff, "set_admin", portal.contact_id("Korhonen"), False)
    assert not staff.errors and not _contact(portal.contact_id("Korhonen")).portal_admin


def test_staff_manages_any_company(portal: Portal):
    globex = portal.company_id("Globex GmbH")
    inst = portal.state(ContactsState, "staff", url=f"/admin/company?id={globex}")
    portal.call(inst, "load_for_admin")
    assert inst.manage and inst.staff_mode
    assert {r["name"] for r in inst.rows} == {"Greta Schmidt", "Hans Müller", "Klara Weber"}
    assert {o["name"] for o in inst.profile_options} == {"Basic", "Primary contact"}
    hans = portal.contact_id("Müller")
    primary = portal.profile_id("Primary contact")
    portal.call(inst, "set_profile", hans, str(primary))
    assert not inst.errors and _contact(hans).profile_id == primary
    portal.call(inst, "set_profile", hans, "987654")
    assert inst.errors and _contact(hans).profile_id == primary


def test_staff_unlocks_a_contact(portal: Portal):
    with session_scope() as s:
        s.exec(update(Account).where(Account.email == EMAILS["acme_user"])
               .values(locked_until=utcnow() + timedelta(hours=1), failed_logins=4))
        s.commit()
    inst = portal.state(ContactsState, "staff", url=f"/admin/company?id={portal.company_id('Acme Oy')}")
    portal.call(inst, "load_for_admin")
    ville = portal.contact_id("Korhonen")
    assert [r["locked"] for r in inst.rows if r["id"] == ville] == [True]
    portal.call(inst, "unlock", ville)
    assert not inst.errors and inst.notice
    account = _account_of(ville)
    assert account.locked_until is None and account.failed_logins == 0
    assert [r["locked"] for r in inst.rows if r["id"] == ville] == [False]


def test_load_for_admin_with_a_bad_company_id(portal: Portal):
    for query in ("", "?id=", "?id=abc", "?id=-1", "?id=0", "?id=987654", "?id=99999999999999999999999",
                  "?id=1.5", "?id=1%20OR%201=1", "?id=" + "9" * 100_000):
        inst = portal.state(ContactsState, "staff", url=f"/admin/company{query}")
        portal.call(inst, "load_for_admin")
        assert not inst.manage and inst.rows == [] and inst.profile_options == [], query


def test_close_dialog_takes_any_arguments(portal: Portal):
    inst = _company_page(portal)
    portal.call(inst, "open_new")
    portal.call(inst, "close_dialog", {"open": False}, "x", None)
    assert not inst.dialog_open and not inst.errors


def test_giving_access_without_an_email_or_with_a_taken_one_says_so_on_the_row(portal: Portal):
    inst = _company_page(portal)
    sanna = portal.contact_id("Laine")  # no email
    before = portal.snapshot()
    portal.call(inst, "set_access", sanna, True)
    assert inst.row_errors == {str(sanna): "This contact has no email address: add one first (it is the login name)."}
    assert portal.snapshot() == before and not inst.notice
    # an email another login uses
    with session_scope() as s:
        s.exec(update(Contact).where(Contact.id == sanna).values(email=EMAILS["acme_user"]))
        s.commit()
    before = portal.snapshot()
    portal.call(inst, "set_access", sanna, True)
    assert "Another user already signs in with this contact's email" in inst.row_errors[str(sanna)]
    assert portal.snapshot() == before
    # the next action clears the message
    portal.call(inst, "set_admin", portal.contact_id("Korhonen"), True)
    assert inst.row_errors == {} and inst.notice
    # a colleague without portal access is not made an admin: said on that row
    portal.call(inst, "set_admin", portal.contact_id("Nieminen"), True)
    assert inst.row_errors == {str(portal.contact_id("Nieminen")): "Give portal access first: a company admin signs in to the portal."}
    # access removed in another tab meanwhile: the refusal shows the row as it is now beside it
    ville = portal.contact_id("Korhonen")
    with session_scope() as s:
        directory.set_portal_access(session=s, actor=portal.actor("acme_admin"), contact_id=ville, enabled=False)
    portal.call(inst, "set_admin", ville, True)  # the stale page still offers "Make admin"
    row = next(r for r in inst.rows if r["id"] == ville)
    assert str(ville) in inst.row_errors and not row["portal_access"] and not row["portal_admin"]


def test_adding_a_contact_with_a_logins_email_is_refused_at_the_field(portal: Portal):
    inst = _company_page(portal)
    portal.call(inst, "open_new")
    before = portal.snapshot()
    portal.call(inst, "save_contact", {"first_name": "Twin", "last_name": "Mail", "email": "User@Acme.example.com"})
    assert inst.errors == {"email": "Another user already signs in with this email address."}
    assert inst.dialog_open and portal.snapshot() == before
    assert {f["name"]: f["value"] for f in inst.edit_fields}["first_name"] == "Twin"  # what was typed stays
    # another company's login: the address cannot be used, and nothing says that someone signs in with it
    portal.call(inst, "save_contact", {"first_name": "Twin", "last_name": "Mail", "email": EMAILS["globex_admin"]})
    assert inst.errors == {"email": "This email address can't be used here. Use another address, or ask support for help."}
    assert inst.dialog_open and portal.snapshot() == before


def test_add_contact_sent_twice_files_one_contact(portal: Portal):
    """A double click on "Save": both sendings carry the form's id; the second answers like the first."""
    inst = _company_page(portal)
    portal.call(inst, "open_new")
    form = {"first_name": "Testi", "last_name": "Kollega", "email": "testi.kollega@acme.example.com",
            "submission_id": inst.submission_id}
    portal.call(inst, "save_contact", dict(form))
    first_notice = inst.notice
    portal.call(inst, "save_contact", dict(form))
    assert not inst.errors and not inst.dialog_open and inst.notice == first_notice and "Testi Kollega" in first_notice
    assert [r["name"] for r in inst.rows].count("Testi Kollega") == 1
    with session_scope() as s:
        assert len(s.exec(select(Contact).where(Contact.last_name == "Kollega")).all()) == 1
    portal.call(inst, "open_new")  # the next form is a new contact
    assert inst.submission_id != form["submission_id"]


def test_give_access_clicked_twice_mails_once_with_a_working_link(portal: Portal):
    """A double click on "Give portal access": both sendings carry the row's click id; one mail, whose
    link works, and the notice of the first stays."""
    inst = _company_page(portal)
    pekka = portal.contact_id("Nieminen")
    click = next(r["submission_id"] for r in inst.rows if r["id"] == pekka)
    portal.call(inst, "set_access", pekka, True, click)
    first_notice = inst.notice
    portal.call(inst, "set_access", pekka, True, click)
    assert not inst.errors and not inst.row_errors and inst.notice == first_notice
    assert "pekka.nieminen@acme.example.com" in first_notice
    mails = [m for m in portal.outbox() if "pekka.nieminen@acme.example.com" in m]
    assert len(mails) == 1
    body = email.message_from_string(mails[0], policy=email.policy.default).get_body(("plain",)).get_content()
    token = re.search(r"reset-password\?token=([A-Za-z0-9_\-]+)", body).group(1)
    with session_scope() as s:
        assert auth.password_token_valid(session=s, token=token)
    assert next(r["submission_id"] for r in inst.rows if r["id"] == pekka) != click  # the next click acts again


def test_send_link_clicked_twice_mails_once_with_a_working_link(portal: Portal):
    """A double click on "Send set-password link": one mail, whose link stays the valid one (a second
    mail's link would have made the first one's dead), and the notice of the first stays."""
    inst = _company_page(portal)
    ville = portal.contact_id("Korhonen")
    click = next(r["submission_id"] for r in inst.rows if r["id"] == ville)
    portal.call(inst, "send_link", ville, click)
    first_notice = inst.notice
    portal.call(inst, "send_link", ville, click)
    assert not inst.errors and not inst.row_errors and inst.notice == first_notice
    assert EMAILS["acme_user"] in first_notice
    mails = [m for m in portal.outbox() if EMAILS["acme_user"] in m]
    assert len(mails) == 1
    body = email.message_from_string(mails[0], policy=email.policy.default).get_body(("plain",)).get_content()
    token = re.search(r"reset-password\?token=([A-Za-z0-9_\-]+)", body).group(1)
    with session_scope() as s:
        assert auth.password_token_valid(session=s, token=token)
    fresh = next(r["submission_id"] for r in inst.rows if r["id"] == ville)
    assert fresh != click  # the next click is a new one: it sends a new link
    portal.call(inst, "send_link", ville, fresh)
    assert len([m for m in portal.outbox() if EMAILS["acme_user"] in m]) == 2


def test_correcting_the_email_of_a_colleague_awaiting_a_password_sends_the_link_there(portal: Portal):
    """Access given to a mistyped address, then the address corrected: the typo's link is dead and the
    corrected address gets a new one, said on the page; the row offers "Send set-password link"."""
    inst = _company_page(portal)
    pekka = portal.contact_id("Nieminen")
    portal.call(inst, "set_access", pekka, True)
    (row,) = [r for r in inst.rows if r["id"] == pekka]
    assert row["awaiting_password"]
    portal.call(inst, "open_edit", pekka)
    form = {f["name"]: f["value"] for f in inst.edit_fields}
    portal.call(inst, "save_contact", {**form, "email": "pekka.fixed@acme.example.com"})
    assert not inst.errors and inst.notice == inst._t("contacts.relinked", email="pekka.fixed@acme.example.com")
    mails = portal.outbox()
    assert len(mails) == 2 and any("To: pekka.fixed@acme.example.com" in m and "token=" in m for m in mails)
    # a saved change that keeps the address sends nothing
    portal.call(inst, "open_edit", pekka)
    form = {f["name"]: f["value"] for f in inst.edit_fields}
    portal.call(inst, "save_contact", {**form, "job_title": "Buyer"})
    assert inst.notice == inst._t("contacts.updated") and len(portal.outbox()) == 2


def test_a_colleagues_working_login_email_is_shown_not_editable_to_the_company_admin(portal: Portal):
    """Staff may change it (the service refuses the admin whatever is sent: test_portal_access.py);
    the other details stay the admin's, and a refused save keeps the address shown."""
    inst = _company_page(portal)
    ville = portal.contact_id("Korhonen")
    portal.call(inst, "open_edit", ville)
    fields = {f["name"]: f for f in inst.edit_fields}
    assert fields["email"]["value"] == EMAILS["acme_user"] and not fields["email"]["editable"]
    assert fields["job_title"]["editable"]
    form = {name: f["value"] for name, f in fields.items() if f["editable"]}  # a disabled box is not sent
    portal.call(inst, "save_contact", {**form, "phone": "not a phone"})
    assert "phone" in inst.errors
    assert {f["name"]: f["value"] for f in inst.edit_fields}["email"] == EMAILS["acme_user"]
    portal.call(inst, "save_contact", {**form, "job_title": "Buyer"})
    assert not inst.errors and inst.notice == inst._t("contacts.updated")
    staff = portal.state(ContactsState, "staff", url=f"/admin/company?id={portal.company_id('Acme Oy')}")
    portal.call(staff, "load_for_admin")
    portal.call(staff, "open_edit", ville)
    assert {f["name"]: f["editable"] for f in staff.edit_fields}["email"]
