"""Status transitions, closed tickets, internal notes, and a comment with a status change as one
transaction.

The transitions are defined once in ticket_rules (CUSTOMER_TRANSITIONS, SUPPORT_TRANSITIONS); every
pair (from, to) is tried for both sides: allowed ones succeed, every other target is refused with
{"new_status": "error.transition"} and changes nothing.
"""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, select

from portal_app.models import Attachment, PortalSettings, Ticket, TicketChange, TicketComment, TicketStatus
from portal_app.services.tickets import attachments, ticket_list, ticket_rules
from portal_app.services.tickets import core as tickets
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed

from demo_people import STAFF, USER, ADMIN, LIISA, PARTNER

S = TicketStatus

PAIRS = list(itertools.product(ticket_rules.STATUSES, repeat=2))
CUSTOMERS = (USER, ADMIN)  # the creator, and its company admin
SUPPORT = (STAFF, PARTNER)  # staff, and the assigned collaborator


def comments_of(demo, ticket_id):
    demo.session.expire_all()
    return demo.session.exec(select(TicketComment).where(TicketComment.ticket_id == ticket_id)
                             .order_by(TicketComment.id)).all()


def history_of(demo, ticket_id):
    demo.session.expire_all()
    return demo.session.exec(select(TicketChange).where(TicketChange.ticket_id == ticket_id)
                             .order_by(TicketChange.id)).all()


def set_customers_can_close(demo, value: bool) -> None:
    row = demo.session.exec(select(PortalSettings)).one()
    row.customers_can_close = value
    demo.session.add(row)
    demo.session.commit()


def refused_transition(demo, email, number, target, *, body="", seen_status=None,
                       key="error.transition") -> None:
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(email), number=number, body=body,
                            new_status=target, seen_status=seen_status)
    assert exc.value.fields == {"new_status": (key, {})}
    assert demo.committed_state() == before


def test_the_tables_cover_every_status():
    for table in (ticket_rules.CUSTOMER_TRANSITIONS, ticket_rules.SUPPORT_TRANSITIONS):
        assert set(table) == set(ticket_rules.STATUSES)
        for source, targets in table.items():
            assert source not in targets
            assert set(targets) <= set(ticket_rules.STATUSES)


def test_customers_never_move_into_support_states():
    """What customers may do, from the spec: answer (waiting for support), reopen a resolved ticket, close."""
    for targets in ticket_rules.CUSTOMER_TRANSITIONS.values():
        assert set(targets) <= {S.WAITING_SUPPORT, S.CLOSED}
    assert ticket_rules.CUSTOMER_TRANSITIONS[S.CLOSED] == ()
    assert ticket_rules.SUPPORT_TRANSITIONS[S.CLOSED] == (S.IN_PROGRESS,)


@pytest.mark.parametrize("email", CUSTOMERS + SUPPORT)
@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_transition(tickets_demo, email, source, target):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, assignee=PARTNER if email == PARTNER else None, status=source)
    table = ticket_rules.SUPPORT_TRANSITIONS if email in SUPPORT else ticket_rules.CUSTOMER_TRANSITIONS
    if target not in table[source]:
        refused_transition(demo, email, ticket.number, target)
        refused_transition(demo, email, ticket.number, target, body="with a comment too")
        assert demo.ticket_row(ticket.number).status == source
        return
    updated_before = demo.ticket_row(ticket.number).updated_at
    changed, _mails = tickets.add_comment(session=demo.session, actor=demo.actor(email), number=ticket.number,
                                          new_status=target)
    assert changed.status == target
    row = demo.ticket_row(ticket.number)
    assert row.status == target and row.updated_at > updated_before
    actor_id = demo.account(email).id
    assert [(c.author_id, c.body, c.old_status, c.new_status) for c in comments_of(demo, ticket.id)] == [
        (actor_id, "", source, target)]
    assert [(h.field, h.old_value, h.new_value, h.actor_id) for h in history_of(demo, ticket.id)][-1] == (
        "status", source, target, actor_id)
    detail = tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=ticket.number)
    assert detail.transitions == ticket_rules.allowed_transitions(
        support_side=email in SUPPORT, status=target, customers_can_close=True)


