"""`UrlList`: a list whose view (status filter, search, sort, page) lives in the URL query, so a view
can be bookmarked and the back button works. A page opened at an address (a link, a bookmark, back
or forward) reads it in on_load; a click that changes the view shows it in the same event and hands
its address to the list's `url_sync`, which puts it in the address bar (one event per click, not a
redirect and a navigation's two more). The invoice, quote, order, opportunity and catalog lists mix
it in before SessionState and say what they allow:

    QUOTES = ListSpec(path="/quotes", statuses=QUOTE_STATUSES, sorts=QUOTE_SORTS, default_sort="-number",
                      columns=("number", "created", ...), label_prefix="quotes.col")

    class QuoteListState(UrlList, SessionState):
        def _spec(self) -> ListSpec:
            return QUOTES

        def _may_show(self, actor) -> bool:
            return not actor.is_staff and sees_catalog(actor)

and fill their rows in `_fill(actor)` from `self._query` (only known values are ever in it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import parse_qs, parse_qsl, urlencode

import reflex as rx

from ..services import live
from ..services.errors import ServiceError
from .base import search_text

PAGE_SIZE = 25


@dataclass(frozen=True)
class ListSpec:
    """What a list allows: its address, status values, sort columns (the default one with "-" for
    descending), columns in order (those in `sorts` sort), the message prefix of their labels, and
    further filters (ids) kept in the query."""

    path: str
    statuses: tuple[str, ...]
    sorts: tuple[str, ...]
    default_sort: str
    columns: tuple[str, ...]
    label_prefix: str
    extra: tuple[str, ...] = ()

    def read(self, raw: str) -> dict[str, str]:
        return read_query(raw, statuses=self.statuses, sorts=self.sorts, default_sort=self.default_sort,
                          extra=self.extra)


class SortColumn(TypedDict):
    key: str
    label: str
    arrow: str
    sortable: bool


class SortChoice(TypedDict):
    value: str  # a `sort` of the query: "total", or "-total" for descending
    label: str


def _first(values: dict[str, list[str]], key: str) -> str:
    found = values.get(key) or [""]
    return found[0] if isinstance(found[0], str) else ""


def read_query(raw: str, *, statuses: tuple[str, ...], sorts: tuple[str, ...], default_sort: str,
               extra: tuple[str, ...] = ()) -> dict[str, str]:
    """The list's view from a URL query: only known values; anything else falls back to the default.
    `extra` names further filters whose values the list checks itself (a category id)."""
    values = parse_qs(raw or "", keep_blank_values=False)
    query: dict[str, str] = {}
    status = _first(values, "status")
    if status in statuses:
        query["status"] = status
    for name in extra:
        value = _first(values, name)
        if value.isdigit() and len(value) < 10:
            query[name] = value
    q = search_text(_first(values, "q"), 100).strip()
    if q:
        query["q"] = q
    sort = _first(values, "sort")
    if sort.lstrip("-") in sorts and sort != default_sort and sort.count("-") <= 1 and not sort.endswith("-"):
        query["sort"] = sort
    page = _first(values, "page")
    if page.isdigit() and len(page) < 6 and int(page) > 1:
        query["page"] = str(int(page))
    return query


def address_here(state: rx.State) -> str:
    """The address the browser is at (as its last event said)."""
    url = state.router.url
    return f"{url.path}?{url.query}" if url.query else url.path


def _view_of(address: str) -> dict[str, frozenset[str]]:
    """What an address's query asks a list for, its comma lists read as sets (a repeated name: its last)."""
    return {k: frozenset(v.split(",")) for k, v in parse_qsl(address.partition("?")[2])}


def correct_address(state, shown: str) -> None:  # noqa: ANN001  (a list state with `moved_to` and `_moved_from`)
    """After a page load: when the address asked for holds what the list ignored or put right
    (`?page=-1`, `?sort=foo`, a page past the end), the address of the view `shown` replaces it
    (`follow_moved_page`), so a bookmark or a shared link says what it shows."""
    asked = address_here(state)
    if _view_of(asked) != _view_of(shown):
        state._moved_from = asked
        state._put(moved_to=shown)


