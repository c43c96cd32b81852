"""The ticket states for the right actors: a new ticket, comments with a status change, internal
notes, the list's filters as URLs, and the live refresh (`tick`) that reloads only after a change.

Acme's tickets come from `Portal.tickets()` (made through the ticket services as
user@acme.example.com): `open` is in progress, with a file, a customer comment, a staff reply and
an internal note with its own file; `closed` was closed by staff.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlmodel import select
from statekit import INTERNAL_PRIVATE, Portal, UploadFiles, redirect_path

from portal_app.db import session_scope
from portal_app.models import NOT_IN_SLA, Account, Ticket, TicketChange, TicketComment, TicketFollower
from portal_app.services.accounts import auth
from portal_app.services.portal import config
from portal_app.services.tickets import attachments, ticket_list
from portal_app.services.tickets import core as ticket_service
from portal_app.settings import settings
from portal_app.state.home import HomeState
from portal_app.state.ticket_detail import TicketDetailState
from portal_app.state.ticket_list import TicketListState
from portal_app.state.ticket_new import NewTicketState


def _ticket(number: int) -> Ticket:
    with session_scope() as s:
        return s.exec(select(Ticket).where(Ticket.number == number)).one()


def _comments(number: int) -> list[TicketComment]:
    with session_scope() as s:
        ticket_id = s.exec(select(Ticket.id).where(Ticket.number == number)).one()
        return list(s.exec(select(TicketComment).where(TicketComment.ticket_id == ticket_id)
                           .order_by(TicketComment.id)).all())


def _detail(portal: Portal, who: str, number: int | None = None, *, staff: bool = False) -> TicketDetailState:
    number = number or portal.tickets().open
    inst = portal.state(TicketDetailState, who, url=f"{'/admin' if staff else ''}/tickets/{number}")
    portal.call(inst, "load_staff" if staff else "load")
    assert inst.found and not inst.errors, inst.errors
    return inst


def _list(portal: Portal, who: str, url: str = "/tickets") -> TicketListState:
    inst = portal.state(TicketListState, who, url=url)
    portal.call(inst, "load_staff" if url.startswith("/admin") else "load")
    assert inst.loaded
    return inst


def _query(path: str | None) -> dict[str, list[str]]:
    assert path is not None
    return parse_qs(urlsplit(path).query)


def _count_calls(monkeypatch: Any, name: str, module: Any = ticket_service) -> list[int]:
    """Count calls of a ticket service; the wrapper still calls through."""
    calls: list[int] = []
    real = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


# --- a new ticket ---------------------------------------------------------------------------------


def test_contact_creates_a_support_ticket_whose_severity_is_not_in_sla(portal: Portal):
    inst = portal.state(NewTicketState, "acme_user", url="/tickets/new")
    assert portal.call(inst, "load") is None
    assert {o["value"] for o in inst.category_options} == {"support", "bug", "work_order"}
    portal.call(inst, "choose_category", "support")
    result = portal.call(inst, "submit", {"title": "Login page is slow", "description": "Ten seconds.",
                                          "category": "support", "severity": "1", "priority": "high",
                                          "company_id": portal.company_id("Globex GmbH")})
    assert not inst.errors, inst.errors
    path = redirect_path(result)
    assert path is not None and path.startswith("/tickets/")
    ticket = _ticket(int(path.rsplit("/", 1)[1]))
    assert (ticket.title, ticket.category, ticket.priority, ticket.status) == (
        "Login page is slow", "support", "high", "new")
    assert ticket.severity == NOT_IN_SLA  # never the "1" the form sent
    assert ticket.company_id == portal.company_id("Acme Oy")  # never the company the form sent
    assert ticket.created_by_id == portal.account_id("user@acme.example.com")


def test_the_priority_is_normal_on_the_first_visit_too(portal: Portal):
    """The priority select is uncontrolled (default "normal"); on a tab's first visit its options
    arrive after the form was mounted without them, and the browser then picks the first: "Low".
    The first load draws the form again once its options exist; a later visit needs no redraw."""
    inst = portal.state(NewTicketState, "acme_user", url="/tickets/new")
    key = inst.form_key
    portal.call(inst, "load")
    assert inst.draft_priority == "normal"
    assert [o["value"] for o in inst.priority_options if o["selected"]] == ["normal"]
    assert inst.form_key == key + 1
    portal.call(inst, "load")
    assert inst.form_key == key + 1 and inst.draft_priority == "normal"


def test_a_bug_keeps_its_severity(portal: Portal):
    inst = portal.state(NewTicketState, "acme_user", url="/tickets/new")
    portal.call(inst, "load")
    path = redirect_path(portal.call(inst, "submit", {"title": "Crash on save", "description": "Always.",
                                                      "category": "bug", "severity": "1", "priority": "urgent"}))
    assert path is not None and _ticket(int(path.rsplit("/", 1)[1])).severity == 1


def test_a_refused_new_ticket_keeps_what_was_typed(portal: Portal):
    inst = portal.state(NewTicketState, "acme_user", url="/tickets/new")
    portal.call(inst, "load")
    before = portal.snapshot()
    key = inst.form_key
    result = portal.call(inst, "submit", {"title": "Half a ticket", "description": "Typed with care.",
                                          "category": "bug", "severity": "", "priority": "urgent"})
    assert not result and portal.snapshot() == before
    assert set(inst.errors) == {"severity"}
    assert (inst.draft_title, inst.draft_description) == ("Half a ticket", "Typed with care.")
    assert (inst.category, inst.draft_priority) == ("bug", "urgent")  # the choices too
    assert inst.form_key == key + 1  # the form is drawn again with the typed values

    result = portal.call(inst, "submit", {"title": "", "description": "Typed with care.",
                                          "category": "bug", "severity": "3", "priority": "bogus"})
    assert not result and set(inst.errors) == {"title", "priority"}
    assert (inst.category, inst.draft_severity, inst.draft_priority) == ("bug", "3", "normal")
    # a marked field filled in loses its message on leaving it; left empty, it keeps it
    portal.call(inst, "field_filled", "title", "   ")
    assert set(inst.errors) == {"title", "priority"}
    portal.call(inst, "field_filled", "title", "Printer offline")
    assert set(inst.errors) == {"priority"}
    for garbage in ((None, "x"), ("priority", None), (["title"], "x")):
        portal.call(inst, "field_filled", *garbage)
    assert set(inst.errors) == {"priority"}


def test_continuing_a_closed_ticket(portal: Portal):
    closed = portal.tickets().closed
    inst = portal.state(NewTicketState, "acme_user", url=f"/tickets/new?ref={closed}")
    portal.call(inst, "load")
    assert inst.reference == closed and inst.draft_title == "Narwhal invoice export fails"
    path = redirect_path(portal.call(inst, "submit", {"title": "Narwhal export again", "description": "Again.",
                                                      "category": "support", "priority": "normal"}))
    assert path is not None
    new = _ticket(int(path.rsplit("/", 1)[1]))
    assert new.reference_id == _ticket(closed).id


def test_support_is_sent_back_to_the_list(portal: Portal):
    for who in ("staff", "partner"):
        inst = portal.state(NewTicketState, who, url="/tickets/new")
        assert redirect_path(portal.call(inst, "load")) == "/tickets"
        assert inst.category_options == []


# --- comments and status --------------------------------------------------------------------------


def test_comment_with_a_status_change_is_one_step(portal: Portal):
    number = portal.tickets().open
    inst = _detail(portal, "acme_user")
    assert inst.status_code == "in_progress"
    assert {t["value"] for t in inst.transitions} == {"waiting_support", "closed"}
    comments_before = len(_comments(number))
    portal.call(inst, "set_change_status", True)
    portal.call(inst, "add_comment", {"comment": "Still jams after the update", "new_status": "waiting_support"})
    assert not inst.errors, inst.errors
    assert _ticket(number).status == "waiting_support"
    rows = _comments(number)
    assert len(rows) == comments_before + 1
    assert (rows[-1].body, rows[-1].old_status, rows[-1].new_status) == (
        "Still jams after the update", "in_progress", "waiting_support")
    with session_scope() as s:
        change = s.exec(select(TicketChange).where(TicketChange.field == "status")
                        .order_by(TicketChange.id.desc())).first()
        assert (change.old_value, change.new_value) == ("in_progress", "waiting_support")
    # the page shows it at once, and the form is reset
    assert inst.status_code == "waiting_support" and inst.notice
    assert inst.comments[0]["body"] == "Still jams after the update" and inst.comments[0]["status_line"]
    assert not inst.change_status and inst.draft == ""


def test_a_status_changed_by_the_other_side_takes_back_this_tabs_status_notice(portal: Portal):
    number = portal.tickets().open
    staff = portal.state(TicketDetailState, "staff", url=f"/admin/tickets/{number}")
    portal.call(staff, "load_staff")
    portal.call(staff, "set_change_status", True)
    portal.call(staff, "add_comment", {"comment": "Please try the new driver", "new_status": "waiting_customer"})
    assert staff.notice == "Status changed to Waiting for customer."
    customer = _detail(portal, "acme_user")
    portal.call(customer, "add_comment", {"comment": "Tried it, still jams"})  # back to "Waiting for support"
    portal.call(staff, "tick")
    assert staff.status_code == "waiting_support" and staff.notice == ""
    portal.call(staff, "tick")  # nothing moved since: nothing said
    assert staff.notice == ""


def test_a_refused_file_is_no_longer_said_once_the_comment_is_sent(portal: Portal, monkeypatch):
    monkeypatch.setattr(attachments, "settings", dataclasses.replace(settings, upload_max_bytes=5000))
    inst = _detail(portal, "acme_user")
    portal.call(inst, "stage_files", UploadFiles([("huge.iso", b"x" * 12000)]))
    assert "huge.iso" in inst.upload_error
    portal.call(inst, "add_comment", {"comment": "Sent without it"})
    assert inst.notice == "Comment added." and inst.upload_error == ""


def test_the_home_page_follows_a_ticket_moved_to_the_customer_without_reload(portal: Portal):
    number = portal.tickets().open
    home = portal.state(HomeState, "acme_user", url="/")
    portal.call(home, "load")
    assert number not in [t["number"] for t in home.awaiting]
    portal.call(home, "tick", "")  # nothing moved: the same
    staff = portal.state(TicketDetailState, "staff", url=f"/admin/tickets/{number}")
    portal.call(staff, "load_staff")
    portal.call(staff, "set_change_status", True)
    portal.call(staff, "add_comment", {"comment": "Which model is it?", "new_status": "waiting_customer"})
    portal.call(home, "tick", "")
    assert number in [t["number"] for t in home.awaiting]


def test_the_status_chosen_in_the_comment_form_is_known_to_the_page(portal: Portal):
    """The page asks first when the comment form's status says Closed: it follows the menu, never a
    status the ticket cannot move to."""
    inst = _detail(portal, "acme_user")
    assert inst.status_choice == inst.transitions[0]["value"]
    portal.call(inst, "choose_status", "closed")
    assert inst.status_choice == "closed"
    for bad in ("resolved", "no-such", 3, None):
        portal.call(inst, "choose_status", bad)
        assert inst.status_choice == "closed"
    portal.call(inst, "set_change_status", True)
    portal.call(inst, "add_comment", {"comment": "Solved, thanks", "new_status": inst.status_choice})
    assert not inst.errors and inst.status_code == "closed"
    assert inst.status_choice in [t["value"] for t in inst.transitions] or inst.status_choice == ""


def test_the_next_person_signed_in_on_the_tab_starts_from_the_first_status_and_their_own_drafts(portal: Portal):
    """A customer chose "Closed" and left the tab (signed out elsewhere); support signs in on the same
    tab: the comment form offers support's first status, not the customer's choice, and the browser's
    drafts are kept under another owner (assets/comment_draft.js)."""
    inst = _detail(portal, "acme_admin")
    portal.call(inst, "choose_status", "closed")
    customers_owner = inst.draft_owner
    assert inst.status_choice == "closed" and customers_owner
    number = inst.number
    portal.connect(inst, portal.token("staff"), url=f"/admin/tickets/{number}")
    portal.call(inst, "load_staff")
    assert inst.found and inst.status_choice == inst.transitions[0]["value"] != "closed"
    assert inst.draft_owner and inst.draft_owner != customers_owner
    portal.connect(inst, "", url=f"/admin/tickets/{number}")  # signed out: no owner, no drafts kept
    portal.call(inst, "load_staff")
    assert not inst.found and inst.draft_owner == ""


def test_a_refused_status_change_changes_nothing_and_keeps_the_comment(portal: Portal):
    number = portal.tickets().open
    inst = _detail(portal, "acme_user")
    portal.call(inst, "set_change_status", True)
    before = portal.snapshot()
    key = inst.form_key
    portal.call(inst, "add_comment", {"comment": "Please mark it solved", "new_status": "resolved"})
    assert "new_status" in inst.errors
    assert portal.snapshot() == before and _ticket(number).status == "in_progress"
    assert inst.draft == "Please mark it solved" and inst.form_key == key + 1
    assert inst.change_status  # the box stays ticked, to pick another status


def test_a_status_in_the_form_is_ignored_unless_the_box_is_ticked(portal: Portal):
    number = portal.tickets().open
    inst = _detail(portal, "acme_user")
    portal.call(inst, "add_comment", {"comment": "Just a note", "new_status": "closed"})
    assert not inst.errors and _ticket(number).status == "in_progress"
    assert _comments(number)[-1].body == "Just a note" and _comments(number)[-1].new_status == ""


def test_a_closed_ticket_takes_no_comment(portal: Portal):
    inst = _detail(portal, "acme_user", portal.tickets().closed)
    assert inst.closed and not inst.can_comment
    before = portal.snapshot()
    portal.call(inst, "add_comment", {"comment": "Hello?"})
    assert inst.errors and portal.snapshot() == before and inst.draft == "Hello?"


def test_internal_notes_never_reach_customers(portal: Portal):
    t = portal.tickets()
    staff = _detail(portal, "staff", staff=True)
    assert [c["body"] for c in staff.comments if c["internal"]] == ["WOMBAT internal note"]
    assert "wombat-internal.txt" in {f["name"] for c in staff.comments for f in c["files"]}
    for who in ("acme_user", "acme_admin"):
        inst = _detail(portal, who)
        bodies = [c["body"] for c in inst.comments]
        assert "BADGER staff reply" in bodies and "MARMOT customer comment" in bodies
        assert not any(c["internal"] for c in inst.comments)
        assert [f["name"] for f in inst.files] == ["acme-payroll-2026.xlsx"]
        portal.assert_no_markers(inst, INTERNAL_PRIVATE)
        assert not inst.can_internal
    # a note written while the customer has the page open does not come in with the refresh
    customer = _detail(portal, "acme_user")
    portal.call(staff, "add_comment", {"comment": "WOMBAT second note", "internal": "on"})
    assert not staff.errors and staff.comments[0]["internal"]
    portal.call(customer, "tick")
    portal.assert_no_markers(customer, INTERNAL_PRIVATE)
    # nor for the collaborator the ticket is then assigned to
    portal.call(staff, "assign", str(portal.account_id("partner@partner.example.com")))
    assert not staff.errors
    partner = _detail(portal, "partner", t.open)
    assert "BADGER staff reply" in [c["body"] for c in partner.comments]
    portal.assert_no_markers(partner, INTERNAL_PRIVATE)
    # and a search cannot find them
    found = _list(portal, "acme_admin", "/tickets?q=wombat")
    assert found.rows == []
    assert [r["number"] for r in _list(portal, "acme_admin", "/tickets?q=badger").rows] == [t.open]


def test_an_internal_note_refused_once_stays_internal(portal: Portal):
    """The form is drawn again after a refusal (and after a change of category): the "Internal note"
    tick comes back as it was, so correcting what was refused never publishes the note."""
    staff = _detail(portal, "staff", staff=True)
    portal.call(staff, "set_internal_note", True)
    portal.call(staff, "set_change_status", True)
    portal.call(staff, "add_comment", {"comment": "OCELOT internal only", "internal": "on",
                                       "new_status": staff.transitions[0]["value"]})
    assert staff.errors and staff.internal_note and staff.draft == "OCELOT internal only"
    portal.call(staff, "set_change_status", False)  # what the message says to do
    portal.call(staff, "add_comment", {"comment": "OCELOT internal only", "internal": "on" if staff.internal_note else ""})
    assert not staff.errors and staff.comments[0]["body"] == "OCELOT internal only" and staff.comments[0]["internal"]
    assert not staff.internal_note  # sent: the next comment starts public again
    customer = _detail(portal, "acme_user")
    assert "OCELOT internal only" not in [c["body"] for c in customer.comments]


def test_a_customer_cannot_sneak_an_internal_note(portal: Portal):
    inst = _detail(portal, "acme_user")
    inst.can_internal = True  # forged: the service must refuse whatever the state holds
    before = portal.snapshot()
    portal.call(inst, "add_comment", {"comment": "I am staff now", "internal": "on"})
    assert inst.errors and portal.snapshot() == before


def test_company_admin_follows_a_ticket(portal: Portal):
    inst = _detail(portal, "acme_admin")
    assert inst.can_follow and not inst.following
    portal.call(inst, "set_following", True)
    assert not inst.errors and inst.following
    with session_scope() as s:
        assert s.exec(select(TicketFollower).where(
            TicketFollower.account_id == portal.account_id("admin@acme.example.com"))).first() is not None
    portal.call(inst, "set_following", False)
    assert not inst.errors and not inst.following


def test_staff_assigns(portal: Portal):
    inst = _detail(portal, "staff", staff=True)
    partner = portal.account_id("partner@partner.example.com")
    assert str(partner) in {o["value"] for o in inst.assignee_options}
    portal.call(inst, "assign", str(partner))
    assert not inst.errors and inst.assignee_id == str(partner)
    assert _ticket(portal.tickets().open).assignee_id == partner
    portal.call(inst, "assign", "")
    assert not inst.errors and _ticket(portal.tickets().open).assignee_id is None
    with session_scope() as s:  # a customer account cannot be given a ticket
        customer = s.exec(select(Account.id).where(Account.email == "user@acme.example.com")).one()
    before = portal.snapshot()
    portal.call(inst, "assign", str(customer))
    assert inst.errors and portal.snapshot() == before


def test_staff_changes_category_severity_and_priority(portal: Portal):
    number = portal.tickets().open
    inst = _detail(portal, "staff", staff=True)
    ticket = _ticket(number)
    assert inst.seen_fields == {"category": ticket.category, "severity": str(ticket.severity),
                                "priority": ticket.priority}
    assert {o["value"] for o in inst.category_options} == {"support", "bug", "work_order"}
    assert {o["value"] for o in inst.severity_options} == {"1", "2", "3", "4", "10"}
    assert {o["value"] for o in inst.priority_options} == {"low", "normal", "high", "urgent"}
    key = inst.form_key
    form = {"category": "bug", "severity": "2", "priority": "urgent",
            **{f"seen_{k}": v for k, v in inst.seen_fields.items()}}
    portal.call(inst, "change_fields", form)
    assert not inst.errors and inst.notice == inst._t("ticket.fields_changed")
    row = _ticket(number)
    assert (row.category, row.severity, row.priority) == ("bug", 2, "urgent")
    assert inst.seen_fields == {"category": "bug", "severity": "2", "priority": "urgent"}
    assert inst.form_key > key
    whats = [h["what"] for h in inst.history]
    assert inst._t("ticket.history.priority", old=inst._t("ticket.priority.normal"),
                   new=inst._t("ticket.priority.urgent")) in whats
    assert inst._t("ticket.history.severity", old=inst._t("ticket.severity.10"),
                   new=inst._t("ticket.severity.2")) in whats
    # a bad value: a message on its field, nothing written
    before = portal.snapshot()
    portal.call(inst, "change_fields", {**form, "severity": "10", "priority": "low",
                                        **{f"seen_{k}": v for k, v in inst.seen_fields.items()}})
    assert set(inst.errors) == {"severity"} and portal.snapshot() == before


def _history_count(number: int) -> int:
    with session_scope() as s:
        ticket_id = s.exec(select(Ticket.id).where(Ticket.number == number)).one()
        return len(s.exec(select(TicketChange).where(TicketChange.ticket_id == ticket_id)).all())


def test_two_staff_tabs_reclassify_the_second_is_refused_and_sees_the_current_values(portal: Portal):
    number = portal.tickets().open
    first, second = _detail(portal, "staff", staff=True), _detail(portal, "staff", staff=True)
    seen = {f"seen_{k}": v for k, v in first.seen_fields.items()}
    portal.call(first, "change_fields", {"category": "work_order", "severity": "", "priority": "high", **seen})
    assert not first.errors and _ticket(number).category == "work_order"
    before = portal.snapshot()
    portal.call(second, "change_fields", {"category": "support", "severity": "", "priority": "low", **seen})
    assert second.errors == {"fields": second._t("error.fields_changed_meanwhile")}
    assert portal.snapshot() == before
    assert second.seen_fields["category"] == "work_order"  # the page shows the values as they are now


def test_a_reclassification_seen_live_says_which_menus_changed(portal: Portal):
    """A second staff tab's tick brings another's change: the page says which fields changed and to
    what (their menus are drawn again; the others keep the tab's unsaved choice); a customer's page
    and a tick that changes nothing of them say nothing."""
    number = portal.tickets().open
    first, second = _detail(portal, "staff", staff=True), _detail(portal, "staff", staff=True)
    customer = _detail(portal, "acme_user")
    seen = {f"seen_{k}": v for k, v in first.seen_fields.items()}
    portal.call(first, "change_fields", {"category": first.seen_fields["category"], "severity": "",
                                         "priority": "urgent", **seen})
    assert not first.errors and _ticket(number).priority == "urgent"
    portal.call(second, "tick")
    t = second._t
    assert second.notice == t("ticket.fields_changed_meanwhile",
                              changes=f"{t('tickets.col.priority')}: {t('ticket.priority.urgent')}")
    assert second.seen_fields["priority"] == "urgent"
    portal.call(customer, "tick")
    assert customer.notice == "" and customer.seen_fields == {}
    # a comment moves the ticket but none of its fields: no word of them
    portal.call(first, "add_comment", {"comment": "Looking into it"})
    second.notice = ""
    portal.call(second, "tick")
    assert second.comments[0]["body"] == "Looking into it" and second.notice == ""


def test_the_same_reclassification_sent_twice_saves_once_and_says_saved(portal: Portal):
    """A double click: the second sending carries the values the form was drawn with, which the
    first has changed; it asks for what the ticket has now, so it is done, not "changed meanwhile"."""
    number = portal.tickets().open
    inst = _detail(portal, "staff", staff=True)
    form = {"category": "work_order", "severity": "", "priority": "urgent",
            **{f"seen_{k}": v for k, v in inst.seen_fields.items()}}
    portal.call(inst, "change_fields", form)
    history = _history_count(number)
    portal.call(inst, "change_fields", form)
    assert inst.errors == {} and inst.notice == inst._t("ticket.fields_changed") and not inst.fields_busy
    assert _ticket(number).priority == "urgent" and _history_count(number) == history


def test_customers_cannot_reclassify(portal: Portal):
    number = portal.tickets().open
    inst = _detail(portal, "acme_user")
    assert inst.category_options == [] and inst.seen_fields == {}
    before = portal.snapshot()
    portal.call(inst, "change_fields", {"category": "bug", "severity": "1", "priority": "urgent",
                                        "seen_category": "support", "seen_severity": "10",
                                        "seen_priority": "normal"})
    assert inst.errors and portal.snapshot() == before
    assert _ticket(number).priority != "urgent"


def test_two_staff_tabs_change_the_status_the_second_is_refused_and_sees_the_current_one(portal: Portal):
    """Both tabs show "in progress"; the first resolves; the second's change, made on what it saw, is
    refused with a message, writes nothing, and its page now shows "resolved" next to the message."""
    number = portal.tickets().open
    first, second = _detail(portal, "staff", staff=True), _detail(portal, "staff", staff=True)
    assert first.status_code == second.status_code == "in_progress"
    portal.call(first, "set_change_status", True)
    portal.call(first, "add_comment", {"comment": "", "new_status": "resolved", "seen_status": "in_progress"})
    assert not first.errors and _ticket(number).status == "resolved"
    before = portal.snapshot()
    portal.call(second, "set_change_status", True)
    key = second.form_key
    portal.call(second, "add_comment", {"comment": "Waiting for your logs", "new_status": "waiting_customer",
                                        "seen_status": "in_progress"})
    assert second.errors == {"new_status": second._t("error.changed_meanwhile")}
    assert "meanwhile" in second.errors["new_status"] and "current status" in second.errors["new_status"]
    assert portal.snapshot() == before and _ticket(number).status == "resolved"
    # the page reloaded the ticket: the current status is shown, what was typed is kept
    assert second.status_code == "resolved"
    assert second.fields[0]["value"] == second._t("ticket.status.resolved")
    assert second.draft == "Waiting for your logs" and second.form_key == key + 1
    # and from there the same change goes through
    portal.call(second, "add_comment", {"comment": "Waiting for your logs", "new_status": "waiting_customer",
                                        "seen_status": second.status_code})
    assert not second.errors and _ticket(number).status == "waiting_customer"


def test_a_form_without_the_seen_status_is_checked_against_what_the_page_showed(portal: Portal):
    number = portal.tickets().open
    first, second = _detail(portal, "staff", staff=True), _detail(portal, "staff", staff=True)
    portal.call(first, "set_change_status", True)
    portal.call(first, "add_comment", {"new_status": "resolved"})
    assert _ticket(number).status == "resolved"
    portal.call(second, "set_change_status", True)
    portal.call(second, "add_comment", {"new_status": "waiting_customer"})
    assert set(second.errors) == {"new_status"} and _ticket(number).status == "resolved"


def test_two_staff_tabs_assign_the_second_is_refused_and_sees_the_current_assignee(portal: Portal):
    number = portal.tickets().open
    first, second = _detail(portal, "staff", staff=True), _detail(portal, "staff", staff=True)
    partner, staff = portal.account_id("partner@partner.example.com"), portal.account_id("staff@example.com")
    portal.call(first, "assign", str(partner), "")
    assert not first.errors and _ticket(number).assignee_id == partner
    before = portal.snapshot()
    portal.call(second, "assign", str(staff), "")  # what the second tab's select showed: nobody
    assert second.errors == {"assignee": second._t("error.assignee_changed_meanwhile")}
    assert portal.snapshot() == before
    assert second.assignee_id == str(partner)  # the page shows who has it now
    portal.call(second, "assign", str(staff), second.assignee_id)
    assert not second.errors and _ticket(number).assignee_id == staff
    # an old client that sends no seen assignee is checked against what the page last showed
    portal.call(first, "assign", "")
    assert set(first.errors) == {"assignee"} and _ticket(number).assignee_id == staff


# --- the list: filters are URLs -------------------------------------------------------------------


def _click(portal: Portal, inst: TicketListState, handler: str, *args: Any) -> str:
    """A filter, sort or page click on a shown list: the view is shown in the same event (no
    navigation) and its address is handed to the page's `url_sync`."""
    assert redirect_path(portal.call(inst, handler, *args)) is None
    return inst.view_url


def test_toggle_status_shows_the_new_filter_at_its_own_address(portal: Portal):
    portal.tickets()
    inst = _list(portal, "acme_admin", "/tickets?category=Bug&q=zebra&page=1")
    assert inst.view_url == ""  # a page loaded from its address: the address bar already says it
    query = _query(_click(portal, inst, "toggle_status", "new"))
    assert query == {"status": ["New"], "category": ["Bug"], "q": ["zebra"]} and inst.sel_status == ["new"]
    # a second toggle adds to the filter, a third removes it again
    path = _click(portal, inst, "toggle_status", "in_progress")
    assert urlsplit(path).path == "/tickets"
    both = _query(path)["status"]
    assert len(both) == 1 and set(both[0].split(",")) == {"New", "In progress"}
    assert inst.sel_status == ["in_progress", "new"]
    assert _query(_click(portal, inst, "toggle_status", "new"))["status"] == ["In progress"]
    assert inst.sel_status == ["in_progress"]
    assert "status" not in _query(_click(portal, inst, "toggle_status", "in_progress"))
    assert inst.sel_status == []
    # the address a click shows opens the same view in a new tab
    again = _list(portal, "acme_admin", inst.view_url)
    assert again.rows == inst.rows and again.sel_status == inst.sel_status and again.total == inst.total


def test_the_phones_sort_menu_sorts_either_way_and_says_the_sort_shown(portal: Portal):
    t = portal.tickets()
    inst = _list(portal, "acme_admin")
    assert inst.sort_value == "-updated"  # the default
    assert _query(_click(portal, inst, "set_sort", "title")) == {"sort": ["title"]} and inst.sort_value == "title"
    titles = [r["title"] for r in inst.rows]
    assert titles == sorted(titles, key=str.lower)
    assert _query(_click(portal, inst, "set_sort", "-number")) == {"sort": ["-number"]}
    assert [r["number"] for r in inst.rows] == sorted((t.open, t.closed), reverse=True)
    assert _click(portal, inst, "set_sort", "-updated") == "/tickets" and inst.sort_value == "-updated"
    for bad in ("password", "-", "--title", "", None, 5):
        assert portal.call(inst, "set_sort", bad) is None and inst.sort_value == "-updated"


def test_the_list_shows_the_filtered_tickets(portal: Portal):
    t = portal.tickets()
    everything = _list(portal, "acme_admin")
    assert {r["number"] for r in everything.rows} == {t.open, t.closed}
    assert {r["number"] for r in _list(portal, "acme_admin", "/tickets?status=Closed").rows} == {t.closed}
    assert {r["number"] for r in _list(portal, "acme_admin", "/tickets?q=narwhal").rows} == {t.closed}
    # a basic contact sees only what it opened
    assert _list(portal, "acme_basic").rows == []
    # a search, a sort and clearing show their views at once
    assert _query(_click(portal, everything, "search", {"q": " narwhal "})) == {"q": ["narwhal"]}
    assert {r["number"] for r in everything.rows} == {t.closed} and everything.filtered
    assert _query(_click(portal, everything, "sort_by", "title")) == {"q": ["narwhal"], "sort": ["title"]}
    assert _click(portal, everything, "clear") == "/tickets"
    assert {r["number"] for r in everything.rows} == {t.open, t.closed} and not everything.filtered
    assert _click(portal, everything, "go_to_page", 2) == "/tickets"  # there is one page: nothing happens


def test_a_click_on_a_list_not_shown_or_no_longer_allowed_navigates_for_the_guard(portal: Portal):
    """The click checks who may see the list again; where it cannot show the view (no list in this
    tab, the session gone, the module switched off since) the browser goes to the address and the
    page's on_load guards it, as before."""
    portal.tickets()
    fresh = portal.state(TicketListState, "acme_admin", url="/tickets")
    assert _query(redirect_path(portal.call(fresh, "toggle_status", "new"))) == {"status": ["New"]}
    assert fresh.rows == [] and fresh.view_url == ""
    shown = _list(portal, "acme_admin")
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=portal.actor("staff"), module="tickets", enabled=False)
    assert _query(redirect_path(portal.call(shown, "toggle_status", "new"))) == {"status": ["New"]}
    assert shown.view_url == "" and shown.sel_status == []
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=portal.actor("staff"), module="tickets", enabled=True)
        auth.logout(session=s, token=portal.token("acme_admin"))
    assert _query(redirect_path(portal.call(shown, "toggle_status", "new"))) == {"status": ["New"]}
    assert shown.view_url == "" and shown.sel_status == []


