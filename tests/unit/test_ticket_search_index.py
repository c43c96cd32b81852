"""The full-text index on SQLite: its tags follow the ticket table whatever writes to it (triggers),
the tags the list queries with are the tags the triggers write, and migration 0003 rebuilds the
index of an existing database (comments kept) and back."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text
from sqlmodel import Session, create_engine, select, update

from portal_app.models import Ticket, TicketCategory, TicketPriority, TicketStatus
from portal_app.seed import seed
from portal_app.services import ticket_list, ticket_search, tickets

from migrations import run_alembic
from demo_people import ADMIN, PARTNER, STAFF, USER


def index_rows(session: Session) -> dict[int, tuple[str, str, str, str]]:
    return {row[0]: tuple(row[1:]) for row in session.execute(
        text("SELECT rowid, title, description, comments, tags FROM ticket_fts")).all()}


def assert_index_follows_tickets(session: Session) -> None:
    session.expire_all()
    rows = index_rows(session)
    everything = session.exec(select(Ticket)).all()
    assert set(rows) == {t.id for t in everything}
    for t in everything:
        assert rows[t.id][0:2] == (t.title, t.description)
        assert rows[t.id][3] == ticket_search.tags(t)


def test_tags_follow_every_write(tickets_demo):
    demo = tickets_demo
    bug = demo.make_ticket(USER, "Scanner beeps", category="bug", severity="2", priority="high")
    other = demo.make_ticket(ADMIN, "Quote please", category="work_order")
    assert_index_follows_tickets(demo.session)
    assert index_rows(demo.session)[bug.id][3] == (
        f"co{bug.company_id} by{bug.created_by_id} tonone stnew cabug se2 prhigh")

    tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=bug.number,
                   assignee_id=demo.account(PARTNER).id)
    tickets.add_comment(session=demo.session, actor=demo.actor(PARTNER), number=bug.number,
                        body="Firmware 2.1 fixes it", new_status=TicketStatus.RESOLVED)
    assert_index_follows_tickets(demo.session)
    assert "Firmware 2.1" in index_rows(demo.session)[bug.id][2]

    # a write that bypasses the services (an admin's SQL, a data fix) is followed too
    demo.session.execute(update(Ticket).where(Ticket.id == other.id).values(
        status=TicketStatus.WAITING_CUSTOMER, category=TicketCategory.SUPPORT, priority=TicketPriority.URGENT,
        severity=10, title="Quote for 20 seats"))
    demo.session.commit()
    assert_index_follows_tickets(demo.session)
    assert ticket_list.list_tickets(session=demo.session, actor=demo.actor(STAFF),
                                filters=ticket_list.parse_filters({"q": "seats", "status": "Waiting for customer",
                                                               "priority": "Urgent"})).total == 1

    for table in ("ticketfollower", "ticketchange", "ticketcomment", "ticket"):
        column = "id" if table == "ticket" else "ticket_id"
        demo.session.execute(text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": other.id})
    demo.session.commit()
    assert_index_follows_tickets(demo.session)


def test_query_tags_are_the_written_tags():
    """`tag` (what the list asks for) and `tags_sql` (what the triggers write) agree on every value."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE ticket (company_id, created_by_id, assignee_id, status, category, severity, priority)")
    values = [(7, 12, None, s, c, sev, p) for s in TicketStatus for c in TicketCategory for p in TicketPriority
              for sev in (1, 4, 10)] + [(123456, 99, 4321, TicketStatus.NEW, TicketCategory.BUG, 2, TicketPriority.LOW)]
    db.executemany("INSERT INTO ticket VALUES (?, ?, ?, ?, ?, ?, ?)", [tuple(map(str, v[:2])) + v[2:] for v in values])
    written = [row[0] for row in db.execute(f"SELECT {ticket_search.tags_sql('ticket')} FROM ticket ORDER BY rowid")]
    asked = [" ".join(ticket_search.tag(column, value) for column, value in zip(ticket_search.TAG_PREFIX, v))
             for v in values]
    assert written == asked


def test_migration_0003_rebuilds_the_index_with_tags_and_back(tmp_path, demo_class):
    Demo = demo_class  # noqa: N806
    run_alembic(tmp_path, "upgrade", "head")
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        assert seed(session) is True
        demo = Demo(session)
        first = demo.make_ticket(USER, "Label printer offline", category="bug", severity="1")
        demo.make_ticket(ADMIN, "Invoice question", assignee=STAFF, status=TicketStatus.IN_PROGRESS)
        tickets.add_comment(session=session, actor=demo.actor(STAFF), number=first.number, body="Okapi driver")
        before = index_rows(session)
    engine.dispose()

    run_alembic(tmp_path, "downgrade", "0002_tickets")
    db = sqlite3.connect(tmp_path / "portal.db")
    assert [r[1] for r in db.execute("PRAGMA table_info(ticket_fts)")] == ["title", "description", "comments"]
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone() == (0,)
    assert {r[0]: r[1:] for r in db.execute("SELECT rowid, title, description, comments FROM ticket_fts")} == {
        k: v[:3] for k, v in before.items()}
    db.close()

    run_alembic(tmp_path, "upgrade", "head")
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        assert index_rows(session) == before
        assert_index_follows_tickets(session)
        found = ticket_list.list_tickets(session=session, actor=Demo(session).actor(STAFF),
                                     filters=ticket_list.parse_filters({"q": "okapi"}))
        assert [r.number for r in found.rows] == [first.number]
        Demo(session).make_ticket(USER, "After the migration")  # the insert trigger is back
        assert_index_follows_tickets(session)
    engine.dispose()


def test_merging_the_index_keeps_every_match(tickets_demo):
    demo = tickets_demo
    made = [demo.make_ticket(USER, f"Scanner {n} beeps") for n in range(12)]  # a transaction, a segment each
    assert ticket_search.merge_index(demo.session, pages=1) >= 1  # several small steps
    assert ticket_search.merge_index(demo.session) == 0  # nothing left to merge
    assert_index_follows_tickets(demo.session)
    page = ticket_list.list_tickets(session=demo.session, actor=demo.actor(STAFF),
                                filters=ticket_list.parse_filters({"q": "scanner beeps", "size": "100"}))
    assert sorted(r.number for r in page.rows) == sorted(t.number for t in made)
