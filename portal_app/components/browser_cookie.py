"""`browser_cookie(name, value)`: a cookie the browser keeps for the server's next visit.

The language a visitor chooses is such a cookie (`portal_lang`). It was Reflex's `rx.Cookie`, and
Reflex sends every tracked cookie set in the browser back with each page navigation as an event of
its own (`update_vars_internal`) before the page's on_load: one event in three of a busy list's
traffic, for a value that changes only when someone picks a language (issue 10). The server now
reads the cookie from the socket's handshake (`SessionState._browser_language`) and sets it through
this (`assets/browser_cookie.js`) when the choice changes.
"""

from __future__ import annotations

import reflex as rx


class BrowserCookie(rx.Component):
    library = "$/public/browser_cookie.js"
    tag = "BrowserCookie"

    name: rx.Var[str]
    value: rx.Var[str]
    max_age: rx.Var[int]
    gone: rx.Var[bool]  # true: the cookie is removed (and not set again while it stays true)


def browser_cookie(name: str, value: rx.Var[str], *, max_age: int = 365 * 24 * 3600,
                   gone: rx.Var[bool] | bool = False) -> rx.Component:
    return BrowserCookie.create(name=name, value=value, max_age=max_age, gone=gone)
