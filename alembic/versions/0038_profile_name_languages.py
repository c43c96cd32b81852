"""profile name languages: a portal profile's name in the portal's other languages, for the company
admins who read their colleagues' profiles in theirs ({"fi": {"name": ...}}, services/translations.py).

Revision ID: 0038_profile_name_languages
Revises: 0037_invoice_seller
Create Date: 2026-12-06 18:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0038_profile_name_languages"
down_revision: Union[str, Sequence[str], None] = "0037_invoice_seller"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("portalprofile", sa.Column("translations", sa.JSON(), nullable=False,
                                             server_default=sa.text("'{}'")))


def downgrade() -> None:
    op.drop_column("portalprofile", "translations")
