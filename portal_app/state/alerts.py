"""A visible answer when an event fails on the server, instead of nothing.

Reflex hands an exception raised while processing an event (a bug, the database away, a tab state
too large to save) to `App.backend_exception_handler`. Its default answers with a toast sent as a
script, which our pages' Content-Security-Policy (no 'unsafe-eval') blocks, and in English.
`event_failed` logs the error and queues `EventFailureState.show` for the same tab instead: the
shell then shows a translated alert (`components/shell.py`, "app.event_failed").
"""

import logging
from collections import OrderedDict

import reflex as rx
from reflex_base.event.context import EventContext

from .session import SessionState

log = logging.getLogger("portal.events")

# Failed events answered with `show`, by transaction id, newest last. When `show` itself fails (the
# tab's state cannot be loaded or saved at all), its parent is in here and it gets no answer, or
# the two would loop. Transaction ids only, nothing of a user; a bounded window.
_ANSWERED: OrderedDict[str, None] = OrderedDict()
_ANSWERED_KEPT = 1000


class EventFailureState(SessionState):
    """Whether to show that the tab's last action failed on the server (rendering only)."""

    failed: bool = False

    @rx.event
    def show(self):
        self.failed = True

    @rx.event
    def dismiss(self):
        self.failed = False


def event_failed(exception: Exception) -> rx.event.EventSpec | None:
    """`rx.App(backend_exception_handler=...)`: log the failure, then show the tab a message."""
    log.error("an event failed on the server", exc_info=exception)
    try:
        context = EventContext.get()
    except LookupError:  # no event to answer
        return None
    if context.parent_txid is not None and context.parent_txid in _ANSWERED:
        return None
    _ANSWERED[context.txid] = None
    while len(_ANSWERED) > _ANSWERED_KEPT:
        _ANSWERED.popitem(last=False)
    return EventFailureState.show
