"""Ticket list pages, and their counts per status, kept in process memory, shared by every viewer who
sees the same tickets.

A list page is fully decided by its conditions (the viewer's scope and the filters, as
`ticket_list._conditions` writes them, with the viewer's own id where "mine" or "me" asks for it)
and by the search, sort and page. Staff all see every ticket, a company's contacts with the same
rights see the same ones: the same page asked for again, by the same tab's live reload or by
another person, is answered from here instead of SQL (at 200 users the list's SQL was most of
the server's CPU, docs/benchmarks.md "Event path").

Invalidation: a page carries the `TICKET_ROWS` counter read *before* its query ran, and is used
only while the counter has not moved -- or while what moved it cannot have touched the page: a
change that wrote only ticket rows tells which, with their columns before and after
(`live.watch_rows`), and a page whose conditions neither the old nor the new values meet keeps
answering (a comment on one company's ticket leaves the other companies' pages, and staff's
filtered lists that ticket is not in, as they were). Any other commit that writes a ticket, or a
name a list shows (company, contact, account), moves it for every page (services/live.py
`watch_tables`; through Redis with several workers). A page is also dropped after `MAX_AGE_S`,
for writes made outside the portal's code, and the least recently used go first past
`PORTAL_LIST_CACHE_PAGES` (0 keeps none: every list is queried, as the benchmarks that time the
SQL itself need).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import NamedTuple, TypeVar

from ...models.account import SIGN_IN_COLUMNS
from ...settings import settings
from .. import live

T = TypeVar("T")

TICKET_ROWS = "ticket_rows"
WATCHED_TABLES = frozenset({"ticket", "company", "contact", "account"})
MAX_AGE_S = 60.0

# the ticket columns a list's conditions test (ticket_list._conditions, scope.visibility)
CONDITION_COLUMNS = ("status", "category", "severity", "priority", "company_id", "created_by_id", "assignee_id")

live.watch_tables(TICKET_ROWS, WATCHED_TABLES, columns_ignored={"account": SIGN_IN_COLUMNS})
live.watch_rows(TICKET_ROWS, "ticket", CONDITION_COLUMNS)

Conditions = tuple[tuple[object, Sequence[object]], ...]


def _meets(values: dict | None, conditions: Conditions) -> bool:
    """Whether a ticket row with these column `values` (None: no row) is among the tickets of
    `conditions`; a condition on a column the values lack counts as met."""
    if values is None:
        return False
    for column, wanted in conditions:
        if not isinstance(column, str) or column not in values:
            continue
        value = values[column]
        if value not in {live.plain(w) for w in wanted}:
            return False
    return True


def touched(rows: list[live.RowChange], conditions: Conditions) -> bool:
    """Whether any of the ticket rows written, before or after the change, is among the tickets of
    `conditions`: only then may a page of those tickets (its rows, counts or total) differ."""
    return any(_meets(row.before, conditions) or _meets(row.after, conditions) for row in rows)


class _Entry(NamedTuple):
    version: int  # the counter the page is known to be current at
    at: float  # when it was read
    value: object
    conditions: Conditions | None  # the tickets it is made of; None: any change concerns it


class PageCache:
    """Every entry is current at `_newest`, the newest counter seen: when the counter moves, the
    entries the changes cannot have touched move with it and the others leave (`_advance`)."""

    def __init__(self, max_entries: int) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._max = max_entries
        self._newest = -1  # the newest counter seen, and when
        self._newest_at = 0.0

    def get(self, key: Hashable, load: Callable[[], T], *, conditions: Conditions | None = None) -> T:
        """The page kept for `key` while no change since concerns it, else `load()`'s (then kept).
        `conditions`: the tickets the page is made of (the viewer's scope and filters, the search
        aside); without them any ticket change drops it."""
        if not self._max:
            return load()
        version = live.versions(TICKET_ROWS)[0]
        now = time.monotonic()
        with self._lock:
            self._follow(version, now)
            entry = self._entries.get(key)
            if entry is not None:
                if entry.version == version >= 0 and now - entry.at < MAX_AGE_S:
                    self._entries.move_to_end(key)
                    return entry.value  # type: ignore[return-value]
                del self._entries[key]
        value = load()
        if version >= 0:
            with self._lock:
                self._follow(version, now)
                if version == self._newest:  # else a change was committed while this page was read
                    self._entries[key] = _Entry(version, now, value, conditions)
                    while len(self._entries) > self._max:
                        self._entries.popitem(last=False)
        return value

    def _follow(self, version: int, now: float) -> None:
        """Takes a newer counter; a counter that went back (Redis emptied) is taken once the newest
        is older than any page may be (until then it may be a read that raced a change)."""
        if version < 0 or version == self._newest:
            return
        if version > self._newest or now - self._newest_at > MAX_AGE_S:
            self._advance(version, now)

    def _advance(self, version: int, now: float) -> None:
        """Counters only grow, so a page of an older one is never used again: it moves to `version`
        when the changes since did not touch its tickets, else it leaves at once (under load the
        stale pages were most of what the GC walked)."""
        rows = live.changed_rows(TICKET_ROWS, self._newest, version) if version > self._newest >= 0 else None
        concerned: dict[Conditions, bool] = {}  # many pages share their conditions (other pages, sorts)
        for key, entry in list(self._entries.items()):
            if rows is not None and entry.conditions is not None and entry.conditions not in concerned:
                concerned[entry.conditions] = touched(rows, entry.conditions)
            if rows is not None and entry.conditions is not None and not concerned[entry.conditions]:
                self._entries[key] = entry._replace(version=version)
            else:
                del self._entries[key]
        self._newest, self._newest_at = version, now

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._newest, self._newest_at = -1, 0.0

    def __len__(self) -> int:
        return len(self._entries)


pages = PageCache(settings.list_cache_pages)
# a list's counts per status, by its conditions without the status filter (and its search): the same
# for every page, sort and status of that view, so paging or ticking a status through a search's
# results counts them once (for a common word, six passes through the index: a third of the search)
counts = PageCache(settings.list_cache_pages)
