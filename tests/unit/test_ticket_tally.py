"""The ticket tally (SQLite): its counts are those of the ticket table whatever writes to it
(triggers), it is counted anew when created on a database with tickets, migration 0004 creates and
fills it and takes it away, and staff's lists take their counts from it -- the same counts as
counting the tickets, with the same pages whichever way the page is read."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, create_engine, update

from portal_app.models import Ticket, TicketCategory, TicketPriority, TicketStatus
from portal_app.seed import seed
from portal_app.services.tickets import ticket_list, ticket_tally
from portal_app.services.tickets import core as tickets

from migrations import run_alembic
from demo_people import ADMIN, STAFF, USER


def tally(session: Session) -> dict[tuple, int]:
    return {tuple(row[:5]): row[5] for row in session.execute(
        text("SELECT status, category, severity, priority, unassigned, n FROM ticket_tally WHERE n <> 0")).all()}


def counted(session: Session) -> dict[tuple, int]:
    return {tuple(row[:5]): row[5] for row in session.execute(text(
        "SELECT status, category, severity, priority, assignee_id IS NULL, count(*) FROM ticket "
        "GROUP BY 1, 2, 3, 4, 5")).all()}


def test_the_tally_follows_every_write(tickets_demo):
    demo = tickets_demo
    session = demo.session
    bug = demo.make_ticket(USER, "Scanner beeps", category="bug", severity="2", priority="high")
    other = demo.make_ticket(ADMIN, "Quote please", category="work_order")
    assert tally(session) == counted(session) != {}

    tickets.add_comment(session=session, actor=demo.actor(STAFF), number=bug.number, body="On it",
                        new_status=TicketStatus.IN_PROGRESS)
    tickets.add_comment(session=session, actor=demo.actor(STAFF), number=bug.number, body="No change")
    assert tally(session) == counted(session)

    # writes that bypass the services are followed too
    session.execute(update(Ticket).where(Ticket.id == other.id).values(
        status=TicketStatus.CLOSED, category=TicketCategory.BUG, severity=1, priority=TicketPriority.URGENT))
    session.execute(update(Ticket).where(Ticket.id == bug.id).values(title="Scanner beeps twice"))
    session.commit()
    assert tally(session) == counted(session)
    staff_id = demo.account(STAFF).id
    for change in ({"priority": TicketPriority.LOW}, {"severity": 4}, {"category": TicketCategory.SUPPORT},
                   {"status": TicketStatus.RESOLVED}, {"assignee_id": staff_id}, {"assignee_id": None}):
        # each column alone
        session.execute(update(Ticket).where(Ticket.id == bug.id).values(**change))
        session.commit()
        assert tally(session) == counted(session), change
    for table in ("ticketfollower", "ticketchange", "ticketcomment", "ticket"):
        column = "id" if table == "ticket" else "ticket_id"
        session.execute(text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": other.id})
    session.commit()
    assert tally(session) == counted(session)


def test_a_tally_created_on_existing_tickets_counts_them(tickets_demo):
    session = tickets_demo.session
    tickets_demo.make_ticket(USER, "Before the tally", category="bug", severity="3")
    for name in ("insert", "update", "delete"):
        session.execute(text(f"DROP TRIGGER ticket_tally_{name}"))
    session.execute(text("DROP TABLE ticket_tally"))
    session.commit()
    ticket_tally.ensure_schema(session)
    assert tally(session) == counted(session) != {}
    ticket_tally.ensure_schema(session)  # twice: nothing counted again
    assert tally(session) == counted(session)


def test_migration_0004_fills_the_tally_and_takes_it_away(tmp_path, demo_class):
    Demo = demo_class  # noqa: N806
    # tickets made by today's services (at head), then the schema taken back to before the tally
    run_alembic(tmp_path, "upgrade", "head")
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        assert seed(session, tickets=False) is True
        Demo(session).make_ticket(USER, "Label printer offline", category="bug", severity="1")
    engine.dispose()
    run_alembic(tmp_path, "downgrade", "0003_ticket_search_tags")

    run_alembic(tmp_path, "upgrade", "head")
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        assert tally(session) == counted(session) != {}
        Demo(session).make_ticket(ADMIN, "After the migration", category="work_order")  # the triggers are there
        assert tally(session) == counted(session)
    engine.dispose()

    run_alembic(tmp_path, "downgrade", "0003_ticket_search_tags")
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with Session(engine) as session:
        assert session.execute(text("SELECT count(*) FROM sqlite_master WHERE name LIKE 'ticket_tally%'")).one() == (0,)
    engine.dispose()


# --- the list on the tally ---------------------------------------------------------------------------

STAFF_QUERIES = [
    {}, {"category": "bug"}, {"category": "bug", "severity": "2,3"}, {"severity": "10"},
    {"priority": "high,urgent"}, {"status": "new,in progress"}, {"status": "in progress", "category": "support"},
    {"assignee": "none"}, {"assignee": "none", "status": "new"}, {"assignee": "me"},
]


@pytest.fixture
def many(tickets_demo):
    demo = tickets_demo
    shapes = [("bug", "2", "high"), ("support", None, "normal"), ("work_order", None, "low"), ("bug", "4", "urgent")]
    statuses = [TicketStatus.NEW, TicketStatus.IN_PROGRESS, TicketStatus.CLOSED, TicketStatus.RESOLVED]
    for i in range(24):
        category, severity, priority = shapes[i % len(shapes)]
        ticket = demo.make_ticket(USER if i % 3 else ADMIN, f"Ticket {i}", category=category,
                                  severity=severity or "1", priority=priority, assignee=STAFF if i % 5 < 2 else None)
        demo.force_status(ticket.number, statuses[i % len(statuses)])
    return demo


@pytest.mark.parametrize("query", STAFF_QUERIES)
def test_staff_counts_from_the_tally_are_the_counted_ones(many, monkeypatch, query):
    actor = many.actor(STAFF)
    filters = ticket_list.parse_filters(query)
    from_tally = ticket_list.list_tickets(session=many.session, actor=actor, filters=filters)
    monkeypatch.setattr(ticket_tally, "available", lambda session: False)
    from_index = ticket_list.list_tickets(session=many.session, actor=actor, filters=filters)
    assert from_tally.status_counts == from_index.status_counts
    assert from_tally.total == from_index.total > 0


@pytest.mark.parametrize("query", STAFF_QUERIES)
@pytest.mark.parametrize("sort", ["-updated", "title", "-priority", "created_by"])
def test_staff_pages_are_the_same_walking_the_sort_index_or_not(many, monkeypatch, query, sort):
    """Dense filters over every company walk the sort's index (forced here both ways)."""
    actor = many.actor(STAFF)
    pages = {}
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_):  # noqa: ANN001, ANN002
        statements.append(statement)

    event.listen(many.session.get_bind(), "before_cursor_execute", record)
    for walk_cost in (0.0, float("inf")):
        monkeypatch.setattr(ticket_list, "WALK_COST", walk_cost)
        statements.clear()
        got = []
        for page in range(1, 12):
            filters = replace(ticket_list.parse_filters({**query, "sort": sort}), page=page, page_size=3)
            page = ticket_list.list_tickets(session=many.session, actor=actor, filters=filters)
            got.append([r.number for r in page.rows])
        pages[walk_cost] = got
        walked = any("+ticket." in statement for statement in statements)
        tallied = query.get("assignee") != "me"  # one staff member's tickets: counted from an index
        assert walked == (walk_cost == 0.0 and bool(query) and tallied), walk_cost
    event.remove(many.session.get_bind(), "before_cursor_execute", record)
    assert pages[0.0] == pages[float("inf")]
    assert any(pages[0.0])
