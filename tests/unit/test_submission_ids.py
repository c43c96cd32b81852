"""A form sent twice creates one ticket or one comment, and one round of mail.

Every new-ticket and comment form carries a random submission id; the service finds the row an
earlier sending of the same form created and answers with it (no mails), and two sendings at the
same moment meet at the unique index: real threads, on a SQLite file and on a real PostgreSQL.
"""

from __future__ import annotations


import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from portal_app.models import Attachment, Ticket, TicketComment, TicketStatus
from portal_app.services.tickets import core as tickets
from portal_app.services.actor import build_actor
from portal_app.services.errors import ValidationFailed
from portal_app.services import submissions
from racing import at_once


USER = "user@acme.example.com"
ADMIN = "admin@acme.example.com"
FORM = {"title": "Printer jams", "description": "On page two.", "category": "support", "priority": "normal"}


def create(demo, email=USER, submission_id=None, **extra):
    return tickets.create_ticket(session=demo.session, actor=demo.actor(email), data=dict(FORM),
                                 submission_id=submission_id, **extra)


def count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_same_new_ticket_form_sent_twice_creates_one_ticket_and_mails_once(tickets_demo):
    sid = submissions.new_submission_id()
    first, mails = create(tickets_demo, submission_id=sid)
    assert mails
    again, mails_again = create(tickets_demo, submission_id=sid)
    assert again.id == first.id and mails_again == []
    assert count(tickets_demo.session, Ticket) == 1
    assert first.submission_id == sid


def test_a_new_form_is_a_new_ticket(tickets_demo):
    one, _ = create(tickets_demo, submission_id=submissions.new_submission_id())
    two, _ = create(tickets_demo, submission_id=submissions.new_submission_id())
    three, _ = create(tickets_demo)  # callers without a form (seed, imports) send none
    four, _ = create(tickets_demo)
    assert len({one.id, two.id, three.id, four.id}) == 4


def test_a_repeat_with_staged_files_answers_like_the_first(tickets_demo):
    sid = submissions.new_submission_id()
    staged = tickets_demo.stage_file(USER)
    first, _ = create(tickets_demo, submission_id=sid, attachment_ids=[staged.id])
    # the file is on the ticket now: the repeat does not fail on it being gone
    again, mails = create(tickets_demo, submission_id=sid, attachment_ids=[staged.id])
    assert again.id == first.id and mails == []
    assert tickets_demo.session.get(Attachment, staged.id).ticket_id == first.id


@pytest.mark.parametrize("sid", ["short", "x" * 65, "has space in it 123", 12345678901234567, ["a" * 20],
                                 {"a": 1}, "ä" * 20])
def test_a_malformed_submission_id_is_refused(tickets_demo, sid):
    with pytest.raises(ValidationFailed):
        create(tickets_demo, submission_id=sid)
    assert count(tickets_demo.session, Ticket) == 0


def test_someone_elses_submission_id_is_refused(tickets_demo):
    sid = submissions.new_submission_id()
    create(tickets_demo, submission_id=sid)
    with pytest.raises(ValidationFailed):
        create(tickets_demo, email=ADMIN, submission_id=sid)
    assert count(tickets_demo.session, Ticket) == 1


def comment(demo, number, sid, email=USER, **values):
    return tickets.add_comment(session=demo.session, actor=demo.actor(email), number=number,
                               submission_id=sid, **({"body": "Any news?"} | values))


def test_the_same_comment_form_sent_twice_adds_one_comment_and_mails_once(tickets_demo):
    ticket = tickets_demo.make_ticket(USER)
    tickets_demo.force_status(ticket.number, TicketStatus.IN_PROGRESS)
    sid = submissions.new_submission_id()
    _, mails = comment(tickets_demo, ticket.number, sid, email="staff@example.com",
                       new_status=TicketStatus.WAITING_CUSTOMER, seen_status=TicketStatus.IN_PROGRESS)
    assert mails
    # the repeat carries the status the page showed before the first one changed it: not refused
    again, mails_again = comment(tickets_demo, ticket.number, sid, email="staff@example.com",
                                 new_status=TicketStatus.WAITING_CUSTOMER, seen_status=TicketStatus.IN_PROGRESS)
    assert mails_again == [] and again.status == TicketStatus.WAITING_CUSTOMER
    rows = tickets_demo.session.exec(select(TicketComment)).all()
    assert [(c.body, c.submission_id) for c in rows] == [("Any news?", sid)]


def test_a_comment_repeat_on_another_ticket_or_by_another_author_is_refused(tickets_demo):
    one, two = tickets_demo.make_ticket(USER), tickets_demo.make_ticket(USER, "Scanner")
    sid = submissions.new_submission_id()
    comment(tickets_demo, one.number, sid)
    with pytest.raises(ValidationFailed):
        comment(tickets_demo, two.number, sid)
    with pytest.raises(ValidationFailed):
        comment(tickets_demo, one.number, sid, email=ADMIN)
    assert count(tickets_demo.session, TicketComment) == 1


# --- at the same moment: real threads, each with its own session ------------------------------------


def actor_of(session, email):
    from portal_app.models import Account

    return build_actor(session, session.exec(select(Account).where(Account.email == email)).one())


def test_the_same_new_ticket_sent_at_once_creates_one(racing_engine):
    engine = racing_engine
    sid = submissions.new_submission_id()

    def send(session):
        ticket, mails = tickets.create_ticket(session=session, actor=actor_of(session, USER), data=dict(FORM),
                                              submission_id=sid)
        return ticket.id, len(mails)

    results = at_once(engine, 6, send)
    assert len({tid for tid, _ in results}) == 1
    assert sum(1 for _, n in results if n) == 1  # one sending mailed; the others answered as repeats
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Ticket).where(Ticket.submission_id == sid)).one() == 1


def test_the_same_comment_sent_at_once_adds_one(racing_engine):
    engine = racing_engine
    with Session(engine) as session:
        ticket, _ = tickets.create_ticket(session=session, actor=actor_of(session, USER), data=dict(FORM))
        number = ticket.number
    sid = submissions.new_submission_id()

    def send(session):
        _, mails = tickets.add_comment(session=session, actor=actor_of(session, "staff@example.com"), number=number,
                                       body="On it", new_status=TicketStatus.IN_PROGRESS,
                                       seen_status=TicketStatus.NEW, submission_id=sid)
        return len(mails)

    results = at_once(engine, 6, send)
    assert sum(1 for n in results if n) == 1
    with Session(engine) as session:
        rows = session.exec(select(TicketComment).where(TicketComment.submission_id == sid)).all()
        assert len(rows) == 1
