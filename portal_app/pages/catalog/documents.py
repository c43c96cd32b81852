"""Quotes and sales orders for customers: the lists and the pages (accept or decline a quote)."""

import reflex as rx

from ...components.catalog_doc import document, doc_status_badge, sales_answer
from ...components.confirm import confirm_button
from ...components.download import download_link
from ...components.forms import field_attrs, field_error, form_alert, notice
from ...components.i18n import t
from ...components.invoice_view import RIGHT
from ...components.limits import max_length
from ...components.shell import card, numbered_title, page
from ...components.url_list import filter_bar, list_table
from ...services.catalog.catalog_rules import ORDER_STATUSES, QUOTE_STATUSES
from ...state.catalog.documents import ORDER_COLORS, QUOTE_COLORS
from ...state.catalog.documents import OrderListState as OL
from ...state.catalog.documents import OrderPageState as O
from ...state.catalog.documents import QuoteListState as QL
from ...state.catalog.documents import QuotePageState as Q
from ...components.live_tick import live_tick


def _doc_row(path: str, prefix: str, colors: dict[str, str], extra_label: str, extra_path: str = ""):  # noqa: ANN202
    """A quote's or an order's row; its last column (`extra_label`) a link to `extra_path` + its text
    when given (an order's quote), a dash when it has none."""
    def row(item: rx.Var) -> rx.Component:
        number = item["number"].to_string()
        extra = item["extra"].to(str)
        shown = rx.link(extra, href=extra_path + extra) if extra_path else rx.text(extra, as_="span")
        return rx.table.row(
            rx.table.cell(rx.link(number, href=path + number, weight="medium"), data_label=t(f"{prefix}.number")),
            rx.table.cell(item["created"].to(str), data_label=t(f"{prefix}.created")),
            rx.table.cell(doc_status_badge(item["status"].to(str), item["status_label"].to(str), colors),
                          data_label=t(f"{prefix}.status")),
            rx.table.cell(item["total"].to(str), style=RIGHT, data_label=t(f"{prefix}.total")),
            rx.table.cell(rx.cond(extra != "", shown, "–"), data_label=t(extra_label)),
        )

    return row


def _pdf_link(kind: str, number: rx.Var) -> rx.Component:
    return download_link(t("catalog.download_pdf"), f"/api/{kind}/" + number.to_string() + "/pdf")


# --- /quotes ----------------------------------------------------------------------------------------

@page(route="/quotes", title="Quotes", on_load=[QL.load], self_guarded=True)
def quotes_page() -> rx.Component:
    return card(
        rx.heading(t("quotes.title"), size="6", as_="h1"),
        filter_bar(QL, statuses=QUOTE_STATUSES, status_key="catalog.quote_status", search_key="quotes.search"),
        list_table(QL, _doc_row("/quotes/", "quotes.col", QUOTE_COLORS, "quotes.col.expires_on"),
                   none_key="quotes.none_yet", none_match_key="quotes.none_match",
                   empty_action=rx.link(t("catalog.browse"), href="/catalog")),
        live_tick(QL.tick, 3000),
    )


def _decide() -> rx.Component:
    """Accept or decline (withdraw a request) with a reason, each asked first, while the quote is
    open to the customer. The decline's Confirm sends its form (the reason with it)."""
    withdrawing = rx.cond(Q.decline_meant != "", Q.decline_meant == "withdraw", Q.withdrawable)
    decline = rx.form(
        rx.vstack(
            rx.el.label(t("quotes.reason"), html_for="decline-reason", style={"fontWeight": 500, "fontSize": "14px"}),
            rx.text_area(id="decline-reason", name="reason", rows="2", max_length=max_length("catalog", "reason"),
                         width="100%", **field_attrs(Q.errors, "reason")),
            field_error(Q.errors, "reason"),
            # the dialog keeps what it was opened to do: a request answered while it is open is refused
            # by the service, not turned into a decline of a quote never seen
            confirm_button(rx.cond(Q.withdrawable, t("quotes.withdraw"), t("quotes.decline")),
                           title=rx.cond(withdrawing, t("quotes.withdraw_title"), t("quotes.decline_title")),
                           description=rx.cond(withdrawing, t("quotes.withdraw_text"), t("quotes.decline_text")),
                           confirm_label=rx.cond(withdrawing, t("quotes.withdraw"), t("quotes.decline")),
                           submits="decline-form", on_open=Q.begin_decline,
                           variant="soft", disabled=Q.busy),
            spacing="2", width="100%", align="start",
        ),
        on_submit=Q.decline,
        id="decline-form",
        width="100%",
    )
    # the dialog remembers the version on screen when it opened: a revision sent meanwhile is refused
    accept = confirm_button(t("quotes.accept"), title=t("quotes.accept_title"), description=Q.accept_text,
                            on_confirm=Q.accept, disabled=Q.busy, color_scheme="green",
                            on_open=Q.begin_accept)
    return rx.cond(Q.may_decide | Q.withdrawable, rx.vstack(
        rx.cond(Q.may_decide, accept),
        decline,
        spacing="3", width="100%", max_width="560px",
    ))


