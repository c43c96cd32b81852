"""`unsent_comment(armed, ticket, note, label)`: a comment being typed when the ticket was closed
elsewhere is kept on the page, read-only, and the ticket's "New ticket" form starts with it
(`assets/unsent_comment.js`). The comment box goes with the close (a closed ticket takes no
comments); without this its text went too."""

from __future__ import annotations

import reflex as rx


class UnsentComment(rx.Component):
    library = "$/public/unsent_comment.js"
    tag = "UnsentComment"

    armed: rx.Var[bool]
    ticket: rx.Var[int]
    note: rx.Var[str]
    label: rx.Var[str]


def unsent_comment(armed: rx.Var[bool], ticket: rx.Var[int], note: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    return UnsentComment.create(armed=armed, ticket=ticket, note=note, label=label)