@pytest.mark.parametrize("source", ticket_rules.STATUSES)
def test_get_ticket_offers_exactly_the_allowed_transitions(tickets_demo, source):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, assignee=PARTNER, status=source)
    for email in CUSTOMERS + SUPPORT:
        detail = tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=ticket.number)
        table = ticket_rules.SUPPORT_TRANSITIONS if email in SUPPORT else ticket_rules.CUSTOMER_TRANSITIONS
        assert detail.transitions == table[source]
        assert detail.can_comment == (source != S.CLOSED)


@pytest.mark.parametrize("target", ["", None])
def test_no_status_means_no_change(tickets_demo, target):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number, body="hi",
                        new_status=target)
    assert demo.ticket_row(ticket.number).status == S.NEW
    assert [h.field for h in history_of(demo, ticket.id)] == ["created"]


@pytest.mark.parametrize("target", ["Closed", "CLOSED", "closed ", "bogus", 5, ["closed"], {"s": "closed"}, True])
def test_garbage_status_is_refused(tickets_demo, target):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    refused_transition(demo, STAFF, ticket.number, target, body="x")


# --- customers_can_close -----------------------------------------------------------------------------

@pytest.mark.parametrize("source", ticket_rules.STATUSES)
def test_customers_cannot_close_when_switched_off(tickets_demo, source):
    demo = tickets_demo
    set_customers_can_close(demo, False)
    ticket = demo.make_ticket(USER, status=source)
    for email in CUSTOMERS:
        detail = tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=ticket.number)
        assert S.CLOSED not in detail.transitions
        assert detail.transitions == tuple(t for t in ticket_rules.CUSTOMER_TRANSITIONS[source] if t != S.CLOSED)
        if source != S.CLOSED:
            refused_transition(demo, email, ticket.number, S.CLOSED, body="please close")
    if S.CLOSED in ticket_rules.SUPPORT_TRANSITIONS[source]:  # staff still may
        tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                            new_status=S.CLOSED)
        assert demo.ticket_row(ticket.number).status == S.CLOSED


def test_other_customer_transitions_stay_when_closing_is_off(tickets_demo):
    demo = tickets_demo
    set_customers_can_close(demo, False)
    ticket = demo.make_ticket(USER, status=S.RESOLVED)
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number, body="Not fixed",
                        new_status=S.WAITING_SUPPORT)
    assert demo.ticket_row(ticket.number).status == S.WAITING_SUPPORT


# --- closed tickets ----------------------------------------------------------------------------------

@pytest.mark.parametrize("email", CUSTOMERS)
def test_closed_ticket_refuses_customer_comments(tickets_demo, email):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.CLOSED)
    staged = demo.stage_file(email)
    before = demo.committed_state()
    for kwargs in ({"body": "one more thing"}, {"attachment_ids": [staged.id]},
                   {"body": "x", "attachment_ids": [staged.id]}):
        with pytest.raises(ValidationFailed) as exc:
            tickets.add_comment(session=demo.session, actor=demo.actor(email), number=ticket.number, **kwargs)
        assert exc.value.fields == {"comment": ("error.ticket_closed", {})}
    for target in ticket_rules.STATUSES:
        refused_transition(demo, email, ticket.number, target, body="reopen please")
    assert demo.committed_state() == before
    detail = tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=ticket.number)
    assert (detail.can_comment, detail.transitions) == (False, ())


def test_staff_reopens_a_closed_ticket_to_in_progress_then_customers_comment_again(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.CLOSED)
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, body="hm")
    assert exc.value.fields == {"comment": ("error.ticket_closed_support", {})}  # it says how to reopen it
    for target in set(ticket_rules.STATUSES) - {S.IN_PROGRESS}:
        refused_transition(demo, STAFF, ticket.number, target)
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                        body="Reopening", new_status=S.IN_PROGRESS)
    assert demo.ticket_row(ticket.number).status == S.IN_PROGRESS
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number, body="Thanks")
    assert [c.body for c in comments_of(demo, ticket.id)] == ["Reopening", "Thanks"]


