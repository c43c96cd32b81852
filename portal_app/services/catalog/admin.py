"""Staff's catalog work: products (create, edit, archive, picture), categories, price books and
their entries, and which companies a price book is assigned to (the table, and as CSV).

Every function here is staff only (PermissionDenied otherwise). A product is never deleted once it
may be on a quote or order: it is archived (hidden from customers, kept on old documents).
Pictures are stored in the data folder (`<data>/product-images`, random names), never in Reflex's
public upload folder, and served by `products.product_image` to those who may see the product.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from ...models import (
    Company, CompanyPriceBook, PriceBook, PriceBookEntry, Product, ProductCategory, ProductPublic, utcnow,
)
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..money import CURRENCIES, parse_cents, parse_vat_rate
from ..translations import parse_translations, sent
from ..validation import clean_line, clean_text, like_pattern, parse_date, parse_id, parse_page
from . import prices, product_texts
from .cart import carts_follow
from .catalog_rules import IMAGE_MAX_BYTES, IMAGE_TYPES, MAX_PRICE_CENTS, PAGE_LIMIT, TEXT_LIMITS
from ..spreadsheet import safe_cell
from .inputs import csv_of, parse_code, search_clause, today_of
from .products import checked_picture, images_dir
from ..folding import folded

# --- products --------------------------------------------------------------------------------------


def _bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ValidationFailed({field: "error.invalid"})


def _currency(value: Any, field: str = "currency") -> str:
    text = value.strip().upper() if isinstance(value, str) else value
    if text not in CURRENCIES:
        raise ValidationFailed({field: "error.invalid"})
    return text


def _category(value: Any) -> int | None:
    return None if value in (None, "") else parse_id(value, field="category_id")


PRODUCT_FIELDS: dict[str, Any] = {
    "code": lambda v: parse_code(v, field="code"),
    "name": lambda v: clean_line(v, field="name", max_chars=TEXT_LIMITS["name"]),
    "description": lambda v: clean_text(v, field="description", max_chars=TEXT_LIMITS["description"]),
    "unit": lambda v: clean_line(v, field="unit", max_chars=TEXT_LIMITS["unit"]),
    "category_id": _category,
    "list_price": lambda v: parse_cents(v, field="list_price", maximum=MAX_PRICE_CENTS),
    "currency": _currency,
    "vat_rate": lambda v: parse_vat_rate(v, field="vat_rate"),
    "orderable": lambda v: _bool(v, "orderable"),
    "whole_units": lambda v: _bool(v, "whole_units"),
}
PRODUCT_DEFAULTS = {"description": "", "unit": "", "category_id": None, "currency": "EUR", "vat_rate": "25.5",
                    "orderable": True, "whole_units": True}
_COLUMN_OF = {"list_price": "list_price_cents", "vat_rate": "vat_rate_bp"}


def read_product(data: Any, *, partial: bool) -> dict[str, Any]:
    """A product form as column values, every error at once; `partial`: only the fields present
    (an edit), else every field, with defaults for the optional ones (a new product)."""
    values, _ = _read_form(data, partial=partial, with_texts=False)
    return values


def _read_form(data: Any, *, partial: bool, with_texts: bool) -> tuple[dict[str, Any], dict[str, dict] | None]:
    """`read_product`, and with `with_texts` the texts in the other languages
    (`product_texts.read_texts`; None: the form has none), their errors with the others'."""
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    if not partial:
        data = {**PRODUCT_DEFAULTS, **data}
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for key, read in PRODUCT_FIELDS.items():
        if partial and key not in data:
            continue
        try:
            values[_COLUMN_OF.get(key, key)] = read(data.get(key))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if values.get("name") == "":
        errors["name"] = "error.required"
    texts = product_texts.read_texts(data, errors) if with_texts else None
    if errors:
        raise ValidationFailed(errors)
    return values, texts


def _check_product(session: Session, values: dict[str, Any], own_id: int | None) -> None:
    if "code" in values:
        other = session.exec(select(Product.id).where(func.lower(Product.code) == values["code"].lower())).first()
        if other is not None and other != own_id:
            raise ValidationFailed({"code": "error.catalog_code_taken"})
    if values.get("category_id") is not None and session.get(ProductCategory, values["category_id"]) is None:
        raise ValidationFailed({"category_id": "error.invalid"})


