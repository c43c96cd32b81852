"""list link keys: each new list type gets a random key that its landing links are signed with, so a
list made after another was deleted (SQLite reuses the highest id) does not take over its links.
Lists that exist keep '' and their links (already mailed) keep working.

Revision ID: 0032_list_link_keys
Revises: 0031_document_texts
Create Date: 2026-12-06 06:40:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0032_list_link_keys"
down_revision: Union[str, Sequence[str], None] = "0031_document_texts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("mailinglist", sa.Column("link_key", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False,
                                           server_default=""))


def downgrade() -> None:
    op.drop_column("mailinglist", "link_key")
