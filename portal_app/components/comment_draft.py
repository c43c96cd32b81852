"""`comment_draft(ticket, form_key, open_)`: the comment being typed on a ticket survives a reload or
a visit elsewhere in the tab (`assets/comment_draft.js`, this tab's sessionStorage); it is forgotten
once sent. Draws nothing."""

from __future__ import annotations

import reflex as rx


class CommentDraft(rx.Component):
    library = "$/public/comment_draft.js"
    tag = "CommentDraft"

    ticket: rx.Var[int]
    form_key: rx.Var[int]
    open: rx.Var[bool]


def comment_draft(ticket: rx.Var[int], form_key: rx.Var[int], open_: rx.Var[bool]) -> rx.Component:
    return CommentDraft.create(ticket=ticket, form_key=form_key, open=open_)
