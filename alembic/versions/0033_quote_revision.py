"""quote revision: how often staff has sent a quote, so that an acceptance is for the version the
customer saw (staff may revise a quote while the customer is deciding).

Revision ID: 0033_quote_revision
Revises: 0032_list_link_keys
Create Date: 2026-12-06 07:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0033_quote_revision"
down_revision: Union[str, Sequence[str], None] = "0032_list_link_keys"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("quoterequest", sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("quoterequest", "revision")
