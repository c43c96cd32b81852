"""Migration 0010_events: the schema it makes is the models' (`alembic check` finds nothing to
add), on SQLite and on PostgreSQL, and it goes down to 0009 and up again."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import inspect
from sqlmodel import create_engine

from migrations import run_alembic
from postgres_server import create_database


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migrations_match_the_models_and_go_down_and_up(kind, tmp_path, request):
    url = None
    if kind == "postgresql":
        server = request.getfixturevalue("postgres_server")
        url = create_database(server, f"portal_{uuid.uuid4().hex[:8]}")
    run_alembic(tmp_path, "upgrade", "head", database_url=url)
    run_alembic(tmp_path, "check", database_url=url)  # raises when the models want another schema
    where = url or f"sqlite:///{tmp_path / 'portal.db'}"
    assert {"event", "eventcompany", "registration"} <= tables(where)
    run_alembic(tmp_path, "downgrade", "0009_localized_texts", database_url=url)
    assert not {"event", "eventcompany", "registration"} & tables(where)
    run_alembic(tmp_path, "upgrade", "head", database_url=url)
    run_alembic(tmp_path, "check", database_url=url)
