"""security limits: rate-limit hits and the persistent mail outbox

`throttlehit` holds one row per counted attempt (sign-in per client address, forgot-password per
address and per client address); `outboxmail` holds every mail until it is delivered, retried on
failure and shown to staff when it keeps failing.

Revision ID: 0007_security_limits
Revises: 0006_ticket_search_unaccent
Create Date: 2026-12-01 12:10:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0007_security_limits"
down_revision: Union[str, Sequence[str], None] = "0006_ticket_search_unaccent"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "throttlehit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_throttlehit_bucket_at", "throttlehit", ["bucket", "created_at"])
    op.create_table(
        "outboxmail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outboxmail_status_next", "outboxmail", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outboxmail_status_next", table_name="outboxmail")
    op.drop_table("outboxmail")
    op.drop_index("ix_throttlehit_bucket_at", table_name="throttlehit")
    op.drop_table("throttlehit")
