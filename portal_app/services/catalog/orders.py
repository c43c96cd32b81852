"""Sales orders: placed from the cart (orderable products with a price only) or made by accepting a
quote (`quotes.accept_quote`); the company's order history; staff moves an order along.

- `place_order` (edit rights on Catalog): the cart's lines at this moment's prices (frozen), the
  message and wanted delivery date; the next order number; status Received; the cart emptied;
  mail to the contact and to sales. One transaction; the same form sent twice orders once.
- `list_orders`, `get_order`, `order_pdf`, `order_state` (view rights): the company's orders,
  whoever placed them; staff sees every company's.
- `set_order_status` (staff): along `ORDER_TRANSITIONS`, one conditional UPDATE (two changes at
  once: one wins). Every change moves `live.order_key(number)` and `live.ALL_ORDERS`, and mails the
  order's contact in the same transaction: only the change that wins mails, so a double click mails
  once. Cancelling takes an optional reason, shown to the customer and in the mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, update
from sqlmodel import Session, col, select

from ...models import Company, Contact, OrderStatus, QuoteRequest, SalesOrder, SalesOrderLine, utcnow
from .. import live
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..mail import outbox
from ..validation import clean_line, clean_text, like_pattern, parse_id, parse_page
from . import catalog_mail
from .catalog_rules import ORDER_SORTS, ORDER_STATUSES, ORDER_TRANSITIONS, PAGE_LIMIT, SEARCH_CHARS, TEXT_LIMITS
from .documents import DocumentDetail, DocumentRow, Made, cart_to_document, line_views, party, summary
from .inputs import parse_number
from .scope import require_shopper, sees_catalog, visible_orders
from ..folding import folded


@dataclass(frozen=True)
class OrderRow(DocumentRow):
    quote_number: int | None  # the accepted quote it came from


@dataclass(frozen=True)
class OrderPage:
    rows: list[OrderRow]
    total: int


@dataclass(frozen=True)
class OrderDetail(DocumentDetail):
    quote_number: int | None
    answer: str  # sales' message on the quote it came from ("" for an order from the cart)
    updated_at: datetime
    next_statuses: list[str]  # staff: where the order may move now; [] for customers
    cancel_reason: str  # staff's reason for cancelling it ("" when none was given, or not cancelled)


@dataclass(frozen=True)
class OrderMoved(OrderDetail):
    """The order after `set_order_status`, and the mails that change put in the outbox (cancelled:
    the contact's; the page hands them to the mail worker)."""

    mail_ids: list[int]


@dataclass(frozen=True)
class OrderState:
    """What a live order page re-reads when `live.order_key(number)` moved."""

    number: int
    status: str
    updated_at: datetime


_SORT_COLUMNS = {"number": SalesOrder.number, "created": SalesOrder.created_at, "total": SalesOrder.total_cents}


def list_orders(*, session: Session, actor: Actor, status: Any = None, search: Any = "", sort: Any = "number",
                descending: Any = True, offset: Any = 0, limit: Any = 25, company_id: Any = None) -> OrderPage:
    """The orders the actor sees, one page: filtered by status (one of `ORDER_STATUSES`), searched by
    number or (staff) company name, sorted by a column of `ORDER_SORTS` (ties by number). Staff may
    narrow to one company."""
    if not sees_catalog(actor):
        return OrderPage(rows=[], total=0)
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    if sort not in ORDER_SORTS or not isinstance(descending, bool):
        raise ValidationFailed({"sort": "error.invalid"})
    stmt = visible_orders(actor)
    if actor.is_staff and company_id not in (None, ""):
        stmt = stmt.where(SalesOrder.company_id == parse_id(company_id, field="company"))
    if status not in (None, ""):
        if status not in ORDER_STATUSES:
            raise ValidationFailed({"status": "error.invalid"})
        stmt = stmt.where(SalesOrder.status == status)
    text = clean_line(search, field="search", max_chars=SEARCH_CHARS) if search not in (None, "") else ""
    if text:
        clauses = [folded(col(SalesOrder.message)).like(like_pattern(text), escape="\\")]
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) <= 18:
            clauses.append(cast(col(SalesOrder.number), String).like(f"{digits}%"))
        if actor.is_staff:
            clauses.append(col(SalesOrder.company_id).in_(
                select(Company.id).where(folded(Company.name).like(like_pattern(text), escape="\\"))))
        stmt = stmt.where(or_(*clauses))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    column = col(_SORT_COLUMNS[sort])
    order = [column.desc(), col(SalesOrder.number).desc()] if descending else [column.asc(), col(SalesOrder.number)]
    rows = session.execute(
        stmt.add_columns(col(Company.name), col(Contact.first_name), col(Contact.last_name), col(QuoteRequest.number))
        .join(Company, col(Company.id) == SalesOrder.company_id).join(Contact, col(Contact.id) == SalesOrder.contact_id)
        .outerjoin(QuoteRequest, col(QuoteRequest.id) == SalesOrder.quote_id)
        .order_by(*order).offset(offset).limit(limit)).all()
    return OrderPage(rows=[OrderRow(id=o.id, number=o.number, status=o.status, company_id=o.company_id,  # type: ignore[arg-type]
                                    company_name=company, contact_name=f"{first} {last}".strip(),
                                    created_at=o.created_at, currency=o.currency, total_cents=o.total_cents,
                                    quote_number=quote) for o, company, first, last, quote in rows], total=total)


