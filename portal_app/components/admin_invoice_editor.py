"""Staff's draft invoice editor: the company, currency, due date, notes and the lines, every error
next to its field; "Save draft", "Delete draft" and the "Issue invoice" form (both asked first)."""

from __future__ import annotations

import reflex as rx

from ..services.invoices.invoice_rules import CURRENCIES
from ..state.admin_invoices import AdminInvoiceEditorState as E
from .company_search import company_search
from .confirm import confirm_button
from .forms import field_attrs, field_error, form_alert, notice, submission_field, submit_button, warn_unsaved
from .i18n import t
from .limits import max_length
from .shell import NARROW

LABEL = {"fontWeight": 500, "fontSize": "14px"}
SMALL_LABEL = {"fontWeight": 500, "fontSize": "12px", "color": "var(--gray-11)"}
# a line's fields: description wide; code, quantity, unit, price and VAT narrower; on phones two a row
LINE_GRID = {"display": "grid", "gap": "8px 10px", "width": "100%", "alignItems": "start",
             "gridTemplateColumns": "minmax(0, 3fr) minmax(0, 1.3fr) minmax(0, 1fr) minmax(0, 0.9fr) "
                                    "minmax(0, 1.3fr) minmax(0, 0.9fr) auto",
             NARROW: {"gridTemplateColumns": "minmax(0, 1fr) minmax(0, 1fr)"}}
# (field, label key, input type hint)
LINE_INPUTS = (("description", "invoice.pdf.description", "text"), ("product_code", "admin.invoices.product_code", "text"),
               ("quantity", "invoice.pdf.quantity", "decimal"), ("unit", "admin.invoices.unit", "text"),
               ("unit_price", "admin.invoices.unit_price", "decimal"), ("vat_rate", "invoice.pdf.vat_rate", "decimal"))


def _field(label_key: str, name: str, control: rx.Component, hint_key: str = "") -> rx.Component:
    """A labelled field with its error (and a hint under it: `{name}-hint`, which the control names
    in its aria-describedby)."""
    return rx.box(
        rx.el.label(t(label_key), html_for=f"inv-{name}", style=LABEL),
        control,
        rx.text(t(hint_key), size="1", color="var(--gray-11)", id=f"{name}-hint") if hint_key else rx.fragment(),
        field_error(E.errors, name),
        display="flex", flex_direction="column", gap="4px", min_width="0", width="100%",
    )


def _line_error(name: rx.Var) -> rx.Component:
    return rx.cond(E.errors.contains(name),
                   rx.text(E.errors[name].to(str), color="var(--red-11)", size="1", id=name + "-error", role="alert"))


def _line_input(line: rx.Var, field: str, label_key: str, kind: str) -> rx.Component:
    name = "line_" + line["key"].to_string() + f"_{field}"
    return rx.box(
        rx.el.label(t(label_key), html_for=name, style=SMALL_LABEL),
        rx.input(id=name, name=name, default_value=line[field].to(str), width="100%", size="2",
                 max_length=max_length("invoice", field), aria_describedby=name + "-error",
                 input_mode="decimal" if kind == "decimal" else None,
                 aria_invalid=rx.cond(E.errors.contains(name), "true", "false")),
        _line_error(name),
        display="flex", flex_direction="column", gap="2px", min_width="0",
        style={NARROW: {"gridColumn": "1 / -1"}} if field == "description" else {},
    )


def _line(line: rx.Var) -> rx.Component:
    """One line as a group ("Line 2") of labelled fields; a removed line is gone from the form
    (the other lines' inputs stay where they are, with what was typed in them)."""
    title = t("admin.invoices.line_n").replace("{n}", line["n"].to_string())
    return rx.cond(
        line["removed"].to(bool),
        rx.fragment(),
        rx.el.fieldset(
            rx.el.legend(title, style={"fontWeight": 600, "fontSize": "13px", "padding": "0 4px"}),
            rx.el.div(
                *[_line_input(line, field, key, kind) for field, key, kind in LINE_INPUTS],
                rx.button(t("admin.invoices.remove_line"), type="button", variant="ghost", color_scheme="red",
                          size="1", on_click=E.remove_line(line["key"].to(int)),
                          style={"alignSelf": "end", "marginBottom": "6px", "whiteSpace": "nowrap"}),
                style=LINE_GRID,
            ),
            style={"border": "1px solid var(--gray-6)", "borderRadius": "8px", "padding": "8px 12px 10px",
                   "margin": 0, "minWidth": 0, "width": "100%"},
        ),
    )


