"""Ticket list pages, and their counts per status, kept in process memory, shared by every viewer who
sees the same tickets.

A list page is fully decided by its conditions (the viewer's scope and the filters, as
`ticket_list._conditions` writes them, with the viewer's own id where "mine" or "me" asks for it)
and by the search, sort and page. Staff all see every ticket, a company's contacts with the same
rights see the same ones: the same page asked for again, by the same tab's live reload or by
another person, is answered from here instead of SQL (at 200 users the list's SQL was most of
the server's CPU, docs/benchmarks.md "Event path").

Invalidation: a page carries the `TICKET_ROWS` counter read *before* its query ran, and is used
only while the counter has not moved. Any commit that writes a ticket, or a name a list shows
(company, contact, account), moves it (services/live.py `watch_tables`; through Redis with
several workers). A page is also dropped after `MAX_AGE_S`, for writes made outside the portal's
code, and the least recently used go first past `PORTAL_LIST_CACHE_PAGES` (0 keeps none: every
list is queried, as the benchmarks that time the SQL itself need).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from ...models.account import SIGN_IN_COLUMNS
from ...settings import settings
from .. import live

T = TypeVar("T")

TICKET_ROWS = "ticket_rows"
WATCHED_TABLES = frozenset({"ticket", "company", "contact", "account"})
MAX_AGE_S = 60.0

live.watch_tables(TICKET_ROWS, WATCHED_TABLES, columns_ignored={"account": SIGN_IN_COLUMNS})


class PageCache:
    def __init__(self, max_entries: int) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[int, float, object]] = OrderedDict()
        self._max = max_entries
        self._newest = -1  # the newest counter a page was stored with, and when it was seen
        self._newest_at = 0.0

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The page kept for `key` while no ticket changed since, else `load()`'s (then kept)."""
        if not self._max:
            return load()
        version = live.versions(TICKET_ROWS)[0]
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                if entry[0] == version >= 0 and now - entry[1] < MAX_AGE_S:
                    self._entries.move_to_end(key)
                    return entry[2]  # type: ignore[return-value]
                del self._entries[key]
        value = load()
        if version >= 0:
            with self._lock:
                if version > self._newest or now - self._newest_at > MAX_AGE_S:
                    self._drop_others(version, now)
                if version == self._newest:  # else a change was committed while this page was read
                    self._entries[key] = (version, now, value)
                    while len(self._entries) > self._max:
                        self._entries.popitem(last=False)
        return value

    def _drop_others(self, version: int, now: float) -> None:
        """Counters only grow, so a page of an older one is never used again. A counter that went
        back (Redis emptied) is taken once the newest is older than any page may be."""
        self._newest, self._newest_at = version, now
        for key in [k for k, entry in self._entries.items() if entry[0] != version]:
            del self._entries[key]

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
