"""The ticket list behind `/tickets` and `/admin/tickets`: filters from the URL query, counts per
status, one sorted page, and the search -- built for a million tickets (benchmarks/tickets.py,
docs/benchmarks.md).

Which tickets an actor may see is `scope.visibility`'s; here they become
(column, values) conditions with the list's filters, and those become SQL (`ticket_list_sql`,
statements built once per shape) or, for a search on SQLite, the tags of the full-text index
(`ticket_search`), so the two cannot disagree. A search that is a ticket number alone ("10003",
"#10003") lists that ticket when the actor may see it (`_by_number`), else is searched as a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlmodel import Session

from ...models import ModuleAccess, Ticket, TicketStatus
from . import ticket_list_sql as sql
from .. import side_query
from . import page_cache, ticket_search, ticket_tally
from ..actor import Actor
from .ticket_rules import (
    AWAITING_SUPPORT, CATEGORIES, CATEGORY_NAMES, OPEN_STATUSES, PRIORITIES, PRIORITY_NAMES, STATUS_NAMES, STATUSES,
)
from .scope import Condition, display_name, is_support, visibility
from ..validation import canonical_int, fold_line, is_id

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
MAX_PAGE = 100_000

# sort key (URL) -> column; "-" in front means descending. Creator, assignee and company sort by the
# name shown, not by the column (`_BY_NAME`); the title by its lower case (`Ticket.title_key`).
SORT_COLUMNS = {
    "number": Ticket.number, "title": Ticket.title_key, "category": Ticket.category, "severity": Ticket.severity,
    "priority": Ticket.priority_rank, "status": Ticket.status, "created_by": Ticket.created_by_id,
    "created": Ticket.created_at, "updated": Ticket.updated_at, "company": Ticket.company_id,
    "assignee": Ticket.assignee_id,
}
DEFAULT_SORT = "-updated"


# --- filters -------------------------------------------------------------------------------------

def _values(raw: Any) -> list[str]:
    """A filter's values, repeated (`?a=1&a=2`) or comma-separated (`?a=1,2`)."""
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out += [part.strip() for part in item.split(",") if part.strip()]
    return out[:20]


def _match_names(raw: Any, codes: tuple[str, ...], names: Mapping[str, str]) -> list[str]:
    """Codes from URL values given as codes ("in_progress") or names ("In progress"), any case."""
    lookup = {c.lower(): c for c in codes} | {n.lower(): c for c, n in names.items()}
    return sorted({lookup[v.lower()] for v in _values(raw) if v.lower() in lookup}, key=codes.index)


NO_COMPANY = -1  # the company filter of an address that names none: no ticket has it


def _int(raw: Any, default: int, low: int, high: int) -> int:
    """A number from the URL, clamped to low..high; `default` unless written canonically ("2", not "02")."""
    value = raw[0] if isinstance(raw, (list, tuple)) and raw else raw
    number = canonical_int(value)
    return default if number is None else min(max(number, low), high)


@dataclass(frozen=True)
class TicketFilters:
    statuses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    severities: tuple[int, ...] = ()
    priorities: tuple[str, ...] = ()
    mine: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    company_id: int | None = None  # staff only
    assignee: str = ""  # staff only: "me", "none" or an account id

    def to_query(self) -> dict[str, str]:
        """The URL query that reproduces these filters (defaults left out)."""
        out: dict[str, str] = {}
        if self.statuses:
            out["status"] = ",".join(STATUS_NAMES[s] for s in self.statuses)
        if self.categories:
            out["category"] = ",".join(CATEGORY_NAMES[c] for c in self.categories)
        if self.severities:
            out["severity"] = ",".join(str(s) for s in self.severities)
        if self.priorities:
            out["priority"] = ",".join(PRIORITY_NAMES[p] for p in self.priorities)
        if self.mine:
            out["mine"] = "1"
        if self.q:
            out["q"] = self.q
        if self.sort != DEFAULT_SORT:
            out["sort"] = self.sort
        if self.page != 1:
            out["page"] = str(self.page)
        if self.page_size != DEFAULT_PAGE_SIZE:
            out["size"] = str(self.page_size)
        if self.company_id:
            out["company"] = str(self.company_id)
        if self.assignee:
            out["assignee"] = self.assignee
        return out


