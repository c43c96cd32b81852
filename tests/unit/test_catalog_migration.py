"""Migration 0013_catalog: the schema it makes is the models' (`alembic check` finds nothing to
add) with the catalog list's indexes, on SQLite and on PostgreSQL, and it goes down to 0012
(leaving the invoices) and up again."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import inspect
from sqlmodel import create_engine

from migrations import run_alembic
from postgres_server import create_database

CATALOG_TABLES = {"productcategory", "product", "pricebook", "pricebookentry", "companypricebook", "cartline",
                  "quoterequest", "quoteline", "salesorder", "salesorderline", "numbercounter", "opportunity"}
LIST_INDEXES = {"product": {"ix_product_search", "ix_product_archived_name", "ix_product_archived_price",
                            "ix_product_category_name"},
                "pricebookentry": {"ux_pricebookentry_book_product", "ix_pricebookentry_book_price"}}


def schema(url: str) -> dict[str, set[str]]:
    """table -> its index names."""
    engine = create_engine(url)
    try:
        found = inspect(engine)
        return {t: {i["name"] for i in found.get_indexes(t)} for t in found.get_table_names()}
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """(the data folder, the PostgreSQL URL or None, the URL to inspect)."""
    if request.param == "sqlite":
        return tmp_path, None, f"sqlite:///{tmp_path / 'portal.db'}"
    url = create_database(request.getfixturevalue("postgres_server"), f"portal_{uuid.uuid4().hex[:8]}")
    return tmp_path, url, url


def test_catalog_migration_round_trip(database):
    folder, url, where = database

    def alembic(*args: str) -> None:
        run_alembic(folder, *args, database_url=url)

    alembic("upgrade", "head")
    alembic("check")  # raises when the models want another schema
    made = schema(where)
    assert CATALOG_TABLES <= set(made)
    assert all(names <= made[table] for table, names in LIST_INDEXES.items())
    alembic("downgrade", "0012_invoice_seller")
    left = schema(where)
    assert not CATALOG_TABLES & set(left) and {"invoice", "payment"} <= set(left)
    alembic("upgrade", "head")
    alembic("check")
    assert schema(where) == made
