"""Staff's invoice work: drafts, issuing with the next number, voiding and crediting (an issued
invoice is never edited), bank payments and refunds recorded by hand, the reconcile button, and the CSV.

Numbers are drawn from `InvoiceCounter` by one UPDATE ... RETURNING in the transaction that
issues: the counter row is held until that transaction ends, so concurrent issues get
consecutive numbers, and a failed issue rolls its number back with it (no gaps, never reused).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ...i18n import translate
from ...local_time import local, today as local_today
from ...models import (
    Company, Invoice, InvoiceCounter, InvoiceKind, InvoiceLine, InvoiceState, Payment, PaymentAttempt,
    PaymentMethod, utcnow,
)
from .. import live
from ..actor import Actor
from ..companies.company_rules import postal_lines
from ..errors import NotFound, ValidationFailed
from ..numbering import next_number
from ..portal.row import get_portal_settings
from ..spreadsheet import Sheet, safe_cell
from ..submissions import parse_submission_id
from ..validation import clean_line, clean_text, parse_date, parse_id
from ..mail import outbox
from . import invoice_mail, payments
from .core import InvoiceDetail, detail_of, list_invoices, payments_enabled, status_of
from .invoice_rules import (
    CSV_COLUMNS, CURRENCIES, DEFAULT_DUE_DAYS, LIVE_ATTEMPTS, MAX_DUE_AFTER_ISSUE, MAX_LINES, TEXT_LIMITS, seller_of,
)
from ..money import as_decimal, line_net, line_too_large, parse_cents, parse_quantity, parse_vat_rate, totals
from .reference import finnish_reference

# --- drafts ----------------------------------------------------------------------------------------


def _date(value: Any, *, field: str) -> date | None:
    return parse_date(value, field=field)


def _lines(raw: Any) -> list[InvoiceLine]:
    """The draft's lines from the form: every error at once, named `lines.<n>.<field>`."""
    if not isinstance(raw, list | tuple) or not raw:
        raise ValidationFailed({"lines": "error.invoice_no_lines"})
    if len(raw) > MAX_LINES:
        raise ValidationFailed({"lines": ("error.too_many", {"max": MAX_LINES})})
    errors: dict[str, Any] = {}
    lines: list[InvoiceLine] = []
    for n, item in enumerate(raw):
        name = f"lines.{n}"
        if not isinstance(item, Mapping):
            errors[name] = "error.invalid"
            continue
        values: dict[str, Any] = {}
        for key, parse in (
            ("description", lambda v, f: clean_line(v, field=f, max_chars=TEXT_LIMITS["description"])),
            ("product_code", lambda v, f: clean_line(v, field=f, max_chars=TEXT_LIMITS["product_code"])),
            ("unit", lambda v, f: clean_line(v, field=f, max_chars=TEXT_LIMITS["unit"])),
            ("quantity", lambda v, f: parse_quantity(v, field=f)),
            ("unit_price", lambda v, f: parse_cents(v, field=f, allow_negative=True)),
            ("vat_rate", lambda v, f: parse_vat_rate(v, field=f)),
        ):
            try:
                values[key] = parse(item.get(key, "" if key in ("product_code", "unit") else None), f"{name}.{key}")
            except ValidationFailed as exc:
                errors.update(exc.fields)
        if "description" in values and not values["description"]:
            errors[f"{name}.description"] = "error.required"
        if len(values) == 6 and (too_large := line_too_large(values["quantity"], values["unit_price"])):
            errors[f"{name}.quantity"] = too_large
        elif len(values) == 6 and f"{name}.description" not in errors:
            lines.append(InvoiceLine(invoice_id=0, position=n, description=values["description"],
                                     product_code=values["product_code"], unit=values["unit"],
                                     quantity_milli=values["quantity"], unit_price_cents=values["unit_price"],
                                     vat_rate_bp=values["vat_rate"],
                                     net_cents=line_net(values["quantity"], values["unit_price"])))
    if errors:
        raise ValidationFailed(errors)
    return lines