def _header_fields() -> rx.Component:
    return rx.grid(
        _field("admin.invoices.currency", "currency", rx.el.select(
            *[rx.el.option(c, value=c) for c in CURRENCIES], id="inv-currency", name="currency",
            default_value=E.currency, **field_attrs(E.errors, "currency"),
            style={"padding": "6px", "borderRadius": "6px", "border": "1px solid var(--gray-7)"})),
        _field("admin.invoices.due_date", "due_date", rx.input(
            id="inv-due_date", name="due_date", type="date", default_value=E.due_date,
            max_length=max_length("invoice", "due_date"), **field_attrs(E.errors, "due_date", error_id="due_date-error due_date-hint")),
            hint_key="admin.invoices.due_date_hint"),
        columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%", max_width="560px",
    )


def _company() -> rx.Component:
    return rx.cond(
        E.is_new,
        rx.box(
            company_search(E, input_id="draft-company", errors=E.errors, label=t("admin.invoices.col.company"),
                           clear_label=t("admin.invoices.change_company")),
            field_error(E.errors, "company"),
        ),
        rx.hstack(rx.text(t("admin.invoices.col.company"), ":", size="2", weight="medium"),
                  rx.text(E.company_label, size="2", style={"overflowWrap": "anywhere"}), spacing="2", wrap="wrap"),
    )


DRAFT_FORM = "draft-form"


def _draft_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.cond(E.is_new, submission_field(E.submission_id)),
            _header_fields(),
            rx.heading(t("invoices.lines"), size="3", as_="h2"),
            rx.text(t("admin.invoices.lines_hint"), size="2", color="var(--gray-11)"),
            rx.foreach(E.lines, _line),
            field_error(E.errors, "lines"),
            rx.button(rx.icon("plus", size=14), t("admin.invoices.add_line"), type="button", variant="soft", size="2",
                      on_click=E.add_line),
            _field("invoice.pdf.notes", "notes", rx.text_area(
                id="inv-notes", name="notes", default_value=E.notes, rows="3", width="100%",
                max_length=max_length("invoice", "notes"), **field_attrs(E.errors, "notes"))),
            submit_button(t("admin.invoices.save_draft"), E.busy, on_click=E.submitting(False)),
            spacing="3", width="100%",
        ),
        on_submit=E.save,
        key=E.form_key,
        id=DRAFT_FORM,
        no_validate=True,  # the server's messages at the fields, not the browser's bubble
        custom_attrs=warn_unsaved(),
        width="100%",
    )


def _issue_form() -> rx.Component:
    """The issue dates and "Issue invoice": its Confirm sends the editor's form (the dates belong to
    it), which is saved and then issued: what the screen shows is what gets the number."""
    def dated(label_key: str, name: str) -> rx.Component:
        return _field(label_key, name, rx.input(id=f"inv-{name}", name=name, type="date",
                                                max_length=max_length("invoice", name),
                                                **field_attrs(E.errors, name, error_id=f"{name}-error {name}-hint"),
                                                custom_attrs={"form": DRAFT_FORM}),
                      hint_key=f"{label_key}_hint")

    return rx.vstack(
        rx.heading(t("admin.invoices.issue"), size="4", as_="h2"),
        rx.text(t("admin.invoices.issue_intro"), size="2", color="var(--gray-11)"),
        rx.grid(dated("admin.invoices.issue_date", "issue_date"),
                dated("admin.invoices.issue_due_date", "issue_due_date"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%", max_width="560px"),
        # irreversible (it takes a number): asked first, then the editor's form is sent with its dates
        confirm_button(t("admin.invoices.issue"), title=t("admin.invoices.confirm_issue_title"),
                       description=t("admin.invoices.confirm_issue_text"), submits=DRAFT_FORM,
                       on_confirm=E.submitting(True), color_scheme="green", disabled=E.busy),
        spacing="3", width="100%",
    )


def draft_editor() -> rx.Component:
    """The editor of state `AdminInvoiceEditorState` (a new draft, or a saved one with Delete and Issue)."""
    return rx.vstack(
        rx.heading(rx.cond(E.is_new, t("admin.invoices.new"), t("invoices.draft_title")), size="5", as_="h1"),
        notice(E.notice),
        form_alert(E.errors),
        _company(),
        _draft_form(),
        rx.cond(~E.is_new, rx.vstack(
            rx.cond(E.amounts != "", rx.text(t("admin.invoices.saved_totals"), ": ", E.amounts, size="2",
                                             id="draft-totals")),
            confirm_button(t("admin.invoices.delete_draft"), title=t("admin.invoices.confirm_delete_title"),
                           description=t("admin.invoices.confirm_delete_text"), on_confirm=E.delete_draft,
                           variant="soft", disabled=E.busy),
            rx.divider(),
            _issue_form(),
            spacing="3", width="100%",
        )),
        spacing="4", width="100%",
    )
