"""Issue 9, items 7 and 9, in the browser: an empty ticket list says there are none yet (with "New
ticket"), or that nothing matches (with "Clear filters"); a module that staff switched off says it is
not available at its own URL, and so does an admin panel's page opened by a customer; the new-ticket form's draft comes back after leaving the page, is gone
once the ticket is created, and is never shown to another person signing in on the same browser."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect
from sqlmodel import select

from portal_app.models import Ticket

from .people import make_user

DRAFT_KEYS = "() => Object.keys(localStorage).filter((k) => k.startsWith('portal.ticketDraft.')).length"


def test_customer_without_tickets_sees_none_yet_and_new_ticket(new_tab, portal):
    customer = new_tab()
    page = customer.signed_in(make_user(portal, first="Empty"))
    customer.open("/tickets")
    expect(page.get_by_text("No tickets yet.")).to_be_visible()
    expect(page.get_by_text("No tickets match these filters.")).to_have_count(0)
    new_ticket = page.get_by_role("link", name="New ticket")
    expect(new_ticket).to_have_count(1)  # the empty list's own, not a second one in the heading
    expect(new_ticket).to_be_visible()

    # a search that finds nothing says so, with a way back to every ticket
    customer.open("/tickets?q=nothing-like-this")
    expect(page.get_by_text("No tickets match these filters.")).to_be_visible()
    expect(page.get_by_text("No tickets yet.")).to_have_count(0)
    page.get_by_role("status").get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/tickets/?$"))
    customer.ready()
    expect(page.get_by_text("No tickets yet.")).to_be_visible()

    page.get_by_role("link", name="New ticket").click()
    expect(page.get_by_role("heading", name="New ticket")).to_be_visible()


def test_module_switched_off_is_not_available_at_its_url(new_tab, portal):
    customer = new_tab()
    page = customer.signed_in(make_user(portal, first="Offline"))
    staff = new_tab()
    staff.signed_in("staff@example.com")
    settings_page = staff.open("/admin/settings")
    toggle = settings_page.get_by_label("Support tickets")
    expect(toggle).to_be_checked()
    try:
        toggle.click()
        expect(toggle).not_to_be_checked()
        for path in ("/tickets", "/tickets/new", "/tickets?q=printer"):
            customer.open(path)
            expect(page).to_have_url(re.compile(re.escape(portal.url + path.split("?")[0]) + r"/?(\?.*)?$"))
            notice = page.get_by_role("status").filter(has=page.get_by_role("heading", name="This section is not available"))
            expect(notice).to_be_visible()
            expect(page.get_by_role("heading", name="Support tickets")).to_have_count(0)  # nothing of the page
            expect(page.get_by_role("heading", name="New ticket")).to_have_count(0)
        page.get_by_role("link", name="Go to the home page").click()
        expect(page).to_have_url(re.compile(re.escape(portal.url) + r"/?$"))
        customer.ready()
        expect(page.get_by_role("heading", name="This section is not available")).to_have_count(0)
    finally:
        staff.open("/admin/settings")
        settings_page.get_by_label("Support tickets").click()
        expect(settings_page.get_by_label("Support tickets")).to_be_checked()
    customer.open("/tickets")
    expect(page.get_by_role("heading", name="Support tickets")).to_be_visible()


def test_admin_panel_page_tells_a_customer_it_is_for_staff_at_its_url(new_tab, portal):
    customer = new_tab()
    page = customer.signed_in("admin@acme.example.com")
    for path in ("/admin/companies", "/admin/tickets?status=New", "/admin/invoices"):
        customer.open(path)
        expect(page).to_have_url(re.compile(re.escape(portal.url + path.split("?")[0]) + r"/?(\?.*)?$"))
        notice = page.get_by_role("status").filter(has=page.get_by_role("heading", name="This section is not available"))
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("only the portal's own staff")
        expect(page.get_by_text("Admin panel", exact=True)).to_have_count(0)  # nothing of the panel
        expect(page.get_by_role("navigation", name="Admin panel")).to_have_count(0)
        expect(page.get_by_role("table")).to_have_count(0)
        expect(customer.menu().get_by_role("link", name="Support tickets")).to_be_visible()  # the customer's own menu
    page.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_url(re.compile(re.escape(portal.url) + r"/?$"))
    customer.ready()
    expect(page.get_by_role("heading", name="This section is not available")).to_have_count(0)
    customer.open("/company")  # a page of the customer's own: the notice is gone with the next page
    expect(page.get_by_role("heading", name="This section is not available")).to_have_count(0)


def _fill_draft(page, title: str) -> None:
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description").fill(f"Draft of {title}: typed, then left for another page.")
    page.get_by_label("Category").select_option(label="Bug")
    page.get_by_label("Severity").select_option("2")
    page.get_by_label("Priority").select_option(label="High")


def _expect_empty_form(page) -> None:
    expect(page.get_by_label("Title", exact=True)).to_have_value("")
    expect(page.get_by_label("Description")).to_have_value("")
    expect(page.get_by_label("Category")).to_have_value("")
    expect(page.get_by_label("Priority")).to_have_value("normal")


def _open_form_from_menu(tab) -> None:
    page = tab.page
    tab.menu().get_by_role("link", name="Support tickets").click()
    expect(page).to_have_url(re.compile(r"/tickets/?$"))
    tab.ready()
    page.get_by_role("link", name="New ticket").click()
    expect(page.get_by_role("heading", name="New ticket")).to_be_visible()
    tab.ready()


def test_a_sent_draft_is_gone_even_when_the_ticket_is_left_at_once(new_tab, portal):
    tab = new_tab()
    page = tab.signed_in(make_user(portal, first="Hasty"))
    tab.open("/tickets/new")
    title = f"Sent in a hurry {uuid.uuid4().hex[:6]}"
    _fill_draft(page, title)
    # the moment the created ticket's address shows, the person is already off to a new form
    page.evaluate("""() => {
        const go = () => /^\\/tickets\\/\\d+\\/?$/.test(location.pathname)
            ? location.assign("/tickets/new") : requestAnimationFrame(go);
        requestAnimationFrame(go);
    }""")
    with page.expect_navigation(url=re.compile(r"/tickets/new/?$")):
        page.get_by_role("button", name="Submit").click()
    tab.ready()
    with portal.db() as session:
        assert session.exec(select(Ticket).where(Ticket.title == title)).one()
    _expect_empty_form(page)
    assert page.evaluate(DRAFT_KEYS) == 0
    page.get_by_label("Title", exact=True).fill("The next one")
    expect(page.get_by_label("Title", exact=True)).to_have_value("The next one")


def test_new_ticket_draft_comes_back_until_sent_and_stays_with_its_user(new_tab, portal):
    author, other = make_user(portal, first="Drafter"), make_user(portal, first="Neighbour")
    tab = new_tab()
    page = tab.signed_in(author)
    tab.open("/tickets/new")
    title = f"Label printer smudges {uuid.uuid4().hex[:6]}"
    _fill_draft(page, title)

    # away through the menu and back: everything typed and chosen is there again
    tab.menu().get_by_role("link", name="Home").click()
    expect(page).to_have_url(re.compile(re.escape(portal.url) + r"/?$"))
    tab.ready()
    _open_form_from_menu(tab)
    expect(page.get_by_label("Title", exact=True)).to_have_value(title)
    expect(page.get_by_label("Description")).to_have_value(re.compile(r"^Draft of "))
    expect(page.get_by_label("Category")).to_have_value("bug")
    expect(page.get_by_label("Severity")).to_have_value("2")
    expect(page.get_by_label("Priority")).to_have_value("high")
    # ... and after a reload too
    page.reload()
    tab.ready()
    expect(page.get_by_label("Title", exact=True)).to_have_value(title)
    expect(page.get_by_label("Severity")).to_have_value("2")

    # sent: the ticket has what was restored, and a fresh form is empty
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/tickets/\d+/?$"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    number = int(re.search(r"/tickets/(\d+)", page.url).group(1))
    with portal.db() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
        assert (ticket.title, ticket.category, ticket.severity, ticket.priority) == (title, "bug", 2, "high")
        assert ticket.description.startswith("Draft of ")
    assert page.evaluate(DRAFT_KEYS) == 0
    _open_form_from_menu(tab)
    _expect_empty_form(page)

    # a new draft, left behind; someone else signs in on this browser: they never see it
    tab.open("/tickets/new")
    _fill_draft(page, "Private draft of the first user")
    tab.menu().get_by_role("link", name="Home").click()
    tab.ready()
    assert page.evaluate(DRAFT_KEYS) == 1
    page.context.clear_cookies()  # the session ends without Sign out (a draft stays, under its owner)
    tab.signed_in(other)
    _open_form_from_menu(tab)
    _expect_empty_form(page)
    expect(page.get_by_text("Private draft of the first user")).to_have_count(0)

    # Sign out leaves no draft behind in the browser
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate(DRAFT_KEYS) == 0
