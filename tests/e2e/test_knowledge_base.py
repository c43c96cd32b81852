"""The knowledge base in the browser: staff writes an article (double-clicked "Create article" makes
one), a visitor finds it by search without signing in and reads it formatted (Markdown with a table
and a quote, no raw HTML, no script link), a customers-only article asks a visitor to sign in and opens for a customer, and
staff's delete asks first and takes the article away."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from .test_layout import PHONE, scroll_width


def test_staff_writes_an_article_that_a_visitor_finds_and_reads(new_tab, portal):
    word = f"zebra{uuid.uuid4().hex[:6]}"
    title = f"Cleaning the {word} printer"
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open("/admin/kb")
    page.get_by_role("link", name="New article").click()
    expect(page.get_by_role("heading", name="New article")).to_be_visible()
    staff.ready()
    page.get_by_role("button", name="Create article").click()  # empty: said next to each field, nothing made
    expect(page.get_by_role("alert").filter(has_text="This field is required.")).to_have_count(3)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Category").fill("Printing")
    page.get_by_label("Text").fill(f"## Before you start\n\nSwitch the **{word}** printer off.\n\n- Open the lid\n"
                                   "- Wipe the rollers\n\n<b>raw html</b>\n\n[bad link](javascript:alert(1))\n\n"
                                   "| Model | Roller |\n|---|---|\n| P-200 | R-2 |\n\n> Unplug it first.")
    page.get_by_label("Who can read it").select_option(label="Public: anyone")
    page.get_by_role("button", name="Create article").dblclick()
    expect(page).to_have_url(re.compile(r"/admin/kb/\d+$"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    staff.open(f"/admin/kb?q={word}")
    expect(page.get_by_role("row").filter(has_text=title)).to_have_count(1)  # one article for the double click
    page.get_by_label("Status").select_option(label="Draft")  # published: not among the drafts
    expect(page).to_have_url(re.compile(rf"/admin/kb\?status=draft&q={word}$"))
    expect(page.get_by_text("No articles match your search.")).to_be_visible()

    visitor = new_tab()
    reader = visitor.open("/kb")
    expect(reader.get_by_role("button", name="Sign out")).to_have_count(0)
    reader.get_by_label("Search articles").fill(word)
    reader.get_by_role("button", name="Search").click()
    expect(reader).to_have_url(re.compile(rf"/kb\?q={word}$"))
    reader.get_by_role("link", name=title).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(title)
    expect(reader.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(reader.locator(".kb-article strong")).to_have_text(word)
    expect(reader.locator(".kb-article li")).to_have_text(["Open the lid", "Wipe the rollers"])
    expect(reader.locator(".kb-article b")).to_have_count(0)  # raw HTML is not made into elements
    # a script link reaches the reader as its words, not as a link (an empty one only reloaded the page)
    expect(reader.locator(".kb-article").get_by_text("bad link")).to_be_visible()
    expect(reader.locator(".kb-article a", has_text="bad link")).to_have_count(0)
    # a table's cells apart and ruled, a quote set off (Radix's reset would leave them bare: "ModelRoller")
    cell = reader.locator(".kb-article td", has_text="P-200")
    expect(cell).to_have_css("padding-left", "8px")
    expect(cell).to_have_css("border-left-style", "solid")
    expect(reader.locator(".kb-article blockquote")).to_have_css("border-left-width", "3px")
    # the category badge leads to the category's list
    reader.get_by_role("link", name="Printing").click()
    expect(reader).to_have_url(re.compile(r"/kb\?category=Printing$"))
    expect(reader.get_by_role("link", name=title)).to_be_visible()

    # staff deletes it, after confirming; the reader's page then says it is not found
    staff.open(f"/admin/kb?q={word}")
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="Delete article").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Delete this article?")
    dialog.get_by_role("button", name="Delete article").click()
    expect(page).to_have_url(re.compile(r"/admin/kb$"))
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    reader.go_back()
    reader.reload()
    visitor.ready()
    expect(reader.get_by_role("heading", name="Article not found")).to_be_visible()


def test_a_customers_only_article_opens_after_signing_in(new_tab, portal):
    visitor = new_tab()
    page = visitor.open("/kb")
    expect(page.get_by_role("link", name="Resetting your password")).to_be_visible()
    expect(page.get_by_role("link", name="What the severity levels mean")).to_have_count(0)

    customer = new_tab()
    page = customer.signed_in("user@acme.example.com")
    customer.menu().get_by_role("link", name="Knowledge base").click()
    expect(page.get_by_role("heading", level=1, name="Knowledge base")).to_be_visible()
    page.get_by_role("link", name="What the severity levels mean").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What the severity levels mean")
    expect(page.locator(".kb-article")).to_contain_text("production stopped")
    address = page.url
    assert re.search(r"/kb/\d+$", address), address

    # the same address for a visitor: not found, and how to get in
    page = new_tab().open(address[len(portal.url):])
    expect(page.get_by_role("heading", name="Article not found")).to_be_visible()
    expect(page.get_by_text("production stopped", exact=False)).to_have_count(0)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_visitor_on_a_phone_chooses_finnish_and_gets_the_finnish_article(tab):
    tab.page.set_viewport_size(PHONE)
    page = tab.open("/kb")
    page.get_by_label("Language").select_option(label="Suomi")  # no menu to open: a visitor's bar keeps it
    expect(page.get_by_role("heading", level=1)).to_have_text("Tietopankki")
    expect(page.get_by_role("link", name="Näin teet tukipyynnön")).to_be_visible()
    expect(page.get_by_role("link", name="Kirjaudu sisään")).to_be_visible()
    assert scroll_width(page) <= PHONE["width"]
