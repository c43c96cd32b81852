"""Labelled inputs with their error message next to them."""

from __future__ import annotations

import itertools

import reflex as rx
from reflex_components_core.el.elements.base import BaseHTML

from .i18n import t
from .limits import max_length


class NativeForm(BaseHTML):
    """A form the browser itself posts to an HTTP route (Reflex's own form always cancels the
    browser's submit to send an event instead). Sign-in and sign-out use it: only an HTTP
    response can set or clear the HttpOnly session cookie."""

    tag = "form"
    action: rx.Var[str]
    method: rx.Var[str]
    no_validate: rx.Var[bool]  # the server's messages, next to the fields, instead of the browser's bubbles


native_form = NativeForm.create

# a native select as tall as the inputs beside it (Radix's size 2)
SELECT = {"height": "var(--space-6)", "padding": "0 8px", "fontSize": "var(--font-size-2)", "borderRadius": "4px",
          "border": "1px solid var(--gray-7)", "width": "100%", "background": "var(--color-background)",
          "color": "var(--gray-12)"}

def pick_to_apply() -> dict[str, str]:
    """`custom_attrs` of a select that acts as soon as its value changes (saves, or loads the list
    again): the arrow keys open its list instead of acting on each value passed on the way
    (assets/pick_to_apply.js, WCAG 3.2.2). A new dict for each select: Reflex adds the component's
    other attributes (aria-label, ...) to the dict it is given."""
    return {"data-pick-to-apply": ""}

# a label read by screen readers and found by its text, not shown (the field's placeholder says it)
VISUALLY_HIDDEN = {"position": "absolute", "width": "1px", "height": "1px", "overflow": "hidden",
                   "clip": "rect(0 0 0 0)", "whiteSpace": "nowrap"}


def field_error(errors: rx.Var, name: str | rx.Var, *, error_id: str | rx.Var | None = None) -> rx.Component:
    """The message about field `name`, with the id its field names in `aria-describedby` (by
    default `<name>-error`; `field_attrs` gives a field both)."""
    return rx.cond(
        errors.contains(name),
        rx.text(errors[name].to(str), color="var(--red-11)", size="2",
                id=f"{name}-error" if error_id is None else error_id, role="alert"),
    )


def field_attrs(errors: rx.Var, name: str | rx.Var, *, error_id: str | rx.Var | None = None) -> dict:
    """A field's ties to its message (`field_error`): a screen reader reads the message with the
    field, and hears the field marked invalid (assets/focus_refused.js moves focus there)."""
    return {"aria_describedby": f"{name}-error" if error_id is None else error_id,
            "aria_invalid": rx.cond(errors.contains(name), "true", "false")}


def text_field(label_key: str, name: str, errors: rx.Var, *, form: str, type: str = "text",
               default_value: rx.Var | str = "", read_only: rx.Var | bool = False,
               autocomplete: str | None = None, id_prefix: str = "f") -> rx.Component:
    """A label bound to its input; read-only fields render as disabled inputs (not submitted).

    `form` names the service's form in `limits.MAX_LENGTH`, which gives the input its maxlength."""
    input_id = f"{id_prefix}-{name}"
    return rx.box(
        rx.el.label(t(label_key), html_for=input_id, style={"fontWeight": 500, "fontSize": "14px"}),
        rx.input(
            id=input_id, name=name, type=type, default_value=default_value, disabled=read_only,
            auto_complete=autocomplete, width="100%", max_length=max_length(form, name),
            **field_attrs(errors, name),
        ),
        field_error(errors, name),
        width="100%",
        display="flex",
        flex_direction="column",
        gap="4px",
    )


def submit_button(label: rx.Var | str, busy: rx.Var, **props) -> rx.Component:  # noqa: ANN003
    """A form's submit button, disabled with a spinner while `busy` (the state's flag, set first
    by `state.base.while_busy`), so a double click sends the form once. Its name stays the label."""
    return rx.button(
        rx.cond(busy, rx.spinner(size="1", aria_hidden="true")),
        label,
        type="submit", disabled=busy, aria_busy=rx.cond(busy, "true", "false"), **props,
    )


def submission_field(submission_id: rx.Var) -> rx.Component:
    """The form's submission id (made when the form is shown): the service creates nothing twice
    for one id, however often the form is sent."""
    return rx.el.input(type="hidden", name="submission_id", value=submission_id)


def warn_unsaved() -> dict[str, rx.Var]:
    """`custom_attrs` of a form that edits a record: leaving it with changes not saved (a link within
    the app, a reload, the tab closed) asks first (`assets/unsaved_changes.js`)."""
    return {"data-unsaved-warning": t("common.unsaved_warning")}


def form_alert(errors: rx.Var) -> rx.Component:
    return rx.cond(
        errors.contains("form"),
        rx.callout(errors["form"].to(str), icon="triangle_alert", color_scheme="red", role="alert"),
    )


_notice_ids = itertools.count(1)
REVEAL_AFTER_SUBMIT_MS = 15_000  # a save slower than this still shows its message, without the scroll


def notice(message: rx.Var, busy: rx.Var | None = None) -> rx.Component:
    """A success message ("Saved."), scrolled into view when it appears after a form was sent
    (`assets/form_sent.js`): at the top of a long form it would otherwise be above the screen of
    someone who pressed the button at its bottom. With the form's `busy` flag it is hidden while
    the form is sent, so each save shows it anew."""
    box_id = f"notice-{next(_notice_ids)}"
    shown = (message != "") if busy is None else (message != "") & ~busy
    reveal = rx.call_function(rx.Var(
        f"() => Date.now() - (window.__portalFormSentAt || 0) < {REVEAL_AFTER_SUBMIT_MS}"
        f" && document.getElementById('{box_id}')?.scrollIntoView({{block: 'nearest'}})"))
    return rx.cond(shown, rx.callout(message, icon="check", color_scheme="green", role="status", id=box_id,
                                     on_mount=reveal))
