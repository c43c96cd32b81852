"""MyDetailsState, CompanyState and HomeState for the signed-in contact's own data."""

from __future__ import annotations

from sqlmodel import select
from statekit import EMAILS, GLOBEX_PRIVATE, STAFF_PRIVATE, Portal

from portal_app.db import session_scope
from portal_app.models import COMPANY_FIELDS, CONTACT_FIELDS, Account, Company, Contact
from portal_app.state.home import HomeState
from portal_app.state.profile import CompanyState, MyDetailsState


def _ville() -> tuple[Contact, Account]:
    with session_scope() as s:
        contact = s.exec(select(Contact).where(Contact.last_name == "Korhonen")).one()
        account = s.exec(select(Account).where(Account.contact_id == contact.id)).one()
        return contact, account


def _acme() -> Company:
    with session_scope() as s:
        return s.exec(select(Company).where(Company.name == "Acme Oy")).one()


def test_my_details_shows_the_profile_rights(portal: Portal):
    inst = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(inst, "load")
    assert inst.loaded and not inst.errors
    rows = {f["name"]: f for f in inst.fields}
    assert list(rows) == list(CONTACT_FIELDS)
    assert rows["email"]["value"] == EMAILS["acme_user"] and not rows["email"]["editable"]
    assert all(rows[n]["editable"] for n in CONTACT_FIELDS if n != "email")
    assert inst.can_edit
    portal.assert_no_markers(inst, ("Virtanen", "Mäkinen", "1234567-1") + GLOBEX_PRIVATE + STAFF_PRIVATE)


def test_basic_contact_cannot_change_its_email(portal: Portal):
    inst = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(inst, "load")
    form = {f["name"]: f["value"] for f in inst.fields}
    before = portal.snapshot()
    portal.call(inst, "save", {**form, "email": "taken.over@evil.example", "phone": "+358 50 999"})
    assert inst.errors == {"email": "You cannot change this field."} and not inst.notice  # beside the field
    assert portal.snapshot() == before  # all or nothing: not even the phone changed
    contact, account = _ville()
    assert contact.email == account.email == EMAILS["acme_user"] and contact.phone == ""


def test_basic_contact_saves_editable_fields(portal: Portal):
    inst = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(inst, "load")
    form = {f["name"]: f["value"] for f in inst.fields}
    # the read-only email is sent back unchanged, as the form does: allowed
    portal.call(inst, "save", {**form, "phone": "+358 50 999", "first_name": "Ville-Veikko"})
    contact, account = _ville()
    assert not inst.errors and inst.notice
    assert contact.phone == "+358 50 999" and contact.first_name == "Ville-Veikko"
    assert account.email == EMAILS["acme_user"]
    assert inst.display_name == "Ville-Veikko Korhonen"  # the shell follows the new name


def test_read_only_email_in_another_case_is_still_a_change(portal: Portal):
    inst = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(inst, "load")
    before = portal.snapshot()
    portal.call(inst, "save", {"email": EMAILS["acme_user"].upper(), "phone": "+358 50 999"})
    assert inst.errors.get("email") and portal.snapshot() == before


def test_my_details_validation_errors(portal: Portal):
    inst = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(inst, "load")
    before = portal.snapshot()
    portal.call(inst, "save", {"first_name": ""})
    assert inst.errors.get("first_name") and portal.snapshot() == before
    portal.call(inst, "save", {"phone": "1" * 51})
    assert inst.errors.get("phone") and portal.snapshot() == before


