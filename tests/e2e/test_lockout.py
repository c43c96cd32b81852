"""Lockout after repeated failures; staff unlocks from the admin panel."""

import re

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
    row = staff.admin_user_row(email)
    expect(row.get_by_text("Locked", exact=True)).to_be_visible()
    row.get_by_role("button", name="Unlock").click()
    expect(admin.get_by_text("Account unlocked.")).to_be_visible()

    person.signed_in(email)


def test_many_failures_from_one_address_slow_it_down_with_a_clear_message(tab, portal):
    """The per-address limit (30 failed sign-ins in 15 minutes, over any accounts): past it even the
    right password waits, and the page says how long."""
    from sqlalchemy import delete

    from portal_app.models import ThrottleHit

    with portal.db() as session:  # the failures of earlier tests from this address would start the window sooner
        session.exec(delete(ThrottleHit))
        session.commit()
    try:
        for n in range(30):
            tab.page.request.post(f"{portal.url}/api/session", headers={"Origin": portal.url}, max_redirects=0,
                                  form={"email": f"guess{n}@example.org", "password": "wrong-password-123"})
        page = tab.sign_in("user@acme.example.com")
        expect(page.get_by_role("alert")).to_contain_text("Too many sign-in attempts from your network.")
        # 15 minutes after the first of them (less when the 30 took minutes on a busy machine)
        expect(page.get_by_role("alert")).to_contain_text(re.compile(r"Try again in 1[0-5] minutes\."))
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    finally:
        with portal.db() as session:  # the other tests sign in from the same address
            session.exec(delete(ThrottleHit))
            session.commit()
    tab.signed_in("user@acme.example.com")
