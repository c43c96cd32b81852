"""Two forms open on one record (two tabs, two people): the later save keeps what the earlier one
changed, a clash on the same field is said next to it and nothing is saved, and saving again then
replaces it (`services.edits`). For staff's company page, a company admin's colleague dialog, My
details, a knowledge-base article, an event, a product, a price book, a mailing list type, a shared
document and an access profile; and a field hidden while My details was open."""

from __future__ import annotations

import pytest
from sqlmodel import select
from statekit import Portal

from portal_app.db import session_scope
from portal_app.models import (
    Article, Company, Contact, Event, MailingList, PortalProfile, PriceBook, Product, SharedDocument,
)
from portal_app.services.portal import profiles
from portal_app.state.admin_companies import AdminCompanyState
from portal_app.state.admin_events import AdminEventState
from portal_app.state.admin_knowledge import ArticleEditorState
from portal_app.state.admin_newsletters import AdminNewsletterState
from portal_app.state.admin_shared_documents import AdminSharedDocumentState
from portal_app.state.catalog.admin import AdminPriceBookState, AdminProductState
from portal_app.state.contacts import ContactsState
from portal_app.state.profile import MyDetailsState


def _two_staff_tabs(portal: Portal, state: type, url: str) -> tuple:
    """Two staff tabs of `state` at `url`, each loaded: both forms show the record as it is now."""
    first, second = (portal.state(state, "staff", url=url) for _ in range(2))
    portal.call(first, "load")
    portal.call(second, "load")
    return first, second


def _form(inst) -> dict[str, str]:  # noqa: ANN001
    """The form as the browser sends it: every field, as shown."""
    return {f["name"]: f["value"] for f in inst.fields}


def test_two_staff_tabs_on_one_company_keep_both_changes_and_say_a_clash(portal: Portal):
    acme = portal.company_id("Acme Oy")
    first, second = _two_staff_tabs(portal, AdminCompanyState, f"/admin/company?id={acme}")
    shown = _form(second)
    portal.call(first, "save", {**_form(first), "city": "Oulu"})
    assert first.notice and not first.errors

    portal.call(second, "save", {**shown, "phone": "+358 9 123 456"})  # the tab still shows the old city
    assert second.notice and not second.errors
    with session_scope() as s:
        company = s.get(Company, acme)
        assert (company.city, company.phone) == ("Oulu", "+358 9 123 456")  # neither change lost

    typed = {**_form(first), "city": "Turku", "postal_code": "20100"}
    portal.call(second, "save", {**_form(second), "city": "Vaasa"})
    before = portal.snapshot()
    portal.call(first, "save", typed)  # the first tab shows Oulu; the second saved Vaasa meanwhile
    assert first.errors == {"city": "Someone else changed this meanwhile to “Vaasa”. Save again to replace it with yours."}
    assert portal.snapshot() == before  # the postal code waits with the city: nothing half-saved
    portal.call(first, "save", typed)  # said, and saved again: the person's own value
    assert first.notice and not first.errors
    with session_scope() as s:
        assert (s.get(Company, acme).city, s.get(Company, acme).postal_code) == ("Turku", "20100")


def test_a_colleague_edited_by_staff_meanwhile_keeps_staffs_change(portal: Portal):
    pekka = portal.contact_id("Nieminen")
    admin = portal.state(ContactsState, "acme_admin", url="/company")
    portal.call(admin, "load_for_company")
    portal.call(admin, "open_edit", pekka)
    shown = {f["name"]: f["value"] for f in admin.edit_fields}
    staff = portal.state(ContactsState, "staff", url=f"/admin/company?id={portal.company_id('Acme Oy')}")
    portal.call(staff, "load_for_admin")
    portal.call(staff, "open_edit", pekka)
    portal.call(staff, "save_contact", {**{f["name"]: f["value"] for f in staff.edit_fields}, "job_title": "Buyer"})
    assert not staff.errors

    portal.call(admin, "save_contact", {**shown, "department": "Logistics"})
    assert not admin.errors and not admin.dialog_open
    with session_scope() as s:
        contact = s.get(Contact, pekka)
        assert (contact.job_title, contact.department) == ("Buyer", "Logistics")

    portal.call(admin, "open_edit", pekka)
    shown = {f["name"]: f["value"] for f in admin.edit_fields}
    portal.call(staff, "open_edit", pekka)
    portal.call(staff, "save_contact", {**{f["name"]: f["value"] for f in staff.edit_fields}, "job_title": ""})
    portal.call(admin, "save_contact", {**shown, "job_title": "Head buyer"})
    assert admin.errors == {"job_title": "Someone else emptied this meanwhile. Save again to replace it with yours."}
    assert admin.dialog_open and _job_title(pekka) == ""
    portal.call(admin, "save_contact", {**shown, "job_title": "Head buyer"})
    assert not admin.errors and _job_title(pekka) == "Head buyer"


