"""Staff's invoices in the browser: a draft for Acme Oy with two lines (a bad quantity said next to
its field, the typed text kept), fixed, issued with the next number (asked first) and mailed to Acme's
invoice reader, paid in full by a bank payment ("Paid"); another invoice voided; an overpayment
refunded; the list's CSV download; and a customer sees nothing of it."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlmodel import func, select

from portal_app.models import Account, Company, Invoice
from portal_app.services.actor import build_actor
from portal_app.services.invoices import admin as invoice_admin

STAFF = "staff@example.com"


def next_number(portal) -> int:
    with portal.db() as session:
        return (session.exec(select(func.max(Invoice.number))).one() or 1000) + 1


def issued_invoice(portal, company: str = "Globex GmbH") -> int:
    """An open invoice of `company` (one line of 50.00 + 24 %), through staff's service; its number."""
    with portal.db() as session:
        staff = build_actor(session, session.exec(select(Account).where(Account.email == STAFF)).one())
        company_id = session.exec(select(Company.id).where(Company.name == company)).one()
        draft = invoice_admin.create_draft(session=session, actor=staff, company_id=company_id, data={
            "lines": [{"description": "Spare cable", "quantity": "1", "unit_price": "50", "vat_rate": "24"}]})
        return invoice_admin.issue_invoice(session=session, actor=staff, invoice_id=draft.id).number


def fill_line(group, description: str, quantity: str, price: str, vat: str = "24") -> None:
    group.get_by_label("Description").fill(description)
    group.get_by_label("Quantity").fill(quantity)
    group.get_by_label("Unit price").fill(price)
    group.get_by_label("VAT %").fill(vat)


def test_staff_drafts_issues_and_records_a_bank_payment(tab, portal, mailbox):
    page = tab.signed_in(STAFF)
    tab.open("/admin/invoices")
    page.get_by_role("link", name="New invoice").click()
    tab.ready()
    expect(page.get_by_role("heading", name="New invoice")).to_be_visible()

    page.get_by_label("Company").fill("Acm")
    page.get_by_role("list", name="Matching companies").get_by_role("button", name="Acme Oy").click()
    fill_line(page.get_by_role("group", name="Line 1"), "Consulting", "2", "100")
    page.get_by_role("button", name="Add line").click()
    second = page.get_by_role("group", name="Line 2")
    fill_line(second, "Travel", "two", "100")
    page.get_by_role("button", name="Save draft").click()

    # the error is next to the second line's quantity, and nothing typed is lost
    expect(second.get_by_role("alert")).to_have_text("Enter a number, like 2, 1.5 or 1240.50.")
    expect(second.get_by_label("Quantity")).to_have_value("two")
    expect(second.get_by_label("Description")).to_have_value("Travel")
    expect(page.get_by_role("group", name="Line 1").get_by_label("Description")).to_have_value("Consulting")
    expect(page.get_by_role("button", name="Change")).to_be_visible()  # Acme Oy still chosen

    second.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/admin/invoices/draft-\d+$"))
    tab.ready()
    expect(page.get_by_role("heading", name="Draft invoice")).to_be_visible()
    expect(page.locator("#draft-totals")).to_contain_text("372.00")  # 300.00 + 24 % VAT

    number = next_number(portal)
    # issuing takes a number and cannot be undone: asked first, and Cancel issues nothing
    page.get_by_role("button", name="Issue invoice").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Issue this invoice?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("heading", name="Draft invoice")).to_be_visible()
    assert next_number(portal) == number
    page.get_by_role("button", name="Issue invoice").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Issue invoice").click()
    page.wait_for_url(f"**/admin/invoices/{number}")
    tab.ready()
    expect(page.get_by_role("heading", name=f"Invoice {number}")).to_be_visible()
    expect(page.locator("#invoice-status")).to_have_text("Open")
    expect(page.get_by_role("link", name="Download PDF")).to_have_attribute("href", f"/api/invoices/{number}/pdf")
    # Acme's invoice reader (its admin) is mailed the invoice with a link to it
    [mail] = mailbox.with_subject("admin@acme.example.com", f"Invoice {number} from Example Services Oy")
    body = mail.get_payload(decode=True).decode()
    assert "Amount: €372.00 (VAT €72.00)" in body and f"{portal.url}/invoices/{number}" in body

    page.get_by_label("Amount").fill("372.00")
    page.get_by_label("Note", exact=True).fill("Transfer from Acme")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Payment recorded.")).to_be_visible()
    expect(page.locator("#invoice-status")).to_have_text("Paid")
    expect(page.get_by_role("cell", name="Bank transfer")).to_be_visible()

    # the list shows it paid
    tab.open("/admin/invoices")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=str(number), exact=True))
    expect(row).to_contain_text("Acme Oy")
    expect(row).to_contain_text("Paid")


