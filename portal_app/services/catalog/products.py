"""The catalog as customers (and staff) browse it: product pages with the actor's prices, one
product, the category menu, and the company's price list as CSV.

Every function needs view rights on the Catalog module (`scope.sees_catalog`); without them lists
are empty and a product answers NotFound. Prices follow `prices.py`: the company's valid price
book, "price on request" (`price_cents` None) for a product missing from it, list prices without
a book. Staff sees list prices, or a company's prices when it names the company.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ...i18n import translate
from ...models import CartLine, CompanyPriceBook, PriceBook, Product, ProductCategory
from ...settings import settings
from .. import image_size
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..money import as_decimal, rate_decimal
from ..validation import parse_id, parse_page
from . import prices, product_texts
from .catalog_rules import IMAGE_TYPES, PAGE_LIMIT, PRICE_LIST_CSV_COLUMNS, PRODUCT_SORTS
from ..spreadsheet import safe_cell
from .inputs import csv_of, parse_code, search_clause, today_of
from .product_page import page_ids
from .scope import may_shop, sees_catalog, visible_products


@dataclass(frozen=True)
class ProductRow:
    id: int
    code: str
    name: str
    category_id: int | None
    category: str  # "" without one
    unit: str
    price_cents: int | None  # the actor's price without VAT; None: price on request
    price_source: str  # "book", "list" or "on_request"
    list_price_cents: int
    list_currency: str  # of list_price_cents (the product's own)
    currency: str  # of price_cents (the book's, or the product's for list prices)
    vat_rate_bp: int
    orderable: bool  # False: quote only
    archived: bool  # staff's lists only; customers never see archived products
    has_image: bool
    whole_units: bool  # sold in whole units only (2, not 1.5)
    # the language of the "name", "unit", "description" and "category" the reader gets (`languages_of`)
    text_langs: dict[str, str]

    @property
    def may_be_ordered(self) -> bool:
        """Orderable at this reader's price: a product with its price on request takes a quote first,
        as the cart says (`CartItem.orderable`)."""
        return self.orderable and self.price_cents is not None


@dataclass(frozen=True)
class ProductPage:
    rows: list[ProductRow]
    total: int  # products matching, on every page
    price_book: str  # the book setting these prices; "" for list prices
    company_id: int | None  # whose prices (None: list prices)


@dataclass(frozen=True)
class ProductDetail(ProductRow):
    description: str
    in_cart_milli: int  # the actor's cart holds this much of it (0: none)
    may_add: bool  # the actor may put it in its cart (edit rights)


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    products: int  # the actor sees this many in it
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # staff's form: its other names


_ROW_COLUMNS = [col(c) for c in (Product.id, Product.code, Product.name, Product.category_id, Product.unit,
                                  Product.list_price_cents, Product.currency, Product.vat_rate_bp, Product.orderable,
                                  Product.archived, Product.image_name,
                                  Product.whole_units)]  # what a row shows: no description


def _row(product: Any, category: str | None, price: prices.Price, words: tuple[str, str] | None = None, *,
         text_langs: dict[str, str]) -> ProductRow:
    """A list row from a product (or a result row with its columns); `words`: its name and unit in
    the reader's language ('': the product's own); `text_langs`: the language of each text."""
    name, unit = words or ("", "")
    return ProductRow(id=product.id, code=product.code, name=name or product.name,  # type: ignore[arg-type]
                      category_id=product.category_id, category=category or "", unit=unit or product.unit,
                      price_cents=price.cents, price_source=price.source, list_price_cents=product.list_price_cents,
                      list_currency=product.currency, currency=price.currency, vat_rate_bp=product.vat_rate_bp,
                      orderable=product.orderable,
                      archived=product.archived, has_image=bool(product.image_name),
                      whole_units=product.whole_units, text_langs=text_langs)


def list_products(*, session: Session, actor: Actor, search: Any = "", category: Any = None, sort: Any = "name",
                  descending: Any = False, offset: Any = 0, limit: Any = 25, company_id: Any = None,
                  include_archived: Any = False, today: date | None = None, lang: str | None = None) -> ProductPage:
    """One page of the products the actor sees, with its prices on `today`: searched by code and
    names (every word, case and accents ignored, a name in any language), narrowed to a category
    (its id), sorted by one of `PRODUCT_SORTS` (ties by code; prices on request last). `total`
    counts every match. Names and categories as a reader of `lang` gets them, and sorted so (None:
    as stored). Staff may ask for a company's prices (`company_id`) and see archived products too
    (`include_archived`). The page is found as `product_page` tells; then its rows are read with
    their categories and prices."""
    if not sees_catalog(actor):
        return ProductPage(rows=[], total=0, price_book="", company_id=None)
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    if sort not in PRODUCT_SORTS:
        raise ValidationFailed({"sort": "error.invalid"})
    if not isinstance(descending, bool) or not isinstance(include_archived, bool):
        raise ValidationFailed({"sort": "error.invalid"})
    company = prices.pricing_company(session, actor, company_id)
    book = prices.company_book(session, company, today_of(today))
    scope = visible_products(actor).whereclause
    conditions = [] if scope is None else [scope]
    if actor.is_staff and not include_archived:
        conditions.append(col(Product.archived).is_(False))
    if category not in (None, ""):
        conditions.append(Product.category_id == parse_id(category, field="category"))
    if (words := search_clause(search)) is not None:
        conditions.append(words)
    names_lang = product_texts.other_language(lang) if product_texts.has_names(session, lang) else None
    ids, total = page_ids(session, conditions=conditions, searching=words is not None, sort=sort,
                          descending=descending, book=book, offset=offset, limit=limit, lang=names_lang)
    found = {r.id: r for r in session.execute(prices.with_entry(
        select(*_ROW_COLUMNS, col(ProductCategory.name).label("category"),
               col(ProductCategory.translations).label("category_texts"))
        .outerjoin(ProductCategory, col(ProductCategory.id) == Product.category_id)
        .where(col(Product.id).in_(ids)), book)).all()} if ids else {}
    names = product_texts.names_in(session, names_lang, ids)
    return ProductPage(rows=[_row(r, product_texts.category_text(r.category, r.category_texts, lang),
                                  prices.price(r, book, r.entry_cents), names.get(r.id),
                                  text_langs={**product_texts.languages_of(names_lang, names.get(r.id)),
                                              "category": product_texts.category_language(r.category_texts, lang)})
                             for r in map(found.get, ids)],
                       total=total, price_book=book.name if book else "", company_id=company)


def load_product(session: Session, actor: Actor, code: Any) -> Product:
    """The product of that code, exactly as stored (one spelling per product), if the actor may see
    it; else NotFound (bad codes too)."""
    try:
        wanted = parse_code(code)
    except ValidationFailed:
        raise NotFound() from None
    if wanted != code:
        raise NotFound()
    product = session.exec(visible_products(actor).where(Product.code == wanted)).first()
    if product is None:
        raise NotFound()
    return product


def get_product(*, session: Session, actor: Actor, code: Any, company_id: Any = None,
                today: date | None = None, lang: str | None = None) -> ProductDetail:
    """The product page: everything of the list row, the description, how much of it the actor's
    cart holds, and whether it may add it; its texts as a reader of `lang` gets them. NotFound for
    an archived product (customers), an unknown code or without the module."""
    product = load_product(session, actor, code)
    company = prices.pricing_company(session, actor, company_id)
    price = prices.prices_of(session, company_id=company, products=[product], day=today_of(today))[product.id]  # type: ignore[index]
    category = session.get(ProductCategory, product.category_id) if product.category_id else None
    in_cart = 0
    if actor.contact_id is not None and not actor.is_staff:
        in_cart = session.exec(select(CartLine.quantity_milli).where(
            CartLine.contact_id == actor.contact_id, CartLine.product_id == product.id)).first() or 0
    name, description, unit, langs = product_texts.text_of(session, lang, product)
    row = _row(product, product_texts.category_name(category, lang), price, (name, unit),
               text_langs={**langs, "category": product_texts.category_language(
                   category.translations if category is not None else None, lang)})
    return ProductDetail(**row.__dict__, description=description, in_cart_milli=in_cart,
                         may_add=may_shop(actor))


def list_categories(*, session: Session, actor: Actor, lang: str | None = None) -> list[CategoryView]:
    """The category menu: every category with how many products the actor sees in it (empty ones too
    for staff; customers only those with products), in staff's order; names as `lang` reads them."""
    if not sees_catalog(actor):
        return []
    visible = visible_products(actor).where(col(Product.archived).is_(False)).subquery()
    counts = dict(session.exec(select(visible.c.category_id, func.count()).group_by(visible.c.category_id)).all())
    rows = session.exec(select(ProductCategory).order_by(col(ProductCategory.position),
                                                         func.lower(col(ProductCategory.name)))).all()
    return [CategoryView(id=c.id, name=product_texts.category_name(c, lang), products=counts.get(c.id, 0),  # type: ignore[arg-type]
                         translations=c.translations if actor.is_staff else {})
            for c in rows
            if actor.is_staff or counts.get(c.id)]