def test_a_list_past_its_end_shows_its_last_page_at_its_own_address(portal: Portal):
    portal.tickets()
    inst = _list(portal, "acme_admin", "/tickets?category=Bug,Support&q=&page=99")
    assert inst.rows and inst.page == inst.pages == 1  # the last page, not an empty table
    assert _query(inst.moved_to) == {"category": ["Support,Bug"]}  # the filters kept (in order), the page gone
    result = portal.call(inst, "follow_page")
    assert _query(redirect_path(result)) == {"category": ["Support,Bug"]}
    assert dict((k._js_expr, getattr(v, "_var_value", None)) for k, v in result.args)["replace"] is True
    assert inst.moved_to == "" and portal.call(inst, "follow_page") is None  # once
    # a page that exists is left as it is; staff's list alike
    assert _list(portal, "acme_admin", "/tickets?category=Bug,Support").moved_to == ""
    staff = _list(portal, "staff", "/admin/tickets?page=99")
    last = "/admin/tickets" if staff.pages == 1 else f"/admin/tickets?page={staff.pages}"
    assert staff.rows and staff.page == staff.pages and staff.moved_to == last


def test_values_the_ticket_list_ignores_leave_its_address(portal: Portal):
    portal.tickets()
    inst = _list(portal, "acme_admin", "/tickets?page=-1&sort=foo&status=New&size=7")
    assert _query(inst.moved_to) == {"status": ["New"]}
    assert _query(redirect_path(portal.call(inst, "follow_page"))) == {"status": ["New"]}
    # the same view in another spelling is left as it is (the order of a comma list, a blank search)
    assert _list(portal, "acme_admin", "/tickets?status=New&q=").moved_to == ""
    staff = _list(portal, "staff", "/admin/tickets?assignee=nobody&mine=maybe")
    assert staff.moved_to == "/admin/tickets"


