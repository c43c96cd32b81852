"""The invoice as a PDF (fpdf2): the same content as the invoice page, in the reader's language.

Lines, the VAT summary, totals, paid and open amounts, payments, and the bank transfer details with
the reference. Written with DejaVu Sans where the system has it (every character); otherwise with
the PDF core font Helvetica, whose Latin-1 lacks a few characters Babel uses (the euro sign, the
narrow no-break space, the minus sign): those are spelled out then ("EUR", a space, "-").
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from ...i18n import format_money, format_number, format_when, translate
from .core import InvoiceDetail
from .money import quantity_decimal, rate_decimal

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_LATIN1_FIXES = str.maketrans({"\u20ac": "EUR", "\u202f": " ", "\u2212": "-", "\u2009": " ", "\u2013": "-",
                               "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


class _Doc(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        files = _font_files()
        self.unicode = files is not None
        if files is not None:
            self.add_font("Body", "", str(files[0]))
            self.add_font("Body", "B", str(files[1]))
            self.family = "Body"
        else:
            self.family = "Helvetica"

    def text_of(self, value: str) -> str:
        if self.unicode:
            return value
        return value.translate(_LATIN1_FIXES).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float = 9.5, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def row(self, cells: list[tuple[str, float, str]], *, bold: bool = False, height: float = 5.5,
            border: str | int = 0) -> None:
        self.font(bold=bold)
        for text, width, align in cells:
            self.cell(width, height, self.text_of(text), border=border, align=align)
        self.ln(height)


def render_invoice(detail: InvoiceDetail, language: str) -> bytes:
    """The PDF of an invoice page's content (`core.get_invoice`), as bytes."""
    lang = language

    def t(key: str, **params: object) -> str:
        return translate(lang, key, **params)

    def money(cents: int) -> str:
        return format_money(cents, detail.currency, lang)

    doc = _Doc()
    title = t("invoice.pdf.credit_note") if detail.kind == "credit_note" else t("invoice.pdf.invoice")
    doc.set_title(f"{title} {detail.number or ''}".strip())
    doc.set_author(detail.seller["name"])
    doc.add_page()
    width = doc.epw

    # seller and title
    doc.font(14, bold=True)
    doc.cell(width / 2, 8, doc.text_of(detail.seller["name"]))
    doc.cell(width / 2, 8, doc.text_of(f"{title} {detail.number or ''}".strip()), align="R")
    doc.ln(8)
    doc.font(8.5)
    doc.cell(width, 4.5, doc.text_of(f"{detail.seller['address']}  ·  {t('invoice.pdf.business_id')} "
                                     f"{detail.seller['business_id']}"))
    doc.ln(10)

    # bill to (left) and the facts (right)
    facts = [
        (t("invoice.pdf.number"), str(detail.number or "")),
        (t("invoice.pdf.issue_date"), format_when(detail.issue_date, lang)),
        (t("invoice.pdf.due_date"), format_when(detail.due_date, lang)),
        (t("invoice.pdf.reference"), detail.reference),
        (t("invoice.pdf.status"), t(f"invoice.status.{detail.status}")),
    ]
    if detail.credit_for_number:
        facts.append(("", t("invoice.pdf.credit_for", number=detail.credit_for_number)))
    left = [t("invoice.pdf.bill_to"), detail.company_name, *detail.company_address]
    for n in range(max(len(left), len(facts))):
        doc.font(bold=n == 0)
        doc.cell(width * 0.5, 5, doc.text_of(left[n] if n < len(left) else ""))
        label, value = facts[n] if n < len(facts) else ("", "")
        doc.font(bold=True)
        doc.cell(width * 0.22, 5, doc.text_of(label))
        doc.font()
        doc.cell(width * 0.28, 5, doc.text_of(value), align="R")
        doc.ln(5)
    doc.ln(6)

    # lines
    cols = [0.44, 0.12, 0.16, 0.10, 0.18]
    w = [width * c for c in cols]
    doc.set_fill_color(235, 235, 235)
    doc.row([(t("invoice.pdf.description"), w[0], "L"), (t("invoice.pdf.quantity"), w[1], "R"),
             (t("invoice.pdf.unit_price"), w[2], "R"), (t("invoice.pdf.vat_rate"), w[3], "R"),
             (t("invoice.pdf.net"), w[4], "R")], bold=True, border="B")
    for line in detail.lines:
        quantity = format_number(quantity_decimal(line.quantity_milli), lang) + (f" {line.unit}" if line.unit else "")
        description = line.description + (f" ({line.product_code})" if line.product_code else "")
        doc.row([(_fit(doc, description, w[0]), w[0], "L"), (quantity, w[1], "R"),
                 (money(line.unit_price_cents), w[2], "R"),
                 (format_number(rate_decimal(line.vat_rate_bp), lang), w[3], "R"), (money(line.net_cents), w[4], "R")])
    doc.ln(4)

    # VAT summary
    doc.row([(t("invoice.pdf.vat_summary"), width, "L")], bold=True)
    vw = [width * 0.25] * 4
    doc.row([(t("invoice.pdf.vat_rate"), vw[0], "L"), (t("invoice.pdf.net"), vw[1], "R"),
             (t("invoice.pdf.vat"), vw[2], "R"), (t("invoice.pdf.gross"), vw[3], "R")], bold=True, border="B")
    for vat in detail.vat:
        doc.row([(format_number(vat.rate, lang) + " %", vw[0], "L"), (money(vat.net_cents), vw[1], "R"),
                 (money(vat.vat_cents), vw[2], "R"), (money(vat.gross_cents), vw[3], "R")])
    doc.ln(4)

    # totals
    totals = [(t("invoice.pdf.subtotal"), detail.subtotal_cents, False), (t("invoice.pdf.vat"), detail.vat_cents, False),
              (t("invoice.pdf.total"), detail.total_cents, True), (t("invoice.pdf.paid"), detail.paid_cents, False)]
    if detail.credited_cents:
        totals.append((t("invoice.pdf.credited"), detail.credited_cents, False))
    totals.append((t("invoice.pdf.open"), detail.balance_cents, True))
    if detail.credit_cents:
        totals.append((t("invoice.pdf.credit_owed"), detail.credit_cents, False))
    for label, cents, strong in totals:
        doc.row([("", width * 0.5, "L"), (label, width * 0.28, "L"), (money(cents), width * 0.22, "R")], bold=strong)
    doc.ln(4)

    # payments
    if detail.payments:
        doc.row([(t("invoice.pdf.payments"), width, "L")], bold=True)
        for payment in detail.payments:
            doc.row([(format_when(payment.received_at.date(), lang), width * 0.25, "L"),
                     (t(f"invoice.pdf.method.{payment.method}"), width * 0.5, "L"),
                     (money(payment.amount_cents), width * 0.25, "R")])
        doc.ln(4)

    # bank transfer
    if detail.kind != "credit_note" and detail.state != "void":
        doc.row([(t("invoice.pdf.bank_details"), width, "L")], bold=True, border="B")
        for label, value in (
            (t("invoice.pdf.recipient"), detail.seller["name"]),
            (t("invoice.pdf.iban"), detail.seller["iban"]),
            (t("invoice.pdf.bic"), f"{detail.seller['bic']} ({detail.seller['bank']})"),
            (t("invoice.pdf.reference"), detail.reference),
            (t("invoice.pdf.rf_reference"), detail.rf_reference),
            (t("invoice.pdf.due_date"), format_when(detail.due_date, lang)),
            (t("invoice.pdf.amount"), money(detail.balance_cents)),
        ):
            doc.row([(label, width * 0.3, "L"), (value, width * 0.7, "L")])
    if detail.notes:
        doc.ln(4)
        doc.row([(t("invoice.pdf.notes"), width, "L")], bold=True)
        doc.font()
        doc.multi_cell(width, 5, doc.text_of(detail.notes))
    return bytes(doc.output())


def _fit(doc: _Doc, text: str, width: float) -> str:
    """Shorten a description to its column (the page shows it whole)."""
    doc.font()
    if doc.get_string_width(doc.text_of(text)) <= width - 2:
        return text
    while text and doc.get_string_width(doc.text_of(text + "...")) > width - 2:
        text = text[:-1]
    return text + "..."
