"""Online payment against a real local Stripe-compatible server (localstripe on 127.0.0.1): "Pay now"
makes the PaymentIntent through our code, the test confirms it as the browser would (a card
payment method attached, then confirm: localstripe refuses `confirm(payment_method=...)`), the
signed webhook arrives at a real HTTP endpoint, and the invoice is Paid. Then what goes wrong in
life: duplicate, shuffled and late deliveries, bad signatures, two tabs, a changed balance, a
partial payment, an overpayment, a decline, and a webhook that never came (reconcile)."""

from __future__ import annotations

import random
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace

import pytest
import stripe
from sqlmodel import Session, select

from portal_app.models import AttemptStatus, Invoice, Payment, PaymentAttempt, StripeEvent
from portal_app.services import live
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.services.invoices import admin, core, payments

from demo_people import ADMIN, GLOBEX_ADMIN, STAFF, USER
from localstripe_server import Receiver, running_localstripe, sign, webhook_receiver

SECRET = "whsec_portal_tests"


@pytest.fixture(scope="module")
def localstripe_url():
    with running_localstripe() as url:
        yield url


@pytest.fixture
def stripe_on(monkeypatch, localstripe_url):
    configured = replace(core.settings, stripe_secret_key="sk_test_portal", stripe_publishable_key="pk_test_portal",
                         stripe_webhook_secret=SECRET, stripe_api_base=localstripe_url,
                         stripe_js_url=f"{localstripe_url}/js.stripe.com/v3/")
    monkeypatch.setattr(core, "settings", configured)
    monkeypatch.setattr(payments, "settings", configured)
    return configured


@dataclass
class World:
    engine: object
    demo: object
    receiver: Receiver
    stripe: stripe.StripeClient
    url: str

    def session(self) -> Session:
        return Session(self.engine)

    def actor(self, email: str):
        return self.demo.actor(email)

    def start(self, email: str = ADMIN, number: int = 1002) -> payments.PaymentStart:
        with self.session() as session:
            return payments.start_payment(session=session, actor=self.actor(email), number=number)

    def pay_as_browser(self, intent_id: str, method: str = "pm_card_visa") -> dict:
        """What Stripe.js does on "Pay now": the card's payment method on the intent, then confirm."""
        self.stripe.v1.payment_intents.update(intent_id, params={"payment_method": method})
        return self.stripe.v1.payment_intents.confirm(intent_id).to_dict()

    def invoice(self, number: int) -> Invoice:
        with self.session() as session:
            return session.exec(select(Invoice).where(Invoice.number == number)).one()

    def payments(self, number: int) -> list[Payment]:
        with self.session() as session:
            invoice = session.exec(select(Invoice).where(Invoice.number == number)).one()
            return list(session.exec(select(Payment).where(Payment.invoice_id == invoice.id)).all())

    def attempts(self, number: int) -> list[PaymentAttempt]:
        with self.session() as session:
            invoice = session.exec(select(Invoice).where(Invoice.number == number)).one()
            return list(session.exec(select(PaymentAttempt).where(PaymentAttempt.invoice_id == invoice.id)
                                     .order_by(PaymentAttempt.id)).all())

    def status(self, number: int, email: str = ADMIN) -> str:
        with self.session() as session:
            return core.get_invoice(session=session, actor=self.actor(email), number=number).status

    def post(self, payload: bytes, signature: str) -> tuple[int, str]:
        return self.receiver.handle(payload, signature)


@pytest.fixture
def world(file_engine, file_demo, stripe_on, localstripe_url):
    def handle(payload: bytes, signature: str) -> tuple[int, str]:
        with Session(file_engine) as session:
            try:
                return 200, payments.handle_webhook(session=session, payload=payload, signature=signature)
            except payments.BadSignature:
                return 400, "bad signature"

    with webhook_receiver(handle) as receiver:
        data = urllib.parse.urlencode({"url": receiver.url, "secret": SECRET}).encode()
        urllib.request.urlopen(urllib.request.Request(f"{localstripe_url}/_config/webhooks/portal", data=data,
                                                      headers={"Authorization": "Bearer sk_test_portal"}))
        yield World(engine=file_engine, demo=file_demo, receiver=receiver, stripe=payments.stripe_client(),
                    url=localstripe_url)


