"""The ticket list (/tickets for customers and collaborators, /admin/tickets for staff).

The URL query is the source of truth: every filter, sort or page change navigates to a new query,
so a view can be bookmarked and the back button works; on_load reads it and queries one page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypedDict
from urllib.parse import parse_qs, urlencode

import reflex as rx

from ..i18n import format_when
from ..models import ModuleAccess
from ..services import directory, live
from ..services.tickets import scope, ticket_list
from ..services.tickets import core as tickets
from ..services.errors import NotAuthenticated, ServiceError
from ..services.tickets.ticket_rules import CATEGORIES, PRIORITIES, STATUSES
from ..services.validation import is_id
from .base import run_service
from .session import SessionState


MULTI_FILTERS = {"status": "statuses", "category": "categories", "priority": "priorities", "severity": "severities"}
# the staff inbox's "Awaiting us" link: new tickets and those waiting for support
AWAITING_US_HREF = "/admin/tickets?" + urlencode(ticket_list.awaiting_support_query())


class TicketItem(TypedDict):
    number: int
    title: str
    category: str
    severity: str
    priority: str
    status: str
    status_code: str
    created_by: str
    company: str
    assignee: str
    created: str
    updated: str
    href: str


class Choice(TypedDict):
    value: str
    label: str
    selected: bool


class StatusCount(TypedDict):
    value: str
    label: str
    count: int
    selected: bool


class SortColumn(TypedDict):
    key: str
    label: str
    arrow: str


class TicketListState(SessionState):
    rows: list[TicketItem] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    page_size: str = "25"
    status_counts: list[StatusCount] = []
    category_choices: list[Choice] = []
    severity_choices: list[Choice] = []
    priority_choices: list[Choice] = []
    company_choices: list[Choice] = []
    assignee_choices: list[Choice] = []
    company_value: str = ""
    assignee_value: str = ""
    columns: list[SortColumn] = []
    mine: bool = False
    q: str = ""
    page_text: str = ""
    staff_view: bool = False
    can_create: bool = False
    loaded: bool = False
    _filters_query: dict[str, str] = {}
    _seen: int = -1

    def _base_path(self) -> str:
        return "/admin/tickets" if self.staff_view else "/tickets"

    def _current(self) -> ticket_list.TicketFilters:
        return ticket_list.parse_filters(parse_qs(self.router.url.query or "", keep_blank_values=False))

    def _fill(self, actor, filters: ticket_list.TicketFilters) -> None:  # noqa: ANN001
        result = run_service(ticket_list.list_tickets, actor=actor, filters=filters)
        t = self._t
        base = self._base_path()
        self.rows = [
            {"number": r.number, "title": r.title, "category": t(f"ticket.category.{r.category}"),
             "severity": str(r.severity), "priority": t(f"ticket.priority.{r.priority}"),
             "status": t(f"ticket.status.{r.status}"), "status_code": r.status, "created_by": r.created_by,
             "company": r.company, "assignee": r.assignee or t("tickets.unassigned"),
             "created": format_when(r.created_at, self.lang), "updated": format_when(r.updated_at, self.lang),
             "href": f"{base}/{r.number}"}
            for r in result.rows
        ]
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.page_text = t("tickets.page_of", page=result.page, pages=result.pages, total=result.total)
        self.page_size = str(filters.page_size)
        self.status_counts = [{"value": s, "label": t(f"ticket.status.{s}"), "count": result.status_counts.get(s, 0),
                               "selected": s in filters.statuses} for s in STATUSES]
        self.category_choices = [{"value": c, "label": t(f"ticket.category.{c}"), "selected": c in filters.categories}
                                 for c in CATEGORIES]
        self.severity_choices = [{"value": str(s), "label": t(f"ticket.severity.{s}"),
                                  "selected": s in filters.severities} for s in (1, 2, 3, 4, 10)]
        self.priority_choices = [{"value": p, "label": t(f"ticket.priority.{p}"), "selected": p in filters.priorities}
                                 for p in PRIORITIES]
        keys = ["number", "title", "category", "severity", "priority", "status", "created_by", "created", "updated"]
        if self.staff_view:
            keys[6:6] = ["company", "assignee"]
        self.columns = [{"key": k, "label": t(f"tickets.col.{k}"),
                         "arrow": ("▲" if filters.sort == k else "▼" if filters.sort == f"-{k}" else "")}
                        for k in keys]
        self.mine, self.q = filters.mine, filters.q
        self.company_value, self.assignee_value = str(filters.company_id or ""), filters.assignee
        self._filters_query = filters.to_query()
        self._seen = live.versions(tickets.status_counts_key(actor))[0]

    def _load(self, *, staff: bool):
        self.staff_view = staff
        try:
            actor = self._require_actor()
            if staff:
                actor.require_staff()
        except ServiceError:
            self.rows, self.total, self.loaded = [], 0, False
            return None
        if not staff and not actor.can("tickets"):
            return rx.redirect("/")
        self.can_create = not staff and not scope.is_support(actor) and actor.can("tickets", ModuleAccess.EDIT)
        filters = self._current()
        if staff:
            companies, _ = run_service(directory.list_companies, actor=actor, limit=200)
            self.company_choices = [{"value": str(c.id), "label": c.name, "selected": c.id == filters.company_id}
                                    for c in companies]
            people = run_service(tickets.assignable_accounts, actor=actor)
            self.assignee_choices = [{"value": str(p.account_id), "label": p.name,
                                      "selected": filters.assignee == str(p.account_id)} for p in people]
        self._fill(actor, filters)
        self.loaded = True
        return None

    @rx.event
    def load(self):
        return self._load(staff=False)

    @rx.event
    def load_staff(self):
        return self._load(staff=True)

    def _go(self, **changes: str | None):
        """Navigate to the same list with some query values changed (None removes one)."""
        query = dict(self._filters_query)
        for key, value in changes.items():
            if value in (None, ""):
                query.pop(key, None)
            else:
                query[key] = value
        if "page" not in changes:
            query.pop("page", None)
        encoded = urlencode(query)
        return rx.redirect(f"{self._base_path()}?{encoded}" if encoded else self._base_path())

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
        return self._toggle("severity", value, {"1", "2", "3", "4", "10"})

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
        return rx.redirect(self._base_path())

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: reload only when a ticket in this list's scope changed (no query otherwise)."""
        if not self.loaded:
            return
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            return
        if live.versions(tickets.status_counts_key(actor))[0] != self._seen:
            self._fill(actor, self._current())
