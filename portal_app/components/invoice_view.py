"""An invoice as a document (the vars of `state.invoice_view.InvoiceView`): who it is for, its dates
and reference, lines, VAT summary, totals, payments and the bank transfer details. The customer's
and staff's invoice pages both show it."""

from __future__ import annotations

import reflex as rx

from ..state.invoice_view import STATUS_COLORS
from .i18n import t
from .shell import NARROW

WRAP = {"overflowWrap": "anywhere"}
RIGHT = {"textAlign": "right", "whiteSpace": "nowrap"}


def status_badge(status: rx.Var, label: rx.Var, **props) -> rx.Component:  # noqa: ANN003
    return rx.match(
        status,
        *[(value, rx.badge(label, color_scheme=color, variant="soft", **props)) for value, color in STATUS_COLORS.items()],
        rx.badge(label, variant="soft", **props),
    )


def _pairs(rows: rx.Var, *, label: str | None = None) -> rx.Component:
    """Label / value rows as a definition list (bold where `strong`)."""
    def pair(item: rx.Var) -> rx.Component:
        weight = rx.cond(item["strong"].to(bool), "600", "400")
        return rx.fragment(
            rx.el.dt(item["label"].to(str), style={"color": "var(--gray-11)", "fontSize": "14px"}),
            rx.el.dd(item["value"].to(str), style={"margin": 0, "fontWeight": weight, **WRAP}),
        )

    return rx.el.dl(rx.foreach(rows, pair), aria_label=label,
                    style={"display": "grid", "gridTemplateColumns": "max-content 1fr", "gap": "4px 16px", "margin": 0,
                           "alignItems": "baseline"})


def _amount_rows(S) -> rx.Component:  # noqa: ANN001
    def pair(item: rx.Var) -> rx.Component:
        weight = rx.cond(item["strong"].to(bool), "600", "400")
        return rx.fragment(
            rx.el.dt(item["label"].to(str), style={"fontWeight": weight}),
            rx.el.dd(item["value"].to(str), style={"margin": 0, "fontWeight": weight, **RIGHT}),
        )

    return rx.el.dl(rx.foreach(S.amounts, pair), id="invoice-amounts",
                    style={"display": "grid", "gridTemplateColumns": "1fr max-content", "gap": "4px 24px",
                           "alignItems": "baseline",
                           "margin": "0 0 0 auto", "minWidth": "min(320px, 100%)"})


def _header_cells(keys: list[str], right_from: int) -> rx.Component:
    return rx.table.header(rx.table.row(*[
        rx.table.column_header_cell(t(key), style=RIGHT if n >= right_from else {}) for n, key in enumerate(keys)
    ]))


def _lines(S) -> rx.Component:  # noqa: ANN001
    keys = ["invoice.pdf.description", "invoice.pdf.quantity", "invoice.pdf.unit_price", "invoice.pdf.vat_rate",
            "invoice.pdf.net"]

    def line(item: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.text(item["description"].to(str), style=WRAP),
                          rx.cond(item["code"].to(str) != "",
                                  rx.text(item["code"].to(str), size="1", color="var(--gray-11)")),
                          data_label=t(keys[0])),
            rx.table.cell(item["quantity"].to(str), style=RIGHT, data_label=t(keys[1])),
            rx.table.cell(item["unit_price"].to(str), style=RIGHT, data_label=t(keys[2])),
            rx.table.cell(item["vat_rate"].to(str), style=RIGHT, data_label=t(keys[3])),
            rx.table.cell(item["net"].to(str), style=RIGHT, data_label=t(keys[4])),
        )

    return rx.table.root(_header_cells(keys, 1), rx.table.body(rx.foreach(S.lines, line)),
                         width="100%", variant="surface", size="1", id="invoice-lines")


def _vat(S) -> rx.Component:  # noqa: ANN001
    keys = ["invoice.pdf.vat_rate", "invoice.pdf.net", "invoice.pdf.vat", "invoice.pdf.gross"]

    def row(item: rx.Var) -> rx.Component:
        return rx.table.row(*[rx.table.cell(item[f].to(str), style=RIGHT if n else {}, data_label=t(keys[n]))
                              for n, f in enumerate(("rate", "net", "vat", "gross"))])

    return rx.table.root(_header_cells(keys, 1), rx.table.body(rx.foreach(S.vat_rows, row)),
                         width="100%", variant="surface", size="1", id="invoice-vat")


