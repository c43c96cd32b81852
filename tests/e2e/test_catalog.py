"""The catalog in the browser: Acme and Globex see different prices for the same product; a contact
fills the cart (it survives a reload), requests a quote, sales answers it, the contact sees the
answer arrive on the open page, accepts it and lands on the order, which follows staff's status
change live; a contact without the Catalog module has no menu entry and the pages say not found."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import select

from portal_app.models import Account, CartLine, Company, Contact, PortalProfile, Product, QuoteRequest
from portal_app.services.actor import build_actor
from portal_app.services.catalog import orders as order_service
from portal_app.services.catalog import quotes as quote_service

from .people import make_user

ACME = "admin@acme.example.com"  # Acme's primary contact: Catalog with edit rights, Acme's own price book
GLOBEX = "admin@globex.example.com"  # Globex has no book: list prices


def staff(session):  # noqa: ANN001, ANN201
    return build_actor(session, session.exec(select(Account).where(Account.email == "staff@example.com")).one())


def test_acme_and_globex_see_their_own_prices(new_tab):
    acme = new_tab()
    page = acme.signed_in(ACME)
    acme.open("/catalog/PRN-100")
    expect(page.get_by_role("heading", name="Office printer")).to_be_visible()
    expect(page.get_by_text("€449.00")).to_be_visible()
    acme.open("/catalog?q=service+hour")
    expect(page.get_by_role("row").filter(has_text="SRV-200")).to_contain_text("Price on request")

    globex = new_tab()
    other = globex.signed_in(GLOBEX)
    globex.open("/catalog/PRN-100")
    expect(other.get_by_text("€499.00")).to_be_visible()
    globex.open("/catalog?q=service+hour")
    expect(other.get_by_role("row").filter(has_text="SRV-200")).to_contain_text("€95.00")


def test_cart_to_quote_to_order(tab, portal):
    page = tab.signed_in(ACME)
    tab.menu().get_by_role("link", name="Catalog").click()
    tab.ready()
    page.get_by_label("Search products").fill("printer")
    page.get_by_role("button", name="Search").click()
    tab.ready()
    expect(page).to_have_url(re.compile(r"/catalog\?q=printer"))
    page.get_by_role("button", name="Add to cart: Office printer").focus()
    page.keyboard.press("Enter")  # by the keyboard: the focus moves to the link that takes the button's place
    expect(page.get_by_role("link", name="In cart")).to_be_focused()

    tab.open("/catalog/SRV-200")
    expect(page.get_by_label("Quantity")).to_have_attribute("inputmode", "decimal")  # hours: 1.5 is a quantity
    page.get_by_label("Quantity").fill("abc")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#quantity-error")).to_be_visible()
    page.get_by_label("Quantity").fill("3")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status").filter(has_text="is in your cart")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Cart \(2\)")).click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    tab.ready()
    page.reload()  # the cart is kept on the server
    tab.ready()
    printer = page.get_by_role("row").filter(has_text="PRN-100")
    expect(printer).to_contain_text("€449.00")
    expect(printer.get_by_role("cell").filter(has=page.get_by_label("Quantity of Office printer"))).to_contain_text(
        "pcs")  # the unit beside the quantity
    expect(page.get_by_label("Quantity of Office printer")).to_have_attribute("inputmode", "numeric")  # whole units
    page.get_by_label("Quantity of Office printer").fill("2")
    page.get_by_label("Quantity of Office printer").blur()
    expect(printer).to_contain_text("€898.00")
    expect(page.get_by_role("button", name="Place order")).to_have_count(0)  # SRV-200 has no price: quote only
    page.get_by_label("Message").fill("Printers for the new Tampere office, please.")
    page.get_by_role("button", name="Request a quote").dblclick()
    tab.ready()
    expect(page).to_have_url(re.compile(r"/quotes/\d+$"))
    number = int(page.url.rsplit("/", 1)[-1])
    expect(page.locator("#quote-status")).to_have_text("Requested")
    expect(page.get_by_text("Printers for the new Tampere office")).to_be_visible()
    with portal.db() as session:
        assert len(session.exec(select(QuoteRequest).where(
            QuoteRequest.message.startswith("Printers for the new Tampere"))).all()) == 1  # the double click sent one request

    # sales answers (staff's own pages are tested in test_admin_catalog.py); this open page follows
    with portal.db() as session:
        answer = quote_service.start_answer(session=session, actor=staff(session), number=number)
        lines = [{"product_id": li.product_id, "code": li.code, "name": li.name, "unit": li.unit,
                  "quantity": str(li.quantity_milli / 1000), "unit_price": "95.00" if li.unit_price_cents is None
                  else f"{li.unit_price_cents / 100:.2f}", "discount": "10" if li.code == "PRN-100" else "0",
                  "vat_rate": str(li.vat_rate_bp / 100)} for li in answer.lines]
        quote_service.send_quote(session=session, actor=staff(session), number=number, data={
            "lines": lines, "expires_on": answer.expires_on.isoformat(), "answer": "Installation included."})
    page.reload()  # (written here in the test's process: the server's live counters did not move)
    tab.ready()
    expect(page.locator("#quote-status")).to_have_text("Quoted")
    expect(page.get_by_text("Installation included.")).to_be_visible()
    expect(page.locator("#document-lines")).to_contain_text("10 %")

    page.get_by_role("button", name="Accept quote").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Accept quote").click()
    tab.ready()
    expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    order = int(page.url.rsplit("/", 1)[-1])
    expect(page.locator("#order-status")).to_have_text("Received")
    expect(page.get_by_role("link", name=f"From quote {number}")).to_be_visible()
    with portal.db() as session:
        order_service.set_order_status(session=session, actor=staff(session), number=order, status="confirmed")
    page.reload()
    tab.ready()
    expect(page.locator("#order-status")).to_have_text("Confirmed")

    tab.open("/orders")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=str(order), exact=True))
    expect(row).to_contain_text("Confirmed")
    expect(row.get_by_role("link", name=str(number), exact=True)).to_have_attribute("href", f"/quotes/{number}")
    tab.open("/cart")
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()


def test_declining_a_quote_needs_no_reason_but_keeps_one(tab, portal):
    page = tab.signed_in(ACME)
    tab.open("/quotes?status=quoted")
    link = page.get_by_role("row").nth(1).get_by_role("link").first
    number = link.inner_text()
    link.click()
    tab.ready()
    page.get_by_label("Reason").fill("Budget moved to next year.")
    page.get_by_role("button", name="Decline quote").click()  # asked first: Cancel changes nothing
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Decline this quote?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#quote-status")).to_have_text("Quoted")
    page.get_by_role("button", name="Decline quote").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Decline quote").click()
    expect(page.locator("#quote-status")).to_have_text("Declined")
    expect(page.get_by_text("Budget moved to next year.")).to_be_visible()
    expect(page.get_by_role("button", name="Accept quote")).to_have_count(0)
    assert number


def test_a_contact_without_the_catalog_has_no_menu_entry_and_its_pages_are_not_available(tab, portal):
    email = make_user(portal, profile="Basic")
    with portal.db() as session:
        basic = session.exec(select(PortalProfile).where(PortalProfile.name == "Basic")).one()
        assert basic.module_access.get("catalog") == "none"
    page = tab.signed_in(email, "Demo-pass-2026")
    expect(tab.menu().get_by_role("link", name="Catalog")).to_have_count(0)
    expect(tab.menu().get_by_role("link", name="Quotes")).to_have_count(0)
    for address in ("/catalog/PRN-100", "/quotes/1", "/orders/1"):  # a bookmark explains itself
        tab.open(address)
        expect(page.get_by_role("heading", name="This section is not available")).to_be_visible()
        expect(page.get_by_text("Office printer")).to_have_count(0)


def test_another_companys_quote_is_not_found(tab, portal):
    with portal.db() as session:
        number = session.exec(select(QuoteRequest.number).join(Company, Company.id == QuoteRequest.company_id)
                               .where(Company.name == "Acme Oy")).first()
    page = tab.signed_in(GLOBEX)
    tab.open(f"/quotes/{number}")
    expect(page.get_by_role("heading", name="Quote not found")).to_be_visible()
    assert page.request.get(f"{portal.url}/api/quotes/{number}/pdf").status == 404


def test_a_cart_that_cannot_be_sent_says_why_where_the_buttons_were(tab, portal):
    email = make_user(portal, profile="Primary contact", first="Blocked")
    page = tab.signed_in(email)
    tab.open("/catalog/PRN-100")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status").filter(has_text="is in your cart")).to_be_visible()
    with portal.db() as session:  # the printer is sold whole since, and this line is half of one
        line = session.exec(select(CartLine).join(Product).join(Contact, Contact.id == CartLine.contact_id)
                            .where(Product.code == "PRN-100", Contact.email == email)).one()
        line.quantity_milli = 1500
        session.add(line)
        session.commit()
    tab.open("/cart")
    expect(page.get_by_role("row").filter(has_text="PRN-100")).to_contain_text("whole")
    expect(page.get_by_text("The lines marked above stop the cart from being sent")).to_be_visible()
    expect(page.get_by_role("button", name="Request a quote")).to_have_count(0)
    expect(page.get_by_role("button", name="Place order")).to_have_count(0)
