"""`call_then(js, handler)`: run a function in the browser and hand what it resolves to to an event
handler. Reflex's own `rx.call_function(..., callback=handler)` ships the callback as a string that
the browser `eval`s, which the portal's Content-Security-Policy (no `unsafe-eval`) refuses: the
handler would never run. Here the callback is compiled into the page like any event trigger."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from reflex_base.utils.format import format_queue_events


def call_then(js_call: str, handler: Any) -> EventSpec:
    """`js_call` is a JavaScript expression giving a value or a promise (`window.x.y()`); `handler`
    an event handler taking one argument, the (awaited) value."""
    report = format_queue_events(handler, args_spec=lambda result: [result])
    return rx.call_function(rx.Var(
        _js_expr=f"() => Promise.resolve({js_call}).then({report})",
        _var_data=report._get_all_var_data()))
