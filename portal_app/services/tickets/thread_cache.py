"""A ticket's thread kept in process memory between views: its comments, files, history and the
names and company it shows.

Opening a ticket read eight statements, most of its cost SQLAlchemy's work per statement
(docs/benchmarks.md, "Tenth round"), and all but the ticket row are the same for everyone on the same
side (staff also see internal notes) until the thread changes. So they are kept here per
(ticket id, staff or not). The ticket row is still read on every view, through the viewer's scope:
SQL decides who may see the ticket, as before, and only then is its thread taken from here.

An entry is used while its stamp holds:
- the ticket row's `updated_at`, which every service that writes a comment, a file or a history
  line also sets (core: create, add_comment, assign, change_fields), and the ids of the people,
  company and reference whose names it shows;
- the ticket's live counter (`live.ticket_key`), which those services bump after their commit;
- the counters `IDENTITY` (names, who is on the support side, the settings' closing rule) and
  `THREAD_ROWS`, which any update or deletion of a comment, file, history line or company moves
  (services/live.py `watch_tables`; inserts come with the ticket's own `updated_at`);
- for at most `MAX_AGE_S` (a write made outside the portal's code).
The counters are read before the rows, so a change committed meanwhile leaves the entry stale.
Memory is bounded: `MAX_ENTRIES` threads, none of more than `MAX_THREAD_CHARS` of text (a longer
one is read every time), the least recently used out first, and those stored more than `MAX_AGE_S`
ago as new ones come.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from .. import live
from ..accounts.actor_cache import IDENTITY

T = TypeVar("T")

THREAD_ROWS = "thread_rows"
WATCHED_TABLES = frozenset({"ticketcomment", "attachment", "ticketchange", "company"})
MAX_ENTRIES = 1_000
MAX_THREAD_CHARS = 16_000
MAX_AGE_S = 60.0

# a new comment, file or history line comes with its ticket's `updated_at`; a new company has no tickets
live.watch_tables(THREAD_ROWS, WATCHED_TABLES, inserts_ignored=WATCHED_TABLES)


def counters(number: int) -> tuple[int, ...]:
    """The counters an entry of ticket `number` is stamped with; read them before its rows. An
    unreadable one (Redis down) is -1: then nothing is kept."""
    return live.versions(live.ticket_key(number), IDENTITY, THREAD_ROWS)


def keepable(counters_read: tuple[int, ...], chars: int) -> bool:
    return -1 not in counters_read and chars <= MAX_THREAD_CHARS


class ThreadCache:
    """(ticket id, staff or not) -> thread, least recently used first out."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Hashable, float, object]] = OrderedDict()
        self._max = max_entries

    def get(self, key: Hashable, stamp: Hashable, load: Callable[[], T], *, keep: Callable[[T], bool]) -> T:
        """The thread kept for `key` under the same stamp, else `load()`'s (kept if `keep` says so)."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                if entry[0] == stamp and now - entry[1] < MAX_AGE_S:
                    self._entries.move_to_end(key)
                    return entry[2]  # type: ignore[return-value]
                del self._entries[key]
        value = load()
        if keep(value):
            with self._lock:
                self._entries[key] = (stamp, now, value)
                while self._entries and (len(self._entries) > self._max
                                         or now - next(iter(self._entries.values()))[1] >= MAX_AGE_S):
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


threads = ThreadCache()
