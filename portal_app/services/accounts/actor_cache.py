"""The acting user per session, kept in process memory between events.

Every websocket event needs the actor (who is acting, with the rights that apply now). Building it
reads the session, account, contact, profile and settings rows: 1-3 ms, on every event of every
tab. Here it is built once and reused until anything it was built from changes.

Invalidation is by the live counter `IDENTITY` (services/live.py: in memory, or in Redis so every
worker sees it): any write to a table an actor is built from (`WATCHED_TABLES`), through any
session of this process, bumps it after the commit; a sign-in's own bookkeeping on the account row
(`models.account.SIGN_IN_COLUMNS`) does not. A cached actor carries the counter value read
*before* its rows were, so a change committed while it was being built leaves it already stale.
So "a disabled user is refused at once" holds: disabling commits, bumps, and the next event of
that user's tabs builds afresh and finds no actor. Also dropped: an entry past its session's
expiry, and any entry older than `MAX_AGE_S` (a write made outside the portal's code, e.g. by hand
in SQL, is seen within that time).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ...models import utcnow
from ...models.account import SIGN_IN_COLUMNS
from .. import live
from ..actor import Actor

IDENTITY = "identity"
WATCHED_TABLES = frozenset({"account", "authsession", "contact", "portalprofile", "portalsettings"})
# a new session row changes nobody's rights: only its update or removal matters
INSERT_IGNORED = frozenset({"authsession"})
MAX_ENTRIES = 20_000
MAX_AGE_S = 60.0


@dataclass(frozen=True)
class _Entry:
    actor: Actor
    session_expires_at: datetime
    version: int
    stored_at: float


class ActorCache:
    """Token hash -> actor, least recently used first out."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._max = max_entries

    def get(self, token_hash: str, *, load: Callable[[], tuple[Actor | None, datetime | None]]) -> Actor | None:
        """The cached actor, or `load()`'s (actor, session expiry), kept when the counter is readable."""
        version = live.versions(IDENTITY)[0]
        with self._lock:
            entry = self._entries.get(token_hash)
            if entry is not None:
                fresh = (entry.version == version >= 0 and entry.session_expires_at > utcnow()
                         and time.monotonic() - entry.stored_at < MAX_AGE_S)
                if fresh:
                    self._entries.move_to_end(token_hash)
                    return entry.actor
                del self._entries[token_hash]
        actor, expires_at = load()
        if actor is not None and expires_at is not None and version >= 0:
            with self._lock:
                now = time.monotonic()
                self._entries[token_hash] = _Entry(actor, expires_at, version, now)
                # out go the least recently used: past the bound, and those too old to be used again
                # (a tab idle for a minute: memory follows the tabs in use, as with state/tab_memory.py)
                while len(self._entries) > self._max or now - next(iter(self._entries.values())).stored_at >= MAX_AGE_S:
                    self._entries.popitem(last=False)
        return actor

    def forget(self, token_hash: str) -> None:
        with self._lock:
            self._entries.pop(token_hash, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


actors = ActorCache()


# any write to the tables an actor is built from moves IDENTITY once its transaction commits (a sign-in's
# bookkeeping on the account row aside)
live.watch_tables(IDENTITY, WATCHED_TABLES, inserts_ignored=INSERT_IGNORED,
                 columns_ignored={"account": SIGN_IN_COLUMNS})
