"""Signing in and out, wrong credentials, and pages that need a login."""

import re

from playwright.sync_api import expect

from .people import make_user

FAILED = "Sign-in failed"


def test_sign_in_lands_on_the_page_asked_for_and_sign_out_ends_the_session(tab, portal):
    email = make_user(portal, first="Signin")
    page = tab.open("/me")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("Demo-pass-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My details")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/me/?$"))
    cookie = next(c for c in page.context.cookies() if c["name"] == "portal_session")
    assert cookie["sameSite"] == "Strict" and cookie["httpOnly"] and len(cookie["value"]) >= 40
    assert "portal_session" not in page.evaluate("document.cookie")  # no script can read it
    me = page.request.get(f"{portal.url}/api/me")  # plain HTTP routes see the same session
    assert me.status == 200 and me.json()["email"] == email

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert page.request.get(f"{portal.url}/api/me", headers={"Cookie": f"portal_session={cookie['value']}"}).status == 401
    tab.open("/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_wrong_password_and_unknown_email_get_the_same_message(tab, portal):
    email = make_user(portal, first="Wrong")
    page = tab.sign_in(email, "not-the-password-1")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(FAILED)
    wrong_password_text = alert.inner_text()

    page = tab.sign_in("nobody-here@example.org", "not-the-password-1")
    expect(page.get_by_role("alert")).to_contain_text(FAILED)
    assert page.get_by_role("alert").inner_text() == wrong_password_text
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_anonymous_visitor_is_sent_to_login_from_every_private_page(tab):
    for path in ("/", "/me", "/company", "/admin", "/admin/settings"):
        page = tab.open(path)
        expect(page).to_have_url(re.compile(r"/login\?next="))
        expect(page.get_by_role("heading", name="Users")).to_have_count(0)


def test_contact_sees_nothing_of_the_admin_panel(tab, portal):
    page = tab.signed_in("user@acme.example.com")
    for path in ("/admin", "/admin/companies", "/admin/profiles", "/admin/settings"):
        tab.open(path)  # said at the address asked for, in place of the page
        expect(page).to_have_url(re.compile(re.escape(portal.url + path) + r"/?$"))
        expect(page.get_by_role("heading", name="This section is not available")).to_be_visible()
        expect(page.get_by_text("Admin panel", exact=True)).to_have_count(0)
        expect(page.get_by_role("navigation", name="Admin panel")).to_have_count(0)
    expect(tab.menu().get_by_role("link", name="Admin panel")).to_have_count(0)


def test_an_unknown_address_keeps_the_portal_shell_and_a_way_home(tab, portal):
    for who in (None, "user@acme.example.com"):
        if who:
            tab.signed_in(who)
        page = tab.open("/no-such-page/here")
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(page.get_by_role("combobox", name="Language")).to_be_visible()  # the shell's top bar
        # signed in: the portal's menu too, so the way on is not only "home"
        expect(tab.menu().get_by_role("link", name="Support tickets")).to_have_count(1 if who else 0)
        page.get_by_role("link", name="Go to the home page").click()
        expect(page).to_have_url(re.compile(r"/(login\?next=.*)?$"))


def test_back_from_the_login_page_leaves_the_portal_instead_of_returning_to_it(tab, portal):
    """A signed-out visitor sent to sign in goes back to where they came from: the refused page is
    replaced in the history, not added to it. A customer refused by the admin panel stays at its
    address (the page says so), and back leaves it as any page."""
    page = tab.open("/")
    page.goto("about:blank")
    tab.open("/tickets")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Ftickets"))
    page.go_back()
    expect(page).to_have_url("about:blank")

    tab.signed_in("user@acme.example.com")
    page.goto("about:blank")
    tab.open("/admin/companies")
    expect(page).to_have_url(re.compile(re.escape(portal.url) + r"/admin/companies/?$"))
    page.go_back()
    expect(page).to_have_url("about:blank")
