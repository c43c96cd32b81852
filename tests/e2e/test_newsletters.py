"""Newsletters in the browser: a contact stops the marketing mail in the portal (a double click stops
it once) and starts it again; staff makes a landing link for an address, whose reader stops the list
without signing in; staff adds a list type (a taken name is said next to the field), gives it a
Finnish name that a Finnish contact reads, and deletes it, asked first."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from .people import make_user


def test_a_contact_stops_and_restarts_the_marketing_mail(tab, portal):
    email = make_user(portal, first="Nelli")
    page = tab.signed_in(email)
    tab.menu().get_by_role("link", name="Newsletters").click()
    expect(page.get_by_role("heading", level=1, name="Newsletters")).to_be_visible()
    expect(page.get_by_text(f"Choose which of our mailings you receive at {email}.")).to_be_visible()
    marketing = page.get_by_role("region", name="Marketing and offers")
    expect(marketing.get_by_text("You receive these emails.")).to_be_visible()
    marketing.get_by_role("button", name="Stop these emails").dblclick()
    expect(marketing.get_by_text("You do not receive these emails.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Stopped: Marketing and offers.")).to_be_visible()
    # the other list is untouched, and the choice stays after a reload
    expect(page.get_by_role("region", name="Critical notices").get_by_text("You receive these emails.")).to_be_visible()
    page.reload()
    tab.ready()
    marketing = page.get_by_role("region", name="Marketing and offers")
    expect(marketing.get_by_text("You do not receive these emails.")).to_be_visible()
    marketing.get_by_role("button", name="Receive these emails again").click()
    expect(marketing.get_by_text("You receive these emails.")).to_be_visible()


def test_a_landing_link_stops_the_list_without_signing_in(new_tab, portal):
    address = f"reader.{uuid.uuid4().hex[:6]}@example.org"
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open("/admin/newsletters")
    page.get_by_role("link", name="Critical notices").click()
    expect(page.get_by_role("heading", name="Critical notices")).to_be_visible()
    staff.ready()
    page.get_by_label("Email", exact=True).fill("not an address")
    page.get_by_role("button", name="Make link").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    page.get_by_label("Email", exact=True).fill(address)
    page.get_by_role("button", name="Make link").click()
    link = page.locator("#landing-link")
    expect(link).to_contain_text("/newsletters/")
    path = "/newsletters/" + link.inner_text().rsplit("/newsletters/", 1)[1]

    reader = new_tab()
    landing = reader.open(path)
    expect(landing.get_by_role("heading", name="Critical notices")).to_be_visible()
    expect(landing.get_by_text(re.compile(r"^For r\*\*\*@example\.org$"))).to_be_visible()
    landing.get_by_role("button", name="Stop these emails").click()
    expect(landing.get_by_text("You do not receive these emails.")).to_be_visible()
    landing.reload()
    reader.ready()
    expect(landing.get_by_text("You do not receive these emails.")).to_be_visible()
    # staff sees the address among those that stopped the list, then the reader starts it again
    staff.open(page.url[len(portal.url):])
    expect(page.get_by_text(re.compile(re.escape(address) + " · on the landing page"))).to_be_visible()
    landing.get_by_role("button", name="Receive these emails again").click()
    expect(landing.get_by_text("You receive these emails.")).to_be_visible()
    # a link with a changed letter is refused
    broken = new_tab().open(path[:-1] + ("A" if path[-1] != "A" else "B"))
    expect(broken.get_by_role("alert").filter(has_text="This link is not valid.")).to_be_visible()
    expect(broken.get_by_role("button", name="Stop these emails")).to_have_count(0)


def test_staff_adds_and_deletes_a_list_type(tab, new_tab, portal):
    name = f"Webinars {uuid.uuid4().hex[:6]}"
    page = tab.signed_in("staff@example.com")
    tab.open("/admin/newsletters")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Add list type"))
    form.get_by_label("Name", exact=True).fill("Critical notices")
    page.get_by_role("button", name="Add list type").click()
    expect(page.get_by_text("A list type of this name exists already.")).to_be_visible()
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Description", exact=True).fill("Invitations to our webinars.")
    page.get_by_role("button", name="Add list type").click()
    expect(page.get_by_role("status").filter(has_text="List type added.")).to_be_visible()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    tab.ready()
    # its name in Finnish, which a Finnish contact then reads (a too long one is said at its field first)
    page.get_by_text("In other languages").click()
    page.get_by_label("Name (Suomi)").fill("Webinaarit " + name[-6:])
    page.get_by_label("Description (Suomi)").fill("Kutsut webinaareihimme.")
    page.get_by_label("Name (Deutsch)").evaluate("(el, text) => { el.removeAttribute('maxlength'); el.value = text; }",
                                                  "W" * 101)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Use at most 100 characters.")).to_be_visible()
    page.get_by_label("Name (Deutsch)").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="List type saved.")).to_be_visible()
    finnish = new_tab()
    reader = finnish.signed_in(make_user(portal, first="Aino", language="fi"))
    finnish.open("/newsletters")
    region = reader.get_by_role("region", name="Webinaarit " + name[-6:])
    expect(region).to_contain_text("Kutsut webinaareihimme.")
    page.get_by_role("button", name="Delete list type").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Delete this list type?")
    dialog.get_by_role("button", name="Delete list type").click()
    expect(page).to_have_url(re.compile(r"/admin/newsletters$"))
    expect(page.get_by_role("link", name=name)).to_have_count(0)
