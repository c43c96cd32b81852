"""Invoices for customers (and staff's read side): the list, the invoice page, its PDF, the live status.

The status people see is derived from the stored state, the balance and the due date
(`status_of`, and the same rules in SQL for the list's filter: `status_clause`). Amounts are
integer cents in the views; pages format them per language (`i18n.format_money`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ...local_time import today as local_today
from ...models import (
    Account, AttemptStatus, Company, Invoice, InvoiceKind, InvoiceLine, InvoiceState, InvoiceStatus, Payment,
    PaymentAttempt,
)
from ...settings import settings
from .. import live
from ..actor import Actor
from ..portal.row import get_portal_settings
from ..errors import NotFound, ValidationFailed
from ..validation import canonical_int, clean_line, like_pattern, parse_page
from .invoice_rules import PAGE_LIMIT, SORTS, STAFF_STATUSES, STATUSES, seller_of
from ..money import VatRow, vat_summary
from .reference import grouped, rf_reference
from .scope import may_pay, sees_invoices, visible_invoices
from ..folding import folded

S = InvoiceStatus


# --- status ----------------------------------------------------------------------------------------

def status_of(invoice: Invoice, today: date) -> str:
    """Draft, Void, Credit note, Credited, Paid, Overdue, Partly paid or Open: what the invoice is now."""
    if invoice.state == InvoiceState.DRAFT:
        return S.DRAFT
    if invoice.state == InvoiceState.VOID:
        return S.VOID
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return S.CREDIT_NOTE
    if invoice.balance_cents <= 0:
        if invoice.kind == InvoiceKind.INVOICE and invoice.credited_cents > 0:
            return S.CREDITED  # a credit note took it off, whether or not something was paid
        return S.PAID
    if invoice.due_date is not None and invoice.due_date < today:
        return S.OVERDUE
    if invoice.paid_cents > 0 or invoice.credited_cents > 0:
        return S.PARTLY_PAID
    return S.OPEN


def status_clause(status: str, today: date) -> ColumnElement[bool]:
    """The SQL twin of `status_of` for one status (the list's filter)."""
    issued = col(Invoice.state) == InvoiceState.ISSUED
    owing = col(Invoice.balance_cents) > 0
    overdue = and_(col(Invoice.due_date).is_not(None), col(Invoice.due_date) < today)
    invoice = col(Invoice.kind) == InvoiceKind.INVOICE
    credited = and_(invoice, col(Invoice.credited_cents) > 0)
    if status == S.DRAFT:
        return col(Invoice.state) == InvoiceState.DRAFT
    if status == S.VOID:
        return col(Invoice.state) == InvoiceState.VOID
    if status == S.CREDIT_NOTE:
        return and_(issued, col(Invoice.kind) == InvoiceKind.CREDIT_NOTE)
    if status == S.CREDITED:
        return and_(issued, ~owing, credited)
    if status == S.PAID:
        return and_(issued, ~owing, invoice, ~credited)
    if status == S.OVERDUE:
        return and_(issued, owing, overdue)
    if status == S.PARTLY_PAID:
        return and_(issued, owing, ~overdue, or_(col(Invoice.paid_cents) > 0, col(Invoice.credited_cents) > 0))
    if status == S.OPEN:
        return and_(issued, owing, ~overdue, col(Invoice.paid_cents) == 0, col(Invoice.credited_cents) == 0)
    raise ValidationFailed({"status": "error.invalid"})


def payments_enabled() -> bool:
    """Online payment is offered only with Stripe's secret and publishable keys configured."""
    return bool(settings.stripe_secret_key and settings.stripe_publishable_key)


# --- views -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InvoiceRow:
    id: int
    number: int  # 0 for a draft (staff's list only)
    kind: str
    company_id: int
    company_name: str
    issue_date: date | None
    due_date: date | None
    currency: str
    total_cents: int
    paid_cents: int
    balance_cents: int
    status: str
    needs_review: bool


@dataclass(frozen=True)
class CurrencySums:
    currency: str
    open_cents: int  # every open balance, overdue included
    overdue_cents: int


@dataclass(frozen=True)
class InvoicePage:
    rows: list[InvoiceRow]
    total: int  # rows matching, on every page
    sums: list[CurrencySums]  # of the actor's whole scope, not only this filter


@dataclass(frozen=True)
class LineView:
    position: int
    description: str
    product_code: str
    quantity_milli: int
    unit: str
    unit_price_cents: int
    vat_rate_bp: int
    net_cents: int


@dataclass(frozen=True)
class PaymentView:
    received_at: datetime
    method: str  # stripe / bank
    amount_cents: int
    applied_cents: int
    excess_cents: int
    currency: str
    payment_intent_id: str | None  # staff's view only; None for customers
    note: str = ""  # what staff noted on a bank payment; staff's view only


@dataclass(frozen=True)
class AttemptView:
    id: int
    payment_intent_id: str
    amount_cents: int
    currency: str
    status: str
    last_error: str
    started_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class InvoiceDetail:
    id: int
    number: int | None
    kind: str
    credit_for_number: int | None
    company_id: int
    company_name: str
    company_address: list[str]
    state: str
    status: str
    issue_date: date | None
    due_date: date | None
    currency: str
    notes: str
    lines: list[LineView]
    vat: list[VatRow]
    subtotal_cents: int
    vat_cents: int
    total_cents: int
    paid_cents: int
    credited_cents: int
    balance_cents: int
    credit_cents: int  # paid above the total (owed back)
    needs_review: bool
    reference: str  # Finnish, grouped: "10016"
    rf_reference: str  # "RF08 1001 6"
    seller: dict[str, str]
    payments: list[PaymentView]
    attempts: list[AttemptView]  # staff only; [] for customers
    processing: bool  # a card payment is being confirmed by Stripe
    can_pay: bool  # show "Pay now": Stripe configured, a balance open, the actor may pay
    created_at: datetime | None = None  # with the id, which draft this is (SQLite reuses a deleted one's id)
    updated_at: datetime | None = None  # a draft's last save: a form shown before another save is told

    @property
    def pays_by_transfer(self) -> bool:
        """Whether the page and the PDF give the bank transfer's details: an invoice with something
        left to pay, and the seller's IBAN set (not a credit note, not a voided or a paid one)."""
        return (self.kind != "credit_note" and self.state != "void" and self.balance_cents > 0
                and bool(self.seller["iban"]))


@dataclass(frozen=True)
class PaymentState:
    """The few numbers a live invoice page re-reads after `live.invoice_key(number)` moved."""

    number: int
    status: str
    paid_cents: int
    balance_cents: int
    processing: bool
    last_error: str  # Stripe's message of the last decline ("" unless the last attempt failed)
    last_error_code: str  # and its code: what the customer is told (card_errors.card_error_text)


def _today(today: date | None) -> date:
    return today or local_today()


def _row(invoice: Invoice, company_name: str, today: date) -> InvoiceRow:
    return InvoiceRow(id=invoice.id, number=invoice.number or 0, kind=invoice.kind,  # type: ignore[arg-type]
                      company_id=invoice.company_id,
                      company_name=company_name, issue_date=invoice.issue_date, due_date=invoice.due_date,
                      currency=invoice.currency, total_cents=invoice.total_cents, paid_cents=invoice.paid_cents,
                      balance_cents=invoice.balance_cents, status=status_of(invoice, today),
                      needs_review=invoice.needs_review)


# --- the list --------------------------------------------------------------------------------------

_SORT_COLUMNS = {"number": Invoice.number, "issue_date": Invoice.issue_date, "due_date": Invoice.due_date,
                 "total": Invoice.total_cents, "balance": Invoice.balance_cents}


def _search_clause(text: str) -> ColumnElement[bool]:
    digits = text.replace(" ", "")
    pattern = like_pattern(text)
    # what was bought: a line's description or product code ("toner" finds the invoice of the toner)
    bought = exists(select(InvoiceLine.id).where(
        col(InvoiceLine.invoice_id) == col(Invoice.id),
        or_(folded(col(InvoiceLine.description)).like(pattern, escape="\\"),
            folded(col(InvoiceLine.product_code)).like(pattern, escape="\\"))))
    clauses = [folded(col(Invoice.notes)).like(pattern, escape="\\"), bought]
    if digits.isdigit() and len(digits) <= 19:
        clauses += [cast(col(Invoice.number), String).like(f"{digits}%"), col(Invoice.reference) == digits]
    return or_(*clauses)


def list_invoices(*, session: Session, actor: Actor, status: Any = None, search: Any = "", sort: Any = "number",
                  descending: Any = True, offset: Any = 0, limit: Any = 25, company_id: Any = None,
                  today: date | None = None) -> InvoicePage:
    """The invoices the actor sees, one page: filtered by status (one of `STATUSES`, staff also
    "draft"), searched by number, reference, notes or what its lines name, sorted by a column of `SORTS` (ties by number).
    `total` counts every match; `sums` are the open and overdue balances per currency of the whole
    scope. Staff may narrow to one company (`company_id`); customers always see only their own."""
    if not sees_invoices(actor):
        return InvoicePage(rows=[], total=0, sums=[])
    today = _today(today)
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    if sort not in SORTS:
        raise ValidationFailed({"sort": "error.invalid"})
    stmt = visible_invoices(actor)
    if actor.is_staff and company_id not in (None, ""):
        number = canonical_int(company_id)
        if number is None:
            raise ValidationFailed({"company": "error.invalid"})
        stmt = stmt.where(Invoice.company_id == number)
    scope = stmt
    if status not in (None, ""):
        if status not in (STAFF_STATUSES if actor.is_staff else STATUSES):
            raise ValidationFailed({"status": "error.invalid"})
        stmt = stmt.where(status_clause(status, today))
    text = clean_line(search, field="search", max_chars=100) if search not in (None, "") else ""
    if text:
        stmt = stmt.where(_search_clause(text))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    column = col(_SORT_COLUMNS[sort])
    order = [column.desc().nulls_last(), col(Invoice.number).desc().nulls_last(), col(Invoice.id).desc()] \
        if descending else [column.asc().nulls_last(), col(Invoice.number).asc().nulls_last(), col(Invoice.id)]
    rows = session.execute(stmt.add_columns(col(Company.name)).join(Company, col(Company.id) == Invoice.company_id)
                        .order_by(*order).offset(offset).limit(limit)).all()
    return InvoicePage(rows=[_row(inv, name, today) for inv, name in rows], total=total,
                       sums=_sums(session, scope, today))


def _sums(session: Session, scope: Any, today: date) -> list[CurrencySums]:
    sub = scope.where(col(Invoice.state) == InvoiceState.ISSUED, col(Invoice.balance_cents) > 0).subquery()
    inv = sub.c
    overdue = func.sum(case((and_(inv.due_date.is_not(None), inv.due_date < today), inv.balance_cents), else_=0))
    rows = session.exec(select(inv.currency, func.sum(inv.balance_cents), overdue)
                        .group_by(inv.currency).order_by(inv.currency)).all()
    return [CurrencySums(currency=c, open_cents=int(o or 0), overdue_cents=int(d or 0)) for c, o, d in rows]


# --- the invoice -----------------------------------------------------------------------------------

def _number(value: Any) -> int:
    number = canonical_int(value)
    if number is None or number <= 0 or number > 2**62:
        raise NotFound()
    return number


def load_invoice(session: Session, actor: Actor, number: Any) -> Invoice:
    """The issued (or void) invoice of that number if the actor may see it; else NotFound."""
    invoice = session.exec(visible_invoices(actor).where(Invoice.number == _number(number))).first()
    if invoice is None:
        raise NotFound()
    return invoice


def detail_of(session: Session, invoice: Invoice, *, staff: bool, may_pay_now: bool,
              today: date | None = None) -> InvoiceDetail:
    """The page's (and the PDF's) content of an invoice already checked against the actor."""
    today = _today(today)
    company = session.get(Company, invoice.company_id)
    lines = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
                         .order_by(col(InvoiceLine.position), col(InvoiceLine.id))).all()
    payments = session.exec(select(Payment).where(Payment.invoice_id == invoice.id)
                            .order_by(col(Payment.received_at), col(Payment.id))).all()
    attempts = session.exec(select(PaymentAttempt, Account.email)
                            .join(Account, col(Account.id) == PaymentAttempt.started_by_id, isouter=True)
                            .where(PaymentAttempt.invoice_id == invoice.id)
                            .order_by(col(PaymentAttempt.created_at).desc(), col(PaymentAttempt.id).desc())).all()
    credit_for = session.get(Invoice, invoice.credit_for_id) if invoice.credit_for_id else None
    status = status_of(invoice, today)
    processing = any(a.status == AttemptStatus.PROCESSING for a, _ in attempts)
    # an issued invoice names the customer as it was then; a draft, as it is now
    address = [company.street_address, f"{company.postal_code} {company.city}".strip(), company.country] \
        if company else []
    name = company.name if company else ""
    if invoice.bill_to:
        name, address = invoice.bill_to[0], invoice.bill_to[1:]
    return InvoiceDetail(
        id=invoice.id, created_at=invoice.created_at, updated_at=invoice.updated_at,  # type: ignore[arg-type]
        number=invoice.number, kind=invoice.kind,  # type: ignore[arg-type]
        credit_for_number=credit_for.number if credit_for else None, company_id=invoice.company_id,
        company_name=name, company_address=[a for a in address if a],
        state=invoice.state, status=status, issue_date=invoice.issue_date, due_date=invoice.due_date,
        currency=invoice.currency, notes=invoice.notes,
        lines=[LineView(position=n, description=li.description, product_code=li.product_code,
                        quantity_milli=li.quantity_milli, unit=li.unit, unit_price_cents=li.unit_price_cents,
                        vat_rate_bp=li.vat_rate_bp, net_cents=li.net_cents) for n, li in enumerate(lines, start=1)],
        vat=vat_summary((li.net_cents, li.vat_rate_bp) for li in lines),
        subtotal_cents=invoice.subtotal_cents, vat_cents=invoice.vat_cents, total_cents=invoice.total_cents,
        paid_cents=invoice.paid_cents, credited_cents=invoice.credited_cents, balance_cents=invoice.balance_cents,
        credit_cents=invoice.credit_cents, needs_review=invoice.needs_review,
        reference=grouped(invoice.reference) if invoice.reference else "",
        rf_reference=grouped(rf_reference(invoice.reference)) if invoice.reference else "",
        # an issued invoice names the seller as it was then; a draft, as Settings say now
        seller=seller_of(invoice.seller or get_portal_settings(session).seller),
        payments=[PaymentView(received_at=p.received_at, method=p.method, amount_cents=p.amount_cents,
                              applied_cents=p.applied_cents, excess_cents=p.excess_cents, currency=p.currency,
                              payment_intent_id=p.stripe_payment_intent_id if staff else None,
                              note=(p.note or "") if staff else "") for p in payments],
        attempts=[AttemptView(id=a.id, payment_intent_id=a.payment_intent_id, amount_cents=a.amount_cents,  # type: ignore[arg-type]
                              currency=a.currency, status=a.status, last_error=a.last_error,
                              started_by=email or "", created_at=a.created_at, updated_at=a.updated_at)
                  for a, email in attempts] if staff else [],
        processing=processing,
        can_pay=(may_pay_now and payments_enabled() and invoice.state == InvoiceState.ISSUED
                 and invoice.kind == InvoiceKind.INVOICE and invoice.balance_cents > 0 and not processing),
    )


