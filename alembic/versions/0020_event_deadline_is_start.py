"""event deadline is start: an event made with no registration deadline of its own closes at its
start, and keeps doing so when the start moves (before, the start was copied into the deadline, so
an event moved later closed at its old start). Events made before follow their start where their
deadline equals it.

Revision ID: 0020_event_deadline_is_start
Revises: 0019_product_whole_units
Create Date: 2026-12-04 13:50:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0020_event_deadline_is_start"
down_revision: Union[str, Sequence[str], None] = "0019_product_whole_units"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # plain ALTER TABLE (in place on SQLite), not batch mode: registrations refer to events
    op.add_column("event", sa.Column("deadline_is_start", sa.Boolean(), nullable=False, server_default=sa.false()))
    event = sa.table("event", sa.column("starts_at", sa.DateTime), sa.column("registration_deadline", sa.DateTime),
                     sa.column("deadline_is_start", sa.Boolean))
    op.execute(event.update().where(event.c.registration_deadline == event.c.starts_at)
               .values(deadline_is_start=True))


def downgrade() -> None:
    op.drop_column("event", "deadline_is_start")
