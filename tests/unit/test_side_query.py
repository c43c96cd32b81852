"""`side_query`: a statement on a second connection while the caller runs its own -- only where the
second connection sees what the first sees, and never waiting behind another request's statement."""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlmodel import Session

from portal_app.models import Account
from portal_app.services import side_query

COUNT = text("SELECT count(*) FROM account")


def test_a_file_database_without_pending_writes_runs_the_statement_beside(file_engine, side_threads):
    with Session(file_engine) as session:
        conn = session.connection()
        expected = conn.execute(COUNT).scalar_one()
        assert side_query.available(conn)
        row, mine = side_query.one_row_beside(conn, COUNT, {}, lambda: "mine")
    assert (row[0], mine) == (expected, "mine")
    assert side_threads and side_threads[0].startswith("side-query")


def test_pending_writes_keep_the_statement_on_the_callers_connection(file_engine):
    with Session(file_engine) as session:
        before = session.connection().execute(COUNT).scalar_one()
        session.add(Account(email="pending@example.com", full_name="Pending"))
        session.flush()  # written in this transaction, not committed: another connection would miss it
        conn = session.connection()
        assert not side_query.available(conn)
        row, _ = side_query.one_row_beside(conn, COUNT, {}, lambda: None)
        assert row[0] == before + 1
        session.rollback()


def test_an_in_memory_database_is_never_asked_on_another_connection(session):
    conn = session.connection()
    assert not side_query.available(conn)
    row, mine = side_query.one_row_beside(conn, COUNT, {}, lambda: 7)
    assert (row[0], mine) == (conn.execute(COUNT).scalar_one(), 7)


def test_a_busy_worker_is_not_waited_for(file_engine):
    """Another request holds the worker: the caller runs the statement itself instead of queueing."""
    release = threading.Event()
    blocker = side_query._worker.submit(release.wait, 30)
    try:
        result = {}

        def call():
            with Session(file_engine) as session:
                conn = session.connection()
                result["row"], result["mine"] = side_query.one_row_beside(conn, COUNT, {}, lambda: "mine")

        caller = threading.Thread(target=call)
        caller.start()
        caller.join(10)
        assert not caller.is_alive(), "waited for the busy worker"
        assert result["mine"] == "mine" and result["row"][0] > 0
    finally:
        release.set()
        blocker.result(10)
