"""quote withdrawn: a request the customer took back before it was answered is "withdrawn", no
longer "declined" (which now means a quote the customer said no to). Rows made before: a declined
quote that was never quoted was a withdrawn request.

Revision ID: 0018_quote_withdrawn
Revises: 0017_company_event_submissions
Create Date: 2026-12-03 23:55:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = "0018_quote_withdrawn"
down_revision: Union[str, Sequence[str], None] = "0017_company_event_submissions"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("UPDATE quoterequest SET status = 'withdrawn' WHERE status = 'declined' AND quoted_at IS NULL")


def downgrade() -> None:
    op.execute("UPDATE quoterequest SET status = 'declined' WHERE status = 'withdrawn'")