def _payments(S) -> rx.Component:  # noqa: ANN001
    def table(keys: list[str]) -> rx.Component:
        """The payments, with a Note column only when `keys` name one (a payment has a note)."""
        def row(item: rx.Var) -> rx.Component:
            cells = [rx.table.cell(item["date"].to(str), data_label=t(keys[0])),
                     rx.table.cell(item["method"].to(str), data_label=t(keys[1])),
                     rx.table.cell(item["amount"].to(str), style=RIGHT, data_label=t(keys[2]))]
            if len(keys) > 3:
                note = item["note"].to(str)  # a dash where this payment has none (a phone's card shows its label)
                cells.append(rx.table.cell(rx.cond(note != "", note, "–"), style=WRAP, data_label=t(keys[3])))
            return rx.table.row(*cells)

        return rx.table.root(_header_cells(keys, 99), rx.table.body(rx.foreach(S.payments, row)),
                             width="100%", variant="surface", size="1", id="invoice-payments")

    keys = ["invoices.col.date", "invoices.col.method", "invoice.pdf.amount"]
    return rx.cond(
        S.payments.length() > 0,
        rx.cond(S.payments_noted, table([*keys, "invoices.col.note"]), table(keys)),
        rx.text(t("invoices.no_payments"), color="var(--gray-11)", size="2"),
    )


def invoice_document(S) -> rx.Component:  # noqa: ANN001
    """The invoice of state `S` (an `InvoiceView`), from the bill-to block to the notes."""
    return rx.vstack(
        rx.flex(
            rx.box(rx.text(t("invoice.pdf.bill_to"), weight="bold", size="2"),
                   rx.foreach(S.bill_to, lambda line: rx.text(line, size="2", style=WRAP)), style={"minWidth": 0}),
            _pairs(S.facts),
            justify="between", spacing="4", wrap="wrap", width="100%",
        ),
        rx.heading(t("invoices.lines"), size="3", as_="h2"),
        _lines(S),
        rx.flex(
            # as wide as its table beside the amounts; on phones the full width, as the other cards
            rx.box(rx.heading(t("invoice.pdf.vat_summary"), size="3", as_="h2", margin_bottom="8px"), _vat(S),
                   style={"minWidth": 0, NARROW: {"width": "100%"}}),
            _amount_rows(S),
            justify="between", spacing="5", wrap="wrap", width="100%", align="end",
        ),
        rx.cond(~S.is_credit_note, rx.fragment(  # (nothing is paid to a credit note)
            rx.heading(t("invoice.pdf.payments"), size="3", as_="h2"),
            _payments(S),
        )),
        rx.cond(S.bank.length() > 0, rx.box(
            rx.heading(t("invoice.pdf.bank_details"), size="3", as_="h2", margin_bottom="8px"),
            _pairs(S.bank, label=t("invoice.pdf.bank_details")),
            width="100%",
        )),
        rx.cond(S.notes != "", rx.box(
            rx.heading(t("invoice.pdf.notes"), size="3", as_="h2", margin_bottom="8px"),
            rx.text(S.notes, style={"whiteSpace": "pre-wrap", **WRAP}),
        )),
        spacing="4", width="100%",
    )


def invoice_sums(sums: rx.Var) -> rx.Component:
    """The open (and overdue) amounts per currency ({currency, open, overdue, has_overdue} rows)."""
    def one(item: rx.Var) -> rx.Component:
        return rx.hstack(
            rx.text(t("invoices.open_sum"), ": ", rx.text(item["open"].to(str), as_="span", weight="bold"), size="2"),
            rx.cond(item["has_overdue"].to(bool), rx.text(
                t("invoices.overdue_sum"), ": ", rx.text(item["overdue"].to(str), as_="span", weight="bold"),
                size="2", color="var(--red-11)")),
            spacing="4", wrap="wrap",
        )

    return rx.cond(sums.length() > 0, rx.box(
        rx.foreach(sums, one), role="status", aria_label=t("invoices.sums"),
        style={"padding": "10px 14px", "borderRadius": "8px", "background": "var(--gray-a2)", "width": "100%"},
    ))