@page(route="/quotes/[number]", title="Quote", on_load=[Q.load], self_guarded=True,
      tab_title=numbered_title("page_title.quote", rx.cond(Q.found, Q.number, 0)))
def quote_page() -> rx.Component:
    return card(
        rx.link(t("quotes.back"), href="/quotes"),
        rx.cond(
            Q.found,
            rx.vstack(
                rx.flex(
                    rx.heading(t("quotes.heading").replace("{number}", Q.number.to_string()), size="6", as_="h1"),
                    rx.box(doc_status_badge(Q.status, Q.status_label, QUOTE_COLORS, size="2"), id="quote-status",
                           role="status", aria_live="polite"),
                    rx.spacer(),
                    _pdf_link("quotes", Q.number),
                    spacing="3", align="center", wrap="wrap", width="100%",
                ),
                notice(Q.notice),
                form_alert(Q.errors),
                rx.cond(Q.expired_note != "", rx.callout(Q.expired_note, icon="clock", color_scheme="red")),
                rx.cond(Q.status == "requested", rx.callout(t("quotes.waiting_note"), icon="info")),
                rx.cond(Q.order_number > 0, rx.link(t("quotes.became_order").replace(
                    "{number}", Q.order_number.to_string()), href="/orders/" + Q.order_number.to_string())),
                sales_answer(Q.answer),
                rx.cond(Q.decline_reason != "", rx.text(t("quotes.reason"), ": ", Q.decline_reason,
                                                        style={"overflowWrap": "anywhere"})),
                document(Q),
                _decide(),
                live_tick(Q.tick, 3000),
                spacing="4", width="100%",
            ),
            rx.cond(Q.missing, rx.heading(t("quotes.not_found"), size="6", as_="h1")),
        ),
    )


# --- /orders -----------------------------------------------------------------------------------------

@page(route="/orders", title="Orders", on_load=[OL.load], self_guarded=True)
def orders_page() -> rx.Component:
    return card(
        rx.heading(t("orders.title"), size="6", as_="h1"),
        filter_bar(OL, statuses=ORDER_STATUSES, status_key="catalog.order_status", search_key="orders.search"),
        list_table(OL, _doc_row("/orders/", "orders.col", ORDER_COLORS, "orders.col.quote", "/quotes/"),
                   none_key="orders.none_yet", none_match_key="orders.none_match",
                   empty_action=rx.link(t("catalog.browse"), href="/catalog")),
        live_tick(OL.tick, 3000),
    )


@page(route="/orders/[number]", title="Order", on_load=[O.load], self_guarded=True,
      tab_title=numbered_title("page_title.order", rx.cond(O.found, O.number, 0)))
def order_page() -> rx.Component:
    return card(
        rx.link(t("orders.back"), href="/orders"),
        rx.cond(
            O.found,
            rx.vstack(
                rx.flex(
                    rx.heading(t("orders.heading").replace("{number}", O.number.to_string()), size="6", as_="h1"),
                    rx.box(doc_status_badge(O.status, O.status_label, ORDER_COLORS, size="2"), id="order-status",
                           role="status", aria_live="polite"),
                    rx.spacer(),
                    _pdf_link("orders", O.number),
                    spacing="3", align="center", wrap="wrap", width="100%",
                ),
                rx.cond(O.quote_number > 0, rx.link(t("orders.from_quote").replace(
                    "{number}", O.quote_number.to_string()), href="/quotes/" + O.quote_number.to_string())),
                sales_answer(O.answer),
                rx.cond((O.status == "cancelled") & (O.cancel_reason != ""), rx.callout(
                    rx.text(t("orders.cancel_reason"), ": ", O.cancel_reason, style={"overflowWrap": "anywhere"}),
                    icon="message_circle", color_scheme="gray", id="cancel-reason")),
                document(O),
                live_tick(O.tick, 3000),
                spacing="4", width="100%",
            ),
            rx.cond(O.missing, rx.heading(t("orders.not_found"), size="6", as_="h1")),
        ),
    )
