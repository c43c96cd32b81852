"""The A4 business document as a PDF (fpdf2), shared by invoices, quotes and order confirmations:
the font, the heading, the customer and facts block, the lines table, the VAT summary and totals.

Written with DejaVu Sans where the system has it (every character); otherwise with the PDF core
font Helvetica, whose Latin-1 lacks a few characters Babel uses (the euro sign, the narrow no-break
space, the minus sign, German low quotes): those are spelled out then ("EUR", a space, "-", '"').
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fpdf import FPDF

from ..i18n import format_number, translate
from .money import VatRow

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_LATIN1_FIXES = str.maketrans({"\u20ac": "EUR", "\u202f": " ", "\u2212": "-", "\u2009": " ", "\u2013": "-",
                               "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                               "\u201a": "'", "\u201e": '"', "\u2026": "..."})  # German quotes, an ellipsis

Cell = tuple[str, float, str]  # text, width (mm), align "L" / "R"
BODY_SIZE = 9.5
SMALLEST_SIZE = 6.0  # a cell's text is set no smaller than this to keep its words whole


def file_name(lang: str, kind: str, number: object) -> str:
    """The download's name in the reader's language: "lasku-1002.pdf" for a Finnish reader's invoice.
    `kind`: invoice, credit_note, quote or order."""
    return f"{translate(lang, 'pdf.file.' + kind)}-{number}.pdf"


def _font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


class Doc(FPDF):
    def __init__(self, *, title: str, author: str) -> None:
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
        self.set_title(title)
        self.set_author(author)
        self.add_page()

    def text_of(self, value: str) -> str:
        if self.unicode:
            return value
        return value.translate(_LATIN1_FIXES).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float = BODY_SIZE, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def row(self, cells: Sequence[Cell], *, bold: bool = False, height: float = 5.5,
            border: str | int = 0) -> None:
        self.font(bold=bold)
        for text, width, align in cells:
            self.cell(width, height, self.text_of(text), border=border, align=align)
        self.ln(height)

    def heading(self, seller: str, title: str, details: str) -> None:
        """The seller's name and the document's title and number, the seller's details below. Each
        wraps within its place: a long seller name (Settings allow 100 characters) never runs into
        the title, a long address never off the page."""
        width, x, top = self.epw, self.l_margin, self.get_y()
        self.font(14, bold=True)
        self.set_xy(x + width * 0.52, top)  # "Order confirmation 1004" on one line
        self.multi_cell(width * 0.48, 7, self.text_of(title), align="R", new_x="LMARGIN", new_y="NEXT")
        title_end = self.get_y()
        self.set_xy(x, top)
        self.multi_cell(width * 0.5, 7, self.text_of(seller), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_y(max(self.get_y(), title_end) + 1)
        self.font(8.5)
        self.multi_cell(width, 4.5, self.text_of(details), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(5.5)

    def parties(self, left: Sequence[str], facts: Sequence[tuple[str, str]]) -> None:
        """The customer (left, its first line bold) beside the document's facts (label, value); each
        text wraps within its column (a long company name never runs into the facts)."""
        width, x, top, line = self.epw, self.l_margin, self.get_y(), 5.0
        for n, text in enumerate(left):
            self.font(bold=n == 0)
            self.set_x(x)
            self.multi_cell(width * 0.46, line, self.text_of(text), align="L", new_x="LMARGIN", new_y="NEXT")
        left_end = self.get_y()
        self.set_y(top)
        for label, value in facts:
            y = self.get_y()
            cells = ((label, x + width * 0.48, width * 0.28, "L", True),  # "Rechnungsnummer" whole
                     (value, x + width * 0.76, width * 0.24, "R", False))
            rows = 1
            for text, left_x, w, align, bold in cells:
                self.font(bold=bold)
                self.set_xy(left_x, y)
                rows = max(rows, len(self.multi_cell(w, line, self.text_of(text), align=align, dry_run=True,
                                                     output="LINES")))
                self.multi_cell(w, line, self.text_of(text), align=align)
            self.set_y(y + rows * line)
        self.set_y(max(left_end, self.get_y()) + 6)
        self.font()

    def table(self, columns: Sequence[tuple[str, float, str]], rows: Sequence[Sequence[str]]) -> None:
        """A lines table: headers (label, share of the width, align), then rows of texts, each text
        wrapped within its column (a line's whole description is on the document)."""
        widths = [self.epw * share for _, share, _ in columns]
        self.set_fill_color(235, 235, 235)
        self.wrapped_row([(label, w, align) for (label, _, align), w in zip(columns, widths, strict=True)],
                         bold=True, rule=True)
        for cells in rows:
            self.wrapped_row([(text, w, align) for text, w, (_, _, align) in zip(cells, widths, columns, strict=True)])
        self.ln(4)

    def wrapped_row(self, cells: Sequence[Cell], *, bold: bool = False, rule: bool = False,
                    line_height: float = 4.6) -> None:
        """A row whose texts wrap within their columns ("Prezzo unitario" over two lines, a long unit
        under its quantity) instead of running into the next; the row is as tall as its tallest cell,
        kept whole on one page, a rule under it where asked. A cell holding a word wider than its
        column ("kilowattituntia" under a quantity) is set smaller, so that no word breaks."""
        pad = 0.9  # above and below, as a single-line cell of `row` has
        sizes = [self._words_fit(self.text_of(text), w, bold) for text, w, _ in cells]
        lines = []
        for (text, w, align), size in zip(cells, sizes, strict=True):
            self.font(size, bold)
            lines.append(self.multi_cell(w, line_height, self.text_of(text), align=align, dry_run=True,
                                         output="LINES"))
        height = max(len(texts) for texts in lines) * line_height + 2 * pad
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        x, y = self.l_margin, self.get_y()
        for (text, w, align), size in zip(cells, sizes, strict=True):
            self.font(size, bold)
            self.set_xy(x, y + pad)
            self.multi_cell(w, line_height, self.text_of(text), align=align)
            x += w
        self.font(bold=bold)
        if rule:
            self.line(self.l_margin, y + height, self.l_margin + sum(w for _, w, _ in cells), y + height)
        self.set_xy(self.l_margin, y + height)

    def _words_fit(self, text: str, width: float, bold: bool) -> float:
        """The font size at which the widest word of `text` fits in a column `width` wide: the body's,
        or smaller, down to `SMALLEST_SIZE`. A word that would not fit even then (a code, a pasted
        address) breaks anyway, so the cell keeps the body's size rather than set every word too small."""
        self.font(bold=bold)
        room = width - 2 * self.c_margin
        widest = max((self.get_string_width(word) for word in text.split()), default=0.0)
        if widest <= room:
            return BODY_SIZE
        size = BODY_SIZE * room / widest * 0.99
        return size if size >= SMALLEST_SIZE else BODY_SIZE

    def vat_summary(self, title: str, labels: tuple[str, str, str, str], rows: Sequence[VatRow],
                    money: Callable[[int], str], lang: str) -> None:
        """The VAT per rate: labels (rate, net, VAT, gross)."""
        self.row([(title, self.epw, "L")], bold=True)
        w = self.epw * 0.25
        self.row([(labels[0], w, "L"), (labels[1], w, "R"), (labels[2], w, "R"), (labels[3], w, "R")], bold=True,
                 border="B")
        for vat in rows:
            self.row([(format_number(vat.rate, lang) + " %", w, "L"), (money(vat.net_cents), w, "R"),
                      (money(vat.vat_cents), w, "R"), (money(vat.gross_cents), w, "R")])
        self.ln(4)

    def totals(self, rows: Sequence[tuple[str, str, bool]]) -> None:
        """Label and amount at the right, bold where asked."""
        width = self.epw
        for label, amount, strong in rows:
            self.row([("", width * 0.5, "L"), (label, width * 0.28, "L"), (amount, width * 0.22, "R")], bold=strong)
        self.ln(4)

    def notes(self, title: str, text: str) -> None:
        self.row([(title, self.epw, "L")], bold=True)
        self.font()
        self.multi_cell(self.epw, 5, self.text_of(text), align="L")  # fpdf's own default justifies
