"""localized texts: staff-edited texts (welcome, home page, link titles) per UI language

Revision ID: 0009_localized_texts
Revises: 0008_submission_ids
Create Date: 2026-12-02 10:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0009_localized_texts"
down_revision: Union[str, Sequence[str], None] = "0008_submission_ids"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # {"fi": {"welcome_message": ..., "home_content": ..., "link_titles": [...]}}: the existing
    # columns stay the default language's texts; a language without a text falls back to them.
    with op.batch_alter_table('portalsettings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table('portalsettings', schema=None) as batch_op:
        batch_op.drop_column('translations')
