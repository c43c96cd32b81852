"""The ticket list (/tickets for customers and collaborators, /admin/tickets for staff).

The URL query is the source of truth, so a view can be bookmarked and the back button works: a page
opened at an address (a link, a bookmark, back or forward) reads it in on_load and queries one page.
A filter, search, sort or page click shows its view in the same event and hands the view's address
to the page's `url_sync`, which puts it in the address bar as a history entry (one event and one
round trip per click instead of a redirect and a navigation's two more).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import replace
from typing import TypedDict
from urllib.parse import parse_qs, urlencode

import reflex as rx

from ..i18n import format_when, translate
from ..models import SEVERITIES, ModuleAccess
from ..services import live
from ..services.companies import directory
from ..services.accounts.actor_cache import IDENTITY
from ..services.tickets import scope, ticket_list, ticket_search
from ..services.tickets import core as tickets
from ..services.errors import NotAuthenticated, ServiceError
from ..services.tickets.ticket_rules import CATEGORIES, PRIORITIES, STATUSES
from ..services.validation import is_id
from .base import run_service
from .company_picker import CLOSED_MATCHES, CompanyMatches
from .session import SessionState
from .url_list import correct_address, follow_moved_page


MULTI_FILTERS = {"status": "statuses", "category": "categories", "priority": "priorities", "severity": "severities"}
# the staff inbox's "Awaiting us" link: new tickets and those waiting for support
AWAITING_US_HREF = "/admin/tickets?" + urlencode(ticket_list.awaiting_support_query())



def _search_note(t, q: str) -> str:  # noqa: ANN001
    """What the list says about a search it cannot take as typed ('' when it can)."""
    if ticket_list.searches_no_word(q):
        return t("tickets.search_no_words", q=q)
    if short := ticket_search.short_prefixes(q):
        return t("tickets.search_short_prefix", words=", ".join(f"“{w}*”" for w in short))
    return ""

class TicketItem(TypedDict):
    number: int
    title: str
    category: str
    severity: str
    priority: str
    status: str
    created_by: str
    company: str
    assignee: str
    created: str
    updated: str


class Choice(TypedDict):
    value: str
    label: str


class SortColumn(TypedDict):
    key: str
    label: str
    arrow: str


def _format_rows(page: ticket_list.TicketPage, lang: str, zone: str, staff: bool, company: bool) -> list[TicketItem]:
    def t(key: str) -> str:
        return translate(lang, key)
    return [
        {"number": r.number, "title": r.title, "category": t(f"ticket.category.{r.category}"),
         "severity": str(r.severity), "priority": t(f"ticket.priority.{r.priority}"),
         "status": t(f"ticket.status.{r.status}"), "created_by": r.created_by,
         # the assignee column is staff's; the company column theirs and a collaborator's (many companies)
         "company": r.company if staff or company else "",
         "assignee": (r.assignee or t("tickets.unassigned")) if staff else "",
         "created": format_when(r.created_at, lang, zone), "updated": format_when(r.updated_at, lang, zone)}
        for r in page.rows
    ]


class _ShownRows:
    """A page's rows as the list shows them, kept per page object, language, time zone and view.

    A page from the shared page cache is the same object for every viewer of the same view: its
    rows are formatted once (labels and dates of up to 100 rows) and every tab's state holds the
    same list, where 500 tabs on one view held 500 copies of about 12 KB. The lists are only ever
    replaced in a state, never changed in place. Least recently used go first past `MAX_ENTRIES`.
    An entry refers to its page weakly: a page the page cache has let go is not kept alive here
    (its rows are what the garbage collector walks), and a dead page's entry is never matched.
    """

    MAX_ENTRIES = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, str, str, bool, bool],
                                   tuple[weakref.ref[ticket_list.TicketPage], list[TicketItem]]] = OrderedDict()

    def __call__(self, page: ticket_list.TicketPage, *, lang: str, staff: bool, zone: str = "",
                 company: bool = False) -> list[TicketItem]:
        key = (id(page), lang, zone, staff, company)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0]() is page:
                self._entries.move_to_end(key)
                return entry[1]
        rows = _format_rows(page, lang, zone, staff, company)
        with self._lock:
            self._entries[key] = (weakref.ref(page), rows)
            while len(self._entries) > self.MAX_ENTRIES:
                self._entries.popitem(last=False)
        return rows


shown_rows = _ShownRows()


class TicketListState(CompanyMatches, SessionState):
    rows: list[TicketItem] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    page_size: str = "25"
    # the filters' labels are in the page (translated in the browser); only the selection and counts travel
    status_count: dict[str, int] = {}
    sel_status: list[str] = []
    sel_category: list[str] = []
    sel_severity: list[str] = []
    sel_priority: list[str] = []
    assignee_choices: list[Choice] = []  # staff and collaborators: loaded once per visit
    company_label: str = ""  # the company filter is a search box (`CompanyMatches`): the one chosen
    company_value: str = ""
    assignee_value: str = ""
    columns: list[SortColumn] = []
    sort_value: str = ""  # the view's sort ("-updated"), for the phone's "Sort by" menu (the headers are hidden)
    mine: bool = False
    q: str = ""
    page_text: str = ""
    staff_view: bool = False
    company_column: bool = False  # a collaborator's list spans companies: it names each ticket's company
    can_create: bool = False
    filtered: bool = False  # a filter or a search narrows the list (its empty message differs)
    search_note: str = ""  # the search has no word to look for ("😀"): said beside the box
    loaded: bool = False
    # the URL asked for what the list ignored or put right (a page past the end: the last page is
    # shown): the shown view's address (this) replaces it (`follow_page`, as the other lists'
    # `url_list`); '' when the URL says what is shown
    moved_to: str = ""
    _moved_from: str = ""
    # the address of a view a click showed (the page's `url_sync` puts it in the address bar); ''
    # after a page load, whose address the browser already shows
    view_url: str = ""
    _filters_query: dict[str, str] = {}
    _seen: int = -1
    _assignees_seen: tuple[int, str] = (-1, "")  # (identity counter, language) the assignee menu was built at

    def _base_path(self) -> str:
        return "/admin/tickets" if self.staff_view else "/tickets"

    def _current(self) -> ticket_list.TicketFilters:
        return ticket_list.parse_filters(parse_qs(self.router.url.query or "", keep_blank_values=False))

    def _fill(self, actor, filters: ticket_list.TicketFilters) -> None:  # noqa: ANN001
        # the counter before the read (as `TicketDetailState._fill`): a change committed meanwhile is then
        # the next tick's to show
        seen = live.versions(tickets.status_counts_key(actor))[0]
        # on the event loop: on a worker thread it cost more CPU than it freed (docs/benchmarks.md)
        result = run_service(ticket_list.list_tickets, actor=actor, filters=filters)
        t = self._t
        rows = shown_rows(result, lang=self.lang, staff=self.staff_view, zone=self._time_zone,
                          company=self.company_column)
        keys = ["number", "title", "category", "severity", "priority", "status", "created_by", "created", "updated"]
        if self.staff_view:
            keys[6:6] = ["company", "assignee"]
        elif self.company_column:
            keys[6:6] = ["company"]
        # only what changed goes into the reply: the same value assigned again would be sent again
        self._put(
            rows=rows, total=result.total, page=result.page, pages=result.pages,
            page_text=t("tickets.page_of", page=result.page, pages=result.pages, total=result.total),
            page_size=str(filters.page_size),
            status_count={s: result.status_counts.get(s, 0) for s in STATUSES},
            sel_status=sorted(filters.statuses), sel_category=sorted(filters.categories),
            sel_severity=sorted(str(s) for s in filters.severities), sel_priority=sorted(filters.priorities),
            columns=[{"key": k, "label": t(f"tickets.col.{k}"),
                      "arrow": ("▲" if filters.sort == k else "▼" if filters.sort == f"-{k}" else "")} for k in keys],
            sort_value=filters.sort, mine=filters.mine, q=filters.q, company_value=str(filters.company_id or ""),
            assignee_value=filters.assignee,
            search_note=_search_note(t, filters.q),
        )
        self._filters_query = filters.to_query()
        # sorting, paging and the page size choose how the tickets are shown, not which
        filtered = bool(set(self._filters_query) - {"sort", "page", "size"})
        if self.filtered != filtered:
            self.filtered = filtered
        self._seen = seen

    def _load(self, *, staff: bool):
        """The page's only on_load handler (a self-guarded page): the guard, the list, the ready marker."""
        self._put(staff_view=staff)
        actor, elsewhere = self._enter(staff=staff)
        if actor is None:
            self.rows, self.total, self.loaded = [], 0, False
            return elsewhere
        if not self._may_list(actor):
            # switched off or not in the profile: the shell says so at this URL; nothing is queried
            self.rows, self.total, self.loaded, self.can_create = [], 0, False, False
            self.status_count, self.filtered = {}, False
            self._show_unavailable()
            self._loaded()
            return None
        support = scope.is_support(actor)
        self._put(can_create=not staff and not support and actor.can("tickets", ModuleAccess.EDIT),
                  company_column=not staff and support)
        self._put(moved_to="", view_url="")
        self._show(actor, self._current())
        # values the list ignored or put right (a page past the end: the last page is shown): the
        # shown view's address replaces the one asked for (`follow_page`)
        correct_address(self, self._address())
        self._loaded()
        return None

    def _may_list(self, actor) -> bool:  # noqa: ANN001
        return actor.is_staff if self.staff_view else actor.can("tickets")

    def _show(self, actor, filters: ticket_list.TicketFilters) -> None:  # noqa: ANN001
        """The page of `filters` (and staff's menus); past the end, the last page (`_filters_query`
        then says which)."""
        if self.staff_view:
            self._staff_menus(actor, filters)
        self._fill(actor, filters)
        if filters.page > self.pages:  # the service answered with the last page
            self._filters_query = {k: v for k, v in self._filters_query.items() if k != "page"} | (
                {"page": str(self.pages)} if self.pages > 1 else {})
        self._put(loaded=True)

    def _address(self, query: dict[str, str] | None = None) -> str:
        encoded = urlencode(self._filters_query if query is None else query)
        return f"{self._base_path()}?{encoded}" if encoded else self._base_path()

    def _staff_menus(self, actor, filters: ticket_list.TicketFilters) -> None:  # noqa: ANN001
        """The assignee menu when the people in it may have changed; the chosen company's name."""
        seen = (live.versions(IDENTITY)[0], self.lang)
        if seen != self._assignees_seen or seen[0] < 0:
            people = run_service(tickets.assignable_accounts, actor=actor)
            self._put(assignee_choices=[{"value": str(p.account_id), "label": p.name} for p in people])
            self._assignees_seen = seen
        label = ""
        if filters.company_id is not None:
            if str(filters.company_id) == self.company_value and self.company_label:
                label = self.company_label
            else:
                try:
                    label = run_service(directory.get_company, actor=actor, company_id=filters.company_id).name
                except ServiceError:  # an address naming no company: its list is empty, and says why
                    label = translate(self.lang, "tickets.company_unknown")
        self._put(company_label=label, **CLOSED_MATCHES)

    @rx.event
    def load(self):
        return self._load(staff=False)

    @rx.event
    def follow_page(self):
        return follow_moved_page(self)

    @rx.event
    def load_staff(self):
        return self._load(staff=True)

    def _go(self, **changes: str | None):
        """Show the same list with some query values changed (None removes one; any change but the
        page's goes back to page 1)."""
        query = dict(self._filters_query)
        for key, value in changes.items():
            if value in (None, ""):
                query.pop(key, None)
            else:
                query[key] = value
        if "page" not in changes:
            query.pop("page", None)
        return self._show_view(query)

    def _show_view(self, query: dict[str, str]):
        """A click's view, shown now and its address sent to `url_sync`. Who may see the list is
        checked again; when the tab has no list shown or the check fails, the browser navigates to
        the address instead and the page's on_load guards it (the sign-in page, say)."""
        actor = self._actor() if self.loaded else None
        if actor is None or not self._may_list(actor):
            return rx.redirect(self._address(query))
        self._show(actor, ticket_list.parse_filters(query))
        self._put(view_url=self._address(), moved_to="")
        return None

    def _toggle(self, key: str, value: str, allowed: set[str]):
        """Add or remove one value of a multi-valued filter."""
        if not isinstance(value, str) or value not in allowed:
            return None
        current = ticket_list.parse_filters(self._filters_query)
        attr = MULTI_FILTERS[key]
        values = set(getattr(current, attr)) ^ {int(value) if key == "severity" else value}
        changed = replace(current, **{attr: tuple(sorted(values, key=str))})
        return self._go(**{key: changed.to_query().get(key)})

    @rx.event
    def toggle_status(self, value: str):
        return self._toggle("status", value, set(STATUSES))

    @rx.event
    def toggle_category(self, value: str):
        return self._toggle("category", value, set(CATEGORIES))

    @rx.event
    def toggle_severity(self, value: str):
        return self._toggle("severity", value, {str(s) for s in SEVERITIES})

    @rx.event
    def toggle_priority(self, value: str):
        return self._toggle("priority", value, set(PRIORITIES))

    @rx.event
    def set_mine(self, value: bool):
        return self._go(mine="1" if value is True else None)

    @rx.event
    def search(self, form_data: dict):
        q = form_data.get("q", "") if isinstance(form_data, dict) else ""
        return self._go(q=q.strip()[:200] if isinstance(q, str) else None)

    @rx.event
    def sort_by(self, key: str):
        if not isinstance(key, str) or key not in ticket_list.SORT_COLUMNS:
            return None
        current = self._filters_query.get("sort", ticket_list.DEFAULT_SORT)
        new = f"-{key}" if current == key else key
        return self._go(sort=None if new == ticket_list.DEFAULT_SORT else new)

    @rx.event
    def go_to_page(self, page: int):
        if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= self.pages:
            return None
        return self._go(page=None if page == 1 else str(page))

    @rx.event
    def set_sort(self, value: str):
        """The phone's "Sort by" menu: a column and its direction ("title", "-updated")."""
        if not isinstance(value, str) or value.removeprefix("-") not in ticket_list.SORT_COLUMNS:
            return None
        return self._go(sort=None if value == ticket_list.DEFAULT_SORT else value)

    @rx.event
    def set_page_size(self, size: str):
        if not isinstance(size, str) or size not in {str(choice) for choice in ticket_list.PAGE_SIZES}:  # not "050"
            return None
        return self._go(size=None if int(size) == ticket_list.DEFAULT_PAGE_SIZE else size)

    @rx.event
    def set_company(self, company_id: str):
        if not isinstance(company_id, str) or not (company_id == "" or (is_id(company_id) and len(company_id) < 10)):
            return None
        return self._go(company=company_id or None)

    @rx.event
    def set_assignee(self, assignee: str):
        if not isinstance(assignee, str) or not (assignee in ("", "me", "none") or
                                                 (is_id(assignee) and len(assignee) < 10)):
            return None
        return self._go(assignee=assignee or None)

    @rx.event
    def clear(self):
        return self._show_view({})

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: reload only when a ticket in this list's scope changed (no query otherwise).
        It refreshes the view shown, not the address the tick was sent from: a tick sent while the
        browser was moving to another view (a search, the back button) would otherwise draw the
        view left behind over the one the address now shows."""
        if not self.loaded:
            return
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            return
        if live.versions(tickets.status_counts_key(actor))[0] != self._seen:
            self._fill(actor, ticket_list.parse_filters(self._filters_query))
