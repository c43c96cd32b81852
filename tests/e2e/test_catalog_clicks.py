"""The catalog's buttons in the browser: a double click on "Add to cart" (a product's form, a row of
the list) adds one click's worth; a double click on staff's "Send quote" mails the customer once;
withdrawing a request and placing an order are asked first; a price row's "Change" puts its price in the price form, focused,
and its "Remove" is asked first."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import col, select

from portal_app.models import CartLine, Contact, OutboxMail, PriceBook, Product, QuoteRequest, SalesOrder

from .people import make_user

ACME = "admin@acme.example.com"
GLOBEX = "admin@globex.example.com"  # Globex's cart is left alone by the other catalog tests


def _in_cart(portal, email: str, code: str) -> int:  # noqa: ANN001
    with portal.db() as session:
        return session.exec(select(CartLine.quantity_milli).join(Product, col(Product.id) == CartLine.product_id)
                            .join(Contact, col(Contact.id) == CartLine.contact_id)
                            .where(Contact.email == email, Product.code == code)).first() or 0


def test_a_double_click_on_add_to_cart_adds_one(tab, portal):
    page = tab.signed_in(GLOBEX)
    tab.open("/catalog/DCK-100")
    page.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Add to cart").dblclick()
    expect(page.get_by_role("status").filter(has_text="is in your cart")).to_be_visible()
    expect(page.get_by_role("link", name="1 pcs in your cart")).to_be_visible()
    assert _in_cart(portal, GLOBEX, "DCK-100") == 1000
    page.get_by_role("button", name="Add to cart").click()  # clicked again later: one more
    expect(page.get_by_role("link", name="2 pcs in your cart")).to_be_visible()

    tab.open("/catalog?q=headset")
    row = page.get_by_role("row").filter(has_text="Headset").first
    row.get_by_role("button", name="Add to cart").dblclick()
    expect(row.get_by_role("link", name="In cart")).to_be_visible()
    tab.open("/cart")
    expect(page.get_by_label("Quantity of Headset")).to_have_value("1")


def test_withdrawing_a_request_is_asked_first(tab, portal):
    page = tab.signed_in(ACME)
    tab.open("/quotes?status=requested")
    link = page.get_by_role("row").nth(1).get_by_role("link").first
    number = int(link.inner_text())
    link.click()
    tab.ready()
    page.get_by_role("button", name="Withdraw request").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Withdraw this request?")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.locator("#quote-status")).to_have_text("Requested")
    with portal.db() as session:
        assert session.exec(select(QuoteRequest.status).where(QuoteRequest.number == number)).one() == "requested"


def test_placing_an_order_is_asked_first(tab, portal):
    buyer = make_user(portal, company="Globex GmbH", profile="Primary contact", first="Buyer")
    page = tab.signed_in(buyer)
    tab.open("/catalog/DCK-100")
    expect(page.get_by_label("Quantity")).to_have_attribute("inputmode", "numeric")  # a phone's digits-only keyboard
    page.get_by_label("Quantity").fill("1.5")  # a docking station is sold whole (typed anyway: refused)
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#quantity-error")).to_contain_text("sold in whole units (pcs)")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status").filter(has_text="is in your cart")).to_be_visible()
    tab.open("/cart")
    page.get_by_label("Quantity of Docking station").fill("3")
    page.get_by_label("Quantity of Docking station").press("Enter")  # Enter saves the quantity, as leaving the field does
    expect(page.get_by_role("row").filter(has_text="DCK-100")).to_contain_text("€567.00")  # 3 × €189.00, list price
    assert _in_cart(portal, buyer, "DCK-100") == 3000
    page.get_by_label("Message").fill("Leave them at the reception.")
    page.get_by_role("button", name="Place order").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Place this order?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.get_by_label("Message")).to_have_value("Leave them at the reception.")  # nothing typed is lost

    # a delivery date typed in part: confirmed, the dialog closes and the date has the focus, with the
    # browser's word on it; nothing is ordered
    wanted = page.get_by_label(re.compile("^Wanted delivery date"))
    wanted.click()
    page.keyboard.type("03")
    page.get_by_role("button", name="Place order").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Place order").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(wanted).to_be_focused()
    assert wanted.evaluate("el => el.validity.badInput") and _in_cart(portal, buyer, "DCK-100") == 3000
    wanted.fill("")

    page.get_by_role("button", name="Place order").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Place order").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    tab.ready()
    expect(page.locator("#order-status")).to_have_text("Received")
    expect(page.get_by_text("Leave them at the reception.")).to_be_visible()
    with portal.db() as session:
        buyer_id = session.exec(select(Contact.id).where(Contact.email == buyer)).one()
        assert len(session.exec(select(SalesOrder).where(SalesOrder.contact_id == buyer_id)).all()) == 1
    assert _in_cart(portal, buyer, "DCK-100") == 0


def test_a_double_click_on_send_quote_mails_once(tab, portal):
    with portal.db() as session:
        number = session.exec(select(QuoteRequest.number).where(QuoteRequest.status == "requested")
                              .order_by(QuoteRequest.number)).first()
    assert number is not None
    page = tab.signed_in("staff@example.com")
    tab.open(f"/admin/quotes/{number}")
    for box in page.get_by_role("group").all():  # every line priced
        price = box.get_by_label("Unit price")
        if price.count() and price.input_value() == "":
            price.fill("95")
    page.get_by_role("button", name="Send quote").dblclick()
    expect(page.get_by_text(f"Quote {number} sent to the customer.")).to_be_visible()
    with portal.db() as session:
        assert session.exec(select(QuoteRequest.status).where(QuoteRequest.number == number)).one() == "quoted"
        assert len(session.exec(select(OutboxMail).where(OutboxMail.subject == f"Your quote {number}")).all()) == 1


def test_change_on_a_price_row_fills_and_focuses_the_price(tab, portal):
    with portal.db() as session:
        book = session.exec(select(PriceBook.id).where(PriceBook.name == "Acme 2026")).one()
    page = tab.signed_in("staff@example.com")
    tab.open(f"/admin/price-books/{book}")
    page.get_by_label("Search by code or name").fill("PRN-100")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Change the price of Office printer").click()
    price = page.get_by_label("Price in this book")
    expect(price).to_have_value("449.00")
    expect(price).to_be_focused()
    expect(page.get_by_label("Product code")).to_have_value("PRN-100")
    page.get_by_role("button", name="Remove Office printer from this book").click()  # asked first
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Remove Office printer from this book?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("row").filter(has_text="PRN-100")).to_contain_text("€449.00")
