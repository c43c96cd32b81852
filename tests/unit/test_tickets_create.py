"""Creating tickets: the severity rule, field validation, nothing half-saved, sequential numbers.

- Bug needs severity 1..4; Support and Work Order always get 10 (Not in SLA), whatever is sent;
- bad category / priority / title / description answer ValidationFailed keyed by field;
- a failed create leaves no ticket, and no ticket number is used up (the counter moves in the same
  transaction as the ticket, so the numbers stay gapless);
- numbers are sequential and unique, also with several writers at once.
"""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, select

from portal_app.models import (
    NOT_IN_SLA, Ticket, TicketChange, TicketCounter, TicketFollower, TicketPriority, TicketStatus,
)
from portal_app.services.tickets import attachments
from portal_app.services.tickets import core as tickets
from portal_app.services.actor import build_actor
from portal_app.services.errors import NotFound, ValidationFailed

USER = "user@acme.example.com"
ADMIN = "admin@acme.example.com"
GLOBEX = "hans.mueller@globex.example.com"


def form(**values):
    data = {"title": "Login page is slow", "description": "Takes ten seconds.", "category": "support",
            "priority": "normal"}
    data.update(values)
    return {k: v for k, v in data.items() if v is not ...}


def create(demo, email=USER, **values):
    ticket, _mails = tickets.create_ticket(session=demo.session, actor=demo.actor(email), data=form(**values))
    return ticket


def refused(demo, data, email=USER, **kwargs) -> dict:
    """Create must fail with ValidationFailed and leave the database exactly as it was."""
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        tickets.create_ticket(session=demo.session, actor=demo.actor(email), data=data, **kwargs)
    assert demo.committed_state() == before
    return exc.value.fields


# --- severity --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sent", "stored"), [("1", 1), ("2", 2), ("3", 3), ("4", 4), (1, 1), (4, 4), (" 3 ", 3)])
def test_bug_keeps_severity_one_to_four(tickets_demo, sent, stored):
    ticket = create(tickets_demo, category="bug", severity=sent)
    assert (ticket.category, ticket.severity) == ("bug", stored)
    assert tickets_demo.ticket_row(ticket.number).severity == stored


@pytest.mark.parametrize("sent", [..., None, "", "0", "5", "10", 10, 0, 5, -1, "99", "abc", True, 1.0, "1.0",
                                  ["1"], {"1": 1}, "١"])
def test_bug_without_a_valid_severity_is_refused(tickets_demo, sent):
    assert refused(tickets_demo, form(category="bug", severity=sent)) == {"severity": ("error.bug_severity", {})}


@pytest.mark.parametrize("category", ["support", "work_order"])
@pytest.mark.parametrize("sent", [..., None, "", "1", 1, "4", 4, "99", 99, "10", "garbage", True, ["1"], -5])
def test_support_and_work_order_always_get_not_in_sla(tickets_demo, category, sent):
    ticket = create(tickets_demo, category=category, severity=sent)
    assert (ticket.category, ticket.severity) == (category, NOT_IN_SLA)
    assert tickets_demo.ticket_row(ticket.number).severity == 10


# --- other fields ----------------------------------------------------------------------------------

@pytest.mark.parametrize("category", [..., None, "", "Bug", "BUG", "feature", " bug", 1, ["bug"], {"bug": 1}])
def test_invalid_category_is_refused(tickets_demo, category):
    assert refused(tickets_demo, form(category=category, severity="1")) == {"category": ("error.choose", {})}


@pytest.mark.parametrize("priority", ["URGENT", "Urgent", "critical", 4, ["high"], True])
def test_invalid_priority_is_refused(tickets_demo, priority):
    assert refused(tickets_demo, form(priority=priority)) == {"priority": ("error.choose", {})}


@pytest.mark.parametrize(("priority", "rank"), [("low", 1), ("normal", 2), ("high", 3), ("urgent", 4)])
def test_priority_and_its_rank_are_stored(tickets_demo, priority, rank):
    ticket = create(tickets_demo, priority=priority)
    assert (ticket.priority, ticket.priority_rank) == (priority, rank)


@pytest.mark.parametrize("priority", [..., None, ""])
def test_priority_defaults_to_normal(tickets_demo, priority):
    """One default, whatever the form sent when nothing was chosen: Normal."""
    ticket = create(tickets_demo, priority=priority)
    assert (ticket.priority, ticket.priority_rank) == (TicketPriority.NORMAL, 2)


def test_every_bad_field_is_reported_at_once(tickets_demo):
    fields = refused(tickets_demo, {"title": "  ", "description": "", "category": "nope", "priority": "x"})
    assert fields == {"title": ("error.required", {}), "description": ("error.required", {}),
                      "category": ("error.choose", {}), "priority": ("error.choose", {})}


