"""Forgot password: the emailed single-use link sets a new password."""

import time

from playwright.sync_api import expect

from .conftest import link_in
from .people import make_user

CONFIRMATION = "If an account exists for that address"


def test_reset_through_the_received_mail(tab, portal, mailbox):
    email = make_user(portal, first="Forgetful")
    page = tab.open("/login")
    page.get_by_role("link", name="Forgot password?").click()
    # the sign-in page has an "Email" field too: wait until the new page is there
    expect(page.get_by_role("heading", name="Forgot password")).to_be_visible()
    tab.ready()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text(CONFIRMATION)

    link = link_in(mailbox.wait_for(email))
    tab.open(link.replace(portal.url, ""))
    page.get_by_label("New password").fill("Brand-new-pass-77")
    page.get_by_label("Confirm password").fill("Brand-new-pass-77")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()

    tab.signed_in(email, "Brand-new-pass-77")

    tab.open(link.replace(portal.url, ""))  # single use
    expect(page.get_by_role("alert")).to_contain_text("invalid, already used or expired")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")


def test_unknown_address_gets_the_same_answer_and_no_mail(tab, mailbox):
    page = tab.open("/forgot-password")
    page.get_by_label("Email").fill("no-such-person@example.org")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text(CONFIRMATION)
    time.sleep(1.5)
    assert mailbox.to("no-such-person@example.org") == []


def test_too_short_password_is_refused_next_to_the_field(tab, portal, mailbox):
    email = make_user(portal, first="Short")
    page = tab.open("/forgot-password")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send reset link").click()
    link = link_in(mailbox.wait_for(email))
    tab.open(link.replace(portal.url, ""))
    page.get_by_label("New password").fill("short")
    page.get_by_label("Confirm password").fill("short")
    page.get_by_role("button", name="Set password").click()
    expect(page.locator("#password-error")).to_contain_text("at least 10 characters")


def test_an_address_without_an_at_sign_is_said_at_the_field_in_the_pages_language(tab):
    """The portal's own message (not the browser's bubble, in the browser's language), in Finnish too."""
    page = tab.open("/forgot-password")
    page.get_by_label("Email").fill("matti.meikalainen.example.com")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.locator("#email-error")).to_contain_text("Enter a valid email address")
    expect(page.get_by_label("Email")).to_have_value("matti.meikalainen.example.com")
    page.get_by_role("combobox", name="Language").select_option(label="Suomi")
    tab.ready()
    page.get_by_label("Sähköposti").fill("matti.meikalainen.example.com")
    page.get_by_role("button", name="Lähetä palautuslinkki").click()
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#email-error")).not_to_contain_text("Enter a valid")
