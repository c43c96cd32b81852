"""Online payment with Stripe, recorded exactly once: "Pay now", the webhook, the server-side check
and `reconcile`.

- `start_payment` ("Pay now") holds the invoice row, then reuses the invoice's open PaymentIntent
  while its amount is still the open balance (and no card was declined on it), or cancels it and
  creates one for the balance now:
  one open PaymentIntent per invoice and amount, so two tabs pay through the same one. The amount
  comes from the database, never from the browser; every create carries an idempotency key drawn
  from the invoice's `payment_seq` (advanced in the transaction that stores the attempt), so a
  create whose answer was lost is repeated with the same key and Stripe returns the same intent.
- `handle_webhook` verifies the signature on the raw body (`stripe.Webhook.construct_event`; a bad
  one raises `BadSignature` and records nothing), then `apply_event` stores the event id (unique)
  and applies it in the same transaction: repeated deliveries change nothing.
- `record_intent` is the one place a Stripe payment becomes a `Payment` row: under the invoice's
  row lock, once per PaymentIntent (unique), with anything above the open balance kept as a credit
  and the invoice flagged to staff. The webhook, `check_payment` and `reconcile` all go through it,
  in any order, any number of times.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import stripe
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ...models import (
    AttemptStatus, Invoice, InvoiceKind, InvoiceState, Payment, PaymentAttempt, PaymentMethod, StripeEvent, utcnow,
)
from ...settings import settings
from .. import live
from ..actor import Actor
from ..errors import PermissionDenied, ServiceError, ValidationFailed
from ..mail import outbox
from . import invoice_mail
from .card_errors import CODE_LIMIT, failure_code
from .core import PaymentState, load_invoice, payment_state, payments_enabled
from .invoice_rules import FINAL_ATTEMPTS, INTENT_STATUS, LIVE_ATTEMPTS, OPEN_INTENT, RECONCILE_WINDOW
from .scope import may_pay

log = logging.getLogger("portal.invoices.stripe")
A = AttemptStatus


class BadSignature(ServiceError):
    """The webhook's signature does not verify (or no secret is configured): answer 400."""

    key = "error.invalid"


@dataclass(frozen=True)
class PaymentStart:
    """What the page's Stripe.js needs to confirm the card payment."""

    number: int
    payment_intent_id: str
    client_secret: str
    amount_cents: int
    currency: str
    publishable_key: str
    js_url: str
    reused: bool  # the invoice's open PaymentIntent, not a new one


@dataclass(frozen=True)
class ReconcileReport:
    checked: int = 0  # PaymentIntents re-read from Stripe
    recorded: int = 0  # payments recorded now (their webhook had not come)
    updated: int = 0  # attempts whose status changed
    errors: int = 0  # PaymentIntents Stripe could not be asked about (tried again next time)


# --- Stripe ----------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _client(key: str, api_base: str | None) -> stripe.StripeClient:
    bases: Any = {"api": api_base} if api_base else {}
    return stripe.StripeClient(key, base_addresses=bases, max_network_retries=2)


def stripe_client() -> stripe.StripeClient:
    """The SDK client for the configured key, pointed at `STRIPE_API_BASE` when set."""
    if not settings.stripe_secret_key:
        raise ValidationFailed({"form": "error.invoice_payments_off"})
    return _client(settings.stripe_secret_key, settings.stripe_api_base)


def _as_dict(obj: Any) -> dict:
    if isinstance(obj, dict) and not isinstance(obj, stripe.StripeObject):
        return obj
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _retrieve(intent_id: str) -> dict:
    return _as_dict(stripe_client().v1.payment_intents.retrieve(intent_id))