def test_customer_reopens_a_resolved_ticket(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.RESOLVED)
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number,
                        body="Still broken", new_status=S.WAITING_SUPPORT)
    detail = tickets.get_ticket(session=demo.session, actor=demo.actor(USER), number=ticket.number)
    assert detail.ticket.status == S.WAITING_SUPPORT
    assert [(c.body, c.status_change) for c in detail.comments] == [
        ("Still broken", (S.RESOLVED, S.WAITING_SUPPORT))]
    assert [(h.field, h.old_value, h.new_value) for h in detail.history] == [
        ("status", S.RESOLVED, S.WAITING_SUPPORT), ("created", "", S.NEW)]


def test_the_status_after_a_comment_is_one_rule_as_data():
    assert ticket_rules.STATUS_AFTER_COMMENT == {(False, S.WAITING_CUSTOMER): S.WAITING_SUPPORT}
    for (support_side, source), target in ticket_rules.STATUS_AFTER_COMMENT.items():
        # the rule moves only where that side may move by hand
        assert target in ticket_rules.allowed_transitions(support_side=support_side, status=source,
                                                          customers_can_close=False)


@pytest.mark.parametrize("email", CUSTOMERS)
def test_a_customer_reply_hands_a_ticket_waiting_for_it_back_to_support(tickets_demo, email):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    changed, _mails = tickets.add_comment(session=demo.session, actor=demo.actor(email), number=ticket.number,
                                          body="Here is the log you asked for")
    assert changed.status == S.WAITING_SUPPORT == demo.ticket_row(ticket.number).status
    assert [(c.body, c.old_status, c.new_status) for c in comments_of(demo, ticket.id)] == [
        ("Here is the log you asked for", S.WAITING_CUSTOMER, S.WAITING_SUPPORT)]
    assert [(h.field, h.old_value, h.new_value, h.actor_id) for h in history_of(demo, ticket.id)][-1] == (
        "status", S.WAITING_CUSTOMER, S.WAITING_SUPPORT, demo.account(email).id)


def test_a_customer_reply_with_a_file_only_hands_it_back_too(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    staged = demo.stage_file(USER)
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number,
                        attachment_ids=[staged.id])
    assert demo.ticket_row(ticket.number).status == S.WAITING_SUPPORT


def test_a_customer_who_chooses_another_status_gets_that_one(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number,
                        body="Solved it myself", new_status=S.CLOSED)
    assert demo.ticket_row(ticket.number).status == S.CLOSED
    assert [(h.old_value, h.new_value) for h in history_of(demo, ticket.id) if h.field == "status"] == [
        (S.WAITING_CUSTOMER, S.CLOSED)]


@pytest.mark.parametrize(("email", "source"), [(STAFF, S.WAITING_CUSTOMER), (PARTNER, S.WAITING_CUSTOMER),
                                               (USER, S.IN_PROGRESS), (USER, S.NEW), (USER, S.RESOLVED),
                                               (USER, S.WAITING_SUPPORT)])
def test_other_comments_leave_the_status_alone(tickets_demo, email, source):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, assignee=PARTNER if email == PARTNER else None, status=source)
    tickets.add_comment(session=demo.session, actor=demo.actor(email), number=ticket.number, body="A note")
    assert demo.ticket_row(ticket.number).status == source
    assert "status" not in [h.field for h in history_of(demo, ticket.id)]


def test_an_internal_note_leaves_a_ticket_waiting_for_the_customer(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, body="Chase them",
                        internal=True)
    assert demo.ticket_row(ticket.number).status == S.WAITING_CUSTOMER


def test_an_internal_note_leaves_the_tickets_updated_time_as_it_was(tickets_demo):
    """The customer's list (sorted by "Updated") and page show nothing they cannot see; a reply does move it."""
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    updated = demo.ticket_row(ticket.number).updated_at
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, body="Staff only",
                        internal=True)
    assert demo.ticket_row(ticket.number).updated_at == updated
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, body="For you")
    assert demo.ticket_row(ticket.number).updated_at > updated


def test_empty_comment_without_status_is_refused(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    before = demo.committed_state()
    for body in ("", "   ", None):
        with pytest.raises(ValidationFailed) as exc:
            tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number, body=body)
        assert exc.value.fields == {"comment": ("error.required", {})}
    assert demo.committed_state() == before