def _header(data: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    out: dict[str, Any] = {}
    currency = str(data.get("currency") or "EUR").strip().upper()
    if currency not in CURRENCIES:
        errors["currency"] = "error.invalid"
    out["currency"] = currency
    try:
        out["notes"] = clean_text(data.get("notes"), field="notes", max_chars=TEXT_LIMITS["notes"])
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        due = _date(data.get("due_date"), field="due_date")
        out["due_date"] = due
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return out


def _read_form(data: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], list[InvoiceLine]]:
    """The header and the lines, with every error of both at once."""
    errors: dict[str, Any] = {}
    header: dict[str, Any] = {}
    lines: list[InvoiceLine] = []
    try:
        header = _header(data, today=today)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        lines = _lines(data.get("lines"))
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return header, lines


def _store_lines(session: Session, invoice: Invoice, lines: list[InvoiceLine]) -> None:
    for line in session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all():
        session.delete(line)
    for n, line in enumerate(lines):
        line.invoice_id, line.position = invoice.id, n  # type: ignore[assignment]
        session.add(line)
    invoice.subtotal_cents, invoice.vat_cents, invoice.total_cents = totals(
        (li.net_cents, li.vat_rate_bp) for li in lines)
    invoice.balance_cents = 0  # a draft owes nothing until issued


def _read_new_draft(session: Session, company_id: Any, data: Mapping[str, Any], *,
                    today: date) -> tuple[Company, dict[str, Any], list[InvoiceLine]]:
    """A new draft's company, header and lines, with every error of the three at once (a missing
    company is not said alone, leaving the other fields' errors to a second try)."""
    errors: dict[str, Any] = {}
    company: Company | None = None
    header: dict[str, Any] = {}
    lines: list[InvoiceLine] = []
    try:
        company = session.get(Company, parse_id(company_id, field="company"))
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if company is None or not company.is_active:
        errors["company"] = "error.invalid"
    try:
        header, lines = _read_form(data, today=today)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return company, header, lines  # type: ignore[return-value]


def create_draft(*, session: Session, actor: Actor, company_id: Any, data: Any, submission_id: Any = None,
                 now: datetime | None = None) -> Invoice:
    """A draft invoice for a company: currency, due date (optional; set when issued otherwise),
    notes, and lines (description, product code, quantity, unit, unit price without VAT, VAT %).
    Customers never see drafts. The same form sent twice makes one draft."""
    actor.require_staff()
    now = now or utcnow()
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    submission = parse_submission_id(submission_id)
    if submission is not None:
        done = session.exec(select(Invoice).where(Invoice.submission_id == submission)).first()
        if done is not None:
            return done
    company, header, lines = _read_new_draft(session, company_id, data, today=local_today(now))
    invoice = Invoice(company_id=company.id, state=InvoiceState.DRAFT, created_by_id=actor.account_id,  # type: ignore[arg-type]
                      submission_id=submission, created_at=now, updated_at=now, **header)
    try:
        session.add(invoice)
        session.flush()
        _store_lines(session, invoice, lines)
        session.add(invoice)
        session.commit()
    except IntegrityError:
        session.rollback()
        done = session.exec(select(Invoice).where(Invoice.submission_id == submission)).first()
        if done is None:
            raise
        return done
    session.refresh(invoice)
    return invoice


def _draft(session: Session, invoice_id: Any, created_at: Any = None) -> Invoice:
    """The draft of that id; with `created_at` (the one a form was opened on), only that very draft:
    a form left open on a deleted draft must not save into, issue or delete a newer draft that got
    its id (SQLite gives a deleted row's id again)."""
    invoice = session.get(Invoice, parse_id(invoice_id, field="invoice"))
    if invoice is None or (created_at is not None and invoice.created_at != created_at):
        raise NotFound()
    if invoice.state != InvoiceState.DRAFT:
        raise ValidationFailed({"form": "error.invoice_not_draft"})
    return invoice


