"""The page of a staff form for one row (`state/staff_editor.py`): the panel's top, the way back to
the list, the row's title, the form, and for a saved row its public page's link and "Delete", asked
first; "not found" in place of the form when there is no such row."""

from __future__ import annotations

import reflex as rx

from .admin_nav import admin_nav, panel_title
from .confirm import confirm_button
from .forms import form_alert, notice
from .i18n import t
from .shell import card

WRAP = {"overflowWrap": "anywhere"}


def staff_editor_page(state: type, *, keys: str, list_href: str, row_id: rx.Var, view_href: str = "",
                      form: tuple[rx.Component, ...], saved_extra: tuple[rx.Component, ...] = ()) -> rx.Component:
    """`keys`: the feature's message prefix ("kb"), with its .back, .new, .delete, .delete_title,
    .delete_text and .not_found; `view_href`: the reader's page's address without the id ("/kb/"), linked
    by `<keys>.view` once published ('': none, the page being no staff's to read)."""
    return card(
        panel_title(),
        admin_nav(list_href),
        rx.link(t(f"{keys}.back"), href=list_href),
        rx.cond(
            state.found,
            rx.vstack(
                rx.heading(rx.cond(row_id == 0, t(f"{keys}.new"), state.values["title"].to(str)), size="4",
                           as_="h1", style=WRAP),
                notice(state.notice, state.busy),
                form_alert(state.errors),
                *form,
                rx.cond(row_id != 0, rx.vstack(
                    rx.hstack(
                        rx.cond(state.published, rx.link(t(f"{keys}.view"), href=view_href + row_id.to_string()))
                        if view_href else rx.fragment(),
                        rx.spacer(),
                        confirm_button(t(f"{keys}.delete"), title=t(f"{keys}.delete_title"),
                                       description=t(f"{keys}.delete_text"), on_confirm=state.delete,
                                       confirm_label=t(f"{keys}.delete"), variant="soft"),
                        width="100%", align="center", wrap="wrap",
                    ),
                    *saved_extra,
                    spacing="4", width="100%",
                )),
                spacing="3", width="100%", style={"minWidth": 0},
            ),
            rx.text(t(f"{keys}.not_found"), role="status"),
        ),
    )


def published_badge(published: rx.Var, keys: str) -> rx.Component:
    """A staff list's "Published" or "Draft" (`<keys>.status.published`, `<keys>.status.draft`)."""
    return rx.cond(published, rx.badge(t(f"{keys}.status.published"), color_scheme="green", variant="soft"),
                   rx.badge(t(f"{keys}.status.draft"), color_scheme="gray", variant="soft"))
