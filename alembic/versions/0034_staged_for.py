"""staged for: the form a staged ticket attachment was dropped on (the new-ticket form, or one
ticket's comment form), so that it is shown and sent there only, not on another ticket's form.
Files staged before keep '' and are shown on any form, as before, until sent or purged.

Revision ID: 0034_staged_for
Revises: 0033_quote_revision
Create Date: 2026-12-06 08:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0034_staged_for"
down_revision: Union[str, Sequence[str], None] = "0033_quote_revision"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("attachment", sa.Column("staged_for", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False,
                                          server_default=""))


def downgrade() -> None:
    op.drop_column("attachment", "staged_for")
