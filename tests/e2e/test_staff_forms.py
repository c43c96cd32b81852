"""Staff's long forms in the browser: an event made with no deadline of its own closes at its
start, also after staff moves it, and its edit form shows the deadline empty; its Finnish title is
what a Finnish contact reads; "Saved." is brought
into view beside a form pressed at its bottom; removing an external link in the settings keeps
what was typed, unsaved, in the rest of the form; leaving a changed form asks first."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect
from sqlmodel import select

from portal_app.models import Account, Company, Event
from portal_app.services.companies import directory
from portal_app.services.actor import build_actor

from .people import make_user

STAFF = "staff@example.com"


def test_an_event_without_a_deadline_closes_at_its_start_after_it_moves(tab, new_tab, portal):
    page = tab.signed_in(STAFF)
    tab.open("/admin/events")
    title = f"Moving day {uuid.uuid4().hex[:6]}"
    finnish_title = f"Muuttopäivä {title[-6:]}"
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_text("In other languages").click()
    page.get_by_label("Title (Suomi)").fill(finnish_title)
    page.get_by_label("Starts").fill("2031-03-12T09:00")
    page.get_by_label("Ends").fill("2031-03-12T12:00")
    page.get_by_label("Capacity").fill("20")
    page.get_by_role("button", name="Create event").click()
    expect(page).to_have_url(re.compile(r"/admin/events/moving-day-"))
    tab.ready()
    expect(page.get_by_role("heading", name=title)).to_be_visible()

    deadline = page.get_by_label(re.compile("^Registration deadline"))
    expect(deadline).to_have_value("")  # no deadline of its own: the start
    page.get_by_label("Starts").fill("2031-04-20T10:00")
    page.get_by_label("Ends").fill("2031-04-20T12:00")
    page.get_by_role("button", name="Save event").click()
    saved = page.get_by_role("status").filter(has_text="Saved.")
    expect(saved).to_be_in_viewport()  # the message at the form's top comes into view
    expect(page.get_by_label("Starts")).to_have_value("2031-04-20T10:00")
    expect(deadline).to_have_value("")
    with portal.db() as session:
        event = session.exec(select(Event).where(Event.title == title)).one()
        assert event.registration_deadline == event.starts_at and event.starts_at.day == 20

    # clearing a deadline of its own is allowed (back to the start), and the end before the start
    # is said once, at the end
    deadline.fill("2031-04-18T16:00")
    page.get_by_role("button", name="Save event").click()
    expect(saved).to_be_in_viewport()
    deadline.fill("")
    page.get_by_label("Ends").fill("2031-04-20T09:00")
    page.get_by_role("button", name="Save event").click()
    expect(page.locator("#ends_at-error")).to_have_text("The end must be after the start.")
    expect(page.locator("#registration_deadline-error")).to_have_count(0)
    expect(page.get_by_label("Ends")).to_be_focused()  # the field said wrong, marked and with the focus
    expect(page.get_by_label("Ends")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Ends").fill("2031-04-20T12:00")
    page.get_by_role("button", name="Save event").click()
    expect(saved).to_be_in_viewport()
    expect(deadline).to_have_value("")
    with portal.db() as session:
        event = session.exec(select(Event).where(Event.title == title)).one()
        assert event.deadline_is_start and event.registration_deadline == event.starts_at
    expect(page.get_by_label("Title (Suomi)")).to_have_value(finnish_title)  # kept through the saves

    # a Finnish contact reads the title staff wrote in Finnish
    finnish = new_tab()
    reader = finnish.signed_in(make_user(portal, first="Eino", language="fi"))
    finnish.open(page.url[len(portal.url):].replace("/admin/events/", "/events/"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(finnish_title)
    expect(reader.get_by_text(title)).to_have_count(0)


def test_removing_a_link_keeps_what_was_typed_in_the_settings(tab):
    page = tab.signed_in(STAFF)
    tab.open("/admin/settings")
    name = page.get_by_label("Portal name")
    saved_name = name.input_value()
    name.fill("Typed, not saved")
    titles = page.get_by_role("textbox", name="Link title")
    first_title = titles.first.input_value()
    count = titles.count()
    page.get_by_role("button", name="Add link").click()
    expect(titles).to_have_count(count + 1)
    titles.last.fill("Typed link")
    page.get_by_role("textbox", name="Link URL").last.fill("https://typed.example.com")

    page.get_by_role("button", name="Remove link").first.click()
    expect(titles).to_have_count(count)
    expect(name).to_have_value("Typed, not saved")
    expect(titles.last).to_have_value("Typed link")
    expect(page.get_by_role("textbox", name="Link URL").last).to_have_value("https://typed.example.com")
    if count > 1:
        expect(titles.first).not_to_have_value(first_title)
    tab.open("/admin/settings")  # nothing was saved
    expect(page.get_by_label("Portal name")).to_have_value(saved_name)


def test_a_new_company_says_how_to_add_its_first_contact_and_no_company_says_so(tab, portal):
    with portal.db() as session:
        staff = build_actor(session, session.exec(select(Account).where(Account.email == STAFF)).one())
        company = directory.create_company(session=session, actor=staff, data={
            "name": f"Empty Oy {uuid.uuid4().hex[:6]}", "business_id": "", "city": "Oulu"})
        company_id = company.id
    page = tab.signed_in(STAFF)
    tab.open(f"/admin/company?id={company_id}")
    expect(page.get_by_text("No contacts yet. Add the first one with “Add contact”")).to_be_visible()
    tab.open("/admin/company?id=abc")
    expect(page.get_by_role("heading", name="Company not found")).to_be_visible()
    expect(page.get_by_role("button", name="Add contact")).to_have_count(0)  # no empty cards drawn


def test_leaving_a_changed_form_by_a_link_asks_first_and_a_saved_one_does_not(tab, portal):
    with portal.db() as session:
        company_id = session.exec(select(Company.id).where(Company.name == "Acme Oy")).one()
    page = tab.signed_in(STAFF)
    tab.open(f"/admin/company?id={company_id}")
    street = page.get_by_label("Street address")
    street.fill("Leaving street 1")
    tab.leave_unsaved = False  # "Stay"
    page.get_by_role("link", name="Companies", exact=True).first.click()
    assert tab.dialogs == ["confirm: You have changes that are not saved. Leave this page and lose them?"]
    expect(page).to_have_url(re.compile(rf"/admin/company\?id={company_id}$"))
    expect(street).to_have_value("Leaving street 1")  # nothing lost

    street.fill(street.input_value().replace("Leaving street 1", "Saved street 2"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    page.get_by_role("link", name="Companies", exact=True).first.click()  # saved: nothing to ask
    expect(page).to_have_url(re.compile(r"/admin/companies"))
    assert len(tab.dialogs) == 1


def test_the_event_form_says_every_problem_in_the_portals_words_and_keeps_a_date_typed_in_part(tab):
    page = tab.signed_in(STAFF)
    tab.open("/admin/events")
    page.get_by_label("Online link").fill("not a url")
    page.get_by_label("Capacity").fill("2.5")
    page.get_by_role("button", name="Create event").click()
    # the server's messages, all at once and beside their fields (not the browser's bubble about one)
    expect(page.locator("#online_url-error")).to_have_text("Enter a full web address, like https://example.com.")
    expect(page.locator("#capacity-error")).to_contain_text("Enter a whole number from 1 to")
    expect(page.locator("#title-error")).to_have_text("This field is required.")
    # a deadline typed in part cannot be sent as "no deadline": the form stops at it
    deadline = page.get_by_label(re.compile("^Registration deadline"))
    deadline.click()
    page.keyboard.type("03")
    assert deadline.evaluate("el => el.validity.badInput")
    page.get_by_label("Online link").fill("https://meet.example.com/x")
    page.get_by_role("button", name="Create event").click()
    expect(page.locator("#online_url-error")).to_have_text("Enter a full web address, like https://example.com.")
    assert page.evaluate("document.activeElement && document.activeElement.name") == "registration_deadline"
