"""The customer's invoice states: the list read from its URL query (garbage falls back to the
default view), the sums, an invoice's document in the reader's language, "Pay now" hidden without
Stripe, the browser's word on a card never recording anything, and a payment recorded elsewhere
showing at the next tick."""

from __future__ import annotations

from sqlmodel import select
from statekit import Portal, redirect_path, shown_address

from portal_app.db import session_scope
from portal_app.models import AttemptStatus, Invoice, Payment, PaymentAttempt
from portal_app.services.invoices import admin as invoice_admin
from portal_app.state.invoices import InvoiceListState, InvoicePageState, list_query


def _list(portal: Portal, who: str, query: str = "") -> InvoiceListState:
    inst = portal.state(InvoiceListState, who, url="/invoices" + (f"?{query}" if query else ""))
    portal.call(inst, "load")
    return inst


def _page(portal: Portal, who: str, number: int | str = 1002) -> InvoicePageState:
    inst = portal.state(InvoicePageState, who, url=f"/invoices/{number}")
    portal.call(inst, "load")
    return inst


def test_list_query_keeps_only_known_values():
    assert list_query("status=overdue&q=%20100%20&sort=-total&page=3") == {
        "status": "overdue", "q": "100", "sort": "-total", "page": "3"}
    assert list_query("status=draft&sort=password&page=-1&page=0&q=") == {}
    assert list_query("sort=--total&page=99999999&status=paid&status=void") == {"status": "paid"}
    assert list_query("sort=-number") == {}  # the default is left out of the address


def test_the_primary_contact_sees_the_companys_invoices_with_sums(portal: Portal):
    inst = _list(portal, "acme_admin")
    assert [r["number"] for r in inst.rows] == [1003, 1002, 1001]
    assert [r["status"] for r in inst.rows] == ["overdue", "open", "paid"]
    assert inst.sums == [{"currency": "EUR", "open": "€1,550.00", "overdue": "€310.00", "has_overdue": True}]
    assert not inst.filtered and inst.page_text == "Page 1 of 1 (3 invoices)"
    overdue = _list(portal, "acme_admin", "status=overdue&sort=total")
    assert [r["number"] for r in overdue.rows] == [1003] and overdue.filtered and overdue.sel_status == "overdue"
    assert next(c for c in overdue.columns if c["key"] == "total")["arrow"] == "▲"
    nonsense = _list(portal, "acme_admin", "status=%27%20OR%201=1&sort=id;drop&page=abc")
    assert [r["number"] for r in nonsense.rows] == [1003, 1002, 1001] and not nonsense.unavailable


def test_filters_show_their_view_at_a_new_address(portal: Portal):
    inst = _list(portal, "acme_admin", "status=open")
    assert inst.view_url == ""  # opened at its address
    assert shown_address(portal, inst, "sort_by", "due_date") == "/invoices?status=open&sort=due_date"
    assert inst.sort_value == "due_date" and inst.sel_status == "open"
    assert shown_address(portal, inst, "set_status", "") == "/invoices?sort=due_date"
    assert [r["number"] for r in inst.rows] == [r["number"] for r in _list(portal, "acme_admin", "sort=due_date").rows]
    assert shown_address(portal, inst, "search", {"q": "  10029 "}) == "/invoices?q=10029&sort=due_date"
    assert inst.q == "10029" and inst.filtered
    assert inst.rows == _list(portal, "acme_admin", "q=10029&sort=due_date").rows
    for garbage in ("draft", None, {}, "x" * 1000):
        assert portal.call(inst, "set_status", garbage) is None
    assert portal.call(inst, "sort_by", "password_hash") is None
    assert portal.call(inst, "go_to_page", 2) is None  # one page only


def test_without_invoices_in_the_profile_the_list_and_any_invoice_are_unavailable(portal: Portal):
    listing = _list(portal, "acme_user")
    assert listing.unavailable and listing.rows == []
    for number in (1001, 987654):  # the same answer for Acme's invoice and for nothing
        page = _page(portal, "acme_user", number)
        assert page.unavailable and not page.missing and not page.found and page.lines == [], number
    other = _page(portal, "globex_admin", 1002)
    assert other.missing and other.amounts == []
    missing = _page(portal, "globex_admin", 987654)
    assert (missing.missing, missing.found) == (other.missing, other.found)
    own = _page(portal, "globex_admin", 1004)
    assert own.found and own.title == "Invoice 1004"


def test_staff_are_sent_to_the_admin_panel(portal: Portal):
    inst = portal.state(InvoicePageState, "staff", url="/invoices/1002")
    assert redirect_path(portal.call(inst, "load")) == "/admin/invoices/1002"
    listing = portal.state(InvoiceListState, "staff", url="/invoices")
    assert redirect_path(portal.call(listing, "load")) == "/admin/invoices"


def test_the_invoice_in_the_readers_language_without_pay_now_when_stripe_is_off(portal: Portal):
    inst = _page(portal, "acme_admin")
    assert inst.found and inst.title == "Invoice 1002" and inst.status_label == "Open"
    assert [li["description"] for li in inst.lines] == ["Portal licence, 12 months", "Consulting"]
    assert inst.lines[0]["quantity"] == "10" and inst.lines[0]["vat_rate"] == "24 %"
    assert inst.vat_rows == [{"rate": "24 %", "net": "€1,000.00", "vat": "€240.00", "gross": "€1,240.00"}]
    assert {"label": "Open", "value": "€1,240.00", "strong": True} in inst.amounts
    assert {"label": "Reference", "value": "10029", "strong": True} in inst.bank
    assert not inst.can_pay  # no Stripe keys in these tests
    portal.call(inst, "start_pay")
    assert not inst.pay_open and inst.pay_secret == ""
    portal.call(inst, "choose_language", "fi")
    portal.call(inst, "load")
    assert inst.title == "Lasku 1002" and inst.status_label == "Avoin"
    assert {"label": "Avoinna", "value": "1\u00a0240,00\u00a0€", "strong": True} in inst.amounts