def _job_title(contact_id: int) -> str:
    with session_scope() as s:
        return s.get(Contact, contact_id).job_title


def test_a_field_hidden_while_my_details_is_open_is_refused_next_to_it_not_dropped(portal: Portal):
    page = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(page, "load")
    shown = _form(page)
    assert "phone" in shown
    with session_scope() as s:  # staff hides the phone from the Basic profile meanwhile
        basic = s.exec(select(PortalProfile).where(PortalProfile.name == "Basic")).one()
        profiles.save_profile(session=s, actor=portal.actor("staff"), profile_id=basic.id, data={
            "name": basic.name, "module_access": dict(basic.module_access),
            "field_access": {**basic.field_access, "contact.phone": "hidden"}})
    before = portal.snapshot()
    portal.call(page, "save", {**shown, "phone": "+358 40 555 0101", "job_title": "Controller"})
    assert page.errors == {"phone": "You cannot change this field."}  # beside the field, not a silent "saved"
    assert page.notice == "" and portal.snapshot() == before
    portal.call(page, "save", {**shown, "job_title": "Controller"})  # sent as shown: not a change of it
    assert not page.errors and page.notice


def test_two_staff_tabs_on_one_article(portal: Portal):
    with session_scope() as s:
        article = s.exec(select(Article).order_by(Article.id)).first()
        path = f"/admin/kb/{article.id}"
    first, second = _two_staff_tabs(portal, ArticleEditorState, path)
    form = {**second.values, "published": "on" if second.published else ""}
    portal.call(first, "save", {**form, "title": "Edited in the first tab"})
    assert first.notice and not first.errors
    key = second.form_key
    portal.call(second, "save", {**form, "category": "Moved"})
    assert second.notice and not second.errors and second.form_key > key
    with session_scope() as s:
        saved = s.get(Article, article.id)
        assert (saved.title, saved.category) == ("Edited in the first tab", "Moved")

    assert second.values["title"] == "Edited in the first tab"  # the form drawn again shows both changes

    shown = {**first.values, "published": "on" if first.published else ""}  # the first tab's saved form
    before = portal.snapshot()
    portal.call(first, "save", {**shown, "category": "Printing"})
    assert set(first.errors) == {"category"} and "“Moved”" in first.errors["category"]
    assert portal.snapshot() == before
    portal.call(first, "save", {**shown, "category": "Printing"})
    assert not first.errors and first.values["category"] == "Printing"


def _event_form(inst) -> dict[str, object]:  # noqa: ANN001
    """The event form as the browser sends it: texts as shown, ticked boxes "on", chosen companies."""
    return {**inst.values, **{name: "on" for name in ("waitlist_enabled", "public_page") if getattr(inst, name)},
            **{f"company_{c['value']}": "on" for c in inst.companies if c["checked"]}}


