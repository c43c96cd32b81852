"""What quote requests and sales orders share: their lines as shown, their totals, who they are
for, the seller, and the cart made into one of them (the prices of that moment copied, frozen)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ...local_time import today as local_today
from ...models import Company, Contact, NumberCounter, QuoteLine, QuoteRequest, SalesOrder, SalesOrderLine, utcnow
from ...models.catalog import DocumentLineBase
from ..mail import outbox
from ..actor import Actor
from ..errors import ValidationFailed
from ..companies.company_rules import postal_lines
from ..money import VatRow, line_discount, line_net, totals, vat_summary
from ..numbering import next_number
from ..portal.row import get_portal_settings
from ..submissions import parse_submission_id
from ..validation import clean_text, parse_date
from .cart import CartItem, cart_items, empty_cart, priced_as
from .catalog_rules import TEXT_LIMITS


@dataclass(frozen=True)
class LineView:
    position: int
    product_id: int | None
    code: str
    name: str
    unit: str
    quantity_milli: int
    unit_price_cents: int | None  # without VAT; None: price on request (a quote not answered yet)
    discount_bp: int
    discount_cents: int  # what the discount takes off the line
    vat_rate_bp: int
    net_cents: int | None  # after the discount, without VAT


@dataclass(frozen=True)
class Party:
    """The customer a quote or order is for, and the seller, as the page and the PDF print them."""

    company_id: int
    company_name: str
    company_address: list[str]
    contact_name: str
    contact_email: str
    seller: dict[str, str]  # name, address, business_id (the invoice seller staff sets)


@dataclass(frozen=True)
class DocumentRow:
    """A quote request or sales order in a list."""

    id: int
    number: int
    status: str
    company_id: int
    company_name: str
    contact_name: str  # who asked or ordered
    created_at: datetime
    currency: str
    total_cents: int  # with VAT; of the priced lines (a quote request may have lines on request)


@dataclass(frozen=True)
class DocumentDetail:
    """What the page (and the PDF) of a quote and of an order both show."""

    id: int
    number: int
    status: str
    party: Party
    message: str  # the customer's
    wanted_delivery_date: date | None
    currency: str
    lines: list[LineView]
    vat: list[VatRow]  # per rate, of the priced lines
    discount_cents: int  # the lines' discounts together
    subtotal_cents: int  # without VAT, after discounts
    vat_cents: int
    total_cents: int
    created_at: datetime


def total_label(lines: Iterable[Any], *, whole: str, priced: str) -> str:
    """The key of a total's label: `whole`, or `priced` ("Total of the priced lines") when a line is
    still priced on request and so not in it (a total that looks complete would mislead)."""
    return priced if any(getattr(line, "net_cents", 0) is None for line in lines) else whole


def line_views(lines: Sequence[DocumentLineBase]) -> list[LineView]:
    views = []
    for n, line in enumerate(lines, start=1):
        price = getattr(line, "unit_price_cents", None)
        views.append(LineView(
            position=n, product_id=line.product_id, code=line.code, name=line.name, unit=line.unit,
            quantity_milli=line.quantity_milli, unit_price_cents=price, discount_bp=line.discount_bp,
            discount_cents=0 if price is None else line_discount(line.quantity_milli, price, line.discount_bp),
            vat_rate_bp=line.vat_rate_bp, net_cents=getattr(line, "net_cents", None)))
    return views


def summary(lines: Iterable[LineView]) -> tuple[list[VatRow], int]:
    """The VAT summary of the priced lines, and the discounts together."""
    listed = list(lines)
    return (vat_summary((li.net_cents, li.vat_rate_bp) for li in listed if li.net_cents is not None),
            sum(li.discount_cents for li in listed))


def priced_totals(lines: Iterable[tuple[int | None, int]]) -> tuple[int, int, int]:
    """(net, VAT, total) of the lines (net or None, VAT rate) that have a price."""
    return totals((net, rate) for net, rate in lines if net is not None)


def party(session: Session, company_id: int, contact_id: int, customer: list[str]) -> Party:
    """Who the document is for: the customer as it was when it was made (`customer`; before that was
    kept, the company as it is now), and the contact."""
    contact = session.get(Contact, contact_id)
    named = customer or postal_lines(session.get(Company, company_id))
    stored = get_portal_settings(session).seller or {}
    return Party(company_id=company_id, company_name=named[0] if named else "", company_address=named[1:],
                 contact_name=f"{contact.first_name} {contact.last_name}".strip() if contact else "",
                 contact_email=contact.email if contact else "",
                 seller={k: str(stored.get(k) or "") for k in ("name", "address", "business_id")})


def cart_lines(items: list[CartItem], *, order: bool) -> tuple[str, list[dict]]:
    """The cart as document lines at the prices of this moment (copied: a later price change never
    moves them), with the names and units as the contact read them, and their currency. An order
    needs every line orderable and priced; any cart
    needs its products still there and one currency."""
    if not items:
        raise ValidationFailed({"cart": "error.catalog_cart_empty"})
    gone = [i.product.code for i in items if i.product.archived]
    if gone:
        raise ValidationFailed({"cart": ("error.catalog_cart_unavailable", {"codes": ", ".join(gone)})})
    if broken := [i.product.code for i in items if i.product.whole_units and i.line.quantity_milli % 1000]:
        raise ValidationFailed({"cart": ("error.catalog_cart_whole_units", {"codes": ", ".join(broken)})})
    if order and (blocked := [i.product.code for i in items if not i.orderable]):
        raise ValidationFailed({"cart": ("error.catalog_not_orderable", {"codes": ", ".join(blocked)})})
    currencies = {i.price.currency for i in items}
    if len(currencies) != 1:
        raise ValidationFailed({"cart": "error.catalog_cart_currency"})
    lines = [{"position": n, "product_id": i.product.id, "code": i.product.code, "name": i.name,
              "unit": i.unit, "quantity_milli": i.line.quantity_milli, "unit_price_cents": i.price.cents,
              "discount_bp": 0, "vat_rate_bp": i.product.vat_rate_bp,
              "net_cents": None if i.price.cents is None else line_net(i.line.quantity_milli, i.price.cents)}
             for n, i in enumerate(items)]
    return currencies.pop(), lines


WANTED_YEARS_AHEAD = 2  # a wanted delivery date further ahead is a typing mistake (9999 read as 1999 in mail)


def message_and_date(message: Any, wanted: Any, today: date) -> tuple[str, date | None]:
    """The customer's message and wanted delivery date (today or later) of a request or order."""
    errors: dict[str, Any] = {}
    text, day = "", None
    try:
        text = clean_text(message, field="message", max_chars=TEXT_LIMITS["message"])
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        day = parse_date(wanted, field="wanted_delivery_date")
        if day is not None and day < today:
            errors["wanted_delivery_date"] = "error.catalog_date_past"
        elif day is not None and day > today + timedelta(days=366 * WANTED_YEARS_AHEAD):
            errors["wanted_delivery_date"] = ("error.catalog_date_far", {"years": WANTED_YEARS_AHEAD})
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return text, day


