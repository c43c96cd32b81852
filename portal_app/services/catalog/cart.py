"""The contact's cart, kept in the database (the same cart in every tab and on every device):
add a product, set a line's quantity, remove a line, and the cart with its totals and VAT per rate
at today's prices (prices are frozen only when the cart becomes a quote request or an order).

Seeing the cart takes view rights on the Catalog module; changing it takes edit rights
(`scope.require_shopper`): anyone else gets PermissionDenied. Staff has no cart. A product the
actor may not see answers NotFound. A cart holds one currency: a product priced in another one is
refused when added.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ...models import CartLine, Product, utcnow
from .. import live
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..money import VatRow, line_net, parse_quantity, quantity_out_of_range, totals, vat_summary
from ..submissions import parse_submission_id
from ..validation import parse_id
from . import prices
from .catalog_rules import MAX_CART_LINES, MAX_QUANTITY_MILLI
from .inputs import today_of
from .product_texts import names_in, text_of
from .scope import may_shop, require_shopper, sees_catalog, visible_products


@dataclass(frozen=True)
class CartLineView:
    product_id: int
    code: str
    name: str
    unit: str
    quantity_milli: int
    unit_price_cents: int | None  # today's price; None: on request
    vat_rate_bp: int
    net_cents: int | None  # quantity x price; None: on request
    orderable: bool  # False: quote only
    available: bool  # False: archived since it was added (remove it to go on)
    whole_units: bool  # sold in whole units only (2, not 1.5)
    part_unit: bool = False  # a part of a unit of a product sold whole since (change the quantity to go on)


@dataclass(frozen=True)
class CartView:
    lines: list[CartLineView]
    currency: str
    vat: list[VatRow]  # of the priced lines
    subtotal_cents: int
    vat_cents: int
    total_cents: int
    price_book: str  # "" for list prices
    on_request: bool  # a line has no price: the cart can be sent as a quote request only
    quote_only: list[str]  # codes of the lines that cannot be ordered (quote only, on request, archived)
    may_request_quote: bool  # not empty, every line available, the actor has edit rights
    may_order: bool  # as above, and every line orderable and priced
    priced_as: str  # what the customer agrees to (`priced_as`): sent back with the order, checked again

    @property
    def count(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class CartItem:
    """A cart line with its product and today's price: what a quote request or an order copies."""

    line: CartLine
    product: Product
    price: prices.Price
    name: str  # the product's name in the actor's language (what a quote or order line copies)
    unit: str  # and its unit

    @property
    def orderable(self) -> bool:
        return self.product.orderable and not self.product.archived and self.price.cents is not None


def cart_items(session: Session, actor: Actor, day: date) -> tuple[list[CartItem], prices.BookChoice | None]:
    """The actor's cart lines, oldest first, with their products, their names in the actor's
    language and prices on `day`."""
    if actor.contact_id is None or actor.is_staff:
        return [], None
    rows = session.exec(select(CartLine, Product).join(Product, col(Product.id) == CartLine.product_id)
                        .where(CartLine.contact_id == actor.contact_id).order_by(col(CartLine.id))).all()
    book = prices.company_book(session, actor.company_id, day)
    entries = prices.entry_prices(session, book, (p.id for _, p in rows))  # type: ignore[misc]
    names = names_in(session, actor.language, (p.id for _, p in rows))  # type: ignore[misc]
    items = []
    for line, p in rows:
        name, unit = names.get(p.id, ("", ""))  # type: ignore[arg-type]
        items.append(CartItem(line=line, product=p, price=prices.price(p, book, entries.get(p.id)),
                              name=name or p.name, unit=unit or p.unit))
    return items, book


def priced_as(items: list[CartItem]) -> str:
    """A short digest of the cart as shown: each line's product, quantity, unit price, currency, VAT,
    whether it can be ordered. An order or a request sent with another digest than the cart has at
    that moment (a price, a price book or a product changed since the page showed it) is refused,
    so that nothing is made at prices the customer did not see."""
    shown = [(i.product.id, i.line.quantity_milli, i.price.cents, i.price.currency, i.product.vat_rate_bp,
              i.orderable, i.product.archived, i.product.whole_units) for i in items]
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:32]


