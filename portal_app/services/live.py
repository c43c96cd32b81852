"""Change versions for live pages: a counter per ticket and per company, bumped on every change.

Open pages compare the counter they saw with the current one every couple of seconds and reload
from the database only when it moved, so idle pages cost no database query. With REDIS_URL the
counters live in Redis and every worker sees every change; without it there is one worker and
they live in its memory.

A counter can also say which rows a change wrote (`watch_rows`): a reader holding what some rows
make (a list page of one company's tickets, say) then keeps it across changes to other rows. The
rows travel with the counter (in Redis too); a change whose rows are not known moves it as before.

With Redis, one Reflex event reads each counter there once (`read_once_per_event`): the acting
user's, the settings', the list's and the thread's caches all ask for the same few counters, and
each ask was a round trip on the event loop.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.base import NO_VALUE
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, ColumnClause

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


ALL_DOCUMENTS = "documents"  # moves when a shared document comes, changes or goes (not with a download)
ALL_QUOTES = "quotes"  # moves with every quote change: the lists and staff's inbox
ALL_ORDERS = "orders"  # moves with every order change: the lists


@dataclass(frozen=True)
class RowChange:
    """A row a committed change wrote: the watched columns' values before and after it (None:
    the row was inserted, or deleted). Values are plain: an enum's value, a number, a string."""

    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


# how many changes back a counter's rows are kept (in memory), or for how long (in Redis); a reader
# further behind takes the change as one it cannot tell
ROW_LOG, ROW_LOG_SECONDS = 256, 300


def _rows_json(rows: Sequence[RowChange]) -> str:
    return json.dumps([[r.before, r.after] for r in rows])


def _rows_from_json(raw: str | bytes) -> list[RowChange]:
    return [RowChange(before, after) for before, after in json.loads(raw)]


