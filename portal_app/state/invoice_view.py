"""`InvoiceView`: an invoice's content as page vars (lines, VAT summary, totals, payments, bank
details), filled from the service's `InvoiceDetail` in the reader's language. The customer's page
(`state/invoices.py`) and staff's (`state/admin_invoices.py`) both mix it in, so both show the
same document, as the PDF does."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..local_time import local_day
from ..i18n import format_day, format_money, format_number, translate
from ..services.invoices.core import InvoiceDetail
from ..services.money import quantity_decimal, rate_decimal

# the status badge's colour per status (the label is translated: `invoice.status.<value>`)
STATUS_COLORS = {"draft": "gray", "open": "blue", "partly_paid": "amber", "paid": "green", "overdue": "red",
                 "void": "gray", "credited": "gray", "credit_note": "violet", "processing": "amber"}


class LineItem(TypedDict):
    description: str
    code: str
    quantity: str
    unit_price: str
    vat_rate: str
    net: str


class VatItem(TypedDict):
    rate: str
    net: str
    vat: str
    gross: str


class LabelValue(TypedDict):
    label: str
    value: str
    strong: bool


class PaymentItem(TypedDict):
    date: str
    method: str
    amount: str
    note: str  # "of which 20.00 € above the total" for an overpayment; the PaymentIntent id for staff


def money_text(cents: int, currency: str, lang: str) -> str:
    return format_money(cents, currency, lang)


def rate_text(rate_bp: int, lang: str) -> str:
    return format_number(rate_decimal(rate_bp), lang) + " %"


class InvoiceView(rx.State, mixin=True):
    found: bool = False
    number: int = 0
    title: str = ""  # "Invoice 1002" / "Credit note 1005"
    is_credit_note: bool = False  # nothing is due, open or paid on it: no such rows or sections
    status: str = ""
    status_label: str = ""
    facts: list[LabelValue] = []  # number, dates, reference, the invoice it credits
    bill_to: list[str] = []
    lines: list[LineItem] = []
    vat_rows: list[VatItem] = []
    amounts: list[LabelValue] = []  # subtotal, VAT, total, paid, credited, open, credit owed
    balance_text: str = ""
    payments: list[PaymentItem] = []
    payments_noted: bool = False  # a payment has a note: the table has its Note column
    bank: list[LabelValue] = []  # the bank transfer's details ([] when there is nothing to pay by transfer)
    notes: str = ""
    processing: bool = False

    def _show(self, detail: InvoiceDetail, lang: str, *, staff: bool = False) -> None:
        """Every var of the document from the service's view of the invoice."""

        def t(key: str, **params: object) -> str:
            return translate(lang, key, **params)

        def money(cents: int) -> str:
            return money_text(cents, detail.currency, lang)

        def row(label: str, value: str, strong: bool = False) -> LabelValue:
            return {"label": label, "value": value, "strong": strong}

        note = detail.kind == "credit_note"  # its own date; nothing falls due or is paid to it (as its PDF)
        kind = t("invoice.pdf.credit_note") if note else t("invoice.pdf.invoice")
        facts = [row(t("invoice.pdf.credit_note_date" if note else "invoice.pdf.issue_date"),
                     format_day(detail.issue_date, lang))]
        if not note:
            facts.append(row(t("invoice.pdf.due_date"), format_day(detail.due_date, lang)))
        if detail.reference and not note:
            facts.append(row(t("invoice.pdf.reference"), detail.reference))
        if detail.credit_for_number:
            facts.append(row(t("invoices.credits"), str(detail.credit_for_number)))
        amounts = [row(t("invoice.pdf.subtotal"), money(detail.subtotal_cents)),
                   row(t("invoice.pdf.vat"), money(detail.vat_cents)),
                   row(t("invoice.pdf.total"), money(detail.total_cents), True)]
        if not note:
            amounts.append(row(t("invoice.pdf.paid"), money(detail.paid_cents)))
            if detail.credited_cents:
                amounts.append(row(t("invoice.pdf.credited"), money(detail.credited_cents)))
            amounts.append(row(t("invoice.pdf.open"), money(detail.balance_cents), True))
        if detail.credit_cents:
            # the customer reads "owed to you"; staff, to whom it is owed
            amounts.append(row(t("admin.invoices.credit_owed" if staff else "invoice.pdf.credit_owed"),
                               money(detail.credit_cents)))
        bank: list[LabelValue] = []
        seller = detail.seller
        if detail.pays_by_transfer:
            bank = [row(t("invoice.pdf.recipient"), seller["name"]), row(t("invoice.pdf.iban"), seller["iban"]),
                    row(t("invoice.pdf.bic"), " ".join(filter(None, [seller["bic"],
                                                                     f"({seller['bank']})" if seller["bank"] else ""]))),
                    row(t("invoice.pdf.reference"), detail.reference, True),
                    row(t("invoice.pdf.rf_reference"), detail.rf_reference),
                    row(t("invoice.pdf.due_date"), format_day(detail.due_date, lang)),
                    row(t("invoice.pdf.amount"), money(detail.balance_cents), True)]

        def payment_note(p) -> str:  # noqa: ANN001
            notes = []
            if p.excess_cents:
                notes.append(t("invoices.excess", amount=money(p.excess_cents)))
            if staff and p.payment_intent_id:
                notes.append(p.payment_intent_id)
            if staff and p.note:
                notes.append(p.note)
            return " · ".join(notes)

        payments: list[PaymentItem] = [{"date": format_day(local_day(p.received_at), lang),
                                        "method": t(f"invoice.pdf.method.{p.method}"),
                                        "amount": money(p.amount_cents), "note": payment_note(p)}
                                       for p in detail.payments]
        self._put(
            found=True, number=detail.number or 0, is_credit_note=note,
            title=f"{kind} {detail.number}" if detail.number else t("invoices.draft_title"),
            status=detail.status, status_label=t(f"invoice.status.{detail.status}"), facts=facts,
            bill_to=[detail.company_name, *detail.company_address],
            lines=[{"description": li.description, "code": li.product_code,
                    "quantity": format_number(quantity_decimal(li.quantity_milli), lang)
                    + (f" {li.unit}" if li.unit else ""),
                    "unit_price": money(li.unit_price_cents), "vat_rate": rate_text(li.vat_rate_bp, lang),
                    "net": money(li.net_cents)} for li in detail.lines],
            vat_rows=[{"rate": rate_text(v.rate_bp, lang), "net": money(v.net_cents), "vat": money(v.vat_cents),
                       "gross": money(v.gross_cents)} for v in detail.vat],
            amounts=amounts, balance_text=money(detail.balance_cents),
            payments=payments, payments_noted=any(p["note"] for p in payments), bank=bank, notes=detail.notes, processing=detail.processing,
        )

    def _hide(self) -> None:
        self._put(found=False, number=0, is_credit_note=False, title="", status="", status_label="", facts=[],
                  bill_to=[], lines=[], vat_rows=[], amounts=[], balance_text="", payments=[], payments_noted=False,
                  bank=[], notes="", processing=False)
