"""Invoice vocabularies and limits: defined here, once (the pages, the PDF and the CSV read them too)."""

from __future__ import annotations

from datetime import timedelta

from ...models import AttemptStatus, InvoiceStatus
from ..money import CURRENCIES  # noqa: F401 - the invoice form offers these (shared with quotes and orders)

S = InvoiceStatus
# what customers can filter on
STATUSES: tuple[str, ...] = (S.OPEN, S.PARTLY_PAID, S.OVERDUE, S.PAID, S.CREDITED, S.CREDIT_NOTE, S.VOID)
STAFF_STATUSES: tuple[str, ...] = (S.DRAFT, *STATUSES)

SORTS: tuple[str, ...] = ("number", "issue_date", "due_date", "total", "balance")
PAGE_LIMIT = 200

DEFAULT_DUE_DAYS = 14
MAX_DUE_AFTER_ISSUE = timedelta(days=365)  # payment terms longer than a year are a typo here
MAX_LINES = 200
MAX_QUANTITY_MILLI = 10**12  # a billion units
MAX_UNIT_PRICE_CENTS = 10**11  # a billion in the currency
TEXT_LIMITS = {"description": 300, "product_code": 50, "unit": 20, "notes": 2000, "note": 500}

# PaymentIntent statuses (Stripe's names) and ours
OPEN_INTENT = ("requires_payment_method", "requires_confirmation", "requires_action")
INTENT_STATUS = {"requires_payment_method": AttemptStatus.OPEN, "requires_confirmation": AttemptStatus.OPEN,
                 "requires_action": AttemptStatus.OPEN, "processing": AttemptStatus.PROCESSING,
                 "requires_capture": AttemptStatus.PROCESSING, "succeeded": AttemptStatus.SUCCEEDED,
                 "canceled": AttemptStatus.CANCELED}
FINAL_ATTEMPTS = (AttemptStatus.SUCCEEDED, AttemptStatus.CANCELED)  # never change again
LIVE_ATTEMPTS = (AttemptStatus.OPEN, AttemptStatus.FAILED, AttemptStatus.PROCESSING)
RECONCILE_WINDOW = timedelta(days=7)  # `reconcile` re-reads the PaymentIntents made since then

# The seller printed on the invoice and the PDF with the bank details for a transfer: staff sets
# these in the admin panel (PortalSettings.seller); a field not set is empty, and without an IBAN the
# page and the PDF leave the bank transfer details out
SELLER_FIELDS: tuple[str, ...] = ("name", "address", "business_id", "iban", "bic", "bank")
SELLER_LIMITS = {"name": 100, "address": 300, "business_id": 30, "iban": 42, "bic": 11, "bank": 100}


NOTHING = "–"  # a list's cell of what a document has not (a credit note's due date and open amount)


def seller_of(stored: dict | None) -> dict[str, str]:
    """Every seller field, as stored or empty."""
    stored = stored if isinstance(stored, dict) else {}
    return {name: str(stored.get(name) or "") for name in SELLER_FIELDS}


# staff's CSV export: each header is `invoices.csv.<column>` in the reader's language
CSV_COLUMNS = ("number", "kind", "company", "issue_date", "due_date", "currency", "net", "vat", "total", "paid",
               "credited", "open", "credit_owed", "status", "reference", "needs_review")