def _lock_invoice(session: Session, invoice_id: int) -> None:
    """Hold the invoice row until the transaction ends (payments and "Pay now" on it wait)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Invoice.id).where(Invoice.id == invoice_id).with_for_update())
    else:  # SQLite: the first write takes the database's write lock
        session.execute(update(Invoice).where(col(Invoice.id) == invoice_id)
                        .values(payment_seq=Invoice.payment_seq).execution_options(synchronize_session=False))


def _bump(number: int | None) -> None:
    if number is not None:
        live.bump(live.invoice_key(number), live.ALL_INVOICES)


# --- recording a payment ---------------------------------------------------------------------------

def _received(intent: dict) -> int:
    """What a succeeded PaymentIntent took (localstripe has no `amount_received`: the amount then)."""
    received = intent.get("amount_received")
    return int(received) if isinstance(received, int) and received > 0 else int(intent.get("amount") or 0)


def _invoice_of(session: Session, intent: dict) -> tuple[Invoice | None, PaymentAttempt | None]:
    """The invoice a PaymentIntent pays: through our attempt row, else its metadata (invoice
    number and company, both checked against the database)."""
    attempt = session.exec(select(PaymentAttempt).where(PaymentAttempt.payment_intent_id == intent["id"])).first()
    metadata = intent.get("metadata") or {}
    if attempt is not None:
        invoice = session.get(Invoice, attempt.invoice_id)
        if invoice is not None and str(metadata.get("invoice", invoice.number)) != str(invoice.number):
            return None, attempt
        return invoice, attempt
    number, company = str(metadata.get("invoice", "")), str(metadata.get("company", ""))
    if not number.isdigit():
        return None, None
    invoice = session.exec(select(Invoice).where(Invoice.number == int(number))).first()
    if invoice is None or (company and company != str(invoice.company_id)):
        return None, None
    return invoice, None


def _set_attempt(attempt: PaymentAttempt | None, status: str, now: datetime, error: str | None = None,
                 code: str = "") -> bool:
    """Move an attempt to `status` unless it is final already (a late event never undoes a payment).
    `error`: Stripe's message of a failure ("" clears it), with its `code` (card_errors.failure_code)."""
    if attempt is None or attempt.status in FINAL_ATTEMPTS or (attempt.status == status and error is None):
        return False
    attempt.status, attempt.updated_at = status, now
    if error is not None:
        attempt.last_error, attempt.last_error_code = error[:500], code[:CODE_LIMIT]
    return True


def _failure(intent: dict, default: str = "") -> tuple[str, str]:
    """A PaymentIntent's last failure: (Stripe's message, its code)."""
    error = intent.get("last_payment_error") or {}
    message = error.get("message") if isinstance(error, dict) else None
    return (message if isinstance(message, str) and message else default), failure_code(error)


def record_intent(session: Session, intent: dict, *, source: str, now: datetime | None = None) -> str:
    """Record a succeeded PaymentIntent once (in the caller's transaction, not committed):
    "recorded", "duplicate" (already recorded), "unknown" (no invoice of ours), "currency" (paid
    in another currency: flagged to staff, nothing applied), "not_succeeded"."""
    now = now or utcnow()
    if intent.get("status") != "succeeded":
        return "not_succeeded"
    invoice, attempt = _invoice_of(session, intent)
    if invoice is None:
        log.warning("PaymentIntent %s names no invoice of ours", intent.get("id"))
        return "unknown"
    _lock_invoice(session, invoice.id)  # type: ignore[arg-type]
    session.refresh(invoice)
    if session.exec(select(Payment.id).where(Payment.stripe_payment_intent_id == intent["id"])).first() is not None:
        if attempt is not None:
            _set_attempt(attempt, A.SUCCEEDED, now)
            session.add(attempt)
        return "duplicate"
    currency = str(intent.get("currency") or "").upper()
    if currency != invoice.currency:
        invoice.needs_review, invoice.updated_at = True, now
        session.add(invoice)
        log.error("PaymentIntent %s paid in %s for invoice %s in %s", intent["id"], currency, invoice.number,
                  invoice.currency)
        return "currency"
    amount = _received(intent)
    payable = invoice.state == InvoiceState.ISSUED and invoice.kind == InvoiceKind.INVOICE
    applied = min(amount, invoice.balance_cents) if payable else 0
    excess = amount - applied
    session.add(Payment(invoice_id=invoice.id, method=PaymentMethod.STRIPE, amount_cents=amount,  # type: ignore[arg-type]
                        applied_cents=applied, excess_cents=excess, currency=currency,
                        stripe_payment_intent_id=intent["id"], source=source, received_at=now))
    invoice.paid_cents += applied
    invoice.balance_cents -= applied
    invoice.credit_cents += excess
    invoice.needs_review = invoice.needs_review or excess > 0
    invoice.updated_at = now
    session.add(invoice)
    if attempt is not None:
        _set_attempt(attempt, A.SUCCEEDED, now, "")
        session.add(attempt)
    session.flush()
    outbox.enqueue(session=session, now=now, commit=False,
                   mails=invoice_mail.payment_received(
                       session, invoice, amount_cents=amount, excess_cents=excess,
                       payer_id=attempt.started_by_id if attempt is not None else None))
    if excess:
        log.warning("PaymentIntent %s paid %s above the open balance of invoice %s: kept as a credit",
                    intent["id"], excess, invoice.number)
    return "recorded"


