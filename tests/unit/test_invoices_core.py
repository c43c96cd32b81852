"""Invoices without Stripe: references and money (pure), who sees what, the list (filter, sort,
search, pages, sums), the page and its PDF, staff's drafts, issuing, voiding, crediting, bank
payments and CSV, and webhook events applied once (signed by the test)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pypdf
import pytest
from sqlmodel import select

from portal_app import local_time
from portal_app.i18n import translate
from portal_app.models import Invoice, InvoiceLine, Payment, StripeEvent, utcnow
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.services.companies import directory
from portal_app.services.invoices import admin, core, payments
from portal_app.services.money import line_net, parse_cents, parse_quantity, parse_vat_rate, totals
from portal_app.services.invoices.reference import (
    finnish_reference, grouped, is_finnish_reference, is_rf_reference, rf_reference,
)

from demo_people import ADMIN, GLOBEX_ADMIN, HANS, PARTNER, STAFF, USER
from localstripe_server import sign

SECRET = "whsec_unit"


# --- pure functions --------------------------------------------------------------------------------

@pytest.mark.parametrize("base, reference", [("1001", "10016"), ("1234561", "12345614"), ("100", "1009"),
                                             ("1002", "10029"), ("12345", "123453")])
def test_finnish_reference_check_digit(base, reference):
    assert finnish_reference(base) == reference
    assert is_finnish_reference(reference)
    assert not is_finnish_reference(reference[:-1] + str((int(reference[-1]) + 1) % 10))


@pytest.mark.parametrize("typed", ["1,000", "1.500", "12,345", "-1.000", "999.999"])
def test_money_with_a_thousands_separator_is_refused_not_read_as_decimals(typed):
    """"1,000" is a thousand to whoever typed it, 1.00 to Decimal: said, never saved 1000 times too low."""
    with pytest.raises(ValidationFailed) as refused:
        parse_cents(typed, field="price", allow_negative=True)
    assert refused.value.fields == {"price": ("error.number_thousands", {})}
    with pytest.raises(ValidationFailed):
        parse_vat_rate("25,500")
    assert [parse_cents(t, field="a") for t in ("1000", "1 000", "1000,00", "1,5", "1.05")] == [
        100000, 100000, 100000, 150, 105]


@pytest.mark.parametrize(("typed", "cents"), [("1.240,50", 124050), ("1,240.50", 124050), ("-1.240,5", -124050),
                                              ("12.345.678,90", 1234567890), ("1.000,00", 100000)])
def test_money_grouped_with_decimals_after_the_other_mark_is_read_as_written(typed, cents):
    """German and Italian "1.240,50", English "1,240.50": the decimals after the other mark leave no
    doubt which is the grouping. Grouping alone, or the same mark twice, stays refused."""
    assert parse_cents(typed, field="price", allow_negative=True) == cents
    for doubtful in ("1.240", "1.240.50", "1,240,50", "0.240,50", "1.24,50", "1.2400,5", "1.000.000"):
        with pytest.raises(ValidationFailed):
            parse_cents(doubtful, field="price")
    assert parse_quantity("1.000,125") == 1_000_125 and parse_quantity("2,500.5") == 2_500_500
    assert parse_cents("0.500", field="price") == 50  # groups nothing: half a euro, a zero too many
    with pytest.raises(ValidationFailed) as decimals:
        parse_cents("0.505", field="price")
    assert decimals.value.fields == {"price": ("error.invoice_too_many_decimals", {})}  # not "no grouping"


def test_quantities_keep_three_decimals_but_not_a_thousands_separator():
    """Three decimals ending in a zero after a whole number read as thousands to whoever typed them
    ("1.500" pieces: 1500 in German, 1.5 to Decimal): refused. A real third decimal is kept."""
    assert parse_quantity("1,125") == 1125 and parse_quantity("0.125") == 125 and parse_quantity("1 000") == 1_000_000
    assert parse_quantity("0,250") == 250 and parse_quantity("1,25") == 1250 and parse_quantity("1.5") == 1500
    for typed in ("1,000", "2.000", "1.500", "1,500", "2.500", "12,250"):
        with pytest.raises(ValidationFailed) as refused:
            parse_quantity(typed)
        assert refused.value.fields == {"quantity": ("error.number_thousands", {})}


def test_rf_creditor_reference():
    assert is_rf_reference("RF18 5390 0754 7034")  # ISO 11649's example
    assert is_rf_reference("RF18539007547034")
    assert not is_rf_reference("RF19 5390 0754 7034")
    for ref in ("10016", "12345614", "539007547034", "ABC123"):
        made = rf_reference(ref)
        assert made.startswith("RF") and made.endswith(ref) and is_rf_reference(made)
    assert rf_reference("539007547034") == "RF18539007547034"
    assert grouped("RF18539007547034") == "RF18 5390 0754 7034"
    assert grouped("12345614") == "123 45614"


def test_money_is_read_exactly_and_rounded_half_up():
    assert parse_cents("1 240,50", field="a") == 124050
    assert parse_cents("1240", field="a") == 124000
    assert parse_cents(12, field="a") == 1200
    assert parse_quantity("2.5") == 2500 and parse_quantity("0,125") == 125
    assert parse_vat_rate("25.5") == 2550 and parse_vat_rate("0") == 0
    for bad in ("1.005", "abc", "1e3", None, True, 1.5, "", "--1"):
        with pytest.raises(ValidationFailed):
            parse_cents(bad, field="a")
    for bad in ("0", "-1", "1000000001", 10**18):  # said as a quantity's range, the largest in decimals
        with pytest.raises(ValidationFailed) as refused:
            parse_quantity(bad, maximum=10**12)
        assert refused.value.fields == {"quantity": ("error.quantity_range", {"max": Decimal(10**9)})}
    with pytest.raises(ValidationFailed) as refused:
        parse_vat_rate("101")
    # the range said as a VAT rate's, not as an amount's
    assert refused.value.fields == {"vat_rate": ("error.vat_rate_range", {"min": 0, "max": 100})}
    assert line_net(1500, 333) == 500  # 499.5 -> 500
    assert line_net(1000, -4999) == -4999
    # VAT per rate on the summed net, not per line
    assert totals([(333, 2400), (333, 2400), (334, 2400), (1000, 0)]) == (2000, 240, 2240)


# --- who sees what ---------------------------------------------------------------------------------

def test_primary_contact_sees_its_company_invoices_and_the_sums(demo):
    page = core.list_invoices(session=demo.session, actor=demo.actor(ADMIN), today=local_time.today())
    assert [r.number for r in page.rows] == [1003, 1002, 1001]
    assert {r.number: r.status for r in page.rows} == {1003: "overdue", 1002: "open", 1001: "paid"}
    assert page.total == 3
    [sums] = page.sums
    assert (sums.currency, sums.open_cents, sums.overdue_cents) == ("EUR", 124000 + 31000, 31000)


@pytest.mark.parametrize("email", [USER, HANS, PARTNER])
def test_without_the_module_or_of_another_company_nothing_is_seen(demo, email):
    actor = demo.actor(email)
    assert core.list_invoices(session=demo.session, actor=actor).rows == []
    for number in (1001, 1002, 1004, 999999, "abc", "01002", -1, None):
        with pytest.raises(NotFound):
            core.get_invoice(session=demo.session, actor=actor, number=number)
        with pytest.raises(NotFound):
            core.invoice_pdf(session=demo.session, actor=actor, number=number)


def test_another_companys_invoice_answers_like_a_missing_one(demo):
    globex = demo.actor(GLOBEX_ADMIN)
    assert [r.number for r in core.list_invoices(session=demo.session, actor=globex).rows] == [1004]
    for number in (1002, 5555):
        with pytest.raises(NotFound) as err:
            core.get_invoice(session=demo.session, actor=globex, number=number)
        assert err.value.key == "error.not_found"


def test_drafts_are_staffs_alone(demo):
    staff = demo.actor(STAFF)
    draft = admin.create_draft(session=demo.session, actor=staff, company_id=demo.company("Acme Oy").id,
                               data={"lines": [{"description": "Draft work", "quantity": "1", "unit_price": "10",
                                                "vat_rate": "24"}]})
    assert draft.number is None
    customer_rows = core.list_invoices(session=demo.session, actor=demo.actor(ADMIN)).rows
    assert all(r.id != draft.id for r in customer_rows)
    staff_rows = core.list_invoices(session=demo.session, actor=staff, status="draft").rows
    assert [r.id for r in staff_rows] == [draft.id]
    with pytest.raises(PermissionDenied):
        admin.get_invoice_by_id(session=demo.session, actor=demo.actor(ADMIN), invoice_id=draft.id)


# --- the list ----------------------------------------------------------------------------------------

def test_list_filters_sorts_searches_and_pages(demo):
    staff = demo.actor(STAFF)
    today = local_time.today()

    def numbers(**kw):
        return [r.number for r in core.list_invoices(session=demo.session, actor=staff, today=today, **kw).rows]

    assert numbers() == [1004, 1003, 1002, 1001]
    assert numbers(descending=False) == [1001, 1002, 1003, 1004]
    assert numbers(status="open") == [1004, 1002]
    assert numbers(status="overdue") == [1003]
    assert numbers(status="paid") == [1001]
    assert numbers(sort="total", descending=True) == [1002, 1004, 1001, 1003]
    assert numbers(sort="due_date", descending=False)[0] == 1001
    assert numbers(search="1003") == [1003]
    assert numbers(search="10045") == [1004]  # the reference
    assert numbers(search="reverse charge") == [1004]
    assert numbers(search="LICENCE") == [1002]  # what a line names ("Portal licence, 12 months")
    customer = core.list_invoices(session=demo.session, actor=demo.actor(ADMIN), today=today, search="licence")
    assert [r.number for r in customer.rows] == [1002]
    assert numbers(search="100%") == []
    assert numbers(company_id=demo.company("Globex GmbH").id) == [1004]
    assert numbers(offset=1, limit=2) == [1003, 1002]
    assert core.list_invoices(session=demo.session, actor=staff, offset=3, limit=2).total == 4
    for bad in ({"status": "nope"}, {"sort": "company_id"}, {"offset": "1"}, {"search": "a\x00"}):
        with pytest.raises(ValidationFailed):
            core.list_invoices(session=demo.session, actor=staff, **bad)
    # a customer cannot filter on drafts
    with pytest.raises(ValidationFailed):
        core.list_invoices(session=demo.session, actor=demo.actor(ADMIN), status="draft")


# --- the page and the PDF ----------------------------------------------------------------------------

def test_invoice_page_has_lines_vat_totals_and_bank_details(demo):
    detail = core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number="1002")
    assert [(li.description, li.quantity_milli, li.unit_price_cents, li.vat_rate_bp, li.net_cents)
            for li in detail.lines] == [("Portal licence, 12 months", 10000, 7000, 2400, 70000),
                                        ("Consulting", 3000, 10000, 2400, 30000)]
    assert [(v.rate_bp, v.net_cents, v.vat_cents, v.gross_cents) for v in detail.vat] == [(2400, 100000, 24000, 124000)]
    assert (detail.subtotal_cents, detail.vat_cents, detail.total_cents, detail.balance_cents) == (
        100000, 24000, 124000, 124000)
    assert detail.reference == "10029" and detail.rf_reference == grouped(rf_reference("10029"))
    assert detail.seller["iban"] and detail.attempts == [] and detail.status == "open"
    assert detail.can_pay is False  # Stripe is not configured in these tests
    paid = core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=1001)
    assert [(p.method, p.amount_cents, p.payment_intent_id) for p in paid.payments] == [("bank", 62000, None)]


INVOICE_WORD = {"en": "Invoice", "fi": "Lasku", "de": "Rechnung", "it": "Fattura"}


@pytest.mark.parametrize("language, total", [("en", "€1,240.00"), ("fi", "1\u00a0240,00\u00a0€"),
                                             ("de", "1.240,00\u00a0€"), ("it", "1.240,00\u00a0€")])
def test_pdf_has_the_pages_content(demo, language, total):
    name, data = core.invoice_pdf(session=demo.session, actor=demo.actor(ADMIN), number=1002, language=language)
    assert name == {"en": "invoice", "fi": "lasku", "de": "Rechnung", "it": "fattura"}[language] + "-1002.pdf"
    assert data.startswith(b"%PDF-")
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    flat = text.replace("\u00a0", " ")
    for expected in ("1002", "Portal licence, 12 months", "Consulting", "10029", "RF45 1002 9",
                     "FI21 1234 5600 0007 85", "Acme Oy", "Mannerheimintie 1"):
        assert expected in flat, expected
    amount = total.replace("\u00a0", " ")
    assert amount in flat or amount.replace("€", "EUR") in flat
    assert INVOICE_WORD[language] in flat
    paid = pypdf.PdfReader(io.BytesIO(core.invoice_pdf(session=demo.session, actor=demo.actor(ADMIN), number=1001,
                                                       language="en")[1])).pages[0].extract_text()
    assert "Paid" in paid and "Bank transfer" in paid
    # a paid invoice asks for no transfer: its page and PDF leave the bank details out ("Amount 0,00 €")
    assert "FI21 1234 5600 0007 85" not in paid.replace("\u00a0", " ")


def test_pdf_without_a_unicode_font_spells_out_what_latin1_lacks(demo, monkeypatch):
    """Helvetica's Latin-1 has no euro sign nor German low quotes: they are spelled out, never "?"."""
    from portal_app.services import pdf_doc

    monkeypatch.setattr(pdf_doc, "_font_files", lambda: None)
    doc = pdf_doc.Doc(title="Test", author="Test")
    assert doc.family == "Helvetica"
    assert doc.text_of("„Schulung“ … 1.240,00\u00a0€ – «Fattura» città") == '"Schulung" ... 1.240,00\u00a0EUR - «Fattura» città'
    _, data = core.invoice_pdf(session=demo.session, actor=demo.actor(ADMIN), number=1002, language="de")
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\u00a0", " ")
    assert "Rechnungsempfänger" in text and "1.240,00 EUR" in text and "?" not in text