def test_bug_with_bad_severity_and_bad_title_reports_both(tickets_demo):
    fields = refused(tickets_demo, form(title="", category="bug", severity="7"))
    assert fields == {"title": ("error.required", {}), "severity": ("error.bug_severity", {})}


@pytest.mark.parametrize(("field", "limit"), [("title", 200), ("description", 20000)])
def test_too_long_text_is_refused(tickets_demo, field, limit):
    assert refused(tickets_demo, form(**{field: "x" * (limit + 1)})) == {field: ("error.too_long", {"max": limit})}
    assert len(getattr(create(tickets_demo, **{field: "x" * limit}), field)) == limit


@pytest.mark.parametrize("data", [None, "title=x", ["title"], 42])
def test_a_form_that_is_not_a_mapping_is_refused(tickets_demo, data):
    assert refused(tickets_demo, data) == {"form": ("error.invalid", {})}


def test_text_is_stripped(tickets_demo):
    ticket = create(tickets_demo, title="  Spaces  ", description="\n body \n")
    assert (ticket.title, ticket.description) == ("Spaces", "body")


def test_a_new_ticket_records_creator_company_follower_history_and_mail(tickets_demo):
    demo = tickets_demo
    ticket, mails = tickets.create_ticket(session=demo.session, actor=demo.actor(USER),
                                          data=form(category="bug", severity="2", priority="urgent"))
    account = demo.account(USER)
    assert (ticket.company_id, ticket.created_by_id, ticket.status, ticket.assignee_id) == (
        demo.company("Acme Oy").id, account.id, TicketStatus.NEW, None)
    followers = demo.session.exec(select(TicketFollower.account_id).where(TicketFollower.ticket_id == ticket.id)).all()
    assert followers == [account.id]
    history = demo.session.exec(select(TicketChange).where(TicketChange.ticket_id == ticket.id)).all()
    assert [(c.field, c.new_value, c.actor_id) for c in history] == [("created", "new", account.id)]
    assert len(mails) == 1 and f"/admin/tickets/{ticket.number}" in mails[0]["body"]


# --- nothing half-saved, no number used up --------------------------------------------------------

def test_failed_create_uses_no_number(tickets_demo):
    demo = tickets_demo
    first = create(demo)
    counter_before = demo.session.get(TicketCounter, 1).value
    assert counter_before == first.number
    refused(demo, form(category="bug", severity="9"))
    refused(demo, form(title=""))
    assert create(demo).number == first.number + 1


def test_create_failing_after_the_insert_leaves_nothing(tickets_demo):
    """Someone else's staged file is refused after the ticket row and its number were written."""
    demo = tickets_demo
    first = create(demo)
    others = demo.stage_file(ADMIN, "secret.txt", b"admin's file")
    own = demo.stage_file(USER, "mine.txt", b"my file")
    fields = refused(demo, form(), attachment_ids=[own.id, others.id])
    assert fields == {"attachments": ("error.attachment_gone", {})}
    # both files are still staged, owned by their uploaders
    demo.session.expire_all()
    assert demo.session.get(type(own), own.id).ticket_id is None
    assert demo.session.get(type(others), others.id).ticket_id is None
    assert demo.session.exec(select(Ticket)).all() == [demo.ticket_row(first.number)]
    second, _ = tickets.create_ticket(session=demo.session, actor=demo.actor(USER), data=form(),
                                      attachment_ids=[own.id])
    assert second.number == first.number + 1
    assert [a.id for a in tickets.get_ticket(session=demo.session, actor=demo.actor(USER),
                                             number=second.number).attachments] == [own.id]


def test_a_staged_file_is_claimed_once(tickets_demo):
    demo = tickets_demo
    staged = demo.stage_file(USER)
    tickets.create_ticket(session=demo.session, actor=demo.actor(USER), data=form(), attachment_ids=[staged.id])
    fields = refused(demo, form(), attachment_ids=[staged.id])
    assert fields == {"attachments": ("error.attachment_gone", {})}


def test_too_many_files_are_refused(tickets_demo):
    """A message takes at most as many files as may wait to be sent (PORTAL_STAGED_MAX_FILES)."""
    demo = tickets_demo
    most = attachments.settings.staged_max_files
    ids = [demo.stage_file(USER, f"f{i}.txt").id for i in range(most)]
    fields = refused(demo, form(), attachment_ids=[*ids, ids[-1] + 1])
    assert fields == {"attachments": ("error.too_many_files", {"max": most})}
    ticket, _ = tickets.create_ticket(session=demo.session, actor=demo.actor(USER), data=form(), attachment_ids=ids)
    assert len(tickets.get_ticket(session=demo.session, actor=demo.actor(USER),
                                  number=ticket.number).attachments) == most


