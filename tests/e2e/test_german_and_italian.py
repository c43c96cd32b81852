"""German and Italian, end to end: a company admin reads an invoice in German (amounts and dates in
German form, the page's `lang`, the tab's title), an Italian contact's tickets and new-ticket form
(statuses, dates, the message next to an empty field), a visitor registers for an event in German and
is mailed in German, and no page of either language scrolls sideways on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import col, select

from portal_app.models import Account

from .people import make_staff, make_user
from .test_events import make_event, text_of
from .test_layout import PHONE, scroll_width


def test_a_company_admin_reads_an_invoice_in_german(tab, portal):
    page = tab.signed_in(make_user(portal, profile="Primary contact", admin=True, first="Greta"))
    tab.open("/invoices/1002")
    expect(page.locator("#invoice-amounts")).to_contain_text("€1,240.00")
    page.get_by_label("Language").select_option(label="Deutsch")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_title("Rechnung 1002")  # the tab names the invoice shown
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rechnung 1002")
    expect(page.locator("#invoice-status")).to_have_text("Offen")
    expect(page.locator("#invoice-amounts")).to_contain_text(re.compile(r"Gesamt\s*1\.240,00\s€"))
    expect(page.get_by_text(re.compile(r"^\d{2}\.\d{2}\.\d{4}$")).first).to_be_visible()  # 15.12.2026
    expect(page.get_by_role("link", name="PDF herunterladen")).to_be_visible()
    # the choice is the user's own now: the next page and a reload stay German
    tab.open("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen im Kundenportal")  # the demo's German text
    menu = page.get_by_role("navigation", name="Menü")
    expect(menu.get_by_role("link", name="Rechnungen")).to_be_visible()
    expect(menu.get_by_role("link", name="Servicestatus")).to_be_visible()
    page.reload()
    tab.ready()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def test_an_italian_contact_lists_tickets_and_is_told_what_is_missing_in_italian(tab, portal):
    page = tab.signed_in(make_user(portal, profile="Primary contact", admin=True, first="Giulia", language="it"))
    expect(page.locator("html")).to_have_attribute("lang", "it")
    tab.open("/tickets")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ticket di assistenza")
    row = page.get_by_role("row").filter(has_text="10001")
    expect(row).to_contain_text("In corso")  # the demo ticket's status
    expect(row).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4}, \d{2}:\d{2}"))  # Italian short date (whole year) and time
    page.get_by_role("link", name="Nuovo ticket").click()
    expect(page.get_by_role("heading", name="Nuovo ticket")).to_be_visible()
    tab.ready()
    page.get_by_label("Descrizione").fill("La stampante non stampa.")
    page.get_by_role("button", name="Invia").click()
    # the message stands next to the empty title, in Italian, and what was typed is kept
    expect(page.get_by_role("alert").filter(has_text="Questo campo è obbligatorio.").first).to_be_visible()
    expect(page.get_by_label("Descrizione")).to_have_value("La stampante non stampa.")
    expect(page.get_by_text("This field is required.")).to_have_count(0)


def test_a_visitor_registers_in_german_and_is_mailed_in_german(tab, portal, mailbox):
    slug = make_event(portal, capacity=5, title="Schulung")
    email = f"gast.{slug}@example.org"
    page = tab.open(f"/register/{slug}")
    page.get_by_label("Language").select_option(label="Deutsch")
    expect(page.get_by_label("Vorname")).to_be_visible()
    page.get_by_label("Vorname").fill("Jürgen")
    page.get_by_label("Nachname").fill("Weiß")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label(re.compile("^Firma")).fill("Gast GmbH")
    page.get_by_label(re.compile("^Ich bin damit einverstanden")).check()
    page.get_by_role("button", name="Jetzt anmelden").click()
    expect(page.get_by_role("status").filter(has_text="Sie sind angemeldet")).to_be_visible()
    mail = mailbox.wait_for(email)
    assert str(mail["Subject"]).startswith("Sie sind angemeldet: Schulung")
    body = text_of(mail)
    assert "Jürgen" in body and f"Veranstaltungsseite: {portal.url}/register/{slug}" in body.splitlines()
    assert re.search(r"\d{2}\.\d{2}\.\d{2}", body), body  # the date in German form
    assert any(p.get_content_type() == "text/calendar" for p in mail.walk())


PHONE_PAGES = {
    "contact": ["/", "/tickets", "/tickets/new", "/tickets/10001", "/me", "/company", "/invoices", "/invoices/1002",
                "/events", "/catalog", "/cart", "/quotes", "/orders", "/opportunities", "/kb", "/kb/1",
                "/newsletters", "/documents"],
    "staff": ["/admin", "/admin/tickets", "/admin/tickets/10001", "/admin/companies", "/admin/profiles",
              "/admin/settings", "/admin/mail", "/admin/invoices", "/admin/invoices/new", "/admin/events",
              "/admin/products", "/admin/price-books", "/admin/quotes", "/admin/orders", "/admin/opportunities",
              "/admin/kb", "/admin/kb/new", "/admin/kb/1", "/admin/newsletters", "/admin/newsletters/1",
              "/admin/documents", "/admin/documents/new", "/admin/documents/1"],
}


@pytest.mark.parametrize("language", ["de", "it"])
@pytest.mark.parametrize("who", list(PHONE_PAGES))
def test_no_page_scrolls_sideways_on_a_phone_in_german_or_italian(new_tab, portal, who, language):
    """German and Italian labels are longer than English ones: they wrap, never past the screen."""
    tab = new_tab()
    tab.page.set_viewport_size(PHONE)
    email = (make_staff(portal, language=language, first="Phone") if who == "staff"
             else make_user(portal, profile="Primary contact", admin=True, first="Phone", language=language))
    tab.signed_in(email)
    expect(tab.page.locator("html")).to_have_attribute("lang", language)
    for path in PHONE_PAGES[who]:
        tab.open(path)
        assert scroll_width(tab.page) <= PHONE["width"], path
    if who == "contact":  # the list's title keeps its words whole: "Support-Tickets" on one line
        tab.open("/tickets")
        box = tab.page.get_by_role("heading", level=1).bounding_box()
        assert box and box["height"] < 40, box  # one line
    if who == "staff":  # every language's tab of the settings' texts is on the screen
        tab.open("/admin/settings")
        for name in ("English", "Suomi", "Deutsch", "Italiano"):
            box = tab.page.get_by_role("tab", name=re.compile(name)).bounding_box()
            assert box and 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], (name, box)


def test_a_language_picked_before_signing_in_is_that_sign_ins_alone(tab, portal):
    """Italian picked on the sign-in page is taken by the next sign-in (Jussi's, Finnish before); after
    his sign-out the same tab's next person (Ilona, German) keeps her own language."""
    jussi = make_user(portal, first="Jussi", language="fi")
    ilona = make_user(portal, first="Ilona", language="de")
    page = tab.open("/login")
    page.get_by_label("Language").select_option(label="Italiano")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    page.get_by_label("Email").fill(jussi)
    page.get_by_label("Password").fill("Demo-pass-2026")
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("button", name="Esci")).to_be_visible(timeout=15000)  # his language is Italian now
    tab.ready()
    page.get_by_role("button", name="Esci").click()
    expect(page.get_by_role("button", name="Accedi")).to_be_visible()
    page.get_by_label("Email").fill(ilona)
    page.get_by_label("Password").fill("Demo-pass-2026")
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible(timeout=15000)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    with portal.db() as session:
        languages = {a.email: a.language for a in session.exec(select(Account).where(col(Account.email).in_([jussi, ilona])))}
    assert languages == {jussi: "it", ilona: "de"}
    assert "portal_lang_picked" not in {c["name"] for c in page.context.cookies()}
