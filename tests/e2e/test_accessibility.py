"""axe-core on every page of the suite, for every role, on a desktop and on a phone: zero critical
and serious violations (labels on every control, names of buttons, contrast, ARIA...).

axe-core (`.tools/node_modules/axe-core`, installed by `make test`) is run in the page through
Playwright's `evaluate` (DevTools, not a script element: the pages' CSP stays as it is)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portal_app.models import Company

from .conftest import PortalPage
from .people import make_user
from .test_tickets import open_new_ticket

AXE = Path(__file__).resolve().parents[2] / ".tools/node_modules/axe-core/axe.min.js"
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.html.slice(0, 200)).join(" | ")}`)"""

# "{ticket}": a ticket of Acme opened for this module; "{acme}": Acme's company id
PAGES = {
    None: ["/login", "/forgot-password", "/reset-password?token=x", "/no-such-page", "/register/portal-training",
           "/register/roadmap-2027", "/events/cancel/x", "/kb", "/kb/1", "/kb?q=nothing-matches",
           "/newsletters/1.abcd." + "x" * 43],
    "user@acme.example.com": ["/", "/tickets", "/tickets/new", "/tickets/{ticket}", "/me", "/company", "/events",
                              "/events/portal-training", "/kb", "/kb/2", "/newsletters", "/reports", "/reports/1",
                              "/reports/999999", "/documents", "/documents?q=nothing-matches"],
    "admin@acme.example.com": ["/company", "/tickets", "/tickets/{ticket}", "/events", "/events/security-webinar",
                               "/invoices", "/invoices/1003", "/catalog", "/catalog/PRN-100", "/cart", "/quotes",
                               "/quotes/1001", "/orders", "/orders/1001", "/opportunities",
                               "/reports/3"],  # the invoicing report: for who sees the invoices
    "partner@partner.example.com": ["/", "/tickets", "/me"],
    "staff@example.com": ["/admin", "/admin/tickets", "/admin/tickets/{ticket}", "/admin/companies",
                          "/admin/company?id={acme}", "/admin/profiles", "/admin/settings", "/admin/mail", "/me",
                          "/admin/events", "/admin/events/customer-day-past", "/admin/invoices", "/admin/invoices/new",
                          "/admin/invoices/1002", "/admin/kb", "/admin/kb/new", "/admin/kb/1",
                          "/admin/newsletters", "/admin/newsletters/1", "/admin/reports", "/admin/reports/new",
                          "/admin/reports/1", "/admin/documents", "/admin/documents/new", "/admin/documents/1"],
}


@pytest.fixture(scope="module")
def arranged(browser, portal) -> dict[str, str]:
    """An Acme ticket (with a comment form and a file) to look at, and Acme's company id."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = PortalPage(context.new_page(), portal.url)
        tab.signed_in("user@acme.example.com")
        number = open_new_ticket(tab, f"Accessible printer {uuid.uuid4().hex[:6]}",
                                 files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"notes"}])
    finally:
        context.close()
    with portal.db() as session:
        acme = session.exec(select(Company.id).where(Company.name == "Acme Oy")).one()
    return {"ticket": str(number), "acme": str(acme)}


def violations(page) -> list[str]:
    # dialogs and popovers fade in: colours are judged once nothing is animating
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("who", list(PAGES), ids=lambda w: w or "visitor")
def test_no_serious_accessibility_violation_on_any_page(new_tab, arranged, who, width):
    tab = new_tab()
    tab.page.set_viewport_size({"width": width, "height": 900})
    if who:
        tab.signed_in(who)
    found: dict[str, list[str]] = {}
    for path in PAGES[who]:
        tab.open(path.format(**arranged))
        if problems := violations(tab.page):
            found[path] = problems
    if who and width == 375:  # the menu opened on a phone
        tab.page.get_by_role("button", name="Menu").click()
        expect(tab.menu()).to_be_visible()
        if problems := violations(tab.page):
            found["menu"] = problems
    assert found == {}


def test_no_serious_accessibility_violation_in_dialogs(new_tab, portal):
    tab = new_tab()
    page = tab.signed_in(make_user(portal, first="Dialog", profile="Primary contact", admin=True))
    tab.open("/company")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("button", name="Deactivate").first.click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel").click()
    tab.open("/tickets")
    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_role("button", name="Filters", exact=True).click()
    expect(page.get_by_role("group", name=re.compile("Category"))).to_be_visible()
    assert violations(page) == []