def test_the_browsers_word_on_a_card_records_nothing(portal: Portal):
    inst = _page(portal, "acme_admin")
    inst.pay_open, inst.pay_secret = True, "pi_x_secret_y"  # as after "Pay now"
    before = portal.snapshot()
    portal.call(inst, "confirm_started")  # the card form's "Pay": its spinner until Stripe.js answers
    assert inst.confirming
    portal.call(inst, "card_result", {"ok": True})
    assert not inst.confirming
    assert portal.snapshot() == before
    assert inst.waiting and inst.status == "open" and not inst.pay_open and inst.pay_secret == ""
    for garbage in (None, "ok", [], {"ok": "true"}, {"message": {"x": 1}}):
        inst.pay_open = True
        portal.call(inst, "card_result", garbage)
        assert portal.snapshot() == before
    inst.pay_open = True
    portal.call(inst, "confirm_started")
    portal.call(inst, "card_result", {"ok": False, "message": "Stripe's words." + "x" * 1000})  # a code it lacks
    assert inst.pay_error.startswith("Stripe's words.") and len(inst.pay_error) == 300
    assert not inst.confirming and inst.pay_open  # the form again, "Pay" pressable for another card
    inst.pay_open = True
    portal.call(inst, "card_result", {"ok": False, "message": "Your card has insufficient funds.",
                                      "code": "card_declined", "decline_code": "insufficient_funds"})
    assert inst.pay_error == "The card has insufficient funds. Use another card."
    assert portal.snapshot() == before


def test_a_declined_card_is_told_in_the_readers_language(portal: Portal):
    """Stripe's message is English; the page tells the decline by its code, also after a reload."""
    inst = _page(portal, "acme_admin")
    portal.call(inst, "choose_language", "fi")
    portal.call(inst, "load")
    inst.pay_open = True
    portal.call(inst, "card_result", {"ok": False, "message": "Your card was declined.", "code": "card_declined"})
    assert inst.pay_error == "Kortti hylättiin. Käytä toista korttia tai kysy syytä kortin myöntäjältä."
    with session_scope() as s:  # as the payment_failed webhook leaves it
        invoice = s.exec(select(Invoice).where(Invoice.number == 1002)).one()
        s.add(PaymentAttempt(invoice_id=invoice.id, payment_intent_id="pi_declined", idempotency_key="k-declined",
                             amount_cents=invoice.balance_cents, currency=invoice.currency,
                             status=AttemptStatus.FAILED, last_error="Your card has expired.",
                             last_error_code="expired_card"))
        s.commit()
    again = _page(portal, "acme_admin")
    portal.call(again, "choose_language", "fi")
    portal.call(again, "load")
    assert again.pay_error == "Kortti on vanhentunut. Käytä toista korttia."
    portal.call(again, "choose_language", "en")  # the user's language, kept
    english = _page(portal, "acme_admin")
    assert english.pay_error == "The card has expired. Use another card."


def test_a_payment_recorded_elsewhere_shows_at_the_next_tick(portal: Portal):
    inst = _page(portal, "acme_admin", 1003)
    assert inst.status == "overdue"
    with session_scope() as s:
        invoice_admin.record_bank_payment(session=s, actor=portal.actor("staff"), number=1003, amount="310.00",
                                          note="Matched by reference")
    portal.call(inst, "tick")
    assert inst.status == "paid" and inst.status_label == "Paid"
    assert [p["amount"] for p in inst.payments] == ["€310.00"]
    assert not inst.payments_noted  # staff's note is staff's: no empty Note column for the customer
    assert inst.bank == []  # nothing left to transfer
    with session_scope() as s:
        invoice = s.exec(select(Invoice).where(Invoice.number == 1003)).one()
        assert len(s.exec(select(Payment).where(Payment.invoice_id == invoice.id)).all()) == 1


def test_a_credit_note_shows_nothing_due_open_or_paid(portal: Portal):
    """As on its PDF: no due date or open amount in the list, no "Open" line, no payments on its page."""
    with session_scope() as s:
        invoice_admin.credit_invoice(session=s, actor=portal.actor("staff"), number=1003)
    row = next(r for r in _list(portal, "acme_admin").rows if r["number"] == 1005)
    assert (row["status"], row["due_date"], row["balance"], row["total"]) == ("credit_note", "–", "–", "-€310.00")
    credited = next(r for r in _list(portal, "acme_admin").rows if r["number"] == 1003)
    assert credited["due_date"] and credited["balance"] == "€0.00"  # the invoice keeps its own
    note = _page(portal, "acme_admin", 1005)
    assert note.is_credit_note and not _page(portal, "acme_admin", 1003).is_credit_note
    assert [f["label"] for f in note.facts][0] == "Credit note date"
    assert [a["label"] for a in note.amounts] == ["Total without VAT", "VAT", "Total"]
