"""Staff's inbox filters: the company filter is a search box (type, pick a match), the checkbox
filters keep their state across navigation, and the list follows both."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_staff_filters_the_inbox_by_a_company_found_by_typing(tab):
    inbox = tab.signed_in("staff@example.com")
    tab.open("/admin/tickets")
    rows = inbox.get_by_role("row")
    expect(rows.filter(has_text="Globex GmbH").first).to_be_visible()  # both companies' tickets at first
    expect(rows.filter(has_text="Acme Oy").first).to_be_visible()

    inbox.get_by_role("combobox", name="Company").fill("glob")
    matches = inbox.get_by_role("list", name="Matching companies")
    matches.get_by_role("button", name="Globex GmbH").click()
    expect(inbox).to_have_url(re.compile(r"/admin/tickets\?company=\d+"))
    tab.ready()
    expect(rows.filter(has_text="Acme Oy")).to_have_count(0)
    expect(rows.filter(has_text="Globex GmbH").first).to_be_visible()
    expect(inbox.get_by_text("Globex GmbH", exact=True).first).to_be_visible()

    # a checkbox filter on top keeps the company; "Any company" lifts only the company filter
    inbox.get_by_role("checkbox", name="New").click()
    expect(inbox).to_have_url(re.compile(r"company=\d+.*status=New|status=New.*company=\d+"))
    tab.ready()
    expect(inbox.get_by_role("checkbox", name="New")).to_be_checked()
    inbox.get_by_role("button", name="Any company").click()
    expect(inbox).to_have_url(re.compile(r"/admin/tickets\?status=New$"))
    tab.ready()
    expect(inbox.get_by_role("checkbox", name="New")).to_be_checked()
    expect(inbox.get_by_role("combobox", name="Company")).to_have_value("")


def test_the_company_box_says_when_nothing_matches_and_closes_on_escape_or_leaving(tab):
    inbox = tab.signed_in("staff@example.com")
    tab.open("/admin/tickets")
    box = inbox.get_by_role("combobox", name="Company")
    matches = inbox.get_by_role("list", name="Matching companies")

    box.fill("no such company here")
    no_match = inbox.get_by_role("status").filter(has_text="No company matches")
    expect(no_match).to_be_visible()
    box.press("Escape")
    expect(no_match).to_have_count(0)
    expect(box).to_have_value("no such company here")  # what was typed stays

    box.fill("glob")
    expect(matches.get_by_role("button", name="Globex GmbH")).to_be_visible()
    inbox.get_by_role("heading", level=1).click()  # a click elsewhere on the page
    expect(matches).to_have_count(0)

    # the last search of quick typing, on its way when Escape closed the list, does not open it again
    box.fill("acm")
    box.press("Escape")
    inbox.wait_for_timeout(600)  # the typing's search is sent 250 ms after the last key
    expect(matches).to_have_count(0)
    expect(box).to_have_attribute("aria-expanded", "false")

    # with the keyboard: ArrowDown into the matches, Escape there closes them and goes back to the box
    box.fill("glo")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(matches.get_by_role("button", name="Globex GmbH")).to_be_focused()
    inbox.keyboard.press("Escape")
    expect(matches).to_have_count(0)
    expect(box).to_be_focused()

    # a match is still picked with a click (the press keeps the box's focus, so the list stays open),
    # and focus goes on to the company chosen's "Any company", then back to the box
    box.fill("glob")
    matches.get_by_role("button", name="Globex GmbH").click()
    expect(inbox).to_have_url(re.compile(r"/admin/tickets\?company=\d+"))
    any_company = inbox.get_by_role("button", name="Any company")
    expect(any_company).to_be_focused()
    any_company.press("Enter")
    expect(inbox.get_by_role("combobox", name="Company")).to_be_focused()

    # Enter in the box picks the first match
    box.fill("glob")
    expect(matches.get_by_role("button", name="Globex GmbH")).to_be_visible()
    box.press("Enter")
    expect(inbox).to_have_url(re.compile(r"/admin/tickets\?company=\d+"))
    expect(any_company).to_be_focused()
    tab.ready()
    expect(inbox.get_by_role("row").filter(has_text="Acme Oy")).to_have_count(0)

    # an address naming no company shows an empty list and says why, with the way out beside it
    tab.open("/admin/tickets?company=99999")
    expect(inbox.get_by_text("No such company", exact=True)).to_be_visible()
    inbox.get_by_role("button", name="Any company").click()
    expect(inbox).to_have_url(re.compile(r"/admin/tickets$"))
