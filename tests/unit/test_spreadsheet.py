"""The CSV dialect of each reader (`services/spreadsheet.Sheet`): what a spreadsheet of the reader's
region splits a row at, and reads as a number."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from portal_app.services.spreadsheet import BOM, Sheet


@pytest.mark.parametrize(("language", "delimiter", "amount"), [
    ("en", ",", "1240.50"), ("fi", ";", "1240,50"), ("de", ";", "1240,50"), ("it", ";", "1240,50"),
    ("xx", ",", "1240.50"),  # a language the portal does not have: English
])
def test_each_language_gets_its_spreadsheets_separator_and_decimal_mark(language, delimiter, amount):
    sheet = Sheet(language)
    sheet.row(["Name", "Total"])
    sheet.rows([["Acme Oy", Decimal("1240.50")], ["Globex", Decimal("-0.10")]])
    text = sheet.text()
    assert text.startswith(BOM) and text.count(BOM) == 1
    assert text.removeprefix(BOM).splitlines() == [f"Name{delimiter}Total", f"Acme Oy{delimiter}{amount}",
                                                   f"Globex{delimiter}-0{amount[-3]}10"]


def test_a_cell_holding_the_separator_or_the_other_mark_reads_back_whole():
    for language in ("en", "fi"):
        sheet = Sheet(language)
        cells = ["Smith, John; Jr.", 'the "best" printer', "line\nbreak", "2,5", "3.5", Decimal("1000")]
        sheet.row(cells)
        (read,) = csv.reader(io.StringIO(sheet.text().removeprefix(BOM), newline=""), delimiter=sheet.delimiter)
        assert read == [*cells[:5], "1000"]


def test_decimals_are_written_plainly_never_as_exponents_or_grouped():
    sheet = Sheet("fi")
    sheet.row([Decimal("1E+3"), Decimal("1234567.891"), Decimal("0.00")])
    assert sheet.text().removeprefix(BOM).strip() == "1000;1234567,891;0,00"
