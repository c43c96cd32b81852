"""Admin panel, mail outbox: mails waiting to be sent or given up on (staff only); send a failed one again."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..models import MailStatus
from ..services.mail import outbox
from ..services.errors import ServiceError
from .base import deliver_soon, field_errors, run_service
from .paging import PAGE_SIZE, PagedRows
from .session import SessionState

FILTERS = tuple(outbox.STATUS_FILTERS)  # "unsent" (the default), "failed", "pending", "sent"


class MailRow(TypedDict):
    id: int
    to: str
    subject: str
    status: str
    status_label: str
    attempts: int
    last_error: str
    created: str
    next_attempt: str
    can_retry: bool


class AdminMailState(PagedRows, SessionState):
    rows: list[MailRow] = []
    status_filter: str = "unsent"
    pending_count: int = 0
    failed_count: int = 0

    def _load(self) -> None:
        actor = self._require_actor()
        mails, self.total = run_service(outbox.list_mails, actor=actor, status=self.status_filter,
                                        offset=(self.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        counts = run_service(outbox.status_counts, actor=actor)
        self.pending_count, self.failed_count = counts["pending"], counts["failed"]
        self.rows = [
            {"id": m.id, "to": m.to, "subject": m.subject, "status": m.status,
             "status_label": self._t(f"admin.mail_status.{m.status}"), "attempts": m.attempts,
             "last_error": m.last_error, "created": self._when(m.created_at),
             "next_attempt": self._when(m.next_attempt_at) or self._when(m.sent_at),
             "can_retry": m.status == MailStatus.FAILED}
            for m in mails
        ]

    def _clear(self) -> None:
        self.rows, self.total, self.pending_count, self.failed_count = [], 0, 0, 0

    def _view_params(self) -> dict[str, str]:
        return {"status": self.status_filter if self.status_filter != "unsent" else ""}

    @rx.event
    def load(self):
        status = self.router.url.query_parameters.get("status", "")
        self.status_filter = status if isinstance(status, str) and status in FILTERS else "unsent"
        self.notice = ""
        self._open()

    @rx.event
    def show(self, status: str):
        """Switch the list to mails of one status filter (one of `FILTERS`)."""
        if not isinstance(status, str) or status not in FILTERS:
            return
        self.status_filter, self.page, self.notice = status, 1, ""
        self._show()

    @rx.event
    def retry(self, mail_id: int):
        try:
            actor = self._require_actor()
            mid = run_service(outbox.retry, actor=actor, mail_id=mail_id)
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            return
        deliver_soon([mid])  # one attempt at once, on a worker thread; then the mail worker's retries
        self.notice = self._t("admin.mail_retried")
        self._run()
