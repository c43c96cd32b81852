"""Change versions for live pages: a counter per ticket and per company, bumped on every change.

Open pages compare the counter they saw with the current one every couple of seconds and reload
from the database only when it moved, so idle pages cost no database query. With REDIS_URL the
counters live in Redis and every worker sees every change; without it there is one worker and
they live in its memory.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

from ..settings import settings

log = logging.getLogger("portal.live")
PREFIX = "portal:v:"


def ticket_key(number: int) -> str:
    return f"ticket:{number}"


def company_key(company_id: int) -> str:
    return f"company:{company_id}"


ALL_TICKETS = "tickets"


def event_key(event_id: int) -> str:
    """Moves whenever the event's seats, waiting list or details change (seats left shown live)."""
    return f"event:{event_id}"


ALL_EVENTS = "events"  # moves with every event change: the lists


def invoice_key(number: int) -> str:
    """Moves whenever the invoice's payments, balance or attempts change (the page turns "Paid" live)."""
    return f"invoice:{number}"


ALL_INVOICES = "invoices"  # moves with every invoice change: the lists


def quote_key(number: int) -> str:
    """Moves whenever the quote request changes (answered, accepted, declined)."""
    return f"quote:{number}"


def order_key(number: int) -> str:
    """Moves whenever the sales order's status changes."""
    return f"order:{number}"


def cart_key(contact_id: int) -> str:
    """Moves whenever the contact's cart changes (the cart badge of its other tabs)."""
    return f"cart:{contact_id}"


ALL_QUOTES = "quotes"  # moves with every quote change: the lists and staff's inbox
ALL_ORDERS = "orders"  # moves with every order change: the lists


class _MemoryFeed:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._versions: dict[str, int] = {}

    def bump(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._versions[key] = self._versions.get(key, 0) + 1

    def versions(self, *keys: str) -> tuple[int, ...]:
        with self._lock:
            return tuple(self._versions.get(key, 0) for key in keys)


class _RedisFeed:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2)

    def bump(self, *keys: str) -> None:
        pipe = self._redis.pipeline()
        for key in keys:
            pipe.incr(PREFIX + key)
        pipe.execute()

    def versions(self, *keys: str) -> tuple[int, ...]:
        return tuple(int(v or 0) for v in self._redis.mget([PREFIX + k for k in keys]))


@lru_cache(maxsize=1)
def feed() -> _MemoryFeed | _RedisFeed:
    return _RedisFeed(settings.redis_url) if settings.redis_url else _MemoryFeed()


def bump(*keys: str) -> None:
    """Announce a change; never fails the change itself."""
    try:
        feed().bump(*keys)
    except Exception:  # noqa: BLE001
        log.exception("could not announce change of %s", keys)


def versions(*keys: str) -> tuple[int, ...]:
    try:
        return feed().versions(*keys)
    except Exception:  # noqa: BLE001
        log.exception("could not read versions of %s", keys)
        return tuple(-1 for _ in keys)


class Memo:
    """One value read from the database, kept until the counter `key` moves.

    The counter is read before the value is loaded, so a change committed during the load leaves
    the value already stale; an unreadable counter (Redis down) keeps nothing.
    """

    def __init__(self, key: str) -> None:
        self._key = key
        self._lock = threading.Lock()
        self._version = -1
        self._value: object = None

    def get(self, load):  # noqa: ANN001, ANN201 - load: () -> T, returns T
        version = versions(self._key)[0]
        with self._lock:
            if version >= 0 and version == self._version:
                return self._value
        value = load()
        if version >= 0:
            with self._lock:
                self._version, self._value = version, value
        return value


# --- counters moved by writes to tables: flagged during the transaction, bumped after its commit ---

_CHANGED = "portal_changed_counters"


@dataclass(frozen=True)
class _Watch:
    counter: str
    tables: frozenset[str]
    inserts_ignored: frozenset[str]
    columns_ignored: Mapping[str, frozenset[str]]

    def moved_by(self, table: str | None, kind: str, columns: frozenset[str] | None) -> bool:
        """Whether a write of `kind` ("insert", "update", "delete") to `table` moves this counter;
        `columns`: what an update set, None when not known (then it counts)."""
        if table not in self.tables:
            return False
        if kind == "insert":
            return table not in self.inserts_ignored
        if kind == "update" and columns is not None and table in self.columns_ignored:
            return not columns <= self.columns_ignored[table]
        return True


_WATCHES: list[_Watch] = []


def watch_tables(counter: str, tables: frozenset[str], *, inserts_ignored: frozenset[str] = frozenset(),
                 columns_ignored: Mapping[str, frozenset[str]] | None = None) -> None:
    """Bump `counter` after any commit, through any ORM session of this process, that wrote to one
    of `tables`, except an insert into `inserts_ignored` and an update that set only columns
    `columns_ignored` names for its table (a sign-in's bookkeeping on the account row, say); a
    rolled-back write announces nothing."""
    _WATCHES.append(_Watch(counter, tables, inserts_ignored, dict(columns_ignored or {})))


def _flag(session: OrmSession, table: str | None, kind: str, columns: frozenset[str] | None = None) -> None:
    for watch in _WATCHES:
        if watch.moved_by(table, kind, columns):
            session.info.setdefault(_CHANGED, set()).add(watch.counter)


def _table_of(obj: object) -> str | None:
    return getattr(getattr(type(obj), "__table__", None), "name", None)


def _changed_columns(obj: object) -> frozenset[str]:
    """The attributes of a flushed object whose values changed (its history, still there after_flush)."""
    return frozenset(a.key for a in inspect(obj).attrs if a.history.has_changes())


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _flush_context: object) -> None:
    for table in {_table_of(o) for o in session.new}:
        _flag(session, table, "insert")
    for table in {_table_of(o) for o in session.deleted}:
        _flag(session, table, "delete")
    updated: set[str | None] = set()
    for obj in session.dirty:
        table = _table_of(obj)
        if any(table in w.columns_ignored for w in _WATCHES):  # which columns changed decides
            _flag(session, table, "update", _changed_columns(obj))
        else:
            updated.add(table)
    for table in updated:
        _flag(session, table, "update")


def _set_columns(statement: object) -> frozenset[str] | None:
    """The columns an UPDATE statement sets (None when it cannot be told: it then counts)."""
    values = getattr(statement, "_values", None)
    if not values or getattr(statement, "_multi_values", None):
        return None
    names = [getattr(key, "key", key) for key in values]
    return frozenset(names) if all(isinstance(n, str) for n in names) else None


@event.listens_for(OrmSession, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if state.is_insert:
        _flag(state.session, table, "insert")
    elif state.is_delete:
        _flag(state.session, table, "delete")
    else:
        _flag(state.session, table, "update", _set_columns(state.statement))


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    if counters := session.info.pop(_CHANGED, None):
        bump(*sorted(counters))


@event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    session.info.pop(_CHANGED, None)