def _product(session: Session, product_id: Any) -> Product:
    product = session.get(Product, parse_id(product_id, field="product"))
    if product is None:
        raise NotFound()
    return product


def create_product(*, session: Session, actor: Actor, data: Any, now: datetime | None = None) -> ProductPublic:
    """A new product: code (unique, letters, digits and . _ / -) and name required; description, unit,
    category, list price (without VAT), currency, VAT %, orderable (False: quote only); the name,
    description and unit in the other languages (`name_fi`, `description_fi`, `unit_fi`, ...)."""
    actor.require_staff()
    values, texts = _read_form(data, partial=False, with_texts=True)
    _check_product(session, values, None)
    now = now or utcnow()
    product = Product(**values, created_at=now, updated_at=now)
    session.add(product)
    session.flush()
    product_texts.store_texts(session, product, texts or {})
    session.commit()
    session.refresh(product)
    return ProductPublic.model_validate(product)


def update_product(*, session: Session, actor: Actor, product_id: Any, data: Any,
                   now: datetime | None = None) -> ProductPublic:
    """Change the fields given (the texts in the other languages when the form has them: those it
    leaves empty are removed). Quotes and orders keep the code, name and price they were made with."""
    actor.require_staff()
    values, texts = _read_form(data, partial=True, with_texts=True)
    product = _product(session, product_id)
    _check_product(session, values, product.id)
    for key, value in values.items():
        setattr(product, key, value)
    product_texts.store_texts(session, product, texts)
    product.updated_at = now or utcnow()
    session.add(product)
    session.commit()
    carts_follow(session, [product.id])  # type: ignore[list-item]
    session.refresh(product)
    return ProductPublic.model_validate(product)


def set_product_archived(*, session: Session, actor: Actor, product_id: Any, archived: Any) -> ProductPublic:
    """Archive a product (customers no longer see it; a cart holding it says so at its line, and is
    not sent until it is removed) or bring it back."""
    actor.require_staff()
    flag = _bool(archived, "archived")
    product = _product(session, product_id)
    product.archived, product.updated_at = flag, utcnow()
    session.add(product)
    session.commit()
    carts_follow(session, [product.id])  # type: ignore[list-item]
    session.refresh(product)
    return ProductPublic.model_validate(product)


def set_product_image(*, session: Session, actor: Actor, product_id: Any, data: Any) -> ProductPublic:
    """The product's picture: PNG, JPEG, WebP or GIF (by its bytes, not its name), at most
    `IMAGE_MAX_BYTES`; stored under a random name in the data folder, the old one removed."""
    actor.require_staff()
    content_type = checked_picture(data, field="image", max_bytes=IMAGE_MAX_BYTES)
    product = _product(session, product_id)
    name = f"{secrets.token_hex(16)}.{IMAGE_TYPES[content_type]}"
    folder = images_dir()
    part = folder / (name + ".part")
    part.write_bytes(bytes(data))
    os.replace(part, folder / name)
    old = product.image_name
    product.image_name, product.image_type, product.updated_at = name, content_type, utcnow()
    session.add(product)
    try:
        session.commit()
    except Exception:
        session.rollback()
        (folder / name).unlink(missing_ok=True)
        raise
    if old:
        (folder / old).unlink(missing_ok=True)
    session.refresh(product)
    return ProductPublic.model_validate(product)


def remove_product_image(*, session: Session, actor: Actor, product_id: Any) -> None:
    actor.require_staff()
    product = _product(session, product_id)
    old = product.image_name
    product.image_name, product.image_type = "", ""
    session.add(product)
    session.commit()
    if old:
        (images_dir() / old).unlink(missing_ok=True)


# --- categories ------------------------------------------------------------------------------------

def _category_name(session: Session, name: Any, own_id: int | None) -> str:
    text = clean_line(name, field="name", max_chars=TEXT_LIMITS["category"])
    if not text:
        raise ValidationFailed({"name": "error.required"})
    other = session.exec(select(ProductCategory.id).where(func.lower(ProductCategory.name) == text.lower())).first()
    if other is not None and other != own_id:
        raise ValidationFailed({"name": "error.name_taken"})
    return text


