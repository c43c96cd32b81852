"""Invoices for customers: the list and an invoice with its PDF and "Pay now"."""

import reflex as rx

from ..components.browser_call import call_then
from ..components.download import download_link
from ..components.forms import form_alert
from ..components.i18n import t
from ..components.invoice_view import RIGHT, invoice_document, invoice_sums, status_badge
from ..components.shell import card, page
from ..components.url_list import filter_bar, list_table
from ..services.invoices.invoice_rules import STATUSES
from ..state.invoices import InvoiceListState as L
from ..state.invoices import InvoicePageState as P
from ..components.live_tick import live_tick

# an overdue invoice stands out in the list
OVERDUE_ROW = {"background": "var(--red-a2)", "boxShadow": "inset 3px 0 0 var(--red-9)"}


# --- /invoices ------------------------------------------------------------------------------------

def _row(row: rx.Var) -> rx.Component:
    number = row["number"].to_string()
    return rx.table.row(
        rx.table.cell(rx.link(number, href="/invoices/" + number, weight="medium"),
                      data_label=t("invoices.col.number")),
        rx.table.cell(row["issue_date"].to(str), data_label=t("invoices.col.issue_date")),
        rx.table.cell(row["due_date"].to(str), data_label=t("invoices.col.due_date")),
        rx.table.cell(row["total"].to(str), style=RIGHT, data_label=t("invoices.col.total")),
        rx.table.cell(row["balance"].to(str), style=RIGHT, data_label=t("invoices.col.balance")),
        rx.table.cell(status_badge(row["status"].to(str), row["status_label"].to(str)),
                      data_label=t("invoices.col.status")),
        style=rx.cond(row["status"].to(str) == "overdue", OVERDUE_ROW, {}),
    )


@page(route="/invoices", title="Invoices", on_load=[L.load], self_guarded=True)
def invoices_page() -> rx.Component:
    return card(
        rx.heading(t("invoices.title"), size="6", as_="h1"),
        invoice_sums(L.sums),
        filter_bar(L, statuses=STATUSES, status_key="invoice.status", search_key="invoices.search"),
        list_table(L, _row, none_key="invoices.none_yet", none_match_key="invoices.none_match"),
        # live: a payment recorded elsewhere shows without a reload (the server compares a counter)
        live_tick(L.tick, 3000),
    )


# --- /invoices/<number> ---------------------------------------------------------------------------

def _pay() -> rx.Component:
    """"Pay now", then the card form (Stripe.js's card element), then "Processing" until Stripe's word."""
    card_form = rx.vstack(
        rx.text(t("invoices.card_details"), weight="medium", size="2"),
        rx.el.div(id="card-element", data_key=P.pay_key, data_secret=P.pay_secret, data_js=P.pay_js, data_locale=P.lang,
                  on_mount=rx.call_function(rx.Var("() => window.portalPay?.mount()")),
                  style={"padding": "10px", "border": "1px solid var(--gray-7)", "borderRadius": "6px",
                         "width": "100%", "maxWidth": "480px", "background": "white", "overflowX": "auto"}),
        rx.hstack(
            rx.button(rx.cond(P.confirming, rx.spinner(size="1", aria_hidden="true")),
                      t("invoices.pay_amount").replace("{amount}", P.pay_amount), disabled=P.confirming,
                      on_click=[P.confirm_started, call_then("window.portalPay.confirm()", P.card_result)]),
            rx.button(t("common.cancel"), variant="soft", color_scheme="gray", on_click=P.cancel_pay),
            spacing="3", wrap="wrap",
        ),
        spacing="2", width="100%",
        style={"padding": "12px", "border": "1px solid var(--gray-5)", "borderRadius": "8px"},
    )
    return rx.fragment(
        rx.cond(P.pay_error != "", rx.callout(P.pay_error, icon="triangle_alert", color_scheme="red", role="alert")),
        rx.cond(P.waiting | P.processing,
                rx.callout(t("invoices.processing"), icon="loader", color_scheme="amber", role="status")),
        rx.cond(P.pay_open, card_form, rx.cond(P.can_pay & ~P.waiting, rx.button(
            rx.cond(P.busy, rx.spinner(size="1", aria_hidden="true")), t("invoices.pay_now"),
            on_click=P.start_pay, disabled=P.busy, size="3"))),
    )


@page(route="/invoices/[number]", title="Invoice", on_load=[P.load], self_guarded=True,
      tab_title=rx.cond(P.found, P.title, ""))  # "Invoice 1002", "Credit note 1005"
def invoice_page() -> rx.Component:
    return card(
        rx.link(t("invoices.back"), href="/invoices"),
        rx.cond(
            P.found,
            rx.vstack(
                rx.flex(
                    rx.heading(P.title, size="6", as_="h1"),
                    rx.box(rx.cond(P.waiting | P.processing,
                                   status_badge("processing", t("invoice.status.processing"), size="2"),
                                   status_badge(P.status, P.status_label, size="2")),
                           id="invoice-status", aria_live="polite", role="status"),
                    rx.spacer(),
                    download_link(t("invoices.download_pdf"), "/api/invoices/" + P.number.to_string() + "/pdf"),
                    spacing="3", align="center", wrap="wrap", width="100%",
                ),
                rx.flex(
                    rx.cond(~P.is_credit_note, rx.text(t("invoice.pdf.open"), ": ",
                                                       rx.text(P.balance_text, as_="span", weight="bold"), size="4")),
                    _pay(),
                    direction="column", spacing="3", width="100%", align="start",
                ),
                form_alert(P.errors),
                invoice_document(P),
                live_tick(P.tick, 2000),
                spacing="4", width="100%",
            ),
            rx.cond(P.missing, rx.heading(t("invoices.not_found"), size="6", as_="h1")),
        ),
    )
