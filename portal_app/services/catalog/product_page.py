"""How one page of the catalog list is found fast, the same on SQLite and PostgreSQL, by what is
asked (measured in docs/benchmarks.md, "Catalog page"):

- a search: the matches first, in one pass over the narrow index `ix_product_search` (archived,
  search text, name, code, list price: all a search reads), as a MATERIALIZED CTE, then sorted and
  counted there (a window count):
  left alone, SQLite walks the name index hoping for 25 early matches, and a rare word then reads
  every product;
- the whole catalog (or a category) by the company's book price: the book's prices in price order
  (`ix_pricebookentry_book_price`), the products with a price first, then those without one
  ("price on request") by code -- the order `ORDER BY price NULLS LAST, code` gives, without
  joining every product to the book;
- by name for a reader whose language has product names (`ProductText`): the names in that
  language in order (`ix_producttext_lang_name`) merged with the other products' default names in
  order (`ix_product_archived_name`), as one `UNION ALL ... ORDER BY ... LIMIT` that both engines
  run as a merge of two index walks, stopping at the page;
- otherwise the sort's own index is walked (`ix_product_archived_name`, the unique code,
  `ix_product_archived_price` for list prices), and the count reads a narrow index.
Each gives the page's product ids in order and the number of matches. Names sort by their lower case
(`name_key`, computed by the database), so "eSIM" stands among the E's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, func, literal_column, union_all
from sqlmodel import Session, col, select

from ...models import PriceBookEntry, Product, ProductText
from .prices import BookChoice


def _ordered(keys: list[Any], descending: bool) -> list[Any]:
    return [k.desc().nulls_last() if descending else k.asc().nulls_last() for k in keys]


def page_ids(session: Session, *, conditions: list[Any], searching: bool, sort: str, descending: bool,
             book: BookChoice | None, offset: int, limit: int, lang: str | None = None) -> tuple[list[int], int]:
    """The ids of one page of the products matching `conditions`, in the list's order (by `sort`,
    ties by code, prices on request last both ways; names in `lang`, where a product has one), and
    how many match."""
    if searching:
        return _searched(session, conditions, sort, descending, book, offset, limit, lang)
    total = session.exec(select(func.count()).select_from(Product).where(*conditions)).one()
    if sort == "price" and book is not None:
        return _by_book_price(session, conditions, descending, book, offset, limit), total
    if sort == "name" and lang is not None:
        return _by_name_in(session, conditions, descending, lang, offset, limit), total
    keys = {"name": [col(Product.name_key), col(Product.code)], "code": [col(Product.code)],
            "price": [col(Product.list_price_cents), col(Product.code)]}[sort]
    ids = session.exec(select(Product.id).where(*conditions).order_by(*_ordered(keys, descending))
                       .offset(offset).limit(limit)).all()
    return list(ids), total  # type: ignore[arg-type]


def _name_in(lang: str) -> Any:
    """The product's name in `lang`, else its default name, in lower case (per row: for a search's
    matches; computed from the names, which the search's index holds, and not read from `name_key`,
    which SQLite would read from the table)."""
    own = select(ProductText.name).where(ProductText.product_id == Product.id, ProductText.lang == lang) \
        .scalar_subquery()
    return func.lower(func.coalesce(own, Product.name)).label("name")


def _by_name_in(session: Session, conditions: list[Any], descending: bool, lang: str, offset: int,
                limit: int) -> list[int]:
    text = ProductText
    translated = select(col(text.name_key).label("sort_name"), col(Product.code).label("code"),
                        col(Product.id).label("id")) \
        .select_from(text).join(Product, col(Product.id) == text.product_id).where(text.lang == lang, *conditions)
    untranslated = select(col(Product.name_key).label("sort_name"), col(Product.code).label("code"),
                          col(Product.id).label("id")) \
        .where(*conditions, ~exists().where(text.product_id == Product.id, text.lang == lang))
    keys = [literal_column("sort_name"), literal_column("code")]
    both = union_all(translated, untranslated).order_by(*(k.desc() if descending else k.asc() for k in keys))
    return [row.id for row in session.execute(both.offset(offset).limit(limit)).all()]


def _searched(session: Session, conditions: list[Any], sort: str, descending: bool, book: BookChoice | None,
              offset: int, limit: int, lang: str | None) -> tuple[list[int], int]:
    name = _name_in(lang) if lang is not None and sort == "name" else func.lower(col(Product.name)).label("name")
    columns = [col(Product.id), name, col(Product.code)]
    if sort == "price" and book is None:
        columns.append(col(Product.list_price_cents))
    matches = select(*columns).where(*conditions).cte("matches").prefix_with("MATERIALIZED")
    stmt = select(matches.c.id, func.count().over())
    if sort == "price" and book is not None:
        stmt = stmt.outerjoin(PriceBookEntry, and_(col(PriceBookEntry.product_id) == matches.c.id,
                                                   PriceBookEntry.price_book_id == book.id))
        keys = [col(PriceBookEntry.price_cents), matches.c.code]
    else:
        keys = {"name": [matches.c.name, matches.c.code], "code": [matches.c.code],
                "price": [matches.c.get("list_price_cents"), matches.c.code]}[sort]
    rows = session.execute(stmt.order_by(*_ordered(keys, descending)).offset(offset).limit(limit)).all()
    if rows:
        return [r[0] for r in rows], rows[0][1]
    total = session.execute(select(func.count()).select_from(matches)).scalar_one() if offset else 0
    return [], total


def _by_book_price(session: Session, conditions: list[Any], descending: bool, book: BookChoice, offset: int,
                   limit: int) -> list[int]:
    entry = PriceBookEntry
    priced = select(Product.id).join(entry, and_(col(entry.product_id) == Product.id, entry.price_book_id == book.id)) \
        .where(*conditions)
    ids = list(session.exec(priced.order_by(*_ordered([col(entry.price_cents), col(Product.code)], descending))
                            .offset(offset).limit(limit)).all())
    if len(ids) < limit:  # past the priced products: those on request follow, by code
        priced_total = session.exec(select(func.count()).select_from(priced.subquery())).one()
        on_request = select(Product.id).where(*conditions, ~exists().where(entry.price_book_id == book.id,
                                                                          col(entry.product_id) == Product.id))
        ids += session.exec(on_request.order_by(*_ordered([col(Product.code)], descending))
                            .offset(max(0, offset - priced_total)).limit(limit - len(ids))).all()
    return ids  # type: ignore[return-value]
