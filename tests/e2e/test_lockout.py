"""Lockout after repeated failures; staff unlocks from the admin panel."""

from playwright.sync_api import expect

from .people import make_user


def test_locked_account_refuses_the_right_password_until_staff_unlocks(new_tab, portal):
    email = make_user(portal, first="Locked")
    person = new_tab()
    for _ in range(5):  # the default threshold
        page = person.sign_in(email, "wrong-password-123")
        expect(page.get_by_role("alert")).to_contain_text("Sign-in failed")

    page = person.sign_in(email)  # the right password, but locked
    expect(page.get_by_role("alert")).to_contain_text("Sign-in failed")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    staff = new_tab()
    admin = staff.signed_in("staff@example.com")
    staff.open("/admin")
    admin.get_by_label("Search users").fill(email)
    admin.get_by_role("button", name="Search").click()
    row = admin.get_by_role("row").filter(has_text=email)
    expect(row.get_by_text("Locked", exact=True)).to_be_visible()
    row.get_by_role("button", name="Unlock").click()
    expect(admin.get_by_text("Account unlocked.")).to_be_visible()

    person.signed_in(email)
