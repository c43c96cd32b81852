"""catalog submission ids: "Add to cart" and staff's "Send quote" sent twice (a double click, an event
resent after a reconnect) act once

Revision ID: 0014_catalog_submissions
Revises: 0013_catalog
Create Date: 2026-12-02 01:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0014_catalog_submissions"
down_revision: Union[str, Sequence[str], None] = "0013_catalog"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


_COLUMNS = (("cartline", "submission_id"), ("quoterequest", "answer_submission_id"))


def upgrade() -> None:
    # nullable (rows made before have none) and not unique: each row keeps the id of the last form
    # that changed it, compared in the conditional UPDATE that changes it (services/catalog/cart.py,
    # quotes.py). Plain ALTER TABLE, not batch mode (SQLite adds a nullable column in place).
    for table, column in _COLUMNS:
        op.add_column(table, sa.Column(column, sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))


def downgrade() -> None:
    for table, column in reversed(_COLUMNS):
        op.drop_column(table, column)  # SQLite 3.35+ drops a column in place
