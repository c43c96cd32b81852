"""Where the keyboard's focus goes, as a keyboard or screen-reader user meets it: a refused form takes it
to the field named, a dialog gives it back to what opened it, a box drawn anew keeps it, a select
that saves at once does not act on every arrow key passed on the way."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from portal_app.models import Ticket

from .people import make_ticket, make_user

STAFF = "staff@example.com"


def test_a_contact_dialog_names_its_refused_field_and_gives_focus_back_when_closed(new_tab, portal):
    admin = new_tab()
    page = admin.signed_in(make_user(portal, first="Keys", profile="Primary contact", admin=True))
    admin.open("/company")
    opener = page.get_by_role("button", name="Add contact")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")  # nothing filled in
    first = dialog.get_by_label("First name")
    expect(first).to_be_focused()
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(first).to_have_accessible_description("This field is required.")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()  # not the page's body: the place in the page is kept


def test_sign_in_sent_empty_takes_focus_to_the_email(new_tab, portal):
    email = make_user(portal, first="Typo")
    tab = new_tab()
    page = tab.open("/login")
    page.get_by_role("button", name="Sign in").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"error=required"))
    tab.ready()
    expect(page.get_by_label("Email")).to_be_focused()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    # then a wrong password: the email is kept and the password has the focus, whatever the last try said
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not-the-password-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"error=failed"))  # the answer's page, not the last one's
    tab.ready()
    expect(page.get_by_role("alert").filter(has_text="Sign-in failed")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_focused()
    expect(page.get_by_label("Email")).to_have_value(email)


def test_the_ticket_search_box_keeps_the_focus_after_a_search(new_tab):
    tab = new_tab()
    page = tab.signed_in("user@acme.example.com")
    tab.open("/tickets")
    box = page.get_by_label("Search tickets")
    box.fill("printer")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"q=printer"))
    tab.ready()
    expect(page.get_by_label("Search tickets")).to_be_focused()
    expect(page.get_by_label("Search tickets")).to_have_value("printer")


def test_arrow_keys_on_the_assignee_choice_assign_nobody(new_tab, portal):
    ticket = make_ticket(portal, "user@acme.example.com", "Arrow keys pass the assignee choice")
    staff = new_tab()
    page = staff.signed_in(STAFF)
    staff.open(f"/admin/tickets/{ticket.number}")
    choice = page.get_by_label("Assignee", exact=True)
    expect(page.get_by_label("Language")).to_have_count(1)  # each select keeps its own name
    choice.focus()
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # opens the list (where the browser has one), changes nothing
    time.sleep(1.5)  # long enough for an assignment's round trip to have saved
    with portal.db() as session:
        assert session.get(Ticket, ticket.id).assignee_id is None
    expect(page.get_by_text("Ticket assigned.")).to_have_count(0)