def test_comments_are_listed_newest_first(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    for body in ("first", "second", "third"):
        tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number, body=body)
    detail = tickets.get_ticket(session=demo.session, actor=demo.actor(USER), number=ticket.number)
    assert [c.body for c in detail.comments] == ["third", "second", "first"]


# --- internal notes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("email", [USER, ADMIN, PARTNER])
def test_only_staff_writes_internal_notes(tickets_demo, email):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, assignee=PARTNER)
    before = demo.committed_state()
    with pytest.raises(PermissionDenied):
        tickets.add_comment(session=demo.session, actor=demo.actor(email), number=ticket.number,
                            body="psst", internal=True)
    assert demo.committed_state() == before


@pytest.mark.parametrize("flag", ["true", 1, "1", None, [True]])
def test_internal_flag_must_be_a_bool(tickets_demo, flag):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    with pytest.raises(PermissionDenied):
        tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, body="x",
                            internal=flag)


def test_internal_note_cannot_change_the_status(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, body="x",
                            internal=True, new_status=S.IN_PROGRESS)
    assert exc.value.fields == {"new_status": ("error.internal_status", {})}
    assert demo.committed_state() == before


@pytest.fixture
def noted(tickets_demo):
    """A ticket of user@acme assigned to the collaborator, with a public reply and an internal note
    that carries a file."""
    demo = tickets_demo
    ticket = demo.make_ticket(USER, "Invoice export", description="Export fails", assignee=PARTNER)
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                        body="We are looking at it")
    note_file = demo.stage_file(STAFF, "root-cause.txt", b"the customer misconfigured it")
    _, mails = tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                                   body="Customer zebracorn misconfigured", internal=True,
                                   attachment_ids=[note_file.id])
    demo.note_mails = mails
    demo.note_file = note_file
    return demo, ticket


def test_internal_note_is_shown_to_staff_only(noted):
    demo, ticket = noted
    staff = tickets.get_ticket(session=demo.session, actor=demo.actor(STAFF), number=ticket.number)
    assert [(c.body, c.internal) for c in staff.comments] == [
        ("Customer zebracorn misconfigured", True), ("We are looking at it", False)]
    assert [a.id for a in staff.attachments] == [demo.note_file.id]
    assert staff.can_internal
    for email in (USER, ADMIN, PARTNER):
        detail = tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=ticket.number)
        assert [(c.body, c.internal) for c in detail.comments] == [("We are looking at it", False)]
        assert detail.attachments == []
        assert not detail.can_internal
        with pytest.raises(NotFound):
            attachments.open_for_download(session=demo.session, actor=demo.actor(email),
                                          attachment_id=demo.note_file.id)
    assert attachments.open_for_download(session=demo.session, actor=demo.actor(STAFF),
                                         attachment_id=demo.note_file.id).file_name == "root-cause.txt"


def test_internal_note_is_never_mailed_outside_staff(noted):
    demo, _ticket = noted
    assert demo.note_mails == []  # assignee is the collaborator: not staff, so no copy of the note


def test_internal_note_is_mailed_to_a_staff_assignee_only(tickets_demo):
    from portal_app.services.accounts.auth import create_staff

    demo = tickets_demo
    create_staff(session=demo.session, email="second@example.com", full_name="Second Staff", password=demo.password)
    ticket = demo.make_ticket(USER, assignee="second@example.com")
    tickets.set_following(session=demo.session, actor=demo.actor(ADMIN), number=ticket.number, follow=True)
    _, mails = tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                                   body="zebracorn", internal=True)
    assert [m["to"] for m in mails] == ["second@example.com"]
    assert "zebracorn" in mails[0]["body"] and f"/admin/tickets/{ticket.number}" in mails[0]["body"]


@pytest.mark.parametrize("email", [USER, ADMIN, PARTNER, STAFF])
def test_internal_note_is_not_found_by_search(noted, email):
    demo, ticket = noted
    for q in ("zebracorn", "zebra", "misconfigured"):
        page = ticket_list.list_tickets(session=demo.session, actor=demo.actor(email),
                                    filters=ticket_list.TicketFilters(q=q))
        assert page.total == 0, (email, q)
    page = ticket_list.list_tickets(session=demo.session, actor=demo.actor(email),
                                filters=ticket_list.TicketFilters(q="looking"))
    assert [r.number for r in page.rows] == [ticket.number]


