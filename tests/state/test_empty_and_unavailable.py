"""Issue 9, items 7 and 9 (the server's side): an empty ticket list says whether nothing matches the
filters or there are no tickets yet (with "New ticket" for those who may open one); a module that is
switched off or not in the profile is said to be unavailable at its own URL, without a redirect and
without loading anything of it; the new-ticket form names whose draft the browser keeps."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select
from statekit import Portal, redirect_path

from portal_app.db import session_scope
from portal_app.models import Account, AccountKind, Company, Contact, ModuleAccess, PortalProfile
from portal_app.seed import DEMO_PASSWORD
from portal_app.services.portal import config
from portal_app.services.accounts.passwords import hash_password
from portal_app.services.tickets import ticket_list
from portal_app.services.tickets import core as ticket_service
from portal_app.state.profile import CompanyState
from portal_app.state.ticket_detail import TicketDetailState
from portal_app.state.ticket_list import TicketListState
from portal_app.state.session import draft_owner
from portal_app.state.ticket_new import NewTicketState


def _newcomer(profile: str = "Basic", modules: dict[str, ModuleAccess] | None = None) -> str:
    """An Acme contact with portal access who has opened no ticket; returns the email."""
    email = f"new.{uuid.uuid4().hex[:8]}@example.org"
    with session_scope() as s:
        company = s.exec(select(Company).where(Company.name == "Acme Oy")).one()
        if modules is None:
            profile_row = s.exec(select(PortalProfile).where(PortalProfile.name == profile)).one()
        else:
            profile_row = PortalProfile(name=f"Profile {uuid.uuid4().hex[:6]}", module_access=modules,
                                        field_access={})
            s.add(profile_row)
            s.flush()
        contact = Contact(company_id=company.id, first_name="New", last_name="Comer", email=email,
                          profile_id=profile_row.id)
        s.add(contact)
        s.flush()
        s.add(Account(email=email, kind=AccountKind.CONTACT, contact_id=contact.id, language="en",
                      password_hash=hash_password(DEMO_PASSWORD)))
        s.commit()
    return email


def _switch(module: str, enabled: bool) -> None:
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=Portal.actor("staff"), module=module, enabled=enabled)


def _no_ticket_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any read of tickets fails the test: an unavailable module loads nothing."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("a ticket service was called for an unavailable module")

    for name in ("list_tickets", "customer_home"):
        monkeypatch.setattr(ticket_list, name, refuse)
    for name in ("get_ticket", "assignable_accounts"):
        monkeypatch.setattr(ticket_service, name, refuse)


# --- 7(a): the empty list ------------------------------------------------------------------------


def test_customer_without_tickets_sees_none_yet_with_new_ticket(portal: Portal):
    email = _newcomer()
    inst = portal.state(TicketListState, email, url="/tickets")
    assert portal.call(inst, "load") is None
    assert inst.loaded and inst.total == 0 and inst.rows == []
    assert not inst.filtered and inst.can_create  # "No tickets yet" with "New ticket"

    for url in ("/tickets?sort=title", "/tickets?size=50", "/tickets?sort=-number&size=10"):
        inst = portal.state(TicketListState, email, url=url)
        portal.call(inst, "load")
        assert inst.total == 0 and not inst.filtered, url  # how tickets are shown is no filter


@pytest.mark.parametrize("query", ["q=zebra", "status=Closed", "category=Bug", "priority=High", "severity=2",
                                   "mine=1", "q=10003"])
def test_a_filter_or_search_that_finds_nothing_says_so(portal: Portal, query: str):
    email = _newcomer()
    inst = portal.state(TicketListState, email, url=f"/tickets?{query}")
    portal.call(inst, "load")
    assert inst.loaded and inst.total == 0 and inst.filtered  # "No tickets match" with "Clear filters"


def test_view_only_customer_and_support_get_none_yet_without_a_button(portal: Portal):
    email = _newcomer(modules={"tickets": ModuleAccess.VIEW})
    inst = portal.state(TicketListState, email, url="/tickets")
    portal.call(inst, "load")
    assert inst.loaded and inst.total == 0 and not inst.filtered and not inst.can_create

    staff = portal.state(TicketListState, "staff", url="/admin/tickets?q=nothing-like-this")
    portal.call(staff, "load_staff")
    assert staff.total == 0 and staff.filtered and not staff.can_create
    staff = portal.state(TicketListState, "staff", url="/admin/tickets")
    portal.call(staff, "load_staff")
    assert not staff.filtered and not staff.can_create


# --- 7(b): a module that is not available ----------------------------------------------------------


def test_tickets_switched_off_are_unavailable_at_their_urls(portal: Portal, monkeypatch: pytest.MonkeyPatch):
    number = portal.tickets().open
    _switch("tickets", False)
    _no_ticket_reads(monkeypatch)
    for cls, handler, url in ((TicketListState, "load", "/tickets?q=zebra"), (NewTicketState, "load", "/tickets/new"),
                              (TicketDetailState, "load", f"/tickets/{number}")):
        inst = portal.state(cls, "acme_user", url=url)
        portal.call(inst, "guard")
        result = portal.call(inst, handler)
        assert result is None and redirect_path(result) is None, url  # said here, not sent elsewhere
        assert inst.unavailable and inst.signed_in, url
        portal.assert_no_markers(inst, ("Zebra printer", "QUOKKA", "Narwhal"))
    assert not inst.found and inst.title == "" and inst.comments == []

    monkeypatch.undo()
    _switch("tickets", True)
    inst = portal.state(TicketListState, "acme_user", url="/tickets")
    portal.call(inst, "guard")
    portal.call(inst, "load")
    assert not inst.unavailable and inst.loaded and inst.total > 0


def test_the_next_page_clears_unavailable(portal: Portal):
    _switch("company", False)
    inst = portal.state(CompanyState, "acme_admin", url="/company")
    portal.call(inst, "guard")
    assert portal.call(inst, "load") is None
    assert inst.unavailable and inst.fields == [] and inst.company_name == ""
    portal.call(inst, "guard")  # the next page's first on_load (SessionState's, shared by every page)
    assert not inst.unavailable


def test_profile_without_tickets_or_edit_right(portal: Portal, monkeypatch: pytest.MonkeyPatch):
    none = _newcomer(modules={"tickets": ModuleAccess.NONE, "company": ModuleAccess.VIEW})
    inst = portal.state(TicketListState, none, url="/tickets")
    _no_ticket_reads(monkeypatch)
    assert portal.call(inst, "load") is None and inst.unavailable and not inst.loaded

    monkeypatch.undo()
    view = _newcomer(modules={"tickets": ModuleAccess.VIEW})
    inst = portal.state(NewTicketState, view, url="/tickets/new")
    assert portal.call(inst, "load") is None
    assert inst.unavailable and inst.category_options == [] and inst.staged == []
    inst = portal.state(TicketListState, view, url="/tickets")
    portal.call(inst, "load")
    assert not inst.unavailable and inst.loaded  # reading is granted


def test_support_at_the_new_ticket_form_still_goes_to_the_list(portal: Portal):
    inst = portal.state(NewTicketState, "partner", url="/tickets/new")
    assert redirect_path(portal.call(inst, "load")) == "/tickets" and not inst.unavailable


# --- 9: whose draft ------------------------------------------------------------------------------


def test_the_form_names_whose_draft_it_is(portal: Portal):
    owners = {}
    for who in ("acme_user", "acme_admin"):
        inst = portal.state(NewTicketState, who, url="/tickets/new")
        portal.call(inst, "guard")  # the shell names the owner, for every page's drafts
        portal.call(inst, "load")
        owners[who] = inst.draft_owner
        assert inst.draft_owner == draft_owner(portal.account_id(portal.actor(who).email))
    assert owners["acme_user"] != owners["acme_admin"]
    for owner in owners.values():
        assert len(owner) == 32 and int(owner, 16) >= 0  # opaque hex: the browser's storage key
    # the same person gets the same name on every visit (the draft survives signing in again)
    again = portal.state(NewTicketState, "acme_user", url="/tickets/new")
    portal.call(again, "guard")
    portal.call(again, "load")
    assert again.draft_owner == owners["acme_user"]
