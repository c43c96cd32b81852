"""The invoice as a PDF (fpdf2): the same content as the invoice page, in the reader's language.

Lines, the VAT summary, totals, paid and open amounts, payments, and the bank transfer details with
the reference. The document's parts and fonts are `services/pdf_doc.py`'s (shared with quotes and
order confirmations).
"""

from __future__ import annotations

from ...local_time import local_day
from ...i18n import format_day, format_money, format_number, translate
from ..money import quantity_decimal, rate_decimal
from ..pdf_doc import Doc
from .core import InvoiceDetail


def render_invoice(detail: InvoiceDetail, language: str) -> bytes:
    """The PDF of an invoice page's content (`core.get_invoice`), as bytes."""
    lang = language

    def t(key: str, **params: object) -> str:
        return translate(lang, key, **params)

    def money(cents: int) -> str:
        return format_money(cents, detail.currency, lang)

    title = t("invoice.pdf.credit_note") if detail.kind == "credit_note" else t("invoice.pdf.invoice")
    doc = Doc(title=f"{title} {detail.number or ''}".strip(), author=detail.seller["name"])
    width = doc.epw
    doc.heading(detail.seller["name"], f"{title} {detail.number or ''}".strip(),
                f"{detail.seller['address']}  ·  {t('invoice.pdf.business_id')} {detail.seller['business_id']}")

    # bill to (left) and the facts (right)
    note = detail.kind == "credit_note"  # its own number and date; nothing falls due
    facts = [
        (t("invoice.pdf.credit_note_number" if note else "invoice.pdf.number"), str(detail.number or "")),
        (t("invoice.pdf.credit_note_date" if note else "invoice.pdf.issue_date"), format_day(detail.issue_date, lang)),
        # nothing falls due and nothing is paid to a credit note: no due date, no payment reference
        *([] if note else [(t("invoice.pdf.due_date"), format_day(detail.due_date, lang)),
                           (t("invoice.pdf.reference"), detail.reference)]),
        (t("invoice.pdf.status"), t(f"invoice.status.{detail.status}")),
    ]
    if detail.credit_for_number:
        facts.append(("", t("invoice.pdf.credit_for", number=detail.credit_for_number)))
    doc.parties([t("invoice.pdf.bill_to"), detail.company_name, *detail.company_address], facts)

    # lines
    rows = []
    for line in detail.lines:
        quantity = format_number(quantity_decimal(line.quantity_milli), lang) + (f" {line.unit}" if line.unit else "")
        description = line.description + (f" ({line.product_code})" if line.product_code else "")
        rows.append([description, quantity, money(line.unit_price_cents),
                     format_number(rate_decimal(line.vat_rate_bp), lang), money(line.net_cents)])
    doc.table([(t("invoice.pdf.description"), 0.44, "L"), (t("invoice.pdf.quantity"), 0.12, "R"),
               (t("invoice.pdf.unit_price"), 0.16, "R"), (t("invoice.pdf.vat_rate"), 0.10, "R"),
               (t("invoice.pdf.net"), 0.18, "R")], rows)

    # VAT summary
    doc.vat_summary(t("invoice.pdf.vat_summary"), (t("invoice.pdf.vat_rate"), t("invoice.pdf.net"), t("invoice.pdf.vat"),
                                                   t("invoice.pdf.gross")), detail.vat, money, lang)

    # totals
    totals = [(t("invoice.pdf.subtotal"), detail.subtotal_cents, False), (t("invoice.pdf.vat"), detail.vat_cents, False),
              (t("invoice.pdf.total"), detail.total_cents, True)]
    if not note:  # (a credit note is neither paid nor open)
        totals.append((t("invoice.pdf.paid"), detail.paid_cents, False))
        if detail.credited_cents:
            totals.append((t("invoice.pdf.credited"), detail.credited_cents, False))
        totals.append((t("invoice.pdf.open"), detail.balance_cents, True))
        if detail.credit_cents:
            totals.append((t("invoice.pdf.credit_owed"), detail.credit_cents, False))
    doc.totals([(label, money(cents), strong) for label, cents, strong in totals])

    # payments
    if detail.payments:
        doc.row([(t("invoice.pdf.payments"), width, "L")], bold=True)
        for payment in detail.payments:
            doc.row([(format_day(local_day(payment.received_at), lang), width * 0.25, "L"),
                     (t(f"invoice.pdf.method.{payment.method}"), width * 0.5, "L"),
                     (money(payment.amount_cents), width * 0.25, "R")])
        doc.ln(4)

    # bank transfer
    if detail.pays_by_transfer:
        doc.row([(t("invoice.pdf.bank_details"), width, "L")], bold=True, border="B")
        for label, value in (
            (t("invoice.pdf.recipient"), detail.seller["name"]),
            (t("invoice.pdf.iban"), detail.seller["iban"]),
            (t("invoice.pdf.bic"), f"{detail.seller['bic']} ({detail.seller['bank']})"),
            (t("invoice.pdf.reference"), detail.reference),
            (t("invoice.pdf.rf_reference"), detail.rf_reference),
            (t("invoice.pdf.due_date"), format_day(detail.due_date, lang)),
            (t("invoice.pdf.amount"), money(detail.balance_cents)),
        ):
            doc.row([(label, width * 0.3, "L"), (value, width * 0.7, "L")])
    if detail.notes:
        doc.ln(4)
        doc.notes(t("invoice.pdf.notes"), detail.notes)
    return bytes(doc.output())