def test_company_admin_edits_its_company(portal: Portal):
    inst = portal.state(CompanyState, "acme_admin", url="/company")
    portal.call(inst, "load")
    assert inst.company_name == "Acme Oy" and inst.module_editable and inst.loaded
    rows = {f["name"]: f for f in inst.fields}
    assert list(rows) == list(COMPANY_FIELDS) and all(f["editable"] for f in inst.fields)
    portal.call(inst, "save", {**{n: f["value"] for n, f in rows.items()}, "city": "Espoo",
                               "website": "www.acme.example.com"})
    assert not inst.errors and inst.notice
    company = _acme()
    assert company.city == "Espoo" and company.website == "https://www.acme.example.com"
    before = portal.snapshot()
    portal.call(inst, "save", {"website": "not a url", "city": "Vantaa"})
    assert inst.errors.get("website") and portal.snapshot() == before
    # a Finnish company's business ID with a wrong check digit, and a postal code of another shape
    portal.call(inst, "save", {"business_id": "1234567-8", "postal_code": "FI-00100", "city": "Vantaa"})
    assert inst.errors["business_id"].startswith("A Finnish business ID is seven digits")
    assert inst.errors["postal_code"] == "A postal code in this country looks like 00100."
    assert portal.snapshot() == before


def test_basic_contact_sees_the_company_read_only(portal: Portal):
    inst = portal.state(CompanyState, "acme_user", url="/company")
    portal.call(inst, "load")
    assert inst.company_name == "Acme Oy" and not inst.module_editable and not inst.can_edit
    names = [f["name"] for f in inst.fields]
    assert "business_id" not in names and "city" in names  # a hidden field is not sent at all
    portal.assert_no_markers(inst, ("1234567-1",) + GLOBEX_PRIVATE)
    before = portal.snapshot()
    portal.call(inst, "save", {"city": "Hacked"})
    assert inst.errors and portal.snapshot() == before


def test_company_page_refuses_actors_without_a_company_module(portal: Portal):
    for who in ("partner", "staff"):
        inst = portal.state(CompanyState, who, url="/company")
        assert portal.call(inst, "load") is None  # no redirect: the page says it is not available
        assert inst.unavailable and inst.fields == [] and inst.company_name == ""


def test_home_for_a_contact(portal: Portal):
    inst = portal.state(HomeState, "acme_user")
    portal.call(inst, "load")
    assert inst.welcome_in["en"] == "Welcome to the customer portal"
    assert len(inst.paragraphs_in["en"]) == 2 and "Ville Korhonen" in inst.hello


def test_home_shows_a_customers_open_tickets_and_those_awaiting_a_reply(portal: Portal):
    from portal_app.services.tickets import core as ticket_service

    acme = portal.tickets()  # user@acme's: one in progress, one closed
    with session_scope() as s:
        waiting, _ = ticket_service.create_ticket(
            session=s, actor=portal.actor("acme_user"),
            data={"title": "Send us the logs", "description": "x", "category": "support", "priority": "low"})
        ticket_service.add_comment(session=s, actor=portal.actor("staff"), number=waiting.number,
                                   body="Which version?", new_status="waiting_customer")
    inst = portal.state(HomeState, "acme_user")
    portal.call(inst, "load")
    assert inst.show_tickets and inst.can_create
    assert [t["number"] for t in inst.open_tickets] == [waiting.number, acme.open]
    assert inst.open_tickets[1]["href"] == f"/tickets/{acme.open}"
    assert inst.open_tickets[1]["status"] == inst._t("ticket.status.in_progress")
    assert [t["number"] for t in inst.awaiting] == [waiting.number]
    assert not inst.company_wide  # "Your open tickets": a basic user's own
    admin = portal.state(HomeState, "acme_admin")
    portal.call(admin, "load")
    # the company admin's sections hold colleagues' tickets too, and say "Your company's open tickets"
    assert admin.company_wide and waiting.number in [t["number"] for t in admin.open_tickets]
    for who in ("staff", "partner"):  # support keeps the home page as it was
        other = portal.state(HomeState, who)
        portal.call(other, "load")
        assert not other.show_tickets and other.open_tickets == [] and other.awaiting == []
    outsider = portal.state(HomeState, "globex_admin")
    portal.call(outsider, "load")
    assert outsider.show_tickets and outsider.open_tickets == [] and outsider.awaiting == []


def test_home_for_anonymous_is_empty(portal: Portal):
    inst = portal.state(HomeState, None)
    assert portal.call(inst, "load") is None
    assert inst.welcome_in == {} and inst.paragraphs_in == {} and inst.hello == ""