# --- staff -------------------------------------------------------------------------------------------

def _draft(demo, **data):
    lines = data.pop("lines", [{"description": "Work", "quantity": "2", "unit_price": "50", "vat_rate": "25.5"}])
    return admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=demo.company("Acme Oy").id,
                              data={"lines": lines, **data})


def test_draft_issue_gets_the_next_number_and_reference(demo):
    draft = _draft(demo, notes="Thanks")
    assert (draft.subtotal_cents, draft.vat_cents, draft.total_cents) == (10000, 2550, 12550)
    issued = admin.issue_invoice(session=demo.session, actor=demo.actor(STAFF), invoice_id=draft.id)
    assert issued.number == 1005 and issued.reference == finnish_reference(1005) and issued.state == "issued"
    assert issued.due_date == issued.issue_date + timedelta(days=14) and issued.balance_cents == 12550
    with pytest.raises(ValidationFailed) as again:
        admin.issue_invoice(session=demo.session, actor=demo.actor(STAFF), invoice_id=draft.id)
    assert again.value.fields == {"form": ("error.invoice_not_draft", {})}
    with pytest.raises(ValidationFailed):  # an issued invoice is never edited
        admin.update_draft(session=demo.session, actor=demo.actor(STAFF), invoice_id=draft.id,
                           data={"lines": [{"description": "x", "quantity": 1, "unit_price": 1, "vat_rate": 0}]})
    second = admin.issue_invoice(session=demo.session, actor=demo.actor(STAFF), invoice_id=_draft(demo).id)
    assert second.number == 1006


