"""contact submission ids: "Add contact" and "Give portal access" sent twice (a double click, an event
resent after a reconnect) act once

Revision ID: 0015_contact_submissions
Revises: 0014_catalog_submissions
Create Date: 2026-12-02 03:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0015_contact_submissions"
down_revision: Union[str, Sequence[str], None] = "0014_catalog_submissions"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # nullable (rows made before have none). `submission_id` is the form that created the contact,
    # under a unique index (any number of NULLs pass on SQLite and PostgreSQL alike);
    # `access_submission_id` the last click that gave portal access, compared in the conditional
    # UPDATE of services/companies/directory.py set_portal_access. Plain ALTER TABLE, not batch mode.
    op.add_column("contact", sa.Column("submission_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column("contact", sa.Column("access_submission_id", sqlmodel.sql.sqltypes.AutoString(length=64),
                                       nullable=True))
    op.create_index("ux_contact_submission", "contact", ["submission_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_contact_submission", table_name="contact")
    op.drop_column("contact", "access_submission_id")  # SQLite 3.35+ drops a column in place
    op.drop_column("contact", "submission_id")
