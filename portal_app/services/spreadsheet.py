"""CSV as every export writes it, defined once: cells a spreadsheet will not run as formulas, and
the text's byte order mark.

A cell that begins with "=", "+", "-" or "@" (or a tab or carriage return) is a formula to Excel and
LibreOffice: a name like `=HYPERLINK(...)` typed into a form could run in staff's spreadsheet. Such a
cell is written with an apostrophe first, which shows it as text. A phone number written the usual
international way ("+358 40 123 4567", "+1 (555) 010-0199") is left as typed: digits, spaces and the
marks of a phone number make no formula that reaches anything outside the cell.
"""

from __future__ import annotations

import re

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
