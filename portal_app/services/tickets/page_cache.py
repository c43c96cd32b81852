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
filtered lists that ticket is not in, as they were); a search's page also while the ticket's text
does not match its words (`touched`). Any other commit that writes a ticket, or a
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

# the ticket columns a list's conditions test (ticket_list._conditions, scope.visibility), and what
# a search needs to tell: the ticket (its id) and whether its own text changed
CONDITION_COLUMNS = ("status", "category", "severity", "priority", "company_id", "created_by_id", "assignee_id")
ROW_COLUMNS = ("id", "title", "description", *CONDITION_COLUMNS)

live.watch_tables(TICKET_ROWS, WATCHED_TABLES, columns_ignored={"account": SIGN_IN_COLUMNS})
live.watch_rows(TICKET_ROWS, "ticket", ROW_COLUMNS)

Conditions = tuple[tuple[object, Sequence[object]], ...]
# (a search's words as typed, ticket ids) -> those of the tickets whose text matches them now
SearchWords = tuple[Hashable, ...]
TextProbe = Callable[[SearchWords, list[int]], set[int]]


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


def touched(rows: list[live.RowChange], conditions: Conditions, text: SearchWords | None = None,
            probe: TextProbe | None = None) -> bool:
    """Whether a page of the tickets of `conditions` (and of the search `text`) may differ after
    the changes that wrote `rows`: one of the rows, before or after, is among those tickets.

    For a search, the row must also match its words. A ticket's text only grows (comments are
    added, never removed or edited) while its title and description stay, so a ticket whose text
    does not match now did not before either: `probe` asks the index (on a connection of its own,
    which sees every change committed).
    """
    met = [row for row in rows if _meets(row.before, conditions) or _meets(row.after, conditions)]
    if not met or text is None:
        return bool(met)
    if probe is None or any(_text_changed(row) for row in met):
        return True
    return bool(probe(text, [row.after["id"] for row in met]))  # type: ignore[index]


def _text_changed(row: live.RowChange) -> bool:
    if row.after is None:
        return True  # deleted
    if row.before is None:
        return False  # inserted: its text now is all it ever had
    return any(row.before.get(c) != row.after.get(c) for c in ("title", "description"))


class _Entry(NamedTuple):
    version: int  # the counter the page is known to be current at
    at: float  # when it was read
    value: object
    conditions: Conditions | None  # the tickets it is made of; None: any change concerns it
    text: SearchWords | None  # a search's words (`ticket_search.Term`s, as typed); None: not a search


class PageCache:
    """Each entry is stamped with the counter it is known to be current at. Asked for after the
    counter moved, it is kept (stamped anew) when the changes since cannot have touched its tickets
    (`touched`), else read again; a verdict is shared by the entries of one view (its other pages
    and sorts) until the counter moves again."""

    def __init__(self, max_entries: int) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._max = max_entries
        self._newest = -1  # the newest counter seen, and when
        self._newest_at = 0.0
        self._verdicts: dict[tuple[Conditions, str | None, int], bool] = {}  # (view, stamp) -> current at _newest

    def get(self, key: Hashable, load: Callable[[], T], *, conditions: Conditions | None = None,
            text: SearchWords | None = None, probe: TextProbe | None = None) -> T:
        """The page kept for `key` while no change since concerns it, else `load()`'s (then kept).
        `conditions`: the tickets the page is made of (the viewer's scope and filters, the search
        aside), and `text` the search's words; without conditions any ticket
        change drops it. `probe`: how this caller can ask the index which tickets match a search."""
        if not self._max:
            return load()
        version = live.versions(TICKET_ROWS)[0]
        now = time.monotonic()
        with self._lock:
            self._follow(version, now)
            entry = self._entries.get(key)
            verdicts = self._verdicts if version == self._newest else None
        if entry is not None:
            if version >= 0 and now - entry.at < MAX_AGE_S and (
                    entry.version == version or self._still_current(entry, version, verdicts, probe)):
                with self._lock:
                    if self._entries.get(key) is entry:
                        if entry.version != version:
                            self._entries[key] = entry._replace(version=version)
                        self._entries.move_to_end(key)
                return entry.value  # type: ignore[return-value]
            with self._lock:
                if self._entries.get(key) is entry:
                    del self._entries[key]
        value = load()
        if version >= 0:
            with self._lock:
                self._follow(version, now)
                if version == self._newest:  # else a change was committed while this page was read
                    self._entries[key] = _Entry(version, now, value, conditions, text)
                    while len(self._entries) > self._max:
                        self._entries.popitem(last=False)
        return value

    @staticmethod
    def _still_current(entry: _Entry, version: int, verdicts: dict | None, probe: TextProbe | None) -> bool:
        """Whether the changes from the entry's stamp to `version` (the newest) left its tickets alone."""
        if verdicts is None or entry.conditions is None or not 0 <= entry.version < version:
            return False
        view = (entry.conditions, entry.text, entry.version)
        if view not in verdicts:
            rows = live.changed_rows(TICKET_ROWS, entry.version, version)
            try:
                verdicts[view] = rows is not None and not touched(rows, entry.conditions, entry.text, probe)
            except Exception:  # noqa: BLE001 - the index could not be asked: the page is read again
                verdicts[view] = False
        return verdicts[view]

    def _follow(self, version: int, now: float) -> None:
        """Takes a newer counter: a page without conditions can never be current again, and leaves at
        once (under load stale pages were most of what the GC walked). A counter that went back
        (Redis emptied) is taken once the newest is older than any page may be (until then it may
        be a read that raced a change), and then nothing kept can be told current."""
        if version < 0 or version == self._newest:
            return
        if version > self._newest:
            for key in [k for k, entry in self._entries.items() if entry.conditions is None]:
                del self._entries[key]
        elif now - self._newest_at > MAX_AGE_S:
            self._entries.clear()
        else:
            return
        self._newest, self._newest_at, self._verdicts = version, now, {}

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
