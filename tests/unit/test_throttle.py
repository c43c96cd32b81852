"""The database rate limiter: a sliding window per bucket, attempts in flight counted, refusals
leaving nothing behind, and the bound kept by parallel takers on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, create_engine, select

from portal_app.models import ThrottleHit, utcnow
from portal_app.services import throttle

from migrations import run_alembic
from postgres_server import create_database

LIMIT = throttle.Limit("test", 3, timedelta(minutes=10))


def take(session, key="203.0.113.1", now=None, limit=LIMIT):
    return throttle.take(session=session, limit=limit, key=key, now=now)


def test_the_window_slides(demo):
    start = utcnow()
    for minute in range(3):
        assert take(demo.session, now=start + timedelta(minutes=minute)).ok
    refused = take(demo.session, now=start + timedelta(minutes=5))
    assert not refused.ok and refused.retry_minutes == 5  # the first hit leaves the window at 10
    assert take(demo.session, now=start + timedelta(minutes=10, seconds=1)).ok
    assert take(demo.session, key="203.0.113.2", now=start + timedelta(minutes=5)).ok  # its own bucket


def test_a_refused_attempt_leaves_no_hit_and_a_released_one_is_taken_back(demo):
    now = utcnow()
    taken = [take(demo.session, now=now) for _ in range(3)]
    assert not take(demo.session, now=now).ok
    assert len(demo.session.exec(select(ThrottleHit)).all()) == 3
    throttle.release(session=demo.session, taken=taken[0])
    assert take(demo.session, now=now).ok


def test_personal_keys_are_stored_hashed(demo):
    take(demo.session, key="Someone@Example.com")
    buckets = [h.bucket for h in demo.session.exec(select(ThrottleHit)).all()]
    assert buckets and not any("someone" in b.lower() for b in buckets)
    assert throttle.bucket(LIMIT, "Someone@Example.com ") == throttle.bucket(LIMIT, "someone@example.com")


def test_no_limit_counts_nothing(demo):
    off = throttle.Limit("off", 0, timedelta(minutes=1))
    assert all(take(demo.session, limit=off).ok for _ in range(10))
    assert demo.session.exec(select(ThrottleHit)).all() == []


def test_purge_forgets_old_hits_only(demo):
    now = utcnow()
    take(demo.session, now=now - timedelta(days=2))
    take(demo.session, now=now)
    assert throttle.purge(session=demo.session, older_than=timedelta(days=1), now=now) == 1
    assert len(demo.session.exec(select(ThrottleHit)).all()) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def race_engine(request, tmp_path_factory):
    if request.param == "sqlite":
        yield request.getfixturevalue("file_engine")
        return
    server = request.getfixturevalue("postgres_server")
    url = create_database(server, f"portal_{uuid.uuid4().hex[:8]}")
    run_alembic(tmp_path_factory.mktemp("pg-data"), "upgrade", "head", database_url=url)
    engine = create_engine(url, pool_size=20)
    yield engine
    engine.dispose()


def test_parallel_takers_never_pass_the_limit(race_engine):
    results: list[bool] = []
    lock = threading.Lock()
    gate = threading.Barrier(16)

    def run() -> None:
        gate.wait()
        with Session(race_engine) as session:
            ok = take(session).ok
        with lock:
            results.append(ok)

    threads = [threading.Thread(target=run) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 16 and results.count(True) == 3
    with Session(race_engine) as session:
        assert len(session.exec(select(ThrottleHit)).all()) == 3
