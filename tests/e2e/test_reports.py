"""Reports in the browser: staff makes a report for Acme (an empty form is refused next to its fields,
a double-clicked "Create report" makes one), an Acme contact finds it under Reports and opens it: the
chart and a table with Acme's own numbers per month, also on a phone without sideways scroll; a Globex
contact neither sees nor opens it; staff's preview shows Acme's numbers, then Globex's, and saving
the form after that keeps the report Acme's alone; staff's delete asks first and takes it away."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from babel.dates import format_date
from playwright.sync_api import expect
from sqlmodel import select

from portal_app import local_time
from portal_app.models import Company, Ticket

from .test_layout import PHONE, scroll_width

CATEGORIES = ("support", "bug", "work_order")


def tickets_by_month(portal, months: int, company: str = "Acme Oy") -> list[tuple[str, list[str]]]:
    """(month label, counts per category) of a company's tickets over the last `months` months, counted
    here from the rows themselves (not by the report's code)."""
    now = local_time.today()  # the report counts by the portal's calendar, as people read it
    index = now.year * 12 + now.month - 1
    window = [(i // 12, i % 12 + 1) for i in range(index - months + 1, index + 1)]
    counts = {ym: dict.fromkeys(CATEGORIES, 0) for ym in window}
    with portal.db() as session:
        company_id = session.exec(select(Company.id).where(Company.name == company)).one()
        for created, category in session.exec(select(Ticket.created_at, Ticket.category)
                                              .where(Ticket.company_id == company_id)).all():
            day = local_time.local_day(created)
            if (day.year, day.month) in counts:
                counts[(day.year, day.month)][category] += 1
    return [(format_date(datetime(y, m, 1), "LLL yyyy", locale="en"), [str(counts[(y, m)][c]) for c in CATEGORIES])
            for y, m in window]


def test_staff_shares_a_report_with_acme_whose_contact_reads_its_numbers(new_tab, portal):
    title = f"Acme tickets {uuid.uuid4().hex[:6]}"
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open("/admin/reports")
    page.get_by_role("link", name="New report").click()
    expect(page.get_by_role("heading", name="New report")).to_be_visible()
    staff.ready()
    page.get_by_role("button", name="Create report").click()  # empty: said next to each field, nothing made
    expect(page.get_by_role("alert").filter(has_text="This field is required.")).to_have_count(2)  # title, kind
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Shows").select_option(label="Tickets by category per month")
    page.get_by_label("Months").fill("3")
    page.get_by_label("Shared with").fill("Acme")
    page.get_by_role("button", name="Acme Oy").click()
    expect(page.get_by_text("Shared with this company only.")).to_be_visible()
    page.get_by_label("Published (customers see it)").check()
    page.get_by_role("button", name="Create report").dblclick()
    expect(page).to_have_url(re.compile(r"/admin/reports/\d+$"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    staff.open("/admin/reports")
    expect(page.get_by_role("row").filter(has_text=title)).to_have_count(1)  # one report for the double click
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text("Acme Oy")

    expected = tickets_by_month(portal, 3)
    customer = new_tab()
    reader = customer.signed_in("user@acme.example.com")
    customer.menu().get_by_role("link", name="Reports").click()
    expect(reader.get_by_role("heading", level=1, name="Reports")).to_be_visible()
    reader.get_by_role("link", name=title).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(title)
    expect(reader.locator("#report-chart .recharts-wrapper > svg")).to_be_visible()
    expect(reader.locator("#report-chart .recharts-bar-rectangle").first).to_be_attached()
    table = reader.get_by_role("table", name=title)
    expect(table.get_by_role("columnheader")).to_have_text(["Month", "Support", "Bug", "Work Order"])
    # the chart's legend names the bars in the table's order (Recharts' own order is by name)
    expect(reader.locator("#report-chart .recharts-legend-item-text")).to_have_text(["Support", "Bug", "Work Order"])
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    for n, (month, cells) in enumerate(expected):
        expect(rows.nth(n).get_by_role("rowheader")).to_have_text(month)
        expect(rows.nth(n).locator("td")).to_have_text(cells)
    address = reader.url[len(portal.url):]
    reader.set_viewport_size(PHONE)  # a phone: the chart narrows, nothing scrolls sideways
    customer.open(address)
    expect(reader.locator("#report-chart .recharts-wrapper > svg")).to_be_visible()
    assert scroll_width(reader) <= PHONE["width"]

    # another company's contact: not in its list, and its address answers like a missing one
    other = new_tab()
    page_other = other.signed_in("admin@globex.example.com")
    other.open("/reports")
    expect(page_other.get_by_role("heading", level=1, name="Reports")).to_be_visible()
    expect(page_other.get_by_role("link", name=title)).to_have_count(0)
    other.open(address)
    expect(page_other.get_by_role("heading", name="Report not found")).to_be_visible()
    expect(page_other.get_by_role("table")).to_have_count(0)

    # staff's preview: Acme's numbers at once; Globex's looked at, and the report is still Acme's alone
    page.get_by_role("link", name=title).click()
    preview = page.get_by_role("table", name="Preview")
    for company, numbers in (("Acme Oy", expected), ("Globex GmbH", tickets_by_month(portal, 3, "Globex GmbH"))):
        if company != "Acme Oy":
            page.get_by_role("button", name="Choose another company").click()
            page.get_by_label("Company", exact=True).fill("Globex")
            page.get_by_role("button", name=company).click()
        expect(preview.locator("tbody tr")).to_have_count(3)
        for n, (month, cells) in enumerate(numbers):
            expect(preview.locator("tbody tr").nth(n).get_by_role("rowheader")).to_have_text(month)
            expect(preview.locator("tbody tr").nth(n).locator("td")).to_have_text(cells)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Report saved.")).to_be_visible()
    staff.open("/admin/reports")
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text("Acme Oy")

    # staff deletes it, after confirming; the reader's page then says it is not found
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="Delete report").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Delete this report?")
    dialog.get_by_role("button", name="Delete report").click()
    expect(page).to_have_url(re.compile(r"/admin/reports$"))
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    customer.open(address)
    expect(reader.get_by_role("heading", name="Report not found")).to_be_visible()
