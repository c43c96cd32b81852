"""Quote requests: the customer sends its cart as a request, staff answers with prices (and
discounts, and a last day), the customer accepts (it becomes a sales order) or declines.

- `request_quote` (edit rights on Catalog): the cart's lines with the prices of that moment
  (frozen; "price on request" lines without one), the message and the wanted delivery date; the
  next quote number; the cart emptied; mail to the contact and to sales. One transaction.
- `list_quotes`, `get_quote`, `quote_pdf` (view rights): the company's quotes, whoever asked;
  staff's inbox is the same list over every company.
- `accept_quote`, `decline_quote` (edit rights): a quoted quote, until its `expires_on`
  (inclusive); accepting after it is refused with `error.quote_expired`. Accepting makes the
  sales order (status Received) with the quote's lines, in the same transaction.
- staff: `start_answer` proposes the requested lines at the company's prices today, expiring in
  `QUOTE_VALID_DAYS`; `send_quote` stores staff's lines, discounts and expiry and mails the
  contact. A quote may be revised until the customer decides.

The status shown is the stored one, except that a quoted quote past its `expires_on` shows as
`expired` (`status_of`, and `status_clause` for the list's filter).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, case, cast, delete, func, or_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ...local_time import today as local_today
from ...models import (
    Company, Contact, NumberCounter, Product, QuoteLine, QuoteRequest, QuoteStatus, SalesOrder, SalesOrderLine, utcnow,
)
from .. import live
from ..mail import outbox
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..money import line_net, line_too_large, parse_cents, parse_discount, parse_quantity, parse_vat_rate
from ..numbering import next_number
from ..submissions import parse_submission_id
from ..validation import canonical_int, clean_line, clean_text, like_pattern, parse_date, parse_id, parse_page
from . import catalog_mail, prices
from .catalog_rules import (
    ANSWERABLE, DECLINABLE, MAX_PRICE_CENTS, MAX_QUANTITY_MILLI, MAX_QUOTE_LINES, MAX_QUOTE_VALID_DAYS,
    PAGE_LIMIT, QUOTE_SORTS, QUOTE_STATUSES, QUOTE_VALID_DAYS, SEARCH_CHARS, TEXT_LIMITS,
)
from .documents import DocumentDetail, DocumentRow, Made, cart_to_document, line_views, party, priced_totals, summary
from .inputs import parse_number, today_of
from .scope import may_shop, require_shopper, sees_catalog, visible_quotes
from ..folding import folded

Q = QuoteStatus


# --- status ----------------------------------------------------------------------------------------

def status_of(quote: QuoteRequest, today: date) -> str:
    if quote.status == Q.QUOTED and quote.expires_on is not None and quote.expires_on < today:
        return Q.EXPIRED
    return quote.status


def status_clause(status: str, today: date) -> ColumnElement[bool]:
    """The SQL twin of `status_of` for one status (the lists' filter)."""
    quoted = col(QuoteRequest.status) == Q.QUOTED
    past = and_(col(QuoteRequest.expires_on).is_not(None), col(QuoteRequest.expires_on) < today)
    if status == Q.EXPIRED:
        return and_(quoted, past)
    if status == Q.QUOTED:
        return and_(quoted, ~past)
    if status in QUOTE_STATUSES:
        return col(QuoteRequest.status) == status
    raise ValidationFailed({"status": "error.invalid"})


# --- views -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteRow(DocumentRow):
    expires_on: date | None
    on_request: bool  # some line has no price yet


@dataclass(frozen=True)
class QuotePage:
    rows: list[QuoteRow]
    total: int


@dataclass(frozen=True)
class QuoteDetail(DocumentDetail):
    answer: str  # staff's message with the quote
    expires_on: date | None
    decline_reason: str
    on_request: bool
    quoted_at: datetime | None
    decided_at: datetime | None
    revision: int  # staff's sendings so far: "Accept" sends back the one it shows
    order_number: int | None  # the sales order an accepted quote became
    may_decide: bool  # show Accept / Decline: quoted, not expired, the actor has edit rights
    may_answer: bool  # staff: the quote can be sent (or revised)


@dataclass(frozen=True)
class Accepted:
    quote_number: int
    order_number: int
    mail_ids: list[int]


@dataclass(frozen=True)
class AnswerLine:
    product_id: int | None
    code: str
    name: str
    unit: str
    quantity_milli: int
    unit_price_cents: int | None  # None: staff has to give a price
    discount_bp: int
    vat_rate_bp: int


@dataclass(frozen=True)
class QuoteAnswer:
    """Staff's answer form, filled in: the lines at the company's prices today (or the quote's own
    when revising), the last day, staff's message."""

    number: int
    currency: str
    price_book: str  # the company's book today; "" for list prices
    expires_on: date
    answer: str
    lines: list[AnswerLine]


def _names(session: Session, quotes: list[QuoteRequest]) -> tuple[dict[int, str], dict[int, str]]:
    companies = {q.company_id for q in quotes}
    contacts = {q.contact_id for q in quotes}
    company = dict(session.exec(select(Company.id, Company.name).where(col(Company.id).in_(companies))).all()) \
        if companies else {}
    people = {i: f"{f} {la}".strip() for i, f, la in session.exec(
        select(Contact.id, Contact.first_name, Contact.last_name).where(col(Contact.id).in_(contacts))).all()} \
        if contacts else {}
    return company, people  # type: ignore[return-value]


def _unpriced(session: Session, quote_ids: list[int]) -> set[int]:
    if not quote_ids:
        return set()
    return set(session.exec(select(QuoteLine.quote_id).where(col(QuoteLine.quote_id).in_(quote_ids),
                                                             col(QuoteLine.unit_price_cents).is_(None))).all())


# --- the list --------------------------------------------------------------------------------------

_SORT_COLUMNS = {"number": QuoteRequest.number, "created": QuoteRequest.created_at,
                 "expires_on": QuoteRequest.expires_on, "total": QuoteRequest.total_cents}


def list_quotes(*, session: Session, actor: Actor, status: Any = None, search: Any = "", sort: Any = "number",
                descending: Any = True, offset: Any = 0, limit: Any = 25, company_id: Any = None,
                today: date | None = None) -> QuotePage:
    """The quotes the actor sees, one page: filtered by status (one of `QUOTE_STATUSES`), searched by
    number or (staff) company name, sorted by a column of `QUOTE_SORTS` (ties by number). Staff's
    inbox is this list over every company (`status="requested"`: what waits for an answer), and
    may narrow to one company."""
    if not sees_catalog(actor):
        return QuotePage(rows=[], total=0)
    day = today_of(today)
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    if sort not in QUOTE_SORTS or not isinstance(descending, bool):
        raise ValidationFailed({"sort": "error.invalid"})
    stmt = visible_quotes(actor)
    if actor.is_staff and company_id not in (None, ""):
        stmt = stmt.where(QuoteRequest.company_id == parse_id(company_id, field="company"))
    if status not in (None, ""):
        if status not in QUOTE_STATUSES:
            raise ValidationFailed({"status": "error.invalid"})
        stmt = stmt.where(status_clause(status, day))
    text = clean_line(search, field="search", max_chars=SEARCH_CHARS) if search not in (None, "") else ""
    if text:
        stmt = stmt.where(_search_clause(text, staff=actor.is_staff))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    column = col(_SORT_COLUMNS[sort])
    order = [column.desc().nulls_last(), col(QuoteRequest.number).desc()] if descending \
        else [column.asc().nulls_last(), col(QuoteRequest.number)]
    quotes = list(session.exec(stmt.order_by(*order).offset(offset).limit(limit)).all())
    companies, people = _names(session, quotes)
    unpriced = _unpriced(session, [q.id for q in quotes])  # type: ignore[misc]
    return QuotePage(rows=[QuoteRow(id=q.id, number=q.number, status=status_of(q, day),  # type: ignore[arg-type]
                                    company_id=q.company_id, company_name=companies.get(q.company_id, ""),
                                    contact_name=people.get(q.contact_id, ""), created_at=q.created_at,
                                    expires_on=q.expires_on, currency=q.currency, total_cents=q.total_cents,
                                    on_request=q.id in unpriced) for q in quotes], total=total)


def _search_clause(text: str, *, staff: bool) -> ColumnElement[bool]:
    digits = text.replace(" ", "")
    clauses = []
    if digits.isdigit() and len(digits) <= 18:
        clauses.append(cast(col(QuoteRequest.number), String).like(f"{digits}%"))
    if staff:
        clauses.append(col(QuoteRequest.company_id).in_(
            select(Company.id).where(folded(Company.name).like(like_pattern(text), escape="\\"))))
    clauses.append(folded(col(QuoteRequest.message)).like(like_pattern(text), escape="\\"))
    return or_(*clauses)


# --- one quote -------------------------------------------------------------------------------------

def load_quote(session: Session, actor: Actor, number: Any) -> QuoteRequest:
    """The quote of that number if the actor may see it; else NotFound."""
    quote = session.exec(visible_quotes(actor).where(QuoteRequest.number == parse_number(number))).first()
    if quote is None:
        raise NotFound()
    return quote


def _lines_of(session: Session, quote_id: int) -> list[QuoteLine]:
    return list(session.exec(select(QuoteLine).where(QuoteLine.quote_id == quote_id)
                             .order_by(col(QuoteLine.position), col(QuoteLine.id))).all())


def detail_of(session: Session, quote: QuoteRequest, actor: Actor, today: date) -> QuoteDetail:
    lines = line_views(_lines_of(session, quote.id))  # type: ignore[arg-type]
    vat, discount = summary(lines)
    status = status_of(quote, today)
    order = session.exec(select(SalesOrder.number).where(SalesOrder.quote_id == quote.id)).first()
    return QuoteDetail(
        id=quote.id, number=quote.number, status=status,  # type: ignore[arg-type]
        party=party(session, quote.company_id, quote.contact_id, quote.customer), message=quote.message,
        wanted_delivery_date=quote.wanted_delivery_date, answer=quote.answer, expires_on=quote.expires_on,
        decline_reason=quote.decline_reason, currency=quote.currency, lines=lines, vat=vat, discount_cents=discount,
        subtotal_cents=quote.subtotal_cents, vat_cents=quote.vat_cents, total_cents=quote.total_cents,
        on_request=any(li.unit_price_cents is None for li in lines), created_at=quote.created_at,
        quoted_at=quote.quoted_at, decided_at=quote.decided_at, revision=quote.revision, order_number=order,
        may_decide=status == Q.QUOTED and may_shop(actor),
        may_answer=actor.is_staff and status in ANSWERABLE)


def get_quote(*, session: Session, actor: Actor, number: Any, today: date | None = None) -> QuoteDetail:
    """The quote page: lines (with discounts), VAT per rate, totals, messages, dates, the order it
    became, and whether the actor may accept or decline (or, staff, answer) it now. NotFound for
    another company's quote or without the Catalog module, as for one that does not exist."""
    return detail_of(session, load_quote(session, actor, number), actor, today_of(today))


def quote_state(*, session: Session, actor: Actor, number: Any, today: date | None = None) -> str:
    """The quote's status now: what a live page re-reads when `live.quote_key(number)` moved."""
    return status_of(load_quote(session, actor, number), today_of(today))


def quote_pdf(*, session: Session, actor: Actor, number: Any, language: str | None = None,
              today: date | None = None) -> tuple[str, bytes]:
    """The quote as a PDF (file name, bytes), with the page's content; NotFound like the page."""
    from ..pdf_doc import file_name
    from .pdf import render_quote

    detail = get_quote(session=session, actor=actor, number=number, today=today)
    lang = language or actor.language
    return file_name(lang, "quote", detail.number), render_quote(detail, lang)


# --- the customer's side -----------------------------------------------------------------------------

def request_quote(*, session: Session, actor: Actor, message: Any = "", wanted_delivery_date: Any = None,
                  submission_id: Any = None, now: datetime | None = None, shown_prices: Any = None) -> Made:
    """Send the cart as a quote request (edit rights): its lines at this moment's prices (lines on
    request without one), the message and the wanted delivery date (today or later). The cart is
    emptied in the same transaction. The same form sent twice makes one request. `shown_prices`:
    as `documents.cart_to_document` checks it."""
    require_shopper(actor)
    made = cart_to_document(session, actor, QuoteRequest, message=message, wanted_delivery_date=wanted_delivery_date,
                            submission_id=submission_id, now=now, mails=catalog_mail.quote_requested,
                            shown_prices=shown_prices)
    if not made.repeated:
        live.bump(live.quote_key(made.number), live.ALL_QUOTES, live.cart_key(actor.contact_id))  # type: ignore[arg-type]
    return made


def _decide(session: Session, quote: QuoteRequest, *, allowed: tuple[str, ...], values: dict,
            today: date | None = None, also: tuple[ColumnElement[bool], ...] = ()) -> None:
    """Move the quote on from one of the stored statuses `allowed` (and the conditions `also`) in
    one conditional UPDATE: of two decisions at once, one wins and the other is refused. With
    `today` (the customer's decisions) a quote past its last day is refused as expired."""
    conditions = [col(QuoteRequest.id) == quote.id, col(QuoteRequest.status).in_(allowed), *also]
    if today is not None:
        if status_of(quote, today) == Q.EXPIRED:
            # no date here (a service has no language): the page says "valid until <its date>" itself
            raise ValidationFailed({"form": "error.quote_expired"})
        conditions.append(or_(col(QuoteRequest.expires_on).is_(None), col(QuoteRequest.expires_on) >= today))
    taken = session.execute(update(QuoteRequest).where(*conditions)
                            .values(**values).execution_options(synchronize_session=False))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise ValidationFailed({"form": "error.quote_not_open"})


def accept_quote(*, session: Session, actor: Actor, number: Any, revision: Any = None,
                 now: datetime | None = None) -> Accepted:
    """Accept a quote (edit rights): until its last day, it becomes a sales order with status
    Received and the quote's lines, prices and discounts, in one transaction; mail to the contact
    and to sales. After `expires_on`: `error.quote_expired`; not quoted (or decided): `error.quote_not_open`.
    `revision`: the one the customer's page shows (`QuoteDetail.revision`); staff having sent another
    since (new prices) refuses it with `error.quote_revised`, in the same UPDATE that decides it."""
    require_shopper(actor)
    now = now or utcnow()
    seen = None if revision is None else canonical_int(revision)
    if revision is not None and (seen is None or not 0 <= seen <= 2**62):
        raise ValidationFailed({"form": "error.invalid"})
    quote = load_quote(session, actor, number)
    quote_id, quote_number = quote.id, quote.number
    try:
        try:
            _decide(session, quote, allowed=(Q.QUOTED,), today=local_today(now),
                    also=() if seen is None else (col(QuoteRequest.revision) == seen,),
                    values={"status": Q.ACCEPTED, "decided_at": now, "updated_at": now})
        except ValidationFailed:
            session.expire(quote)  # as the refused UPDATE found it
            if seen is not None and quote.status == Q.QUOTED and quote.revision != seen:
                raise ValidationFailed({"form": "error.quote_revised"}) from None
            raise
        session.refresh(quote)
        order_number = next_number(session, NumberCounter, "order", numbered=SalesOrder.number)
        order = SalesOrder(number=order_number, company_id=quote.company_id, contact_id=actor.contact_id,  # type: ignore[arg-type]
                           customer=list(quote.customer), quote_id=quote_id, message=quote.message, wanted_delivery_date=quote.wanted_delivery_date,
                           currency=quote.currency, subtotal_cents=quote.subtotal_cents, vat_cents=quote.vat_cents,
                           total_cents=quote.total_cents, created_at=now, updated_at=now)
        session.add(order)
        session.flush()
        rows = [SalesOrderLine(order_id=order.id, position=li.position, product_id=li.product_id, code=li.code,  # type: ignore[arg-type]
                               name=li.name, unit=li.unit, quantity_milli=li.quantity_milli,
                               unit_price_cents=li.unit_price_cents or 0, discount_bp=li.discount_bp,
                               vat_rate_bp=li.vat_rate_bp, net_cents=li.net_cents or 0)
                for li in _lines_of(session, quote_id)]  # type: ignore[arg-type]
        session.add_all(rows)
        mails = catalog_mail.order_placed(session, order, rows, quote_number=quote_number)
        mail_ids = outbox.enqueue(session=session, mails=mails, now=now, commit=False)
        session.commit()
    except Exception:
        session.rollback()
        raise
    live.bump(live.quote_key(quote_number), live.ALL_QUOTES, live.order_key(order_number), live.ALL_ORDERS)
    return Accepted(quote_number=quote_number, order_number=order_number, mail_ids=mail_ids)


def decline_quote(*, session: Session, actor: Actor, number: Any, reason: Any = "", meant: Any = None,
                  now: datetime | None = None) -> list[int]:
    """Decline a quote, or withdraw a request not answered yet (edit rights), with an optional reason;
    sales is told (the outbox ids).
    `meant`: what the customer chose, "withdraw" (the request) or "decline" (the quote). A request
    staff answered meanwhile is then not declined unseen: `error.quote_answered_meanwhile`. Without
    it, which of the two follows the status at the moment of the update."""
    require_shopper(actor)
    if meant not in (None, "withdraw", "decline"):
        raise ValidationFailed({"form": "error.invalid"})
    now = now or utcnow()
    text = clean_text(reason, field="reason", max_chars=TEXT_LIMITS["decline_reason"])
    quote = load_quote(session, actor, number)
    outcome = case((col(QuoteRequest.status) == Q.REQUESTED, Q.WITHDRAWN.value), else_=Q.DECLINED.value)
    allowed = {"withdraw": (Q.REQUESTED,), "decline": (Q.QUOTED,)}.get(meant, DECLINABLE)
    try:
        _decide(session, quote, allowed=allowed, today=local_today(now),
                values={"status": outcome, "decline_reason": text, "decided_at": now, "updated_at": now})
    except ValidationFailed:
        session.expire(quote)  # as the refused UPDATE found it
        if meant == "withdraw" and quote.status == Q.QUOTED:
            raise ValidationFailed({"form": "error.quote_answered_meanwhile"}) from None
        raise
    session.refresh(quote)  # declined or withdrawn, as the update decided
    mail_ids = outbox.enqueue(session=session, now=now, commit=False,
                              mails=catalog_mail.quote_decided(session, quote, by_contact_id=actor.contact_id))
    session.commit()
    live.bump(live.quote_key(quote.number), live.ALL_QUOTES)
    return mail_ids


# --- staff's answer --------------------------------------------------------------------------------

def _answerable(session: Session, actor: Actor, number: Any, today: date) -> QuoteRequest:
    actor.require_staff()
    quote = load_quote(session, actor, number)
    if status_of(quote, today) not in ANSWERABLE:
        raise ValidationFailed({"form": "error.quote_not_open"})
    return quote


def start_answer(*, session: Session, actor: Actor, number: Any, today: date | None = None) -> QuoteAnswer:
    """Staff's answer form for a request: the requested lines at the company's prices today (a
    product the company's book lacks, or one gone from the catalog, keeps the price of the request,
    or none), or a quoted quote's own lines when revising it; the last day `QUOTE_VALID_DAYS` ahead."""
    day = today_of(today)
    quote = _answerable(session, actor, number, day)
    lines = _lines_of(session, quote.id)  # type: ignore[arg-type]
    book = prices.company_book(session, quote.company_id, day)
    current: dict[int, int | None] = {}
    if quote.status == Q.REQUESTED:
        products = list(session.exec(select(Product).where(col(Product.id).in_(
            [li.product_id for li in lines if li.product_id]))).all())
        current = {pid: p.cents for pid, p in prices.prices_of(session, company_id=quote.company_id,
                                                                products=products, day=day).items()}
    answer_lines = [AnswerLine(product_id=li.product_id, code=li.code, name=li.name, unit=li.unit,
                               quantity_milli=li.quantity_milli,
                               unit_price_cents=current.get(li.product_id) if current.get(li.product_id) is not None  # type: ignore[arg-type]
                               else li.unit_price_cents,
                               discount_bp=li.discount_bp, vat_rate_bp=li.vat_rate_bp) for li in lines]
    expires = quote.expires_on if quote.expires_on and quote.expires_on >= day else day + timedelta(
        days=QUOTE_VALID_DAYS)
    return QuoteAnswer(number=quote.number, currency=quote.currency, price_book=book.name if book else "",
                       expires_on=expires, answer=quote.answer, lines=answer_lines)


_LINE_FIELDS = (
    ("name", lambda v, f: clean_line(v, field=f, max_chars=TEXT_LIMITS["line_name"])),
    ("code", lambda v, f: clean_line(v, field=f, max_chars=TEXT_LIMITS["code"])),
    ("unit", lambda v, f: clean_line(v, field=f, max_chars=TEXT_LIMITS["unit"])),
    ("quantity", lambda v, f: parse_quantity(v, field=f, maximum=MAX_QUANTITY_MILLI)),
    ("unit_price", lambda v, f: parse_cents(v, field=f, maximum=MAX_PRICE_CENTS)),
    ("discount", lambda v, f: parse_discount(v, field=f)),
    ("vat_rate", lambda v, f: parse_vat_rate(v, field=f)),
)
_OPTIONAL = {"code": "", "unit": "", "discount": None}


def _answer_lines(raw: Any, known_products: dict[int, bool]) -> list[dict]:
    """Staff's lines from the form, every error at once (`lines.<n>.<field>`): a name, a quantity,
    a price (every line needs one now), a discount and a VAT rate; a product id when the line is a
    catalog product (`known_products`: id -> sold in whole units only, whose quantity must be whole
    here too, as in the cart)."""
    if not isinstance(raw, list | tuple) or not raw:
        raise ValidationFailed({"lines": "error.invoice_no_lines"})
    if len(raw) > MAX_QUOTE_LINES:
        raise ValidationFailed({"lines": ("error.too_many", {"max": MAX_QUOTE_LINES})})
    errors: dict[str, Any] = {}
    lines = []
    for n, item in enumerate(raw):
        if not isinstance(item, Mapping):
            errors[f"lines.{n}"] = "error.invalid"
            continue
        values: dict[str, Any] = {}
        for key, read in _LINE_FIELDS:
            try:
                values[key] = read(item.get(key, _OPTIONAL.get(key)), f"lines.{n}.{key}")
            except ValidationFailed as exc:
                errors.update(exc.fields)
        if values.get("name") == "":
            errors[f"lines.{n}.name"] = "error.required"
        product = item.get("product_id")
        if product not in (None, "") and canonical_int(product) not in known_products:
            errors[f"lines.{n}.product_id"] = "error.invalid"
        elif product not in (None, "") and known_products[canonical_int(product)] \
                and isinstance(values.get("quantity"), int) and values["quantity"] % 1000:  # type: ignore[index]
            errors[f"lines.{n}.quantity"] = ("error.catalog_whole_units", {"unit": values.get("unit") or "pcs"})
        if isinstance(values.get("quantity"), int) and isinstance(values.get("unit_price"), int) \
                and (too_large := line_too_large(values["quantity"], values["unit_price"])):
            errors.setdefault(f"lines.{n}.quantity", too_large)
        if not any(k.startswith(f"lines.{n}") for k in errors):
            lines.append({"position": n, "product_id": canonical_int(product) if product not in (None, "") else None,
                          "code": values["code"], "name": values["name"], "unit": values["unit"],
                          "quantity_milli": values["quantity"], "unit_price_cents": values["unit_price"],
                          "discount_bp": values["discount"], "vat_rate_bp": values["vat_rate"],
                          "net_cents": line_net(values["quantity"], values["unit_price"], values["discount"])})
    if errors:
        raise ValidationFailed(errors)
    return lines


def _answered_with(session: Session, actor: Actor, number: Any, submission: str | None) -> bool:
    """Whether the quote's last answer was sent by the form of `submission` (staff only)."""
    if submission is None:
        return False
    actor.require_staff()
    return load_quote(session, actor, number).answer_submission_id == submission


def _as_sent(session: Session, quote: QuoteRequest, lines: list[dict], expires: date | None, answer: str) -> bool:
    """The answer is the version the customer has already: the same lines, last day and words."""
    if quote.status != Q.QUOTED or quote.expires_on != expires or quote.answer != answer:
        return False
    sent = session.exec(select(QuoteLine).where(QuoteLine.quote_id == quote.id).order_by(col(QuoteLine.position))).all()
    return len(sent) == len(lines) and all(getattr(row, key) == value for row, line in zip(sent, lines, strict=True)
                                           for key, value in line.items())


def send_quote(*, session: Session, actor: Actor, number: Any, data: Any, submission_id: Any = None,
               revision: Any = None, now: datetime | None = None) -> list[int]:
    """Staff sends the quote (or a revision): `data` = {"lines": [{product_id (optional), code,
    name, unit, quantity, unit_price, discount (%), vat_rate (%)}], "expires_on", "answer"}. Every
    line priced; the last day from today to `MAX_QUOTE_VALID_DAYS` ahead. The quote's lines are
    replaced, its totals computed (`money`), its status Quoted; mail to the contact. The outbox ids.
    `submission_id`: the answer form's id (`services/submissions.py`); the form sent again (a double
    click, also two sendings at the same moment) changes nothing and mails nobody: []. `revision`: the
    one the form was started from (`QuoteDetail.revision`); a colleague having sent the quote since
    refuses it whole with `error.quote_sent_meanwhile`, in the same UPDATE that sends it (two staff
    tabs: the second would otherwise replace the first's answer unseen, and mail the customer twice)."""
    now = now or utcnow()
    submission = parse_submission_id(submission_id)
    seen = None if revision is None else canonical_int(revision)
    if revision is not None and (seen is None or not 0 <= seen <= 2**62):
        raise ValidationFailed({"form": "error.invalid"})
    if _answered_with(session, actor, number, submission):
        return []
    quote = _answerable(session, actor, number, local_today(now))
    if seen is not None and quote.revision != seen:
        raise ValidationFailed({"form": "error.quote_sent_meanwhile"})
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    raw = data.get("lines")
    wanted = [canonical_int(li.get("product_id")) for li in raw if isinstance(li, Mapping)] \
        if isinstance(raw, list | tuple) else []
    known = dict(session.exec(select(Product.id, Product.whole_units)
                              .where(col(Product.id).in_([w for w in wanted if w]))).all()) if any(wanted) else {}
    errors: dict[str, Any] = {}
    lines: list[dict] = []
    try:
        lines = _answer_lines(data.get("lines"), known)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        errors.update(exc.fields)
    expires, answer = None, ""
    try:
        expires = parse_date(data.get("expires_on"), field="expires_on")
        if expires is None:
            errors["expires_on"] = "error.required"
        elif not local_today(now) <= expires <= local_today(now) + timedelta(days=MAX_QUOTE_VALID_DAYS):
            errors["expires_on"] = ("error.catalog_expiry_range", {"days": MAX_QUOTE_VALID_DAYS})
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        answer = clean_text(data.get("answer"), field="answer", max_chars=TEXT_LIMITS["answer"])
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    if _as_sent(session, quote, lines, expires, answer):  # "Send" again unchanged: no revision, no mail
        if _answered_with(session, actor, number, submission):  # this form's other sending, just now
            return []
        raise ValidationFailed({"form": "error.quote_unchanged"})
    subtotal, vat, total = priced_totals((li["net_cents"], li["vat_rate_bp"]) for li in lines)
    try:
        _decide(session, quote, allowed=(Q.REQUESTED, Q.QUOTED),
                also=((col(QuoteRequest.answer_submission_id).is_distinct_from(submission),) if submission else ())
                + (() if seen is None else (col(QuoteRequest.revision) == seen,)),
                values={"status": Q.QUOTED, "revision": col(QuoteRequest.revision) + 1,
                        "expires_on": expires, "answer": answer, "subtotal_cents": subtotal,
                        "vat_cents": vat, "total_cents": total, "quoted_at": now, "quoted_by_id": actor.account_id,
                        "answer_submission_id": submission, "updated_at": now})
    except ValidationFailed:  # (rolled back)
        if _answered_with(session, actor, number, submission):  # its other sending won the race
            return []
        session.expire(quote)  # as the refused UPDATE found it
        if seen is not None and quote.status == Q.QUOTED and quote.revision != seen:  # a colleague's won
            raise ValidationFailed({"form": "error.quote_sent_meanwhile"}) from None
        raise
    except Exception:
        session.rollback()
        raise
    try:
        session.execute(delete(QuoteLine).where(col(QuoteLine.quote_id) == quote.id))
        rows = [QuoteLine(quote_id=quote.id, **li) for li in lines]  # type: ignore[arg-type]
        session.add_all(rows)
        session.flush()
        session.refresh(quote)
        mail_ids = outbox.enqueue(session=session, mails=catalog_mail.quote_sent(session, quote, rows), now=now,
                                       commit=False)
        session.commit()
    except Exception:
        session.rollback()
        raise
    live.bump(live.quote_key(quote.number), live.ALL_QUOTES)
    return mail_ids
