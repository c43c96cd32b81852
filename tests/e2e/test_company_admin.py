"""A company admin adds a colleague, gives portal access; the colleague sets a password and signs in."""

import uuid

from playwright.sync_api import expect

from .conftest import link_in
from .people import make_user


def test_admin_adds_contact_who_sets_password_and_signs_in(new_tab, portal, mailbox):
    admin_email = make_user(portal, first="Boss", profile="Primary contact", admin=True)
    admin = new_tab()
    page = admin.signed_in(admin_email)
    admin.open("/company")
    new_email = f"new.colleague.{uuid.uuid4().hex[:6]}@acme.example.com"

    page.get_by_role("button", name="Add contact").click()
    dialog = page.get_by_role("dialog")
    # every field the dialog's width (layout widths: the dialog opens with a scaling animation)
    widths, whole = dialog.evaluate("d => [[...d.querySelectorAll('input:not([type=hidden])')].map(i => i.offsetWidth),"
                                    " d.offsetWidth]")
    assert len(widths) == 7 and len(set(widths)) == 1 and widths[0] > whole * 0.8, (widths, whole)
    dialog.get_by_label("First name").fill("Nina")
    dialog.get_by_label("Last name").fill("Newcomer")
    dialog.get_by_label("Email").fill("not-an-email")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert").filter(has_text="valid email")).to_be_visible()
    expect(dialog.get_by_label("First name")).to_have_value("Nina")  # nothing typed is lost
    dialog.get_by_label("Email").fill(new_email)
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Contact Nina Newcomer added.")

    row = page.get_by_role("row").filter(has_text=new_email)
    row.get_by_role("button", name="Give portal access").click()
    expect(page.get_by_role("status")).to_contain_text(f"emailed to {new_email}")
    expect(row.get_by_role("button", name="Remove portal access")).to_be_visible()
    expect(row.get_by_text("Awaiting password")).to_be_visible()  # not "Portal access" until it is set

    link = link_in(mailbox.wait_for(new_email))
    colleague = new_tab()
    colleague.open(link.replace(portal.url, ""))
    colleague.page.get_by_label("New password").fill("Nina-first-pass-1")
    colleague.page.get_by_label("Confirm password").fill("Nina-first-pass-1")
    colleague.page.get_by_role("button", name="Set password").click()
    expect(colleague.page.get_by_text("Your password is set.")).to_be_visible()
    colleague.signed_in(new_email, "Nina-first-pass-1")
    expect(colleague.page.get_by_text("Nina Newcomer").first).to_be_visible()
    admin.open("/company")
    expect(row.get_by_text("Portal access", exact=True)).to_be_visible()  # the password set: access


def test_admin_edits_and_deactivates_a_colleague(new_tab, portal):
    admin_email = make_user(portal, first="Chief", profile="Primary contact", admin=True)
    colleague_email = make_user(portal, first="Leaving")
    elsewhere = new_tab()  # the same admin's other browser, open on the same page
    elsewhere.signed_in(admin_email)
    elsewhere.open("/company")
    admin = new_tab()
    page = admin.signed_in(admin_email)
    admin.open("/company")
    row = page.get_by_role("row").filter(has_text=colleague_email)
    row.get_by_role("button", name="Edit").click()
    # the address the colleague signs in with is shown, not the admin's to change
    expect(page.get_by_role("dialog").get_by_label("Email")).to_be_disabled()
    expect(page.get_by_role("dialog").get_by_text("the portal's staff can change it")).to_be_visible()
    page.get_by_role("dialog").get_by_label("Job title").fill("Former buyer")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Contact saved.")
    expect(row).to_contain_text("Former buyer")

    row.get_by_role("button", name="Deactivate").click()  # asks first: Cancel changes nothing
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Deactivate Leaving")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(row.get_by_role("button", name="Deactivate")).to_be_visible()
    row.get_by_role("button", name="Remove portal access").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel").click()
    expect(row.get_by_role("button", name="Remove portal access")).to_be_visible()
    row.get_by_role("button", name="Deactivate").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Deactivate").click()
    expect(row.get_by_text("Deactivated", exact=True)).to_be_visible()
    # the other browser follows without a reload: the edit and the deactivation
    there = elsewhere.page.get_by_role("row").filter(has_text=colleague_email)
    expect(there).to_contain_text("Former buyer", timeout=10_000)
    expect(there.get_by_text("Deactivated", exact=True)).to_be_visible(timeout=10_000)

    leaving = new_tab()
    page = leaving.sign_in(colleague_email)
    expect(page.get_by_role("alert")).to_contain_text("Sign-in failed")


def test_a_profile_named_in_finnish_is_what_a_finnish_company_admin_reads(new_tab, portal):
    tag = uuid.uuid4().hex[:4]
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open("/admin/profiles")
    name = page.get_by_label("Profile name", exact=True)
    expect(name).to_have_value("Basic")  # the first profile shown
    page.get_by_role("button", name="New profile").click()
    expect(name).to_have_value("")  # the empty form in its place
    expect(page.get_by_text("A new profile starts with no module and every field hidden")).to_be_visible()
    expect(page.get_by_label("Email", exact=True)).to_have_value("hidden")
    name.fill(f"Field crew {tag}")
    page.get_by_text("In other languages").click()
    page.get_by_label("Profile name (Suomi)").fill(f"Kenttätiimi {tag}")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Profile saved.")
    expect(page.get_by_label("Profile name (Suomi)")).to_have_value(f"Kenttätiimi {tag}")
    expect(page.get_by_text("A new profile starts with")).to_have_count(0)  # saved: no longer new

    colleague = make_user(portal, profile=f"Field crew {tag}", first="Kentta")
    boss = make_user(portal, profile="Primary contact", admin=True, language="fi", first="Pomo")
    admin = new_tab()
    finnish = admin.signed_in(boss)
    admin.open("/company")
    row = finnish.get_by_role("row").filter(has_text=colleague)
    expect(row).to_contain_text(f"Kenttätiimi {tag}")
    expect(row).not_to_contain_text("Field crew")
