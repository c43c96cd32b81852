"""submission ids: a repeated submission of the same form creates nothing twice

Revision ID: 0008_submission_ids
Revises: 0007_security_limits
Create Date: 2026-12-01 12:45:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0008_submission_ids"
down_revision: Union[str, Sequence[str], None] = "0007_security_limits"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


_TABLES = (("ticket", "ux_ticket_submission"), ("ticketcomment", "ux_ticketcomment_submission"))


def upgrade() -> None:
    # nullable (rows made before have none); a unique index lets any number of NULLs through on
    # SQLite and PostgreSQL alike. Plain ALTER TABLE, not batch mode: a batch that recreated the
    # table on SQLite would drop the ticket table's triggers (search tags, tally).
    for table, index in _TABLES:
        op.add_column(table, sa.Column("submission_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        op.create_index(index, table, ["submission_id"], unique=True)


def downgrade() -> None:
    for table, index in reversed(_TABLES):
        op.drop_index(index, table_name=table)
        op.drop_column(table, "submission_id")  # SQLite 3.35+ drops a column in place