class DraftChanged(ValidationFailed):
    """Another form saved the draft after this one was shown (`saved_at`: that save's moment)."""

    def __init__(self, saved_at: datetime) -> None:
        super().__init__({"form": "error.draft_changed_meanwhile"})
        self.saved_at = saved_at


def update_draft(*, session: Session, actor: Actor, invoice_id: Any, data: Any, created_at: Any = None,
                 seen: Any = None, now: datetime | None = None) -> Invoice:
    """Change a draft (header and all lines); an issued invoice is never edited. `seen`: the draft's
    last save as the form showed it; saved by someone else since (two staff tabs), the form's save
    would silently put back their lines, so it is refused (`DraftChanged`): saving again with the
    moment it names replaces theirs knowingly."""
    actor.require_staff()
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    now = now or utcnow()
    invoice = _draft(session, invoice_id, created_at)
    if seen is not None and seen != invoice.updated_at:
        raise DraftChanged(invoice.updated_at)
    header, lines = _read_form(data, today=local_today(now))
    for key, value in header.items():
        setattr(invoice, key, value)
    invoice.updated_at = now
    _store_lines(session, invoice, lines)
    session.add(invoice)
    session.commit()
    session.refresh(invoice)
    return invoice


def delete_draft(*, session: Session, actor: Actor, invoice_id: Any, created_at: Any = None) -> None:
    """Throw a draft away (it never had a number)."""
    actor.require_staff()
    invoice = _draft(session, invoice_id, created_at)
    session.execute(delete(InvoiceLine).where(col(InvoiceLine.invoice_id) == invoice.id))  # the lines first
    session.delete(invoice)
    session.commit()


# --- issuing ---------------------------------------------------------------------------------------

def _next_number(session: Session) -> int:
    """The next invoice number, from one UPDATE ... RETURNING on the counter row (held until commit)."""
    return next_number(session, InvoiceCounter, 1, numbered=Invoice.number, start=1000)