def _position(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -10**6 <= value <= 10**6:
        raise ValidationFailed({"position": "error.number"})
    return value


def _category_texts(texts: Any, errors: dict[str, Any]) -> dict[str, dict[str, str]] | None:
    """The category's name in the other languages from the form's fields (`name_fi`); None: none sent."""
    if texts is None:
        return None
    if not isinstance(texts, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    return parse_translations(texts, product_texts.CATEGORY_TEXTS, errors) \
        if sent(texts, product_texts.CATEGORY_TEXTS) else None


def _category_values(session: Session, name: Any, texts: Any, own_id: int | None) -> tuple[str | None, Any]:
    errors: dict[str, Any] = {}
    text = None
    if name is not None or own_id is None:
        try:
            text = _category_name(session, name, own_id)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    translations = _category_texts(texts, errors)
    if errors:
        raise ValidationFailed(errors)
    return text, translations


def create_category(*, session: Session, actor: Actor, name: Any, position: Any = 0,
                    texts: Any = None) -> ProductCategory:
    """A new category; `texts`: its name in the other languages, as the form's fields (`name_fi`)."""
    actor.require_staff()
    text, translations = _category_values(session, name, texts, None)
    category = ProductCategory(name=text, position=_position(position), translations=translations or {})
    session.add(category)
    session.commit()
    session.refresh(category)
    return category


def update_category(*, session: Session, actor: Actor, category_id: Any, name: Any = None,
                    position: Any = None, texts: Any = None) -> ProductCategory:
    """Rename a category (in the other languages too: `texts`, the form's fields; an empty one is
    removed) or move it in the menu (None: unchanged)."""
    actor.require_staff()
    category = session.get(ProductCategory, parse_id(category_id, field="category"))
    if category is None:
        raise NotFound()
    text, translations = _category_values(session, name, texts, category.id)
    if text is not None:
        category.name = text
    if translations is not None:
        category.translations = translations
    if position is not None:
        category.position = _position(position)
    session.add(category)
    session.commit()
    session.refresh(category)
    return category


def delete_category(*, session: Session, actor: Actor, category_id: Any) -> None:
    """Remove an empty category (one with products, archived ones too, is refused)."""
    actor.require_staff()
    category = session.get(ProductCategory, parse_id(category_id, field="category"))
    if category is None:
        raise NotFound()
    used = session.exec(select(func.count()).select_from(Product).where(Product.category_id == category.id)).one()
    if used:
        raise ValidationFailed({"category": ("error.catalog_category_in_use", {"count": used})})
    session.delete(category)
    session.commit()


# --- price books -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PriceBookRow:
    id: int
    name: str
    currency: str
    valid_from: date | None
    valid_to: date | None
    active: bool
    valid_today: bool  # active and within its dates today
    entries: int
    companies: int


@dataclass(frozen=True)
class PriceBookPage:
    rows: list[PriceBookRow]
    total: int


@dataclass(frozen=True)
class EntryRow:
    product_id: int
    code: str
    name: str
    list_price_cents: int
    list_currency: str
    price_cents: int  # in the book's currency


@dataclass(frozen=True)
class EntryPage:
    rows: list[EntryRow]
    total: int
    currency: str  # the book's


def _book_rows(session: Session, books: list[PriceBook], today: date) -> list[PriceBookRow]:
    ids = [b.id for b in books]
    entries = dict(session.exec(select(PriceBookEntry.price_book_id, func.count()).where(
        col(PriceBookEntry.price_book_id).in_(ids)).group_by(PriceBookEntry.price_book_id)).all()) if ids else {}
    companies = dict(session.exec(select(CompanyPriceBook.price_book_id, func.count()).where(
        col(CompanyPriceBook.price_book_id).in_(ids)).group_by(CompanyPriceBook.price_book_id)).all()) if ids else {}
    return [PriceBookRow(id=b.id, name=b.name, currency=b.currency, valid_from=b.valid_from,  # type: ignore[arg-type]
                         valid_to=b.valid_to, active=b.active,
                         valid_today=b.active and (b.valid_from is None or b.valid_from <= today)
                         and (b.valid_to is None or b.valid_to >= today),
                         entries=entries.get(b.id, 0), companies=companies.get(b.id, 0)) for b in books]


def list_price_books(*, session: Session, actor: Actor, search: Any = "", offset: Any = 0, limit: Any = 25,
                     today: date | None = None) -> PriceBookPage:
    """Every price book by name, searched by name, with its entries and companies counted."""
    actor.require_staff()
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    stmt = select(PriceBook)
    text = clean_line(search, field="search", max_chars=100) if search not in (None, "") else ""
    if text:
        stmt = stmt.where(folded(PriceBook.name).like(like_pattern(text), escape="\\"))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    books = list(session.exec(stmt.order_by(func.lower(col(PriceBook.name)), col(PriceBook.id)).offset(offset)
                              .limit(limit)).all())
    return PriceBookPage(rows=_book_rows(session, books, today_of(today)), total=total)


def _book(session: Session, book_id: Any) -> PriceBook:
    book = session.get(PriceBook, parse_id(book_id, field="price_book"))
    if book is None:
        raise NotFound()
    return book


def get_price_book(*, session: Session, actor: Actor, book_id: Any, today: date | None = None) -> PriceBookRow:
    actor.require_staff()
    return _book_rows(session, [_book(session, book_id)], today_of(today))[0]


def _read_book(session: Session, data: Any, own: PriceBook | None) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    readers = {"name": lambda v: clean_line(v, field="name", max_chars=TEXT_LIMITS["price_book"]),
               "currency": _currency,
               "valid_from": lambda v: parse_date(v, field="valid_from"),
               "valid_to": lambda v: parse_date(v, field="valid_to"),
               "active": lambda v: _bool(v, "active")}
    for key, read in readers.items():
        if own is not None and key not in data:
            continue
        try:
            values[key] = read(data.get(key, {"currency": "EUR", "active": True}.get(key)))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if values.get("name") == "":
        errors["name"] = "error.required"
    elif "name" in values:
        other = session.exec(select(PriceBook.id).where(func.lower(PriceBook.name) == values["name"].lower())).first()
        if other is not None and (own is None or other != own.id):
            errors["name"] = "error.name_taken"
    start = values.get("valid_from", own.valid_from if own else None)
    end = values.get("valid_to", own.valid_to if own else None)
    if start and end and end < start and "valid_to" not in errors:
        errors["valid_to"] = "error.catalog_dates_order"
    if own is not None and "currency" in values and values["currency"] != own.currency:
        has_entries = session.exec(select(PriceBookEntry.id).where(PriceBookEntry.price_book_id == own.id)).first()
        if has_entries is not None:
            errors["currency"] = "error.catalog_currency_locked"
    if errors:
        raise ValidationFailed(errors)
    return values


def create_price_book(*, session: Session, actor: Actor, data: Any, today: date | None = None) -> PriceBookRow:
    """A price book: name (unique), currency, valid from / to (inclusive; empty: open), active."""
    actor.require_staff()
    book = PriceBook(**_read_book(session, data, None))
    session.add(book)
    session.commit()
    session.refresh(book)
    return _book_rows(session, [book], today_of(today))[0]


def update_price_book(*, session: Session, actor: Actor, book_id: Any, data: Any,
                      today: date | None = None) -> PriceBookRow:
    """Change the fields given; the currency only while the book has no prices."""
    actor.require_staff()
    book = _book(session, book_id)
    for key, value in _read_book(session, data, book).items():
        setattr(book, key, value)
    book.updated_at = utcnow()
    session.add(book)
    session.commit()
    session.refresh(book)
    return _book_rows(session, [book], today_of(today))[0]


def delete_price_book(*, session: Session, actor: Actor, book_id: Any) -> None:
    """Remove a book with its prices and assignments (companies fall back to their other books or
    list prices); quotes and orders keep their prices."""
    actor.require_staff()
    book = _book(session, book_id)
    session.execute(delete(PriceBookEntry).where(col(PriceBookEntry.price_book_id) == book.id))
    session.execute(delete(CompanyPriceBook).where(col(CompanyPriceBook.price_book_id) == book.id))
    session.delete(book)
    session.commit()


def list_entries(*, session: Session, actor: Actor, book_id: Any, search: Any = "", offset: Any = 0,
                 limit: Any = 25) -> EntryPage:
    """The book's prices, by product code, searched by code and name."""
    actor.require_staff()
    book = _book(session, book_id)
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    stmt = select(PriceBookEntry, Product).join(Product, col(Product.id) == PriceBookEntry.product_id).where(
        PriceBookEntry.price_book_id == book.id)
    if (words := search_clause(search)) is not None:
        stmt = stmt.where(words)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(Product.code)).offset(offset).limit(limit)).all()
    return EntryPage(rows=[_entry_row(e, p) for e, p in rows], total=total, currency=book.currency)


