"""Which price a company pays for a product on a day: the one rule, used by the catalog, the cart,
quote requests, orders and staff's quote answers.

1. The company's price book on that day: of the books assigned to it that are active and valid
   then (`valid_from` <= day <= `valid_to`, an open end counting as always), the one starting
   latest (ties: the newest book). Its entry for the product is the price, in the book's currency.
2. The company has such a book but the product is not in it: "price on request" (`cents` None):
   the product can be put in a quote request, not ordered.
3. The company has no valid book: the product's list price, in the product's currency.
Staff browsing without a company sees list prices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, null, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ...models import Company, CompanyPriceBook, PriceBook, PriceBookEntry, Product
from ..actor import Actor
from ..errors import ValidationFailed
from ..validation import parse_id

BOOK, LIST, ON_REQUEST = "book", "list", "on_request"


@dataclass(frozen=True)
class BookChoice:
    """The price book that sets a company's prices on a day."""

    id: int
    name: str
    currency: str


@dataclass(frozen=True)
class Price:
    cents: int | None  # without VAT; None: price on request
    currency: str
    source: str  # "book", "list" or "on_request"

    @property
    def on_request(self) -> bool:
        return self.cents is None


def valid_on(day: date) -> ColumnElement[bool]:
    """A price book active and valid on `day` (both ends inclusive, an open end always)."""
    return and_(col(PriceBook.active).is_(True),
                or_(col(PriceBook.valid_from).is_(None), col(PriceBook.valid_from) <= day),
                or_(col(PriceBook.valid_to).is_(None), col(PriceBook.valid_to) >= day))


def company_book(session: Session, company_id: int | None, day: date) -> BookChoice | None:
    """The book setting the company's prices on `day`, or None (list prices)."""
    if company_id is None:
        return None
    row = session.exec(
        select(PriceBook.id, PriceBook.name, PriceBook.currency)
        .join(CompanyPriceBook, col(CompanyPriceBook.price_book_id) == PriceBook.id)
        .where(CompanyPriceBook.company_id == company_id, valid_on(day))
        .order_by(col(PriceBook.valid_from).desc().nulls_last(), col(PriceBook.id).desc()).limit(1)).first()
    return BookChoice(id=row[0], name=row[1], currency=row[2]) if row else None


def pricing_company(session: Session, actor: Actor, company_id: Any = None) -> int | None:
    """Whose prices the actor sees: a customer its own company's, always; staff a company it names
    (`company_id`), else list prices (None)."""
    if not actor.is_staff:
        return actor.company_id
    if company_id in (None, ""):
        return None
    number = parse_id(company_id, field="company")
    if session.get(Company, number) is None:
        raise ValidationFailed({"company": "error.invalid"})
    return number


def price(product: Any, book: BookChoice | None, entry_cents: int | None) -> Price:
    """The rule above for one product (its `list_price_cents` and `currency`), given the company's
    book and the product's entry in it."""
    if book is None:
        return Price(cents=product.list_price_cents, currency=product.currency, source=LIST)
    if entry_cents is None:
        return Price(cents=None, currency=book.currency, source=ON_REQUEST)
    return Price(cents=entry_cents, currency=book.currency, source=BOOK)


def entry_prices(session: Session, book: BookChoice | None, product_ids: Iterable[int]) -> dict[int, int]:
    """product id -> price in the book, for those of `product_ids` the book has."""
    ids = sorted(set(product_ids))
    if book is None or not ids:
        return {}
    rows = session.exec(select(PriceBookEntry.product_id, PriceBookEntry.price_cents)
                        .where(PriceBookEntry.price_book_id == book.id, col(PriceBookEntry.product_id).in_(ids))).all()
    return dict(rows)


def prices_of(session: Session, *, company_id: int | None, products: list[Product], day: date) -> dict[int, Price]:
    """product id -> the company's price on `day`, for each of `products`."""
    book = company_book(session, company_id, day)
    entries = entry_prices(session, book, (p.id for p in products))  # type: ignore[misc]
    return {p.id: price(p, book, entries.get(p.id)) for p in products}  # type: ignore[misc]


def with_entry(stmt: Select, book: BookChoice | None) -> Select:
    """`stmt` over products with the book's entry price as one more column (NULL without a book or
    an entry): one indexed look-up per product (`ux_pricebookentry_book_product`)."""
    if book is None:
        return stmt.add_columns(null().label("entry_cents"))
    return stmt.add_columns(col(PriceBookEntry.price_cents).label("entry_cents")).outerjoin(
        PriceBookEntry, and_(col(PriceBookEntry.product_id) == Product.id, PriceBookEntry.price_book_id == book.id))