# --- only canonical numbers in URLs ----------------------------------------------------------------


def _fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def test_a_ticket_url_with_a_non_canonical_number_is_not_found(portal: Portal):
    number = str(portal.tickets().open)
    _detail(portal, "acme_user", int(number))  # the canonical URL works
    for spelling in (f"0{number}", f"00{number}", f"+{number}", f"{number}.0", f" {number}", _fullwidth(number),
                     "".join(f"%{b:02X}" for b in _fullwidth(number).encode())):
        for staff, who in ((False, "acme_user"), (True, "staff")):
            inst = portal.state(TicketDetailState, who, url=f"{'/admin' if staff else ''}/tickets/{spelling}")
            portal.call(inst, "load_staff" if staff else "load")
            assert not inst.found and inst.errors == {"page": inst._t("ticket.not_found")}, spelling
            assert inst.title == "" and inst.comments == []


def test_the_list_takes_only_canonical_numbers(portal: Portal):
    inst = _list(portal, "staff", "/admin/tickets")
    for size in ("050", " 50", "+50", _fullwidth("50")):
        assert portal.call(inst, "set_page_size", size) is None
    assert _query(_click(portal, inst, "set_page_size", "50")) == {"size": ["50"]}
    acme = str(portal.company_id("Acme Oy"))
    for company in (f"0{acme}", f"+{acme}", _fullwidth(acme)):
        assert portal.call(inst, "set_company", company) is None
        assert portal.call(inst, "set_assignee", company) is None
    assert _query(_click(portal, inst, "set_company", acme)) == {"size": ["50"], "company": [acme]}
    assert _list(portal, "staff", "/admin/tickets?page=01&size=050").page_size == "25"


