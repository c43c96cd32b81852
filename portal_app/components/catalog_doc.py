"""A quote or a sales order as a document (the vars of `state.catalog.documents.DocumentView`): who it is
for, its dates, lines with discounts, VAT per rate, totals and the customer's message."""

from __future__ import annotations

import reflex as rx

from .i18n import t
from .invoice_view import RIGHT, WRAP
from .shell import NARROW


def doc_status_badge(status: rx.Var, label: rx.Var, colors: dict[str, str], **props) -> rx.Component:  # noqa: ANN003
    return rx.match(status, *[(value, rx.badge(label, color_scheme=color, variant="soft", **props))
                              for value, color in colors.items()], rx.badge(label, variant="soft", **props))


def sales_answer(text: rx.Var) -> rx.Component:
    """Sales' message with a quote ("Our message"), on the quote and on the order it became; nothing
    while there is none."""
    return rx.cond(text != "", rx.box(
        rx.heading(t("quotes.answer"), size="3", as_="h2", margin_bottom="6px"),
        rx.text(text, style={"whiteSpace": "pre-wrap", **WRAP})))


def _pairs(rows: rx.Var, *, amounts: bool = False) -> rx.Component:
    def pair(item: rx.Var) -> rx.Component:
        weight = rx.cond(item["strong"].to(bool), "600", "400")
        label_style = {"fontWeight": weight} if amounts else {"color": "var(--gray-11)", "fontSize": "14px"}
        return rx.fragment(rx.el.dt(item["label"].to(str), style=label_style),
                           rx.el.dd(item["value"].to(str), style={"margin": 0, "fontWeight": weight,
                                                                  **(RIGHT if amounts else WRAP)}))

    columns = "1fr max-content" if amounts else "max-content 1fr"
    return rx.el.dl(rx.foreach(rows, pair), style={
        "display": "grid", "gridTemplateColumns": columns, "gap": "4px 20px", "alignItems": "baseline",
        "margin": "0 0 0 auto" if amounts else 0, **({"minWidth": "min(320px, 100%)"} if amounts else {})})


def _lines(S) -> rx.Component:  # noqa: ANN001
    keys = ["catalog.col.name", "catalog.quantity", "catalog.unit_price", "catalog.discount", "catalog.col.vat",
            "catalog.line_total"]

    def line(item: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.text(item["name"].to(str), style=WRAP),
                          rx.cond(item["code"].to(str) != "", rx.text(item["code"].to(str), size="1",
                                                                      color="var(--gray-11)")),
                          data_label=t(keys[0])),
            rx.table.cell(item["quantity"].to(str), style=RIGHT, data_label=t(keys[1])),
            rx.table.cell(item["unit_price"].to(str), style=RIGHT, data_label=t(keys[2])),
            rx.cond(item["discount"].to(str) != "",  # no discount: a blank cell, left out of a phone's card
                    rx.table.cell(item["discount"].to(str), style=RIGHT, data_label=t(keys[3])),
                    rx.table.cell(style={NARROW: {"display": "none"}})),
            rx.table.cell(item["vat"].to(str), style=RIGHT, data_label=t(keys[4])),
            rx.table.cell(item["net"].to(str), style=RIGHT, data_label=t(keys[5])),
        )

    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k), style=RIGHT if n else {})
                                       for n, k in enumerate(keys)])),
        rx.table.body(rx.foreach(S.lines, line)),
        width="100%", variant="surface", size="1", id="document-lines",
    )


def document(S) -> rx.Component:  # noqa: ANN001
    return rx.vstack(
        rx.flex(
            rx.box(rx.foreach(S.party, lambda line: rx.text(line, size="2", style=WRAP)), style={"minWidth": 0}),
            _pairs(S.facts),
            justify="between", spacing="4", wrap="wrap", width="100%",
        ),
        rx.cond(S.message != "", rx.box(
            rx.heading(t("catalog.message"), size="3", as_="h2", margin_bottom="6px"),
            rx.text(S.message, style={"whiteSpace": "pre-wrap", **WRAP}),
        )),
        _lines(S),
        rx.box(_pairs(S.amounts, amounts=True), width="100%", id="document-amounts"),
        spacing="4", width="100%",
    )