def awaiting_support_query() -> dict[str, str]:
    """The URL query of the staff inbox's "Awaiting us": new tickets and those waiting for support
    (a filter on status values, which the status-led indexes serve at any size)."""
    return TicketFilters(statuses=AWAITING_SUPPORT).to_query()


def parse_filters(query: Mapping[str, Any]) -> TicketFilters:
    """Filters from a URL query; unknown values are dropped, never trusted."""
    if not isinstance(query, Mapping):
        return TicketFilters()
    sort = query.get("sort", DEFAULT_SORT)
    sort = sort[0] if isinstance(sort, (list, tuple)) and sort else sort
    if not isinstance(sort, str) or sort.removeprefix("-") not in SORT_COLUMNS:
        sort = DEFAULT_SORT
    severities = sorted({int(v) for v in _values(query.get("severity")) if v in {"1", "2", "3", "4", "10"}})
    size = _int(query.get("size"), DEFAULT_PAGE_SIZE, 1, 100)
    q = query.get("q", "")
    q = q[0] if isinstance(q, (list, tuple)) and q else q
    company = _int(query.get("company"), 0, 0, 2**31)
    if not company and query.get("company") not in (None, "", [], ()):
        company = NO_COMPANY  # "abc", "-1", "0": an address naming no company lists none, and says so
    assignee = query.get("assignee", "")
    assignee = assignee[0] if isinstance(assignee, (list, tuple)) and assignee else assignee
    if not (isinstance(assignee, str) and (assignee in ("me", "none") or (is_id(assignee) and len(assignee) < 10))):
        assignee = ""
    mine = query.get("mine", "")
    mine = mine[0] if isinstance(mine, (list, tuple)) and mine else mine
    return TicketFilters(
        statuses=tuple(_match_names(query.get("status"), STATUSES, STATUS_NAMES)),
        categories=tuple(_match_names(query.get("category"), CATEGORIES, CATEGORY_NAMES)),
        severities=tuple(severities),
        priorities=tuple(_match_names(query.get("priority"), PRIORITIES, PRIORITY_NAMES)),
        mine=mine in ("1", "true", "on", "yes"),
        q=fold_line(q)[:200].rstrip() if isinstance(q, str) else "",
        sort=sort,
        page=_int(query.get("page"), 1, 1, MAX_PAGE),
        page_size=size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE,
        company_id=company or None,
        assignee=assignee,
    )


class TicketRow(NamedTuple):
    """A row of the list (a tuple: a page of them is built on every list call)."""
    number: int
    title: str
    category: str
    severity: int
    priority: str
    status: str
    created_by: str
    company: str
    assignee: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class TicketPage:
    rows: list[TicketRow]
    total: int
    page: int
    pages: int
    status_counts: dict[str, int] = field(default_factory=dict)


def _conditions(actor: Actor, f: TicketFilters, *, with_status: bool = True) -> list[Condition] | None:
    """The actor's scope and the list's filters `f` (its search aside), as conditions on ticket columns."""
    out = visibility(actor)
    if out is None:
        return None
    if with_status and f.statuses:
        out.append(("status", f.statuses))
    if f.categories:
        out.append(("category", f.categories))
    if f.severities:
        out.append(("severity", f.severities))
    if f.priorities:
        out.append(("priority", f.priorities))
    if f.mine:
        out.append(("assignee_id" if is_support(actor) else "created_by_id", (actor.account_id,)))
    if actor.is_staff and f.company_id:
        out.append(("company_id", (f.company_id,)))
    if actor.is_staff and f.assignee:
        assignee = None if f.assignee == "none" else actor.account_id if f.assignee == "me" else int(f.assignee)
        out.append(("assignee_id", (assignee,)))
    return out


# the status most tickets end in: a search counts the others and derives its count as the rest
_BULK_STATUS = TicketStatus.CLOSED


