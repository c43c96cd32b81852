"""Staff records a refund of a credit owed (an overpayment, or payments on an invoice credited since):
at most what is owed, dated from the issue date to today, once per form; the credit owed goes down,
the review flag clears when nothing is owed, and the page and the PDF list it as a refund."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pypdf
import pytest
from sqlmodel import select

from portal_app.local_time import today as local_today
from portal_app.models import Invoice, Payment
from portal_app.services.errors import PermissionDenied, ValidationFailed
from portal_app.services.invoices import admin, core

from demo_people import ADMIN, STAFF


def _invoice(demo, number: int) -> Invoice:
    invoice = demo.session.exec(select(Invoice).where(Invoice.number == number)).one()
    demo.session.refresh(invoice)
    return invoice


def _overpay_1003(demo) -> None:
    """1003 is 310.00: a transfer of 400.00 leaves 90.00 owed back, flagged."""
    admin.record_bank_payment(session=demo.session, actor=demo.actor(STAFF), number=1003, amount="400")
    invoice = _invoice(demo, 1003)
    assert (invoice.credit_cents, invoice.needs_review) == (9000, True)


def _refund(demo, amount: str, **kw):
    return admin.record_refund(session=demo.session, actor=demo.actor(STAFF), number=1003, amount=amount, **kw)


def test_a_refund_takes_the_credit_owed_down_and_clears_the_flag_at_zero(demo):
    _overpay_1003(demo)
    with pytest.raises(ValidationFailed) as above:
        _refund(demo, "90.01")
    assert above.value.fields == {"refund_amount": ("error.refund_above_credit", {})}
    first = _refund(demo, "50", note="Bank transfer back", submission_id="a" * 32)
    assert (first.method, first.amount_cents, first.applied_cents, first.excess_cents) == ("refund", -5000, 0, 0)
    assert _refund(demo, "50", submission_id="a" * 32).id == first.id  # the same form again: one refund
    invoice = _invoice(demo, 1003)
    assert (invoice.credit_cents, invoice.needs_review, invoice.paid_cents, invoice.balance_cents) == (4000, True,
                                                                                                      31000, 0)
    _refund(demo, "40,00")
    invoice = _invoice(demo, 1003)
    assert (invoice.credit_cents, invoice.needs_review) == (0, False)
    with pytest.raises(ValidationFailed) as nothing:
        _refund(demo, "1")
    assert nothing.value.fields == {"form": ("error.invoice_no_credit_owed", {})}
    refunds = demo.session.exec(select(Payment).where(Payment.method == "refund")).all()
    assert sorted(r.amount_cents for r in refunds) == [-5000, -4000]


def test_the_customer_sees_the_refund_on_the_page_and_the_pdf(demo):
    _overpay_1003(demo)
    _refund(demo, "90")
    detail = core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=1003)
    assert [(p.method, p.amount_cents) for p in detail.payments] == [("bank", 40000), ("refund", -9000)]
    assert detail.credit_cents == 0 and detail.status == "paid"
    _, data = core.invoice_pdf(session=demo.session, actor=demo.actor(ADMIN), number=1003)
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Refund" in text and "-€90.00" in text.replace("\u2212", "-")


def test_a_credited_invoice_refunds_what_was_paid_on_it(demo):
    staff = demo.actor(STAFF)
    admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="240")
    admin.credit_invoice(session=demo.session, actor=staff, number=1002)
    assert _invoice(demo, 1002).credit_cents == 24000
    admin.record_refund(session=demo.session, actor=staff, number=1002, amount="240")
    assert _invoice(demo, 1002).credit_cents == 0
    with pytest.raises(ValidationFailed):  # a credit note itself owes nothing
        admin.record_refund(session=demo.session, actor=staff, number=1005, amount="1")


@pytest.mark.parametrize(("fields", "error"), [
    ({"amount": "0"}, {"refund_amount": ("error.amount_range_positive", {"max": Decimal(10**9)})}),
    ({"amount": "-5"}, {"refund_amount": ("error.amount_range_positive", {"max": Decimal(10**9)})}),
    ({"amount": "99999999999999"}, {"refund_amount": ("error.amount_range_positive", {"max": Decimal(10**9)})}),
    ({"amount": "ten"}, None),
    ({"amount": " "}, {"refund_amount": ("error.required", {})}),
    ({"refunded_on": (date.today() + timedelta(days=2)).isoformat()}, {"refunded_on": ("error.refund_in_future", {})}),
    # tomorrow where the portal is (dates are the portal's), at any hour of today
    ({"refunded_on": (local_today() + timedelta(days=1)).isoformat()}, {"refunded_on": ("error.refund_in_future", {})}),
    ({"refunded_on": "2019-01-01"}, None),
    ({"note": "x" * 501}, None),
])
def test_bad_input_is_said_at_its_field_and_changes_nothing(demo, fields, error):
    _overpay_1003(demo)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as refused:
        _refund(demo, **{"amount": "10", **fields})
    if error is not None:
        assert refused.value.fields == error
    assert set(refused.value.fields) <= {"refund_amount", "refunded_on", "refund_note"}
    assert demo.committed_state() == before


def test_only_staff_records_a_refund(demo):
    _overpay_1003(demo)
    with pytest.raises(PermissionDenied):
        admin.record_refund(session=demo.session, actor=demo.actor(ADMIN), number=1003, amount="10")
    assert _invoice(demo, 1003).credit_cents == 9000


def test_a_bank_payment_dated_tomorrow_is_refused(demo):
    with pytest.raises(ValidationFailed) as future:
        admin.record_bank_payment(session=demo.session, actor=demo.actor(STAFF), number=1002, amount="1",
                                  received_on=(local_today() + timedelta(days=1)).isoformat())
    assert future.value.fields == {"received_on": ("error.payment_in_future", {})}
