"""document texts: a shared document's title and description in the portal's other languages
(services/translations.py), as events, reports and list types have them.

Revision ID: 0031_document_texts
Revises: 0030_failed_login_at
Create Date: 2026-12-06 03:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0031_document_texts"
down_revision: Union[str, Sequence[str], None] = "0030_failed_login_at"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # {"fi": {"title": ...}}: the columns stay the default language's texts
    op.add_column("shareddocument", sa.Column("translations", sa.JSON(), nullable=False,
                                              server_default=sa.text("'{}'")))


def downgrade() -> None:
    op.drop_column("shareddocument", "translations")