def get_invoice(*, session: Session, actor: Actor, number: Any, today: date | None = None) -> InvoiceDetail:
    """The invoice page: lines, VAT summary, totals, payments, bank details with the reference, and
    whether "Pay now" is offered. NotFound for a number the actor may not see (another company's,
    a draft, no Invoices module), exactly as for one that does not exist."""
    invoice = load_invoice(session, actor, number)
    return detail_of(session, invoice, staff=actor.is_staff, may_pay_now=may_pay(actor), today=today)


def payment_state(*, session: Session, actor: Actor, number: Any, today: date | None = None) -> PaymentState:
    """The live part of the invoice page (status, paid, open, processing, the last decline), read
    again when `live.invoice_key(number)` moves."""
    invoice = load_invoice(session, actor, number)
    attempt = session.exec(select(PaymentAttempt).where(PaymentAttempt.invoice_id == invoice.id)
                           .order_by(col(PaymentAttempt.updated_at).desc(), col(PaymentAttempt.id).desc())).first()
    failed = attempt is not None and attempt.status == AttemptStatus.FAILED
    return PaymentState(number=invoice.number or 0, status=status_of(invoice, _today(today)),
                        paid_cents=invoice.paid_cents, balance_cents=invoice.balance_cents,
                        processing=attempt is not None and attempt.status == AttemptStatus.PROCESSING,
                        last_error=attempt.last_error if failed else "",
                        last_error_code=attempt.last_error_code if failed else "")


def live_key(number: int) -> str:
    return live.invoice_key(number)


def invoice_pdf(*, session: Session, actor: Actor, number: Any, language: str | None = None,
                today: date | None = None) -> tuple[str, bytes]:
    """The invoice as a PDF (file name, bytes), with the page's content; NotFound like the page."""
    from ..pdf_doc import file_name
    from .pdf import render_invoice

    detail = get_invoice(session=session, actor=actor, number=number, today=today)
    lang = language or actor.language
    return file_name(lang, detail.kind if detail.kind == "credit_note" else "invoice", detail.number), \
        render_invoice(detail, lang)