def _entry_row(entry: PriceBookEntry, product: Product) -> EntryRow:
    return EntryRow(product_id=product.id, code=product.code, name=product.name,  # type: ignore[arg-type]
                    list_price_cents=product.list_price_cents, list_currency=product.currency,
                    price_cents=entry.price_cents)


def set_entry(*, session: Session, actor: Actor, book_id: Any, product_id: Any, price: Any) -> EntryRow:
    """The product's price in the book (in the book's currency, without VAT): added or changed."""
    actor.require_staff()
    cents = parse_cents(price, field="price", maximum=MAX_PRICE_CENTS)
    book = _book(session, book_id)
    product = _product(session, product_id)
    entry = session.exec(select(PriceBookEntry).where(PriceBookEntry.price_book_id == book.id,
                                                      PriceBookEntry.product_id == product.id)).first()
    entry = entry or PriceBookEntry(price_book_id=book.id, product_id=product.id, price_cents=cents)  # type: ignore[arg-type]
    entry.price_cents = cents
    session.add(entry)
    session.commit()
    session.refresh(entry)
    return _entry_row(entry, product)


def remove_entry(*, session: Session, actor: Actor, book_id: Any, product_id: Any) -> None:
    """Take the product out of the book: its companies then see "price on request"."""
    actor.require_staff()
    book = _book(session, book_id)
    session.execute(delete(PriceBookEntry).where(col(PriceBookEntry.price_book_id) == book.id,
                                                 col(PriceBookEntry.product_id) == parse_id(product_id,
                                                                                             field="product")))
    session.commit()