def test_draft_validation_names_each_field(demo):
    with pytest.raises(ValidationFailed) as err:
        _draft(demo, currency="XXX", due_date="tomorrow",
               lines=[{"description": "", "quantity": "0", "unit_price": "1.001", "vat_rate": "24"}, "x"])
    assert set(err.value.fields) == {"currency", "due_date", "lines.0.description", "lines.0.quantity",
                                     "lines.0.unit_price", "lines.1"}
    with pytest.raises(ValidationFailed) as err:
        _draft(demo, lines=[])
    assert err.value.fields == {"lines": ("error.invoice_no_lines", {})}
    with pytest.raises(PermissionDenied):
        admin.create_draft(session=demo.session, actor=demo.actor(ADMIN), company_id=1, data={})


def test_a_new_drafts_missing_company_is_said_with_the_other_errors(demo):
    """Staff see every bad field of a new draft at once, not the company first and the rest after."""
    bad = {"currency": "XXX", "lines": [{"description": "", "quantity": "-1", "unit_price": "abc", "vat_rate": "24"}]}
    for company_id in (None, "", "abc", 987654):
        with pytest.raises(ValidationFailed) as err:
            admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=company_id, data=bad)
        assert set(err.value.fields) == {"company", "currency", "lines.0.description", "lines.0.quantity",
                                         "lines.0.unit_price"}
    with pytest.raises(ValidationFailed) as err:  # a good form without a company: the company alone
        admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=None, data={
            "lines": [{"description": "Work", "quantity": "1", "unit_price": "5", "vat_rate": "24"}]})
    assert err.value.fields == {"company": ("error.invalid", {})}