def succeeded(receiver: Receiver, count: int = 1) -> list:
    """Wait for `count` payment_intent.succeeded deliveries."""
    import time

    deadline = time.monotonic() + 15
    while True:
        found = [d for d in receiver.deliveries if b'"payment_intent.succeeded"' in d.payload]
        if len(found) >= count:
            return found
        assert time.monotonic() < deadline, f"{len(found)} succeeded webhooks, expected {count}"
        time.sleep(0.05)


# --- the happy path ----------------------------------------------------------------------------------

def test_pay_now_creates_the_intent_from_the_database_and_the_webhook_marks_the_invoice_paid(world):
    assert world.status(1002) == "open"
    with world.session() as session:
        assert core.get_invoice(session=session, actor=world.actor(ADMIN), number=1002).can_pay
    before = live.versions(live.invoice_key(1002))[0]
    started = world.start()
    assert (started.amount_cents, started.currency, started.reused) == (124000, "EUR", False)
    assert started.publishable_key == "pk_test_portal" and started.js_url.endswith("/js.stripe.com/v3/")
    intent = world.stripe.v1.payment_intents.retrieve(started.payment_intent_id)
    assert intent.amount == 124000 and intent.currency == "eur" and intent.metadata["invoice"] == "1002"
    assert intent.client_secret == started.client_secret

    confirmed = world.pay_as_browser(started.payment_intent_id)
    assert confirmed["status"] == "succeeded"
    [delivery] = succeeded(world.receiver)
    assert (delivery.status, delivery.outcome) == (200, "recorded")

    assert world.status(1002) == "paid"
    invoice = world.invoice(1002)
    assert (invoice.paid_cents, invoice.balance_cents, invoice.credit_cents) == (124000, 0, 0)
    [payment] = world.payments(1002)
    assert (payment.method, payment.amount_cents, payment.stripe_payment_intent_id) == (
        "stripe", 124000, started.payment_intent_id)
    assert [a.status for a in world.attempts(1002)] == [AttemptStatus.SUCCEEDED]
    assert live.versions(live.invoice_key(1002))[0] > before  # the open page turns Paid without reload
    with world.session() as session:
        state = core.payment_state(session=session, actor=world.actor(ADMIN), number=1002)
        assert (state.status, state.balance_cents, state.processing) == ("paid", 0, False)
        assert not core.get_invoice(session=session, actor=world.actor(ADMIN), number=1002).can_pay
        with pytest.raises(ValidationFailed) as refused:
            payments.start_payment(session=session, actor=world.actor(ADMIN), number=1002)
        assert refused.value.fields == {"form": ("error.invoice_nothing_to_pay", {})}


# --- webhooks: repeated, shuffled, late, forged ------------------------------------------------------

def test_duplicate_shuffled_and_late_webhooks_record_each_payment_once(world):
    first, second = world.start(number=1002), world.start(number=1003)
    world.pay_as_browser(first.payment_intent_id)
    world.pay_as_browser(second.payment_intent_id)
    originals = succeeded(world.receiver, 2)
    assert world.status(1002) == world.status(1003) == "paid"

    # Stripe delivers at least once, in any order, and retries for days: each re-signed now
    replays = [d.payload for d in originals] * 4
    random.Random(7).shuffle(replays)
    outcomes = [world.post(payload, sign(payload, SECRET)) for payload in replays]
    assert outcomes == [(200, "duplicate")] * len(replays)
    # the same events from several senders at once
    threads = [threading.Thread(target=world.post, args=(p, sign(p, SECRET))) for p in replays]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert [p.amount_cents for p in world.payments(1002)] == [124000]
    assert [p.amount_cents for p in world.payments(1003)] == [31000]
    assert world.invoice(1002).paid_cents == 124000 and world.invoice(1003).paid_cents == 31000
    with world.session() as session:
        assert len(session.exec(select(StripeEvent)).all()) == len({d.payload for d in originals})


