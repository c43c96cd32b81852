"""`PagedRows`: a staff list shown a page at a time with the admin pager (`components.admin_nav.pager`),
its view (search, filter, page) in the address: reloaded, bookmarked or gone back to, it shows the
same rows.

A state mixes it in before SessionState (`class AdminMailState(PagedRows, SessionState)`), defines
`rows`, `_load()` (fill `rows` and `total` for `page`, through a service), `_clear()` (show nothing)
and `_view_params()` (its filters as the address's query), reads them from the address in its
on_load and calls `_open()`, and calls `_show()` whenever the page or a filter changes.
"""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from ..services.errors import NotAuthenticated, ServiceError
from .base import field_errors, valid_page
from .url_list import correct_address, follow_moved_page

PAGE_SIZE = 25
_LONGEST_PAGE = 7  # digits of a page number read from the address ("?page=9999999" at most)


class PagedRows(rx.State, mixin=True):
    total: int = 0
    page: int = 1
    notice: str = ""
    errors: dict[str, str] = {}
    view_url: str = ""  # the address of the view shown: the pager's url_sync puts it in the address bar
    # the address asked for held what the view ignored or put right (`?page=-1`, a page past the end):
    # the pager puts the shown view's address (this) in its place (`follow_page`)
    moved_to: str = ""
    _moved_from: str = ""

    def _load(self) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        raise NotImplementedError

    def _view_params(self) -> dict[str, str]:
        """The view's filters as the address's query (only those not at their default)."""
        return {}

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

    def _open(self) -> None:
        """On load, after the filters were read from the address: its page (past the end: the last)."""
        asked = str(self.router.url.query_parameters.get("page", ""))  # type: ignore[attr-defined]
        self.page = int(asked) if asked.isascii() and asked.isdigit() and len(asked) <= _LONGEST_PAGE else 1
        self.page = max(1, self.page)
        self._run()
        if self.page > self.page_count:
            self.page = self.page_count
            self._run()
        self.view_url = ""  # the address shown is the view's own, or is put right here:
        self.moved_to = ""
        correct_address(self, self._address())

    def _address(self) -> str:
        params = {k: v for k, v in self._view_params().items() if v}
        if self.page > 1:
            params["page"] = str(self.page)
        path = self.router.url.path or "/"  # type: ignore[attr-defined]
        return f"{path}?{urlencode(params)}" if params else path

    def _show(self) -> None:
        """The page (or a filter) changed: its rows, and its address."""
        self._run()
        self.view_url = self._address()
        self.moved_to = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.event
    def follow_page(self):
        return follow_moved_page(self)

    @rx.event
    def go_to_page(self, page: int):
        if valid_page(page, self.page_count):
            self.page = page
            self._show()
