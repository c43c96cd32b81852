"""Layout on a phone (375x812) and on a desktop: no page scrolls sideways for any role, the menu
folds behind "Menu", the ticket list's filters behind "Filters", tables become cards; long
user-written text (a 200-character unbroken title, a long file name) stays inside its card."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from .people import make_staff, make_user
from .test_security import PAGES
from .test_tickets import open_new_ticket

PHONE = {"width": 375, "height": 812}
MORE_PAGES = {"staff@example.com": ["/admin/mail", "/me"], "admin@acme.example.com": ["/", "/me", "/tickets/new"]}


def scroll_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


@pytest.mark.parametrize("who", list(PAGES), ids=lambda w: w or "visitor")
def test_no_page_scrolls_sideways_on_a_phone(new_tab, who):
    tab = new_tab()
    tab.page.set_viewport_size(PHONE)
    if who:
        tab.signed_in(who)
    for path in PAGES[who] + MORE_PAGES.get(who, []):
        tab.open(path)
        assert scroll_width(tab.page) <= PHONE["width"], path


def test_finnish_staff_pages_keep_their_buttons_on_a_phone(tab, portal):
    # Finnish labels are longer: rows of buttons wrap instead of running past the card's edge
    page = tab.sign_in(make_staff(portal, language="fi", first="Kaisa"))
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    page.set_viewport_size(PHONE)
    for path, names in (("/admin/mail", ["Lähetetyt"]), ("/admin/settings", ["Poista linkki"])):
        tab.open(path)
        for name in names:
            button = page.get_by_role("button", name=name).first
            expect(button).to_be_visible()
            box = button.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (path, name, box)


def test_a_long_finnish_heading_keeps_its_word_whole_beside_its_button_on_a_phone(tab, portal):
    page = tab.sign_in(make_user(portal, profile="Primary contact", admin=True, language="fi", first="Pomo"))
    page.set_viewport_size(PHONE)
    tab.open("/company")
    heading = page.get_by_role("heading", name="Yhteyshenkilöt")
    expect(heading).to_be_visible()
    lines = heading.evaluate("h => { const r = document.createRange(); r.selectNodeContents(h);"
                             " return r.getClientRects().length }")
    assert lines == 1  # "Yhteyshenki-löt" broken in two was the old way; the button now goes below
    box = page.get_by_role("button", name="Lisää yhteyshenkilö").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_admin_tabs_mark_the_page_and_take_one_line_on_a_phone(tab):
    page = tab.signed_in("staff@example.com")
    for path, current in (("/admin/invoices", "Invoices"), ("/admin/quotes/1001", "Quotes"), ("/admin", "Users")):
        tab.open(path)
        tabs = page.get_by_role("navigation", name="Admin panel")
        expect(tabs.get_by_role("link", name=current, exact=True)).to_have_attribute("aria-current", "page")
        expect(tabs.locator("[aria-current]")).to_have_count(1)
    assert tabs.bounding_box()["height"] < 60  # desktop: two lines of 17 tabs at most
    page.set_viewport_size(PHONE)
    expect(tabs.get_by_role("link", name="Users", exact=True)).to_be_visible()
    assert tabs.bounding_box()["height"] < 50  # one line, not seven
    last = tabs.get_by_role("link", name="Mail outbox")
    assert last.bounding_box()["x"] > PHONE["width"]  # further along the line
    last.click()  # reached by scrolling the line (as a finger does)
    page.wait_for_url(re.compile(r"/admin/mail$"))
    tab.ready()
    assert scroll_width(page) <= PHONE["width"]
    # a page opened at its address shows its own tab in the line (the line starts at "Users" otherwise)
    for path, current in (("/admin/settings", "Portal settings"), ("/admin/reports", "Reports")):
        tab.open(path)
        box = tabs.get_by_role("link", name=current, exact=True).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (path, box)


def test_the_menu_folds_behind_a_button_on_a_phone(tab):
    page = tab.signed_in("admin@acme.example.com")
    expect(tab.menu().get_by_role("link", name="Company")).to_be_visible()  # desktop: as it was
    expect(page.get_by_role("button", name="Menu")).to_have_count(0)
    page.set_viewport_size(PHONE)
    expect(tab.menu()).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("combobox", name="Language")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    tab.menu().get_by_role("link", name="Company").click()
    page.wait_for_url(re.compile(r"/company/?$"))
    tab.ready()
    expect(tab.menu()).to_have_count(0)  # a link followed closes the menu
    # the contact actions are on the screen
    deactivate = page.get_by_role("button", name="Deactivate").first
    expect(deactivate).to_be_visible()
    box = deactivate.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_a_language_chosen_in_the_phone_menu_closes_it(tab, portal):
    page = tab.signed_in(make_user(portal, first="Puhelin"))
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("combobox", name="Language").select_option(label="Suomi")
    expect(page.get_by_role("button", name="Valikko")).to_have_attribute("aria-expanded", "false")
    expect(tab.menu()).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    page.get_by_role("button", name="Valikko").click()  # opens again, in Finnish
    expect(page.get_by_role("combobox", name="Kieli (Language)")).to_have_value("fi")
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()


def test_ticket_filters_fold_behind_a_button_on_a_phone(tab):
    page = tab.signed_in("user@acme.example.com")
    tab.open("/tickets")
    expect(page.get_by_role("group", name="Category")).to_be_visible()
    expect(page.get_by_role("button", name="Filters", exact=True)).to_have_count(0)
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("group", name="Category")).to_have_count(0)
    page.get_by_role("button", name="Filters", exact=True).click()
    expect(page.get_by_role("group", name="Category")).to_be_visible()
    page.get_by_role("checkbox", name="Bug").click()  # controlled: checked once the list has navigated
    page.wait_for_url(re.compile(r"category=Bug"))
    expect(page.get_by_role("group", name="Category")).to_be_visible()  # stays open while filtering
    page.get_by_role("button", name="Filters", exact=True).click()
    expect(page.get_by_role("group", name="Category")).to_have_count(0)


def within(inner, outer) -> bool:
    a, b = inner.bounding_box(), outer.bounding_box()
    return a["x"] >= b["x"] - 1 and a["x"] + a["width"] <= b["x"] + b["width"] + 1


def test_a_long_unbroken_title_and_file_name_stay_inside_their_cards(new_tab, portal):
    email = make_user(portal, first="Verbose")
    reporter = new_tab()
    reporter.signed_in(email)
    title = "Long" + uuid.uuid4().hex[:6] + "x" * 190
    file_name = "report-" + "y" * 150 + ".txt"
    number = open_new_ticket(reporter, title, files=[{"name": file_name, "mimeType": "text/plain",
                                                      "buffer": b"hello"}])
    staff = new_tab()
    staff.signed_in("staff@example.com")
    for width in (1280, 375):
        for tab, list_path, ticket_path in ((reporter, "/tickets", f"/tickets/{number}"),
                                            (staff, "/admin/tickets", f"/admin/tickets/{number}")):
            tab.page.set_viewport_size({"width": width, "height": 812})
            listing = tab.open(list_path)
            link = listing.get_by_role("link", name=title)
            expect(link).to_be_visible()
            assert scroll_width(listing) <= width, (list_path, width)
            assert within(link, listing.locator(".rt-Card").first), (list_path, width)
            if width == 1280:
                expect(link).to_have_attribute("title", title)  # shortened, in full on hover
            ticket = tab.open(ticket_path)
            heading = ticket.get_by_role("heading", name=re.compile(title))
            expect(heading).to_be_visible()
            assert scroll_width(ticket) <= width, (ticket_path, width)
            card = ticket.locator(".rt-Card").first
            assert within(heading, card), (ticket_path, width)
            assert within(ticket.get_by_role("link", name=file_name), card), (ticket_path, width)
            # the size beside it stays on one line ("5 B", not a letter a line)
            size = ticket.get_by_text("5 B", exact=True).first.bounding_box()
            assert size and size["height"] < 30 and size["width"] > 15, (ticket_path, width, size)


def test_a_favicon_and_a_skip_link_on_every_page(tab, portal):
    missing: list[str] = []
    tab.page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    for who, path in ((None, "/login"), ("user@acme.example.com", "/tickets")):
        page = tab.signed_in(who) if who else tab.page
        tab.open(path)
        icon = page.request.get(portal.url + "/favicon.ico")
        assert icon.status == 200 and icon.body()[:4] == b"\x00\x00\x01\x00"  # an .ico
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to main content")
        expect(skip).to_be_focused()
        box = skip.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0  # visible once focused
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()
    assert missing == []


def test_tickets_are_sorted_on_a_phone_from_a_menu(tab):
    """The cards hide the column headers: "Sort by" offers each column both ways."""
    page = tab.signed_in("admin@acme.example.com")
    page.set_viewport_size(PHONE)
    tab.open("/tickets")
    menu = page.get_by_role("combobox", name="Sort by")
    expect(menu).to_have_value("-updated")
    menu.select_option(label="Title, ascending")
    page.wait_for_url(re.compile(r"/tickets\?sort=title$"))
    titles = page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert len(titles) > 3 and titles == sorted(titles, key=str.lower)
    page.get_by_role("combobox", name="Sort by").select_option(label="Number, descending")
    page.wait_for_url(re.compile(r"sort=-number"))
    expect(page.get_by_role("combobox", name="Sort by")).to_have_value("-number")
    numbers = [int(n) for n in page.locator("tbody tr td:nth-child(1)").all_inner_texts()]
    assert numbers == sorted(numbers, reverse=True)
    page.set_viewport_size({"width": 1280, "height": 812})
    expect(page.get_by_role("combobox", name="Sort by")).to_be_hidden()  # the headers sort there


def test_a_long_unbroken_name_wraps_in_cards_and_the_confirm_dialog_fits_a_phone(new_tab, portal):
    email = make_user(portal, first="Maximiliana")
    long_last = "Vonlongname" + "X" * 80
    with portal.db() as session:
        from sqlmodel import select
        from portal_app.models import Account, Contact
        contact = session.get(Contact, session.exec(select(Account).where(Account.email == email)).one().contact_id)
        contact.last_name = long_last
        session.add(contact)
        session.commit()
    reporter = new_tab()
    reporter.signed_in(email)
    title = "Wrapping " + uuid.uuid4().hex[:6]
    open_new_ticket(reporter, title)
    admin = new_tab()
    page = admin.signed_in("admin@acme.example.com")
    page.set_viewport_size(PHONE)
    admin.open(f"/tickets?q={title.split()[1]}")
    card = page.locator("tbody tr").filter(has_text=title)
    name = card.get_by_text(long_last)
    expect(name).to_be_visible()
    assert within(name, card) and scroll_width(page) <= PHONE["width"]
    admin.open("/company")
    page.locator("tr").filter(has_text=long_last).get_by_role("button", name="Deactivate").click()
    dialog = page.get_by_role("alertdialog")
    confirm = dialog.get_by_role("button", name="Deactivate")
    expect(confirm).to_be_visible()
    box = confirm.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)


def test_a_long_unbroken_company_name_keeps_the_admin_lists_within_their_cards(new_tab, portal):
    """Staff's users and companies lists: the name wraps; every row's buttons stay on the screen."""
    from portal_app.models import Company

    name = "Longname" + uuid.uuid4().hex[:6] + "X" * 110
    with portal.db() as session:
        session.add(Company(name=name, business_id="1234567-8", city="Espoo", country="FI"))
        session.commit()
    email = make_user(portal, company=name, first="Wide")
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    row = staff.admin_user_row(email)
    expect(row.get_by_text(name)).to_be_visible()
    disable = row.get_by_role("button", name="Disable")
    expect(disable).to_be_visible()
    card = page.locator(".rt-Card").first
    assert within(disable, card) and within(row.get_by_text(name), card)
    staff.open("/admin/companies")
    page.get_by_label("Search companies").fill(name[:14])
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the one found (not the list before)
    expect(page.get_by_text("Page 1 of 1 (1 in all)", exact=True)).to_be_visible()  # said in words, as the tickets'
    link = page.get_by_role("link", name=name)
    city = page.get_by_role("row").filter(has_text=name).get_by_text("Espoo")
    expect(link).to_be_visible()
    expect(city).to_be_visible()
    assert within(link, page.locator(".rt-Card").first) and within(city, page.locator(".rt-Card").first)
