"""Submission ids: one form sent twice (a double click, an event resent after a reconnect) acts once.

A form carries a random id made when it was shown (`new_submission_id`, in a hidden input) and sends
it with what it creates; the row keeps it under a unique index, so the second sending finds the row
of the first and creates nothing. Tickets, comments and event registrations use it.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from .errors import ValidationFailed

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