def _view(items: list[CartItem], book: prices.BookChoice | None, actor: Actor) -> CartView:
    # a product withdrawn since it was added counts for nothing: not in the totals, not "on request"
    lines = [CartLineView(product_id=i.product.id, code=i.product.code, name=i.name,  # type: ignore[arg-type]
                          unit=i.unit, quantity_milli=i.line.quantity_milli, unit_price_cents=i.price.cents,
                          vat_rate_bp=i.product.vat_rate_bp,
                          net_cents=None if i.price.cents is None or i.product.archived
                          else line_net(i.line.quantity_milli, i.price.cents),
                          # the "quote only" badge: not orderable, or its price is on request
                          orderable=i.product.orderable and i.price.cents is not None,
                          available=not i.product.archived,
                          whole_units=i.product.whole_units,
                          part_unit=i.product.whole_units and i.line.quantity_milli % 1000 != 0) for i in items]
    priced = [(li.net_cents, li.vat_rate_bp) for li in lines if li.net_cents is not None]
    subtotal, vat, total = totals(priced)
    currencies = {i.price.currency for i in items}
    one_currency = len(currencies) <= 1
    currency = next(iter(currencies)) if len(currencies) == 1 else (book.currency if book else "EUR")
    usable = bool(items) and one_currency and all(li.available and not li.part_unit for li in lines) \
        and may_shop(actor)
    current = [i for i in items if not i.product.archived]
    return CartView(lines=lines, currency=currency, vat=vat_summary(priced), subtotal_cents=subtotal, vat_cents=vat,
                    total_cents=total, price_book=book.name if book else "",
                    on_request=any(i.price.cents is None for i in current),
                    quote_only=[i.product.code for i in current if not i.orderable],
                    may_request_quote=usable, may_order=usable and all(i.orderable for i in items),
                    priced_as=priced_as(items))


def view_cart(*, session: Session, actor: Actor, today: date | None = None) -> CartView:
    """The actor's cart at today's prices (empty for staff, and without the Catalog module)."""
    if not sees_catalog(actor):
        return _view([], None, actor)
    items, book = cart_items(session, actor, today_of(today))
    return _view(items, book, actor)


def _product(session: Session, actor: Actor, product_id: Any) -> Product:
    product = session.exec(visible_products(actor).where(Product.id == parse_id(product_id, field="product"))).first()
    if product is None:
        raise NotFound()
    return product


def _quantity(session: Session, actor: Actor, product: Product, value: Any) -> int:
    """The quantity typed for `product`. One sold in whole units takes whole numbers only (2 pcs, not
    1.5; the unit as the actor reads it); what is no number at all ("abc", "1e6") is asked for as a
    whole number, not "like 1.5", nor told about parts of a unit it never typed."""
    try:
        milli = parse_quantity(value, field="quantity", maximum=MAX_QUANTITY_MILLI)
    except ValidationFailed as exc:
        if product.whole_units and exc.fields.get("quantity", ("",))[0] == "error.number":
            raise ValidationFailed({"quantity": ("error.whole_number", {})}) from None
        raise
    if product.whole_units and milli % 1000:
        _refuse_part(session, actor, product)
    return milli


def _refuse_part(session: Session, actor: Actor, product: Product) -> None:
    unit = text_of(session, actor.language, product)[2]
    raise ValidationFailed({"quantity": ("error.catalog_whole_units", {"unit": unit or "pcs"})})


def carts_follow(session: Session, product_ids: list[int]) -> None:
    """Staff changed these products (withdrawn, sold whole, no longer orderable, renamed): the open
    pages of the carts holding them show them as they are now."""
    contacts = session.exec(select(CartLine.contact_id).where(col(CartLine.product_id).in_(product_ids))
                            .distinct()).all() if product_ids else []
    if contacts:
        live.bump(*(live.cart_key(contact) for contact in contacts))


def _changed(session: Session, actor: Actor, today: date | None) -> CartView:
    session.commit()
    live.bump(live.cart_key(actor.contact_id))  # type: ignore[arg-type]
    return view_cart(session=session, actor=actor, today=today)


