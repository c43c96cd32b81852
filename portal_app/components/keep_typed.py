"""`keep_typed(input_id, storage_key, next_id)`: a native form's field that survives its failed post.

The sign-in form posts to `/api/session`, which answers a failure with a redirect back to
`/login?error=...`: a new page, so the email typed was gone and had to be typed again after every
wrong password. The address is not put in the URL (history, logs); `assets/keep_typed.js` keeps it in
the tab's sessionStorage while the form is sent and puts it back once when the page returns with an
error, moving the focus to the password.
"""

from __future__ import annotations

import reflex as rx


class KeepTyped(rx.Component):
    library = "$/public/keep_typed.js"
    tag = "KeepTyped"

    input_id: rx.Var[str]
    storage_key: rx.Var[str]
    next_id: rx.Var[str]


def keep_typed(input_id: str, storage_key: str, next_id: str = "") -> rx.Component:
    return KeepTyped.create(input_id=input_id, storage_key=storage_key, next_id=next_id)
