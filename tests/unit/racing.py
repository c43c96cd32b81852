"""Real threads at the same moment, each with its own session: what two clicks sent at once do.
(`racing_engine`, the SQLite file and PostgreSQL engines they race on, is in conftest.py.)"""

from __future__ import annotations

import threading

from sqlmodel import Session


def at_once(engine, n, work):
    """`work(session)` in n threads at once; their results (an exception fails the test)."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        with Session(engine) as session:
            barrier.wait()
            try:
                results[i] = work(session)
            except BaseException as exc:  # noqa: BLE001 - reported below
                results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return results
