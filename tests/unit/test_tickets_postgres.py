"""The ticket list on a real PostgreSQL: the migrations up and down, then the list world built on
PostgreSQL and on SQLite, and every list of it -- filters, counts per status, searches, every sort
both ways, page by page -- the same on both. These are the PostgreSQL paths nothing else runs: the
tsvector search, counts and pages from the table (no tally, no tags), names sorted in "C" order."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, create_engine

from portal_app.seed import seed
from portal_app.services.tickets import ticket_list
from portal_app.services.tickets import core as tickets
from portal_app.services.tickets.ticket_list import SORT_COLUMNS, parse_filters

from demo_people import ADMIN, GLOBEX_ADMIN, HANS, PARTNER, STAFF, USER
from migrations import run_alembic
from postgres_server import create_database
from ticket_world import make_world

QUERIES = [
    {}, {"status": "new"}, {"status": "new,closed", "priority": "urgent,high"}, {"category": "bug"},
    {"severity": "1,2"}, {"mine": "1"}, {"category": "work_order", "status": "resolved"}, {"company": "1"},
    {"assignee": "none"}, {"assignee": "me"},
    {"q": "printer"}, {"q": "PRINT*"}, {"q": "print* tray"}, {"q": "tray two"}, {"q": "grind*"}, {"q": "vpn"},
    {"q": "vpn-client"}, {"q": "crashed"}, {"q": "csv_encoding"}, {"q": "CSV encoding"}, {"q": "second"},
    {"q": "printer vpn"}, {"q": "nothingmatches"}, {"q": "printer", "status": "new"}, {"q": "vpn", "mine": "1"},
    {"q": "käyttäjä"}, {"q": "KAYTTAJA"}, {"q": "makinen"}, {"q": "käy*"},
    {"q": 'AND OR NOT "printer" (vpn) NEAR(x y) col:value ^start * - +'},
]


@pytest.fixture(scope="module")
def postgres_world(postgres_server, tmp_path_factory, demo_class):
    url = create_database(postgres_server, f"portal_{uuid.uuid4().hex[:8]}")
    run_alembic(tmp_path_factory.mktemp("pg-data"), "upgrade", "head", database_url=url)
    engine = create_engine(url)
    with Session(engine) as session:
        assert seed(session, tickets=False) is True
        yield make_world(demo_class(session))
    engine.dispose()


@pytest.fixture
def sqlite_world(tickets_demo):
    return make_world(tickets_demo)


def lists_of(world, email, query) -> list[tuple]:
    """Every page of three, whole and in every sort both ways, of `query` as `email` sees it."""
    out = []
    session, actor = world.demo.session, world.demo.actor(email)
    whole = ticket_list.list_tickets(session=session, actor=actor, filters=parse_filters({**query, "size": "100"}))
    out.append(("whole", whole.total, whole.status_counts, sorted(r.number for r in whole.rows)))
    for key in sorted(SORT_COLUMNS):
        for sort in (key, f"-{key}"):
            for page in range(1, -(-whole.total // 10) + 2):
                filters = replace(parse_filters(query), sort=sort, page=page, page_size=10)
                got = ticket_list.list_tickets(session=session, actor=actor, filters=filters)
                out.append((sort, page, got.page, got.pages, got.total, [r.number for r in got.rows],
                            [(r.created_by, r.assignee, r.company) for r in got.rows]))
    return out


@pytest.mark.parametrize("email", [STAFF, ADMIN, USER, HANS, GLOBEX_ADMIN, PARTNER])
def test_every_list_is_the_same_on_postgresql_and_sqlite(postgres_world, sqlite_world, email):
    for query in QUERIES:
        on_postgres, on_sqlite = lists_of(postgres_world, email, query), lists_of(sqlite_world, email, query)
        assert on_postgres == on_sqlite, query


def test_the_postgresql_lists_are_not_empty(postgres_world):
    """The comparison above is worth something only if PostgreSQL finds things at all."""
    page = ticket_list.list_tickets(session=postgres_world.demo.session, actor=postgres_world.demo.actor(STAFF),
                                    filters=parse_filters({"q": "printer", "size": "100"}))
    assert page.total == 3 and page.status_counts


def test_migrations_go_down_and_up_again_on_postgresql(postgres_server, tmp_path):
    url = create_database(postgres_server, f"portal_{uuid.uuid4().hex[:8]}")
    run_alembic(tmp_path, "upgrade", "head", database_url=url)
    run_alembic(tmp_path, "downgrade", "base", database_url=url)
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    run_alembic(tmp_path, "upgrade", "head", database_url=url)
    engine = create_engine(url)
    assert {"ticket", "ticket_search", "account"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_migration_0006_folds_the_accents_of_every_document_and_back(postgres_server, tmp_path, demo_class):
    url = create_database(postgres_server, f"portal_{uuid.uuid4().hex[:8]}")
    run_alembic(tmp_path, "upgrade", "head", database_url=url)
    engine = create_engine(url)
    with Session(engine) as session:
        assert seed(session, tickets=False) is True
        demo = demo_class(session)
        ticket = demo.make_ticket(USER, "Käyttäjä ei näe laskuja")
        tickets.add_comment(session=session, actor=demo.actor(USER), number=ticket.number, body="Müller saw it")
        tickets.add_comment(session=session, actor=demo.actor(STAFF), number=ticket.number, body="Secretword",
                            internal=True)
    engine.dispose()

    def found(word: str) -> bool:
        engine = create_engine(url)
        with engine.connect() as conn:
            hit = conn.execute(text("SELECT count(*) FROM ticket_search WHERE document @@ "
                                    "to_tsquery('simple', :word)"), {"word": word}).scalar_one()
        engine.dispose()
        return hit == 1

    assert found("kayttaja") and found("muller") and not found("käyttäjä") and not found("secretword")
    run_alembic(tmp_path, "downgrade", "0005_ticket_search_pair_tags", database_url=url)
    assert found("käyttäjä") and found("müller") and not found("kayttaja") and not found("secretword")
    run_alembic(tmp_path, "upgrade", "head", database_url=url)
    assert found("kayttaja") and found("muller") and found("laskuja") and not found("secretword")