def price_list_csv(*, session: Session, actor: Actor, company_id: Any = None,
                   today: date | None = None) -> tuple[str, str]:
    """The company's price list as CSV in the reader's spreadsheet dialect (file name, text): every
    product the actor sees, by code, with the list price and the company's price ("on request" when it
    has none), each with its currency (a price book's may differ from the list's); the header and words
    in the reader's language, and names, categories and units in the contact's (staff's: as stored)."""
    if not sees_catalog(actor):
        raise NotFound()
    day = today_of(today)

    def page(offset: int) -> tuple[list[ProductRow], int]:
        found = list_products(session=session, actor=actor, company_id=company_id, sort="code", offset=offset,
                              limit=PAGE_LIMIT, today=day, lang=None if actor.is_staff else actor.language)
        return found.rows, found.total

    def t(key: str) -> str:
        return translate(actor.language, f"catalog.csv.{key}")

    text = csv_of([t(column) for column in PRICE_LIST_CSV_COLUMNS], page, lambda row: [
        safe_cell(row.code), safe_cell(row.name), safe_cell(row.category), safe_cell(row.unit),
        as_decimal(row.list_price_cents), row.list_currency,
        t("on_request") if row.price_cents is None else as_decimal(row.price_cents),
        row.currency, rate_decimal(row.vat_rate_bp), t("yes") if row.may_be_ordered else t("quote_only")],
        language=actor.language)
    return f"price-list-{day.isoformat()}.csv", text


