"""Admin panel, users: accounts with login count, last login and status; unlock, disable."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..services.accounts import auth
from ..services.errors import ServiceError
from ..services.validation import parse_id
from .base import field_errors, run_service, search_text
from .paging import PAGE_SIZE, PagedRows
from .session import SessionState


class UserRow(TypedDict):
    account_id: int
    email: str
    name: str
    kind: str
    company: str
    login_count: int
    last_login: str
    locked: bool
    status: str  # "active", "invited" (no password yet), "locked" or "disabled"
    status_label: str
    href: str  # where the person is managed: its company's page ('' for staff)
    is_self: bool


class AdminUsersState(PagedRows, SessionState):
    rows: list[UserRow] = []
    query: str = ""

    def _load(self) -> None:
        actor = self._require_actor()
        stats, self.total = run_service(auth.login_statistics, actor=actor, query=self.query,
                                        limit=PAGE_SIZE, offset=(self.page - 1) * PAGE_SIZE)
        never = self._t("admin.never")
        self.rows = [
            {"account_id": s.account_id, "email": s.email, "name": s.name,
             "kind": self._t(f"admin.kind.{s.kind}"), "company": s.company, "login_count": s.login_count,
             "last_login": self._when(s.last_login_at) or never, "locked": s.locked,
             "status": s.status, "status_label": self._t(f"admin.status.{s.status}"),
             "href": f"/admin/company?id={s.company_id}" if s.company_id else "",
             "is_self": s.account_id == actor.account_id}
            for s in stats
        ]

    def _clear(self) -> None:
        self.rows, self.total = [], 0

    def _view_params(self) -> dict[str, str]:
        return {"q": self.query}

    @rx.event
    def load(self):
        self.query = search_text(self.router.url.query_parameters.get("q", ""))
        self.notice = ""
        self._open()

    @rx.event
    def search(self, form_data: dict):
        self.query = search_text(form_data.get("q") if isinstance(form_data, dict) else "")
        self.page = 1
        self._show()

    def _on_account(self, fn, account_id: object, done_key: str) -> None:
        """Run a staff tool on one account, then say so and reload the page of rows."""
        try:
            actor = self._require_actor()
            run_service(fn, actor=actor, account_id=parse_id(account_id, field="account_id"))
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            return
        self.notice = self._t(done_key)
        self._run()

    @rx.event
    def unlock(self, account_id: int):
        self._on_account(auth.unlock, account_id, "admin.unlocked")

    @rx.event
    def disable(self, account_id: int):
        """Staff turns a login off; its sessions end at once (auth.disable_account)."""
        self._on_account(auth.disable_account, account_id, "admin.disabled")