def test_same_draft_form_twice_makes_one(demo):
    first = _draft(demo) if False else admin.create_draft(
        session=demo.session, actor=demo.actor(STAFF), company_id=demo.company("Acme Oy").id, submission_id="s" * 20,
        data={"lines": [{"description": "Once", "quantity": 1, "unit_price": 5, "vat_rate": 24}]})
    again = admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=demo.company("Acme Oy").id,
                               submission_id="s" * 20,
                               data={"lines": [{"description": "Once", "quantity": 1, "unit_price": 5, "vat_rate": 24}]})
    assert first.id == again.id


def test_void_only_without_payments_and_credit_note_otherwise(demo):
    staff = demo.actor(STAFF)
    voided = admin.void_invoice(session=demo.session, actor=staff, number=1003)
    assert voided.state == "void" and voided.balance_cents == 0
    assert core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=1003).status == "void"
    with pytest.raises(ValidationFailed) as err:
        admin.void_invoice(session=demo.session, actor=staff, number=1001)
    assert err.value.fields == {"form": ("error.invoice_has_payments", {})}

    admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="240")
    note = admin.credit_invoice(session=demo.session, actor=staff, number=1002)
    assert note.kind == "credit_note" and note.number == 1005 and note.total_cents == -124000
    lines = demo.session.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == note.id)).all()
    assert sorted(li.net_cents for li in lines) == [-70000, -30000]
    original = demo.session.exec(select(Invoice).where(Invoice.number == 1002)).one()
    demo.session.refresh(original)
    assert (original.balance_cents, original.credited_cents, original.credit_cents, original.needs_review) == (
        0, 124000, 24000, True)
    with pytest.raises(ValidationFailed):
        admin.credit_invoice(session=demo.session, actor=staff, number=1002)
    detail = core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=1005)
    assert detail.credit_for_number == 1002 and not detail.can_pay
    name, data = core.invoice_pdf(session=demo.session, actor=demo.actor(ADMIN), number=1005)
    assert name == "credit-note-1005.pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Credit note number" in text and "Credit note date" in text  # its own, not an invoice's
    assert "Invoice number" not in text and "Due date" not in text
    # nothing is paid to a credit note: no payment reference, no "Paid" or "Open" rows
    assert "Reference" not in text and "Paid" not in text and "Open" not in text and "-€1,240.00" in text
    assert detail.notes == ""  # no English sentence: the page and the PDF say it in the reader's language