def issue_invoice(*, session: Session, actor: Actor, invoice_id: Any, issue_date: Any = None, due_date: Any = None,
                  created_at: Any = None, now: datetime | None = None) -> Invoice:
    """Issue a draft: the next number (sequential, never reused), its reference, the issue date
    (today unless given) and the due date (the draft's, the one given, or 14 days on). The draft
    must have lines and a total above zero. Issuing twice at once issues once."""
    actor.require_staff()
    now = now or utcnow()
    invoice = _draft(session, invoice_id, created_at)
    issued_on = _date(issue_date, field="issue_date") or local_today(now)
    due = _date(due_date, field="due_date") or invoice.due_date or issued_on + timedelta(days=DEFAULT_DUE_DAYS)
    if due < issued_on:
        raise ValidationFailed({"due_date": "error.invoice_due_before_issue"})
    if due > issued_on + MAX_DUE_AFTER_ISSUE:  # a mistyped year (2036 for 2026) would hide it from "Overdue"
        raise ValidationFailed({"due_date": ("error.invoice_due_too_late", {"days": MAX_DUE_AFTER_ISSUE.days})})
    if issued_on > local_today(now):  # a typo a year ahead would hold every later invoice until then
        raise ValidationFailed({"issue_date": "error.invoice_issue_in_future"})
    last = session.exec(select(func.max(Invoice.issue_date))
                        .where(Invoice.number.is_not(None))).one()  # type: ignore[union-attr]
    if last is not None and issued_on < last:  # the numbers run in the order of their dates (bookkeeping)
        raise ValidationFailed({"issue_date": ("error.invoice_issue_before_last", {"date": last})})
    if invoice.total_cents <= 0:
        raise ValidationFailed({"form": "error.invoice_total_zero"})
    invoice_id = invoice.id
    try:
        taken = session.execute(update(Invoice).where(col(Invoice.id) == invoice_id,
                                                      col(Invoice.state) == InvoiceState.DRAFT)
                                .values(state=InvoiceState.ISSUED).execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            raise ValidationFailed({"form": "error.invoice_not_draft"})
        number = _next_number(session)
        session.execute(update(Invoice).where(col(Invoice.id) == invoice_id).values(
            number=number, reference=finnish_reference(number), issue_date=issued_on, due_date=due,
            balance_cents=Invoice.total_cents, issued_at=now, updated_at=now,
            bill_to=postal_lines(session.get(Company, invoice.company_id)), seller=_seller_now(session))
            .execution_options(synchronize_session=False))
        _mail_readers(session, invoice_id, now)
        session.commit()
    except Exception:
        session.rollback()
        raise
    session.expire_all()
    issued = session.get(Invoice, invoice_id)
    assert issued is not None
    live.bump(live.invoice_key(number), live.ALL_INVOICES)
    return issued


def _seller_now(session: Session) -> dict[str, str]:
    """The seller's details under Settings now: what an invoice issued now keeps."""
    return seller_of(get_portal_settings(session).seller)


def _mail_readers(session: Session, invoice_id: int, now: datetime) -> None:
    """Puts the mail about an invoice or credit note just issued in the outbox, in the transaction
    that issues it (a failed or repeated issue mails nobody)."""
    session.flush()
    issued = session.get(Invoice, invoice_id, populate_existing=True)
    assert issued is not None
    outbox.enqueue(session=session, mails=invoice_mail.issued(session, issued), now=now, commit=False)


# --- voiding, crediting, bank payments ----------------------------------------------------------------

def _issued(session: Session, number: Any) -> Invoice:
    from .core import _number

    invoice = session.exec(select(Invoice).where(Invoice.number == _number(number))).first()
    if invoice is None:
        raise NotFound()
    return invoice


def _cancel_open_attempts(session: Session, invoice: Invoice, now: datetime) -> None:
    """Best effort: cancel the invoice's open PaymentIntents at Stripe (one paid anyway later is
    still recorded, as a credit flagged to staff)."""
    if not payments_enabled():
        return
    for attempt in session.exec(select(PaymentAttempt).where(PaymentAttempt.invoice_id == invoice.id,
                                                             col(PaymentAttempt.status).in_(LIVE_ATTEMPTS))).all():
        try:
            payments.stripe_client().v1.payment_intents.cancel(attempt.payment_intent_id)
            payments._set_attempt(attempt, "canceled", now)
            session.add(attempt)
        except Exception:  # noqa: BLE001 - reconcile settles it later
            payments.log.warning("could not cancel PaymentIntent %s", attempt.payment_intent_id)


def void_invoice(*, session: Session, actor: Actor, number: Any, now: datetime | None = None) -> Invoice:
    """Void an issued invoice nothing was paid on (one with payments is credited instead); its
    readers are mailed that it is not to be paid."""
    actor.require_staff()
    now = now or utcnow()
    invoice = _issued(session, number)
    payments._lock_invoice(session, invoice.id)  # type: ignore[arg-type]
    session.refresh(invoice)
    if invoice.state != InvoiceState.ISSUED or invoice.kind != InvoiceKind.INVOICE:
        session.rollback()
        raise ValidationFailed({"form": "error.invoice_not_issued"})
    if invoice.paid_cents > 0 or invoice.credited_cents > 0:
        session.rollback()
        raise ValidationFailed({"form": "error.invoice_has_payments"})
    invoice.state, invoice.balance_cents, invoice.voided_at, invoice.updated_at = InvoiceState.VOID, 0, now, now
    session.add(invoice)
    _cancel_open_attempts(session, invoice, now)
    # those it was mailed to are told, in the same transaction (a refused or repeated void mails nobody)
    outbox.enqueue(session=session, mails=invoice_mail.voided(session, invoice), now=now, commit=False)
    session.commit()
    live.bump(live.invoice_key(invoice.number), live.ALL_INVOICES)  # type: ignore[arg-type]
    session.refresh(invoice)
    return invoice


def credit_invoice(*, session: Session, actor: Actor, number: Any, now: datetime | None = None) -> Invoice:
    """Credit an issued invoice in full: a credit note (the next number, the lines negated) that
    takes the whole total off it. What was paid already becomes a credit owed to the customer,
    flagged to staff. Returns the credit note."""
    actor.require_staff()
    now = now or utcnow()
    invoice = _issued(session, number)
    try:
        payments._lock_invoice(session, invoice.id)  # type: ignore[arg-type]
        session.refresh(invoice)
        if invoice.state != InvoiceState.ISSUED or invoice.kind != InvoiceKind.INVOICE:
            raise ValidationFailed({"form": "error.invoice_not_issued"})
        if invoice.credited_cents > 0:
            raise ValidationFailed({"form": "error.invoice_already_credited"})
        note_number = _next_number(session)
        lines = session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
                             .order_by(col(InvoiceLine.position))).all()
        note = Invoice(kind=InvoiceKind.CREDIT_NOTE, company_id=invoice.company_id, state=InvoiceState.ISSUED,
                       currency=invoice.currency, number=note_number, reference=finnish_reference(note_number),
                       issue_date=local_today(now), due_date=local_today(now), credit_for_id=invoice.id,
                       # no notes: the page and the PDF say "Credits invoice N" in the reader's language
                       notes="", subtotal_cents=-invoice.subtotal_cents,
                       vat_cents=-invoice.vat_cents, total_cents=-invoice.total_cents, created_by_id=actor.account_id,
                       created_at=now, updated_at=now, issued_at=now,
                       bill_to=list(invoice.bill_to) or postal_lines(session.get(Company, invoice.company_id)),
                       seller=_seller_now(session))
        session.add(note)
        session.flush()
        for line in lines:
            session.add(InvoiceLine(invoice_id=note.id, position=line.position, description=line.description,  # type: ignore[arg-type]
                                    product_code=line.product_code, unit=line.unit,
                                    quantity_milli=line.quantity_milli, unit_price_cents=-line.unit_price_cents,
                                    vat_rate_bp=line.vat_rate_bp, net_cents=-line.net_cents))
        invoice.credited_cents = invoice.total_cents
        invoice.credit_cents += invoice.paid_cents
        invoice.needs_review = invoice.needs_review or invoice.paid_cents > 0
        invoice.balance_cents, invoice.updated_at = 0, now
        session.add(invoice)
        _cancel_open_attempts(session, invoice, now)
        _mail_readers(session, note.id, now)  # type: ignore[arg-type]
        session.commit()
    except Exception:
        session.rollback()
        raise
    live.bump(live.invoice_key(invoice.number), live.invoice_key(note_number), live.ALL_INVOICES)  # type: ignore[arg-type]
    session.refresh(note)
    return note


