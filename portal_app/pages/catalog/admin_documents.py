"""Admin panel, quotes and sales orders: the quote inbox and a quote with the answer form; the
orders and an order with its next statuses. Live: they follow what the customer (or another staff
member) does without a reload."""

import reflex as rx

from ...components.admin_catalog import answer_form, messages, staff_detail, staff_top
from ...components.catalog_doc import doc_status_badge, document, sales_answer
from ...components.company_search import company_search
from ...components.confirm import confirm_button
from ...components.download import download_link
from ...components.forms import field_attrs, field_error
from ...components.i18n import t
from ...components.invoice_view import RIGHT, WRAP
from ...components.limits import max_length
from ...components.shell import card, numbered_title, page
from ...components.url_list import filter_bar, list_table
from ...services.catalog.catalog_rules import ORDER_STATUSES, QUOTE_STATUSES
from ...state.catalog.admin_documents import AdminOrderListState as OL
from ...state.catalog.admin_documents import AdminOrderState as O
from ...state.catalog.admin_documents import AdminQuoteListState as QL
from ...state.catalog.admin_documents import AdminQuoteState as Q
from ...state.catalog.documents import ORDER_COLORS, QUOTE_COLORS
from ...components.live_tick import live_tick


def _row(path: str, prefix: str, colors: dict[str, str], extra_key: str, extra_link: str = ""):  # noqa: ANN202
    def row(item: rx.Var) -> rx.Component:
        number = item["number"].to_string()
        company = item["company"].to(str)
        extra = item["extra"].to(str)
        return rx.table.row(
            rx.table.cell(rx.link(number, href=path + number, weight="medium"), data_label=t(f"{prefix}.number")),
            rx.table.cell(rx.text(company, weight="medium", title=company, style={**WRAP, "maxWidth": "28ch"}),
                          rx.text(item["contact"].to(str), size="1", color="var(--gray-11)", style=WRAP),
                          data_label=t(f"{prefix}.company")),
            rx.table.cell(item["created"].to(str), data_label=t(f"{prefix}.created")),
            rx.table.cell(doc_status_badge(item["status"].to(str), item["status_label"].to(str), colors),
                          data_label=t(f"{prefix}.status")),
            rx.table.cell(item["total"].to(str), style=RIGHT, data_label=t(f"{prefix}.total")),
            rx.table.cell(rx.cond(extra != "", rx.link(extra, href=extra_link + extra)) if extra_link else extra,
                          data_label=t(f"{prefix}.{extra_key}")),
        )

    return row


def _filters(S, statuses, status_key: str, search_key: str) -> rx.Component:  # noqa: ANN001
    return filter_bar(S, statuses=statuses, status_key=status_key, search_key=search_key,
                      extra=company_search(S, input_id=f"{S.__name__.lower()}-company",
                                           label=t("admin.invoices.col.company"), clear_label=t("tickets.company_any")))


def _company_link(company_id: rx.Var) -> rx.Component:
    return rx.link(t("admin.invoices.open_company"), href="/admin/company?id=" + company_id.to_string(), size="2")


def _heading(key: str, number: rx.Var, badge: rx.Component, badge_id: str, pdf: str) -> rx.Component:
    return rx.flex(
        rx.heading(t(key).replace("{number}", number.to_string()), size="5", as_="h1"),
        rx.box(badge, id=badge_id, role="status", aria_live="polite"),
        rx.spacer(),
        download_link(t("catalog.download_pdf"), f"/api/{pdf}/" + number.to_string() + "/pdf"),
        spacing="3", align="center", wrap="wrap", width="100%",
    )


# --- /admin/quotes -----------------------------------------------------------------------------------

@page(route="/admin/quotes", title="Quotes", access="staff", on_load=[QL.load], self_guarded=True)
def admin_quotes_page() -> rx.Component:
    return card(
        *staff_top("admin.quotes", "admin.catalog.quotes_intro", QL),
        rx.hstack(
            rx.button(rx.icon("inbox", size=14), t("admin.catalog.awaiting_answer"), variant="soft",
                      on_click=QL.set_status("requested")),
            rx.link(t("admin.price_books"), href="/admin/price-books", weight="medium"),
            spacing="4", align="center", wrap="wrap",
        ),
        _filters(QL, QUOTE_STATUSES, "catalog.quote_status", "quotes.search"),
        list_table(QL, _row("/admin/quotes/", "admin.catalog.quote_col", QUOTE_COLORS, "expires_on"),
                   none_key="quotes.none_yet", none_match_key="quotes.none_match"),
        live_tick(QL.tick, 3000),
    )


def _quote() -> rx.Component:
    return rx.vstack(
        _heading("quotes.heading", Q.number, doc_status_badge(Q.status, Q.status_label, QUOTE_COLORS, size="2"),
                 "quote-status", "quotes"),
        _company_link(Q.company_id),
        messages(Q),
        rx.cond(Q.order_number > 0, rx.link(t("quotes.became_order").replace("{number}", Q.order_number.to_string()),
                                            href="/admin/orders/" + Q.order_number.to_string())),
        rx.cond(Q.decline_reason != "", rx.callout(
            rx.text(rx.cond(Q.status == "withdrawn", t("admin.catalog.withdrawn_because"),
                            t("admin.catalog.declined_because")), " ", Q.decline_reason, style=WRAP),
            icon="message_circle",
            color_scheme="gray", id="decline-reason")),
        rx.cond((Q.status == "declined") & (Q.decline_reason == ""),
                rx.text(t("admin.catalog.declined_no_reason"), size="2", color="var(--gray-11)")),
        rx.cond((Q.status == "withdrawn") & (Q.decline_reason == ""),
                rx.text(t("admin.catalog.withdrawn_no_reason"), size="2", color="var(--gray-11)")),
        rx.cond(~Q.may_answer, sales_answer(Q.answer)),
        document(Q),
        rx.cond(Q.may_answer, rx.box(rx.divider(margin_bottom="16px"), answer_form(), width="100%")),
        live_tick(Q.tick, 3000),
        spacing="4", width="100%",
    )