def follow_moved_page(state):  # noqa: ANN001  (a list state with `moved_to` and `_moved_from`)
    """The list shows another view than its address said (`correct_address`; a page past the end:
    the last): the shown view's address (`moved_to`) replaces the one asked for (no new history
    entry). Nothing when the browser has moved on since."""
    target, asked = state.moved_to, state._moved_from
    state._moved_from = ""
    state._put(moved_to="")
    if not target or asked != address_here(state):
        return None
    return rx.redirect(target, replace=True)


class UrlList(rx.State, mixin=True):
    total: int = 0
    page: int = 1
    pages: int = 1
    page_text: str = ""
    sel_status: str = ""
    q: str = ""
    columns: list[SortColumn] = []
    sort_value: str = ""  # the view's sort ("-number"), chosen in the phone's "Sort by" menu
    sort_choices: list[SortChoice] = []  # that menu: each sortable column, ascending and descending
    # the URL asked for what the list ignored or put right (a page past the end: the last page is
    # shown): `list_table` puts the shown view's address (this) in its place (`follow_page`); '' when
    # the URL says what is shown
    moved_to: str = ""
    # the address of a view a click showed (`url_sync` puts it in the address bar); '' after a page
    # load, whose address the browser already shows
    view_url: str = ""
    filtered: bool = False  # a filter or a search narrows the list (its empty message differs)
    loaded: bool = False
    _query: dict[str, str] = {}
    _moved_from: str = ""  # the address that `moved_to` replaces
    _seen: int = -1  # a live list's change counter (services/live.py) when its rows were read

    def _spec(self) -> ListSpec:
        raise NotImplementedError

    def _fill(self, actor) -> None:  # noqa: ANN001
        raise NotImplementedError

    def _clear(self) -> None:
        self._put(rows=[], total=0, loaded=False)  # type: ignore[attr-defined]

    def _may_show(self, actor) -> bool:  # noqa: ANN001
        """Whether `actor` may see this list now, checked again on every click that changes the view.
        False (a list that does not say): the click navigates and the page's on_load guards it."""
        return False

    def _reset(self) -> None:
        """What a (re)load of the page and a new view start from (a notice of the last action)."""

    def _open_list(self, *, staff_path: str):
        """A customer list page's one on_load handler: the guard; staff to its own list in the admin
        panel; "not available" without the module (`_may_show`; nothing queried); else the page of
        the URL's view."""
        actor, elsewhere = self._enter(staff=False)  # type: ignore[attr-defined]
        self._put(view_url="")  # type: ignore[attr-defined]
        if actor is None:
            self._clear()
            return elsewhere
        if actor.is_staff:
            self._clear()
            return rx.redirect(staff_path)
        if not self._may_show(actor):
            self._clear()
            self._show_unavailable()  # type: ignore[attr-defined]
            self._loaded()  # type: ignore[attr-defined]
            return None
        self._read_query()
        try:
            self._fill(actor)
            self._correct_address()
        except ServiceError:
            self._clear()
            self._show_unavailable()  # type: ignore[attr-defined]
        self._loaded()  # type: ignore[attr-defined]
        return None

    def _correct_address(self) -> None:
        """After a page load's `_fill`: the address says the view shown (`correct_address`)."""
        correct_address(self, self._href(self._query))

    def _follow(self, key: str) -> None:
        """A live list's timer (`components/live_tick.py`): the view read again only when the counter
        `key` moved since its rows were read (`_fill` keeps it in `_seen` before reading them)."""
        if not self.loaded or live.versions(key)[0] == self._seen:
            return
        try:
            self._fill(self._require_actor())  # type: ignore[attr-defined]
        except ServiceError:
            self._clear()

    def _view_query(self, raw: str) -> dict[str, str]:
        """The view a URL query asks for: only known values (lists with further filters say more)."""
        return self._spec().read(raw)

    def _read_query(self) -> None:
        self._query = self._view_query(self.router.url.query or "")

    def _sort(self) -> tuple[str, bool]:
        """(column, descending) of the view."""
        sort = self._query.get("sort", self._spec().default_sort)
        return sort.lstrip("-"), sort.startswith("-")

    def _offset(self) -> int:
        return (int(self._query.get("page", "1")) - 1) * PAGE_SIZE

    def _show_page(self, total: int, page_text_key: str) -> None:
        """The pager, the sort arrows and menu, and the filter's echo for `total` matching rows. A page
        past the end (an old link, a list that shrank) is replaced by the last page, filled again."""
        spec = self._spec()
        sort = self._query.get("sort", spec.default_sort)
        page = int(self._query.get("page", "1"))
        pages = max(1, -(-total // PAGE_SIZE))
        if page > pages:
            asked = self._here()
            self._query = {k: v for k, v in self._query.items() if k != "page"} | (
                {"page": str(pages)} if pages > 1 else {})
            if total:  # the rows of the last page (its page number is lower: this ends)
                self._fill(self._require_actor())  # type: ignore[attr-defined]  (SessionState's)
            else:
                self._show_page(total, page_text_key)
            self._moved_from = asked
            self._put(moved_to=self._href(self._query))  # type: ignore[attr-defined]
            return
        t = self._t  # type: ignore[attr-defined]  (SessionState's)
        self._put(  # type: ignore[attr-defined]
            columns=[{"key": k, "label": t(f"{spec.label_prefix}.{k}"), "sortable": k in spec.sorts,
                      "arrow": "▲" if sort == k else "▼" if sort == f"-{k}" else ""} for k in spec.columns],
            sort_value=sort,
            sort_choices=[{"value": f"{sign}{k}", "label": t(key, column=t(f"{spec.label_prefix}.{k}"))}
                          for k in spec.columns if k in spec.sorts
                          for sign, key in (("", "list.sort_ascending"), ("-", "list.sort_descending"))],
            total=total, page=page, pages=pages, page_text=t(page_text_key, page=page, pages=pages, total=total),
            sel_status=self._query.get("status", ""), q=self._query.get("q", ""),
            filtered=bool(set(self._query) - {"sort", "page"}), loaded=True, moved_to="",
        )

    def _here(self) -> str:
        return address_here(self)

    def _href(self, query: dict[str, Any]) -> str:
        """The list's address for a view (only its known values, the defaults left out)."""
        spec = self._spec()
        encoded = urlencode(spec.read(urlencode(query)))
        return f"{spec.path}?{encoded}" if encoded else spec.path

    def _go(self, **changes: str | None):
        """Show the same list with some query values changed (None removes one; any change but the
        page's goes back to page 1)."""
        query: dict[str, Any] = dict(self._query)
        for key, value in changes.items():
            if value in (None, ""):
                query.pop(key, None)
            else:
                query[key] = value
        if "page" not in changes:
            query.pop("page", None)
        return self._show_view(query)

    def _show_view(self, query: dict[str, Any]):
        """A click's view, shown now and its address sent to `url_sync` (a page past the end: the
        last page's). Who may see the list is checked again; when the tab shows no list, the check
        fails or the service refuses, the browser navigates to the address instead and the page's
        on_load guards it and says why."""
        href = self._href(query)
        actor = self._actor() if self.loaded else None  # type: ignore[attr-defined]
        if actor is None or not self._may_show(actor):
            return rx.redirect(href)
        before = self._query
        self._query = self._view_query(urlencode(query))
        try:
            self._fill(actor)
        except ServiceError:
            self._query = before
            return rx.redirect(href)
        self._reset()
        self._moved_from = ""
        self._put(view_url=self._href(self._query), moved_to="")  # type: ignore[attr-defined]
        return None

    @rx.event
    def set_status(self, status: str):
        if not isinstance(status, str) or status not in ("", *self._spec().statuses):
            return None
        return self._go(status=status or None)

    @rx.event
    def search(self, form_data: dict):
        q = form_data.get("q", "") if isinstance(form_data, dict) else ""
        return self._go(q=search_text(q, 100).strip() or None)

    @rx.event
    def sort_by(self, key: str):
        spec = self._spec()
        if not isinstance(key, str) or key not in spec.sorts:
            return None
        current = self._query.get("sort", spec.default_sort)
        new = f"-{key}" if current == key else key  # a second click turns the order round
        return self._go(sort=None if new == spec.default_sort else new)

    @rx.event
    def set_sort(self, value: str):
        """The "Sort by" menu (phones, where the column headers are hidden): a column and a direction."""
        spec = self._spec()
        if not isinstance(value, str) or value.removeprefix("-") not in spec.sorts:
            return None
        return self._go(sort=None if value == spec.default_sort else value)

    @rx.event
    def follow_page(self):
        return follow_moved_page(self)

    @rx.event
    def go_to_page(self, page: int):
        if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= self.pages:
            return None
        return self._go(page=None if page == 1 else str(page))

    @rx.event
    def clear(self):
        return self._show_view({})
