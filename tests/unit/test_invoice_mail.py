"""Mail about invoices: an issued invoice or credit note to everyone at the company who sees its
invoices (each in their language, "pay by card" only to those who may pay while online payment is
on), nothing for a refused or repeated issue; a voided invoice's notice to the same people; a card
payment's receipt to the person who paid, a bank transfer's to the invoice readers. And the seller an
issued invoice keeps (its page, PDF and mail), whatever Settings say later."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pypdf
import pytest
from sqlmodel import col, select

from portal_app.models import Account, Contact, Invoice, OutboxMail, PaymentAttempt, PortalProfile
from portal_app.services.errors import ValidationFailed
from portal_app.services.invoices import admin, core, payments
from portal_app.services.portal.config import set_module_enabled, update_portal_settings
from portal_app.settings import settings

from demo_people import ADMIN, GLOBEX_ADMIN, LIISA, STAFF, USER
from localstripe_server import sign

SECRET = "whsec_unit"


def _mails(demo, since: int = 0) -> list[OutboxMail]:
    return list(demo.session.exec(select(OutboxMail).where(col(OutboxMail.id) > since).order_by(col(OutboxMail.id))))


def _last_mail_id(demo) -> int:
    return max((m.id for m in _mails(demo)), default=0)


def _draft(demo, company: str = "Acme Oy"):
    return admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=demo.company(company).id,
                              data={"lines": [{"description": "Work", "quantity": "2", "unit_price": "50",
                                               "vat_rate": "25.5"}]})


def _give_liisa_invoices(demo, language: str = "fi") -> None:
    """Liisa (Acme) may see invoices but not pay them, and reads Finnish."""
    s = demo.session
    profile = PortalProfile(name="Invoices, view", module_access={"invoices": "view"}, field_access={})
    s.add(profile)
    s.flush()
    account = s.exec(select(Account).where(Account.email == LIISA)).one()
    contact = s.get(Contact, account.contact_id)
    contact.profile_id, account.language = profile.id, language
    s.add_all([contact, account])
    s.commit()


@pytest.fixture
def card_payments(monkeypatch):
    monkeypatch.setattr(core, "settings", replace(core.settings, stripe_secret_key="sk_test_portal",
                                                  stripe_publishable_key="pk_test_portal"))


def test_an_issued_invoice_is_mailed_to_each_reader_in_their_language(demo, card_payments):
    _give_liisa_invoices(demo)
    since = _last_mail_id(demo)
    issued = admin.issue_invoice(session=demo.session, actor=demo.actor(STAFF), invoice_id=_draft(demo).id)
    mails = {m.to: m for m in _mails(demo, since)}
    assert set(mails) == {ADMIN, LIISA}  # not the Basic profile's user, not staff, not another company
    english, finnish = mails[ADMIN], mails[LIISA]
    assert english.subject == f"Invoice {issued.number} from Example Services Oy"
    assert f"Example Services Oy has issued invoice {issued.number} to Acme Oy." in english.body
    assert "Amount: €125.50 (VAT €25.50)" in english.body
    assert f"Payment reference: {issued.reference}" in english.body
    due = issued.due_date
    assert f"Due date: {due:%b} {due.day}, {due.year}" in english.body  # the year whole
    assert f"pay it by card in the portal: {settings.portal_url}/invoices/{issued.number}" in english.body
    assert finnish.subject == f"Lasku {issued.number}: Example Services Oy"
    assert "125,50\u00a0€" in finnish.body and "Eräpäivä:" in finnish.body
    # Liisa may look, not pay: her mail only links to the invoice
    assert "kortilla" not in finnish.body
    assert f"Katso lasku portaalissa: {settings.portal_url}/invoices/" in finnish.body


def test_without_online_payment_nobody_is_asked_to_pay_by_card(demo):
    since = _last_mail_id(demo)
    issued = admin.issue_invoice(session=demo.session, actor=demo.actor(STAFF), invoice_id=_draft(demo).id)
    [mail] = _mails(demo, since)
    assert mail.to == ADMIN and "by card" not in mail.body
    assert f"See the invoice in the portal: {settings.portal_url}/invoices/{issued.number}" in mail.body


def test_a_refused_or_repeated_issue_mails_nobody(demo):
    staff = demo.actor(STAFF)
    draft = _draft(demo, "Globex GmbH")
    since = _last_mail_id(demo)
    with pytest.raises(ValidationFailed):
        admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id, issue_date="2019-01-01")
    assert _mails(demo, since) == []
    admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id)
    with pytest.raises(ValidationFailed):
        admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id)
    assert [m.to for m in _mails(demo, since)] == [GLOBEX_ADMIN]


def test_a_credit_note_is_mailed_with_the_invoice_it_credits(demo):
    since = _last_mail_id(demo)
    note = admin.credit_invoice(session=demo.session, actor=demo.actor(STAFF), number=1002)
    [mail] = _mails(demo, since)
    assert mail.to == ADMIN and mail.subject == f"Credit note {note.number} from Example Services Oy"
    assert f"has credited invoice 1002 with credit note {note.number} (€1,240.00)." in mail.body
    assert "by card" not in mail.body
    assert f"See the credit note in the portal: {settings.portal_url}/invoices/{note.number}" in mail.body


def test_a_voided_invoice_is_mailed_to_its_readers_not_to_pay_it_and_a_refused_void_mails_nobody(demo):
    _give_liisa_invoices(demo)
    since = _last_mail_id(demo)
    with pytest.raises(ValidationFailed):
        admin.void_invoice(session=demo.session, actor=demo.actor(STAFF), number=1001)  # paid on: credited instead
    assert _mails(demo, since) == []
    voided = admin.void_invoice(session=demo.session, actor=demo.actor(STAFF), number=1003)
    mails = {m.to: m for m in _mails(demo, since)}
    assert set(mails) == {ADMIN, LIISA}  # who sees Acme's invoices; each in their language
    assert mails[ADMIN].subject == "Invoice 1003 from Example Services Oy is cancelled"
    assert "You do not need to pay it" in mails[ADMIN].body and voided.reference in mails[ADMIN].body
    assert f"{settings.portal_url}/invoices/1003" in mails[ADMIN].body
    assert mails[LIISA].subject.startswith("Lasku 1003") and "Sitä ei tarvitse maksaa" in mails[LIISA].body
    with pytest.raises(ValidationFailed):
        admin.void_invoice(session=demo.session, actor=demo.actor(STAFF), number=1003)  # void already
    assert len(_mails(demo, since)) == 2


def test_a_bank_transfer_staff_records_is_receipted_to_the_invoice_readers_once(demo):
    _give_liisa_invoices(demo)
    since = _last_mail_id(demo)
    staff = demo.actor(STAFF)
    admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="1000,00", submission_id="b" * 20)
    admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="1000,00", submission_id="b" * 20)
    mails = {m.to: m for m in _mails(demo, since)}
    assert set(mails) == {ADMIN, LIISA} and len(_mails(demo, since)) == 2  # the same form twice: one receipt each
    assert mails[ADMIN].subject == "Payment received for invoice 1002"
    assert "received your bank transfer of €1,000.00 for invoice 1002" in mails[ADMIN].body
    assert "Still to pay on this invoice: €240.00" in mails[ADMIN].body
    assert "tilisiirtosi" in mails[LIISA].body
    with pytest.raises(ValidationFailed):  # refused (a day in the future): no receipt
        admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="240", received_on="2999-01-01")
    assert len(_mails(demo, since)) == 2


def _event(event_id: str, intent_id: str, number: int, amount: int) -> bytes:
    return json.dumps({"id": event_id, "object": "event", "type": "payment_intent.succeeded", "data": {"object": {
        "id": intent_id, "object": "payment_intent", "status": "succeeded", "amount": amount,
        "amount_received": amount, "currency": "eur", "metadata": {"invoice": str(number), "company": "1"}}}}).encode()


def _attempt(demo, intent_id: str, number: int, payer: str, amount: int) -> None:
    s = demo.session
    invoice = s.exec(select(Invoice).where(Invoice.number == number)).one()
    account = s.exec(select(Account).where(Account.email == payer)).one()
    s.add(PaymentAttempt(invoice_id=invoice.id, payment_intent_id=intent_id, idempotency_key=f"key-{intent_id}",
                         amount_cents=amount, currency="EUR", started_by_id=account.id))
    s.commit()


@pytest.fixture
def signed(monkeypatch):
    monkeypatch.setattr(payments, "settings", replace(payments.settings, stripe_webhook_secret=SECRET))


def _deliver(demo, payload: bytes) -> str:
    return payments.handle_webhook(session=demo.session, payload=payload, signature=sign(payload, SECRET))


def test_a_card_payment_sends_its_payer_a_receipt_once(demo, signed):
    _attempt(demo, "pi_part", 1002, ADMIN, 40000)
    since = _last_mail_id(demo)
    payload = _event("evt_part", "pi_part", 1002, 40000)
    assert _deliver(demo, payload) == "recorded"
    assert _deliver(demo, payload) == "duplicate"
    [mail] = _mails(demo, since)
    assert mail.to == ADMIN and mail.subject == "Payment received for invoice 1002"
    assert "we have received your card payment of €400.00 for invoice 1002." in mail.body
    assert "Still to pay on this invoice: €840.00" in mail.body

    _attempt(demo, "pi_rest", 1002, ADMIN, 84000)
    since = _last_mail_id(demo)
    assert _deliver(demo, _event("evt_rest", "pi_rest", 1002, 84000)) == "recorded"
    [paid] = _mails(demo, since)
    assert "The invoice is now paid in full." in paid.body and "Still to pay" not in paid.body


def test_a_receipt_says_what_came_above_the_balance(demo, signed):
    _attempt(demo, "pi_over", 1003, ADMIN, 40000)  # 1003 is 310.00
    since = _last_mail_id(demo)
    assert _deliver(demo, _event("evt_over", "pi_over", 1003, 40000)) == "recorded"
    [mail] = _mails(demo, since)
    assert "€90.00 of it was more than the invoice's open amount" in mail.body


def test_no_receipt_without_a_payer_who_still_sees_the_invoice(demo, signed):
    since = _last_mail_id(demo)
    assert _deliver(demo, _event("evt_anon", "pi_anon", 1002, 100)) == "recorded"  # no attempt of ours: no payer
    _attempt(demo, "pi_user", 1002, USER, 100)  # (an attempt of someone whose profile no longer shows invoices)
    assert _deliver(demo, _event("evt_user", "pi_user", 1002, 100)) == "recorded"
    assert _mails(demo, since) == []


def test_an_issued_invoice_keeps_the_seller_it_was_issued_by(demo):
    """Settings' seller changes later (a move, a new bank): the issued invoice, its PDF and its mail keep
    the one of its issue; a draft and the next invoice take the new one."""
    staff = demo.actor(STAFF)
    issued = admin.issue_invoice(session=demo.session, actor=staff, invoice_id=_draft(demo).id)
    draft = _draft(demo)
    update_portal_settings(session=demo.session, actor=staff, data={"seller": {
        "name": "Example Group AG", "address": "Bahnhofstr. 1, 8001 Zürich", "business_id": "CHE-123.456.789",
        "iban": "CH93 0076 2011 6238 5295 7", "bic": "POFICHBEXXX", "bank": "PostFinance"}})
    old = core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=issued.number)
    assert old.seller["name"] == "Example Services Oy" and old.seller["iban"] == "FI21 1234 5600 0007 85"
    assert core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=1001).seller["name"] == \
        "Example Services Oy"  # (the demo's invoices, issued through the same service)
    _, pdf = core.invoice_pdf(session=demo.session, actor=demo.actor(ADMIN), number=issued.number)
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Example Services Oy" in text and "Example Group AG" not in text
    assert admin.get_invoice_by_id(session=demo.session, actor=staff, invoice_id=draft.id).seller["name"] == \
        "Example Group AG"
    since = _last_mail_id(demo)
    newer = admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id)
    assert core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=newer.number).seller["bank"] == \
        "PostFinance"
    assert [m.subject for m in _mails(demo, since)] == [f"Invoice {newer.number} from Example Group AG"]


def test_with_invoices_switched_off_nobody_is_mailed(demo):
    """Nobody sees invoices while the module is off, so nobody is told of a new one."""
    staff = demo.actor(STAFF)
    set_module_enabled(session=demo.session, actor=staff, module="invoices", enabled=False)
    since = _last_mail_id(demo)
    admin.issue_invoice(session=demo.session, actor=staff, invoice_id=_draft(demo).id)
    assert _mails(demo, since) == []
    set_module_enabled(session=demo.session, actor=staff, module="invoices", enabled=True)
    admin.issue_invoice(session=demo.session, actor=staff, invoice_id=_draft(demo).id)
    assert [m.to for m in _mails(demo, since)] == [ADMIN]