def _hand_recorded(session: Session, actor: Actor, number: Any, submission_id: Any, now: datetime,
                   record: Callable[[Invoice], Payment]) -> Payment:
    """The frame of a payment or refund staff records by hand: the form's submission id answered with
    what it recorded before (a double click records once); else the invoice held, `record(invoice)`
    (which checks the invoice as it is now, changes it and returns the new row), committed, and the
    invoice's page told."""
    submission = parse_submission_id(submission_id)
    invoice = _issued(session, number)
    if submission is not None:
        done = session.exec(select(Payment).where(Payment.submission_id == submission)).first()
        if done is not None:
            return done
    try:
        payments._lock_invoice(session, invoice.id)  # type: ignore[arg-type]
        session.refresh(invoice)
        row = record(invoice)
        row.submission_id, row.recorded_by_id, row.source = submission, actor.account_id, "staff"
        invoice.updated_at = now
        session.add_all([row, invoice])
        session.commit()
    except IntegrityError:
        session.rollback()
        done = session.exec(select(Payment).where(Payment.submission_id == submission)).first()
        if done is None:
            raise
        return done
    except Exception:
        session.rollback()
        raise
    live.bump(live.invoice_key(invoice.number), live.ALL_INVOICES)  # type: ignore[arg-type]
    session.refresh(row)
    return row


