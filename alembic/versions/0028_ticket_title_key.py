"""ticket title key: the list sorts titles by their lower case (a column the database computes from
the title), so a title written in small letters sorts among the others instead of after them.

Revision ID: 0028_ticket_title_key
Revises: 0027_product_texts
Create Date: 2026-12-05 21:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0028_ticket_title_key"
down_revision: Union[str, Sequence[str], None] = "0027_product_texts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # SQLite adds a generated column as VIRTUAL only (computed when read, and stored in the indexes);
    # PostgreSQL stores it (said outright: from PostgreSQL 18 the default is VIRTUAL, which no index takes)
    stored = True if op.get_bind().dialect.name == "postgresql" else None
    op.add_column("ticket", sa.Column("title_key", sa.String(200), sa.Computed("lower(title)", persisted=stored)))
    op.drop_index("ix_ticket_company_title", table_name="ticket")
    op.drop_index("ix_ticket_title", table_name="ticket")
    op.create_index("ix_ticket_company_title", "ticket", ["company_id", "title_key"])
    op.create_index("ix_ticket_title", "ticket", ["title_key"])


def downgrade() -> None:
    op.drop_index("ix_ticket_title", table_name="ticket")
    op.drop_index("ix_ticket_company_title", table_name="ticket")
    op.create_index("ix_ticket_company_title", "ticket", ["company_id", "title"])
    op.create_index("ix_ticket_title", "ticket", ["title"])
    op.drop_column("ticket", "title_key")