def test_bank_payments_partial_then_over(demo):
    staff = demo.actor(STAFF)
    admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="1000,00",
                              received_on=date.today().isoformat(), note="Partial", submission_id="b" * 20)
    admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="1000,00",
                              submission_id="b" * 20)  # the same form twice
    assert core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=1002).status == "partly_paid"
    # staff's note is on staff's view of the payment, never on the customer's
    assert [p.note for p in core.get_invoice(session=demo.session, actor=staff, number=1002).payments] == ["Partial"]
    assert [p.note for p in core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=1002).payments] == [""]
    admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="300")
    invoice = demo.session.exec(select(Invoice).where(Invoice.number == 1002)).one()
    demo.session.refresh(invoice)
    assert (invoice.paid_cents, invoice.balance_cents, invoice.credit_cents, invoice.needs_review) == (
        124000, 0, 6000, True)
    assert len(demo.session.exec(select(Payment).where(Payment.invoice_id == invoice.id)).all()) == 2
    with pytest.raises(ValidationFailed):
        admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="-5")
    with pytest.raises(ValidationFailed) as future:  # a transfer seen arriving cannot be dated days ahead
        admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="5",
                                  received_on=(date.today() + timedelta(days=2)).isoformat())
    assert future.value.fields == {"received_on": ("error.payment_in_future", {})}
    with pytest.raises(PermissionDenied):
        admin.record_bank_payment(session=demo.session, actor=demo.actor(ADMIN), number=1002, amount="5")


