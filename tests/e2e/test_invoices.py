"""Invoices in the browser, paid through a real local Stripe-compatible server (localstripe): Acme's
primary contact opens 1002, downloads its PDF, presses "Pay now", confirms the card with Stripe.js,
and the page turns Paid without a reload when the signed webhook has been recorded; a declined card
shows Stripe's message; the list filters and sorts in the URL (on a phone from its "Sort by" menu), and
a page past its end shows the last page at that page's address; the basic contact has no Invoices
menu and `/invoices/1002` says the section is not available.

localstripe's stand-in Stripe.js ignores the card typed into its card element: its
`confirmCardPayment` only completes a 3-D Secure step on a PaymentIntent already confirmed with a
card. So the test plays the card network's part out of band (a 3-D Secure test card put on the
PaymentIntent our server made, then confirmed through Stripe's API), and the browser then runs our
real code: `confirmCardPayment(clientSecret, {payment_method: {card}})` and the page's wait for
Stripe's word. See the README's Stripe section for what localstripe does not cover."""

from __future__ import annotations

import re

import pytest
import stripe
from playwright.sync_api import expect
from sqlmodel import select

from portal_app.models import Invoice, Payment, PaymentAttempt

from .conftest import STRIPE_SECRET_KEY, PortalPage
from .test_admin_invoices import STAFF, issued_invoice

ADMIN = "admin@acme.example.com"  # Acme's primary contact (the Primary contact profile: Invoices, edit)
USER = "user@acme.example.com"  # Acme's basic contact (no Invoices)
CARD_OK = "4242424242424242"
CARD_3DS = "4000002760003184"  # asks for 3-D Secure: the PaymentIntent waits for the browser
CARD_DECLINED = "4000000000000341"  # declined when charged


def stripe_api(portal) -> stripe.StripeClient:
    return stripe.StripeClient(STRIPE_SECRET_KEY, base_addresses={"api": portal.stripe_url})


def open_attempt(portal, number: int) -> str:
    """The PaymentIntent "Pay now" made for the invoice (the newest attempt)."""
    with portal.db() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == number)).one()
        attempt = session.exec(select(PaymentAttempt).where(PaymentAttempt.invoice_id == invoice.id)
                               .order_by(PaymentAttempt.id.desc())).first()
        assert attempt is not None, "Pay now made no PaymentIntent"
        return attempt.payment_intent_id


def card_on_intent(portal, intent_id: str, number: str) -> None:
    """The card network's part (what real Stripe.js does with the card typed in): the card's
    payment method on the PaymentIntent, then confirmed."""
    api = stripe_api(portal)
    method = api.v1.payment_methods.create(params={
        "type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}})
    api.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
    api.v1.payment_intents.confirm(intent_id)


def invoice_row(page, number: int):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=str(number), exact=True))


def test_primary_contact_pays_1002_and_the_page_turns_paid_without_reload(tab, portal, mailbox):
    page = tab.signed_in(ADMIN)
    tab.menu().get_by_role("link", name="Invoices").click()
    tab.ready()
    expect(page.get_by_role("heading", name="Invoices", level=1)).to_be_visible()
    expect(invoice_row(page, 1002)).to_contain_text("Open")
    expect(invoice_row(page, 1003)).to_contain_text("Overdue")
    expect(invoice_row(page, 1001)).to_contain_text("Paid")
    expect(page.get_by_role("status").filter(has_text="Overdue")).to_contain_text("€310.00")
    expect(page.get_by_role("link", name="1004", exact=True)).to_have_count(0)  # Globex's

    page.get_by_role("link", name="1002", exact=True).click()
    tab.ready()
    expect(page.get_by_role("heading", name="Invoice 1002")).to_be_visible()
    status = page.locator("#invoice-status")
    expect(status).to_have_text("Open")
    expect(page.locator("#invoice-amounts")).to_contain_text("€1,240.00")
    expect(page.locator("#invoice-lines")).to_contain_text("Portal licence, 12 months")
    expect(page.get_by_role("definition").filter(has_text="10029")).to_have_count(2)  # reference, twice: facts and bank

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == "invoice-1002.pdf"
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"

    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Pay now").click()
    card = page.locator("#card-element")
    # the server asks (local) Stripe for the PaymentIntent first: slow on a loaded machine
    expect(card.locator("input").first).to_be_visible(timeout=20_000)  # Stripe.js's card element, mounted
    card.locator("input").first.fill("4242424242424242")
    card_on_intent(portal, open_attempt(portal, 1002), CARD_3DS)

    page.get_by_role("button", name="Pay €1,240.00").click()
    page.get_by_role("button", name="Complete authentication").click()  # the card issuer's 3-D Secure step
    expect(status).to_have_text("Paid", timeout=30000)
    expect(page.get_by_role("button", name="Pay now")).to_have_count(0)
    expect(page.locator("#invoice-amounts")).to_contain_text("€0.00")
    expect(page.locator("#invoice-payments")).to_contain_text("€1,240.00")
    assert page.evaluate("window.__sameDocument") is True  # no reload on the way

    with portal.db() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == 1002)).one()
        paid = session.exec(select(Payment).where(Payment.invoice_id == invoice.id)).all()
        assert (invoice.balance_cents, [p.amount_cents for p in paid]) == (0, [124000])
    [receipt] = mailbox.with_subject(ADMIN, "Payment received for invoice 1002")  # the payer's, once
    body = receipt.get_payload(decode=True).decode()
    assert "your card payment of €1,240.00 for invoice 1002" in body and "paid in full" in body

    tab.open("/invoices?status=paid")
    expect(invoice_row(page, 1002)).to_contain_text("Paid")
    expect(page.get_by_role("link", name="1003", exact=True)).to_have_count(0)


