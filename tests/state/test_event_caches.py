"""The per-event caches (issue 10): the acting user and the portal settings are read once and kept
in process memory, and every change to who may do what acts on an open page at the next event.

Each test warms the cache with a first event, changes something through the service staff would
use, and checks the very next event of the open page."""

from __future__ import annotations

import gc
import weakref
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event
from sqlmodel import select
from statekit import EMAILS, Portal, redirect_path

from portal_app.db import get_engine, session_scope
from portal_app.models import Account, PortalProfile, utcnow
from portal_app.seed import DEMO_PASSWORD
from portal_app.services import live
from portal_app.services.companies import directory
from portal_app.services.portal import config, profiles
from portal_app.services.accounts import actor_cache, auth
from portal_app.services.accounts.actor_cache import IDENTITY, ActorCache
from portal_app.services.tickets import core as tickets
from portal_app.services.tickets import page_cache, ticket_list
from portal_app.state.profile import CompanyState
from portal_app.state.session import SessionState
from portal_app.state.ticket_detail import TicketDetailState
from portal_app.state.ticket_list import TicketListState, shown_rows
from portal_app.state.ticket_new import NewTicketState


@contextmanager
def statements():
    """The SQL statements run meanwhile, as a list filled in place."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):  # noqa: ANN001
        seen.append(statement.lower())

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _open_list(portal: Portal, who: str) -> TicketListState:
    inst = portal.state(TicketListState, who, url="/tickets")
    portal.call(inst, "guard")
    assert portal.call(inst, "load") is None and inst.loaded
    return inst


def test_the_actor_and_the_settings_are_read_once(portal: Portal):
    inst = _open_list(portal, "acme_user")
    with statements() as seen:
        portal.call(inst, "guard")
        portal.call(inst, "tick")
    assert not [s for s in seen if "authsession" in s or "portalsettings" in s or "portalprofile" in s], seen


def test_a_disabled_account_is_refused_at_the_next_event(portal: Portal):
    inst = _open_list(portal, "acme_user")
    staff = portal.actor("staff")
    with session_scope() as s:
        auth.disable_account(session=s, actor=staff, account_id=portal.account_id(EMAILS["acme_user"]))
    assert redirect_path(portal.call(inst, "guard")).startswith("/login")
    assert not inst.signed_in


def test_a_profile_change_acts_at_the_next_event(portal: Portal):
    inst = _open_list(portal, "acme_user")
    assert inst._actor().can("tickets")
    staff = portal.actor("staff")
    with session_scope() as s:
        profile = s.get(PortalProfile, portal.profile_id("Basic"))  # Ville's
        data = {"name": profile.name, "module_access": {**profile.module_access, "tickets": "none"},
                "field_access": profile.field_access}
        profiles.save_profile(session=s, actor=staff, data=data, profile_id=profile.id)
    assert not inst._actor().can("tickets")
    portal.call(inst, "load")
    assert not inst.rows


def test_a_module_switched_off_acts_at_the_next_event(portal: Portal):
    inst = _open_list(portal, "acme_admin")
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=portal.actor("staff"), module="tickets", enabled=False)
    assert not inst._actor().can("tickets")
    portal.call(inst, "guard")
    assert "/tickets" not in [item["href"] for item in inst.nav_items]


def test_an_open_page_follows_a_module_switched_off_and_on_without_a_click(portal: Portal):
    """The shell's timer (`follow_rights`): nothing read while nothing changed; after staff switches
    the open page's module off, the menu loses it and the page says it is not available; switched
    on again, the page loads again at its address."""
    inst = _open_list(portal, "acme_admin")
    with statements() as seen:
        assert portal.call(inst, "follow_rights") is None
    assert not seen and not inst.unavailable
    staff = portal.actor("staff")
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=staff, module="tickets", enabled=False)
    assert portal.call(inst, "follow_rights") is None
    assert inst.unavailable and "/tickets" not in [item["href"] for item in inst.nav_items]
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=staff, module="tickets", enabled=True)
    assert redirect_path(portal.call(inst, "follow_rights")) == "/tickets"
    assert "/tickets" in [item["href"] for item in inst.nav_items]


def test_an_open_new_ticket_form_goes_when_tickets_are_lowered_to_view(portal: Portal):
    """A form of a module ("New ticket") needs the right to edit: lowered to view while it is open,
    it says it is not available, as on loading it, before its Submit would be refused; the list of
    the same module stays for those who may view."""
    form = portal.state(NewTicketState, "acme_admin", url="/tickets/new")
    portal.call(form, "guard")
    portal.call(form, "load")
    listing = _open_list(portal, "acme_admin")
    assert portal.call(form, "follow_rights") is None and not form.unavailable
    _lower_primary_contact(portal, modules={"tickets": "view"})
    portal.call(form, "follow_rights")
    portal.call(listing, "follow_rights")
    assert form.unavailable and not listing.unavailable


def _lower_primary_contact(portal: Portal, **changes: dict) -> None:
    """The demo's "Primary contact" profile (Acme's admin has it) with `module_access` or
    `field_access` entries changed."""
    with session_scope() as s:
        primary = s.exec(select(PortalProfile).where(PortalProfile.name == "Primary contact")).one()
        profiles.save_profile(session=s, actor=portal.actor("staff"), profile_id=primary.id, data={
            "name": primary.name, "module_access": {**primary.module_access, **changes.get("modules", {})},
            "field_access": {**primary.field_access, **changes.get("fields", {})}})


def test_an_open_page_loads_again_when_its_module_is_lowered_to_view_or_a_field_is_hidden(portal: Portal):
    """Still open to the user, at another level: the ticket's page loads again (its comment form and
    "Close ticket" go, as on opening it), and so does the company page when a field's access changed
    (the field goes, or becomes read-only). A page of another module, or without fields, stays."""
    number = portal.tickets().open
    ticket = portal.state(TicketDetailState, "acme_admin", url=f"/tickets/{number}")
    portal.call(ticket, "guard")
    portal.call(ticket, "load")
    company = portal.state(CompanyState, "acme_admin", url="/company")
    portal.call(company, "guard")
    portal.call(company, "load")
    assert portal.call(ticket, "follow_rights") is None and portal.call(company, "follow_rights") is None
    _lower_primary_contact(portal, modules={"tickets": "view"})
    assert redirect_path(portal.call(ticket, "follow_rights")) == f"/tickets/{number}"
    assert portal.call(company, "follow_rights") is None  # its module and fields as they were
    _lower_primary_contact(portal, fields={"company.city": "hidden"})
    assert redirect_path(portal.call(company, "follow_rights")) == "/company"
    assert portal.call(ticket, "follow_rights") is None


def test_an_open_page_loads_again_after_its_language_or_admin_flag_changed_elsewhere(portal: Portal):
    """Another tab chose German, or the company-admin flag was given or taken: the open page loads
    again (its dates and labels in the new language, the colleague panel as the flag now says), not
    half one way and half the other. A change of nothing it is made for leaves it."""
    inst = _open_list(portal, "acme_user")
    with session_scope() as s:
        auth.set_language(session=s, actor=portal.actor("acme_user"), language="de")
    assert redirect_path(portal.call(inst, "follow_rights")) == "/tickets" and inst.lang == "de"
    assert portal.call(inst, "follow_rights") is None  # said once
    admin = portal.actor("acme_admin")
    with session_scope() as s:
        directory.set_portal_admin(session=s, actor=admin, contact_id=portal.actor("acme_user").contact_id,
                                   admin=True)
    assert redirect_path(portal.call(inst, "follow_rights")) == "/tickets"
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=portal.actor("staff"), module="events", enabled=False)
    assert portal.call(inst, "follow_rights") is None


def test_an_open_page_of_another_module_stays_and_a_disabled_account_is_sent_to_sign_in(portal: Portal):
    inst = _open_list(portal, "acme_user")
    staff = portal.actor("staff")
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=staff, module="events", enabled=False)
    portal.call(inst, "follow_rights")
    assert not inst.unavailable and "/events" not in [item["href"] for item in inst.nav_items]
    with session_scope() as s:
        auth.disable_account(session=s, actor=staff, account_id=portal.account_id(EMAILS["acme_user"]))
    assert redirect_path(portal.call(inst, "follow_rights")) == "/login?next=%2Ftickets&ended=1"


def test_a_list_whose_timer_finds_the_account_disabled_goes_to_sign_in(portal: Portal):
    """The list's timer finds the session gone first: it only stops, the shell then shows its
    spinner, which asks `session_ended` (that asks for no login page twice, nor for a visitor)."""
    inst = _open_list(portal, "acme_user")
    assert portal.call(inst, "session_ended") is None  # signed in: nothing to do
    with session_scope() as s:
        auth.disable_account(session=s, actor=portal.actor("staff"), account_id=portal.account_id(EMAILS["acme_user"]))
    assert portal.call(inst, "tick") is None and not inst.signed_in
    # the sign-in page says why this open page left for it
    assert redirect_path(portal.call(inst, "session_ended")) == "/login?next=%2Ftickets&ended=1"
    assert portal.call(inst, "session_ended") is None
    visitor = portal.state(SessionState, None)
    assert portal.call(visitor, "session_ended") is None


def test_signing_out_elsewhere_ends_the_cached_session(portal: Portal):
    token = portal.token("acme_admin")
    inst = portal.state(SessionState, "acme_admin")
    portal.connect(inst, token)
    portal.call(inst, "guard")
    assert inst.signed_in
    with session_scope() as s:
        auth.logout(session=s, token=token)
    assert redirect_path(portal.call(inst, "guard")).startswith("/login")


def test_branding_changed_by_staff_shows_at_the_next_event(portal: Portal):
    inst = portal.state(SessionState, "acme_user")
    portal.call(inst, "guard")
    with session_scope() as s:
        config.update_portal_settings(session=s, actor=portal.actor("staff"),
                                             data={"portal_name": "Acme Service Desk"})
    portal.call(inst, "guard")
    assert inst.portal_name == "Acme Service Desk"


def test_a_rolled_back_change_announces_nothing(portal: Portal):
    before = live.versions(IDENTITY)[0]
    with session_scope() as s:
        profile = s.get(PortalProfile, portal.profile_id("Basic"))
        profile.name = "Renamed"
        s.add(profile)
        s.flush()
        s.rollback()
    assert live.versions(IDENTITY)[0] == before
    with session_scope() as s:
        profile = s.get(PortalProfile, portal.profile_id("Basic"))
        profile.name = "Renamed"
        s.add(profile)
        s.commit()
    assert live.versions(IDENTITY)[0] > before


def test_signing_in_keeps_everyone_s_cached_actors_and_list_pages(portal: Portal):
    """A sign-in (or a wrong guess) writes only the account's attempt count and statistics: nobody's
    rights or names change, so the caches stay; a change to the account itself still empties them."""
    counters = (IDENTITY, page_cache.TICKET_ROWS)
    before = live.versions(*counters)
    with session_scope() as s:
        assert not auth.login(session=s, email=EMAILS["acme_user"], password="not the password").ok
    with session_scope() as s:
        assert auth.login(session=s, email=EMAILS["acme_user"], password=DEMO_PASSWORD).ok
    with session_scope() as s:  # the same columns through the ORM
        account = s.get(Account, portal.account_id(EMAILS["acme_user"]))
        account.login_count += 1
        account.last_login_at = utcnow()
        s.commit()
    assert live.versions(*counters) == before
    with session_scope() as s:  # a name and a statistic together: the name counts
        account = s.get(Account, portal.account_id(EMAILS["staff"]))
        account.full_name, account.login_count = "Sam Support", account.login_count + 1
        s.commit()
    moved = live.versions(*counters)
    assert all(now > then for now, then in zip(moved, before, strict=True))
    with session_scope() as s:
        auth.disable_account(session=s, actor=portal.actor("staff"), account_id=portal.account_id(EMAILS["acme_user"]))
    assert all(now > then for now, then in zip(live.versions(*counters), moved, strict=True))


def test_the_cache_keeps_no_more_than_its_bound():
    cache = ActorCache(max_entries=3)
    for n in range(5):
        cache.get(f"{n:064x}", load=lambda: (None, None))  # nobody: nothing kept
    assert len(cache) == 0


def test_actors_of_tabs_idle_for_a_minute_leave_the_cache(portal: Portal, monkeypatch):
    """Memory follows the tabs in use: storing an actor drops those unused for MAX_AGE_S."""
    clock = [1000.0]
    monkeypatch.setattr(actor_cache, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    actor, expires = Portal.actor("staff"), utcnow() + timedelta(hours=1)
    cache = ActorCache()
    cache.get("a" * 64, load=lambda: (actor, expires))
    clock[0] += actor_cache.MAX_AGE_S / 2
    cache.get("b" * 64, load=lambda: (actor, expires))
    clock[0] += actor_cache.MAX_AGE_S / 2 + 1  # "a" unused for longer than MAX_AGE_S, "b" not
    cache.get("c" * 64, load=lambda: (actor, expires))
    assert len(cache) == 2
    assert cache.get("b" * 64, load=lambda: pytest.fail("b was dropped")) is actor


def test_an_unchanged_reload_sends_nothing_again(portal: Portal):
    """A live tick that finds the list as it was assigns nothing: the reply carries no rows again."""
    inst = _open_list(portal, "acme_admin")
    inst._seen = -2  # as if a ticket in scope had changed
    inst.dirty_vars.clear()
    portal.call(inst, "tick")
    assert not {"rows", "status_count", "sel_status", "columns", "nav_items"} & set(inst.dirty_vars)


def _open_staff_list(portal: Portal, url: str = "/admin/tickets") -> TicketListState:
    portal.tickets()
    inst = portal.state(TicketListState, "staff", url=url)
    assert portal.call(inst, "load_staff") is None and inst.loaded
    return inst


def test_tabs_on_the_same_view_share_its_formatted_rows(portal: Portal):
    """The shared page's rows are formatted once: a second tab holds the very same list."""
    first, second = _open_staff_list(portal), _open_staff_list(portal)
    assert first.rows and first.rows.__wrapped__ is second.rows.__wrapped__
    assert first.rows[0]["assignee"]  # staff's columns are there