def test_the_company_filter_suggests_says_no_match_and_closes(portal: Portal):
    inst = _list(portal, "staff", "/admin/tickets")
    portal.call(inst, "find_companies", "acm")
    assert [c["label"].split(" (")[0] for c in inst.company_matches] == ["Acme Oy"] and inst.company_searched == "acm"
    portal.call(inst, "find_companies", "no such name")
    assert inst.company_matches == [] and inst.company_searched == "no such name"  # "No company matches"
    portal.call(inst, "close_company_matches")  # Escape, or the focus leaving the box
    assert inst.company_matches == [] and inst.company_searched == ""
    portal.call(inst, "find_companies", "acm")
    portal.call(inst, "close_company_matches", "acm")
    assert inst.company_matches == [] and inst.company_searched == ""
    # the typing's last search (debounced) arriving after Escape opens nothing; typing on does
    portal.call(inst, "find_companies", "acm")
    assert inst.company_searched == "" and inst.company_matches == []
    portal.call(inst, "find_companies", "acme")
    assert inst.company_searched == "acme" and len(inst.company_matches) == 1
    # a customer gets no suggestions (the directory is staff's)
    own = _list(portal, "acme_user")
    portal.call(own, "find_companies", "glo")
    assert own.company_matches == [] and own.company_searched == ""


