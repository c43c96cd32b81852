"""knowledge base: articles by category, public or for customers, in one language or all.

Revision ID: 0022_knowledge_base
Revises: 0021_attempt_error_code
Create Date: 2026-12-05 07:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0022_knowledge_base"
down_revision: Union[str, Sequence[str], None] = "0021_attempt_error_code"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(length=20000), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("visibility", sa.String(length=20), nullable=False, server_default="customers"),
        sa.Column("language", sa.String(length=5), nullable=False, server_default=""),
        sa.Column("published", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=True),
        sa.Column("submission_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_article_published_category", "article", ["published", "category"])
    op.create_index("ux_article_submission", "article", ["submission_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_article_submission", table_name="article")
    op.drop_index("ix_article_published_category", table_name="article")
    op.drop_table("article")
