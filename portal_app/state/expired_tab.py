"""A tab whose state expired reloads its page before its next event runs.

Reflex forgets a tab's state once it has been idle for `PORTAL_TAB_STATE_MINUTES`. A tab that is
still open (its socket connected, its user at lunch) then sends its next event to a fresh, empty
state: Reflex re-sends a snapshot, but queues the page's on_load handlers behind the event itself,
so the event would run on a page that loaded nothing (a comment typed before lunch would be
dropped, a filter would forget the list). This middleware runs the page's on_load handlers first,
on the fresh state, in order; then the event runs as it would have before the expiry.

A fresh state is one this middleware has not seen an event for (`SessionState._tab_seen`). A new
tab's first event is Reflex's hydrate, which loads the page itself; an expired tab's first event is
whatever its user did next. Reflex's own events (hydrate, navigation) and the page's on_load
handlers pass through untouched: they are how a page loads in the first place."""

from __future__ import annotations

from typing import Any

from reflex.middleware import Middleware
from reflex_base.event import Event
from reflex_base.event.processor.base_state_processor import process_event
from reflex_base.registry import RegistrationContext

from .session import SessionState


class ReloadExpiredTab(Middleware):
    async def preprocess(self, app: Any, state: Any, event: Event) -> None:
        session = await state.get_state(SessionState)
        if session._tab_seen:
            return None  # the usual case: this tab's state has seen events before
        session._tab_seen = True
        registered = RegistrationContext.get().event_handlers.get(event.name)
        if registered is None or not issubclass(registered.states[0], SessionState):
            return None  # Reflex's own events: hydrate, navigation, client storage
        path = state.router.url.path
        loads = Event.from_event_type(app.get_load_events(path))
        if not path or any(load.name == event.name for load in loads):
            return None  # the page is loading now: this is one of its own on_load handlers
        for load in loads:
            handler = RegistrationContext.get().event_handlers.get(load.name)
            if handler is None or not issubclass(handler.states[0], SessionState):
                continue
            await process_event(handler=handler.handler, payload=load.payload,
                                state=await state.get_state(handler.states[0]), root_state=state)
        return None
