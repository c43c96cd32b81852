"""One read-only statement run on a second connection while the caller runs its own on the first.

A search's counts per status over a large scope are several passes through the full-text index of
a common word (at a million tickets: ~20 ms for the word's matches, ~25 ms for the open statuses
among them). SQLite runs one statement on one core; the second half on a second connection, in a
worker thread (sqlite3 releases the GIL while a statement runs), halves the wait while a core is
free. The work is the same: when the worker is still taken by another request's statement by the
time the caller has finished its own, the caller takes the statement back and runs it on its own
connection. Measured (benchmarks/ticket_search_side.py, docs/benchmarks.md): one client 19 -> 34
calls/s; 2 and 4 clients on 2 cores the same throughput, the slowest calls somewhat slower.

Only where a second connection sees the same data: a SQLite *file* (not an in-memory database,
whose every connection is another database, or one shared connection), and a caller with no
uncommitted writes (the other connection would not see them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Executable, Row
from sqlalchemy.pool import SingletonThreadPool, StaticPool

T = TypeVar("T")

_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="side-query")


def available(conn: Connection) -> bool:
    """Whether a statement may run on another connection of `conn`'s engine, seeing what `conn` sees."""
    engine = conn.engine
    if engine.dialect.name != "sqlite" or isinstance(engine.pool, StaticPool | SingletonThreadPool):
        return False
    if engine.url.database in (None, "", ":memory:") or "mode=memory" in str(engine.url):
        return False
    return not getattr(conn.connection.dbapi_connection, "in_transaction", True)


def _run_on(engine: Engine, statement: Executable, values: Mapping[str, Any]) -> Row:
    with engine.connect() as side:
        return side.execute(statement, values).one()


def one_row_beside(conn: Connection, statement: Executable, values: Mapping[str, Any],
                   meanwhile: Callable[[], T]) -> tuple[Row, T]:
    """The one row of `statement` and `meanwhile()`'s result: the statement on a second connection
    of the same engine while `meanwhile` runs here, or after it on `conn` when that cannot help."""
    if not available(conn):
        return conn.execute(statement, values).one(), meanwhile()
    beside: Future[Row] = _worker.submit(_run_on, conn.engine, statement, values)
    mine = meanwhile()
    if _take_back(beside):
        return conn.execute(statement, values).one(), mine
    return beside.result(), mine


def _take_back(beside: Future[Row]) -> bool:
    """Whether the worker has not started the statement (busy with another request's): then it is
    cancelled and the caller runs it rather than wait."""
    return beside.cancel()
