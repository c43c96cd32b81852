"""documents: files staff shares with one company.

Revision ID: 0025_documents
Revises: 0024_reports
Create Date: 2026-12-05 10:40:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0025_documents"
down_revision: Union[str, Sequence[str], None] = "0024_reports"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "shareddocument",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False, server_default=""),
        sa.Column("category", sa.String(length=20), nullable=False, server_default="other"),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("company.id"), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("shared_by_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=True),
        sa.Column("submission_id", sa.String(length=64), nullable=True),
        sa.Column("download_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_downloaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_shareddocument_company_created", "shareddocument", ["company_id", "created_at"])
    op.create_index("ux_shareddocument_stored_name", "shareddocument", ["stored_name"], unique=True)
    op.create_index("ux_shareddocument_submission", "shareddocument", ["submission_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_shareddocument_submission", table_name="shareddocument")
    op.drop_index("ux_shareddocument_stored_name", table_name="shareddocument")
    op.drop_index("ix_shareddocument_company_created", table_name="shareddocument")
    op.drop_table("shareddocument")
