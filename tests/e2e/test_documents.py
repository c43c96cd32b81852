"""Documents in the browser: staff shares a file with Acme (an empty form is answered next to each
field; a double-clicked "Share" shares once; the company's contacts are mailed), an Acme contact
finds it, downloads it, and staff then sees the download; a Globex contact sees none of Acme's;
staff replaces the file, and deletes the document after confirming, which the contact's open list
follows without a reload; a title written in Finnish is what a Finnish contact reads."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect
from sqlmodel import select

from portal_app.models import SharedDocument

from .people import make_user


def choose_file(page, name: str, data: bytes) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_label("File", exact=True).click()
    chooser.value.set_files({"name": name, "mimeType": "application/pdf", "buffer": data})
    expect(page.get_by_role("status").filter(has_text=name)).to_be_visible()


def test_staff_shares_a_file_that_the_companys_contact_downloads(new_tab, portal, mailbox):
    word = f"kiwi{uuid.uuid4().hex[:6]}"
    title = f"Maintenance offer {word}"
    reader_email = make_user(portal, first="Reader")
    globex_email = make_user(portal, company="Globex GmbH", first="Other")

    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open("/admin/documents")
    page.get_by_role("link", name="Share a document").click()
    expect(page.get_by_role("heading", name="Share a document")).to_be_visible()
    staff.ready()
    page.get_by_role("button", name="Share").click()  # empty: said next to each field, nothing shared
    for message in ("Choose the company.", "This field is required.", "Choose the file to share."):
        expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Category").select_option(label="Quote")
    page.get_by_label("Description (optional)").fill("Two visits a year.\nPrices valid until March.")
    page.get_by_label("Company", exact=True).fill("Acm")
    page.get_by_role("list", name="Matching companies").get_by_role("button", name="Acme Oy").click()
    choose_file(page, f"{word}.pdf", b"%PDF-1.4\n% first version\n")
    page.get_by_role("button", name="Share").dblclick()
    expect(page).to_have_url(re.compile(r"/admin/documents/\d+$"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    with portal.db() as session:
        assert len(session.exec(select(SharedDocument).where(SharedDocument.title == title)).all()) == 1
    mail = mailbox.wait_for(reader_email)
    assert mail["Subject"] == f"New document: {title}"
    assert "/documents" in mail.get_payload(decode=True).decode()

    reader = new_tab()
    contact = reader.signed_in(reader_email)
    reader.menu().get_by_role("link", name="Documents", exact=True).click()  # the module's menu entry
    expect(contact).to_have_url(re.compile(r"/documents$"))
    contact.get_by_label("Category", exact=True).select_option(label="Quote")
    expect(contact).to_have_url(re.compile(r"/documents\?status=quote$"))
    row = contact.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("Two visits a year.")
    expect(row).to_contain_text(f"{word}.pdf")
    with contact.expect_download() as download:
        row.get_by_role("link", name=title).click()
    assert download.value.suggested_filename == f"{word}.pdf"
    assert open(download.value.path(), "rb").read() == b"%PDF-1.4\n% first version\n"
    expect(contact.get_by_role("heading", name="Documents")).to_be_visible()  # the page stays

    other = new_tab()
    globex = other.signed_in(globex_email)
    other.open(f"/documents?q={word}")
    expect(globex.get_by_text("No documents match these filters.")).to_be_visible()
    expect(globex.get_by_text(title)).to_have_count(0)
    assert mailbox.to(globex_email) == []

    # staff sees the download, replaces the file, then deletes the document after confirming
    staff.open(f"/admin/documents?q={word}")
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text("Downloaded 1×")
    page.get_by_role("link", name=f"Edit: {title}").click()
    staff.ready()
    choose_file(page, f"{word}-signed.pdf", b"%PDF-1.4\n% signed\n")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Document saved.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(f"{word}-signed.pdf"))).to_be_visible()
    expect(row).to_contain_text(f"{word}-signed.pdf", timeout=10_000)  # the contact's list, still open, follows live
    page.get_by_role("button", name="Delete document").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"Delete “{title}”?")
    dialog.get_by_role("button", name="Delete document").click()
    expect(page).to_have_url(re.compile(r"/admin/documents$"))
    expect(row).to_have_count(0, timeout=10_000)  # gone from the contact's open list too, without a reload
    expect(contact.get_by_role("row").filter(has_text="Offer: ten office printers")).to_be_visible()
    reader.open(f"/documents?q={word}")
    expect(contact.get_by_text("No documents match these filters.")).to_be_visible()


def test_staff_writes_a_documents_title_in_finnish_that_a_finnish_contact_reads(new_tab, portal):
    word = f"pear{uuid.uuid4().hex[:6]}"
    title, finnish_title = f"Price list {word}", f"Hinnasto {word}"
    finnish_email = make_user(portal, first="Suomi", language="fi")
    english_email = make_user(portal, first="English")

    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open("/admin/documents/new")
    page.get_by_text("In other languages").click()
    page.get_by_label("Title (Suomi)").fill(finnish_title)
    page.get_by_label("Description (Suomi)").fill("Voimassa maaliskuun loppuun.")
    page.get_by_label("Company", exact=True).fill("Acm")
    page.get_by_role("list", name="Matching companies").get_by_role("button", name="Acme Oy").click()
    choose_file(page, f"{word}.pdf", b"%PDF-1.4\n% prices\n")
    page.get_by_role("button", name="Share").click()  # no title in the default language: refused there
    expect(page.get_by_role("alert").filter(has_text="This field is required.")).to_be_visible()
    expect(page.get_by_label("Title (Suomi)")).to_have_value(finnish_title)  # nothing typed is lost
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_role("button", name="Share").click()
    expect(page).to_have_url(re.compile(r"/admin/documents/\d+$"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()

    finnish = new_tab()
    reader = finnish.signed_in(finnish_email)
    finnish.open(f"/documents?q={word}")
    row = reader.get_by_role("row").filter(has_text=finnish_title)
    expect(row).to_contain_text("Voimassa maaliskuun loppuun.")
    expect(reader.get_by_text(title, exact=True)).to_have_count(0)
    english = new_tab()
    other = english.signed_in(english_email)
    english.open(f"/documents?q={word}")
    expect(other.get_by_role("row").filter(has_text=title)).to_be_visible()
    expect(other.get_by_text(finnish_title)).to_have_count(0)
