"""One read of each change counter per event (with Redis; services/live.py `read_once_per_event`).

A middleware, so that it is in place before any handler or other middleware of the event reads a
counter: added first. Reflex runs each event in an asyncio task of its own, so what is read stays
with that event.
"""

from __future__ import annotations

from typing import Any

from reflex.middleware import Middleware
from reflex_base.event import Event

from ..services import live


class ReadCountersOncePerEvent(Middleware):
    async def preprocess(self, app: Any, state: Any, event: Event) -> None:
        live.read_once_per_event()