def test_shared_rows_follow_the_language_and_the_tickets(portal: Portal):
    tab = _open_staff_list(portal)
    english = tab.rows.__wrapped__
    portal.call(tab, "choose_language", "fi")
    portal.call(tab, "load_staff")
    assert [r["number"] for r in tab.rows] == [r["number"] for r in english]
    assert tab.rows[0]["status"] != english[0]["status"]  # each language its own labels
    portal.call(tab, "choose_language", "en")
    portal.call(tab, "load_staff")
    assert tab.rows == english

    top = english[0]
    staff = portal.actor("staff")
    with session_scope() as s:
        other = next(p for p in tickets.assignable_accounts(session=s, actor=staff) if p.name != top["assignee"])
        tickets.assign(session=s, actor=staff, number=top["number"], assignee_id=other.account_id)
    portal.call(tab, "load_staff")
    changed = next(r for r in tab.rows if r["number"] == top["number"])
    assert changed["assignee"] == other.name


def test_formatted_rows_do_not_keep_a_page_nobody_else_keeps():
    """The rows' cache refers to its page weakly: a page the page cache let go (a ticket changed)
    is freed with its rows, and a new page at the same address is not answered with old rows."""
    page = ticket_list.TicketPage(rows=[_row(1, "Printer jams")], total=1, page=1, pages=1)
    rows = shown_rows(page, lang="en", staff=True)
    assert shown_rows(page, lang="en", staff=True) is rows
    gone = weakref.ref(page)
    del page
    gc.collect()
    assert gone() is None
    later = ticket_list.TicketPage(rows=[_row(2, "VPN drops")], total=1, page=1, pages=1)
    assert [r["title"] for r in shown_rows(later, lang="en", staff=True)] == ["VPN drops"]


