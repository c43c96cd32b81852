"""Migration 0011_invoices: the schema it makes is the models' (`alembic check` finds nothing to
add), on SQLite and on PostgreSQL, and it goes down to 0010 and up again."""

from __future__ import annotations

import uuid

import pytest

from migrations import run_alembic
from postgres_server import create_database
from test_events_migration import tables

INVOICE_TABLES = {"invoice", "invoiceline", "invoicecounter", "payment", "paymentattempt", "stripeevent"}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_invoice_migration_matches_the_models_and_goes_down_and_up(kind, tmp_path, request):
    url = None
    if kind == "postgresql":
        server = request.getfixturevalue("postgres_server")
        url = create_database(server, f"portal_{uuid.uuid4().hex[:8]}")
    run_alembic(tmp_path, "upgrade", "head", database_url=url)
    run_alembic(tmp_path, "check", database_url=url)
    where = url or f"sqlite:///{tmp_path / 'portal.db'}"
    assert INVOICE_TABLES <= tables(where)
    run_alembic(tmp_path, "downgrade", "0010_events", database_url=url)
    assert not INVOICE_TABLES & tables(where)
    assert "event" in tables(where)
    run_alembic(tmp_path, "upgrade", "head", database_url=url)
    run_alembic(tmp_path, "check", database_url=url)