def test_staff_voids_an_invoice(tab, portal):
    number = issued_invoice(portal)
    page = tab.signed_in(STAFF)
    tab.open(f"/admin/invoices/{number}")
    expect(page.locator("#invoice-status")).to_have_text("Open")
    page.get_by_role("button", name="Void invoice").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"Void invoice {number}?")
    dialog.get_by_role("button", name="Void invoice").click()
    expect(page.get_by_text("Invoice voided.")).to_be_visible()
    expect(page.locator("#invoice-status")).to_have_text("Void")
    expect(page.get_by_role("button", name="Void invoice")).to_have_count(0)


def test_staff_refunds_an_overpayment_and_the_customer_sees_it(tab, new_tab, portal):
    number = issued_invoice(portal, "Acme Oy")  # 62.00
    page = tab.signed_in(STAFF)
    tab.open(f"/admin/invoices/{number}")
    expect(page.get_by_role("heading", name="Record refund")).to_have_count(0)  # nothing owed yet
    page.get_by_label("Amount", exact=True).fill("100.00")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Payment recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Record refund")).to_be_visible()
    amount = page.get_by_label("Amount refunded")
    expect(amount).to_have_value("38.00")  # the credit owed
    amount.fill("40.00")
    page.get_by_role("button", name="Record refund").click()
    expect(page.get_by_text("A refund can be at most the credit owed.")).to_be_visible()
    amount.fill("38.00")
    page.get_by_label("Refund note").fill("Paid back to FI21 1234")
    page.get_by_role("button", name="Record refund").click()
    expect(page.get_by_text("Refund recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Record refund")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Refund")).to_contain_text("-€38.00")

    customer = new_tab()
    page = customer.signed_in("admin@acme.example.com")
    customer.open(f"/invoices/{number}")
    expect(page.get_by_role("row").filter(has_text="Refund")).to_contain_text("-€38.00")
    expect(page.get_by_text("Paid back to FI21 1234")).to_have_count(0)  # staff's note stays staff's


def test_the_csv_link_downloads_the_filtered_list(tab, portal):
    page = tab.signed_in(STAFF)
    tab.open("/admin/invoices?status=open")
    link = page.get_by_role("link", name="Download CSV")
    expect(link).to_have_attribute("href", "/api/admin/invoices.csv?status=open")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("\ufeffNumber,Kind,Company,") and "Globex GmbH" in text  # (the BOM: UTF-8 to Excel)


def test_a_customer_sees_nothing_of_the_staff_invoices(tab, portal):
    page = tab.signed_in("admin@acme.example.com")
    tab.open("/admin/invoices")
    expect(page.get_by_role("heading", name="This section is not available")).to_be_visible()
    for name in ("New invoice", "Reconcile with Stripe"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)
    tab.open("/admin/invoices/1004")
    expect(page.get_by_text("Network maintenance")).to_have_count(0)  # Globex's invoice
    assert page.request.get(f"{portal.url}/api/admin/invoices.csv").status == 404
