"""Submission ids: one form sent twice (a double click, an event resent after a reconnect) acts once.

A form carries a random id made when it was shown (`new_submission_id`, in a hidden input) and sends
it with what it creates; the row keeps it under a unique index, so the second sending finds the row
of the first and creates nothing. Tickets, comments and event registrations use it.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from .errors import ValidationFailed

RowT = TypeVar("RowT", bound=SQLModel)

_SUBMISSION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_submission_id() -> str:
    return secrets.token_urlsafe(16)


def parse_submission_id(value: Any) -> str | None:
    """The form's submission id; None when the caller sends none (nothing to compare then)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _SUBMISSION_ID.fullmatch(value):
        raise ValidationFailed({"form": "error.invalid"})
    return value


def created_by(session: Session, model: type[RowT], submission: str | None) -> RowT | None:
    """The row of `model` (a table with a unique `submission_id`) the form `submission` made, if any."""
    if submission is None:
        return None
    return session.exec(select(model).where(model.submission_id == submission)).first()  # type: ignore[attr-defined]


def commit_once(session: Session, row: RowT, submission: str | None) -> RowT:
    """Write `row` (new with `submission` as its id, or changed); when the same form, sent at the same
    moment, got there first (the unique index refuses the second), the first one's row."""
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        if (done := created_by(session, type(row), submission)) is None:
            raise
        return done
    session.refresh(row)
    return row