def test_two_staff_tabs_on_one_event_keep_both_changes_and_say_a_clash(portal: Portal):
    path = "/admin/events/portal-training"
    first, second = _two_staff_tabs(portal, AdminEventState, path)
    shown = _event_form(second)
    portal.call(first, "save", {**_event_form(first), "location": "Room 2, Helsinki", "public_page": "on"})
    assert not first.errors, first.errors
    portal.call(second, "save", {**shown, "capacity": "40"})  # the tab still shows the old place, the old box
    assert not second.errors, second.errors
    with session_scope() as s:
        event = s.exec(select(Event).where(Event.slug == "portal-training")).one()
        assert (event.location, event.public_page, event.capacity) == ("Room 2, Helsinki", True, 40)
    assert second.values["location"] == "Room 2, Helsinki"  # drawn again with both changes

    portal.call(first, "save", {**_event_form(first), "location": "Room 3", "price_text": "Free"})
    assert not first.errors
    before = portal.snapshot()
    typed = {**_event_form(second), "location": "Room 9", "title": "Portal training, updated"}
    portal.call(second, "save", typed)  # the second tab shows Room 2: Room 3 came meanwhile
    assert second.errors == {"location": "Someone else changed this meanwhile to “Room 3”. Save again to replace it with yours."}
    assert portal.snapshot() == before  # the title waits with the place: nothing half-saved
    portal.call(second, "save", typed)
    assert not second.errors
    with session_scope() as s:
        event = s.exec(select(Event).where(Event.slug == "portal-training")).one()
        assert (event.location, event.price_text, event.capacity, event.title) == (
            "Room 9", "Free", 40, "Portal training, updated")


def _product_form(inst) -> dict[str, object]:  # noqa: ANN001
    """The product form as the browser sends it: fields as shown, ticked boxes "on"."""
    return {**{k: v for k, v in inst.product.items() if not isinstance(v, bool)},
            **{k: "on" for k, v in inst.product.items() if v is True}}


def test_two_staff_tabs_on_one_product_keep_both_changes_and_say_a_clash(portal: Portal):
    path = "/admin/products/PRN-100"
    first, second = _two_staff_tabs(portal, AdminProductState, path)
    shown = _product_form(second)
    portal.call(first, "save", {**_product_form(first), "list_price": "479.50"})
    assert not first.errors, first.errors
    portal.call(second, "save", {**shown, "name": "Office printer, renewed"})  # shows the old price
    assert not second.errors, second.errors
    with session_scope() as s:
        product = s.exec(select(Product).where(Product.code == "PRN-100")).one()
        assert (product.list_price_cents, product.name) == (47950, "Office printer, renewed")
    assert second.product["list_price"] == "479.50"  # drawn again with both changes

    portal.call(first, "save", {**_product_form(first), "list_price": "469.00"})  # the first tab shows the old name
    assert not first.errors and first.product["name"] == "Office printer, renewed"
    before = portal.snapshot()
    typed = {**_product_form(second), "list_price": "459.00", "unit": "unit"}
    portal.call(second, "save", typed)  # shows 479.50: 469.00 came meanwhile
    assert second.errors["list_price"] == ("Someone else changed this meanwhile to “469.00”. "
                                           "Save again to replace it with yours.")
    assert set(second.errors) == {"list_price", "form"}  # the catalog's "check the marked fields" above
    assert portal.snapshot() == before
    portal.call(second, "save", typed)
    assert not second.errors
    with session_scope() as s:
        product = s.exec(select(Product).where(Product.code == "PRN-100")).one()
        assert (product.list_price_cents, product.unit) == (45900, "unit")


def test_two_staff_tabs_on_one_price_book_keep_both_changes_and_say_a_clash(portal: Portal):
    with session_scope() as s:
        book = s.exec(select(PriceBook).where(PriceBook.name == "Acme 2026")).one()
    first, second = _two_staff_tabs(portal, AdminPriceBookState, f"/admin/price-books/{book.id}")

    def form(inst) -> dict[str, object]:  # noqa: ANN001
        ticked = {"active": "on"} if inst.book["active"] else {}
        return {**{k: v for k, v in inst.book.items() if k != "active"}, **ticked}

    shown = form(second)
    portal.call(first, "save", {**form(first), "valid_to": "2099-12-31"})
    assert not first.errors, first.errors
    portal.call(second, "save", {**shown, "name": "Acme 2026, renewed"})  # shows the old end
    assert not second.errors, second.errors
    with session_scope() as s:
        saved = s.get(PriceBook, book.id)
        assert (saved.name, str(saved.valid_to)) == ("Acme 2026, renewed", "2099-12-31")

    portal.call(first, "load")  # opened again: both changes shown
    portal.call(first, "save", {**form(first), "name": "Acme 2027"})
    assert not first.errors, first.errors
    before = portal.snapshot()
    portal.call(second, "save", {**form(second), "name": "Acme pricing"})
    assert "“Acme 2027”" in second.errors["name"] and portal.snapshot() == before
    portal.call(second, "save", {**form(second), "name": "Acme pricing"})
    assert not second.errors
    with session_scope() as s:
        assert s.get(PriceBook, book.id).name == "Acme pricing"