# --- one transaction ---------------------------------------------------------------------------------

def searched(demo, email, q):
    return [r.number for r in ticket_list.list_tickets(session=demo.session, actor=demo.actor(email),
                                                   filters=ticket_list.TicketFilters(q=q)).rows]


@pytest.mark.parametrize("email", [USER, STAFF])
def test_comment_with_status_change_and_a_foreign_file_saves_nothing(tickets_demo, email):
    """The staged file is checked after the comment row was inserted: all of it must roll back."""
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    foreign = demo.stage_file(LIISA, "liisa.txt", b"not yours")
    own = demo.stage_file(email, "own.txt", b"yours")
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(email), number=ticket.number,
                            body="quokkaword answer", new_status=S.WAITING_SUPPORT if email == USER else S.RESOLVED,
                            attachment_ids=[own.id, foreign.id])
    assert exc.value.fields == {"attachments": ("error.attachment_gone", {})}
    assert demo.committed_state() == before
    assert demo.ticket_row(ticket.number).status == S.WAITING_CUSTOMER
    assert comments_of(demo, ticket.id) == []
    assert [h.field for h in history_of(demo, ticket.id)] == ["created"]
    assert searched(demo, email, "quokkaword") == []
    assert demo.session.get(Attachment, own.id).ticket_id is None


@pytest.mark.parametrize("bad_ids", [["x"], [0], [-3], [True], [None], [999_999]])
def test_comment_with_garbage_file_ids_saves_nothing(tickets_demo, bad_ids):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number,
                            body="answer", new_status=S.WAITING_SUPPORT, attachment_ids=bad_ids)
    assert set(exc.value.fields) == {"attachments"}
    assert demo.committed_state() == before


def test_a_failed_index_update_saves_nothing(tickets_demo, monkeypatch):
    """Anything failing after the comment insert rolls the whole action back (here: the search index)."""
    from portal_app.services.tickets import ticket_search

    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    before = demo.committed_state()

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ticket_search, "index_comment", broken)
    with pytest.raises(RuntimeError):
        tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number,
                            body="answer", new_status=S.WAITING_SUPPORT)
    assert demo.committed_state() == before


def test_concurrent_status_change_wins_and_the_late_comment_saves_nothing(file_demo, file_engine, monkeypatch):
    """Staff resolves the ticket in another session between the customer's read and write."""
    demo = file_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    original_load = tickets._load
    raced = []

    def load_then_race(session, actor, number, **kwargs):
        found = original_load(session, actor, number, **kwargs)
        if not raced:
            raced.append(True)
            with Session(file_engine) as other:
                staff = build_staff_actor(other)
                tickets.add_comment(session=other, actor=staff, number=number, body="Fixed",
                                    new_status=S.RESOLVED)
        return found

    monkeypatch.setattr(tickets, "_load", load_then_race)
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number,
                            body="wombatword more details",
                            new_status=S.WAITING_SUPPORT)
    assert exc.value.fields == {"new_status": ("error.changed_meanwhile", {})}
    assert raced == [True]
    with Session(file_engine) as check:
        row = check.exec(select(Ticket).where(Ticket.number == ticket.number)).one()
        assert row.status == S.RESOLVED
        comments = check.exec(select(TicketComment).where(TicketComment.ticket_id == row.id)).all()
        assert [(c.body, c.new_status) for c in comments] == [("Fixed", S.RESOLVED)]
        changes = check.exec(select(TicketChange).where(TicketChange.ticket_id == row.id)
                             .order_by(TicketChange.id)).all()
        assert [(c.field, c.old_value, c.new_value) for c in changes] == [
            ("created", "", S.NEW), ("status", S.WAITING_CUSTOMER, S.RESOLVED)]
    monkeypatch.setattr(tickets, "_load", original_load)
    assert searched(demo, USER, "wombatword") == []
    # the customer, now seeing the resolved ticket, can answer from there
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number,
                        body="wombatword still broken", new_status=S.WAITING_SUPPORT)
    assert searched(demo, USER, "wombatword") == [ticket.number]


