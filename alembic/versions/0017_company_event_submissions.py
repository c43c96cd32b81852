"""company and event submission ids: staff's "New company" and "Create event" sent twice (a double
click, an event resent after a reconnect) create one company or event

Revision ID: 0017_company_event_submissions
Revises: 0016_order_cancel_reason
Create Date: 2026-12-03 20:10:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0017_company_event_submissions"
down_revision: Union[str, Sequence[str], None] = "0016_order_cancel_reason"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # nullable (rows made before have none), under a unique index (any number of NULLs pass on SQLite
    # and PostgreSQL alike), as contact.submission_id (0015). Plain ALTER TABLE, not batch mode.
    for table in ("company", "event"):
        op.add_column(table, sa.Column("submission_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        op.create_index(f"ux_{table}_submission", table, ["submission_id"], unique=True)


def downgrade() -> None:
    for table in ("event", "company"):
        op.drop_index(f"ux_{table}_submission", table_name=table)
        op.drop_column(table, "submission_id")  # SQLite 3.35+ drops a column in place