def add_to_cart(*, session: Session, actor: Actor, product_id: Any, quantity: Any = "1", submission_id: Any = None,
                today: date | None = None, now: datetime | None = None) -> CartView:
    """Put a product in the cart, or add to the quantity already there (edit rights). At most
    `MAX_CART_LINES` products; one currency per cart. `submission_id`: the form's (or the button's)
    id (`services/submissions.py`); the line keeps the last one, and the same id sent again (a
    double click, also two at the same moment) adds nothing: the cart as it is."""
    require_shopper(actor)
    submission = parse_submission_id(submission_id)
    product = _product(session, actor, product_id)
    milli = _quantity(session, actor, product, quantity)
    now = now or utcnow()
    items, book = cart_items(session, actor, today_of(today))
    if submission is not None and any(i.product.id == product.id and i.line.submission_id == submission for i in items):
        return _view(items, book, actor)
    price = prices.price(product, book, prices.entry_prices(session, book, [product.id]).get(product.id))  # type: ignore[list-item]
    if any(i.price.currency != price.currency for i in items if i.product.id != product.id):
        raise ValidationFailed({"quantity": "error.catalog_cart_currency"})
    existing = next((i.line for i in items if i.product.id == product.id), None)
    if existing is None and len(items) >= MAX_CART_LINES:
        raise ValidationFailed({"quantity": ("error.too_many", {"max": MAX_CART_LINES})})
    if existing is not None and existing.quantity_milli + milli > MAX_QUANTITY_MILLI:
        raise quantity_out_of_range("quantity", MAX_QUANTITY_MILLI)
    if not _add(session, actor.contact_id, product.id, milli, now, submission):  # type: ignore[arg-type]
        session.rollback()  # that id's sending went in at the same moment: nothing more to add
        return view_cart(session=session, actor=actor, today=today)
    return _changed(session, actor, today)


def _add(session: Session, contact_id: int, product_id: int, milli: int, now: datetime, submission: str | None) -> bool:
    """Add to the line's quantity, or make the line (in the caller's transaction); False when the
    line already holds what `submission` added (its other sending won the race)."""
    mine = [col(CartLine.contact_id) == contact_id, col(CartLine.product_id) == product_id]
    fresh = [col(CartLine.submission_id).is_distinct_from(submission)] if submission is not None else []
    more = (update(CartLine).where(*mine, *fresh)
            .values(quantity_milli=CartLine.quantity_milli + milli, submission_id=submission, updated_at=now)
            .execution_options(synchronize_session=False))
    if session.execute(more).rowcount:  # type: ignore[attr-defined]
        return True
    if fresh and session.exec(select(CartLine.id).where(*mine)).first() is not None:
        return False
    try:
        with session.begin_nested():
            session.add(CartLine(contact_id=contact_id, product_id=product_id, quantity_milli=milli,
                                 submission_id=submission, created_at=now, updated_at=now))
    except IntegrityError:  # the same product went in at the same moment (another tab): add to that line
        return bool(session.execute(more).rowcount)  # type: ignore[attr-defined]
    return True


def set_quantity(*, session: Session, actor: Actor, product_id: Any, quantity: Any, today: date | None = None,
                 now: datetime | None = None) -> CartView:
    """Change a cart line's quantity (edit rights); NotFound when the product is not in the cart."""
    require_shopper(actor)
    pid = parse_id(product_id, field="product")
    product = session.exec(select(Product).join(CartLine, col(CartLine.product_id) == Product.id)  # in this cart only
                           .where(col(CartLine.contact_id) == actor.contact_id, col(Product.id) == pid)).first()
    if product is None:
        raise NotFound()
    milli = _quantity(session, actor, product, quantity)
    changed = session.execute(update(CartLine).where(col(CartLine.contact_id) == actor.contact_id,
                                                     col(CartLine.product_id) == pid)
                              .values(quantity_milli=milli, updated_at=now or utcnow())
                              .execution_options(synchronize_session=False))
    if not changed.rowcount:  # type: ignore[attr-defined]
        session.rollback()
        raise NotFound()
    return _changed(session, actor, today)


def remove_from_cart(*, session: Session, actor: Actor, product_id: Any, today: date | None = None) -> CartView:
    """Take a product out of the cart (edit rights); a product not there is already out."""
    require_shopper(actor)
    session.execute(delete(CartLine).where(col(CartLine.contact_id) == actor.contact_id,
                                           col(CartLine.product_id) == parse_id(product_id, field="product")))
    return _changed(session, actor, today)


def clear_cart(*, session: Session, actor: Actor, today: date | None = None) -> CartView:
    """Empty the cart (edit rights)."""
    require_shopper(actor)
    session.execute(delete(CartLine).where(col(CartLine.contact_id) == actor.contact_id))
    return _changed(session, actor, today)


def empty_cart(session: Session, actor: Actor) -> None:
    """Part of the caller's transaction: the cart became a quote request or an order."""
    session.execute(delete(CartLine).where(col(CartLine.contact_id) == actor.contact_id))
