"""sales order cancel reason: staff's optional reason for cancelling an order, shown on the customer's
order page and in the mail that tells the contact

Revision ID: 0016_order_cancel_reason
Revises: 0015_contact_submissions
Create Date: 2026-12-02 04:40:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0016_order_cancel_reason"
down_revision: Union[str, Sequence[str], None] = "0015_contact_submissions"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # nullable: orders not cancelled, or cancelled without a reason (and all rows made before), have
    # none. Plain ALTER TABLE, not batch mode (SQLite adds a nullable column in place).
    op.add_column("salesorder", sa.Column("cancel_reason", sqlmodel.sql.sqltypes.AutoString(length=500),
                                          nullable=True))


def downgrade() -> None:
    op.drop_column("salesorder", "cancel_reason")  # SQLite 3.35+ drops a column in place