# --- assignments -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AssignmentRow:
    company_id: int
    company_name: str
    book_id: int
    book_name: str
    currency: str
    valid_from: date | None
    valid_to: date | None
    active: bool
    in_effect: bool  # this book sets the company's prices today


@dataclass(frozen=True)
class AssignmentPage:
    rows: list[AssignmentRow]
    total: int


def _company(session: Session, company_id: Any) -> Company:
    company = session.get(Company, parse_id(company_id, field="company"))
    if company is None:
        raise NotFound()
    return company


def assign_price_book(*, session: Session, actor: Actor, company_id: Any, book_id: Any) -> None:
    """Give a company a price book (assigning it twice changes nothing). Of a company's books the
    one valid on a day and starting latest sets its prices (`prices.company_book`)."""
    actor.require_staff()
    company, book = _company(session, company_id), _book(session, book_id)
    if session.exec(select(CompanyPriceBook.id).where(CompanyPriceBook.company_id == company.id,
                                                      CompanyPriceBook.price_book_id == book.id)).first() is None:
        session.add(CompanyPriceBook(company_id=company.id, price_book_id=book.id))  # type: ignore[arg-type]
        session.commit()


def unassign_price_book(*, session: Session, actor: Actor, company_id: Any, book_id: Any) -> None:
    actor.require_staff()
    company, book = _company(session, company_id), _book(session, book_id)
    session.execute(delete(CompanyPriceBook).where(col(CompanyPriceBook.company_id) == company.id,
                                                   col(CompanyPriceBook.price_book_id) == book.id))
    session.commit()


