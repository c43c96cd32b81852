"""events: events, the companies that see them, registrations; attachments on outbox mails

Revision ID: 0010_events
Revises: 0009_localized_texts
Create Date: 2026-12-02 14:40:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0010_events"
down_revision: Union[str, Sequence[str], None] = "0009_localized_texts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_WHEN = sqlmodel.sql.sqltypes.UTCDateTime
_NOT_CANCELLED = sa.text("status != 'cancelled'")


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("title", _TEXT(length=200), nullable=False),
        sa.Column("description", _TEXT(length=20000), nullable=False),
        sa.Column("starts_at", _WHEN(), nullable=False),
        sa.Column("ends_at", _WHEN(), nullable=False),
        sa.Column("time_zone", _TEXT(length=64), nullable=False),
        sa.Column("location", _TEXT(length=300), nullable=False),
        sa.Column("online_url", _TEXT(length=500), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registration_deadline", _WHEN(), nullable=False),
        sa.Column("waitlist_enabled", sa.Boolean(), nullable=False),
        sa.Column("price_text", _TEXT(length=100), nullable=False),
        sa.Column("public_page", sa.Boolean(), nullable=False),
        sa.Column("visibility", _TEXT(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", _TEXT(length=80), nullable=False),
        sa.Column("status", _TEXT(length=20), nullable=False),
        sa.Column("seats_taken", sa.Integer(), nullable=False),
        sa.Column("queue_seq", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _WHEN(), nullable=False),
        sa.Column("updated_at", _WHEN(), nullable=False),
        sa.Column("cancelled_at", _WHEN(), nullable=True),
        # never more registered than the capacity, whatever the code does
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="ck_event_seats"),
        sa.ForeignKeyConstraint(["created_by_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_event_slug", "event", ["slug"], unique=True)
    op.create_index("ix_event_starts", "event", ["starts_at"])

    op.create_table(
        "eventcompany",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"]),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.PrimaryKeyConstraint("event_id", "company_id"),
    )
    op.create_index("ix_eventcompany_company_id", "eventcompany", ["company_id"])

    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("source", _TEXT(length=10), nullable=False),
        sa.Column("email", _TEXT(length=254), nullable=False),
        sa.Column("first_name", _TEXT(length=100), nullable=False),
        sa.Column("last_name", _TEXT(length=100), nullable=False),
        sa.Column("company_name", _TEXT(length=200), nullable=False),
        sa.Column("phone", _TEXT(length=50), nullable=False),
        sa.Column("status", _TEXT(length=20), nullable=False),
        sa.Column("queue_position", sa.Integer(), nullable=False),
        sa.Column("checked_in", sa.Boolean(), nullable=False),
        sa.Column("checked_in_at", _WHEN(), nullable=True),
        sa.Column("consent_at", _WHEN(), nullable=True),
        sa.Column("language", _TEXT(length=8), nullable=False),
        sa.Column("cancel_nonce", _TEXT(length=32), nullable=False),
        sa.Column("submission_id", _TEXT(length=64), nullable=True),
        sa.Column("created_at", _WHEN(), nullable=False),
        sa.Column("promoted_at", _WHEN(), nullable=True),
        sa.Column("cancelled_at", _WHEN(), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["registered_by_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_registration_contact", "registration", ["contact_id"])
    op.create_index("ix_registration_event_status_queue", "registration", ["event_id", "status", "queue_position"])
    # one seat or waiting place per email and event; a cancelled registration frees the email
    op.create_index("ux_registration_event_email", "registration", ["event_id", "email"], unique=True,
                    sqlite_where=_NOT_CANCELLED, postgresql_where=_NOT_CANCELLED)
    op.create_index("ux_registration_submission", "registration", ["submission_id"], unique=True)

    # text files sent with a mail (an event's .ics). Plain ALTER TABLE, as in 0008.
    op.add_column("outboxmail", sa.Column("attachments", sa.JSON(), nullable=False,
                                          server_default=sa.text("'[]'")))


def downgrade() -> None:
    op.drop_column("outboxmail", "attachments")  # SQLite 3.35+ drops a column in place
    op.drop_index("ux_registration_submission", table_name="registration")
    op.drop_index("ux_registration_event_email", table_name="registration")
    op.drop_index("ix_registration_event_status_queue", table_name="registration")
    op.drop_index("ix_registration_contact", table_name="registration")
    op.drop_table("registration")
    op.drop_index("ix_eventcompany_company_id", table_name="eventcompany")
    op.drop_table("eventcompany")
    op.drop_index("ix_event_starts", table_name="event")
    op.drop_index("ix_event_slug", table_name="event")
    op.drop_table("event")
