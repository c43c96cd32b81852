"""Helpers shared by the state classes: running services and turning their errors into messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from ..db import session_scope
from ..i18n import translate
from ..services import mailer
from ..services.errors import ServiceError, ValidationFailed

log = logging.getLogger("portal.state")
T = TypeVar("T")


def run_service(fn: Callable[..., T], **kwargs: Any) -> T:
    """Call a service function with a fresh database session."""
    with session_scope() as session:
        return fn(session=session, **kwargs)


def field_errors(exc: ServiceError, lang: str) -> dict[str, str]:
    """Field name -> translated message (key "form" for errors that belong to no field)."""
    if isinstance(exc, ValidationFailed):
        return {name: translate(lang, key, **params) for name, (key, params) in exc.fields.items()}
    return {"form": translate(lang, exc.key, **exc.params)}


def send_later(mail: dict[str, str] | None) -> None:
    """Send a mail on a worker thread without holding up the event (failures are logged)."""
    if not mail:
        return

    def _send() -> None:
        try:
            mailer.send_mail(**mail)
        except Exception:  # noqa: BLE001 - a mail failure must not break the user's action
            log.exception("sending mail to %s failed", mail.get("to"))

    asyncio.get_running_loop().run_in_executor(None, _send)


def search_text(raw: Any, limit: int = 100) -> str:
    """A search box's value from untrusted input: stripped text, at most `limit` characters."""
    return raw.strip()[:limit] if isinstance(raw, str) else ""


def valid_page(page: Any, page_count: int) -> bool:
    """True for a whole page number within 1..page_count (bools and other types refused)."""
    return isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= max(1, page_count)