def _status_counts(conn: Connection, conditions: list[Condition], test: str = sql.NO_TEST,
                   match: str = "") -> dict[str, int]:
    """Tickets per status of `conditions` (the list's filters without the status filter)."""
    shape, values = sql.bind(conditions)
    if test:
        values["match"] = match
    return dict(sorted(conn.execute(sql.status_counts(shape, test), values).all()))


def _tally_counts(conn: Connection, conditions: list[Condition]) -> dict[str, int]:
    """`_status_counts` from the tally (`ticket_tally`), of conditions on its columns."""
    shape, values = sql.bind(conditions)
    return {status: n for status, n in sorted(conn.execute(sql.tally_counts(shape), values).all()) if n}


# A list over every company filtered by the tally's columns walks the sort's index and tests each
# ticket it passes when the filters match densely enough: the first page of "category=Bug" (25% of
# the tickets) is about 100 tickets walked instead of 250,000 matches sorted. WALK_COST: a ticket
# walked (its row read and tested) against one match sorted -- measured at a million tickets, about
# 2-3 us against 0.5-0.75 us (docs/benchmarks.md).
WALK_COST = 4.0


def _walks_sort_index(conn: Connection, window: _Window) -> bool:
    everything = conn.execute(sql.tally_total()).scalar_one()
    walked = (window.offset + window.limit) * everything / max(window.total, 1)
    return walked * WALK_COST <= window.total


def _with_bulk(counts: dict[str, int], everything: int) -> dict[str, int]:
    """`counts` of the other statuses plus the bulk status's, the rest of `everything`; by status."""
    if everything - sum(counts.values()) > 0:
        counts[_BULK_STATUS] = everything - sum(counts.values())
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class _Window:
    """Which slice of the sorted list a page is. A page past the middle is read from the other
    end (the same order reversed, so OFFSET skips the fewer entries) and turned round."""
    page: int
    pages: int
    offset: int
    limit: int
    descending: bool
    backwards: bool
    total: int


