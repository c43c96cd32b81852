"""Staff's CSV imports: products (created or updated by code) and a price book's prices.

All or nothing: every row is read and checked first, and the report lists each bad row with its
column and message; if any row is bad nothing is written. Otherwise everything is written in one
transaction. Files are UTF-8 (with or without the BOM Excel adds) or Windows-1252, separated by
",", ";" or tabs, with a header row whose names match case-insensitively ("List price",
"list_price" and "VAT %" all work). Amounts take a decimal comma or point ("1 240,50").
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ...models import PriceBook, PriceBookEntry, Product, ProductCategory, ProductText, utcnow
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..money import parse_cents
from ..portal.config import text_languages, translated_field
from ..translations import parse_translations
from ..validation import clean_line, parse_id
from .admin import PRODUCT_DEFAULTS, read_product
from .cart import carts_follow
from .catalog_rules import (
    CSV_MAX_BYTES, CSV_MAX_ROWS, MAX_PRICE_CENTS, NO, PRICE_CSV_COLUMNS, PRODUCT_CSV_COLUMNS, PRODUCT_CSV_REQUIRED,
    TEXT_LIMITS, YES,
)
from .inputs import parse_code
from .product_texts import PRODUCT_TEXTS, search_text, translated_names

HEADER_ALIASES = {"vat": "vat_rate", "vat_%": "vat_rate", "vat_rate_%": "vat_rate", "price_cents": "price",
                  "list_price_(without_vat)": "list_price", "product_code": "code", "product": "code"}


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file (the header is line 1)
    column: str  # "" for the whole file or row
    key: str  # message key
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportReport:
    ok: bool  # False: nothing was imported
    rows: int  # data rows read
    created: int
    updated: int
    errors: list[RowError]


def _text(data: Any) -> str:
    if isinstance(data, str):
        raw = data.encode("utf-8", "surrogatepass") if len(data) <= CSV_MAX_BYTES else b"x" * (CSV_MAX_BYTES + 1)
    elif isinstance(data, bytes | bytearray):
        raw = bytes(data)
    else:
        raise ValidationFailed({"file": "error.catalog_csv_unreadable"})
    if len(raw) > CSV_MAX_BYTES:
        raise ValidationFailed({"file": ("error.catalog_csv_too_large", {"max": CSV_MAX_BYTES // 2**20})})
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ValidationFailed({"file": "error.catalog_csv_unreadable"})


def _header_name(cell: str) -> str:
    name = re.sub(r"[\s\-]+", "_", cell.strip().lower())
    return HEADER_ALIASES.get(name, name)


def read_rows(data: Any, known: tuple[str, ...], required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, dict]]]:
    """The file's columns (known names) and its rows as {column: text} with their line numbers;
    ValidationFailed({"file": ...}) for a file that is not such a table."""
    text = _text(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_header_name(c) for c in next(reader)]
    except (StopIteration, csv.Error):
        raise ValidationFailed({"file": "error.catalog_csv_empty"}) from None
    unknown = [c for c in header if c not in known]
    if unknown:
        raise ValidationFailed({"file": ("error.catalog_csv_unknown_column", {"column": unknown[0]})})
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationFailed({"file": ("error.catalog_csv_missing_column", {"column": missing[0]})})
    if len(set(header)) != len(header):
        raise ValidationFailed({"file": "error.catalog_csv_repeated_column"})
    rows: list[tuple[int, dict]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= CSV_MAX_ROWS:
                raise ValidationFailed({"file": ("error.catalog_csv_too_many_rows", {"max": CSV_MAX_ROWS})})
            line = reader.line_num
            rows.append((line, {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header)}
                         | ({"": "extra"} if len(cells) > len(header) and any(c.strip() for c in cells[len(header):])
                            else {})))
    except csv.Error:
        raise ValidationFailed({"file": "error.catalog_csv_unreadable"}) from None
    if not rows:
        raise ValidationFailed({"file": "error.catalog_csv_empty"})
    return header, rows


DECIMAL_COLUMNS = ("list_price", "vat_rate", "price")  # amounts and rates: decimals ("12,50", "25.5")


def _said_for_column(column: str, key: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The money parser's messages said as what the column takes: a price or a rate is a number with
    decimals (not "a whole number"); a VAT rate's range is named by the parser itself."""
    if key == "error.number" and column in DECIMAL_COLUMNS:
        return "admin.invoices.error_number", {}  # "Enter a number, like 2, 1.5 or 1240.50."
    return key, params


def _errors_of(line: int, exc: ValidationFailed) -> list[RowError]:
    return [RowError(line, name, *_said_for_column(name, key, params)) for name, (key, params) in exc.fields.items()]


def _file_error(exc: ValidationFailed) -> ImportReport:
    # the whole file's problem: its Column cell names the column concerned (missing, unknown), else none
    errors = [RowError(1, str(params.get("column", "")), key, params) for key, params in exc.fields.values()]
    return ImportReport(ok=False, rows=0, created=0, updated=0, errors=errors)


