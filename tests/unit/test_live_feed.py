"""The change feed behind live pages: in memory (one worker) and in a real Redis (several workers)."""

import shutil
import socket
import subprocess
import time

import pytest

from portal_app.services import live


def test_memory_feed_counts_changes_per_key():
    feed = live._MemoryFeed()
    assert feed.versions("ticket:1", "company:1") == (0, 0)
    feed.bump("ticket:1", "company:1")
    feed.bump("company:1")
    assert feed.versions("ticket:1", "company:1", "ticket:2") == (1, 2, 0)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path_factory.mktemp("redis"))], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


def test_redis_feed_is_shared_between_workers(redis_url):
    """Two feeds stand for two worker processes: a change through one is seen by the other."""
    worker_a, worker_b = live._RedisFeed(redis_url), live._RedisFeed(redis_url)
    before = worker_b.versions("ticket:10001", "company:7")
    worker_a.bump("ticket:10001", "company:7")
    assert worker_b.versions("ticket:10001", "company:7") == (before[0] + 1, before[1] + 1)
    assert worker_b.versions("ticket:99999") == (0,)


def test_a_failing_feed_never_fails_the_change(monkeypatch):
    class Broken:
        def bump(self, *keys):
            raise ConnectionError("redis is down")

        def versions(self, *keys):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(live, "feed", lambda: Broken())
    live.bump("ticket:1")  # logged, not raised
    assert live.versions("ticket:1", "company:1") == (-1, -1)  # pages then simply reload


ROW = live.RowChange({"company_id": 1, "status": "new"}, {"company_id": 1, "status": "closed"})
NEW_ROW = live.RowChange(None, {"company_id": 2, "status": "new"})


@pytest.mark.parametrize("make", ["memory", "redis"])
def test_a_change_carries_the_rows_it_wrote(make, request):
    """Two feeds stand for two workers (with Redis): the rows written by one are read by the other."""
    if make == "memory":
        writer = reader = live._MemoryFeed()
    else:
        url = request.getfixturevalue("redis_url")
        writer, reader = live._RedisFeed(url), live._RedisFeed(url)
    key = f"rows-{make}"
    start = reader.versions(key)[0]
    writer.bump_rows(key, [ROW])
    writer.bump_rows(key, [NEW_ROW, ROW])
    assert reader.versions(key) == (start + 2,)
    assert reader.rows_between(key, start, start + 2) == [ROW, NEW_ROW, ROW]
    assert reader.rows_between(key, start + 1, start + 2) == [NEW_ROW, ROW]
    writer.bump(key)  # a change that did not say which rows: from before it, nothing can be told
    assert reader.rows_between(key, start, start + 3) is None
    assert reader.rows_between(key, start + 1, start + 2) == [NEW_ROW, ROW]


def test_changed_rows_that_are_too_old_or_unknown_are_none(monkeypatch):
    feed = live._MemoryFeed()
    monkeypatch.setattr(live, "feed", lambda: feed)
    for _ in range(live.ROW_LOG + 5):
        feed.bump_rows("k", [ROW])
    newest = feed.versions("k")[0]
    assert live.changed_rows("k", newest - 3, newest) == [ROW] * 3
    assert live.changed_rows("k", newest, newest) == []
    assert live.changed_rows("k", 1, 4) is None  # no longer kept
    assert live.changed_rows("k", newest - live.ROW_LOG - 1, newest) is None
    assert live.changed_rows("k", -1, newest) is None  # a counter that could not be read
    assert len(feed._rows["k"]) == live.ROW_LOG  # the log does not grow past its bound
    assert live.changed_rows("k", newest - live.ROW_LOG, newest) == [ROW] * live.ROW_LOG


def test_a_failing_feed_tells_no_rows(monkeypatch):
    class Broken:
        def rows_between(self, *_args):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(live, "feed", lambda: Broken())
    assert live.changed_rows("ticket_rows", 1, 2) is None