@page(route="/admin/quotes/[number]", title="Quote", access="staff", on_load=[Q.load], self_guarded=True,
      tab_title=numbered_title("page_title.quote", rx.cond(Q.found, Q.number, 0)))
def admin_quote_page() -> rx.Component:
    return staff_detail(Q, back_key="quotes.back", back_href="/admin/quotes", not_found_key="quotes.not_found",
                        body=_quote())


# --- /admin/orders -----------------------------------------------------------------------------------

@page(route="/admin/orders", title="Orders", access="staff", on_load=[OL.load], self_guarded=True)
def admin_orders_page() -> rx.Component:
    return card(
        *staff_top("admin.orders", "admin.catalog.orders_intro", OL),
        _filters(OL, ORDER_STATUSES, "catalog.order_status", "orders.search"),
        list_table(OL, _row("/admin/orders/", "admin.catalog.order_col", ORDER_COLORS, "quote", "/admin/quotes/"),
                   none_key="orders.none_yet", none_match_key="orders.none_match"),
        live_tick(OL.tick, 3000),
    )


def _next_status(item: rx.Var) -> rx.Component:
    """A button per next status, asked first (an order never moves back, and its contact is mailed);
    cancelling is the form below (`_cancel_form`)."""
    label = t("admin.catalog.move_to").replace("{status}", item["label"].to(str))
    value = item["value"].to(str)
    title = t("admin.catalog.move_title").replace("{number}", O.number.to_string()).replace(
        "{status}", item["label"].to(str))
    return rx.cond(value == "cancelled", rx.fragment(), confirm_button(
        label, title=title, description=t("admin.catalog.move_text"), on_confirm=O.set_status(value),
        color_scheme="indigo", confirm_label=label, disabled=O.busy))


def _cancel_form() -> rx.Component:
    """"Cancel order" with an optional reason (kept on the order, in the customer's mail), asked
    first: the dialog's "Cancel order" sends the form, "Keep order" changes nothing."""
    return rx.form(
        rx.vstack(
            rx.el.label(t("admin.catalog.cancel_reason"), html_for="cancel-reason",
                        style={"fontWeight": 500, "fontSize": "14px"}),
            rx.text_area(id="cancel-reason", name="reason", rows="2", max_length=max_length("catalog", "reason"),
                         width="100%", **field_attrs(O.errors, "reason")),
            field_error(O.errors, "reason"),
            confirm_button(t("admin.catalog.cancel_order"), title=t("admin.catalog.cancel_order_title").replace(
                "{number}", O.number.to_string()), description=t("admin.catalog.cancel_order_text"),
                submits="cancel-order-form", confirm_label=t("admin.catalog.cancel_order"),
                dismiss_label=t("admin.catalog.keep_order"), variant="soft", disabled=O.busy),
            spacing="2", width="100%", align="start",
        ),
        on_submit=O.cancel, id="cancel-order-form", width="100%", max_width="560px",
    )


def _order() -> rx.Component:
    return rx.vstack(
        _heading("orders.heading", O.number, doc_status_badge(O.status, O.status_label, ORDER_COLORS, size="2"),
                 "order-status", "orders"),
        _company_link(O.company_id),
        rx.cond(O.quote_number > 0, rx.link(t("orders.from_quote").replace("{number}", O.quote_number.to_string()),
                                            href="/admin/quotes/" + O.quote_number.to_string())),
        sales_answer(O.answer),
        messages(O),
        rx.cond(O.next_statuses.length() > 0,
                rx.vstack(rx.text(t("admin.catalog.next_status"), size="2", weight="medium"),
                          rx.flex(rx.foreach(O.next_statuses, _next_status), spacing="3", wrap="wrap"),
                          rx.cond(O.may_cancel, _cancel_form()),
                          spacing="3", id="order-actions", width="100%"),
                rx.text(t("admin.catalog.order_final"), size="2", color="var(--gray-11)")),
        rx.cond(O.cancel_reason != "", rx.callout(
            rx.text(t("orders.cancel_reason"), ": ", O.cancel_reason, style=WRAP), icon="message_circle",
            color_scheme="gray", id="cancel-reason-shown")),
        document(O),
        live_tick(O.tick, 3000),
        spacing="4", width="100%",
    )


@page(route="/admin/orders/[number]", title="Order", access="staff", on_load=[O.load], self_guarded=True,
      tab_title=numbered_title("page_title.order", rx.cond(O.found, O.number, 0)))
def admin_order_page() -> rx.Component:
    return staff_detail(O, back_key="orders.back", back_href="/admin/orders", not_found_key="orders.not_found",
                        body=_order())