def test_a_declined_card_says_so_in_the_readers_language_and_nothing_is_paid(tab, portal):
    page = tab.signed_in(ADMIN)
    tab.open("/invoices/1003")
    expect(page.locator("#invoice-status")).to_have_text("Overdue")
    page.get_by_role("button", name="Pay now").click()
    expect(page.locator("#card-element input").first).to_be_visible()
    with pytest.raises(stripe.CardError):
        card_on_intent(portal, open_attempt(portal, 1003), CARD_DECLINED)
    # the payment_failed webhook reaches the server; the page tells the decline live, by Stripe's code
    declined = "The card was declined. Use another card, or ask your card issuer why."
    expect(page.get_by_role("alert").filter(has_text=declined)).to_be_visible(timeout=30000)
    expect(page.get_by_text("Your card was declined.")).to_have_count(0)  # Stripe's English words are not shown
    expect(page.locator("#invoice-status")).to_have_text("Overdue")
    expect(page.get_by_role("button", name="Pay now")).to_be_visible()  # another card may be tried
    try:  # in Finnish, also after the page loads again
        page.get_by_label("Language").select_option(label="Suomi")
        expect(page.get_by_role("alert").filter(
            has_text="Kortti hylättiin. Käytä toista korttia tai kysy syytä kortin myöntäjältä.")).to_be_visible()
    finally:
        page.get_by_label("Kieli").select_option(label="English")
        expect(page.get_by_role("alert").filter(has_text=declined)).to_be_visible()
    with portal.db() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == 1003)).one()
        assert invoice.paid_cents == 0


def test_a_failed_card_authentication_says_so_and_the_card_may_be_tried_again(tab, portal):
    """Stripe.js's own answer reaches the page (the handler is compiled in, not eval'd: the CSP
    allows no eval): a failed 3-D Secure step says so, by Stripe's code, and keeps the card form."""
    page = tab.signed_in(ADMIN)
    tab.open("/invoices/1003")
    expect(page.locator("#invoice-status")).to_have_text("Overdue")
    page.get_by_role("button", name="Pay now").click()
    card = page.locator("#card-element")
    expect(card.locator("input").first).to_be_visible(timeout=20_000)
    card_on_intent(portal, open_attempt(portal, 1003), CARD_3DS)
    page.get_by_role("button", name="Pay €310.00").click()
    page.get_by_role("button", name="Fail authentication").click()  # the card issuer's 3-D Secure step
    expect(page.get_by_role("alert").filter(
        has_text="The card's verification did not succeed. Nothing was charged; try again, or use another card.")
    ).to_be_visible()
    expect(page.locator("#invoice-status")).to_have_text("Overdue")
    expect(page.get_by_role("button", name="Pay €310.00")).to_be_enabled()  # the card form stays
    with portal.db() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == 1003)).one()
        assert invoice.paid_cents == 0