def load_order(session: Session, actor: Actor, number: Any) -> SalesOrder:
    """The order of that number if the actor may see it; else NotFound."""
    order = session.exec(visible_orders(actor).where(SalesOrder.number == parse_number(number))).first()
    if order is None:
        raise NotFound()
    return order


def detail_of(session: Session, order: SalesOrder, actor: Actor) -> OrderDetail:
    rows = session.exec(select(SalesOrderLine).where(SalesOrderLine.order_id == order.id)
                        .order_by(col(SalesOrderLine.position), col(SalesOrderLine.id))).all()
    lines = line_views(rows)
    vat, discount = summary(lines)
    quote = session.get(QuoteRequest, order.quote_id) if order.quote_id else None
    return OrderDetail(id=order.id, number=order.number, status=order.status,  # type: ignore[arg-type]
                       party=party(session, order.company_id, order.contact_id, order.customer), message=order.message,
                       wanted_delivery_date=order.wanted_delivery_date, currency=order.currency, lines=lines, vat=vat,
                       discount_cents=discount, subtotal_cents=order.subtotal_cents, vat_cents=order.vat_cents,
                       total_cents=order.total_cents, quote_number=quote.number if quote else None,
                       answer=quote.answer if quote else "",
                       created_at=order.created_at, updated_at=order.updated_at,
                       next_statuses=list(ORDER_TRANSITIONS.get(order.status, ())) if actor.is_staff else [],
                       cancel_reason=order.cancel_reason or "")


def get_order(*, session: Session, actor: Actor, number: Any) -> OrderDetail:
    """The order page: lines, VAT per rate, totals, status, the quote it came from. NotFound for
    another company's order or without the Catalog module, as for one that does not exist."""
    return detail_of(session, load_order(session, actor, number), actor)


def order_state(*, session: Session, actor: Actor, number: Any) -> OrderState:
    order = load_order(session, actor, number)
    return OrderState(number=order.number, status=order.status, updated_at=order.updated_at)


def order_pdf(*, session: Session, actor: Actor, number: Any, language: str | None = None) -> tuple[str, bytes]:
    """The order confirmation as a PDF (file name, bytes); NotFound like the page."""
    from ..pdf_doc import file_name
    from .pdf import render_order

    detail = get_order(session=session, actor=actor, number=number)
    lang = language or actor.language
    return file_name(lang, "order", detail.number), render_order(detail, lang)


def place_order(*, session: Session, actor: Actor, message: Any = "", wanted_delivery_date: Any = None,
                submission_id: Any = None, now: datetime | None = None, shown_prices: Any = None) -> Made:
    """Order the cart (edit rights): every line orderable (not quote only) and priced (not on
    request), else `error.catalog_not_orderable` naming the codes; the lines at this moment's
    prices, which must be the ones the customer saw (`shown_prices`, the cart page's
    `CartView.priced_as`: else `error.catalog_cart_changed`). The same form sent twice orders once."""
    require_shopper(actor)
    made = cart_to_document(session, actor, SalesOrder, message=message, wanted_delivery_date=wanted_delivery_date,
                            submission_id=submission_id, now=now, mails=catalog_mail.order_placed,
                            shown_prices=shown_prices)
    if not made.repeated:
        live.bump(live.order_key(made.number), live.ALL_ORDERS, live.cart_key(actor.contact_id))  # type: ignore[arg-type]
    return made


def set_order_status(*, session: Session, actor: Actor, number: Any, status: Any, reason: Any = None,
                     now: datetime | None = None) -> OrderMoved:
    """Staff moves an order to `status` along `ORDER_TRANSITIONS` (received -> confirmed ->
    shipped -> delivered; cancelled until shipped), with a mail to the order's contact in the same
    transaction, so only the change that wins mails (a double click, two staff at once: one mail).
    Cancelled: with `reason` (optional text, kept on the order and shown to the customer). A reason
    for any other status is refused."""
    actor.require_staff()
    now = now or utcnow()
    text = clean_text(reason, field="reason", max_chars=TEXT_LIMITS["cancel_reason"])
    order = load_order(session, actor, number)
    if status not in ORDER_TRANSITIONS.get(order.status, ()):
        raise ValidationFailed({"status": "error.invalid"})
    cancelling = status == OrderStatus.CANCELLED
    if text and not cancelling:
        raise ValidationFailed({"reason": "error.invalid"})
    values: dict[str, Any] = {"status": status, "updated_at": now}
    if cancelling:
        values["cancel_reason"] = text or None
    try:
        moved = session.execute(update(SalesOrder).where(col(SalesOrder.id) == order.id,
                                                         col(SalesOrder.status) == order.status)
                                .values(**values).execution_options(synchronize_session=False))
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            raise ValidationFailed({"status": "error.catalog_order_changed"})
        session.refresh(order)
        lines = session.exec(select(SalesOrderLine).where(SalesOrderLine.order_id == order.id)
                             .order_by(col(SalesOrderLine.position), col(SalesOrderLine.id))).all()
        mails = (catalog_mail.order_cancelled if cancelling else catalog_mail.order_moved)(session, order, lines)
        mail_ids = outbox.enqueue(session=session, mails=mails, now=now, commit=False)
        session.commit()
    except Exception:
        session.rollback()
        raise
    live.bump(live.order_key(order.number), live.ALL_ORDERS)
    session.refresh(order)
    return OrderMoved(**vars(detail_of(session, order, actor)), mail_ids=mail_ids)
