"""reports: charts staff shares with every company or with one.

Revision ID: 0024_reports
Revises: 0023_newsletters
Create Date: 2026-12-05 10:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0024_reports"
down_revision: Union[str, Sequence[str], None] = "0023_newsletters"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False, server_default=""),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False, server_default="12"),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("company.id"), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=True),
        sa.Column("submission_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_report_published_company", "report", ["published", "company_id"])
    op.create_index("ux_report_submission", "report", ["submission_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_report_submission", table_name="report")
    op.drop_index("ix_report_published_company", table_name="report")
    op.drop_table("report")
