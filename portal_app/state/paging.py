"""`PagedRows`: a list shown a page at a time with the admin pager (`components.admin_nav.pager`).

A state mixes it in before SessionState (`class AdminMailState(PagedRows, SessionState)`), defines
`rows`, `_load()` (fill `rows` and `total` for `page`, through a service) and `_clear()` (show
nothing), and calls `_run()` whenever the page or a filter changes.
"""

from __future__ import annotations

import reflex as rx

from ..services.errors import NotAuthenticated, ServiceError
from .base import field_errors, valid_page

PAGE_SIZE = 25


class PagedRows(rx.State, mixin=True):
    total: int = 0
    page: int = 1
    notice: str = ""
    errors: dict[str, str] = {}

    def _load(self) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        """Load the current page; a refusal shows nothing, with its message (unless signed out)."""
        try:
            self._load()
            self.errors = {}
        except NotAuthenticated:
            self._clear()
        except ServiceError as exc:
            self._clear()
            self.errors = field_errors(exc, self.lang)  # type: ignore[attr-defined]  (SessionState's)

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.event
    def go_to_page(self, page: int):
        if valid_page(page, self.page_count):
            self.page = page
            self._run()
