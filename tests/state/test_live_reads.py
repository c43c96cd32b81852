"""With Redis, a tab's event reads each change counter there once (state/live_reads.py,
services/live.py `read_once_per_event`): a navigation to the staff inbox and a ticket's page, run
through Reflex's own event processor with the app's middleware, against a real Redis."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
import reflex as rx
from reflex.state import OnLoadInternalState
from reflex_base.event import Event
from reflex_base.utils.format import format_event_handler
from statekit import Portal, event_processor, router_data

import portal_app.portal_app as served
from portal_app.services import live
from portal_app.state.live_reads import ReadCountersOncePerEvent


class RedisFeedByEvent(live._RedisFeed):
    """The real Redis feed, noting which counters each event (asyncio task) asked Redis for."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.asked: dict[asyncio.Task[Any] | None, Counter[str]] = {}  # (kept: no id is reused)

    def versions(self, *keys: str) -> tuple[int, ...]:
        self.asked.setdefault(asyncio.current_task(), Counter()).update(keys)
        return super().versions(*keys)


def navigations(token: str, *paths: str) -> None:
    """A tab opened at the first path, then navigated to each (Reflex's `on_load_internal`)."""
    async def run() -> None:
        _manager, processor = event_processor(served.app.backend_exception_handler, middleware=served.app)
        async with processor:
            await (await processor.enqueue("tab", Event(name=format_event_handler(rx.State.hydrate_and_load),
                                                        payload={}, router_data=router_data(paths[0], token))))
            for path in paths:
                await (await processor.enqueue("tab", Event(
                    name=format_event_handler(OnLoadInternalState.on_load_internal), payload={},
                    router_data=router_data(path, token))))
                await asyncio.sleep(0.2)  # a queued chain runs on after the first event's future

    asyncio.run(run())


def test_the_counters_are_read_once_per_event_before_any_other_middleware():
    assert isinstance(served.app._middlewares[0], ReadCountersOncePerEvent)


def test_with_redis_an_event_asks_for_each_counter_once(portal: Portal, redis_url: str, monkeypatch: pytest.MonkeyPatch):
    feed = RedisFeedByEvent(redis_url)
    monkeypatch.setattr(live, "feed", lambda: feed)
    number = portal.tickets().open
    navigations(portal.token("staff"), "/admin/tickets", f"/admin/tickets/{number}", "/admin/tickets?status=New")
    events = list(feed.asked.values())
    assert len(events) >= 3
    # the acting user's, the settings' and the lists' caches each read the identity counter: once
    assert all(asked["identity"] == 1 for asked in events), events
    assert all(max(asked.values()) == 1 for asked in events), events
