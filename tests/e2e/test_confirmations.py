"""Destructive actions ask first: closing a ticket and removing a colleague's portal access run only
once the dialog's action button (named as the action) is clicked; Cancel changes nothing.
(Deactivating: test_company_admin.py.)"""

import uuid

from playwright.sync_api import expect

from .people import make_user
from .test_tickets import open_new_ticket


def test_closing_a_ticket_asks_first(tab, portal):
    page = tab.signed_in(make_user(portal, first="Closer"))
    number = open_new_ticket(tab, f"Close me {uuid.uuid4().hex[:6]}", category="Support", severity=None)
    page.get_by_role("button", name="Close ticket").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"Close ticket #{number}?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    tab.open(f"/tickets/{number}")  # as it is on the server: still open
    expect(page.get_by_text("New", exact=True).first).to_be_visible()
    page.get_by_role("button", name="Close ticket").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Close ticket").click()
    expect(page.get_by_role("status")).to_contain_text("Status changed to Closed")
    expect(page.get_by_role("button", name="Close ticket")).to_have_count(0)


def test_removing_portal_access_asks_first(tab, portal):
    page = tab.signed_in(make_user(portal, first="Boss", profile="Primary contact", admin=True))
    colleague = make_user(portal, first="Keeper")
    tab.open("/company")
    row = page.get_by_role("row").filter(has_text=colleague)
    row.get_by_role("button", name="Remove portal access").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Remove portal access from Keeper")
    dialog.get_by_role("button", name="Remove portal access").click()
    expect(page.get_by_role("status")).to_contain_text("Portal access removed")
    expect(row.get_by_role("button", name="Give portal access")).to_be_visible()


def test_a_comment_typed_before_closing_goes_with_the_close(tab, portal):
    """What the comment box holds when "Close ticket" is confirmed becomes the closing comment."""
    page = tab.signed_in(make_user(portal, first="Thanker"))
    number = open_new_ticket(tab, f"Solved soon {uuid.uuid4().hex[:6]}", category="Support", severity=None)
    words = f"Found it myself, thanks {uuid.uuid4().hex[:6]}"
    page.get_by_label("Comment").fill(words)
    page.get_by_role("button", name="Close ticket").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("what you have typed in the comment box, and the files waiting under it, are added")
    dialog.get_by_role("button", name="Close ticket").click()
    expect(page.get_by_role("status")).to_contain_text("Status changed to Closed")
    tab.open(f"/tickets/{number}")  # as it is on the server
    expect(page.get_by_text(words)).to_be_visible()
    expect(page.get_by_text("Closed", exact=True).first).to_be_visible()


def test_closing_through_the_comment_form_asks_first(tab, portal):
    page = tab.signed_in(make_user(portal, first="Formcloser"))
    number = open_new_ticket(tab, f"Close by comment {uuid.uuid4().hex[:6]}", category="Support", severity=None)
    page.get_by_label("Comment").fill("All good now, closing.")
    page.get_by_label("Change status to").click()
    page.get_by_label("New status").select_option(label="Closed")
    page.get_by_role("button", name="Add comment and close").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"Close ticket #{number}?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_label("Comment")).to_have_value("All good now, closing.")  # nothing sent, nothing lost
    page.get_by_role("button", name="Add comment and close").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Close ticket").click()
    expect(page.get_by_role("status")).to_contain_text("Status changed to Closed")
    tab.open(f"/tickets/{number}")
    expect(page.get_by_text("All good now, closing.")).to_be_visible()
