"""Staff re-classifies a ticket: category, severity and priority on the ticket page.

- staff only (customers and collaborators are refused, whatever they may see);
- every changed field is a line of the history (TicketChange), like a status change;
- the severity rule of a new ticket holds: severity 1..4 for a Bug, otherwise 10 (Not in SLA);
- a bad value is refused with a message on that field, and nothing is written;
- the values the user saw travel with the change: if someone changed them meanwhile, it is refused;
- the ticket's live counters move, so open pages reload.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal_app.models import NOT_IN_SLA, TicketChange
from portal_app.services import live
from portal_app.services.tickets import ticket_list
from portal_app.services.tickets import core as tickets
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.services.tickets.ticket_list import parse_filters

from demo_people import ADMIN, PARTNER, STAFF, USER


def seen_of(ticket) -> dict:
    return {"category": ticket.category, "severity": str(ticket.severity), "priority": ticket.priority}


def classify(demo, number, email=STAFF, seen=None, **data):
    row = demo.ticket_row(number)
    return tickets.change_fields(session=demo.session, actor=demo.actor(email), number=number,
                                 data={**seen_of(row), **data}, seen=seen_of(row) if seen is None else seen)


def history_of(demo, ticket_id):
    demo.session.expire_all()
    return [(h.field, h.old_value, h.new_value) for h in demo.session.exec(
        select(TicketChange).where(TicketChange.ticket_id == ticket_id).order_by(TicketChange.id)).all()]


def test_staff_changes_category_severity_and_priority_and_each_is_in_the_history(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)  # support, 10, normal
    before = live.versions(live.ticket_key(ticket.number), live.company_key(ticket.company_id), live.ALL_TICKETS)
    changed = classify(demo, ticket.number, category="bug", severity="2", priority="urgent")
    row = demo.ticket_row(ticket.number)
    assert (changed.category, changed.severity, changed.priority) == ("bug", 2, "urgent")
    assert (row.category, row.severity, row.priority, row.priority_rank) == ("bug", 2, "urgent", 4)
    assert history_of(demo, ticket.id)[1:] == [("category", "support", "bug"), ("severity", "10", "2"),
                                               ("priority", "normal", "urgent")]
    after = live.versions(live.ticket_key(ticket.number), live.company_key(ticket.company_id), live.ALL_TICKETS)
    assert all(a > b for a, b in zip(after, before))
    # the list and its search tags follow
    page = ticket_list.list_tickets(session=demo.session, actor=demo.actor(STAFF),
                                    filters=parse_filters({"category": "bug", "priority": "urgent"}))
    assert [r.number for r in page.rows] == [ticket.number]
    detail = tickets.get_ticket(session=demo.session, actor=demo.actor(STAFF), number=ticket.number)
    assert [(h.field, h.old_value, h.new_value) for h in detail.history][0] == ("priority", "normal", "urgent")


def test_leaving_bug_makes_the_severity_not_in_sla(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, category="bug", severity="1")
    classify(demo, ticket.number, category="work_order", severity="3")  # whatever was sent
    row = demo.ticket_row(ticket.number)
    assert (row.category, row.severity) == ("work_order", NOT_IN_SLA)
    assert history_of(demo, ticket.id)[1:] == [("category", "bug", "work_order"), ("severity", "1", "10")]


def test_nothing_changed_writes_nothing(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    before = demo.committed_state()
    classify(demo, ticket.number)
    assert demo.committed_state() == before


@pytest.mark.parametrize(("data", "field"), [
    ({"category": "bug", "severity": "10"}, "severity"),  # a bug needs 1..4
    ({"category": "bug", "severity": ""}, "severity"),
    ({"category": "bug", "severity": "5"}, "severity"),
    ({"category": "Bug"}, "category"),
    ({"category": None}, "category"),
    ({"category": ["bug"]}, "category"),
    ({"priority": "URGENT"}, "priority"),
    ({"priority": ""}, "priority"),
    ({"priority": {"a": 1}}, "priority"),
])
def test_bad_values_are_refused_on_their_field(tickets_demo, data, field):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        classify(demo, ticket.number, **data)
    # a bug's severity says what it needs (1..4), also where the menu still shows "10 - Not in SLA"
    assert exc.value.fields == {field: ("error.bug_severity" if field == "severity" else "error.choose", {})}
    assert demo.committed_state() == before


@pytest.mark.parametrize("bad", [None, "x", [], {"category": "support"}])
def test_a_form_that_is_not_one_is_refused(tickets_demo, bad):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed):
        tickets.change_fields(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                              data=bad, seen=seen_of(ticket) if isinstance(bad, dict) else bad)
    assert demo.committed_state() == before


@pytest.mark.parametrize("field", ["category", "severity", "priority"])
def test_a_change_on_stale_values_is_refused(tickets_demo, field):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, category="bug", severity="3")
    seen = seen_of(ticket)
    # someone else changes one of them meanwhile
    classify(demo, ticket.number, **{"category": "bug", "severity": "1", "priority": "high"}
             if field != "category" else {"category": "support"})
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        classify(demo, ticket.number, seen=seen, priority="low")
    assert exc.value.fields == {"fields": ("error.fields_changed_meanwhile", {})}
    assert demo.committed_state() == before


@pytest.mark.parametrize("email", [USER, ADMIN, PARTNER])
def test_only_staff_may(tickets_demo, email):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, assignee=PARTNER)
    before = demo.committed_state()
    with pytest.raises((PermissionDenied, NotFound)):
        classify(demo, ticket.number, email=email, priority="urgent")
    assert demo.committed_state() == before


def test_an_unknown_ticket_is_not_found(tickets_demo):
    with pytest.raises(NotFound):
        tickets.change_fields(session=tickets_demo.session, actor=tickets_demo.actor(STAFF), number=99999,
                              data={"category": "support", "priority": "low"}, seen=None)
