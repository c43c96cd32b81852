"""Staff-written texts per language (issue 9, item 15), end to end: staff writes a Finnish welcome
text and a Finnish link title in the settings' "Suomi" tab; a customer who switches the language
to Suomi sees them at once, and English users still see the English ones."""

import uuid

from playwright.sync_api import expect

from portal_app.models import PortalSettings
from portal_app.seed import FINNISH_TEXTS, TRANSLATED_TEXTS

from .people import make_user
from .test_accessibility import violations

ENGLISH_WELCOME = "Welcome to the customer portal"  # the demo data's


def test_a_finnish_welcome_for_finnish_readers_and_english_for_the_rest(new_tab, portal):
    finnish = f"Tervetuloa asiakasportaaliin {uuid.uuid4().hex[:6]}"
    staff = new_tab()
    staff.signed_in("staff@example.com")
    settings = staff.open("/admin/settings")
    try:
        settings.get_by_role("tab", name="Suomi").click()
        welcome_fi = settings.get_by_label("Welcome message (Suomi)", exact=True)
        expect(welcome_fi).to_be_visible()
        # the demo's Finnish text; emptied, the English one would show (the placeholder)
        expect(welcome_fi).to_have_value(FINNISH_TEXTS["welcome_message"])
        expect(welcome_fi).to_have_attribute("placeholder", ENGLISH_WELCOME)
        expect(settings.get_by_label("Welcome message", exact=True)).to_be_hidden()  # the English tab's
        assert violations(settings) == []  # axe on the Suomi tab (the accessibility suite sees the first)
        welcome_fi.fill(finnish)
        settings.get_by_label("Link title 1 (Suomi)", exact=True).fill("Palvelun tila")
        settings.get_by_role("button", name="Save").click()
        expect(settings.get_by_text("Settings saved.")).to_be_visible()

        customer = new_tab()
        page = customer.signed_in(make_user(portal, first="Kaisa"))
        customer.open("/")
        expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH_WELCOME)
        page.get_by_label("Language").select_option(label="Suomi")
        expect(page.get_by_role("heading", level=1)).to_have_text(finnish)
        expect(page.get_by_role("navigation", name="Valikko").get_by_role("link", name="Palvelun tila")).to_be_visible()
        customer.open("/")  # and on the next visit too
        expect(page.get_by_role("heading", level=1)).to_have_text(finnish)

        english = new_tab()
        page = english.signed_in(make_user(portal, first="Emma"))
        english.open("/")
        expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH_WELCOME)
        expect(english.menu().get_by_role("link", name="Service status")).to_be_visible()
        expect(english.menu().get_by_role("link", name="Palvelun tila")).to_have_count(0)
    finally:
        with portal.db() as session:  # the other tests see the demo's texts
            from sqlmodel import select

            row = session.exec(select(PortalSettings)).first()
            row.translations = {lang: dict(texts) for lang, texts in TRANSLATED_TEXTS.items()}
            session.add(row)
            session.commit()
