"""My details: editable fields save, read-only ones are shown but cannot change."""

from playwright.sync_api import expect

from portal_app.i18n import format_moment

from .people import make_ticket, make_user


def test_contact_edits_own_details(tab, portal):
    email = make_user(portal, first="Details")
    page = tab.signed_in(email)
    tab.open("/me")
    expect(page.get_by_label("Email")).to_be_disabled()
    expect(page.get_by_label("Email")).to_have_value(email)
    page.get_by_label("Phone").fill("+358 50 765 4321")
    page.get_by_label("Job title").fill("Head of Purchasing")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Your details are saved.")

    tab.open("/me")
    expect(page.get_by_label("Phone")).to_have_value("+358 50 765 4321")
    expect(page.get_by_label("Job title")).to_have_value("Head of Purchasing")


def test_required_name_is_reported_at_the_field_and_nothing_is_saved(tab, portal):
    email = make_user(portal, first="Empty")
    page = tab.signed_in(email)
    tab.open("/me")
    page.get_by_label("First name").fill("")
    page.get_by_label("Phone").fill("+358 40 000 0000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="This field is required.")).to_be_visible()

    tab.open("/me")
    expect(page.get_by_label("First name")).to_have_value("Empty")
    expect(page.get_by_label("Phone")).to_have_value("")


def test_basic_profile_sees_company_read_only_without_hidden_fields(tab, portal):
    email = make_user(portal, first="Basic")
    page = tab.signed_in(email)
    tab.open("/company")
    expect(page.get_by_label("Company name")).to_be_disabled()
    expect(page.get_by_label("City")).to_have_value("Helsinki")
    expect(page.get_by_label("Business ID")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.get_by_role("button", name="Add contact")).to_have_count(0)
    expect(page.get_by_text("ask your company's portal admin or us to change them")).to_be_visible()


def test_a_company_admin_with_read_only_company_fields_is_told_to_ask_us(tab, portal):
    # the company's admin is the person the general note sends people to: it is not sent to itself
    page = tab.signed_in(make_user(portal, first="Keeper", admin=True))
    tab.open("/company")
    expect(page.get_by_label("Company name")).to_be_disabled()
    expect(page.get_by_role("button", name="Add contact")).to_be_visible()
    expect(page.get_by_text("to change them, ask us")).to_be_visible()
    expect(page.get_by_text("ask your company's portal admin")).to_have_count(0)


def test_what_was_typed_stays_when_the_language_is_changed(tab, portal):
    """The page loads again in the new language; the fields typed in keep their text (not saved yet)."""
    email = make_user(portal, first="Switcher")
    page = tab.signed_in(email)
    tab.open("/me")
    page.get_by_label("Job title").fill("Head of Logistics")
    page.get_by_label("Department").fill("Warehouse")
    page.get_by_label("Language").select_option(label="Suomi")
    expect(page.get_by_role("button", name="Tallenna")).to_be_visible()
    tab.ready()
    expect(page.get_by_label("Tehtävänimike")).to_have_value("Head of Logistics")
    expect(page.get_by_label("Osasto")).to_have_value("Warehouse")
    page.get_by_role("button", name="Tallenna").click()  # and it saves as typed
    expect(page.get_by_role("status")).to_be_visible()
    tab.open("/me")
    expect(page.get_by_label("Tehtävänimike")).to_have_value("Head of Logistics")


def test_a_finnish_business_id_and_postal_code_are_checked_at_their_fields(tab, portal):
    email = make_user(portal, profile="Primary contact", admin=True, first="Registry")
    page = tab.signed_in(email)
    tab.open("/company")
    page.get_by_label("Business ID").fill("1234567-8")  # the check digit of 1234567 is 1
    page.get_by_label("Postal code").fill("FI-00100")
    page.get_by_label("City").fill("Vantaa")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="A Finnish business ID is seven digits")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="A postal code in this country looks like 00100.")).to_be_visible()
    expect(page.get_by_label("Business ID")).to_have_value("1234567-8")  # what was typed stays, to be corrected

    tab.open("/company")  # nothing was saved
    expect(page.get_by_label("Business ID")).to_have_value("1234567-1")
    expect(page.get_by_label("City")).to_have_value("Helsinki")


def test_times_are_shown_in_the_zone_the_user_chose(tab, portal):
    email = make_user(portal, first="Zoned", profile="Primary contact")
    ticket = make_ticket(portal, email, "Printer jams at nine")
    number, created = ticket.number, ticket.created_at
    page = tab.signed_in(email)
    tab.open(f"/tickets/{number}")
    expect(page.get_by_text(format_moment(created, "en")).first).to_be_visible()  # the portal's zone

    tab.open("/me")
    zone = page.get_by_label("Show times in")
    expect(zone).to_have_value("")
    zone.select_option("America/New_York")
    page.get_by_role("button", name="Use this time zone").dblclick()
    expect(page.get_by_role("status")).to_contain_text("Times are now shown in America/New_York.")

    tab.open(f"/tickets/{number}")
    expect(page.get_by_text(format_moment(created, "en", zone="America/New_York")).first).to_be_visible()
    tab.open("/me")
    expect(page.get_by_label("Show times in")).to_have_value("America/New_York")


def test_the_devices_time_zone_is_taken_with_one_click(new_tab, portal):
    email = make_user(portal, first="Traveller", profile="Primary contact")
    ticket = make_ticket(portal, email, "Scanner asleep")
    tab = new_tab(timezone_id="America/Sao_Paulo")
    page = tab.signed_in(email)
    tab.open("/me")
    page.get_by_role("button", name="Use this device's time zone").dblclick()
    expect(page.get_by_role("status")).to_contain_text("Times are now shown in America/Sao_Paulo.")
    expect(page.get_by_label("Show times in")).to_have_value("America/Sao_Paulo")

    tab.open(f"/tickets/{ticket.number}")
    expect(page.get_by_text(format_moment(ticket.created_at, "en", zone="America/Sao_Paulo")).first).to_be_visible()


def test_a_profile_that_shows_no_contact_field_says_so_on_my_details(tab, portal):
    from portal_app.models import PortalProfile

    with portal.db() as session:  # every field hidden, no module: what a new profile starts as
        session.add(PortalProfile(name="Nothing shown", module_access={}, field_access={}))
        session.commit()
    page = tab.signed_in(make_user(portal, first="Bare", profile="Nothing shown"))
    tab.open("/me")
    expect(page.get_by_text("Your portal profile shows none of these details.")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)


def test_a_profile_that_shows_no_company_field_says_only_that_on_company(tab, portal):
    from portal_app.models import PortalProfile

    with portal.db() as session:  # the company page in the menu, none of its fields
        session.add(PortalProfile(name="Company, no fields", module_access={"company": "view"}, field_access={}))
        session.commit()
    page = tab.signed_in(make_user(portal, first="Bare", profile="Company, no fields"))
    tab.open("/company")
    expect(page.get_by_text("Your portal profile shows none of these details.")).to_be_visible()
    expect(page.get_by_text("You can view these details")).to_have_count(0)  # not a word contradicting it
