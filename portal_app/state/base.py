"""Helpers shared by the state classes: running services, turning their errors into messages, and
the page's own address."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar
from urllib.parse import unquote

from ..db import session_scope
from ..i18n import translate
from ..services.mail import mailer, outbox
from ..services.errors import FieldsRefused, ServiceError, ValidationFailed
from ..services.validation import fold_line

log = logging.getLogger("portal.state")
T = TypeVar("T")


def run_service(fn: Callable[..., T], **kwargs: Any) -> T:
    """Call a service function with a fresh database session."""
    with session_scope() as session:
        return fn(session=session, **kwargs)


async def while_busy(state: Any, work: Callable[..., Any], *args: Any, flag: str = "busy") -> AsyncIterator[Any]:
    """Run a form's handler body with `state.busy` set (a page's second form: its own `flag`), for
    the submit button to disable itself (`components.forms.submit_button`): the flag goes to the
    browser first (the first yield), then `work(*args)` runs (awaited when it is a coroutine), and
    the flag is cleared on every way out; what `work` returns (a redirect, or None) is yielded last.
    Use it as

        @rx.event
        async def submit(self, form_data: dict):
            async for update in while_busy(self, self._submit, form_data):
                yield update
    """
    setattr(state, flag, True)
    yield None
    try:
        result = work(*args)
        if inspect.isawaitable(result):
            result = await result
    finally:
        setattr(state, flag, False)
    yield result


def field_errors(exc: ServiceError, lang: str) -> dict[str, str]:
    """Field name -> translated message (key "form" for errors that belong to no field)."""
    if isinstance(exc, ValidationFailed | FieldsRefused):
        return {name: translate(lang, key, **params) for name, (key, params) in exc.fields.items()}
    return {"form": translate(lang, exc.key, **exc.params)}


def send_later(mail: dict[str, str] | list[dict[str, str]] | None) -> None:
    """Put a mail (or several) in the persistent outbox, then try to deliver it at once on a worker
    thread, without holding up the event. What fails there is retried by the mail worker
    (`maintenance.mail_delivery`) and, when it keeps failing, shown to staff at /admin/mail."""
    mails = [m for m in (mail if isinstance(mail, list) else [mail]) if m]
    if not mails:
        return
    try:
        ids = run_service(outbox.enqueue, mails=mails)
    except Exception:  # noqa: BLE001 - the user's action is done; the mail must still go out
        log.exception("could not store %d mails in the outbox: sending them directly", len(mails))
        _in_background(_send_directly, mails)
        return
    deliver_soon(ids)


def deliver_soon(ids: list[int]) -> None:
    """One delivery attempt of these outbox mails now, on a worker thread (the event goes on)."""
    _in_background(_deliver, ids)


def deliver_due_soon() -> None:
    """One pass of the mail worker now, on a worker thread: after a service that put its mails in
    the outbox in its own transaction without naming them (an invoice issued or credited)."""
    _in_background(_deliver, None)


def _deliver(ids: list[int] | None) -> None:
    try:
        with session_scope() as session:
            outbox.deliver_due(session=session, ids=ids)
    except Exception:  # noqa: BLE001 - the mail worker tries again
        log.exception("delivering mails %s failed; the mail worker retries them", ids)


def _send_directly(mails: list[dict[str, str]]) -> None:
    for mail in mails:
        try:
            mailer.send_mail(**mail)
        except Exception:  # noqa: BLE001 - nothing else is left to try
            log.exception("sending mail to %s failed", mail.get("to"))


def _in_background(fn: Callable[[Any], None], arg: Any) -> None:
    """Run `fn(arg)` on the event loop's worker threads (inline when no loop runs)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        fn(arg)
        return
    loop.run_in_executor(None, fn, arg)


def search_text(raw: Any, limit: int = 100) -> str:
    """A search box's value from untrusted input: text on one line (control characters folded or
    dropped, `fold_line`), at most `limit` characters."""
    return fold_line(raw)[:limit] if isinstance(raw, str) else ""


def valid_page(page: Any, page_count: int) -> bool:
    """True for a whole page number within 1..page_count (bools and other types refused)."""
    return isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= max(1, page_count)


def last_segment(state: Any) -> str:
    """The last segment of the page's path (`/events/<slug>`, `/events/cancel/<token>`), as sent."""
    path = (state.router.url.path or "").rstrip("/")
    return unquote(path.rsplit("/", 1)[-1]) if "/" in path else ""


def messages_for(messages: dict[str, str], fields: tuple[str, ...]) -> dict[str, str]:
    """A form's messages: next to its `fields`; one about anything else (an id, a tick) at the top ("form")."""
    out = {k: v for k, v in messages.items() if k in (*fields, "form")}
    rest = [v for k, v in messages.items() if k not in out]
    if rest and "form" not in out:
        out["form"] = rest[0]
    return out


def already_done(exc: ServiceError, key: str) -> bool:
    """Whether a refusal only says that what the user asked for already holds ("This registration is
    already cancelled"): a second click of the same Confirm, or another tab first. The page then says
    what the first click said, not an error after a success."""
    return isinstance(exc, ValidationFailed) and any(value[0] == key for value in exc.fields.values())


def one_message(messages: dict[str, str]) -> dict[str, str]:
    """A page without fields shows one message, at the top ("form")."""
    return {"form": messages.get("form") or next(iter(messages.values()), "")} if messages else {}


async def read_upload(chunk_iter: rx.UploadChunkIterator, limit: int) -> bytes | None:
    """The first file of an upload, at most `limit + 1` bytes (the rest is read and dropped: the
    service then refuses the file as too large); None when no file came."""
    data = bytearray()
    first: str | None = None
    async for chunk in chunk_iter:
        if first is None:
            first = chunk.filename
        if chunk.filename == first and len(data) <= limit:
            data += chunk.data[:limit + 1 - len(data)]
    return bytes(data) if first is not None else None