def _money_form(amount: Any, day: Any, note: Any, now: datetime, *, fields: tuple[str, str, str],
                future: str) -> tuple[int, date | None, str]:
    """A hand-recorded amount (above zero), day (not after today where the portal is, the zone its
    dates are read in; `future` said otherwise) and note, each refused under its field's name
    (`fields`: amount, day, note)."""
    if amount is None or (isinstance(amount, str) and not amount.strip()):
        raise ValidationFailed({fields[0]: "error.required"})
    cents = parse_cents(amount, field=fields[0], above_zero=True)
    when = _date(day, field=fields[1])
    if when is not None and when > local_today(now):
        raise ValidationFailed({fields[1]: future})
    return cents, when, clean_line(note, field=fields[2], max_chars=TEXT_LIMITS["note"])


def _on_day(invoice: Invoice, day: date | None, now: datetime, *, field: str, before_issue: str) -> datetime:
    """The moment a hand-recorded payment or refund is dated: that day, where the portal is (now
    without one); never before the invoice's issue date."""
    if day is not None and invoice.issue_date is not None and day < invoice.issue_date:
        raise ValidationFailed({field: (before_issue, {"date": invoice.issue_date})})
    return datetime.combine(day, local(now).timetz()) if day else now


def record_bank_payment(*, session: Session, actor: Actor, number: Any, amount: Any, received_on: Any = None,
                        note: Any = "", submission_id: Any = None, now: datetime | None = None) -> Payment:
    """A bank transfer staff saw arrive: applied to the open balance; anything above it is kept as
    a credit and flagged. A card form open at the old balance must not charge it: its PaymentIntent is
    cancelled (the customer's page closes the form; "Pay now" again asks for the new balance). The
    company's invoice readers get a receipt. The same form sent twice records (and mails) one payment."""
    actor.require_staff()
    now = now or utcnow()
    cents, day, text = _money_form(amount, received_on, note, now, fields=("amount", "received_on", "note"),
                                   future="error.payment_in_future")

    def record(invoice: Invoice) -> Payment:
        if invoice.state != InvoiceState.ISSUED or invoice.kind != InvoiceKind.INVOICE:
            raise ValidationFailed({"form": "error.invoice_not_issued"})
        received = _on_day(invoice, day, now, field="received_on", before_issue="error.payment_before_issue")
        applied = min(cents, invoice.balance_cents)
        excess = cents - applied
        invoice.paid_cents += applied
        invoice.balance_cents -= applied
        invoice.credit_cents += excess
        invoice.needs_review = invoice.needs_review or excess > 0
        _cancel_open_attempts(session, invoice, now)
        # the receipt goes in the transaction that records the payment (a double click records and mails once)
        outbox.enqueue(session=session, now=now, commit=False, mails=invoice_mail.bank_payment_received(
            session, invoice, amount_cents=cents, excess_cents=excess))
        return Payment(invoice_id=invoice.id, method=PaymentMethod.BANK, amount_cents=cents,  # type: ignore[arg-type]
                       applied_cents=applied, excess_cents=excess, currency=invoice.currency, note=text,
                       received_at=received)
    return _hand_recorded(session, actor, number, submission_id, now, record)


