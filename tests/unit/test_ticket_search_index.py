"""The full-text index on SQLite: its tags follow the ticket table whatever writes to it (triggers),
the tags the list queries with are the tags the triggers write, and migrations 0003 and 0005 rebuild
the index of an existing database (comments kept) and back."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

from sqlalchemy import text
from sqlmodel import Session, create_engine, select, update

from portal_app.models import Ticket, TicketCategory, TicketPriority, TicketStatus
from portal_app.seed import seed
from portal_app.services.tickets import ticket_list, ticket_search
from portal_app.services.tickets import core as tickets

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
        f"co{bug.company_id} by{bug.created_by_id} tonone stnew cabug se2 prhigh cs{bug.company_id}new")

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
    assert index_rows(demo.session)[other.id][3].endswith(f" cs{other.company_id}waitingcustomer")
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
    asked = [ticket_search.tags(SimpleNamespace(**dict(zip(ticket_search.TAG_PREFIX, v)))) for v in values]
    assert written == asked
    assert written[-1].endswith(" cs123456new")  # the company and status pair


def test_a_company_and_a_status_are_asked_as_their_pair_tags():
    expression = ticket_search.tag_expression
    assert expression([("company_id", (12,)), ("status", (TicketStatus.NEW, TicketStatus.IN_PROGRESS))]) == (
        "tags : (cs12new OR cs12inprogress)")
    assert expression([("created_by_id", (5,)), ("company_id", (12,)), ("status", (TicketStatus.NEW,)),
                       ("priority", (TicketPriority.HIGH,))]) == "tags : (cs12new) AND tags : (by5) AND tags : (prhigh)"
    assert expression([("company_id", (12,))]) == "tags : (co12)"  # a company alone keeps its tag
    many = tuple(range(1, 5))  # 4 companies x 6 statuses: more pairs than asking the two lists
    assert expression([("company_id", many), ("status", tuple(TicketStatus))]) == (
        "tags : (co1 OR co2 OR co3 OR co4) AND tags : (" + " OR ".join(ticket_search.tag("status", s)
                                                                       for s in TicketStatus) + ")")


def tickets_at_revision(tmp_path, Demo, revision: str):  # noqa: N803
    """A seeded database with two tickets, one commented ("Okapi driver"), made by today's services
    at head (today's models need today's schema) and then migrated down to `revision`: the bug, and
    the index's rows there."""
    run_alembic(tmp_path, "upgrade", "head")
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        assert seed(session, tickets=False) is True
        demo = Demo(session)
        first = demo.make_ticket(USER, "Label printer offline", category="bug", severity="1")
        demo.make_ticket(ADMIN, "Invoice question", assignee=STAFF, status=TicketStatus.IN_PROGRESS)
        tickets.add_comment(session=session, actor=demo.actor(STAFF), number=first.number, body="Okapi driver")
        session.refresh(first)
        session.expunge(first)
    engine.dispose()
    if revision != "head":
        run_alembic(tmp_path, "downgrade", revision)
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        before = index_rows(session)
    engine.dispose()
    return first, before


def test_migration_0003_rebuilds_the_index_with_tags_and_back(tmp_path, demo_class):
    Demo = demo_class  # noqa: N806
    first, before = tickets_at_revision(tmp_path, Demo, "head")

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


def test_migration_0005_adds_the_pair_tags_and_takes_them_away(tmp_path, demo_class):
    Demo = demo_class  # noqa: N806
    first, before = tickets_at_revision(tmp_path, Demo, "0004_ticket_tally")
    assert not any(" cs" in row[3] for row in before.values())

    run_alembic(tmp_path, "upgrade", "0005_ticket_search_pair_tags")
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        after = index_rows(session)
        assert {k: v[:3] for k, v in after.items()} == {k: v[:3] for k, v in before.items()}  # comments kept
    engine.dispose()
    run_alembic(tmp_path, "upgrade", "head")  # later revisions leave the index alone; today's models need them
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        assert index_rows(session) == after
        assert_index_follows_tickets(session)  # pair tags written for every ticket, and by the triggers
        demo = Demo(session)
        demo.make_ticket(USER, "After the migration")
        assert_index_follows_tickets(session)
        admin = demo.actor(ADMIN)
        found = ticket_list.list_tickets(session=session, actor=admin, filters=ticket_list.parse_filters(
            {"q": "okapi", "status": "New"}))
        assert [r.number for r in found.rows] == [first.number]
        assert found.status_counts == {TicketStatus.NEW: 1}
        assert session.execute(text("SELECT doc FROM ticket_fts_words WHERE term = 'okapi'")).all() == [(1,)]
        assert ticket_list.list_tickets(session=session, actor=admin, filters=ticket_list.parse_filters(
            {"q": "oka*"})).total == 1  # looked up in the vocabulary
    engine.dispose()

    run_alembic(tmp_path, "downgrade", "0004_ticket_tally")
    db = sqlite3.connect(tmp_path / "portal.db")
    rows = {r[0]: r[1:] for r in db.execute("SELECT rowid, title, description, comments, tags FROM ticket_fts")}
    assert {k: v[:3] for k, v in rows.items() if k in before} == {k: v[:3] for k, v in before.items()}
    assert not any(" cs" in row[3] for row in rows.values())
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE name = 'ticket_fts_update'").fetchone()[0]
    assert "'cs'" not in trigger
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ticket_fts_words'").fetchone() == (0,)
    db.close()
