"""newsletters: list types (email opt-out lists) and the addresses that stopped each.

Revision ID: 0023_newsletters
Revises: 0022_knowledge_base
Create Date: 2026-12-05 07:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0023_newsletters"
down_revision: Union[str, Sequence[str], None] = "0022_knowledge_base"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "mailinglist",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False, server_default=""),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_table(
        "mailingoptout",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mailing_list_id", sa.Integer(), sa.ForeignKey("mailinglist.id"), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False, server_default="portal"),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ux_optout_list_email", "mailingoptout", ["mailing_list_id", "email"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_optout_list_email", table_name="mailingoptout")
    op.drop_table("mailingoptout")
    op.drop_table("mailinglist")