def test_a_collaborators_list_names_each_tickets_company(portal: Portal):
    t = portal.tickets()
    staff = _detail(portal, "staff", t.open, staff=True)
    portal.call(staff, "assign", str(portal.account_id("partner@partner.example.com")))
    assert not staff.errors
    partner = _list(portal, "partner")
    keys = [c["key"] for c in partner.columns]
    assert partner.company_column and "company" in keys and "assignee" not in keys  # tickets of many companies
    assert {r["company"] for r in partner.rows} == {"Acme Oy"} and {r["assignee"] for r in partner.rows} == {""}
    customer = _list(portal, "acme_user")  # a customer's are all their own company's
    assert not customer.company_column and "company" not in [c["key"] for c in customer.columns]
    assert {r["company"] for r in customer.rows} == {""}


def test_an_address_naming_no_company_says_so_in_the_filter(portal: Portal):
    portal.tickets()
    inst = _list(portal, "staff", "/admin/tickets?company=99999")
    assert inst.company_value == "99999" and inst.company_label == inst._t("tickets.company_unknown")
    assert inst.rows == [] and inst.total == 0
    for odd in ("abc", "-1", "0", "01"):  # not a company's number at all: the same, not ignored
        inst = _list(portal, "staff", f"/admin/tickets?company={odd}")
        assert inst.company_label == inst._t("tickets.company_unknown") and inst.total == 0, odd
    acme = portal.company_id("Acme Oy")
    inst = _list(portal, "staff", f"/admin/tickets?company={acme}")
    assert inst.company_label == "Acme Oy" and inst.total > 0