@pytest.mark.parametrize(("concurrent", "saved"), [(S.RESOLVED, True), (S.CLOSED, False)])
def test_plain_comment_survives_a_concurrent_status_change_but_not_a_close(file_demo, file_engine, monkeypatch,
                                                                           concurrent, saved):
    """A comment without a status change does not depend on the status, except that a ticket closed
    meanwhile takes no more comments."""
    demo = file_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    original_load = tickets._load

    def load_then_race(session, actor, number, **kwargs):
        found = original_load(session, actor, number, **kwargs)
        monkeypatch.setattr(tickets, "_load", original_load)
        with Session(file_engine) as other:
            tickets.add_comment(session=other, actor=build_staff_actor(other), number=number, body="Done",
                                new_status=concurrent)
        return found

    monkeypatch.setattr(tickets, "_load", load_then_race)
    call = lambda: tickets.add_comment(session=demo.session, actor=demo.actor(USER),  # noqa: E731
                                       number=ticket.number, body="wombatword more details")
    if saved:
        call()
    else:
        with pytest.raises(ValidationFailed) as exc:
            call()
        assert exc.value.fields == {"comment": ("error.ticket_closed", {})}
    with Session(file_engine) as check:
        row = check.exec(select(Ticket).where(Ticket.number == ticket.number)).one()
        assert row.status == concurrent
        bodies = [c.body for c in check.exec(select(TicketComment).where(TicketComment.ticket_id == row.id)).all()]
        assert ("wombatword more details" in bodies) is saved


def build_staff_actor(session):
    from portal_app.models import Account
    from portal_app.services.actor import build_actor

    return build_actor(session, session.exec(select(Account).where(Account.email == STAFF)).one())


@pytest.mark.parametrize("ids", ["7", "1,2", {"1": 1}, 3])
def test_attachment_ids_that_are_not_a_list_are_refused(tickets_demo, ids):
    """An empty body with a garbage file list must not slip through as an empty comment."""
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    demo.stage_file(USER)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number, body="",
                            attachment_ids=ids)
    assert set(exc.value.fields) == {"attachments"}
    assert demo.committed_state() == before


@pytest.mark.parametrize("ids", [None, "", (), []])
def test_no_attachment_ids_with_a_body(tickets_demo, ids):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number, body="hi",
                        attachment_ids=ids)
    assert [c.body for c in comments_of(demo, ticket.id)] == ["hi"]


# --- changes made on stale data: the status (and assignee) the user saw ---------------------------------

SECOND_STAFF = "second@example.com"


def second_staff(demo) -> str:
    from portal_app.services.accounts.auth import create_staff

    create_staff(session=demo.session, email=SECOND_STAFF, full_name="Second Staff", password=demo.password)
    return SECOND_STAFF


@pytest.mark.parametrize(("first", "second", "target"), [
    (STAFF, "second", S.WAITING_CUSTOMER),  # two staff tabs
    (STAFF, USER, S.CLOSED),  # staff resolves while the customer closes, both from "waiting for customer"
])
def test_a_status_change_made_on_a_stale_status_is_refused_and_writes_nothing(tickets_demo, first, second, target):
    """Both saw "waiting for customer"; the first resolves it; the second's change (allowed from either
    status) is refused, with its comment, instead of silently overriding the first."""
    demo = tickets_demo
    second = second_staff(demo) if second == "second" else second
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    tickets.add_comment(session=demo.session, actor=demo.actor(first), number=ticket.number, body="Fixed",
                        new_status=S.RESOLVED, seen_status=S.WAITING_CUSTOMER)
    assert demo.ticket_row(ticket.number).status == S.RESOLVED
    staged = demo.stage_file(second)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(second), number=ticket.number,
                            body="quokkaword my take", new_status=target, seen_status=S.WAITING_CUSTOMER,
                            attachment_ids=[staged.id])
    assert exc.value.fields == {"new_status": ("error.changed_meanwhile", {})}
    assert demo.committed_state() == before
    assert demo.ticket_row(ticket.number).status == S.RESOLVED
    assert [c.body for c in comments_of(demo, ticket.id)] == ["Fixed"]
    assert searched(demo, second, "quokkaword") == []
    # seeing the current status, the same change goes through
    tickets.add_comment(session=demo.session, actor=demo.actor(second), number=ticket.number,
                        body="quokkaword my take", new_status=target, seen_status=S.RESOLVED)
    assert demo.ticket_row(ticket.number).status == target


