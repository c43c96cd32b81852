"""Event triggers that run JavaScript, compiled into the page (the portal's Content-Security-Policy
has no `unsafe-eval`, so nothing may reach the browser as a string to `eval`).

`call_then(js, handler)`: run a function in the browser and hand what it resolves to to an event
handler (Reflex's own `rx.call_function(..., callback=handler)` ships the callback as such a string:
the handler would never run). `js_handler(js, name=handler)`: a trigger written in JavaScript that
queues events only when it decides to. `focus_when_shown(id)`: focus an element once an event's answer
has drawn it."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from reflex_base.vars.base import VarData
from reflex_base.vars.function import FunctionStringVar
from reflex_base.utils.format import format_queue_events


def call_then(js_call: str, handler: Any) -> EventSpec:
    """`js_call` is a JavaScript expression giving a value or a promise (`window.x.y()`); `handler`
    an event handler taking one argument, the (awaited) value."""
    report = format_queue_events(handler, args_spec=lambda result: [result])
    return rx.call_function(rx.Var(
        _js_expr=f"() => Promise.resolve({js_call}).then({report})",
        _var_data=report._get_all_var_data()))


def js_handler(js_function: str, **handlers: Any) -> rx.Var:
    """An event trigger written in JavaScript: `js_function` is an arrow function, in which each
    keyword's name queues that event handler with one argument (`close(text)`). It is given what the
    trigger gives its handlers (an input's `on_key_down`: the key, `"(key) => { if (key === 'Escape')
    close('') }"`), or the browser's event where a trigger gives none (`on_blur` of a box,
    `on_mouse_down`, a `custom_attrs` handler). For what Reflex cannot say itself: an event only for
    some keys, or only when the focus left a group."""
    queued = {name: format_queue_events(handler, args_spec=lambda value: [value]) for name, handler in handlers.items()}
    names = ", ".join(queued)
    body = f"(({names}) => {js_function})({', '.join(str(q) for q in queued.values())})" if queued else js_function
    data = [q._get_all_var_data() for q in queued.values()]
    return FunctionStringVar.create(body, _var_data=VarData.merge(*data) if data else None)


def focus_when_shown(element_id: str) -> EventSpec:
    """Focus the element once it is drawn: for what an event's answer puts in place of what had the
    focus (a focus asked for at once would find nothing yet). Tried each frame, for about 2 s."""
    return rx.call_function(rx.Var(_js_expr=(
        f"() => {{ const tryFocus = (n) => {{ const el = document.getElementById('{element_id}');"
        f" if (el) el.focus(); else if (n > 0) requestAnimationFrame(() => tryFocus(n - 1)); }}; tryFocus(120) }}")))
