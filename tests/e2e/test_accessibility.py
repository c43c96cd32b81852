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
                          "/admin/reports/1", "/admin/documents", "/admin/documents/new", "/admin/documents/1",
                          "/admin/products", "/admin/products/PRN-100", "/admin/price-books", "/admin/price-books/1",
                          "/admin/quotes", "/admin/quotes/1001", "/admin/orders", "/admin/orders/1001",
                          "/admin/opportunities", "/admin/opportunities/1"],
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


# the levels of the headings shown, in order
OUTLINE = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .filter((h) => h.getClientRects().length > 0).map((h) => Number(h.tagName[1]))"""


def outline_problem(page) -> str:
    """One h1 that names the page, and no level skipped on the way down (an h3 straight under the h1)."""
    levels = page.evaluate(OUTLINE)
    if levels.count(1) != 1 or levels[0] != 1:
        return f"h1s: {levels}"
    skipped = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    return f"skipped: {skipped} in {levels}" if skipped else ""


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
        if width == 1280 and (problem := outline_problem(tab.page)):
            found[f"{path} headings"] = [problem]
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
    # its title a heading under the page's h1 (Company), not a second h1
    expect(page.get_by_role("dialog").get_by_role("heading", level=2)).to_have_text("New contact")
    expect(page.locator("h1")).to_have_text("Company")  # the page's own, the one h1 (hidden from the tree while modal)
    assert violations(page) == []
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("button", name="Deactivate").first.click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    expect(page.get_by_role("alertdialog").get_by_role("heading", level=2)).to_be_visible()
    assert violations(page) == []
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel").click()
    tab.open("/tickets")
    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_role("button", name="Filters", exact=True).click()
    expect(page.get_by_role("group", name=re.compile("Category"))).to_be_visible()
    assert violations(page) == []


# axe leaves text in a translucent colour (Radix's soft badges and buttons: step 11 with alpha, on step 3
# with alpha) to a person to judge. This blends each text's colour over the backgrounds under it, as the
# screen shows it, and lists what reads below WCAG AA (4.5:1; 3:1 for large text); disabled controls
# are left out, as WCAG leaves them.
LOW_CONTRAST = r"""() => {
  const rgba = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
  const lum = (c) => c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]); };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    if (el.closest(":disabled, [data-disabled], [aria-hidden=true]") || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    const bg = background(el), fg = over(rgba(style.color), bg);
    const [a, b] = [lum(fg), lum(bg)], ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), large = size >= 24 || (+style.fontWeight >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) low.push(`${ratio.toFixed(2)}:1 "${el.textContent.trim().slice(0, 40)}" ${el.className}`);
  }
  return low; }"""

CONTRAST_PAGES = {  # pages with soft badges and buttons of each colour, grey dates and hints
    "admin@acme.example.com": ["/", "/company", "/invoices", "/quotes", "/quotes/1001", "/quotes/1002", "/orders",
                               "/orders/1001", "/opportunities", "/events", "/newsletters", "/documents", "/me",
                               "/reports/3"],  # a green "Accept quote", the chart's legend
    "staff@example.com": ["/admin", "/admin/invoices", "/admin/quotes", "/admin/orders", "/admin/profiles",
                          "/admin/settings", "/admin/kb", "/admin/reports"],
}


@pytest.mark.parametrize("who", list(CONTRAST_PAGES))
def test_every_text_reads_at_wcag_aa_contrast(new_tab, who):
    tab = new_tab()
    tab.signed_in(who)
    found: dict[str, list[str]] = {}
    for path in CONTRAST_PAGES[who]:
        tab.open(path)
        tab.page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
        if low := tab.page.evaluate(LOW_CONTRAST):
            found[path] = low
    assert found == {}


def test_a_screen_reader_hears_the_title_of_a_page_reached_within_the_app(new_tab):
    tab = new_tab()
    page = tab.signed_in("admin@acme.example.com")
    announcer = page.locator("#route-announcer")
    tab.open("/quotes")
    expect(announcer).to_have_text("")  # there, and silent: a loaded document is read by the screen reader itself
    page.get_by_role("link", name="1001", exact=True).click()
    expect(announcer).to_have_text("Quote 1001")  # the page's title, naming what it shows
    expect(announcer).to_have_attribute("aria-live", "assertive")
    page.get_by_role("link", name="All quotes").click()
    expect(announcer).to_have_text("Quotes")
    page.go_back()
    expect(announcer).to_have_text("Quote 1001")


def test_no_serious_accessibility_violation_in_the_company_box(new_tab):
    tab = new_tab()
    page = tab.signed_in("staff@example.com")
    tab.open("/admin/tickets")
    box = page.get_by_role("combobox", name="Company")
    box.fill("o")
    expect(page.get_by_role("list", name="Matching companies").get_by_role("button").first).to_be_visible()
    assert violations(page) == []
    box.fill("no such company here")
    expect(page.get_by_role("status").filter(has_text="No company matches")).to_be_visible()
    assert violations(page) == []