# --- reference to a closed ticket ------------------------------------------------------------------

def test_new_ticket_may_reference_a_visible_ticket(tickets_demo):
    demo = tickets_demo
    old = demo.make_ticket(USER, "Old problem", status=TicketStatus.CLOSED)
    ticket, _ = tickets.create_ticket(session=demo.session, actor=demo.actor(USER), data=form(),
                                      reference=str(old.number))
    assert ticket.reference_id == old.id
    assert tickets.get_ticket(session=demo.session, actor=demo.actor(USER),
                              number=ticket.number).reference_number == old.number


def test_reference_to_another_companys_ticket_is_not_found(tickets_demo):
    demo = tickets_demo
    other = demo.make_ticket(GLOBEX, "Globex problem", status=TicketStatus.CLOSED)
    colleague = demo.make_ticket("liisa.makinen@acme.example.com", "Liisa's", status=TicketStatus.CLOSED)
    for number in (other.number, colleague.number, 99_999):
        before = demo.committed_state()
        with pytest.raises(NotFound):
            tickets.create_ticket(session=demo.session, actor=demo.actor(USER), data=form(), reference=number)
        assert demo.committed_state() == before


# --- numbers ---------------------------------------------------------------------------------------

def test_numbers_are_sequential_across_companies(tickets_demo):
    demo = tickets_demo
    numbers = [create(demo, email, title=f"T{i}").number
               for i, email in enumerate([USER, GLOBEX, ADMIN, USER, "admin@globex.example.com"] * 2)]
    assert numbers == list(range(10001, 10011))
    assert demo.session.get(TicketCounter, 1).value == 10010


def test_numbers_continue_after_the_highest_when_the_counter_is_missing(tickets_demo):
    demo = tickets_demo
    create(demo)
    demo.session.delete(demo.session.get(TicketCounter, 1))
    demo.session.commit()
    ticket = demo.ticket_row(10001)
    ticket.number = 20500
    demo.session.add(ticket)
    demo.session.commit()
    assert create(demo).number == 20501
    assert create(demo).number == 20502


def test_concurrent_writers_get_unique_sequential_numbers(file_engine):
    writers = ["user@acme.example.com", "liisa.makinen@acme.example.com", "admin@acme.example.com",
               "hans.mueller@globex.example.com", "admin@globex.example.com"]
    per_writer = 8
    barrier = threading.Barrier(len(writers))
    got: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(email: str) -> None:
        try:
            with Session(file_engine) as session:
                from portal_app.models import Account

                account = session.exec(select(Account).where(Account.email == email)).one()
                actor = build_actor(session, account)
                barrier.wait()
                numbers = []
                for i in range(per_writer):
                    ticket, _ = tickets.create_ticket(session=session, actor=actor,
                                                      data=form(title=f"{email} {i}"))
                    numbers.append(ticket.number)
                got[email] = numbers
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(email,)) for email in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    every = sorted(n for numbers in got.values() for n in numbers)
    assert every == list(range(10001, 10001 + len(writers) * per_writer))
    for numbers in got.values():
        assert numbers == sorted(numbers)  # each writer's own tickets get increasing numbers
    with Session(file_engine) as session:
        stored = session.exec(select(Ticket.number, Ticket.title)).all()
        assert sorted(n for n, _ in stored) == every
        assert session.get(TicketCounter, 1).value == every[-1]


# --- attachment ids that are not a list -----------------------------------------------------------

@pytest.mark.parametrize("ids", ["12", "1,2", {"1": 1, "2": 2}, 12])
def test_attachment_ids_that_are_not_a_list_claim_nothing(tickets_demo, ids):
    """Not read as characters or keys: "12" must not attach the uploader's files 1 and 2."""
    demo = tickets_demo
    first, second = demo.stage_file(USER, "a.txt"), demo.stage_file(USER, "b.txt")
    assert (first.id, second.id) == (1, 2)
    fields = refused(demo, form(), attachment_ids=ids)
    assert set(fields) == {"attachments"}
    assert demo.session.get(type(first), 1).ticket_id is None and demo.session.get(type(first), 2).ticket_id is None


@pytest.mark.parametrize("ids", [None, "", (), []])
def test_no_attachment_ids(tickets_demo, ids):
    ticket, _ = tickets.create_ticket(session=tickets_demo.session, actor=tickets_demo.actor(USER), data=form(),
                                      attachment_ids=ids)
    assert ticket.number == 10001