WHOLE_FORMS = {  # states whose services take a whole form (`form_merge.merged_whole`)
    "mailing list type": (AdminNewsletterState, MailingList, "Marketing and offers", "/admin/newsletters",
                          "values", "List type saved.", ("name", "description")),
    "shared document": (AdminSharedDocumentState, SharedDocument, "Onboarding checklist", "/admin/documents",
                        "document", "Document saved.", ("title", "description")),
}


@pytest.mark.parametrize("kind", WHOLE_FORMS)
def test_two_staff_tabs_on_one_whole_form_keep_both_changes_and_say_a_clash(portal: Portal, kind: str):
    state, model, title, base, form, saved_notice, (name, text) = WHOLE_FORMS[kind]
    with session_scope() as s:
        row_id = s.exec(select(model.id).where(getattr(model, name) == title)).one()
    first, second = _two_staff_tabs(portal, state, f"{base}/{row_id}")
    shown = dict(getattr(second, form))
    portal.call(first, "save", {**getattr(first, form), text: "Read this first"})
    assert first.notice == saved_notice, first.errors
    key = second.form_key
    portal.call(second, "save", {**shown, name: "Renamed"})  # still shows the old text
    assert second.notice == saved_notice, second.errors
    with session_scope() as s:
        saved = s.get(model, row_id)
        assert (getattr(saved, name), getattr(saved, text)) == ("Renamed", "Read this first")
    # the form is drawn again as saved (its fields start from their values once): both changes shown
    assert second.form_key != key and getattr(second, form)[text] == "Read this first"

    portal.call(first, "load")  # opened again: both changes shown
    portal.call(first, "save", {**getattr(first, form), name: "Renamed again"})
    assert first.notice == saved_notice, first.errors
    before = portal.snapshot()
    portal.call(second, "save", {**getattr(second, form), name: "Mine"})  # the name it shows changed meanwhile
    assert "“Renamed again”" in second.errors[name] and portal.snapshot() == before
    portal.call(second, "save", {**getattr(second, form), name: "Mine"})  # told: saving again replaces it
    assert second.notice == saved_notice, second.errors
    with session_scope() as s:
        assert getattr(s.get(model, row_id), name) == "Mine"


def _profile_form(inst) -> dict[str, str]:  # noqa: ANN001
    """Staff's profile form as the browser sends it: every field as shown (a tick only when ticked)."""
    return {"name": inst.name, **{k: v for k, v in inst.values.items() if k != "name"},
            **({"is_default": "on"} if inst.is_default else {}),
            **{f"module.{r['key']}": r["level"] for r in inst.module_rows},
            **{f"field.{r['key']}": r["level"] for r in inst.field_rows}}


def test_two_staff_tabs_on_one_profile_keep_both_changes_and_name_a_clashing_right(portal: Portal):
    from portal_app.state.admin_profiles import AdminProfilesState

    with session_scope() as s:
        basic = s.exec(select(PortalProfile).where(PortalProfile.name == "Basic")).one()
        before_rights = dict(basic.module_access)
    first, second = _two_staff_tabs(portal, AdminProfilesState, "/admin/profiles")
    portal.call(first, "select", basic.id)
    portal.call(second, "select", basic.id)
    shown = _profile_form(second)
    portal.call(first, "save", {**_profile_form(first), "module.invoices": "view", "field.contact.phone": "edit"})
    assert first.notice == "Profile saved." and not first.errors

    portal.call(second, "save", {**shown, "name": "Basic access"})  # still shows the old rights
    assert second.notice == "Profile saved.", second.errors
    with session_scope() as s:
        saved = s.get(PortalProfile, basic.id)
        assert saved.name == "Basic access"
        assert saved.module_access["invoices"] == "view" and saved.field_access["contact.phone"] == "edit"
        assert {k: v for k, v in saved.module_access.items() if k != "invoices"} == {
            k: v for k, v in before_rights.items() if k != "invoices"}
    assert second.module_rows == first.module_rows  # drawn again as saved: both changes shown

    # the same right changed in both tabs: refused whole, the row named above the form, then saved on the next try
    portal.call(first, "save", {**_profile_form(first), "module.invoices": "edit"})
    assert not first.errors
    before = portal.snapshot()
    typed = {**_profile_form(second), "module.invoices": "none", "name": "Basic 2"}
    portal.call(second, "save", typed)
    assert second.errors == {"profile": "Someone else changed this profile meanwhile: Invoices. Your choices are "
                                        "still in the form: save again to replace theirs with yours."}
    assert portal.snapshot() == before  # the name waits with the right: nothing half-saved
    portal.call(second, "save", typed)
    assert second.notice == "Profile saved." and not second.errors
    with session_scope() as s:
        saved = s.get(PortalProfile, basic.id)
        assert (saved.name, saved.module_access["invoices"]) == ("Basic 2", "none")


