"""The change feed behind live pages: in memory (one worker) and in a real Redis (several workers)."""

import asyncio

import pytest

from portal_app.services import live


def test_memory_feed_counts_changes_per_key():
    feed = live._MemoryFeed()
    assert feed.versions("ticket:1", "company:1") == (0, 0)
    feed.bump("ticket:1", "company:1")
    feed.bump("company:1")
    assert feed.versions("ticket:1", "company:1", "ticket:2") == (1, 2, 0)


def test_redis_feed_is_shared_between_workers(redis_url):
    """Two feeds stand for two worker processes: a change through one is seen by the other."""
    worker_a, worker_b = live._RedisFeed(redis_url), live._RedisFeed(redis_url)
    before = worker_b.versions("ticket:10001", "company:7")
    worker_a.bump("ticket:10001", "company:7")
    assert worker_b.versions("ticket:10001", "company:7") == (before[0] + 1, before[1] + 1)
    assert worker_b.versions("ticket:99999") == (0,)


@pytest.mark.parametrize("kind", ["memory", "redis"])
def test_everything_changed_moves_every_counter_there_is(kind, request, monkeypatch):
    """What a test's copied database announces: every counter known, and every watched one, moves."""
    feed = live._MemoryFeed() if kind == "memory" else live._RedisFeed(request.getfixturevalue("redis_url"))
    monkeypatch.setattr(live, "feed", lambda: feed)
    feed.bump("invoice:4711")
    feed.bump_rows("ticket_rows_probe", [])
    watched = sorted({w.counter for w in live._WATCHES})
    before = feed.versions("invoice:4711", "ticket_rows_probe", *watched)
    live.everything_changed()
    assert feed.versions("invoice:4711", "ticket_rows_probe", *watched) == tuple(v + 1 for v in before)
    assert not any(key.startswith("rows:") for key in feed.known())  # the rows' log is no counter


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


class CountingRedisFeed(live._RedisFeed):
    """The real Redis feed, noting the counters each read asked Redis for."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.asked: list[str] = []

    def versions(self, *keys: str) -> tuple[int, ...]:
        self.asked.extend(keys)
        return super().versions(*keys)


def test_with_redis_an_event_reads_each_counter_once_and_sees_its_own_changes(redis_url, monkeypatch):
    """Each event is an asyncio task (as Reflex runs them): within it, a counter read twice is asked
    of Redis once; another worker's change made meanwhile is seen by the next event; this worker's
    own change (a plain bump, or one that tells its rows) is seen at once."""
    here, other_worker = CountingRedisFeed(redis_url), live._RedisFeed(redis_url)
    monkeypatch.setattr(live, "feed", lambda: here)
    start = other_worker.versions("memo:a", "memo:b")

    async def event() -> list[tuple[int, ...]]:
        live.read_once_per_event()
        seen = [live.versions("memo:a"), live.versions("memo:a", "memo:b")]
        other_worker.bump("memo:a")
        seen.append(live.versions("memo:a", "memo:b"))  # the same moment as the event's first read
        live.bump("memo:b")
        seen.append(live.versions("memo:a", "memo:b"))  # its own change: read again, both
        live._bump_rows("memo:a", [ROW])
        seen.append(live.versions("memo:a"))
        return seen

    async def two_events() -> tuple[list[tuple[int, ...]], tuple[int, ...]]:
        first = await asyncio.create_task(event())
        async def next_event() -> tuple[int, ...]:
            live.read_once_per_event()
            return live.versions("memo:a", "memo:b")
        return first, await asyncio.create_task(next_event())

    (seen, later) = asyncio.run(two_events())
    a, b = start
    assert seen == [(a,), (a, b), (a, b), (a + 1, b + 1), (a + 2,)]
    assert here.asked == ["memo:a", "memo:b", "memo:a", "memo:b", "memo:a", "memo:a", "memo:b"]
    assert later == (a + 2, b + 1)


def test_outside_an_event_or_without_redis_every_read_is_current(redis_url, monkeypatch):
    """A lifespan task or an HTTP route never called `read_once_per_event`; in memory (one worker)
    it does nothing: there, every read is the current number."""
    other_worker = live._RedisFeed(redis_url)
    monkeypatch.setattr(live, "feed", lambda: live._RedisFeed(redis_url))
    before = live.versions("memo:c")[0]
    other_worker.bump("memo:c")
    assert live.versions("memo:c") == (before + 1,)

    memory = live._MemoryFeed()
    monkeypatch.setattr(live, "feed", lambda: memory)

    async def event() -> tuple[int, int]:
        live.read_once_per_event()
        first = live.versions("memo:d")[0]
        memory.bump("memo:d")  # what another handler's commit in this process does
        return first, live.versions("memo:d")[0]

    assert asyncio.run(event()) == (0, 1)


def test_an_unreadable_counter_is_not_kept_for_the_event(redis_url, monkeypatch):
    """Redis down for a moment: the read says -1 (nothing is kept) and the next read asks again."""
    here = CountingRedisFeed(redis_url)
    monkeypatch.setattr(live, "feed", lambda: here)
    down = [True]

    def versions(*keys: str) -> tuple[int, ...]:
        if down[0]:
            raise ConnectionError("redis is down")
        return CountingRedisFeed.versions(here, *keys)

    monkeypatch.setattr(here, "versions", versions)

    async def event() -> list[int]:
        live.read_once_per_event()
        seen = [live.versions("memo:e")[0]]
        down[0] = False
        seen.append(live.versions("memo:e")[0])
        return seen

    first, second = asyncio.run(event())
    assert first == -1 and second >= 0 and here.asked == ["memo:e"]