def _sync(session: Session, attempt: PaymentAttempt, intent: dict, *, source: str, now: datetime) -> tuple[str, bool]:
    """Bring an attempt up to the PaymentIntent as Stripe has it now: (record outcome or "", changed)."""
    status = intent.get("status", "")
    if status == "succeeded":
        before = attempt.status
        outcome = record_intent(session, intent, source=source, now=now)
        return outcome, attempt.status != before
    error, code = _failure(intent)
    if status == "requires_payment_method" and (error or code):
        changed = _set_attempt(attempt, A.FAILED, now, error, code)
    else:
        changed = _set_attempt(attempt, INTENT_STATUS.get(status, attempt.status), now)
    session.add(attempt)
    return "", changed


# --- "Pay now" -------------------------------------------------------------------------------------

def start_payment(*, session: Session, actor: Actor, number: Any, now: datetime | None = None) -> PaymentStart:
    """Start (or resume) the card payment of an invoice's open balance: the PaymentIntent's client
    secret for Stripe.js. Reuses the invoice's open PaymentIntent while its amount is the balance;
    one for another amount is canceled and replaced. Refusals ({"form": key}): online payment not
    configured, nothing to pay, a payment still being processed, Stripe not answering."""
    if not may_pay(actor):
        raise PermissionDenied()
    if not payments_enabled():
        raise ValidationFailed({"form": "error.invoice_payments_off"})
    now = now or utcnow()
    invoice = load_invoice(session, actor, number)
    client = stripe_client()
    invoice_id, invoice_number = invoice.id, invoice.number
    try:
        _lock_invoice(session, invoice_id)  # type: ignore[arg-type]
        session.refresh(invoice)
        found = _reuse(session, client, invoice, now)
        if found is not None:
            session.commit()
            return found
        if invoice.state != InvoiceState.ISSUED or invoice.kind != InvoiceKind.INVOICE or invoice.balance_cents <= 0:
            session.commit()  # what the checks of older attempts recorded
            _bump(invoice_number)
            raise ValidationFailed({"form": "error.invoice_nothing_to_pay"})
        seq = invoice.payment_seq + 1
        amount, currency = invoice.balance_cents, invoice.currency
        key = f"portal-invoice-{invoice_id}-{seq}-{amount}-{currency}"
        intent = _as_dict(client.v1.payment_intents.create(params={
            "amount": amount, "currency": currency.lower(), "payment_method_types": ["card"],
            "metadata": {"invoice": str(invoice_number), "company": str(invoice.company_id),
                         "portal_invoice_id": str(invoice_id)},
        }, options={"idempotency_key": key}))
        session.add(PaymentAttempt(invoice_id=invoice_id, payment_intent_id=intent["id"], idempotency_key=key,  # type: ignore[arg-type]
                                   amount_cents=amount, currency=currency, started_by_id=actor.account_id,
                                   created_at=now, updated_at=now))
        invoice.payment_seq = seq
        session.add(invoice)
        session.commit()
    except stripe.StripeError as exc:
        session.rollback()
        log.error("Stripe refused or did not answer for invoice %s: %s", invoice_number, exc)
        raise ValidationFailed({"form": "error.invoice_stripe_unavailable"}) from None
    except Exception:
        session.rollback()
        raise
    _bump(invoice_number)
    return PaymentStart(number=invoice_number, payment_intent_id=intent["id"],  # type: ignore[arg-type]
                        client_secret=intent["client_secret"], amount_cents=amount, currency=currency,
                        publishable_key=settings.stripe_publishable_key or "", js_url=settings.stripe_js_url,
                        reused=False)


