"""Invoices: staff writes a draft, issues it with the next number, customers see and pay it.

Money is whole cents (integers) everywhere; quantities are thousandths (`quantity_milli`) and VAT
rates hundredths of a percent (`vat_rate_bp`: 2400 = 24 %, 2550 = 25.5 %), so nothing is a float.
An issued invoice is never edited: it is voided, or credited by a credit note (an invoice of kind
`credit_note` with the lines negated) that takes the balance off the original.

Payments are recorded exactly once: `payment.stripe_payment_intent_id` and `stripeevent.id` are
unique in the database, so however often (or late, or out of order) Stripe reports a payment, and
whether the webhook or `reconcile` sees it first, one row is written.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index, text
from sqlmodel import Field, SQLModel

from .common import utcnow


class InvoiceState(StrEnum):
    """The stored life cycle; what customers see ("Open", "Overdue", ...) is derived (`InvoiceStatus`)."""

    DRAFT = "draft"
    ISSUED = "issued"
    VOID = "void"


class InvoiceStatus(StrEnum):
    """The status shown: from the state, the balance and the due date."""

    DRAFT = "draft"
    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    VOID = "void"
    CREDITED = "credited"  # an invoice a credit note took off in full (what was paid is owed back)
    CREDIT_NOTE = "credit_note"  # a credit note itself: nothing to pay, nothing owed by it


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class PaymentMethod(StrEnum):
    STRIPE = "stripe"
    BANK = "bank"  # a bank transfer staff recorded by hand
    REFUND = "refund"  # a credit owed paid back to the customer, recorded by staff (a negative amount)


class AttemptStatus(StrEnum):
    """A PaymentIntent as we last saw it (Stripe's names, plus our `failed`)."""

    OPEN = "open"  # requires_payment_method / requires_confirmation / requires_action
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # the last confirmation failed; the PaymentIntent can still be retried
    CANCELED = "canceled"


class InvoiceBase(SQLModel):
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    due_date: date | None = Field(default=None)
    notes: str = Field(default="", max_length=2000, description="shown on the invoice")


class Invoice(InvoiceBase, table=True):
    __table_args__ = (
        CheckConstraint("paid_cents >= 0 AND credited_cents >= 0 AND credit_cents >= 0", name="ck_invoice_money"),
        Index("ix_invoice_company_number", "company_id", "number"),
        Index("ix_invoice_state_due", "state", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: int | None = Field(default=None, unique=True, description="given when issued; never reused")
    kind: str = Field(default=InvoiceKind.INVOICE, max_length=20)
    company_id: int = Field(foreign_key="company.id", index=True)
    state: str = Field(default=InvoiceState.DRAFT, max_length=10)
    issue_date: date | None = Field(default=None)
    reference: str = Field(default="", max_length=25, description="Finnish reference (digits), set when issued")
    subtotal_cents: int = Field(default=0, description="without VAT")
    vat_cents: int = Field(default=0)
    total_cents: int = Field(default=0)
    paid_cents: int = Field(default=0, description="payments applied to this invoice")
    credited_cents: int = Field(default=0, description="taken off by credit notes")
    balance_cents: int = Field(default=0, description="total - paid - credited, never below 0")
    credit_cents: int = Field(default=0, description="paid above the total: owed back to the customer")
    needs_review: bool = Field(default=False, description="flagged to staff (an overpayment)")
    credit_for_id: int | None = Field(default=None, foreign_key="invoice.id",
                                      description="a credit note: the invoice it credits")
    payment_seq: int = Field(default=0, description="PaymentIntents created; part of their idempotency keys")
    # the customer as it was when the invoice was issued (name, then address lines): an issued
    # invoice never changes, also when the company's details are edited later; [] on a draft
    bill_to: list[str] = Field(default_factory=list,
                               sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    # the seller as it was when issued (name, address, business ID, bank details: `invoice_rules.SELLER_FIELDS`),
    # so that a later change under Settings never rewrites an issued invoice; {} on a draft
    seller: dict[str, str] = Field(default_factory=dict,
                                   sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))
    created_by_id: int | None = Field(default=None, foreign_key="account.id")
    submission_id: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    issued_at: datetime | None = Field(default=None)
    voided_at: datetime | None = Field(default=None)


class InvoicePublic(InvoiceBase):
    id: int
    number: int | None
    kind: str
    company_id: int
    state: str
    issue_date: date | None
    reference: str
    subtotal_cents: int
    vat_cents: int
    total_cents: int
    paid_cents: int
    credited_cents: int
    balance_cents: int
    credit_cents: int
    needs_review: bool


class InvoiceLineBase(SQLModel):
    description: str = Field(min_length=1, max_length=300)
    product_code: str = Field(default="", max_length=50)
    quantity_milli: int = Field(description="quantity in thousandths: 1500 = 1.5")
    unit: str = Field(default="", max_length=20)
    unit_price_cents: int = Field(description="without VAT")
    vat_rate_bp: int = Field(ge=0, le=10000, description="hundredths of a percent: 2400 = 24 %")


class InvoiceLine(InvoiceLineBase, table=True):
    __table_args__ = (Index("ix_invoiceline_invoice_position", "invoice_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id")
    position: int = Field(default=0)
    net_cents: int = Field(default=0, description="quantity x unit price, rounded half up")


class InvoiceCounter(SQLModel, table=True):
    """The last invoice number given; one row, advanced with an atomic UPDATE ... RETURNING in the
    transaction that issues, so a number is taken only by an invoice that was issued."""

    id: int | None = Field(default=None, primary_key=True)
    value: int = Field(default=1000)


class Payment(SQLModel, table=True):
    """Money received for an invoice: one row per Stripe PaymentIntent (unique) or bank payment; and
    money paid back (a refund: `amount_cents` below zero, neither applied nor excess)."""

    __table_args__ = (
        Index("ix_payment_invoice", "invoice_id", "received_at"),
        Index("ux_payment_intent", "stripe_payment_intent_id", unique=True),
        Index("ux_payment_submission", "submission_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id")
    method: str = Field(max_length=10)
    amount_cents: int = Field(description="what was received")
    applied_cents: int = Field(description="the part that paid the invoice")
    excess_cents: int = Field(default=0, description="above the open balance: a credit, flagged to staff")
    currency: str = Field(max_length=3)
    stripe_payment_intent_id: str | None = Field(default=None, max_length=255)
    source: str = Field(default="", max_length=20, description="webhook / reconcile / staff")
    note: str = Field(default="", max_length=500)
    recorded_by_id: int | None = Field(default=None, foreign_key="account.id")
    submission_id: str | None = Field(default=None, max_length=64)
    received_at: datetime = Field(default_factory=utcnow)


class PaymentAttempt(SQLModel, table=True):
    """A Stripe PaymentIntent made for an invoice (by "Pay now"), with its last known status.

    At most one is open per invoice at a time: a new one is created only with the invoice row held,
    after the open one was found unusable (canceled, or for another amount, then canceled)."""

    __table_args__ = (
        Index("ux_attempt_intent", "payment_intent_id", unique=True),
        Index("ux_attempt_idempotency", "idempotency_key", unique=True),
        Index("ix_attempt_invoice", "invoice_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id")
    payment_intent_id: str = Field(max_length=255)
    idempotency_key: str = Field(max_length=255)
    amount_cents: int
    currency: str = Field(max_length=3)
    status: str = Field(default=AttemptStatus.OPEN, max_length=20)
    last_error: str = Field(default="", max_length=500, description="Stripe's message of the last failure")
    last_error_code: str = Field(default="", max_length=60, description="its decline_code, else its code: what the "
                                 "customer is told, in the customer's language (services/invoices/card_errors.py)")
    started_by_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class StripeEvent(SQLModel, table=True):
    """A Stripe event handled once: its id is the primary key, written in the transaction that applies it."""

    id: str = Field(primary_key=True, max_length=255)
    type: str = Field(max_length=100)
    payment_intent_id: str | None = Field(default=None, max_length=255, index=True)
    outcome: str = Field(default="", max_length=30)
    received_at: datetime = Field(default_factory=utcnow)