class _MemoryFeed:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._versions: dict[str, int] = {}
        self._rows: dict[str, dict[int, tuple[RowChange, ...]]] = {}  # counter -> version -> rows

    def bump(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._versions[key] = self._versions.get(key, 0) + 1

    def versions(self, *keys: str) -> tuple[int, ...]:
        with self._lock:
            return tuple(self._versions.get(key, 0) for key in keys)

    def known(self) -> list[str]:
        with self._lock:
            return list(self._versions)

    def bump_rows(self, key: str, rows: Sequence[RowChange]) -> None:
        with self._lock:
            version = self._versions[key] = self._versions.get(key, 0) + 1
            log = self._rows.setdefault(key, {})
            log[version] = tuple(rows)
            while (oldest := next(iter(log))) <= version - ROW_LOG:
                del log[oldest]

    def rows_between(self, key: str, since: int, until: int) -> list[RowChange] | None:
        with self._lock:
            log = self._rows.get(key, {})
            found = [log.get(version) for version in range(since + 1, until + 1)]
        return None if any(rows is None for rows in found) else [row for rows in found for row in rows]


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

    def known(self) -> list[str]:
        return [key.decode()[len(PREFIX):] for key in self._redis.scan_iter(match=PREFIX + "*", count=1000)
                if not key.decode().startswith(PREFIX + "rows:")]

    def bump_rows(self, key: str, rows: Sequence[RowChange]) -> None:
        # a reader that sees the new version before its rows takes it as a change it cannot tell
        version = self._redis.incr(PREFIX + key)
        self._redis.set(f"{PREFIX}rows:{key}:{version}", _rows_json(rows), ex=ROW_LOG_SECONDS)

    def rows_between(self, key: str, since: int, until: int) -> list[RowChange] | None:
        found = self._redis.mget([f"{PREFIX}rows:{key}:{version}" for version in range(since + 1, until + 1)])
        return None if any(raw is None for raw in found) else [row for raw in found for row in _rows_from_json(raw)]


@lru_cache(maxsize=1)
def feed() -> _MemoryFeed | _RedisFeed:
    return _RedisFeed(settings.redis_url) if settings.redis_url else _MemoryFeed()


# the counters this event has read from Redis (None: read each time; see `read_once_per_event`)
_READ: ContextVar[dict[str, int] | None] = ContextVar("portal_live_read", default=None)


def read_once_per_event() -> None:
    """From here to the end of the current asyncio task (Reflex runs each event in a task of its
    own), each counter is read from Redis once; a change this process announces meanwhile has them
    read again, so the event sees its own writes. Another worker's change made during the event is
    seen by the next one, as if it had come a moment later: every cache compares the counter it
    read before loading, so an older number only costs a reload, never a stale answer kept. Without
    Redis this does nothing: the counters are in this process's memory, and each read is current."""
    _READ.set({} if isinstance(feed(), _RedisFeed) else None)


def _forget_reads() -> None:
    if (read := _READ.get()) is not None:
        read.clear()


def bump(*keys: str) -> None:
    """Announce a change; never fails the change itself."""
    _forget_reads()
    try:
        feed().bump(*keys)
    except Exception:  # noqa: BLE001
        log.exception("could not announce change of %s", keys)


def everything_changed() -> None:
    """Announce a change of every counter there is (the database was replaced under the running
    process, as the tests' copy of a seeded database does): every cache reads again."""
    watched = {w.counter for w in _WATCHES} | {counter for counter, _ in _ROW_WATCHES.values()}
    bump(*sorted(set(feed().known()) | watched))


def versions(*keys: str) -> tuple[int, ...]:
    read = _READ.get()
    if read is None:
        return _versions(keys)
    if missing := [key for key in keys if key not in read]:
        found = _versions(missing)
        if -1 in found:  # not kept: the next read asks again
            return tuple(-1 if key in missing else read[key] for key in keys)
        read.update(zip(missing, found, strict=True))
    return tuple(read[key] for key in keys)


def _versions(keys: Sequence[str]) -> tuple[int, ...]:
    try:
        return feed().versions(*keys)
    except Exception:  # noqa: BLE001
        log.exception("could not read versions of %s", keys)
        return tuple(-1 for _ in keys)


def changed_rows(key: str, since: int, until: int) -> list[RowChange] | None:
    """The rows the changes of counter `key` from version `since` to `until` wrote; None when one
    of them is not known (its rows were not recorded, or are no longer kept): any row may have changed."""
    if not 0 <= since <= until or until - since > ROW_LOG:
        return None
    if since == until:
        return []
    try:
        return feed().rows_between(key, since, until)
    except Exception:  # noqa: BLE001
        log.exception("could not read the rows changed for %s", key)
        return None


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
# table -> (the counter whose changes carry its rows, the columns kept of each row written)
_ROW_WATCHES: dict[str, tuple[str, tuple[str, ...]]] = {}
_ROWS = "portal_changed_rows"  # session.info: counter -> the rows written so far, None once one is unknown


def watch_tables(counter: str, tables: frozenset[str], *, inserts_ignored: frozenset[str] = frozenset(),
                 columns_ignored: Mapping[str, frozenset[str]] | None = None) -> None:
    """Bump `counter` after any commit, through any ORM session of this process, that wrote to one
    of `tables`, except an insert into `inserts_ignored` and an update that set only columns
    `columns_ignored` names for its table (a sign-in's bookkeeping on the account row, say); a
    rolled-back write announces nothing."""
    _WATCHES.append(_Watch(counter, tables, inserts_ignored, dict(columns_ignored or {})))


def watch_rows(counter: str, table: str, columns: Sequence[str]) -> None:
    """The changes of `counter` (`watch_tables`) that wrote only rows of `table`, each by the ORM
    (objects flushed, or an UPDATE of one row by its id), carry those rows' `columns` before and
    after (`changed_rows`). Any other write the counter watches leaves its change untold."""
    _ROW_WATCHES[table] = (counter, tuple(columns))


def _flag(session: OrmSession, table: str | None, kind: str, columns: frozenset[str] | None = None,
          rows: list[RowChange] | None = None) -> None:
    """`rows`: what the write did to `table`'s rows, when known."""
    for watch in _WATCHES:
        if watch.moved_by(table, kind, columns):
            session.info.setdefault(_CHANGED, set()).add(watch.counter)
            recorded = session.info.setdefault(_ROWS, {})
            kept = recorded.get(watch.counter, [])
            told = rows is not None and kept is not None and _ROW_WATCHES.get(table or "", ("",))[0] == watch.counter
            recorded[watch.counter] = [*kept, *rows] if told else None  # type: ignore[misc]


def _table_of(obj: object) -> str | None:
    return getattr(getattr(type(obj), "__table__", None), "name", None)


def _changed_columns(obj: object) -> frozenset[str]:
    """The attributes of a flushed object whose values changed (its history, still there after_flush)."""
    return frozenset(a.key for a in inspect(obj).attrs if a.history.has_changes())


def plain(value: Any) -> Any:
    """A column's value as a row change carries it: an enum as its value, a long text as a digest
    (a reader only compares it)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str) and len(value) > 64:
        return "#" + hashlib.blake2b(value.encode(), digest_size=12).hexdigest()
    return value


def _object_values(obj: object, columns: tuple[str, ...], *, before: bool) -> dict[str, Any] | None:
    """A flushed object's `columns` as they are, or as they were `before` the flush; None when one
    is not loaded (not known without a query)."""
    attrs = inspect(obj).attrs
    out: dict[str, Any] = {}
    for name in columns:
        attr = attrs[name]
        if before and attr.history.has_changes():
            if not attr.history.deleted:
                return None
            value = attr.history.deleted[0]
        else:
            value = attr.loaded_value
            if value is NO_VALUE:
                return None
        out[name] = plain(value)
    return out


def _flag_object(session: OrmSession, obj: object, table: str, kind: str) -> None:
    """A flushed object of a table whose rows are watched: flagged with its row's change."""
    columns = _ROW_WATCHES[table][1]
    before = None if kind == "insert" else _object_values(obj, columns, before=kind == "update")
    after = None if kind == "delete" else _object_values(obj, columns, before=False)
    known = (before is not None or kind == "insert") and (after is not None or kind == "delete")
    _flag(session, table, kind, _changed_columns(obj) if kind == "update" else None,
          rows=[RowChange(before, after)] if known else None)


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _flush_context: object) -> None:
    for kind, objects in (("insert", session.new), ("delete", session.deleted)):
        tables: set[str | None] = set()
        for obj in objects:
            table = _table_of(obj)
            if table in _ROW_WATCHES:
                _flag_object(session, obj, table, kind)
            else:
                tables.add(table)
        for table in tables:
            _flag(session, table, kind)
    updated: set[str | None] = set()
    for obj in session.dirty:
        table = _table_of(obj)
        if table in _ROW_WATCHES:
            _flag_object(session, obj, table, "update")
        elif any(table in w.columns_ignored for w in _WATCHES):  # which columns changed decides
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