def _reuse(session: Session, client: stripe.StripeClient, invoice: Invoice, now: datetime) -> PaymentStart | None:
    """With the invoice held: the open PaymentIntent to pay with again, or None after settling the
    invoice's live attempts (recording any that succeeded, canceling any for another amount)."""
    attempts = session.exec(select(PaymentAttempt).where(PaymentAttempt.invoice_id == invoice.id,
                                                         col(PaymentAttempt.status).in_(LIVE_ATTEMPTS))
                            .order_by(col(PaymentAttempt.id).desc())).all()
    for attempt in attempts:
        intent = _as_dict(client.v1.payment_intents.retrieve(attempt.payment_intent_id))
        _sync(session, attempt, intent, source="check", now=now)
        session.refresh(invoice)
        status = intent.get("status")
        if status in ("processing", "requires_capture"):
            session.commit()
            raise ValidationFailed({"form": "error.invoice_payment_processing"})
        if status not in OPEN_INTENT:
            continue
        if attempt.status == A.OPEN and int(intent.get("amount") or 0) == invoice.balance_cents \
                and invoice.balance_cents > 0 and str(intent.get("currency", "")).upper() == invoice.currency:
            return PaymentStart(number=invoice.number, payment_intent_id=intent["id"],  # type: ignore[arg-type]
                                client_secret=intent["client_secret"], amount_cents=invoice.balance_cents,
                                currency=invoice.currency, publishable_key=settings.stripe_publishable_key or "",
                                js_url=settings.stripe_js_url, reused=True)
        # the balance changed since (a bank payment, a credit note), or its card was declined (a
        # fresh intent for the next card: what localstripe can confirm too): cancel, then replace
        try:
            client.v1.payment_intents.cancel(attempt.payment_intent_id)
        except stripe.InvalidRequestError:  # it moved on meanwhile: read it again
            intent = _as_dict(client.v1.payment_intents.retrieve(attempt.payment_intent_id))
            _sync(session, attempt, intent, source="check", now=now)
            session.refresh(invoice)
            if intent.get("status") != "canceled":
                continue
        _set_attempt(attempt, A.CANCELED, now)
        session.add(attempt)
    session.flush()
    return None


def check_payment(*, session: Session, actor: Actor, number: Any, now: datetime | None = None) -> PaymentState:
    """The server-side check the page makes after Stripe.js confirmed (or while "Processing"):
    re-reads the invoice's live PaymentIntents from Stripe and records any that succeeded. The
    browser's word is never taken; this asks Stripe."""
    invoice = load_invoice(session, actor, number)
    if payments_enabled():
        attempts = session.exec(select(PaymentAttempt).where(PaymentAttempt.invoice_id == invoice.id,
                                                             col(PaymentAttempt.status).in_(LIVE_ATTEMPTS))).all()
        _settle(session, list(attempts), now=now or utcnow(), source="check")
    return payment_state(session=session, actor=actor, number=number)


def _settle(session: Session, attempts: list[PaymentAttempt], *, now: datetime, source: str) -> ReconcileReport:
    checked = recorded = updated = errors = 0
    ids = [a.id for a in attempts]
    for attempt_id in ids:
        attempt = session.get(PaymentAttempt, attempt_id)
        if attempt is None or attempt.status in FINAL_ATTEMPTS:
            continue
        try:
            intent = _retrieve(attempt.payment_intent_id)
        except stripe.StripeError as exc:
            errors += 1
            log.error("could not re-read PaymentIntent %s: %s", attempt.payment_intent_id, exc)
            continue
        checked += 1
        number = session.exec(select(Invoice.number).where(Invoice.id == attempt.invoice_id)).first()
        try:
            outcome, changed = _sync(session, attempt, intent, source=source, now=now)
            session.commit()
        except Exception:
            session.rollback()
            raise
        recorded += outcome == "recorded"
        updated += changed
        if changed or outcome == "recorded":
            _bump(number)
    return ReconcileReport(checked=checked, recorded=recorded, updated=updated, errors=errors)