def test_a_new_ticket_continues_only_a_canonically_numbered_ticket(portal: Portal):
    closed = portal.tickets().closed
    for ref in (f"0{closed}", f"+{closed}", _fullwidth(str(closed))):
        inst = portal.state(NewTicketState, "acme_user", url=f"/tickets/new?ref={ref}")
        portal.call(inst, "load")
        assert inst.reference == 0 and inst.draft_title == ""


# --- live refresh ---------------------------------------------------------------------------------


def test_list_tick_reloads_only_after_a_change(portal: Portal, monkeypatch: Any):
    t = portal.tickets()
    inst = _list(portal, "acme_admin")
    calls = _count_calls(monkeypatch, "list_tickets", ticket_list)
    for _ in range(3):
        portal.call(inst, "tick", "2026-01-01T00:00:00")
    assert calls == []
    # another company's change is not this list's business
    with session_scope() as s:
        ticket_service.create_ticket(session=s, actor=portal.actor("globex_admin"),
                                     data={"title": "Globex thing", "description": "x", "category": "support"})
    portal.call(inst, "tick")
    assert calls == []
    # staff answers an Acme ticket in another browser
    staff = _detail(portal, "staff", staff=True)
    portal.call(staff, "set_change_status", True)
    portal.call(staff, "add_comment", {"comment": "Need the model number", "new_status": "waiting_customer"})
    assert not staff.errors
    portal.call(inst, "tick")
    assert len(calls) == 1
    assert [r["status"] for r in inst.rows if r["number"] == t.open] == ["Waiting for customer"]
    portal.call(inst, "tick")
    assert len(calls) == 1
    # a new ticket of the company appears
    with session_scope() as s:
        ticket_service.create_ticket(session=s, actor=portal.actor("acme_user"),
                                     data={"title": "Fresh one", "description": "y", "category": "support"})
    portal.call(inst, "tick")
    assert len(calls) == 2 and "Fresh one" in {r["title"] for r in inst.rows}


