"""Rate-limit hits and the persistent mail outbox: what the security rules keep in the database,
so they hold across workers and restarts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from .common import utcnow


class ThrottleHit(SQLModel, table=True):
    """One counted attempt in a sliding window (`services/throttle.py`).

    `bucket` names what is limited and for whom, e.g. `login-ip:203.0.113.7` or
    `reset-email:<sha256 of the address>`; a row is written before the guarded work runs, so
    attempts in flight count too.
    """

    __table_args__ = (Index("ix_throttlehit_bucket_at", "bucket", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=utcnow)


class MailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; staff sees it and can retry


class OutboxMail(SQLModel, table=True):
    """A mail the portal must send: written in the same transaction as the action that caused it,
    then delivered (and retried) by the mail worker (`services/mail/outbox.py`)."""

    __table_args__ = (Index("ix_outboxmail_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(max_length=100_000)
    # files sent with the mail, as text: [{"filename", "content_type", "content"}] (an event's .ics)
    attachments: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    status: str = Field(default=MailStatus.PENDING, max_length=10)
    attempts: int = Field(default=0)
    last_error: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None)