def test_the_list_sorts_searches_and_keeps_its_view_in_the_address(tab, portal):
    page = tab.signed_in(ADMIN)
    tab.open("/invoices")
    page.get_by_role("button", name="Sort by Total").click()
    tab.ready()
    expect(page).to_have_url(re.compile(r"/invoices\?sort=total$"))
    numbers = page.get_by_role("row").locator("td:first-child a").all_inner_texts()
    assert numbers.index("1003") < numbers.index("1002")  # 310.00 before 1,240.00
    page.get_by_label("Status").select_option(label="Overdue")
    tab.ready()
    expect(page).to_have_url(re.compile(r"status=overdue"))
    expect(page.get_by_role("link", name="1003", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="1001", exact=True)).to_have_count(0)
    page.get_by_label("Search invoices").fill("no such invoice")
    page.get_by_role("button", name="Search").click()
    tab.ready()
    expect(page.get_by_text("No invoices match these filters.")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    tab.ready()
    expect(page.get_by_role("link", name="1001", exact=True)).to_be_visible()


def test_a_page_past_the_end_shows_the_last_page_at_its_own_address(tab, portal):
    page = tab.signed_in(ADMIN)
    # 1003 stays overdue whatever the other tests pay (its card is declined)
    tab.open("/invoices?status=overdue&page=99")
    # the last page (not an empty table), and its address in place of the one asked for
    expect(page).to_have_url(re.compile(r"/invoices\?status=overdue$"))
    expect(page.get_by_role("link", name="1003", exact=True)).to_be_visible()
    page.go_back()  # replaced, not added: back leaves the list
    expect(page).not_to_have_url(re.compile(r"/invoices"))


def test_on_a_phone_the_list_sorts_from_its_sort_by_menu(tab, portal):
    page = tab.signed_in(ADMIN)
    page.set_viewport_size({"width": 375, "height": 812})
    tab.open("/invoices")
    expect(page.get_by_role("button", name="Sort by Total")).to_be_hidden()  # the cards have no headers
    menu = page.get_by_label("Sort by", exact=True)
    expect(menu).to_be_visible()
    expect(menu).to_have_value("-number")  # the newest first
    menu.select_option(label="Total, ascending")
    tab.ready()
    expect(page).to_have_url(re.compile(r"/invoices\?sort=total$"))
    expect(page.get_by_label("Sort by", exact=True)).to_have_value("total")
    numbers = page.get_by_role("row").locator("td:first-child a").all_inner_texts()
    assert numbers.index("1003") < numbers.index("1002")  # 310.00 before 1,240.00
    page.set_viewport_size({"width": 1280, "height": 900})  # wider, the column headers sort
    expect(page.get_by_label("Sort by", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Sort by Total")).to_be_visible()


def test_the_basic_contact_has_no_invoices(tab, portal):
    page = tab.signed_in(USER)
    expect(tab.menu().get_by_role("link", name="Support tickets")).to_be_visible()
    expect(tab.menu().get_by_role("link", name="Invoices")).to_have_count(0)
    tab.open("/invoices/1002")
    expect(page.get_by_role("heading", name="This section is not available")).to_be_visible()
    expect(page.get_by_text("€1,240.00")).to_have_count(0)
    response = page.request.get(f"{portal.url}/api/invoices/1002/pdf")
    assert response.status == 404


def test_another_companys_invoice_is_not_found(tab, portal):
    page = tab.signed_in("admin@globex.example.com")
    tab.open("/invoices/1002")
    expect(page.get_by_role("heading", name="Invoice not found")).to_be_visible()
    tab.open("/invoices/1004")
    expect(page.get_by_role("heading", name="Invoice 1004")).to_be_visible()


def test_on_a_phone_the_invoice_fits_the_screen(new_tab, portal, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        phone = PortalPage(page, portal.url)
        phone.signed_in(ADMIN)
        phone.open("/invoices/1003")
        expect(page.get_by_role("heading", name="Invoice 1003")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px screen"
        # the VAT summary's card as wide as the lines' cards, not squeezed to its content
        lines, vat = (page.locator(f"#invoice-{name}").bounding_box() for name in ("lines", "vat"))
        assert lines and vat and abs(vat["width"] - lines["width"]) <= 2, (lines, vat)
        phone.open("/invoices")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_a_bank_payment_while_the_card_form_is_open_cancels_its_charge_and_closes_it(new_tab, portal):
    """Staff records a transfer while the customer's card form asks for the whole amount: that charge
    can no longer happen (its PaymentIntent is cancelled at Stripe), and the page says the new amount."""
    number = issued_invoice(portal, "Acme Oy")  # 50.00 + 24 %
    tab = new_tab()
    page = tab.signed_in(ADMIN)
    tab.open(f"/invoices/{number}")
    page.get_by_role("button", name="Pay now").click()
    expect(page.get_by_role("button", name="Pay €62.00")).to_be_visible(timeout=20_000)
    intent = open_attempt(portal, number)
    staff = new_tab()
    admin = staff.signed_in(STAFF)
    staff.open(f"/admin/invoices/{number}")
    admin.get_by_label("Amount").fill("20.00")
    admin.get_by_role("button", name="Record payment").click()
    expect(admin.get_by_text("Payment recorded.")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="The amount to pay changed to €42.00")).to_be_visible(
        timeout=15_000)
    expect(page.get_by_role("button", name="Pay €62.00")).to_have_count(0)
    assert stripe_api(portal).v1.payment_intents.retrieve(intent).status == "canceled"
    with pytest.raises(stripe.StripeError):  # the old form's card can no longer be charged
        card_on_intent(portal, intent, CARD_OK)
    page.get_by_role("button", name="Pay now").click()
    expect(page.get_by_role("button", name="Pay €42.00")).to_be_visible(timeout=20_000)