def _window(total: int, f: TicketFilters) -> _Window:
    pages = max(1, -(-total // f.page_size))
    page = min(f.page, pages)
    return _slice(total, (page - 1) * f.page_size, f.page_size, descending=f.sort.startswith("-"),
                  page=page, pages=pages)


def _slice(total: int, offset: int, limit: int, *, descending: bool, page: int = 1, pages: int = 1) -> _Window:
    """`limit` of `total` tickets from `offset`, read from the nearer end."""
    after = total - offset - limit  # tickets after this page
    backwards = offset > 0 and after < offset
    if backwards:
        descending, offset, limit = not descending, max(after, 0), limit + min(after, 0)
    return _Window(page, pages, offset, limit, descending, backwards, total)


def _sorted_page(conn: Connection, conditions: list[Condition], f: TicketFilters, window: _Window, *,
                 by_index: bool = True, test: str = sql.NO_TEST, match: str = "", probe: str = "") -> list[TicketRow]:
    """The rows of the page `window` of the tickets of `conditions` (and `test`: the matches of
    `match`) in the order `f.sort`, with people's and companies' names."""
    key = f.sort.removeprefix("-")
    if key in _BY_NAME:
        return _named_page(conn, conditions, f, window, by_index=by_index, test=test, match=match, probe=probe)
    return _page(conn, conditions, SORT_COLUMNS[key].key, window, by_index=by_index, test=test, match=match)


def _page(conn: Connection, conditions: list[Condition], column_name: str, window: _Window, *,
          by_index: bool = True, test: str = sql.NO_TEST, match: str = "") -> list[TicketRow]:
    """The rows of `window` of the tickets of `conditions` (and `test`) sorted by the ticket column
    `column_name`, the id breaking ties (one statement)."""
    if window.limit <= 0:
        return []
    shape, values = sql.bind(conditions)
    stmt = sql.page(shape, column_name, descending=window.descending, backwards=window.backwards,
                    by_index=by_index, test=test)
    values |= {"limit": window.limit, "offset": window.offset}
    if test:
        values["match"] = match
    return [_row(*row) for row in conn.execute(stmt, values).all()]


# sort keys of a column that refers to a person or a company: sorted by the name shown
_BY_NAME = {"created_by": "created_by_id", "assignee": "assignee_id", "company": "company_id"}
# A list of more tickets than this sorted by name (or a long search) walks the people or companies
# in name order counting the tickets of NAME_WALK_BATCH at a time (no further than the page), until
# the page (within the first NAME_WALK_MAX of them); a shorter list, or a page further in, counts
# every group at once.
NAME_WALK_FROM, NAME_WALK_MAX, NAME_WALK_BATCH, NAME_WALK_READ = 150_000, 1000, 50, 200


def _named_page(conn: Connection, conditions: list[Condition], f: TicketFilters, window: _Window, *,
                by_index: bool = True, test: str = sql.NO_TEST, match: str = "", probe: str = "") -> list[TicketRow]:
    """The page `window` sorted by the name of the person or company a column refers to (creator,
    assignee, company), unassigned first, the id breaking ties. `probe`: the words of a long search,
    which the walk may look up ticket by ticket (`_named_groups`).

    Names are not in the ticket table, so no index holds that order; but the tickets of a list
    fall in groups of one person or company, each with an index in id order. The groups are put in
    name order with their sizes, and the page read from the groups it spans -- from the nearer end
    of the list, as `_window` does.
    """
    if window.limit <= 0:
        return []
    column = _BY_NAME[f.sort.removeprefix("-")]
    descending = f.sort.startswith("-")
    offset = (window.page - 1) * f.page_size
    wanted = min(f.page_size, window.total - offset)
    from_end = window.total - offset - wanted < offset
    if from_end:  # the same walk in the other order, from the end
        descending, offset = not descending, window.total - offset - wanted
    groups, exact, test, match = _named_groups(conn, conditions, column, descending=descending, needed=offset + wanted,
                                               total=window.total, test=test, match=match, probe=probe)
    rows: list[TicketRow] = []
    for group, n in groups:
        if len(rows) >= wanted:
            break
        if offset >= n:
            offset -= n
            continue
        take = min(wanted - len(rows), n - offset)
        # a group whose count may be capped (the last one walked) is read forwards, not from its end
        part = _slice(n, offset, take, descending=descending) if exact else \
            _Window(1, 1, offset, take, descending, False, n)
        rows += _page(conn, [*conditions, (column, (group,))], "id", part, by_index=by_index, test=test, match=match)
        offset = 0
    return rows[::-1] if from_end else rows


def _named_groups(conn: Connection, conditions: list[Condition], column: str, *, descending: bool, needed: int,
                  total: int, test: str, match: str, probe: str) -> tuple[list[tuple[int | None, int]], bool, str, str]:
    """(person or company, its tickets) in name order, at least until `needed` tickets are covered;
    whether the counts are exact (a walk counts no further than it needs); and the search test and
    match the groups' pages are to be read with.

    A long list walks every person or company in name order, counting their tickets along an index
    a batch at a time, and stops at the page: at the top of a million tickets a few counts instead of
    a GROUP BY over all of them (120 ms). A long search walks so too, looking up each ticket walked
    in the full-text index (`probe`), instead of collecting every match first. Otherwise, or past
    NAME_WALK_MAX, one GROUP BY counts them all.
    """
    if probe or (total > NAME_WALK_FROM and not test):
        walk_test, walk_match = (sql.PROBE, probe) if probe else (sql.NO_TEST, "")
        walked: list[tuple[int | None, int]] = []
        covered = 0
        for batch in _in_name_order(conn, column, descending=descending):
            for group, n in _counts_of(conn, conditions, column, batch, cap=needed - covered, test=walk_test,
                                       match=walk_match):
                if n:
                    walked.append((group, n))
                    covered += n
                if covered >= needed:
                    return walked, False, walk_test, walk_match
    shape, values = sql.bind(conditions)
    if test:
        values["match"] = match
    groups = conn.execute(sql.named_group_counts(shape, column, conn.dialect.name, test), values).all()
    ordered = sorted(groups, key=lambda g: (g[0] is not None, g[2] or "", g[0] or 0), reverse=descending)
    return [(group, n) for group, n, _ in ordered], True, test, match


def _counts_of(conn: Connection, conditions: list[Condition], column: str, groups: list[int | None],
               cap: int, test: str = sql.NO_TEST, match: str = "") -> list[tuple[int | None, int]]:
    """(group, its tickets among `conditions`, counted up to `cap`) for each of `groups`, in one
    statement (a capped count visits at most `cap` entries of the column's index: the walk only
    needs to know whether a group reaches the page)."""
    shape, values = sql.bind(conditions)
    stmt = sql.capped_counts(shape, column, tuple(g is None for g in groups), test)
    values |= {f"g{j}": g for j, g in enumerate(groups) if g is not None} | {"cap": cap}
    if test:
        values["match"] = match
    return list(zip(groups, conn.execute(stmt, values).one(), strict=True))


def _in_name_order(conn: Connection, column: str, *, descending: bool) -> Iterator[list[int | None]]:
    """Every company, or every account (and "unassigned" first for the assignee), in name order (or
    its reverse): NAME_WALK_BATCH at a time, read from the database NAME_WALK_READ at a time, no
    further than NAME_WALK_MAX."""
    unassigned: list[int | None] = [None] if column == "assignee_id" else []
    stmt = sql.in_name_order(column, conn.dialect.name, descending=descending)
    batch: list[int | None] = [] if descending else list(unassigned)
    for offset in range(0, NAME_WALK_MAX, NAME_WALK_READ):
        limit = min(NAME_WALK_READ, NAME_WALK_MAX - offset)
        ids = conn.execute(stmt, {"limit": limit, "offset": offset}).scalars().all()
        for group in ids:
            batch.append(group)
            if len(batch) == NAME_WALK_BATCH:
                yield batch
                batch = []
        if len(ids) < limit:
            break
    batch += unassigned if descending else []
    while batch:
        yield batch[:NAME_WALK_BATCH]
        batch = batch[NAME_WALK_BATCH:]


def _row(number: int, title: str, category: str, severity: int, priority: str, status: str, created_at: datetime,
         updated_at: datetime, company: str | None, *people: Any) -> TicketRow:
    return TicketRow(number=number, title=title, category=category, severity=severity, priority=priority,
                     status=status, created_by=display_name(*people[:5]), company=company or "",
                     assignee=display_name(*people[5:]), created_at=created_at, updated_at=updated_at)


# --- the customer's home page --------------------------------------------------------------------

HOME_TICKETS = 5  # the most recent open tickets shown on a customer's home page


@dataclass(frozen=True)
class CustomerHome:
    open: list[TicketRow]  # the most recently updated open tickets the customer may see
    open_total: int
    awaiting: list[TicketRow]  # of those, the ones waiting for the customer's reply
    awaiting_total: int
    can_create: bool
    company_wide: bool = False  # the company's tickets (a company admin's scope), not only the actor's own


def customer_home(*, session: Session, actor: Actor) -> CustomerHome | None:
    """A customer's tickets for the home page (two short pages of the list, in its scope); None
    for support, and while the tickets module is off for the actor."""
    if is_support(actor) or actor.is_staff or not actor.can("tickets", ModuleAccess.VIEW):
        return None
    open_page = list_tickets(session=session, actor=actor,
                             filters=TicketFilters(statuses=OPEN_STATUSES, page_size=HOME_TICKETS))
    awaiting = list_tickets(session=session, actor=actor,
                            filters=TicketFilters(statuses=(TicketStatus.WAITING_CUSTOMER,), page_size=HOME_TICKETS))
    return CustomerHome(open=open_page.rows, open_total=open_page.total, awaiting=awaiting.rows,
                        awaiting_total=awaiting.total, can_create=actor.can("tickets", ModuleAccess.EDIT),
                        company_wide=visibility(actor) == [("company_id", (actor.company_id,))])


def _empty() -> TicketPage:
    return TicketPage(rows=[], total=0, page=1, pages=1, status_counts={})


def list_tickets(*, session: Session, actor: Actor, filters: TicketFilters) -> TicketPage:
    """`query_tickets`, or the same page already queried for anyone with the same conditions (the
    scope and filters) since no ticket changed (`page_cache`). Callers never change what it returns."""
    conditions = _conditions(actor, filters)
    if conditions is None:
        return _empty()
    key = (tuple(conditions), filters.q, filters.sort, filters.page, filters.page_size)
    scope, text = _cached_view(session, key[0], filters.q)
    return page_cache.pages.get(key, lambda: query_tickets(session=session, actor=actor, filters=filters),
                                conditions=scope, text=text, probe=_text_probe(session))


def _cached_view(session: Session, conditions: page_cache.Conditions,
                 q: str) -> tuple[page_cache.Conditions | None, page_cache.SearchWords | None]:
    """What a kept page is made of, for `page_cache`: its conditions, and a search's words. A ticket
    number, or a search PostgreSQL runs, says neither: any change drops it."""
    words = ticket_search.terms(q)
    if not words:
        return conditions, None
    if _number_searched(q) is None and ticket_search.tagged(session):
        return conditions, tuple(words)
    return None, None


def _text_probe(session: Session) -> page_cache.TextProbe:
    """Which of some tickets match a search's words now. A prefix is first expanded into the index's
    words it begins, as the search itself does: FTS5 gathers a prefix's words anew for every test
    (3.6 ms for "err*" against 0.1 ms for its words, at 100,000 tickets)."""
    engine = session.get_bind()

    def probe(words: page_cache.SearchWords, ids: list[int]) -> set[int]:
        with engine.connect() as conn:  # its own transaction: sees every change committed (a kept page's
            expanded = ticket_search.expand(conn, list(words))  # session may read an older snapshot), and
            if any(t.words == () for t in expanded):  # a prefix's words that a new comment brought
                return set()
            return ticket_search.matching(conn, ticket_search.text_expression(expanded), ids)
    return probe


def query_tickets(*, session: Session, actor: Actor, filters: TicketFilters) -> TicketPage:
    """One page of the tickets the actor may see, filtered and sorted in SQL, with the counts per
    status and the total (their sum: one pass instead of two).

    Built for a million tickets (benchmarks/tickets.py, docs/benchmarks.md): every sort column has
    an index per scope, so a page is a short walk along one; a search goes to `_search_list` (an
    index that carries the tickets' tags, SQLite) or is a text query among the conditions
    (PostgreSQL, whose planner combines its GIN index with the rest itself). The statements are
    built once per shape (`ticket_list_sql`).
    """
    number = _number_searched(filters.q)
    if number is not None and (found := _by_number(session, actor, filters, number)) is not None:
        return found
    words = ticket_search.terms(filters.q)
    if words and ticket_search.tagged(session):
        return _search_list(session, actor, filters, words)
    conditions = _conditions(actor, filters, with_status=False)
    if conditions is None:
        return _empty()
    test, match = (sql.TSQUERY, ticket_search.tsquery(words)) if words else (sql.NO_TEST, "")
    conn = session.connection()
    tally = None if words or not ticket_tally.available(session) else ticket_tally.tally_conditions(conditions)
    if tally is not None:
        counts = _tally_counts(conn, tally)
    else:
        counts = page_cache.counts.get((tuple(conditions), test, match),
                                       lambda: _status_counts(conn, conditions, test, match),
                                       conditions=None if words else tuple(conditions))
    total = sum(n for status, n in counts.items() if not filters.statuses or status in filters.statuses)
    window = _window(total, filters)
    if filters.statuses:
        conditions.append(("status", filters.statuses))
    if tally is not None and conditions and _walks_sort_index(conn, window):
        conditions = [(sql.unindexed(column), values) for column, values in conditions]
    rows = _sorted_page(conn, conditions, filters, window, test=test, match=match)
    return TicketPage(rows=rows, total=total, page=window.page, pages=window.pages,
                      status_counts=counts)


_NUMBER = re.compile(r"#?\s*([0-9]{1,9})", re.ASCII)


def searches_no_word(q: str) -> bool:
    """The search box holds only marks or symbols ("😀", "!!!"): no word to look for, so the list is
    not narrowed by it (the page says so, rather than seem to have found every ticket)."""
    return isinstance(q, str) and bool(q.strip()) and not ticket_search.terms(q)


def _number_searched(q: str) -> int | None:
    """The ticket number a search is, when it is one alone ("10003" or "#10003"); else None."""
    found = _NUMBER.fullmatch(q.strip()) if isinstance(q, str) else None
    return int(found.group(1)) if found else None


def _by_number(session: Session, actor: Actor, f: TicketFilters, number: int) -> TicketPage | None:
    """The list of the one ticket numbered `number` when the actor may see it and it meets the
    other filters (its unique index: one entry read); None when there is none, and the number is
    then searched as a word like any other."""
    conditions = _conditions(actor, f, with_status=False)
    if conditions is None:
        return None
    conditions.append(("number", (number,)))
    conn = session.connection()
    counts = _status_counts(conn, conditions)
    total = sum(n for status, n in counts.items() if not f.statuses or status in f.statuses)
    if not total:
        return None
    window = _window(total, f)
    if f.statuses:
        conditions.append(("status", f.statuses))
    rows = _sorted_page(conn, conditions, f, window)
    return TicketPage(rows=rows, total=total, page=window.page, pages=window.pages, status_counts=counts)


# A search matching at most this many tickets is read whole from the index, then sorted.
SMALL_SEARCH = 2000
# Past that, a page walks the sort index of the (filtered) scope and either tests each ticket
# against the index (PROBE, about this many microseconds per ticket walked) or tests it against
# every match collected first (COLLECT, about this many per match). Measured at a million tickets
# (docs/benchmarks.md). A prefix ("print*") is never probed: FTS5 gathers a prefix's words anew for
# each test.
PROBE_COST, COLLECT_COST = 9.0, 0.5


def _search_list(session: Session, actor: Actor, f: TicketFilters, words: list[ticket_search.Term]) -> TicketPage:
    """`list_tickets` with a search, on an index that carries the tickets' tags (SQLite).

    The counts come from the index alone (`_search_counts`), once per view and change
    (`page_cache.counts`): its other pages, sorts and statuses reuse them. The page then takes the
    cheapest of three ways, by the number of matches and how densely they sit in the scope.
    """
    conditions = _conditions(actor, f, with_status=False)
    if conditions is None:
        return _empty()
    conn = session.connection()
    typed = tuple(words)  # what a kept page is tested against: a prefix's new words are matched too
    words = ticket_search.expand(conn, words)
    if any(t.words == () for t in words):  # a prefix no word of the index begins
        return _empty()
    counts = page_cache.counts.get((tuple(conditions), tuple(words)), lambda: _search_counts(conn, conditions, words),
                                   conditions=tuple(conditions), text=typed, probe=_text_probe(session))
    total = sum(n for status, n in counts.items() if not f.statuses or status in f.statuses)
    window = _window(total, f)
    if f.statuses:
        conditions.append(("status", f.statuses))
    if total <= SMALL_SEARCH:  # every match, then sorted
        rows = _sorted_page(conn, [], f, window, by_index=False, test=sql.COLLECT,
                            match=ticket_search.expression(words, conditions))
    else:
        prefix = any(t.prefix for t in words)
        if f.sort.removeprefix("-") in _BY_NAME:  # walks the groups looking tickets up, or counts every match
            rows = _sorted_page(conn, conditions, f, window, test=sql.COLLECT,
                                match=ticket_search.expression(words, conditions),
                                probe="" if prefix else ticket_search.text_expression(words))
        elif not prefix and (walk := _probe_walk(conn, conditions, window, total, SORT_COLUMNS[f.sort.removeprefix("-")].key)):
            if walk == WALK_EVERY_TICKET:  # no index of a condition's column: SQLite would read all of
                conditions = [(sql.unindexed(column), values) for column, values in conditions]  # it, then sort
            rows = _sorted_page(conn, conditions, f, window, test=sql.PROBE, match=ticket_search.text_expression(words))
        else:
            rows = _sorted_page(conn, conditions, f, window, test=sql.COLLECT,
                                match=ticket_search.expression(words, conditions))
    return TicketPage(rows=rows, total=total, page=window.page, pages=window.pages, status_counts=counts)


def _search_counts(conn: Connection, conditions: list[Condition], words: list[ticket_search.Term]) -> dict[str, int]:
    """The matches of `words` per status within `conditions`, from the index alone: each open status's,
    on a second connection (`side_query`) while this one counts them all (closed: the rest)."""
    others = [s for s in STATUSES if s != _BULK_STATUS]
    per_status_of = [ticket_search.expression(words, [*conditions, ("status", (s,))]) for s in others]
    everything_of = ticket_search.expression(words, conditions)
    per_status, everything = side_query.one_row_beside(
        conn, sql.fts_counts(len(others)), {f"e{i}": e for i, e in enumerate(per_status_of)},
        lambda: conn.execute(sql.fts_counts(1), {"e0": everything_of}).scalar_one())
    return _with_bulk({s: n for s, n in zip(others, per_status, strict=True) if n}, everything)


# how `_probe_walk` says a page is best read ticket by ticket
WALK_EVERY_TICKET, WALK_SCOPE = "every ticket", "scope"


def _probe_walk(conn: Connection, conditions: list[Condition], window: _Window, total: int, column_name: str) -> str:
    """Whether walking the sort's index and looking each ticket up beats collecting the `total`
    matches (about (offset + limit) * walked / total tickets are walked), and along what: the index
    over every ticket, testing the conditions on the way (WALK_EVERY_TICKET; tried first with the
    tally's sum, this path being SQLite's, which keeps a tally), or the scope's own index
    (WALK_SCOPE; the scope's count takes 7-12 ms for a company of 100,000), when SQLite walks it in
    the sort's order (`_scope_walk_in_order`). "" when collecting pays.

    Walking every ticket needs the conditions' columns kept out of the plan (`sql.unindexed`):
    otherwise SQLite may take a condition's own index (a status's, a category's) instead. It then
    looks up every ticket of that status against the index, and sorts them: 1.2 s for the closed
    tickets that match "error", sorted by title, at 100,000 tickets."""
    def pays(walked: int) -> bool:
        return (window.offset + window.limit) * walked / total * PROBE_COST <= total * COLLECT_COST

    if pays(conn.execute(sql.tally_total()).scalar_one()):
        return WALK_EVERY_TICKET
    if pays(_scope_size(conn, conditions)) and _scope_walk_in_order(conn, conditions, column_name, window):
        return WALK_SCOPE
    return ""


_WALKS_IN_ORDER: dict[tuple[sql.Shape, str, bool, bool], bool] = {}


def _scope_walk_in_order(conn: Connection, conditions: list[Condition], column_name: str, window: _Window) -> bool:
    """Whether SQLite walks the scope's tickets in the sort's order, so that the walk stops after
    the page: an index holds the conditions' columns, then the sort's. Otherwise it reads every
    ticket of the scope, looks each up in the search index, and sorts them (no index has a category,
    two severities and the last change in that order: 140-180 ms for the bugs of severity 1 or 2
    that match "error", at 100,000 tickets, against 5 ms for collecting the matches). Asked of
    SQLite once per shape of the conditions and sort (EXPLAIN QUERY PLAN, 1-3 ms)."""
    shape, values = sql.bind(conditions)
    key = (shape, column_name, window.descending, window.backwards)
    known = _WALKS_IN_ORDER.get(key)
    if known is None:
        stmt = sql.page(shape, column_name, descending=window.descending, backwards=window.backwards, test=sql.PROBE)
        values |= {"limit": window.limit, "offset": window.offset, "match": ""}
        known = not sql.sorts_after_reading(conn, stmt, values)
        if len(_WALKS_IN_ORDER) < 4096:  # shapes are few; the bound is against surprises
            _WALKS_IN_ORDER[key] = known
    return known


def _scope_size(conn: Connection, conditions: list[Condition]) -> int:
    """How many tickets meet `conditions` (from the index's tags; every ticket when there are none)."""
    if not conditions:
        return conn.execute(sql.count_all()).scalar_one()
    return conn.execute(sql.fts_counts(1), {"e0": ticket_search.tag_expression(conditions)}).scalar_one()
