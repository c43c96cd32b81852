"""`live_tick(handler, ms)`: a page's live-update timer, sending `handler` every `ms` while shown.

It was `rx.moment(interval=..., on_change=..., display="none")`, which loads moment.js (68 KB) as a
lazy chunk only once the page's first data has arrived, so the rows of a cold-loaded list waited for
that download (issue 10, cold load). This is a dozen lines of React (`assets/live_tick.js`) bundled
with the page, and draws nothing.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import no_args_event_spec


class LiveTick(rx.Component):
    library = "$/public/live_tick.js"
    tag = "LiveTick"

    interval: rx.Var[int]
    on_tick: rx.EventHandler[no_args_event_spec]


def live_tick(handler, ms: int = 3000) -> rx.Component:  # noqa: ANN001 - an event handler
    return LiveTick.create(interval=ms, on_tick=handler)