def _settings_form(inst) -> dict[str, str]:  # noqa: ANN001
    """Portal settings' form as the browser sends it: every field as shown."""
    from portal_app.services.portal.config import translated_field

    form = {**inst.values, **{f"seller_{k}": v for k, v in inst.seller.items()},
            **({"customers_can_close": "on"} if inst.customers_can_close else {})}
    for link in inst.links:
        form |= {f"link_title_{link['index']}": link["title"], f"link_url_{link['index']}": link["url"]}
        form |= {translated_field(f"link_title_{link['index']}", lang): title for lang, title in link["titles"].items()}
    for lang, texts in inst.translated.items():
        form |= {translated_field(name, lang): text for name, text in texts.items()}
    return form


def test_two_staff_tabs_on_the_portal_settings_keep_both_changes_and_say_a_clash(portal: Portal):
    from portal_app.services.portal import config
    from portal_app.state.admin_settings import AdminSettingsState

    first, second = _two_staff_tabs(portal, AdminSettingsState, "/admin/settings")
    shown = _settings_form(second)
    portal.call(first, "add_link")
    portal.call(first, "save", {**_settings_form(first), "welcome_message_fi": "Hei!", "seller_name": "Acme Services Oy",
                                "link_title_1": "Docs", "link_url_1": "https://docs.example.com"})
    assert first.notice == "Settings saved." and not first.errors, first.errors

    portal.call(second, "save", {**shown, "portal_name": "Service Portal"})  # shows the old texts and links
    assert second.notice == "Settings saved." and not second.errors, second.errors
    with session_scope() as s:
        row = config.get_portal_settings(s)
        assert (row.portal_name, row.seller["name"], row.translations["fi"]["welcome_message"]) == (
            "Service Portal", "Acme Services Oy", "Hei!")
        assert [link["title"] for link in row.external_links] == ["Service status", "Docs"]  # the links stay
    assert [link["title"] for link in second.links] == ["Service status", "Docs"]  # drawn again as saved

    # one text changed in both tabs, and the links: refused whole, each said, then saved on the next try
    portal.call(first, "load")  # opened again: both changes shown
    portal.call(first, "save", {**_settings_form(first), "portal_name": "Help Centre", "link_title_1": "Manuals"})
    assert not first.errors
    before = portal.snapshot()
    typed = {**_settings_form(second), "portal_name": "Support", "link_title_1": "Guides", "lockout_minutes": "30"}
    portal.call(second, "save", typed)
    assert second.errors == {
        "portal_name": "Someone else changed this meanwhile to “Help Centre”. Save again to replace it with yours.",
        "form": "Someone else changed these meanwhile: External links. Your version is still in the form: save "
                "again to replace theirs with yours."}
    assert portal.snapshot() == before and second.values["portal_name"] == "Support"  # nothing saved, nothing lost
    portal.call(second, "save", typed)
    assert second.notice == "Settings saved." and not second.errors
    with session_scope() as s:
        row = config.get_portal_settings(s)
        assert (row.portal_name, row.external_links[1]["title"], row.lockout_minutes) == ("Support", "Guides", 30)