# --- pictures --------------------------------------------------------------------------------------

_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
                (b"GIF89a", "image/gif"))


def images_dir() -> Path:
    """Product pictures: in the data folder, not Reflex's public upload folder."""
    path = settings.data_dir / "product-images"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sniff_image(head: bytes) -> str | None:
    """The picture's type by its first bytes (one of `IMAGE_TYPES`), or None."""
    for magic, content_type in _IMAGE_MAGIC:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def checked_picture(data: object, *, field: str, max_bytes: int) -> str:
    """The type of an uploaded picture fit to show (PNG, JPEG, WebP or GIF by its bytes, at most
    `max_bytes`, not larger in pixels than `image_size` allows), or ValidationFailed at `field`."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise ValidationFailed({field: "error.catalog_image_empty"})
    if len(data) > max_bytes:
        raise ValidationFailed({field: ("error.catalog_image_too_large", {"max": max_bytes // 2**20})})
    content_type = sniff_image(bytes(data[:16]))
    if content_type is None:
        raise ValidationFailed({field: "error.catalog_image_type"})
    if image_size.too_large(image_size.declared_size(bytes(data), content_type)):
        raise ValidationFailed({field: ("error.catalog_image_pixels", {"max": image_size.MAX_SIDE})})
    return content_type


@dataclass(frozen=True)
class ProductImage:
    path: Path
    content_type: str
    file_name: str  # "PRN-100.png"


def product_image(*, session: Session, actor: Actor, code: Any) -> ProductImage:
    """The product's picture for the download route: NotFound unless the actor may see the product
    and it has one."""
    product = load_product(session, actor, code)
    path = images_dir() / product.image_name if product.image_name else None
    if path is None or product.image_type not in IMAGE_TYPES or not path.is_file():
        raise NotFound()
    safe_code = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in product.code)
    return ProductImage(path=path, content_type=product.image_type,
                        file_name=f"{safe_code}.{IMAGE_TYPES[product.image_type]}")


# --- the company's price books -----------------------------------------------------------------------

@dataclass(frozen=True)
class CompanyBook:
    name: str
    currency: str
    valid_from: date | None
    valid_to: date | None
    in_force: bool  # this book sets the company's prices today


def company_price_books(*, session: Session, actor: Actor, today: date | None = None) -> list[CompanyBook]:
    """The price books assigned to the actor's company (the catalog's "Your price books" table),
    newest first, the one in force today marked; [] without the module, for staff and for a
    company without a book (list prices)."""
    if not sees_catalog(actor) or actor.is_staff or actor.company_id is None:
        return []
    day = today_of(today)
    current = prices.company_book(session, actor.company_id, day)
    books = session.exec(select(PriceBook).join(CompanyPriceBook, col(CompanyPriceBook.price_book_id) == PriceBook.id)
                         .where(CompanyPriceBook.company_id == actor.company_id, col(PriceBook.active).is_(True))
                         .order_by(col(PriceBook.valid_from).desc().nulls_last(), col(PriceBook.id).desc())).all()
    return [CompanyBook(name=b.name, currency=b.currency, valid_from=b.valid_from, valid_to=b.valid_to,
                        in_force=current is not None and current.id == b.id) for b in books]
