"""Staff turns a module off and it leaves the menu, also of a page left open; the language menu
(the tab's title too), remembered per user."""

import re

from playwright.sync_api import expect

from .people import make_user


def test_module_turned_off_leaves_the_menu_at_once(new_tab, portal):
    email = make_user(portal, first="Menu")
    person = new_tab()
    page = person.signed_in(email)
    expect(person.menu().get_by_role("link", name="Company")).to_be_visible()
    person.open("/company")
    expect(page.get_by_label("City")).to_be_visible()

    staff = new_tab()
    staff.signed_in("staff@example.com")
    settings_page = staff.open("/admin/settings")
    toggle = settings_page.get_by_label("Company and contacts")
    expect(toggle).to_be_checked()
    try:
        toggle.click()  # saved on the server at once; the box follows the saved state
        expect(toggle).not_to_be_checked()
        # the person's open page follows within seconds, without a click or a reload
        expect(page.get_by_role("heading", name="This section is not available")).to_be_visible(timeout=15_000)
        expect(person.menu().get_by_role("link", name="Company")).to_have_count(0)
        expect(page.get_by_label("City")).to_have_count(0)
        person.open("/")
        expect(person.menu().get_by_role("link", name="My details")).to_be_visible()
        expect(person.menu().get_by_role("link", name="Company")).to_have_count(0)
        person.open("/company")  # the page itself refuses too: said at its own URL, nothing of it shown
        expect(page).to_have_url(re.compile(re.escape(portal.url) + r"/company/?$"))
        expect(page.get_by_role("heading", name="This section is not available")).to_be_visible()
        expect(page.get_by_label("City")).to_have_count(0)
    finally:
        staff.open("/admin/settings")
        settings_page.get_by_label("Company and contacts").click()
        expect(settings_page.get_by_label("Company and contacts")).to_be_checked()
    person.open("/")
    expect(person.menu().get_by_role("link", name="Company")).to_be_visible()


def test_finnish_login_page_and_language_remembered_per_user(new_tab, portal):
    email = make_user(portal, first="Kieli")
    visitor = new_tab()
    page = visitor.open("/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_title("Sign in")
    page.get_by_label("Language").select_option(label="Suomi")
    expect(page.get_by_label("Sähköposti")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fi")  # screen readers read it as Finnish
    expect(page).to_have_title("Kirjaudu sisään")  # the tab's title too
    expect(page.get_by_role("region", name="Notifications alt+T")).to_have_count(0)  # no English landmark
    # the browser keeps the choice (its language cookie): a reload, a new tab, come back in Finnish
    page.reload()
    visitor.ready()
    expect(page.get_by_label("Salasana")).to_be_visible()
    assert "portal_lang=fi" in page.evaluate("document.cookie")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill("Demo-pass-2026")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    # the choice made before signing in became the user's own
    expect(page.get_by_role("link", name="Omat tiedot")).to_be_visible()
    page.get_by_role("link", name="Omat tiedot").click()
    expect(page).to_have_title("Omat tiedot")

    other_browser = new_tab()
    page = other_browser.open("/login")
    expect(page.get_by_label("Email")).to_be_visible()  # a new visitor starts in English
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("Demo-pass-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()


# every text the page's main heading had while the page was visible, frame by frame from the start
HEADINGS_SHOWN = """
window.__shown = [];
const look = () => {
  const heading = document.querySelector("h1");
  if (heading && document.body && getComputedStyle(document.body).visibility === "visible"
      && window.__shown[window.__shown.length - 1] !== heading.textContent) {
    window.__shown.push(heading.textContent);
  }
  requestAnimationFrame(look);
};
requestAnimationFrame(look);
"""


def test_a_visitor_whose_language_is_finnish_never_sees_the_page_in_english_first(new_tab, portal):
    visitor = new_tab()
    page = visitor.page
    page.context.add_cookies([{"name": "portal_lang", "value": "fi", "url": portal.url}])
    page.add_init_script(HEADINGS_SHOWN)
    for path, english, finnish in (("/login", "Sign in", "Kirjaudu sisään"),
                                   ("/forgot-password", "Forgot password", "Unohtunut salasana")):
        visitor.open(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(finnish)
        shown = page.evaluate("window.__shown")
        assert shown and english not in shown, (path, shown)
    # an English visitor's page is there at once, as prerendered
    english_visitor = new_tab()
    english_visitor.page.add_init_script(HEADINGS_SHOWN)
    english_visitor.open("/login")
    assert english_visitor.page.evaluate("window.__shown")[0] == "Sign in"



def test_the_next_person_on_a_tab_signs_out_to_their_own_language(tab, portal):
    """One person picks Suomi on the sign-in page, signs in and out; the next one, reading English,
    signs in and out on the same tab: the sign-in page they leave is English."""
    first, second = make_user(portal, first="Ensi"), make_user(portal, first="Next")
    page = tab.open("/login")
    page.get_by_label("Language").select_option(label="Suomi")
    expect(page.get_by_label("Sähköposti")).to_be_visible()
    page.get_by_label("Sähköposti").fill(first)
    page.get_by_label("Salasana").fill("Demo-pass-2026")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_role("heading", name="Kirjaudu sisään")).to_be_visible()  # the first one's language
    page.get_by_label("Sähköposti").fill(second)
    page.get_by_label("Salasana").fill("Demo-pass-2026")
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.reload()
    tab.ready()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert "portal_lang=en" in page.evaluate("document.cookie")