def test_csv_export(demo):
    name, text = admin.export_csv(session=demo.session, actor=demo.actor(STAFF))
    rows = text.strip().splitlines()
    assert name.startswith("invoices-") and rows[0].startswith("\ufeffNumber,Kind,Company")  # the BOM: Excel's UTF-8
    assert rows[1].startswith("1001,Invoice,Acme Oy") and "620.00" in rows[1] and ",Paid," in rows[1]
    assert len(rows) == 5
    with pytest.raises(PermissionDenied):
        admin.export_csv(session=demo.session, actor=demo.actor(ADMIN))


def test_csv_export_in_a_finnish_spreadsheets_dialect(demo):
    """Finnish staff's Excel splits a row at semicolons and reads "620,00" as a number."""
    finnish = replace(demo.actor(STAFF), language="fi")
    _, text = admin.export_csv(session=demo.session, actor=finnish)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    first = next(r for r in rows if r["Numero"] == "1001")  # the header and the words in Finnish too
    assert (first["Laji"], first["Yritys"], first["Yhteensä"], first["Tila"]) == ("Lasku", "Acme Oy", "620,00",
                                                                                 "Maksettu")


# --- webhook events, signed by the test --------------------------------------------------------------

def _event(event_id: str, intent_id: str, number: int, amount: int, *, kind: str = "payment_intent.succeeded",
           company: int = 1, currency: str = "eur") -> bytes:
    return json.dumps({"id": event_id, "object": "event", "type": kind, "data": {"object": {
        "id": intent_id, "object": "payment_intent", "status": "succeeded", "amount": amount,
        "amount_received": amount, "currency": currency,
        "metadata": {"invoice": str(number), "company": str(company)}}}}).encode()


@pytest.fixture
def signed(monkeypatch):
    monkeypatch.setattr(payments, "settings", replace(payments.settings, stripe_webhook_secret=SECRET))


