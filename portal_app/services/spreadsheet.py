"""CSV as every export writes it, defined once: in the reader's spreadsheet dialect, with cells a
spreadsheet will not run as formulas, and the text's byte order mark.

A spreadsheet opens a CSV in the conventions of its user's region. Where the decimal mark is a comma
(Finnish, German, Italian), Excel splits a row at semicolons and reads "1240,50" as a number; given
commas, it shows each row in one cell, and "1240.50" as text or a date. So an export follows the
reader's language (`Sheet`): English commas and decimal points, the others semicolons and decimal
commas. The portal's own CSV import reads either.

A cell that begins with "=", "+", "-" or "@" (or a tab or carriage return) is a formula to Excel and
LibreOffice: a name like `=HYPERLINK(...)` typed into a form could run in staff's spreadsheet. Such a
cell is written with an apostrophe first, which shows it as text. A phone number written the usual
international way ("+358 40 123 4567", "+1 (555) 010-0199") is left as typed: digits, spaces and the
marks of a phone number make no formula that reaches anything outside the cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from babel.numbers import get_decimal_symbol

from ..i18n import normalize_language

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+[0-9][0-9 ()./-]*")


def safe_cell(text: str) -> str:
    if text[:1] in FORMULA_STARTS and not _PHONE.fullmatch(text):
        return "'" + text
    return text


BOM = "\ufeff"


def for_spreadsheets(text: str) -> str:
    """CSV text as every export sends it: UTF-8 with a byte order mark first, by which Excel reads it
    as UTF-8 (without one it shows "Bürodrucker" as "BÃ¼rodrucker"); LibreOffice and the portal's own
    CSV import take it too."""
    return text if text.startswith(BOM) else BOM + text


class Sheet:
    """A CSV export written for one reader: `row(cells)` per line, `text()` at the end. Decimal cells
    are written with the language's decimal mark, never grouped ("1240,50")."""

    def __init__(self, language: str) -> None:
        self.decimal_mark = get_decimal_symbol(normalize_language(language))
        self.delimiter = ";" if self.decimal_mark == "," else ","
        self._out = io.StringIO()
        self._writer = csv.writer(self._out, delimiter=self.delimiter)

    def row(self, cells: Iterable[object]) -> None:
        self._writer.writerow(self._cell(c) for c in cells)

    def rows(self, lines: Iterable[Iterable[object]]) -> None:
        for cells in lines:
            self.row(cells)

    def _cell(self, value: object) -> object:
        if isinstance(value, Decimal):
            return format(value, "f").replace(".", self.decimal_mark)
        return value

    def text(self) -> str:
        return for_spreadsheets(self._out.getvalue())
