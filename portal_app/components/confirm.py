"""Ask first: a button whose action runs only after "Confirm" in a dialog (role `alertdialog`).

For destructive or irreversible actions (closing a ticket, deactivating a contact, removing portal
access). The dialog opens and closes in the browser (Radix alert dialog, no server round trip);
Cancel, Escape or a click outside change nothing; the handler is sent only by Confirm. When the
action itself is a cancelling ("Cancel order?"), name both buttons by what they do (`confirm_label`
"Cancel order", `dismiss_label` "Keep order"): a "Cancel" that keeps the order is a likely mis-tap.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from .i18n import t


def dialog_title_attrs() -> dict[str, str]:
    """`custom_attrs` of a dialog's title: a heading under the page's own h1, not a second h1 (Radix
    Themes' default). A new dict for each title: Reflex adds to the dict it is given."""
    return {"as": "h2"}


def confirm_button(label: rx.Var | str, *, title: rx.Var | str, description: rx.Var | str, on_confirm: Any = None,
                   submits: str = "", color_scheme: str = "red", confirm_label: rx.Var | str | None = None,
                   dismiss_label: rx.Var | str | None = None, on_open: Any = None,
                   **button_props: Any) -> rx.Component:
    """A button labelled `label` that asks `title` / `description` and runs `on_confirm` on Confirm;
    or, with `submits` (a form's id), Confirm sends that form with its fields (a native submit
    button of it: no script, which the pages' Content-Security-Policy would block), after
    `on_confirm` when given too (its click is handled first, e.g. to say which of a form's actions
    it is). The dialog's buttons say `confirm_label` and `dismiss_label`, by default the button's own
    label (what happens: "Void invoice", "Deactivate"), and "Cancel". `on_open` gets True when the
    dialog opens (False when it closes), to note what the page showed then (not the button's
    `on_click`: Radix's trigger would then wrap the button in a div that claims to be one)."""
    action: dict[str, Any] = {"on_click": on_confirm} if on_confirm is not None else {}
    if submits:
        action |= {"type": "submit", "custom_attrs": {"form": submits}}
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(label, type="button", color_scheme=color_scheme, **button_props)),
        rx.alert_dialog.content(
            # a long name never widens it
            rx.alert_dialog.title(title, style={"overflowWrap": "anywhere"}, custom_attrs=dialog_title_attrs()),
            rx.alert_dialog.description(description, style={"overflowWrap": "anywhere"}),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("common.cancel") if dismiss_label is None else dismiss_label,
                                                 variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button(label if confirm_label is None else confirm_label,
                                                 color_scheme=color_scheme, high_contrast=True, **action)),
                spacing="3", justify="end", wrap="wrap", margin_top="16px",
            ),
            max_width="440px",
            # closing (Radix keeps it for its fade-out), the dialog takes no second click of a double
            # click: its Confirm would send the action again (the overlay still catches the click)
            style={"&[data-state='closed']": {"pointerEvents": "none"}},
        ),
        **({"on_open_change": on_open} if on_open is not None else {}),
    )