def list_assignments(*, session: Session, actor: Actor, company_id: Any = None, book_id: Any = None,
                     search: Any = "", offset: Any = 0, limit: Any = 25, today: date | None = None) -> AssignmentPage:
    """The companies' price books: one row per company and book, by company name, with the book's
    dates and whether it sets the company's prices today. Narrowed to a company or a book, or
    searched by company or book name."""
    actor.require_staff()
    day = today_of(today)
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    stmt = (select(CompanyPriceBook.company_id, Company.name, PriceBook)
            .join(Company, col(Company.id) == CompanyPriceBook.company_id)
            .join(PriceBook, col(PriceBook.id) == CompanyPriceBook.price_book_id))
    if company_id not in (None, ""):
        stmt = stmt.where(CompanyPriceBook.company_id == parse_id(company_id, field="company"))
    if book_id not in (None, ""):
        stmt = stmt.where(CompanyPriceBook.price_book_id == parse_id(book_id, field="price_book"))
    text = clean_line(search, field="search", max_chars=100) if search not in (None, "") else ""
    if text:
        pattern = like_pattern(text)
        stmt = stmt.where(or_(folded(Company.name).like(pattern, escape="\\"),
                              folded(PriceBook.name).like(pattern, escape="\\")))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(func.lower(col(Company.name)), col(Company.id), func.lower(col(PriceBook.name)))
                        .offset(offset).limit(limit)).all()
    effective = {cid: prices.company_book(session, cid, day) for cid in {r[0] for r in rows}}
    return AssignmentPage(rows=[AssignmentRow(
        company_id=cid, company_name=name, book_id=b.id, book_name=b.name, currency=b.currency,  # type: ignore[arg-type]
        valid_from=b.valid_from, valid_to=b.valid_to, active=b.active,
        in_effect=effective[cid] is not None and effective[cid].id == b.id) for cid, name, b in rows], total=total)


ASSIGNMENT_CSV_COLUMNS = ("Company", "Price book", "Currency", "Valid from", "Valid to", "Active", "In effect")


def assignments_csv(*, session: Session, actor: Actor, company_id: Any = None, book_id: Any = None,
                    search: Any = "", today: date | None = None) -> tuple[str, str]:
    """The assignments table (same filter) as CSV: (file name, text)."""
    actor.require_staff()
    day = today_of(today)

    def page(offset: int) -> tuple[list[AssignmentRow], int]:
        found = list_assignments(session=session, actor=actor, company_id=company_id, book_id=book_id, search=search,
                                 offset=offset, limit=PAGE_LIMIT, today=day)
        return found.rows, found.total

    text = csv_of(ASSIGNMENT_CSV_COLUMNS, page, lambda r: [
        safe_cell(r.company_name), safe_cell(r.book_name), r.currency, r.valid_from.isoformat() if r.valid_from else "",
        r.valid_to.isoformat() if r.valid_to else "", "yes" if r.active else "no", "yes" if r.in_effect else ""],
        language=actor.language)
    return f"price-book-assignments-{day.isoformat()}.csv", text



# --- staff's forms by product code ---------------------------------------------------------------

class ProductEditable(ProductPublic):
    """Staff's product form: the product and its texts in the other languages."""

    translations: dict[str, dict[str, str]]


def get_product(*, session: Session, actor: Actor, product_id: Any) -> ProductEditable:
    """Staff's product form by the product's id (its code may have been changed meanwhile)."""
    actor.require_staff()
    product = _product(session, product_id)
    return ProductEditable(**ProductPublic.model_validate(product).model_dump(),
                           translations=product_texts.product_translations(session, product.id))  # type: ignore[arg-type]


def get_product_by_code(*, session: Session, actor: Actor, code: Any) -> ProductEditable:
    """Staff's product form: every field of the product of that code, archived ones too, and its
    texts in the other languages (NotFound for an unknown code or another spelling of one)."""
    actor.require_staff()
    from .products import load_product

    product = load_product(session, actor, code)
    return ProductEditable(**ProductPublic.model_validate(product).model_dump(),
                           translations=product_texts.product_translations(session, product.id))  # type: ignore[arg-type]


def set_entry_by_code(*, session: Session, actor: Actor, book_id: Any, code: Any, price: Any) -> EntryRow:
    """`set_entry` for the product of that code (case ignored, as in the CSV import); an unknown code
    and a bad price are said next to their fields, both at once."""
    actor.require_staff()
    errors: dict[str, Any] = {}
    product_id = None
    try:
        wanted = parse_code(code)
        product_id = session.exec(select(Product.id).where(func.lower(Product.code) == wanted.lower())).first()
        if product_id is None:
            errors["code"] = ("error.catalog_csv_unknown_product", {"code": wanted})
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        parse_cents(price, field="price", maximum=MAX_PRICE_CENTS)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return set_entry(session=session, actor=actor, book_id=book_id, product_id=product_id, price=price)