@pytest.mark.parametrize("seen", ["", "Waiting for customer", "WAITING_CUSTOMER", {"s": 1}, ["waiting_customer"], 5])
def test_a_seen_status_that_is_not_the_current_one_is_refused(tickets_demo, seen):
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    refused_transition(demo, STAFF, ticket.number, S.RESOLVED, seen_status=seen, key="error.changed_meanwhile")


def test_a_plain_comment_does_not_depend_on_the_seen_status(tickets_demo):
    """Only a status change is about the status; a comment on a ticket moved meanwhile is still welcome."""
    demo = tickets_demo
    ticket = demo.make_ticket(USER, status=S.RESOLVED)
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number, body="Thanks!",
                        seen_status=S.WAITING_CUSTOMER)
    assert [c.body for c in comments_of(demo, ticket.id)] == ["Thanks!"]


def test_an_assignment_made_on_a_stale_assignee_is_refused_and_writes_nothing(tickets_demo):
    demo = tickets_demo
    other = second_staff(demo)
    ticket = demo.make_ticket(USER)
    partner = demo.account(PARTNER).id
    tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, assignee_id=partner,
                   seen_assignee_id="")
    before = demo.committed_state()
    for chosen in (demo.account(other).id, ""):  # to someone else, or to nobody, both from "nobody"
        with pytest.raises(ValidationFailed) as exc:
            tickets.assign(session=demo.session, actor=demo.actor(other), number=ticket.number,
                           assignee_id=chosen, seen_assignee_id="")
        assert exc.value.fields == {"assignee": ("error.assignee_changed_meanwhile", {})}
        assert demo.committed_state() == before
    assert demo.ticket_row(ticket.number).assignee_id == partner
    # choosing what is already there is no conflict; seeing the current assignee, the change goes through
    assert tickets.assign(session=demo.session, actor=demo.actor(other), number=ticket.number,
                          assignee_id=partner, seen_assignee_id="")[1] == []
    tickets.assign(session=demo.session, actor=demo.actor(other), number=ticket.number, assignee_id="",
                   seen_assignee_id=str(partner))
    assert demo.ticket_row(ticket.number).assignee_id is None
    with pytest.raises(ValidationFailed) as exc:
        tickets.assign(session=demo.session, actor=demo.actor(other), number=ticket.number, assignee_id=partner,
                       seen_assignee_id={"id": 1})
    assert exc.value.fields == {"assignee": ("error.invalid", {})}


def test_concurrent_assignments_the_second_is_refused(file_demo, file_engine, monkeypatch):
    """Another staff member assigns the ticket between this one's read and write (no seen assignee
    given): the write applies only to the assignee it read, so it is refused, not silently stacked."""
    demo = file_demo
    ticket = demo.make_ticket(USER)
    partner = demo.account(PARTNER).id
    original_load = tickets._load

    def load_then_race(session, actor, number, **kwargs):
        found = original_load(session, actor, number, **kwargs)
        monkeypatch.setattr(tickets, "_load", original_load)
        with Session(file_engine) as other:
            tickets.assign(session=other, actor=build_staff_actor(other), number=number, assignee_id=partner)
        return found

    monkeypatch.setattr(tickets, "_load", load_then_race)
    with pytest.raises(ValidationFailed) as exc:
        tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                       assignee_id=demo.account(STAFF).id)
    assert exc.value.fields == {"assignee": ("error.assignee_changed_meanwhile", {})}
    with Session(file_engine) as check:
        row = check.exec(select(Ticket).where(Ticket.number == ticket.number)).one()
        assert row.assignee_id == partner
        changes = check.exec(select(TicketChange).where(TicketChange.ticket_id == row.id,
                                                        TicketChange.field == "assignee")).all()
        assert len(changes) == 1
