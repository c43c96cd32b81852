"""Document lines edited in a form (staff's invoice drafts and quote answers, the cart's
quantities): the rows' shape, numbering, numbers as the fields take them back, and the messages of
fields that take a decimal number."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, TypedDict

from ..i18n import translate
from ..services.errors import ServiceError, ValidationFailed
from .base import field_errors


class EditorLine(TypedDict):
    key: int  # the row's inputs are named line_<key>_<field>; never reused while the form is shown
    n: int  # its number among the lines kept ("Line 2")
    description: str
    product_code: str
    quantity: str
    unit: str
    unit_price: str
    vat_rate: str
    removed: bool


def decimal_errors(exc: ServiceError, lang: str) -> dict[str, str]:
    """`field_errors`, with the money parser's "error.number" said as what these fields take: a
    number with decimals (quantities, prices, VAT rates, amounts), not a whole number."""
    messages = field_errors(exc, lang)
    if isinstance(exc, ValidationFailed):
        for name, (key, _params) in exc.fields.items():
            if key == "error.number":
                messages[name] = translate(lang, "admin.invoices.error_number")
    return messages


# languages that write a decimal comma ("1,5"); the forms take either back
DECIMAL_COMMA = frozenset({"fi", "de", "it"})
_GROUPED = {mark: re.compile(rf"\s*[+-]?[1-9][0-9]{{0,2}}(\{mark}[0-9]{{3}})+\s*") for mark in ".,"}


def grouped_numbers(lines: list[dict[str, Any]], names: tuple[str, ...], lang: str) -> dict[str, str]:
    """Numbers of the lines typed with the reader's thousands separator ("2.125" in Italian is 2125,
    "1,125" in English 1125), which the service, knowing no language, would read as decimals: each
    refused at its field (`lines.<n>.<name>`), as the service refuses "1.500"."""
    pattern = _GROUPED["." if lang in DECIMAL_COMMA else ","]
    return {f"lines.{n}.{name}": translate(lang, "error.number_thousands")
            for n, line in enumerate(lines) for name in names
            if isinstance(line.get(name), str) and pattern.fullmatch(line[name])}


# what a number refused by `grouped_numbers` is sent to the service as: a text no number parser takes
UNREADABLE = "?"


def with_grouped_unreadable(lines: list[dict[str, Any]], grouped: dict[str, str]) -> list[dict[str, Any]]:
    """The lines as the service gets them when `grouped_numbers` refused some of their numbers: those
    fields `UNREADABLE`, so that the service refuses the form as well (nothing is saved) and names
    every other mistake, to be shown at once with the thousands separators."""
    out = [dict(line) for line in lines]
    for name in grouped:
        _, n, field = name.split(".")
        out[int(n)][field] = UNREADABLE
    return out


def plain(value: Decimal, lang: str = "en") -> str:
    """A number as the form's fields take it back, in the language's way: "2", "1.5" or "1,5",
    "70.00" (never "1E+1"), no thousands separator."""
    text = format(value, "f")
    return text.replace(".", ",") if lang in DECIMAL_COMMA else text


DEFAULT_VAT = Decimal("25.5")  # Finland's general rate: a new line's


def blank_line(key: int, lang: str = "en") -> EditorLine:
    return {"key": key, "n": 0, "description": "", "product_code": "", "quantity": "1", "unit": "",
            "unit_price": "", "vat_rate": plain(DEFAULT_VAT, lang), "removed": False}


def numbered(lines: list[EditorLine]) -> list[EditorLine]:
    """Each kept line's number among the kept ones."""
    out, n = [], 0
    for line in lines:
        n += 0 if line["removed"] else 1
        out.append({**line, "n": 0 if line["removed"] else n})
    return out