def test_formatted_rows_are_kept_per_time_zone():
    """Two viewers of the same shared page, one reading times in New York: each its own rows."""
    page = ticket_list.TicketPage(rows=[_row(1, "Printer jams")], total=1, page=1, pages=1)
    portal_zone = shown_rows(page, lang="en", staff=True)
    new_york = shown_rows(page, lang="en", staff=True, zone="America/New_York")
    assert new_york is shown_rows(page, lang="en", staff=True, zone="America/New_York")
    assert new_york[0]["created"] != portal_zone[0]["created"]
    assert shown_rows(page, lang="en", staff=True) is portal_zone


def _row(number: int, title: str) -> ticket_list.TicketRow:
    when = utcnow()
    return ticket_list.TicketRow(number=number, title=title, category="question", severity=3, priority="normal",
                                 status="new", created_by="Matti", company="Acme Oy", assignee="", created_at=when,
                                 updated_at=when)


def _open_ticket(portal: Portal, inst, number: int) -> None:  # noqa: ANN001
    portal.set_url(inst, f"/admin/tickets/{number}")
    inst.dirty_vars.clear()
    assert portal.call(inst, "load_staff") is None
    assert inst.found and inst.number == number and inst.ready_for == f"/admin/tickets/{number}"


def test_a_ticket_opens_in_one_event_and_its_menus_are_sent_again_only_after_a_change(portal: Portal):
    """The ticket page's one on_load handler guards, loads and marks the page ready; the staff menus
    (assignees, classification) go to the browser with the first ticket, then only after the people
    in them changed."""
    acme = portal.tickets()
    inst = portal.state(TicketDetailState, "staff", url="/")
    _open_ticket(portal, inst, acme.open)
    assert {"assignee_options", "category_options"} <= set(inst.dirty_vars)
    names = [o["label"] for o in inst.assignee_options]

    _open_ticket(portal, inst, acme.closed)
    assert not {"assignee_options", "category_options", "severity_options", "priority_options"} & set(inst.dirty_vars)

    with session_scope() as s:
        auth.create_staff(session=s, email="wanda@crm.example.com", full_name="Wanda Newcomer",
                          password="Long-enough-2026")
    _open_ticket(portal, inst, acme.open)
    assert [o["label"] for o in inst.assignee_options] != names
    assert "Wanda Newcomer" in [o["label"] for o in inst.assignee_options]


