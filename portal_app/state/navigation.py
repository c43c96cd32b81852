"""A self-guarded page's navigation in one server event instead of three (issue 10).

Reflex runs a navigation as `on_load_internal`, which queues the page's on_load handlers and after
them `set_is_hydrated(True)`: each its own event, each queued behind the other tabs' events, each
with its own state lock, delta and frame. A page registered with `page(..., self_guarded=True)` has
one handler that guards, loads and marks the page ready (`SessionState._enter`), and `_enter` also
sets `is_hydrated`, first thing, in every outcome (a redirect to the sign-in page too). So:

- `RunLoadInline`, a middleware, runs that handler within `on_load_internal` itself, under the lock
  the event already holds (as Reflex's own rehydration does), and ends the event there: one event
  and one reply for the navigation. Not for a state this tab has sent nothing to yet
  (`SessionState._tab_seen`, state/expired_tab.py): Reflex first sends such a tab a fresh snapshot,
  and that path is left as it is.
- Where `on_load_internal` still queues the handler (that case, and a tab's first page after its
  hydrate), Reflex's trailing `set_is_hydrated` is left out (`_load_events_for_page`).
Every other page keeps Reflex's chain as it is.

Reflex 0.10.1's `on_load_internal` looks `_load_events_for_page` up in `reflex.state` when it runs,
so that function is what is replaced (`install`, once, by the app module). State tests run
navigations through Reflex's event processor with the app's middleware, so a Reflex upgrade that
changes either fails there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reflex import state as reflex_state
from reflex.middleware import Middleware
from reflex.state import OnLoadInternalState, StateUpdate
from reflex_base.event import Event
from reflex_base.event.processor.base_state_processor import process_event
from reflex_base.registry import RegistrationContext
from reflex_base.utils.format import format_event_handler

_SELF_GUARDED: set[Callable[..., Any]] = set()
_reflex_load_events_for_page = reflex_state._load_events_for_page


def self_guarded(handler: Any) -> None:
    """Mark an on_load handler as one that sets `is_hydrated` itself (`page(..., self_guarded=True)`)."""
    _SELF_GUARDED.add(handler.fn)


def _self_guarded_load(state: Any) -> list[Event] | None:
    """The page's one on_load event, when the page is self-guarded; else None."""
    load_events = RegistrationContext.get().app.get_load_events(state.rx_router_url.path)
    if len(load_events) == 1 and getattr(load_events[0], "fn", None) in _SELF_GUARDED:
        return Event.from_event_type(load_events)
    return None


def _load_events_for_page(state: Any) -> list[Any] | None:
    if (load := _self_guarded_load(state)) is not None:
        state.is_hydrated = False
        return load
    return _reflex_load_events_for_page(state)


_ON_LOAD_INTERNAL = format_event_handler(OnLoadInternalState.on_load_internal)


class RunLoadInline(Middleware):
    """`on_load_internal` of a self-guarded page runs the page's handler itself (module docstring).
    Added before `ReloadExpiredTab`, which marks a state as seen."""

    async def preprocess(self, app: Any, state: Any, event: Event) -> StateUpdate | None:
        if event.name != _ON_LOAD_INTERNAL:
            return None
        from .session import SessionState  # here: the shell's components import this module

        if not (await state.get_state(SessionState))._tab_seen or (load := _self_guarded_load(state)) is None:
            return None
        registered = RegistrationContext.get().event_handlers[load[0].name]
        state.is_hydrated = False  # the handler sets it again (SessionState._enter)
        await process_event(handler=registered.handler, payload=load[0].payload,
                            state=await state.get_state(registered.states[0]), root_state=state)
        return StateUpdate()  # done: nothing of on_load_internal's own is left to run


def install() -> None:
    """Put the replacement where `on_load_internal` finds it (the app module, at import)."""
    reflex_state._load_events_for_page = _load_events_for_page
