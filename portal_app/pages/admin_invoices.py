"""Admin panel, invoices: the list with drafts, the draft editor, and an issued invoice with what
staff does to it (bank payment, void, credit, review)."""

import reflex as rx

from ..components.admin_invoice_editor import draft_editor
from ..components.admin_nav import admin_nav, admin_top, panel_title
from ..components.company_search import company_search
from ..components.confirm import confirm_button
from ..components.download import download_link
from ..components.forms import field_attrs, field_error, form_alert, notice, submission_field, submit_button
from ..components.i18n import t
from ..components.invoice_view import RIGHT, WRAP, invoice_document, invoice_sums, status_badge
from ..components.limits import max_length
from ..components.shell import card, page
from ..components.url_list import filter_bar, list_table
from ..services.invoices.invoice_rules import STAFF_STATUSES
from ..state.admin_invoices import AdminInvoiceEditorState as E
from ..state.admin_invoices import AdminInvoiceListState as L
from ..state.admin_invoices import AdminInvoiceState as A
from ..components.link_button import link_button
from ..components.live_tick import live_tick

LABEL = {"fontSize": "14px", "fontWeight": 500}
REVIEW_BADGE = {"color_scheme": "orange", "variant": "surface"}


# --- /admin/invoices ------------------------------------------------------------------------------

def _actions() -> rx.Component:
    return rx.hstack(
        rx.cond(L.payments_on, rx.button(
            rx.cond(L.busy, rx.spinner(size="1", aria_hidden="true"), rx.icon("refresh_cw", size=14)),
            t("admin.invoices.reconcile"), variant="soft", on_click=L.reconcile, disabled=L.busy)),
        download_link(t("admin.invoices.download_csv"), L.csv_href, weight="medium"),
        link_button(rx.icon("plus", size=14), t("admin.invoices.new"), href="/admin/invoices/new"),
        spacing="4", align="center", wrap="wrap",
    )


def _filters() -> rx.Component:
    return filter_bar(L, statuses=STAFF_STATUSES, status_key="invoice.status", search_key="invoices.search",
                      extra=company_search(L, input_id="filter-company", label=t("admin.invoices.col.company"),
                                           clear_label=t("tickets.company_any")))


def _row(row: rx.Var) -> rx.Component:
    company = row["company"].to(str)
    return rx.table.row(
        rx.table.cell(rx.link(row["number"].to(str), href=row["href"].to(str), weight="medium"),
                      data_label=t("invoices.col.number")),
        rx.table.cell(rx.text(company, as_="span", title=company,
                              style={"display": "block", "maxWidth": "24ch", "overflowWrap": "break-word"}),
                      data_label=t("admin.invoices.col.company")),
        rx.table.cell(row["issue_date"].to(str), data_label=t("invoices.col.issue_date")),
        rx.table.cell(row["due_date"].to(str), data_label=t("invoices.col.due_date")),
        rx.table.cell(row["total"].to(str), style=RIGHT, data_label=t("invoices.col.total")),
        rx.table.cell(row["balance"].to(str), style=RIGHT, data_label=t("invoices.col.balance")),
        rx.table.cell(
            rx.flex(status_badge(row["status"].to(str), row["status_label"].to(str)),
                    rx.cond(row["needs_review"].to(bool), rx.badge(t("admin.invoices.needs_review"), **REVIEW_BADGE)),
                    spacing="1", wrap="wrap"),
            data_label=t("invoices.col.status")),
    )


@page(route="/admin/invoices", title="Invoices", access="staff", on_load=[L.load], self_guarded=True)
def admin_invoices_page() -> rx.Component:
    return card(
        *admin_top("admin.invoices", "admin.invoices.intro", L),
        _actions(),
        invoice_sums(L.sums),
        _filters(),
        list_table(L, _row, none_key="invoices.none_yet", none_match_key="invoices.none_match"),
        # live: an invoice paid or issued elsewhere shows without a reload (the server compares a counter)
        live_tick(L.tick, 3000),
    )