def test_the_ticket_page_refuses_a_customer_and_sends_a_visitor_to_sign_in_by_itself(portal: Portal):
    acme = portal.tickets()
    customer = portal.state(TicketDetailState, "acme_user", url=f"/admin/tickets/{acme.open}")
    assert portal.call(customer, "load_staff") is None and customer.unavailable and customer.staff_only
    assert not customer.found and not customer.title and not customer.comments
    visitor = portal.state(TicketDetailState, None, url=f"/tickets/{acme.open}")
    assert redirect_path(portal.call(visitor, "load")).startswith("/login?next=")
    assert not visitor.found and not visitor.title


def test_the_open_home_page_loads_again_when_a_module_it_summarises_is_switched_off(portal: Portal):
    """The home page shows parts of several modules (the tickets' summaries): a module switched off or
    on loads it again, so its "New ticket" and open tickets go with the module."""
    from portal_app.state.home import HomeState

    home = portal.state(HomeState, "acme_user", url="/")
    portal.call(home, "guard")
    portal.call(home, "load")
    assert home.show_tickets and portal.call(home, "follow_rights") is None
    staff = portal.actor("staff")
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=staff, module="tickets", enabled=False)
    assert redirect_path(portal.call(home, "follow_rights")) == "/"
    portal.call(home, "load")
    assert not home.show_tickets and not home.unavailable
    assert portal.call(home, "follow_rights") is None  # said once
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=staff, module="tickets", enabled=True)
    assert redirect_path(portal.call(home, "follow_rights")) == "/"