def test_events_apply_once_and_check_metadata(demo, signed):
    s = demo.session
    payload = _event("evt_1", "pi_1", 1002, 50000)
    assert payments.handle_webhook(session=s, payload=payload, signature=sign(payload, SECRET)) == "recorded"
    assert payments.handle_webhook(session=s, payload=payload, signature=sign(payload, SECRET)) == "duplicate"
    other = _event("evt_2", "pi_1", 1002, 50000)  # another event about the same intent
    assert payments.handle_webhook(session=s, payload=other, signature=sign(other, SECRET)) == "duplicate"
    wrong_company = _event("evt_3", "pi_3", 1002, 100, company=2)
    assert payments.handle_webhook(session=s, payload=wrong_company, signature=sign(wrong_company, SECRET)) == "unknown"
    wrong_currency = _event("evt_4", "pi_4", 1002, 100, currency="usd")
    assert payments.handle_webhook(session=s, payload=wrong_currency,
                                   signature=sign(wrong_currency, SECRET)) == "currency"
    invoice = s.exec(select(Invoice).where(Invoice.number == 1002)).one()
    s.refresh(invoice)
    assert (invoice.paid_cents, invoice.balance_cents, invoice.needs_review) == (50000, 74000, True)
    assert len(s.exec(select(StripeEvent)).all()) == 4
    for bad in (b"", b"not json", payload):
        with pytest.raises(payments.BadSignature):
            payments.handle_webhook(session=s, payload=bad, signature=sign(payload, "whsec_other"))


def test_without_a_webhook_secret_every_event_is_refused(demo, monkeypatch):
    monkeypatch.setattr(payments, "settings", replace(payments.settings, stripe_webhook_secret=None))
    payload = _event("evt_1", "pi_1", 1002, 50000)
    before = demo.committed_state()
    with pytest.raises(payments.BadSignature):
        payments.handle_webhook(session=demo.session, payload=payload, signature=sign(payload, SECRET))
    assert demo.committed_state() == before


@pytest.mark.parametrize("paid_first", [False, True])
def test_a_credited_invoice_says_credited_not_paid_or_void(demo, paid_first):
    """A credit note taking an invoice off makes it "Credited", paid before or not (what was paid
    is owed back, so "Paid" would say the customer is done); the list's filter agrees."""
    staff, customer = demo.actor(STAFF), demo.actor(ADMIN)
    if paid_first:
        admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="240")
    admin.credit_invoice(session=demo.session, actor=staff, number=1002)
    assert core.get_invoice(session=demo.session, actor=customer, number=1002).status == "credited"

    def numbers(status):
        return {r.number for r in core.list_invoices(session=demo.session, actor=customer, status=status).rows}
    assert 1002 in numbers("credited") and 1002 not in numbers("paid") | numbers("void")
    assert all(core.get_invoice(session=demo.session, actor=customer, number=n).status == "credited"
               for n in numbers("credited"))
    admin.void_invoice(session=demo.session, actor=staff, number=1003)
    assert numbers("void") == {1003} and 1003 not in numbers("credited")
    # the credit note itself is neither paid nor owed: a "Credit note"
    assert numbers("credit_note") == {1005} and 1005 not in numbers("paid") | numbers("credited")
    assert core.get_invoice(session=demo.session, actor=customer, number=1005).status == "credit_note"


def test_an_issue_date_before_the_last_invoices_is_refused(demo):
    """Invoice numbers run in the order of their dates: a draft issued today cannot be dated 2019."""
    staff = demo.actor(STAFF)
    last = demo.session.exec(select(Invoice.issue_date).where(Invoice.number.is_not(None))
                             .order_by(Invoice.issue_date.desc())).first()
    draft = _draft(demo)
    with pytest.raises(ValidationFailed) as early:
        admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id, issue_date="2019-01-01",
                            due_date="2019-01-15")
    assert early.value.fields == {"issue_date": ("error.invoice_issue_before_last", {"date": last})}
    assert translate("de", *early.value.fields["issue_date"][:1], **early.value.fields["issue_date"][1]).count(
        f"{last.day}.{last.month}.{last.year}") == 1  # the date as the reader's language writes it
    assert demo.session.get(Invoice, draft.id).state == "draft"  # nothing half done: no number taken
    issued = admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id, issue_date=last.isoformat())
    assert issued.number == 1005 and issued.issue_date == last


