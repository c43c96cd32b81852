"""A form of profile-controlled fields: editable inputs, read-only ones disabled, hidden ones absent."""

from __future__ import annotations

import reflex as rx

from .forms import field_attrs, field_error, form_alert, notice, submit_button, warn_unsaved
from .i18n import t
from .limits import max_length_var


def field_input(row: rx.Var, errors: rx.Var, prefix: str, form: str) -> rx.Component:
    name = row["name"].to(str)
    input_id, error_id = f"{prefix}-" + name, f"{prefix}-" + name + "-error"
    return rx.box(
        rx.el.label(row["label"].to(str), html_for=input_id, style={"fontWeight": 500, "fontSize": "14px"}),
        rx.input(id=input_id, name=row["name"].to(str), default_value=row["value"].to(str),
                 disabled=~row["editable"].to(bool), read_only=~row["editable"].to(bool),
                 width="100%", max_length=max_length_var(form, row["name"]),
                 **field_attrs(errors, name, error_id=error_id)),
        # a read-only value longer than its box (which cannot be scrolled) is there in full as well
        rx.cond(~row["editable"].to(bool) & (row["value"].to(str).length() > 30),
                rx.text(row["value"].to(str), size="1", color="var(--gray-11)", style={"overflowWrap": "anywhere"})),
        field_error(errors, name, error_id=error_id),
        display="flex", flex_direction="column", gap="4px", width="100%",
    )


def field_form(state: type, prefix: str, form: str) -> rx.Component:
    """`state` is a FieldFormState subclass with fields, errors, notice, form_key and save; `form`
    is "company" or "contact" (the fields' limits)."""
    return rx.vstack(
        notice(state.notice),
        form_alert(state.errors),
        # a profile that hides every field: said, not an empty box
        rx.cond(state.fields.length() == 0, rx.text(t("fields.none_shown"), size="2", color="var(--gray-11)")),
        rx.form(
            rx.grid(
                rx.foreach(state.fields, lambda row: field_input(row, state.errors, prefix, form)),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="4",
                width="100%",
            ),
            rx.cond(state.can_edit, submit_button(t("common.save"), state.busy, margin_top="16px")),
            on_submit=state.save,
            key=state.form_key,
            custom_attrs=warn_unsaved(),
            width="100%",
        ),
        width="100%",
    )
