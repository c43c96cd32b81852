"""translated names: an event's and a report's title and description, a newsletter list type's
name and description, in the portal's other languages (services/translations.py).

Revision ID: 0026_translated_names
Revises: 0025_documents
Create Date: 2026-12-05 15:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0026_translated_names"
down_revision: Union[str, Sequence[str], None] = "0025_documents"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("event", "report", "mailinglist")


def upgrade() -> None:
    # {"fi": {"title": ...}}: the columns stay the default language's texts, which a language
    # without its own text falls back to
    for table in TABLES:
        op.add_column(table, sa.Column("translations", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would drop it, which the
    # opt-outs' foreign key to a list type refuses
    for table in TABLES:
        op.drop_column(table, "translations")