def _flag(value: str | None, column: str) -> bool:
    text = (value or "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationFailed({column: "error.invalid"})


# --- products ----------------------------------------------------------------------------------------

def text_columns() -> tuple[str, ...]:
    """The columns of the name, description and unit in the other languages: name_fi, description_fi,
    unit_fi, ..."""
    return tuple(translated_field(t.name, lang) for lang in text_languages() for t in PRODUCT_TEXTS)


def _row_texts(cells: dict, errors: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The row's filled cells of the other languages ({"fi": {"name": ...}}), read as the product
    form reads them; an empty cell leaves that text as it is."""
    filled = {c: v for c in text_columns() if (v := cells.get(c)) is not None and v.strip()}
    return parse_translations(filled, PRODUCT_TEXTS, errors) if filled else {}


def _product_row(cells: dict, categories: dict[str, int | str], existing: dict[str, int],
                 seen: dict[str, int], line: int, named: set[tuple[int, str]]) -> tuple[int | None, dict[str, Any],
                                                                                     bool | None, dict[str, dict]]:
    """A CSV row as (the product's id or None for a new one, its column values, archived or None,
    its texts in the other languages): read like the product form (`admin.read_product`), a
    category by name, flags as text; `named`: (product id, language) of the names stored. Every
    error of the row at once."""
    errors: dict[str, Any] = {"": "error.catalog_csv_extra_cells"} if "" in cells else {}
    form: dict[str, Any] = {}
    flags: dict[str, bool] = {}
    for column in PRODUCT_CSV_COLUMNS:
        value = cells.get(column)
        if value is None or not value.strip():
            continue  # an empty cell: the default for a new product, unchanged for an existing one
        try:
            if column == "category":
                name = clean_line(value, field="category", max_chars=TEXT_LIMITS["category"])
                form["category"] = categories.setdefault(name.lower(), name)  # an id, or a name to make
            elif column in ("orderable", "archived", "whole_units"):
                flags[column] = _flag(value, column)
            else:
                form[column] = value
        except ValidationFailed as exc:
            errors.update(exc.fields)
    product_id = None
    try:
        code = parse_code(form.get("code"), field="code")
        if code.lower() in seen:
            errors["code"] = ("error.catalog_csv_duplicate", {"code": code, "row": seen[code.lower()]})
        seen.setdefault(code.lower(), line)
        product_id = existing.get(code.lower())
    except ValidationFailed as exc:
        errors.update(exc.fields)
    category = form.pop("category", None)
    form |= {flag: flags[flag] for flag in ("orderable", "whole_units") if flag in flags}
    values: dict[str, Any] = {}
    try:
        values = read_product(form if product_id else {**PRODUCT_DEFAULTS, **form}, partial=product_id is not None)
    except ValidationFailed as exc:
        errors.update({k: v for k, v in exc.fields.items() if k not in errors})
    texts = _row_texts(cells, errors)
    for lang, own in texts.items():  # a description or unit in a language where the product has no name
        if "name" not in own and (product_id, lang) not in named:
            errors.setdefault(translated_field("name", lang), "error.catalog_translation_name")
    if errors:
        raise ValidationFailed(errors)
    if category is not None:
        values["category_id"] = category
    if product_id is not None:
        values.pop("code", None)  # the code finds the product; its spelling stays
    return product_id, values, flags.get("archived"), texts


def import_products(*, session: Session, actor: Actor, data: Any, now: datetime | None = None) -> ImportReport:
    """Create or update products from a CSV file (columns `PRODUCT_CSV_COLUMNS` and the name,
    description and unit in the other languages, `text_columns()`; code and name required; a new
    product needs its list price). An existing code (case ignored) is updated in the cells the file fills
    (an empty cell leaves the value as it is; a new product takes the defaults); a category named
    that does not exist yet is made. All or nothing."""
    actor.require_staff()
    try:
        header, rows = read_rows(data, PRODUCT_CSV_COLUMNS + text_columns(), PRODUCT_CSV_REQUIRED)
    except ValidationFailed as exc:
        return _file_error(exc)
    existing = {code.lower(): pid for pid, code in session.exec(select(Product.id, Product.code)).all()}
    categories: dict[str, int | str] = {name.lower(): cid for cid, name in
                                        session.exec(select(ProductCategory.id, ProductCategory.name)).all()}
    named = set(session.exec(select(ProductText.product_id, ProductText.lang)).all()) \
        if any(c in header for c in text_columns()) else set()
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    planned: list[tuple[int | None, dict[str, Any], bool | None, dict[str, dict]]] = []
    for line, cells in rows:
        try:
            planned.append(_product_row(cells, categories, existing, seen, line, named))
        except ValidationFailed as exc:
            errors.extend(_errors_of(line, exc))
    if errors:
        return ImportReport(ok=False, rows=len(rows), created=0, updated=0, errors=errors)
    now = now or utcnow()
    created = updated = 0
    try:
        made = {key: ProductCategory(name=name) for key, name in categories.items() if isinstance(name, str)}
        session.add_all(made.values())
        session.flush()
        ids = {key: (made[key].id if key in made else value) for key, value in categories.items()}
        other_names = translated_names(session)
        for product_id, values, archived, texts in planned:
            if isinstance(values.get("category_id"), str):
                values["category_id"] = ids[values["category_id"].lower()]
            product = session.get(Product, product_id) if product_id else Product(created_at=now, **values)
            for key, value in values.items():
                setattr(product, key, value)
            if archived is not None:
                product.archived = archived
            names = other_names.get(product_id or 0, [])
            if texts:
                session.add(product)
                session.flush()  # a new product's id, for its texts
                names = _store_texts(session, product.id, texts)  # type: ignore[arg-type]
            product.search_text = search_text(product.code, product.name, names)
            product.updated_at = now
            session.add(product)
            created, updated = created + (product_id is None), updated + (product_id is not None)
        session.commit()
        carts_follow(session, [product_id for product_id, *_ in planned if product_id])
    except IntegrityError:
        session.rollback()
        return ImportReport(ok=False, rows=len(rows), created=0, updated=0,
                            errors=[RowError(row=1, column="", key="error.catalog_csv_conflict")])
    except Exception:
        session.rollback()
        raise
    return ImportReport(ok=True, rows=len(rows), created=created, updated=updated, errors=[])


def _store_texts(session: Session, product_id: int, texts: dict[str, dict[str, str]]) -> list[str]:
    """Write a row's texts in the other languages over the stored ones (in the import's
    transaction); the product's names in every other language after it."""
    for lang, own in texts.items():
        row = session.get(ProductText, (product_id, lang)) or ProductText(product_id=product_id, lang=lang, name="")
        row.name = own.get("name", row.name)
        row.description = own.get("description", row.description)
        row.unit = own.get("unit", row.unit)
        session.add(row)
    session.flush()
    return list(session.exec(select(ProductText.name).where(ProductText.product_id == product_id)).all())


# --- a price book's prices ---------------------------------------------------------------------------

def import_price_entries(*, session: Session, actor: Actor, book_id: Any, data: Any) -> ImportReport:
    """Set a price book's prices from a CSV file (columns code, price; in the book's currency,
    without VAT): a product already in the book gets the new price, others are added; products
    the file does not name keep theirs. Unknown codes are errors. All or nothing."""
    actor.require_staff()
    book = session.get(PriceBook, parse_id(book_id, field="price_book"))
    if book is None:
        raise NotFound()
    try:
        _header, rows = read_rows(data, PRICE_CSV_COLUMNS, PRICE_CSV_COLUMNS)
    except ValidationFailed as exc:
        return _file_error(exc)
    codes = {code.lower(): pid for pid, code in session.exec(select(Product.id, Product.code)).all()}
    current = dict(session.exec(select(PriceBookEntry.product_id, PriceBookEntry.id)
                                .where(PriceBookEntry.price_book_id == book.id)).all())
    errors: list[RowError] = []
    seen: dict[int, int] = {}
    planned: dict[int, int] = {}
    for line, cells in rows:
        try:
            if "" in cells:
                raise ValidationFailed({"": "error.catalog_csv_extra_cells"})
            code = parse_code(cells.get("code"), field="code")
            product_id = codes.get(code.lower())
            if product_id is None:
                raise ValidationFailed({"code": ("error.catalog_csv_unknown_product", {"code": code})})
            if product_id in seen:
                raise ValidationFailed({"code": ("error.catalog_csv_duplicate", {"code": code,
                                                                                  "row": seen[product_id]})})
            seen[product_id] = line
            planned[product_id] = parse_cents(cells.get("price"), field="price", maximum=MAX_PRICE_CENTS)
        except ValidationFailed as exc:
            errors.extend(_errors_of(line, exc))
    if errors:
        return ImportReport(ok=False, rows=len(rows), created=0, updated=0, errors=errors)
    try:
        existing = {e.product_id: e for e in session.exec(select(PriceBookEntry).where(
            PriceBookEntry.price_book_id == book.id, col(PriceBookEntry.product_id).in_(list(planned)))).all()}
        for product_id, cents in planned.items():
            entry = existing.get(product_id) or PriceBookEntry(price_book_id=book.id, product_id=product_id,  # type: ignore[arg-type]
                                                               price_cents=cents)
            entry.price_cents = cents
            session.add(entry)
        session.commit()
    except IntegrityError:
        session.rollback()
        return ImportReport(ok=False, rows=len(rows), created=0, updated=0,
                            errors=[RowError(row=1, column="", key="error.catalog_csv_conflict")])
    updated = sum(1 for pid in planned if pid in current)
    return ImportReport(ok=True, rows=len(rows), created=len(planned) - updated, updated=updated, errors=[])