def test_list_tick_refreshes_the_view_shown_not_the_address_it_was_sent_from(portal: Portal):
    t = portal.tickets()
    inst = _list(portal, "acme_admin", url="/tickets?q=narwhal")
    shown = [r["number"] for r in inst.rows]
    assert 0 < inst.total < _list(portal, "acme_admin").total  # the search shows fewer than the whole list
    staff = _detail(portal, "staff", staff=True, number=t.open)  # a change, so the tick reloads
    portal.call(staff, "add_comment", {"comment": "Looking into it"})
    Portal.set_url(inst, "/tickets")  # the tick left while the browser was still at the list before the search
    portal.call(inst, "tick")
    assert [r["number"] for r in inst.rows] == shown and inst.q == "narwhal"


def test_list_tick_before_load_does_nothing(portal: Portal, monkeypatch: Any):
    inst = portal.state(TicketListState, "acme_admin", url="/tickets")
    calls = _count_calls(monkeypatch, "list_tickets", ticket_list)
    portal.call(inst, "tick")
    assert calls == [] and inst.rows == []


def test_a_ticket_created_while_the_list_was_read_shows_at_the_next_tick(portal: Portal, monkeypatch: Any):
    portal.tickets()
    real = ticket_list.list_tickets

    def read_while_a_ticket_is_created(**kwargs: Any) -> Any:
        page = real(**kwargs)
        with session_scope() as s:  # committed by someone else after the list's query, before its reply
            ticket_service.create_ticket(session=s, actor=portal.actor("acme_user"),
                                         data={"title": "Meanwhile", "description": "y", "category": "support"})
        return page

    monkeypatch.setattr(ticket_list, "list_tickets", read_while_a_ticket_is_created)
    inst = _list(portal, "acme_admin")
    monkeypatch.setattr(ticket_list, "list_tickets", real)
    assert "Meanwhile" not in {r["title"] for r in inst.rows}
    portal.call(inst, "tick")
    assert "Meanwhile" in {r["title"] for r in inst.rows}