def test_an_issue_date_in_the_future_is_refused_and_holds_up_nothing(demo):
    """A typo a year ahead would hold every later invoice (numbers follow dates) until that day: refused."""
    staff = demo.actor(STAFF)
    today = local_time.today()
    draft = _draft(demo)
    with pytest.raises(ValidationFailed) as ahead:
        admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id,
                            issue_date=(today + timedelta(days=365)).isoformat())
    assert ahead.value.fields == {"issue_date": ("error.invoice_issue_in_future", {})}
    assert demo.session.get(Invoice, draft.id).state == "draft"
    assert admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id,
                               issue_date=today.isoformat()).issue_date == today


def test_a_payment_dated_before_the_invoice_is_refused(demo):
    staff = demo.actor(STAFF)
    invoice = demo.session.exec(select(Invoice).where(Invoice.number == 1002)).one()
    before = (invoice.issue_date - timedelta(days=1)).isoformat()
    with pytest.raises(ValidationFailed) as early:
        admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="5", received_on=before)
    assert early.value.fields == {"received_on": ("error.payment_before_issue", {"date": invoice.issue_date})}
    assert demo.session.exec(select(Payment).where(Payment.invoice_id == invoice.id)).all() == []
    admin.record_bank_payment(session=demo.session, actor=staff, number=1002, amount="5",
                              received_on=invoice.issue_date.isoformat())
    shown = core.get_invoice(session=demo.session, actor=staff, number=1002).payments
    assert [p.received_at.astimezone(local_time.zone()).date() for p in shown] == [invoice.issue_date]


def test_a_line_beyond_what_an_invoice_holds_is_refused_at_its_quantity(demo):
    """A billion at a billion each: each within its limit, the line not (nor within the database's
    integers, where it crashed the save)."""
    acme = demo.company("Acme Oy").id
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as refused:
        admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=acme, data={"lines": [
            {"description": "Huge", "quantity": "1000000000", "unit_price": "1000000000", "vat_rate": "24"}]})
    assert refused.value.fields == {"lines.0.quantity": ("error.invoice_line_too_large",
                                                         {"max": Decimal("100000000000.00")})}
    assert demo.committed_state() == before
    draft = admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=acme, data={"lines": [
        {"description": "Large", "quantity": "1000", "unit_price": "100000000", "vat_rate": "24"}]})
    assert draft.subtotal_cents == 10**13  # the largest line allowed


def test_an_issued_invoice_keeps_the_customer_as_it_was(demo):
    """The company renamed and moved after issuing (its admin may edit its details): the invoice's
    page, its PDF and a later credit note still name the customer as it was; a draft follows."""
    staff = demo.actor(STAFF)
    acme = demo.company("Acme Oy")
    draft = admin.create_draft(session=demo.session, actor=staff, company_id=acme.id, data={
        "lines": [{"description": "Work", "quantity": "1", "unit_price": "100", "vat_rate": "24"}]})
    issued = admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id)
    directory.update_company(session=demo.session, actor=staff, company_id=acme.id,
                             data={"name": "Renamed Oy", "city": "Tampere"})
    detail = core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=issued.number)
    assert detail.company_name == "Acme Oy" and "00100 Helsinki" in detail.company_address
    _, data = core.invoice_pdf(session=demo.session, actor=demo.actor(ADMIN), number=issued.number)
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Acme Oy" in text and "Renamed Oy" not in text and "Tampere" not in text
    note = admin.credit_invoice(session=demo.session, actor=staff, number=issued.number)
    assert core.get_invoice(session=demo.session, actor=demo.actor(ADMIN), number=note.number).company_name \
        == "Acme Oy"
    other = admin.create_draft(session=demo.session, actor=staff, company_id=acme.id, data={
        "lines": [{"description": "Work", "quantity": "1", "unit_price": "100", "vat_rate": "24"}]})
    assert admin.get_invoice_by_id(session=demo.session, actor=staff, invoice_id=other.id).company_name == "Renamed Oy"