def record_refund(*, session: Session, actor: Actor, number: Any, amount: Any, refunded_on: Any = None,
                  note: Any = "", submission_id: Any = None, now: datetime | None = None) -> Payment:
    """A credit owed (paid above the total, or paid on an invoice credited since) that staff has paid
    back to the customer, by bank transfer or in Stripe's dashboard: at most what is owed, dated
    from the issue date to today. The credit owed goes down by it, the page and the PDF list it as a
    refund (a negative payment), and once nothing is owed the review flag is cleared. The same form
    sent twice records one refund."""
    actor.require_staff()
    now = now or utcnow()
    cents, day, text = _money_form(amount, refunded_on, note, now,
                                   fields=("refund_amount", "refunded_on", "refund_note"),
                                   future="error.refund_in_future")

    def record(invoice: Invoice) -> Payment:
        if invoice.kind != InvoiceKind.INVOICE or invoice.credit_cents <= 0:
            raise ValidationFailed({"form": "error.invoice_no_credit_owed"})
        if cents > invoice.credit_cents:
            raise ValidationFailed({"refund_amount": "error.refund_above_credit"})
        refunded = _on_day(invoice, day, now, field="refunded_on", before_issue="error.refund_before_issue")
        invoice.credit_cents -= cents
        invoice.needs_review = invoice.needs_review and invoice.credit_cents > 0
        return Payment(invoice_id=invoice.id, method=PaymentMethod.REFUND, amount_cents=-cents,  # type: ignore[arg-type]
                       applied_cents=0, excess_cents=0, currency=invoice.currency, note=text, received_at=refunded)
    return _hand_recorded(session, actor, number, submission_id, now, record)


def clear_review(*, session: Session, actor: Actor, number: Any) -> None:
    """Staff has dealt with the flag (an overpayment refunded or kept as credit)."""
    actor.require_staff()
    invoice = _issued(session, number)
    invoice.needs_review = False
    session.add(invoice)
    session.commit()
    live.bump(live.invoice_key(invoice.number), live.ALL_INVOICES)  # type: ignore[arg-type]


# --- looking -----------------------------------------------------------------------------------------

def get_invoice_by_id(*, session: Session, actor: Actor, invoice_id: Any) -> InvoiceDetail:
    """Staff's page of any invoice, drafts included (they have no number yet), with the attempts."""
    actor.require_staff()
    invoice = session.get(Invoice, parse_id(invoice_id, field="invoice"))
    if invoice is None:
        raise NotFound()
    return detail_of(session, invoice, staff=True, may_pay_now=False)


def reconcile_now(*, session: Session, actor: Actor) -> payments.ReconcileReport:
    """The admin "Reconcile with Stripe" button: `payments.reconcile`."""
    actor.require_staff()
    if not payments_enabled():
        raise ValidationFailed({"form": "error.invoice_payments_off"})
    return payments.reconcile(session=session)


def export_csv(*, session: Session, actor: Actor, status: Any = None, search: Any = "", company_id: Any = None,
               today: date | None = None) -> tuple[str, str]:
    """Every invoice matching staff's list filter as CSV (file name, text) in the reader's spreadsheet
    dialect (`spreadsheet.Sheet`), its header and words in the reader's language."""
    actor.require_staff()
    lang = actor.language
    sheet = Sheet(lang)
    sheet.row([translate(lang, f"invoices.csv.{column}") for column in CSV_COLUMNS])
    offset, total = 0, None
    today = today or local_today()
    while total is None or offset < total:
        page = list_invoices(session=session, actor=actor, status=status, search=search, company_id=company_id,
                             sort="number", descending=False, offset=offset, limit=200, today=today)
        total = page.total
        if not page.rows:
            break
        for row in page.rows:
            invoice = session.get(Invoice, row.id)
            assert invoice is not None
            credit_note = invoice.kind == InvoiceKind.CREDIT_NOTE  # nothing is due on it: no due date
            sheet.row([
                row.number or "", translate(lang, "invoice.pdf.credit_note" if credit_note else "invoice.pdf.invoice"),
                safe_cell(row.company_name), row.issue_date.isoformat() if row.issue_date else "",
                row.due_date.isoformat() if row.due_date and not credit_note else "",
                row.currency, as_decimal(invoice.subtotal_cents), as_decimal(invoice.vat_cents),
                as_decimal(invoice.total_cents), as_decimal(invoice.paid_cents), as_decimal(invoice.credited_cents),
                as_decimal(invoice.balance_cents), as_decimal(invoice.credit_cents),
                translate(lang, f"invoice.status.{status_of(invoice, today)}"), invoice.reference,
                translate(lang, "events.csv.yes") if invoice.needs_review else "",
            ])
        offset += len(page.rows)
    return f"invoices-{today.isoformat()}.csv", sheet.text()


