"""Accounts (issue 9, items 11-13): changing one's password on "My details", staff's own details,
and the sign-in page's field messages and lockout wait (the same for an unknown email)."""

import re
import uuid

from playwright.sync_api import expect

from .people import make_user

NEW = "Fresh-pass-2027"


def test_changing_the_password_keeps_this_tab_and_signs_out_the_others(new_tab, portal, mailbox):
    email = make_user(portal, first="Changer")
    here, there = new_tab(), new_tab()
    page = here.signed_in(email)
    there.signed_in(email)

    here.open("/me")
    page.get_by_label("Current password").fill("Wrong-pass-2026")
    page.get_by_label("New password").fill(NEW)
    page.get_by_label("Confirm password").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert").filter(has_text="The current password is wrong.")).to_be_visible()

    page.get_by_label("Current password").fill("Demo-pass-2026")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed.")
    expect(page.get_by_label("Current password")).to_have_value("")
    assert "was just changed" in mailbox.wait_for(email).get_payload(decode=True).decode()

    there.open("/me")  # the other browser's session has ended
    expect(there.page).to_have_url(re.compile(r"/login\?next="))
    here.open("/me")  # this one goes on
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    new_tab().signed_in(email, NEW)


def test_staff_sees_its_own_details_and_can_change_its_password(tab):
    page = tab.signed_in("staff@example.com")
    tab.open("/me")
    main = page.get_by_role("main")
    expect(main.get_by_text("staff@example.com")).to_be_visible()
    expect(main.get_by_text("English", exact=True)).to_be_visible()
    expect(main.get_by_text("Not found.")).to_have_count(0)
    expect(page.get_by_role("button", name="Change password")).to_be_visible()


def test_empty_sign_in_fields_get_messages_under_them(tab):
    page = tab.open("/login")
    page.get_by_role("button", name="Sign in").click()
    tab.ready()
    expect(page.locator("#email-error")).to_have_text("Enter your email address.")
    expect(page.locator("#password-error")).to_have_text("Enter your password.")

    page.get_by_label("Email").fill("user@acme.example.com")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#password-error")).to_have_text("Enter your password.")
    expect(page.locator("#email-error")).to_have_count(0)
    expect(page.get_by_label("Email")).to_have_value("user@acme.example.com")  # not typed again


def test_a_wrong_password_keeps_the_email_typed_and_only_for_that_attempt(tab, portal):
    email = make_user(portal, first="Typo")
    page = tab.sign_in(email, "wrong-password-123")
    expect(page.get_by_role("alert")).to_contain_text("Sign-in failed: the email or password is wrong")
    expect(page.get_by_label("Email")).to_have_value(email)
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("Demo-pass-2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out").or_(page.get_by_role("button", name="Menu"))).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    tab.ready()
    expect(page.get_by_label("Email")).to_have_value("")  # signed out: the address typed is forgotten


def test_an_unknown_email_is_locked_like_an_account_with_the_minutes_to_wait(new_tab, portal):
    from sqlalchemy import delete

    from portal_app.models import ThrottleHit

    known, unknown = make_user(portal, first="Guessed"), f"nobody.{uuid.uuid4().hex[:8]}@example.org"
    try:
        for email in (known, unknown):
            person = new_tab()
            for _ in range(4):
                page = person.sign_in(email, "wrong-password-123")
                expect(page.get_by_role("alert")).to_contain_text("Sign-in failed: the email or password is wrong")
            page = person.sign_in(email, "wrong-password-123")
            expect(page.get_by_role("alert")).to_have_text(
                "Sign-in failed: too many failed attempts. Try again in 15 minutes.")
            page = person.sign_in(email)
            expect(page.get_by_role("alert")).to_contain_text("Try again in 15 minutes.")
    finally:
        with portal.db() as session:  # the other tests sign in from the same address
            session.exec(delete(ThrottleHit))
            session.commit()


def test_portal_access_for_a_contact_without_email_says_why_on_its_row(tab, portal):
    """Issue 9, item 10: refused with a message on the row (Sanna Laine of Acme has no email)."""
    admin_email = make_user(portal, first="Boss", profile="Primary contact", admin=True)
    page = tab.signed_in(admin_email)
    tab.open("/company")
    row = page.get_by_role("row").filter(has_text="Sanna Laine")
    row.get_by_role("button", name="Give portal access").click()
    expect(row.get_by_role("alert")).to_have_text(
        "This contact has no email address: add one first (it is the login name).")

    page.get_by_role("button", name="Add contact").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("First name").fill("Twin")
    dialog.get_by_label("Last name").fill("Login")
    dialog.get_by_label("Email").fill(admin_email)
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert").filter(has_text="Another user already signs in")).to_be_visible()


def test_staff_users_list_opens_people_shows_status_and_disables(new_tab, portal):
    """Issue 9, item 14: rows open the person, a status column, Disable (asked first) ends sessions."""
    email = make_user(portal, first="Leaver")
    person = new_tab()
    person.signed_in(email)
    person.open("/tickets")  # left open: the list's own timer must not leave it on a spinner
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    row = staff.admin_user_row(email)
    expect(row.get_by_text("Active", exact=True)).to_be_visible()
    row.get_by_role("button", name="Disable").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Disable").click()
    expect(page.get_by_role("status")).to_contain_text("Account disabled")
    expect(row.get_by_text("Disabled", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name="Disable")).to_have_count(0)

    # without a click, the open list goes to sign-in
    expect(person.page).to_have_url(re.compile(r"/login\?next=%2Ftickets"), timeout=15_000)
    expect(person.page.get_by_role("status")).to_contain_text("Your session ended")  # said, not just a form
    person.open("/me")
    expect(person.page).to_have_url(re.compile(r"/login\?next="))

    row.get_by_role("link", name=re.compile("Leaver")).click()
    staff.ready()
    expect(page).to_have_url(re.compile(r"/admin/company\?id=\d+"))
    expect(page.get_by_role("row").filter(has_text=email)).to_be_visible()


def test_settings_colour_picker_fills_the_colour_and_numbers_say_their_range(tab):
    page = tab.signed_in("staff@example.com")
    tab.open("/admin/settings")
    page.get_by_label("Pick the menu colour").fill("#123456")
    expect(page.get_by_label("Menu colour", exact=True)).to_have_value("#123456")
    page.get_by_label("Failed sign-ins before lockout", exact=False).fill("101")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="Enter a whole number from 0 to 100.")).to_be_visible()


def test_the_same_field_refused_again_gets_the_focus_again(tab, portal):
    page = tab.signed_in(make_user(portal, first="Twice"))
    tab.open("/me")
    page.get_by_label("Current password").fill("Demo-pass-2026")
    new = page.get_by_label("New password")
    for attempt in ("short1", "aaaaaaaaaaaa"):  # too short, then one character repeated: refused both times
        new.fill(attempt)
        page.get_by_label("Confirm password").fill(attempt)
        page.get_by_role("button", name="Change password").click()
        expect(new).to_have_attribute("aria-invalid", "true")
        expect(new).to_be_focused()
