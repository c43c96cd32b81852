"""A customer's home page and the ticket rules, end to end: "New ticket" from home with Normal as
the priority on the first visit; a reply to a ticket waiting for the customer hands it back to
support; the inbox's "Awaiting us" and a search by number find it; staff re-classifies it on the
ticket page, in the history."""

import re
import uuid

from playwright.sync_api import expect

from .people import make_user
from .test_tickets import open_new_ticket


def reclassify(page, category: str, severity: str, priority: str) -> None:
    """Staff's "Category, severity and priority" form on a ticket, saved."""
    page.get_by_label("Category").select_option(label=category)
    page.get_by_label("Severity").select_option(severity)
    page.get_by_label("Priority").select_option(label=priority)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Category, severity and priority saved.")


def test_home_new_ticket_reply_awaiting_us_and_reclassify(new_tab, portal):
    customer = new_tab()
    page = customer.signed_in(make_user(portal, first="Homer"))
    home = customer.open("/")
    expect(home.get_by_role("heading", name="Awaiting your reply")).to_be_visible()
    expect(home.get_by_text("Nothing is waiting for your reply.")).to_be_visible()
    expect(home.get_by_text("You have no open tickets.")).to_be_visible()
    home.get_by_role("link", name="New ticket").click()
    expect(page.get_by_role("heading", name="New ticket")).to_be_visible()
    customer.ready()
    expect(page.get_by_label("Priority")).to_have_value("normal")  # the first visit of this tab too
    title = f"Scanner offline {uuid.uuid4().hex[:6]}"
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description").fill("The scanner by the door shows no network.")
    page.get_by_label("Category").select_option(label="Support")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/tickets/\d+/?$"))
    number = int(re.search(r"/tickets/(\d+)", page.url).group(1))
    expect(page.get_by_text("Normal", exact=True)).to_be_visible()

    staff = new_tab()
    inbox = staff.signed_in("staff@example.com")
    staff.open(f"/admin/tickets/{number}")
    inbox.get_by_label("Comment").fill("Which model is it?")
    inbox.get_by_label("Change status to").click()
    inbox.get_by_label("New status").select_option(label="Waiting for customer")
    inbox.get_by_role("button", name="Add comment").click()
    expect(inbox.get_by_role("status")).to_contain_text("Status changed to Waiting for customer")

    customer.open("/")
    awaiting = page.get_by_role("list", name="Awaiting your reply")
    expect(awaiting.get_by_role("link", name=re.compile(title))).to_be_visible()
    awaiting.get_by_role("link", name=re.compile(title)).click()
    page.wait_for_url(re.compile(rf"/tickets/{number}/?$"))
    customer.ready()
    page.get_by_label("Comment").fill("A Canon DR-C225.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("article").first).to_contain_text("A Canon DR-C225.")
    expect(page.get_by_text("Waiting for support").first).to_be_visible()  # handed back to support

    staff.open("/admin/tickets")
    inbox.get_by_role("link", name="Awaiting us").click()
    inbox.wait_for_url(re.compile(r"status=New%2CWaiting"))
    staff.ready()
    inbox.get_by_label("Search tickets").fill(f"#{number}")
    inbox.get_by_role("button", name="Search").click()
    table = inbox.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(2)  # header + that ticket
    expect(table).to_contain_text(title)

    staff.open(f"/admin/tickets/{number}")
    reclassify(inbox, "Bug", "2", "Urgent")
    expect(inbox.get_by_text("Priority: Normal → Urgent")).to_be_visible()
    expect(inbox.get_by_text("Severity: Severity 10 - Not in SLA → Severity 2 - Major")).to_be_visible()
    # the customer's open page follows
    expect(page.get_by_text("Severity 2 - Major").first).to_be_visible(timeout=8000)


def test_a_second_staff_tab_shows_anothers_reclassification_and_cannot_undo_it(new_tab, portal):
    """Tab B's menus follow tab A's saved change (a live update): saving B unchanged undoes nothing."""
    email = make_user(portal, first="Twotabs")
    customer = new_tab()
    customer.signed_in(email)
    number = open_new_ticket(customer, f"Two staff tabs {uuid.uuid4().hex[:6]}", category="Support", severity=None,
                             priority="Normal")
    tab_a, tab_b = new_tab(), new_tab()
    a, b = tab_a.signed_in("staff@example.com"), tab_b.signed_in("staff@example.com")
    tab_a.open(f"/admin/tickets/{number}")
    tab_b.open(f"/admin/tickets/{number}")
    reclassify(a, "Bug", "1", "Urgent")
    expect(b.get_by_label("Priority")).to_have_value("urgent", timeout=10_000)  # live, without a reload
    expect(b.get_by_label("Category")).to_have_value("bug")
    b.get_by_role("button", name="Save changes").click()
    expect(b.get_by_role("status")).to_contain_text("Category, severity and priority saved.")
    assert fields_of(portal, number) == ("bug", 1, "urgent")
    # B picks a severity and does not save yet; A changes only the priority: B's priority follows and
    # the page says so, B's severity choice stays, and B's save keeps both changes
    b.get_by_label("Severity").select_option("3")
    reclassify(a, "Bug", "1", "High")
    expect(b.get_by_label("Priority")).to_have_value("high", timeout=10_000)
    expect(b.get_by_role("status")).to_contain_text("Just changed elsewhere: Priority: High.")
    expect(b.get_by_label("Severity")).to_have_value("3")
    b.get_by_role("button", name="Save changes").click()
    expect(b.get_by_role("status")).to_contain_text("Category, severity and priority saved.")
    assert fields_of(portal, number) == ("bug", 3, "high")


def fields_of(portal, number: int) -> tuple[str, int, str]:
    with portal.db() as session:
        from sqlmodel import select
        from portal_app.models import Ticket
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
        return ticket.category, ticket.severity, ticket.priority
