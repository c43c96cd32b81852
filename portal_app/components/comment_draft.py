"""`comment_draft(ticket, form_key, open_, owner)`: the comment being typed on a ticket survives a reload
or a visit elsewhere in the tab (`assets/comment_draft.js`, this tab's sessionStorage, under its
`owner`: `SessionState.draft_owner`, so another person signing in on the tab never gets it); it is
forgotten once sent. Draws nothing."""

from __future__ import annotations

import reflex as rx


class CommentDraft(rx.Component):
    library = "$/public/comment_draft.js"
    tag = "CommentDraft"

    ticket: rx.Var[int]
    form_key: rx.Var[int]
    open: rx.Var[bool]
    owner: rx.Var[str]


def comment_draft(ticket: rx.Var[int], form_key: rx.Var[int], open_: rx.Var[bool], owner: rx.Var[str]) -> rx.Component:
    return CommentDraft.create(ticket=ticket, form_key=form_key, open=open_, owner=owner)
