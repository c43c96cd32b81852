"""Reading untrusted input the catalog modules share: searches, product codes, document numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from ...local_time import today as local_today
from ...models import Product
from ..errors import NotFound, ValidationFailed
from ..spreadsheet import Sheet
from ..validation import canonical_int, clean_line, like_pattern
from .catalog_rules import CODE_CHARS, SEARCH_CHARS, TEXT_LIMITS

_CODE = re.compile(CODE_CHARS)


def fold(text: str) -> str:
    """Text as the search compares it: lower case, accents dropped ("Mäkinen" -> "makinen")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_clause(search: Any) -> ColumnElement[bool] | None:
    """Every word of the search in the product's code or a name in any language (case and accents
    ignored); None for an empty search."""
    text = clean_line(search, field="search", max_chars=SEARCH_CHARS) if search not in (None, "") else ""
    words = fold(text).split()[:8]
    if not words:
        return None
    return and_(*(col(Product.search_text).like(like_pattern(w), escape="\\") for w in words))


def parse_code(value: Any, *, field: str = "code") -> str:
    """A product code: letters, digits and . _ / -, starting with a letter or digit; kept as typed."""
    code = clean_line(value, field=field, max_chars=TEXT_LIMITS["code"])
    if not code:
        raise ValidationFailed({field: "error.required"})
    if not _CODE.fullmatch(code):
        raise ValidationFailed({field: "error.catalog_code"})
    return code


def parse_number(value: Any) -> int:
    """A quote or order number from a URL; anything else is a number that does not exist."""
    number = canonical_int(value)
    if number is None or not 0 < number <= 2**62:
        raise NotFound()
    return number


def today_of(today: date | None) -> date:
    return today or local_today()


def csv_of(header: Sequence[str], page: Callable[[int], tuple[list[Any], int]], cells: Callable[[Any], list], *,
           language: str) -> str:
    """Every row of a paged list as CSV text in the reader's spreadsheet dialect (`spreadsheet.Sheet`):
    `page(offset)` gives (rows, total), `cells(row)` a line."""
    sheet = Sheet(language)
    sheet.row(header)
    offset, total = 0, None
    while total is None or offset < total:
        rows, total = page(offset)
        if not rows:
            break
        sheet.rows(cells(row) for row in rows)
        offset += len(rows)
    return sheet.text()
