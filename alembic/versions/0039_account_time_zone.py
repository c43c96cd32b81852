"""account time zone: the zone a user reads times in ('' for the portal's, PORTAL_TIME_ZONE), chosen on
"My details". Days (due dates, "today") stay counted in the portal's zone.

Revision ID: 0039_account_time_zone
Revises: 0038_profile_name_languages
Create Date: 2026-12-06 21:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0039_account_time_zone"
down_revision: Union[str, Sequence[str], None] = "0038_profile_name_languages"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("account", sa.Column("time_zone", sa.String(length=64), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("account", "time_zone")