def test_detail_tick_reloads_only_after_a_change(portal: Portal, monkeypatch: Any):
    t = portal.tickets()
    inst = _detail(portal, "acme_user")
    calls = _count_calls(monkeypatch, "get_ticket")
    for _ in range(3):
        portal.call(inst, "tick", "2026-01-01T00:00:00")
    assert calls == []
    # a change to another ticket does not reload this one
    other = _detail(portal, "staff", t.closed, staff=True)
    portal.call(other, "set_change_status", True)
    portal.call(other, "add_comment", {"comment": "Reopened", "new_status": "in_progress"})
    assert not other.errors
    calls.clear()
    portal.call(inst, "tick")
    assert calls == []
    # staff comments on this one
    staff = _detail(portal, "staff", staff=True)
    portal.call(staff, "add_comment", {"comment": "Try the new driver"})
    assert not staff.errors
    calls.clear()
    portal.call(inst, "tick")
    assert len(calls) == 1 and inst.comments[0]["body"] == "Try the new driver"
    portal.call(inst, "tick")
    assert len(calls) == 1


def test_a_comment_added_while_the_ticket_was_read_shows_at_the_next_tick(portal: Portal, monkeypatch: Any):
    t = portal.tickets()
    real = ticket_service.get_ticket

    def read_while_staff_comments(**kwargs: Any) -> Any:
        detail = real(**kwargs)
        with session_scope() as s:  # committed by staff after the page's read, before its reply
            ticket_service.add_comment(session=s, actor=portal.actor("staff"), number=t.open, body="Meanwhile")
        return detail

    monkeypatch.setattr(ticket_service, "get_ticket", read_while_staff_comments)
    inst = _detail(portal, "acme_user")
    monkeypatch.setattr(ticket_service, "get_ticket", real)
    assert "Meanwhile" not in {c["body"] for c in inst.comments}
    portal.call(inst, "tick")
    assert inst.comments[0]["body"] == "Meanwhile"


def test_detail_tick_after_losing_access_closes_the_page(portal: Portal, monkeypatch: Any):
    inst = _detail(portal, "partner", _assign_partner(portal))
    staff = _detail(portal, "staff", staff=True)
    portal.call(staff, "assign", "")
    portal.call(staff, "add_comment", {"comment": "OTTER after the unassignment"})
    portal.call(inst, "tick")
    assert not inst.found
    portal.assert_no_markers(inst, ("OTTER",))
    assert (inst.title, inst.description, inst.comments, inst.files, inst.history) == ("", "", [], [], [])
    calls = _count_calls(monkeypatch, "get_ticket")
    portal.call(inst, "tick")
    assert calls == []


def _assign_partner(portal: Portal) -> int:
    number = portal.tickets().open
    with session_scope() as s:
        ticket_service.assign(session=s, actor=portal.actor("staff"), number=number,
                              assignee_id=portal.account_id("partner@partner.example.com"))
    return number


def test_the_list_pages_guard_themselves_in_one_event(portal: Portal):
    """/tickets and /admin/tickets run one on_load handler (not guard, load, page_loaded): it signs
    out, sends away and shows the shell exactly as the guard did."""
    import portal_app.pages  # noqa: F401 - registers the pages
    from portal_app.components.shell import PAGES

    for route in ("/tickets", "/admin/tickets"):
        assert len(next(spec for spec in PAGES if spec.route == route).on_load) == 1
    visitor = portal.state(TicketListState, None, url="/tickets?status=New")
    assert redirect_path(portal.call(visitor, "load")).startswith("/login?next=%2Ftickets%3Fstatus%3DNew")
    assert not visitor.rows and not visitor.signed_in
    customer = portal.state(TicketListState, "acme_user", url="/admin/tickets")
    assert portal.call(customer, "load_staff") is None and customer.unavailable and customer.staff_only
    assert not customer.rows and not customer.loaded and customer.ready_for == "/admin/tickets"  # said in place
    admin = portal.state(TicketListState, "acme_admin", url="/tickets")
    assert portal.call(admin, "load") is None
    assert admin.loaded and admin.signed_in and admin.nav_items and admin.ready_for == "/tickets"


def test_a_search_of_only_symbols_says_it_looked_for_no_word(portal: Portal):
    portal.tickets()
    inst = _list(portal, "acme_admin", "/tickets")
    everything = inst.total
    _click(portal, inst, "search", {"q": "😀 !!!"})
    assert inst.total == everything and inst.q == "😀 !!!"
    assert inst.search_note == "“😀 !!!” has no word or number to search for, so every ticket is shown."
    _click(portal, inst, "search", {"q": "zebra"})
    assert inst.search_note == "" and inst.total < everything
    assert _list(portal, "acme_admin", "/tickets?q=%25%25").search_note.startswith("“%%” has no word")


def test_a_one_letter_prefix_says_it_is_searched_as_a_word(portal: Portal):
    portal.tickets()
    inst = _list(portal, "acme_admin", "/tickets")
    _click(portal, inst, "search", {"q": "p* printer"})
    assert inst.search_note == ("“p*”: a word ending in * needs at least two letters to find the words it begins, "
                                "so it is searched as it is.")
    _click(portal, inst, "search", {"q": "pr*"})
    assert inst.search_note == ""
