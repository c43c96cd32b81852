"""failed login at: when an account's failed sign-ins were last counted. Failures older than a day
are forgotten, as an unknown email's are, so mistakes weeks apart do not add up to a lock.

Revision ID: 0030_failed_login_at
Revises: 0029_product_name_keys
Create Date: 2026-12-06 00:55:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0030_failed_login_at"
down_revision: Union[str, Sequence[str], None] = "0029_product_name_keys"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("account", sa.Column("failed_login_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("account", "failed_login_at")
