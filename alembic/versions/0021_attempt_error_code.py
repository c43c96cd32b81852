"""attempt error code: the code of a card payment's last failure (Stripe's decline_code, else its
code), so the customer is told the failure in the customer's language instead of Stripe's English
message. Attempts that failed before keep their message; their code is empty (told as "the payment
did not go through").

Revision ID: 0021_attempt_error_code
Revises: 0020_event_deadline_is_start
Create Date: 2026-12-05 00:50:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0021_attempt_error_code"
down_revision: Union[str, Sequence[str], None] = "0020_event_deadline_is_start"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # plain ALTER TABLE (a column with a default is added in place by SQLite and PostgreSQL)
    op.add_column("paymentattempt", sa.Column("last_error_code", sa.String(length=60), nullable=False,
                                              server_default=""))


def downgrade() -> None:
    op.drop_column("paymentattempt", "last_error_code")