@dataclass(frozen=True)
class Made:
    number: int
    mail_ids: list[int]  # the page hands them to the mail worker
    repeated: bool  # the same form was sent before: nothing new was made


_LINES = {QuoteRequest: (QuoteLine, "quote_id", "quote"), SalesOrder: (SalesOrderLine, "order_id", "order")}


def _made_before(session: Session, kind: type[QuoteRequest] | type[SalesOrder], actor: Actor,
                 submission: str) -> Made | None:
    done = session.exec(select(kind).where(kind.submission_id == submission, kind.contact_id == actor.contact_id)).first()
    return Made(number=done.number, mail_ids=[], repeated=True) if done else None


def cart_to_document(session: Session, actor: Actor, kind: type[QuoteRequest] | type[SalesOrder], *, message: Any,
                     wanted_delivery_date: Any, submission_id: Any, now: datetime | None,
                     mails: Callable[[Session, Any, list], list[dict]], shown_prices: Any = None) -> Made:
    """The actor's cart made into a quote request or a sales order in one transaction: the next
    number, the lines at this moment's prices, the totals, the cart emptied, the mails in the
    outbox. An order needs every line orderable and priced. The same form sent twice (its
    submission id) makes one. `shown_prices`: the cart's `priced_as` on the customer's page; a cart
    that has changed since (a price, a product) is refused with `error.catalog_cart_changed`."""
    now = now or utcnow()
    text, wanted = message_and_date(message, wanted_delivery_date, local_today(now))
    submission = parse_submission_id(submission_id)
    if submission is not None and (done := _made_before(session, kind, actor, submission)) is not None:
        return done
    items, _book = cart_items(session, actor, local_today(now))
    if shown_prices is not None and shown_prices != priced_as(items):
        raise ValidationFailed({"form": "error.catalog_cart_changed"})
    currency, lines = cart_lines(items, order=kind is SalesOrder)
    line_kind, parent, counter = _LINES[kind]
    try:
        number = next_number(session, NumberCounter, counter, numbered=kind.number)
        subtotal, vat, total = priced_totals((li["net_cents"], li["vat_rate_bp"]) for li in lines)
        document = kind(number=number, company_id=actor.company_id, contact_id=actor.contact_id, message=text,
                        customer=postal_lines(session.get(Company, actor.company_id)),
                        wanted_delivery_date=wanted, currency=currency, subtotal_cents=subtotal, vat_cents=vat,
                        total_cents=total, submission_id=submission, created_at=now, updated_at=now)
        session.add(document)
        session.flush()
        rows = [line_kind(**{parent: document.id}, **li) for li in lines]
        session.add_all(rows)
        empty_cart(session, actor)
        mail_ids = outbox.enqueue(session=session, mails=mails(session, document, rows), now=now, commit=False)
        session.commit()
    except IntegrityError:
        session.rollback()
        if submission is not None and (done := _made_before(session, kind, actor, submission)) is not None:
            return done
        raise
    except Exception:
        session.rollback()
        raise
    return Made(number=number, mail_ids=mail_ids, repeated=False)
