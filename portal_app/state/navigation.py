"""A self-guarded page's navigation in two server events instead of three (issue 10).

Reflex runs a navigation as `on_load_internal`, which queues the page's on_load handlers and after
them `set_is_hydrated(True)`: each its own event, each queued behind the other tabs' events, each
with its own state lock, delta and frame. A page registered with `page(..., self_guarded=True)` has
one handler that guards, loads and marks the page ready (`SessionState._enter`), and `_enter` also
sets `is_hydrated`, first thing, in every outcome (a redirect to the sign-in page too). For those
pages the trailing event is left out; every other page keeps Reflex's chain as it is.

Reflex 0.10.1's `on_load_internal` looks `_load_events_for_page` up in `reflex.state` when it runs,
so that function is what is replaced (`install`, once, by the app module). A state test checks
that the replacement still takes effect, so a Reflex upgrade that moves it fails there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reflex import state as reflex_state
from reflex_base.event import Event
from reflex_base.registry import RegistrationContext

_SELF_GUARDED: set[Callable[..., Any]] = set()
_reflex_load_events_for_page = reflex_state._load_events_for_page


def self_guarded(handler: Any) -> None:
    """Mark an on_load handler as one that sets `is_hydrated` itself (`page(..., self_guarded=True)`)."""
    _SELF_GUARDED.add(handler.fn)


def _load_events_for_page(state: Any) -> list[Any] | None:
    load_events = RegistrationContext.get().app.get_load_events(state.rx_router_url.path)
    if len(load_events) == 1 and getattr(load_events[0], "fn", None) in _SELF_GUARDED:
        state.is_hydrated = False
        return Event.from_event_type(load_events)
    return _reflex_load_events_for_page(state)


def install() -> None:
    """Put the replacement where `on_load_internal` finds it (the app module, at import)."""
    reflex_state._load_events_for_page = _load_events_for_page