def test_a_bad_signature_gets_400_and_records_nothing(world):
    started = world.start()
    world.pay_as_browser(started.payment_intent_id)
    [delivery] = succeeded(world.receiver)
    # the same event delivered to a fresh database: forged signatures must not record it there
    with world.session() as session:
        session.query(Payment).delete()
        session.query(StripeEvent).delete()
        invoice = session.exec(select(Invoice).where(Invoice.number == 1002)).one()
        invoice.paid_cents, invoice.balance_cents = 0, 124000
        session.add(invoice)
        session.commit()
    before = world.demo.committed_state()
    payload = delivery.payload
    for signature in ("", "t=1,v1=00", sign(payload, "whsec_wrong"), sign(payload, SECRET, timestamp=1),
                      sign(payload + b" ", SECRET).replace("v1=", "v1=0")):
        assert world.post(payload, signature) == (400, "bad signature")
    tampered = payload.replace(b"124000", b"999999")
    assert world.post(tampered, delivery.signature)[0] == 400
    assert world.demo.committed_state() == before
    assert world.post(payload, sign(payload, SECRET)) == (200, "recorded")  # the genuine one still counts


def test_a_late_failure_event_never_undoes_a_payment(world):
    started = world.start()
    world.pay_as_browser(started.payment_intent_id)
    [delivery] = succeeded(world.receiver)
    import json

    event = json.loads(delivery.payload)
    event["id"], event["type"] = event["id"] + "_late", "payment_intent.payment_failed"
    payload = json.dumps(event).encode()
    assert world.post(payload, sign(payload, SECRET)) == (200, "stale")
    assert [a.status for a in world.attempts(1002)] == [AttemptStatus.SUCCEEDED]
    assert world.status(1002) == "paid"


# --- two tabs, a changed balance ------------------------------------------------------------------------

def test_two_tabs_pay_through_one_intent(world):
    results: list = []
    errors: list = []

    def tab() -> None:
        try:
            results.append(world.start())
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=tab) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({r.payment_intent_id for r in results}) == 1
    assert sorted(r.reused for r in results) == [False] + [True] * 5
    assert len(world.attempts(1002)) == 1
    world.pay_as_browser(results[0].payment_intent_id)
    succeeded(world.receiver)
    assert [p.amount_cents for p in world.payments(1002)] == [124000]


def test_a_changed_balance_cancels_the_open_intent_and_makes_one_for_the_new_amount(world):
    old = world.start()
    with world.session() as session:
        admin.record_bank_payment(session=session, actor=world.actor(STAFF), number=1002, amount="240.00")
    assert world.status(1002) == "partly_paid"
    # at once, not only at the next "Pay now": a card form still open at 1,240.00 cannot charge it
    assert world.stripe.v1.payment_intents.retrieve(old.payment_intent_id).status == "canceled"
    assert [a.status for a in world.attempts(1002)] == [AttemptStatus.CANCELED]
    new = world.start()
    assert new.payment_intent_id != old.payment_intent_id and new.amount_cents == 100000 and not new.reused
    assert world.stripe.v1.payment_intents.retrieve(old.payment_intent_id).status == "canceled"
    assert [a.status for a in world.attempts(1002)] == [AttemptStatus.CANCELED, AttemptStatus.OPEN]
    keys = [a.idempotency_key for a in world.attempts(1002)]
    assert len(set(keys)) == 2 and all(k.startswith("portal-invoice-") for k in keys)
    world.pay_as_browser(new.payment_intent_id)
    succeeded(world.receiver)
    invoice = world.invoice(1002)
    assert (invoice.paid_cents, invoice.balance_cents, world.status(1002)) == (124000, 0, "paid")
    assert sorted((p.method, p.amount_cents) for p in world.payments(1002)) == [("bank", 24000), ("stripe", 100000)]


def test_an_overpayment_is_recorded_as_a_credit_and_flagged(world):
    """The card paid the whole invoice, and the customer's bank transfer of it arrives as well (a
    bank payment recorded while a card form is open cancels that card payment instead: the test
    above). The money is never lost: the second is kept as a credit and flagged to staff."""
    tab = world.start()
    world.pay_as_browser(tab.payment_intent_id)
    [delivery] = succeeded(world.receiver)
    assert delivery.outcome == "recorded"
    with world.session() as session:
        admin.record_bank_payment(session=session, actor=world.actor(STAFF), number=1002, amount="1240.00")
    invoice = world.invoice(1002)
    assert (invoice.paid_cents, invoice.balance_cents, invoice.credit_cents, invoice.needs_review) == (
        124000, 0, 124000, True)
    bank = [p for p in world.payments(1002) if p.method == "bank"]
    assert [(p.amount_cents, p.applied_cents, p.excess_cents) for p in bank] == [(124000, 0, 124000)]
    with world.session() as session:
        rows = core.list_invoices(session=session, actor=world.actor(STAFF), search="1002").rows
        assert rows[0].needs_review