# --- /admin/invoices/new, /admin/invoices/draft-<id> ---------------------------------------------

def _back() -> rx.Component:
    return rx.link(t("invoices.back"), href="/admin/invoices")


@page(route="/admin/invoices/new", title="New invoice", access="staff", on_load=[E.load_new])
def admin_invoice_new_page() -> rx.Component:
    return card(panel_title(), admin_nav("/admin/invoices"), _back(),
                rx.cond(E.editing, draft_editor()))


# --- /admin/invoices/<number> ---------------------------------------------------------------------

def _attempt_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.code(row["payment_intent_id"].to(str), variant="ghost", size="1", style=WRAP),
                      data_label=t("admin.invoices.col.payment_intent")),
        rx.table.cell(row["amount"].to(str), style=RIGHT, data_label=t("invoice.pdf.amount")),
        rx.table.cell(rx.badge(row["status_label"].to(str), variant="soft",
                               color_scheme=rx.match(row["status"].to(str), ("succeeded", "green"), ("failed", "red"),
                                                     ("processing", "amber"), "gray")),
                      data_label=t("invoices.col.status")),
        rx.table.cell(row["last_error"].to(str), style=WRAP, data_label=t("admin.invoices.col.last_error")),
        rx.table.cell(row["started_by"].to(str), style=WRAP, data_label=t("admin.invoices.col.started_by")),
        rx.table.cell(row["created"].to(str), data_label=t("admin.invoices.col.created")),
        rx.table.cell(row["updated"].to(str), data_label=t("admin.invoices.col.updated")),
    )


def _attempts() -> rx.Component:
    keys = ("admin.invoices.col.payment_intent", "invoice.pdf.amount", "invoices.col.status",
            "admin.invoices.col.last_error", "admin.invoices.col.started_by", "admin.invoices.col.created",
            "admin.invoices.col.updated")
    return card(
        rx.heading(t("admin.invoices.attempts"), size="4", as_="h2"),
        rx.cond(A.attempts.length() > 0,
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k)) for k in keys])),
                    rx.table.body(rx.foreach(A.attempts, _attempt_row)),
                    width="100%", variant="surface", size="1", aria_label=t("admin.invoices.attempts"),
                ),
                rx.text(t("admin.invoices.no_attempts"), color="var(--gray-11)", size="2")),
    )


def _pay_field(label_key: str, name: str, **props) -> rx.Component:  # noqa: ANN003
    return rx.box(
        rx.el.label(t(label_key), html_for=f"pay-{name}", style=LABEL),
        rx.input(id=f"pay-{name}", name=name, max_length=max_length("invoice", name),
                 **field_attrs(A.errors, name), width="100%", **props),
        field_error(A.errors, name),
        display="flex", flex_direction="column", gap="4px", min_width="0",
    )


def _money_form(heading_key: str, intro_key: str, button_key: str, amount: tuple[str, str, rx.Var],
                day: tuple[str, str], note: tuple[str, str], submission_id: rx.Var,
                on_submit: rx.EventHandler) -> rx.Component:
    """A payment or refund staff records by hand: amount (label key, field, default), day and note
    (label key, field), sent with the form's submission id."""
    return card(
        rx.heading(t(heading_key), size="4", as_="h2"),
        rx.text(t(intro_key), size="2", color="var(--gray-11)"),
        rx.form(
            rx.vstack(
                submission_field(submission_id),
                rx.grid(
                    _pay_field(amount[0], amount[1], default_value=amount[2], input_mode="decimal", required=True),
                    _pay_field(*day, type="date", default_value=A.today),
                    _pay_field(*note),
                    columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%",
                ),
                submit_button(t(button_key), A.busy),
                spacing="3", width="100%",
            ),
            on_submit=on_submit,
            key=A.pay_form_key,
            no_validate=True,  # the server's messages at the fields, not the browser's bubble
            width="100%",
        ),
    )


