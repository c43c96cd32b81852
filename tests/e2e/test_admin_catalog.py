"""Staff's catalog in the browser: staff answers a customer's quote request in the admin panel
("Send quote", a missing price said next to its line, then a discount on one line) while the
customer's quote page is open in another browser, which turns "Quoted" by itself; the customer
accepts; staff moves the order to "Confirmed" and the customer's open order page shows it, then
cancels it with a reason ("Keep order" first changes nothing), which the customer's page shows; staff
creates a product that a customer then finds in the catalog; a CSV file with one bad row imports
nothing and says which row and column are wrong."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect
from sqlmodel import select

from portal_app.models import Account, Product
from portal_app.services.actor import build_actor
from portal_app.services.catalog import cart, quotes

from .people import make_user

STAFF = "staff@example.com"
GLOBEX = "admin@globex.example.com"  # Globex has no price book: list prices


def request_quote(portal, email: str) -> int:
    """A quote request of two printers (449.00 each at Acme's prices) and an on-site service hour
    (no price for Acme: on request), sent through the services as `email`; its number."""
    with portal.db() as session:
        actor = build_actor(session, session.exec(select(Account).where(Account.email == email)).one())
        ids = dict(session.exec(select(Product.code, Product.id).where(Product.code.in_(["PRN-100", "SRV-200"]))).all())
        cart.add_to_cart(session=session, actor=actor, product_id=ids["PRN-100"], quantity="2")
        cart.add_to_cart(session=session, actor=actor, product_id=ids["SRV-200"], quantity="3")
        return quotes.request_quote(session=session, actor=actor, message="Printers for the e2e office").number


def test_staff_answers_a_request_while_the_customer_watches_then_moves_the_order(new_tab, portal, mailbox):
    email = make_user(portal, profile="Primary contact", admin=True, first="Quoter")
    number = request_quote(portal, email)

    customer = new_tab()
    mine = customer.signed_in(email)
    customer.open(f"/quotes/{number}")
    expect(mine.locator("#quote-status")).to_have_text("Requested")

    staff = new_tab()
    page = staff.signed_in(STAFF)
    staff.open("/admin/quotes")
    page.get_by_role("button", name="Awaiting answer").click()
    staff.ready()
    expect(page).to_have_url(re.compile(r"/admin/quotes\?status=requested$"))
    page.get_by_role("link", name=str(number), exact=True).click()
    staff.ready()
    expect(page.get_by_role("heading", name=f"Quote {number}")).to_be_visible()

    printers, service = page.get_by_role("group", name="Line 1"), page.get_by_role("group", name="Line 2")
    expect(printers.get_by_label("Unit price")).to_have_value("449.00")  # Acme's price book
    expect(service.get_by_label("Unit price")).to_have_value("")  # on request: staff prices it
    printers.get_by_label("Discount %").fill("10")
    page.get_by_role("button", name="Send quote").click()
    # the missing price is said next to it, and what was typed stays
    expect(service.get_by_role("alert")).to_be_visible()
    expect(printers.get_by_label("Discount %")).to_have_value("10")
    expect(mine.locator("#quote-status")).to_have_text("Requested")

    service.get_by_label("Unit price").fill("85")
    page.get_by_label("Message to the customer").fill("Installation included.")
    page.get_by_role("button", name="Send quote").click()
    expect(page.get_by_role("status").filter(has_text=f"Quote {number} sent")).to_be_visible()
    expect(page.locator("#quote-status")).to_have_text("Quoted")

    # the customer's open page turns Quoted by itself, with the discount and staff's message
    expect(mine.locator("#quote-status")).to_have_text("Quoted", timeout=15000)
    expect(mine.get_by_text("Installation included.")).to_be_visible()
    expect(mine.locator("#document-lines")).to_contain_text("10 %")
    # the customer opens "Accept quote"; sales sends a new price meanwhile: the page behind the dialog
    # follows, and Confirm, pressed on the version the dialog opened on, is refused and says why
    mine.get_by_role("button", name="Accept quote").click()
    expect(mine.get_by_role("alertdialog")).to_contain_text("in all.")  # it names the total
    printers.get_by_label("Unit price").fill("500")
    page.get_by_role("button", name="Send quote").click()
    expect(mine.locator("#document-lines")).to_contain_text("€500.00", timeout=15000)
    mine.get_by_role("alertdialog").get_by_role("button", name="Accept quote").click()
    expect(mine.get_by_text("Sales sent a new version of this quote")).to_be_visible()
    expect(mine).to_have_url(re.compile(rf"/quotes/{number}$"))
    mine.get_by_role("button", name="Accept quote").click()  # on the version now shown
    mine.get_by_role("alertdialog").get_by_role("button", name="Accept quote").click()
    mine.wait_for_url(re.compile(r"/orders/\d+$"))
    customer.ready()
    order = int(mine.url.rsplit("/", 1)[-1])
    expect(mine.locator("#order-status")).to_have_text("Received")

    staff.open(f"/admin/quotes/{number}")
    expect(page.locator("#quote-status")).to_have_text("Accepted")
    page.get_by_role("link", name=f"Accepted: order {order}").click()
    staff.ready()
    expect(page.get_by_role("heading", name=f"Order {order}")).to_be_visible()
    page.get_by_role("button", name="Move to Confirmed").click()  # asked first: it is never undone
    confirm = page.get_by_role("alertdialog", name=f"Move order {order} to Confirmed?")
    expect(confirm).to_contain_text("The order's contact is mailed")
    confirm.get_by_role("button", name="Move to Confirmed").click()
    expect(page.get_by_role("status").filter(has_text="The order is now Confirmed.")).to_be_visible()
    expect(page.get_by_role("button", name="Move to Shipped")).to_be_visible()

    expect(mine.locator("#order-status")).to_have_text("Confirmed", timeout=15000)  # live, no reload
    [confirmed] = mailbox.with_subject(email, f"Order {order}: Confirmed")  # and the contact is mailed once
    assert f"we have confirmed your order {order}." in confirmed.get_payload(decode=True).decode()

    # cancelling is asked first: "Keep order" changes nothing
    page.get_by_role("button", name="Cancel order").click()
    dialog = page.get_by_role("alertdialog", name=f"Cancel order {order}?")
    dialog.get_by_role("button", name="Keep order").click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#order-status")).to_have_text("Confirmed")

    # "Cancel order" with a reason: the customer's open page shows both, and the contact is mailed
    page.get_by_label("Reason for cancelling (optional, sent to the customer)").fill("The model is discontinued.")
    page.get_by_role("button", name="Cancel order").click()
    dialog.get_by_role("button", name="Cancel order").click()
    expect(page.get_by_role("status").filter(has_text="The order is now Cancelled.")).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Cancelled")
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    expect(mine.locator("#order-status")).to_have_text("Cancelled", timeout=15000)
    expect(mine.locator("#cancel-reason")).to_have_text("Reason for cancelling: The model is discontinued.")
    sent = mailbox.with_subject(email, f"Order {order} cancelled")
    assert len(sent) == 1 and "Reason: The model is discontinued." in sent[0].get_payload(decode=True).decode()


def test_staff_creates_a_product_and_a_customer_finds_it(new_tab):
    tag = uuid.uuid4().hex[:6].upper()
    staff = new_tab()
    page = staff.signed_in(STAFF)
    staff.open("/admin/products")
    page.get_by_role("button", name="New product").click()
    dialog = page.get_by_role("dialog", name="New product")
    dialog.get_by_label("Code").fill(f"E2E-{tag}")
    dialog.get_by_label("Name").fill(f"Fibre cable {tag}")
    dialog.get_by_label("List price (VAT excluded)").fill("abc")
    dialog.get_by_role("button", name="Create product").click()
    expect(dialog.get_by_role("alert").filter(has_text="Enter")).to_be_visible()  # next to the price
    expect(dialog.get_by_label("Name")).to_have_value(f"Fibre cable {tag}")
    dialog.get_by_label("List price (VAT excluded)").fill("19,90")
    dialog.get_by_role("button", name="Create product").dblclick()
    page.wait_for_url(f"**/admin/products/E2E-{tag}")
    staff.ready()
    expect(page.get_by_role("heading", name=f"Fibre cable {tag}")).to_be_visible()
    expect(page.get_by_label("List price (VAT excluded)")).to_have_value("19.90")

    customer = new_tab()
    theirs = customer.signed_in(GLOBEX)
    customer.open(f"/catalog?q={tag}")
    row = theirs.get_by_role("row").filter(has_text=f"Fibre cable {tag}")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("€19.90")


def test_a_csv_with_one_bad_row_imports_nothing(tab, portal):
    tag = uuid.uuid4().hex[:6].upper()
    page = tab.signed_in(STAFF)
    tab.open("/admin/products")
    data = (f"code,name,list_price\nCSV-{tag}-1,Good row {tag},10\nCSV {tag},Bad code {tag},12\n"
            f"CSV-{tag}-3,Also good {tag},14\n").encode()
    with page.expect_file_chooser() as chooser:
        page.get_by_label("CSV file", exact=True).click()
    chooser.value.set_files({"name": "products.csv", "mimeType": "text/csv", "buffer": data})
    expect(page.locator("#products-csv-result")).to_contain_text("Nothing was imported")
    report = page.get_by_role("region", name="Problems in the file")  # a heading above the table (no caption)
    expect(report.get_by_role("row").filter(has_text="Use letters, digits")).to_contain_text("3")
    expect(report.get_by_role("row").filter(has_text="Use letters, digits")).to_contain_text("code")
    with portal.db() as session:
        assert session.exec(select(Product).where(Product.code.like(f"CSV-{tag}%"))).first() is None

    good = data.replace(f"CSV {tag}".encode(), f"CSV-{tag}-2".encode())
    with page.expect_file_chooser() as chooser:
        page.get_by_label("CSV file", exact=True).click()
    chooser.value.set_files({"name": "products.csv", "mimeType": "text/csv", "buffer": good})
    expect(page.locator("#products-csv-result")).to_have_text("Imported 3 rows: 3 new, 0 updated.")
    expect(report).to_have_count(0)


def test_staff_writes_a_products_and_a_categorys_finnish_names_and_a_finnish_customer_reads_them(new_tab, portal):
    tag = uuid.uuid4().hex[:6].upper()
    staff = new_tab()
    page = staff.signed_in(STAFF)
    staff.open("/admin/products")
    page.get_by_label("New category").fill(f"Archive {tag}")
    page.get_by_role("button", name="Add category").click()
    expect(page.get_by_text(f"Category Archive {tag} added.")).to_be_visible()
    page.get_by_role("button", name=f"Rename Archive {tag}").click()
    dialog = page.get_by_role("dialog", name="Rename category")
    dialog.get_by_label("Name (Suomi)").fill(f"Arkisto {tag}")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Category saved.")).to_be_visible()
    expect(dialog).to_have_count(0)

    page.get_by_role("button", name="New product").click()
    dialog = page.get_by_role("dialog", name="New product")
    dialog.get_by_label("Code").fill(f"ARC-{tag}")
    dialog.get_by_label("Name").fill(f"Archive box {tag}")
    dialog.get_by_label("Category").select_option(label=f"Archive {tag}")
    dialog.get_by_label("List price (VAT excluded)").fill("12")
    dialog.get_by_role("button", name="Create product").click()
    page.wait_for_url(f"**/admin/products/ARC-{tag}")
    staff.ready()
    page.get_by_text("In other languages").click()
    page.get_by_label("Name (Suomi)").fill(f"Arkistolaatikko {tag}")
    page.get_by_label("Description (Deutsch)").fill("Nur eine Beschreibung, ohne Namen")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Write the name in this language too")).to_be_visible()  # at the German name
    expect(page.get_by_label("Name (Suomi)")).to_have_value(f"Arkistolaatikko {tag}")  # kept as typed
    page.get_by_label("Description (Deutsch)").fill("")
    page.get_by_label("Description (Suomi)").fill("Pahvinen laatikko mappeja varten.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Product saved.")).to_be_visible()

    customer = new_tab()
    theirs = customer.signed_in(make_user(portal, company="Globex GmbH", profile="Primary contact", language="fi"))
    customer.open(f"/catalog?q={tag}")
    row = theirs.get_by_role("row").filter(has_text=f"Arkistolaatikko {tag}")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"Arkisto {tag}")
    row.get_by_role("link", name=f"Arkistolaatikko {tag}").click()
    expect(theirs.get_by_role("heading", name=f"Arkistolaatikko {tag}")).to_be_visible()
    expect(theirs.get_by_text("Pahvinen laatikko mappeja varten.")).to_be_visible()