# --- declines, a webhook that never came ------------------------------------------------------------

def test_a_declined_card_keeps_the_invoice_open_with_stripes_message_and_code(world):
    started = world.start()
    with pytest.raises(stripe.CardError) as declined:
        world.pay_as_browser(started.payment_intent_id, method="pm_card_chargeCustomerFail")
    message = declined.value.user_message or str(declined.value)
    delivery = world.receiver.wait_for(1)[0]
    assert b"payment_intent.payment_failed" in delivery.payload and delivery.outcome == "updated"
    [attempt] = world.attempts(1002)
    assert attempt.status == AttemptStatus.FAILED and attempt.last_error and attempt.last_error in message
    assert attempt.last_error_code == declined.value.code == "card_declined"  # told by it, in the reader's language
    with world.session() as session:
        state = core.payment_state(session=session, actor=world.actor(ADMIN), number=1002)
    assert state.status == "open" and state.last_error == attempt.last_error
    assert state.last_error_code == "card_declined"
    again = world.start()  # another card: a fresh intent, the declined one canceled
    assert again.payment_intent_id != started.payment_intent_id and not again.reused
    assert world.stripe.v1.payment_intents.retrieve(started.payment_intent_id).status == "canceled"
    world.pay_as_browser(again.payment_intent_id)
    succeeded(world.receiver)
    assert world.status(1002) == "paid"


def test_reconcile_records_a_payment_whose_webhook_never_came(world):
    world.receiver.drop = True  # our endpoint was down
    started = world.start()
    world.pay_as_browser(started.payment_intent_id)
    succeeded(world.receiver)
    assert world.status(1002) == "open" and world.payments(1002) == []

    with world.session() as session:
        report = payments.reconcile(session=session)
    assert (report.checked, report.recorded, report.errors) == (1, 1, 0)
    assert world.status(1002) == "paid"
    with world.session() as session:  # any number of times
        assert payments.reconcile(session=session).recorded == 0
        assert admin.reconcile_now(session=session, actor=world.actor(STAFF)).recorded == 0
    [dropped] = world.receiver.deliveries
    assert world.post(dropped.payload, sign(dropped.payload, SECRET)) == (200, "duplicate")  # Stripe's retry
    assert [p.source for p in world.payments(1002)] == ["reconcile"]


def test_the_pages_server_side_check_records_the_payment_before_the_webhook(world):
    world.receiver.drop = True
    started = world.start()
    world.pay_as_browser(started.payment_intent_id)
    with world.session() as session:
        state = payments.check_payment(session=session, actor=world.actor(ADMIN), number=1002)
    assert state.status == "paid"
    assert [p.source for p in world.payments(1002)] == ["check"]


# --- who may pay ---------------------------------------------------------------------------------------

def test_other_companies_and_profiles_without_invoices_cannot_pay(world):
    with world.session() as session:
        with pytest.raises(NotFound):
            payments.start_payment(session=session, actor=world.actor(GLOBEX_ADMIN), number=1002)
        with pytest.raises(PermissionDenied):
            payments.start_payment(session=session, actor=world.actor(USER), number=1002)
        with pytest.raises(NotFound):
            payments.check_payment(session=session, actor=world.actor(GLOBEX_ADMIN), number=1002)
    assert world.attempts(1002) == []


def test_without_a_secret_key_online_payment_is_hidden(world, monkeypatch):
    off = replace(core.settings, stripe_secret_key=None)
    monkeypatch.setattr(core, "settings", off)
    monkeypatch.setattr(payments, "settings", off)
    with world.session() as session:
        assert not core.get_invoice(session=session, actor=world.actor(ADMIN), number=1002).can_pay
        with pytest.raises(ValidationFailed) as refused:
            payments.start_payment(session=session, actor=world.actor(ADMIN), number=1002)
    assert refused.value.fields == {"form": ("error.invoice_payments_off", {})}