def _one_row(statement: Any, table: str) -> Any:
    """The id an UPDATE statement's WHERE names (`id = :value`, alone or among ANDed
    conditions): it writes that one row at most. None when it names none."""
    where = getattr(statement, "whereclause", None)
    parts = where.clauses if isinstance(where, BooleanClauseList) and where.operator is operators.and_ else [where]
    for part in parts:
        if (isinstance(part, BinaryExpression) and part.operator is operators.eq
                and isinstance(part.left, ColumnClause) and part.left.key == "id"
                and getattr(part.left.table, "name", None) == table and isinstance(part.right, BindParameter)):
            return part.right.effective_value
    return None


def _update_one_row(state: ORMExecuteState, table: str, row_id: Any) -> Any:
    """Runs an UPDATE of one row of a watched table, reading the row's columns before and after
    (two lookups by id, in the same transaction), and flags it with that change."""
    columns = _ROW_WATCHES[table][1]
    table_ = state.statement.table
    conn = state.session.connection()
    lookup = select(*(table_.c[name] for name in columns)).where(table_.c.id == row_id)

    def values() -> dict[str, Any] | None:
        row = conn.execute(lookup).mappings().first()
        return None if row is None else {name: plain(row[name]) for name in columns}

    before = values()
    result = state.invoke_statement()
    after = values()
    rows = [] if before is None and after is None else [RowChange(before, after)]
    _flag(state.session, table, "update", _set_columns(state.statement), rows=rows)
    return result


@event.listens_for(OrmSession, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> Any:
    if not (state.is_update or state.is_delete or state.is_insert):
        return None
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if state.is_update and table in _ROW_WATCHES and (row_id := _one_row(state.statement, table)) is not None:
        return _update_one_row(state, table, row_id)
    if state.is_insert:
        _flag(state.session, table, "insert")
    elif state.is_delete:
        _flag(state.session, table, "delete")
    else:
        _flag(state.session, table, "update", _set_columns(state.statement))


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    rows = session.info.pop(_ROWS, None) or {}
    if counters := session.info.pop(_CHANGED, None):
        told = {counter for counter in counters if rows.get(counter) is not None}
        if untold := counters - told:
            bump(*sorted(untold))
        for counter in sorted(told):
            _bump_rows(counter, rows[counter])


def _bump_rows(key: str, rows: list[RowChange]) -> None:
    _forget_reads()
    try:
        feed().bump_rows(key, rows)
    except Exception:  # noqa: BLE001
        log.exception("could not announce change of %s", key)


@event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_ROWS, None)
