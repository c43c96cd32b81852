"""Alembic environment: the URL comes from the portal's settings, the metadata from its models."""

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import portal_app.models  # noqa: F401  (registers every table)
from portal_app.db import get_engine

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = SQLModel.metadata
SEARCH_TABLES = ("ticket_fts", "ticket_search", "ticket_tally")  # by hand: 0002 (FTS5 / tsvector), 0004


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001, ARG001
    """Leave the full-text search tables, which no model describes, out of autogenerate."""
    return not (type_ == "table" and name and name.startswith(SEARCH_TABLES))


def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type):  # noqa: ANN001, ANN201, ARG001
    """SQLite does not enforce a VARCHAR's length, and changing one there means copying the table
    (which the foreign keys pointing at it refuse): a length alone is no difference there (0027)."""
    if context.dialect.name == "sqlite" and isinstance(inspected_type, sa.String) \
            and isinstance(metadata_type, sa.String | AutoString) and not isinstance(inspected_type, sa.Text):
        return False
    return None  # alembic's own comparison


def run_migrations_offline() -> None:
    from portal_app.settings import settings

    context.configure(url=settings.database_url, target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True, include_object=include_object,
                      compare_type=compare_type)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with get_engine().connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", include_object=include_object,
                          compare_type=compare_type)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