def _record_payment() -> rx.Component:
    """A bank transfer that arrived."""
    return _money_form("admin.invoices.record_payment", "admin.invoices.record_payment_intro", "admin.invoices.record",
                       ("admin.invoices.amount", "amount", A.amount_default),
                       ("admin.invoices.received_on", "received_on"), ("admin.invoices.note", "note"),
                       A.submission_id, A.record_payment)


def _record_refund() -> rx.Component:
    """Shown while a credit is owed to the customer: the refund staff has paid back."""
    return _money_form("admin.invoices.record_refund", "admin.invoices.record_refund_intro",
                       "admin.invoices.record_refund",
                       ("admin.invoices.refund_amount", "refund_amount", A.refund_default),
                       ("admin.invoices.refunded_on", "refunded_on"), ("admin.invoices.refund_note", "refund_note"),
                       A.refund_submission_id, A.record_refund)


def _review() -> rx.Component:
    return rx.cond(A.needs_review, rx.callout.root(
        rx.callout.icon(rx.icon("flag")),
        rx.callout.text(rx.text(t("admin.invoices.needs_review"), weight="bold"), " ",
                        t("admin.invoices.review_text")),
        rx.button(t("admin.invoices.mark_reviewed"), variant="soft", color_scheme="orange", size="1",
                  on_click=A.clear_review, disabled=A.busy, width="fit-content"),
        color_scheme="orange", role="status", width="100%",
    ))


def _staff_actions() -> rx.Component:
    number = A.number.to_string()
    return rx.hstack(
        rx.cond(A.can_void, confirm_button(
            t("admin.invoices.void"), title=t("admin.invoices.confirm_void_title").replace("{number}", number),
            description=t("admin.invoices.confirm_void_text"), on_confirm=A.void, variant="soft", disabled=A.busy)),
        rx.cond(A.can_credit, confirm_button(
            t("admin.invoices.credit"), title=t("admin.invoices.confirm_credit_title").replace("{number}", number),
            description=t("admin.invoices.confirm_credit_text"), on_confirm=A.credit, color_scheme="orange",
            variant="soft", disabled=A.busy)),
        spacing="3", wrap="wrap",
    )


def _invoice() -> rx.Component:
    number = A.number.to_string()
    return rx.vstack(
        rx.flex(
            rx.heading(A.title, size="5", as_="h1"),
            rx.box(status_badge(A.status, A.status_label, size="2"), id="invoice-status", role="status",
                   aria_live="polite"),
            rx.spacer(),
            download_link(t("invoices.download_pdf"), "/api/invoices/" + number + "/pdf"),
            spacing="3", align="center", wrap="wrap", width="100%",
        ),
        rx.link(t("admin.invoices.open_company"), href="/admin/company?id=" + A.company_id.to_string(), size="2"),
        notice(A.notice),
        form_alert(A.errors),
        _review(),
        _staff_actions(),
        invoice_document(A),
        live_tick(A.tick, 3000),
        spacing="4", width="100%",
    )


@page(route="/admin/invoices/[number]", title="Invoice", access="staff", on_load=[E.load_draft, A.load],
      tab_title=rx.cond(A.found, A.title, ""))
def admin_invoice_page() -> rx.Component:
    return rx.vstack(
        card(
            panel_title(),
            admin_nav("/admin/invoices"),
            _back(),
            rx.cond(E.editing, draft_editor(), rx.cond(
                A.found, _invoice(),
                rx.cond(A.missing | E.missing, rx.heading(t("invoices.not_found"), size="5", as_="h1", role="status")),
            )),
        ),
        rx.cond(A.found & ~E.editing, rx.fragment(rx.cond(A.can_record, _record_payment()),
                                                  rx.cond(A.can_refund, _record_refund()),
                                                  rx.cond(~A.is_credit_note, _attempts()))),
        spacing="4", width="100%",
    )