def reconcile(*, session: Session, since: timedelta = RECONCILE_WINDOW, now: datetime | None = None) -> ReconcileReport:
    """Re-read from Stripe every PaymentIntent made in the last `since` that is not settled yet, and
    record any payment whose webhook never came. Safe to run any time, any number of times, also
    beside the webhook: each payment is recorded once."""
    now = now or utcnow()
    attempts = session.exec(select(PaymentAttempt).where(col(PaymentAttempt.created_at) >= now - since,
                                                         col(PaymentAttempt.status).in_(LIVE_ATTEMPTS))
                            .order_by(col(PaymentAttempt.id))).all()
    return _settle(session, list(attempts), now=now, source="reconcile")


# --- the webhook -----------------------------------------------------------------------------------

def apply_event(*, session: Session, event: dict, now: datetime | None = None) -> str:
    """Apply a verified Stripe event once: its id is stored in the same transaction, so a repeated
    delivery answers "duplicate" and changes nothing. `payment_intent.succeeded` records the payment
    (`record_intent`); `payment_failed`, `processing` and `canceled` update the attempt (never one
    already succeeded or canceled). Returns the outcome (kept on the event row)."""
    now = now or utcnow()
    event_id, kind = str(event.get("id", "")), str(event.get("type", ""))
    obj = ((event.get("data") or {}).get("object")) or {}
    intent_id = obj.get("id") if obj.get("object") == "payment_intent" else None
    if not event_id:
        return "ignored"
    row = StripeEvent(id=event_id[:255], type=kind[:100], payment_intent_id=intent_id, received_at=now)
    number: int | None = None
    try:
        session.add(row)
        session.flush()
        outcome = "ignored"
        if intent_id is not None:
            if kind == "payment_intent.succeeded":
                outcome = record_intent(session, obj, source="webhook", now=now)
            elif kind in ("payment_intent.payment_failed", "payment_intent.canceled", "payment_intent.processing"):
                outcome = _attempt_event(session, kind, obj, now)
            invoice, _attempt = _invoice_of(session, obj)
            number = invoice.number if invoice is not None else None
        row.outcome = outcome
        session.add(row)
        session.commit()
    except IntegrityError:
        session.rollback()  # delivered twice at the same moment: the other one applied it
        return "duplicate"
    except Exception:
        session.rollback()
        raise
    _bump(number)
    return outcome


def _attempt_event(session: Session, kind: str, intent: dict, now: datetime) -> str:
    attempt = session.exec(select(PaymentAttempt).where(PaymentAttempt.payment_intent_id == intent["id"])).first()
    if attempt is None:
        return "unknown"
    if kind == "payment_intent.payment_failed":
        changed = _set_attempt(attempt, A.FAILED, now, *_failure(intent, "The payment failed."))
    elif kind == "payment_intent.canceled":
        changed = _set_attempt(attempt, A.CANCELED, now)
    else:
        changed = attempt.status == A.OPEN and _set_attempt(attempt, A.PROCESSING, now)
    session.add(attempt)
    return "updated" if changed else "stale"


def handle_webhook(*, session: Session, payload: bytes, signature: str, now: datetime | None = None) -> str:
    """`POST /api/stripe/webhook`: verify the signature over the raw body with the endpoint secret
    (`BadSignature`: nothing recorded, answer 400), then `apply_event`."""
    secret = settings.stripe_webhook_secret
    if not secret or not isinstance(payload, bytes | bytearray):
        raise BadSignature()
    try:
        stripe.Webhook.construct_event(payload, signature or "", secret)
        event = json.loads(payload)
    except (ValueError, stripe.SignatureVerificationError):
        raise BadSignature() from None
    if not isinstance(event, dict):
        raise BadSignature()
    return apply_event(session=session, event=event, now=now)
