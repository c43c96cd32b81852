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
