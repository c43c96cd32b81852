"""Admin panel states for staff: users, companies, one company, profiles, portal settings."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import update
from sqlmodel import select
from statekit import EMAILS, Portal, redirect_path

from portal_app.db import session_scope
from portal_app.models import COMPANY_FIELDS, Account, Company, Contact, PortalProfile, PortalSettings, utcnow
from portal_app.services.portal.modules import MODULE_KEYS
from portal_app.seed import TRANSLATED_TEXTS
from portal_app.services.portal.profiles import FIELD_KEYS, profile_usage
from portal_app.state.admin_companies import AdminCompaniesState, AdminCompanyState
from portal_app.state.admin_profiles import AdminProfilesState
from portal_app.state.admin_settings import MAX_LINK_ROWS, AdminSettingsState
from portal_app.state.admin_users import AdminUsersState
from portal_app.state.contacts import ContactsState
from portal_app.state.home import HomeState
from portal_app.state.profile import CompanyState
from portal_app.state.session import SessionState


def _settings() -> PortalSettings:
    with session_scope() as s:
        return s.exec(select(PortalSettings)).one()


# --- users ---------------------------------------------------------------------------------------


def test_staff_lists_and_searches_users(portal: Portal):
    inst = portal.state(AdminUsersState, "staff", url="/admin/users")
    portal.call(inst, "load")
    assert not inst.errors and inst.total == 7 and len(inst.rows) == 7
    assert {r["email"] for r in inst.rows} >= set(EMAILS.values())
    assert inst.rows[0]["email"] == EMAILS["staff"]  # the only one signed in so far: most recent first
    portal.call(inst, "search", {"q": "  GLOBEX "})
    assert inst.query == "GLOBEX" and {r["email"] for r in inst.rows} == {
        "admin@globex.example.com", "hans.mueller@globex.example.com"}
    portal.call(inst, "search", {"q": "%' OR 1=1 --"})
    assert inst.rows == [] and not inst.errors
    portal.call(inst, "go_to_page", 2)
    assert inst.page == 1  # there is one page only


def test_staff_users_query_from_the_url(portal: Portal):
    inst = portal.state(AdminUsersState, "staff", url="/admin/users?q=" + quote("acme"))
    portal.call(inst, "load")
    assert inst.query == "acme" and inst.total == 3
    long = portal.state(AdminUsersState, "staff", url="/admin/users?q=" + "a" * 100_000)
    portal.call(long, "load")
    assert len(long.query) == 100 and long.rows == []
    assert long.moved_to == "/admin/users?q=" + "a" * 100  # the address says what is shown
    assert inst.moved_to == ""


def test_staff_lists_put_their_address_right(portal: Portal):
    odd = portal.state(AdminUsersState, "staff", url="/admin/users?q=acme&page=-3&x=1")
    portal.call(odd, "load")
    assert odd.page == 1 and odd.moved_to == "/admin/users?q=acme"
    result = portal.call(odd, "follow_page")
    assert redirect_path(result) == "/admin/users?q=acme" and odd.moved_to == ""
    far = portal.state(AdminCompaniesState, "staff", url="/admin/companies?page=99")
    portal.call(far, "load")
    assert far.page == far.page_count and far.moved_to == (
        "/admin/companies" if far.page == 1 else f"/admin/companies?page={far.page}")
    portal.set_url(far, "/admin/companies?q=zzz")  # the browser moved on: its address is left alone
    assert portal.call(far, "follow_page") is None


def test_staff_unlocks_a_user(portal: Portal):
    with session_scope() as s:
        s.exec(update(Account).where(Account.email == EMAILS["acme_user"])
               .values(locked_until=utcnow() + timedelta(hours=1), failed_logins=2))
        s.commit()
    inst = portal.state(AdminUsersState, "staff", url="/admin/users")
    portal.call(inst, "load")
    assert [r["locked"] for r in inst.rows if r["email"] == EMAILS["acme_user"]] == [True]
    portal.call(inst, "unlock", portal.account_id(EMAILS["acme_user"]))
    assert not inst.errors and inst.notice
    assert [r["locked"] for r in inst.rows if r["email"] == EMAILS["acme_user"]] == [False]
    portal.call(inst, "unlock", 987654)
    assert inst.errors


# --- companies -----------------------------------------------------------------------------------


def test_staff_lists_searches_and_pages_companies(portal: Portal):
    inst = portal.state(AdminCompaniesState, "staff", url="/admin/companies")
    portal.call(inst, "load")
    assert [r["name"] for r in inst.rows] == ["Acme Oy", "Globex GmbH", "Partner Ltd"]
    assert inst.total == 3 and inst.page_count == 1
    portal.call(inst, "search", {"q": "berlin"})
    assert [r["name"] for r in inst.rows] == ["Globex GmbH"]
    portal.call(inst, "search", {"q": "x" * 1000})
    assert len(inst.query) == 100 and inst.rows == []
    with session_scope() as s:
        s.add_all([Company(name=f"Filler {i:02d}") for i in range(30)])
        s.commit()
    portal.call(inst, "search", {"q": ""})
    assert inst.total == 33 and inst.page_count == 2 and len(inst.rows) == 25
    portal.call(inst, "go_to_page", 2)
    assert inst.page == 2 and len(inst.rows) == 8
    assert inst.view_url == "/admin/companies?page=2"  # in the address bar: a reload shows it again
    portal.call(inst, "go_to_page", 3)
    assert inst.page == 2
    portal.call(inst, "search", {"q": "filler"})
    assert inst.view_url == "/admin/companies?q=filler" and inst.page == 1
    portal.call(inst, "go_to_page", 2)
    assert inst.view_url == "/admin/companies?q=filler&page=2"
    portal.set_url(inst, inst.view_url)  # reloaded (or bookmarked): the same view
    portal.call(inst, "load")
    assert (inst.query, inst.page, len(inst.rows)) == ("filler", 2, 5) and inst.view_url == ""
    portal.set_url(inst, "/admin/companies?q=filler&page=99")  # past the end: the last page
    portal.call(inst, "load")
    assert inst.page == 2
    portal.set_url(inst, "/admin/companies")
    portal.call(inst, "load")  # the next visit: the whole list, as its empty search box says
    assert inst.query == "" and inst.total == 33 and inst.page == 1


def test_staff_creates_a_company(portal: Portal):
    inst = portal.state(AdminCompaniesState, "staff", url="/admin/companies")
    portal.call(inst, "load")
    portal.call(inst, "open_new")
    assert inst.dialog_open and [f["name"] for f in inst.new_fields] == list(COMPANY_FIELDS)
    before = portal.snapshot()
    portal.call(inst, "create", {"name": "Initech", "website": "not a url"})
    assert inst.errors.get("website") and portal.snapshot() == before
    assert {f["name"]: f["value"] for f in inst.new_fields}["name"] == "Initech"  # kept while fixing
    result = portal.call(inst, "create", {"name": "Initech", "website": "initech.example.com", "id": 1})
    with session_scope() as s:
        company = s.exec(select(Company).where(Company.name == "Initech")).one()
    assert redirect_path(result) == f"/admin/company?id={company.id}"
    assert company.website == "https://initech.example.com" and company.id != 1
    assert not inst.dialog_open and "Initech" in inst.notice


def test_staff_edits_one_company(portal: Portal):
    acme = portal.company_id("Acme Oy")
    inst = portal.state(AdminCompanyState, "staff", url=f"/admin/company?id={acme}")
    portal.call(inst, "load")
    assert inst.loaded and inst.company_name == "Acme Oy" and all(f["editable"] for f in inst.fields)
    assert {f["name"]: f["value"] for f in inst.fields}["business_id"] == "1234567-1"
    portal.call(inst, "save", {"name": "Acme Oyj", "city": "Tampere"})
    assert not inst.errors and inst.notice and inst.company_name == "Acme Oyj"
    with session_scope() as s:
        company = s.get(Company, acme)
        assert (company.name, company.city) == ("Acme Oyj", "Tampere")
    before = portal.snapshot()
    portal.call(inst, "save", {"name": ""})
    assert inst.errors.get("name") and portal.snapshot() == before


def test_admin_company_with_a_bad_id(portal: Portal):
    for query in ("", "?id=abc", "?id=-1", "?id=0", "?id=987654", "?id=99999999999999999999999",
                  "?id=" + "9" * 100_000):
        inst = portal.state(AdminCompanyState, "staff", url=f"/admin/company{query}")
        portal.call(inst, "load")
        assert inst.errors and inst.fields == [] and not inst.loaded, query
        assert inst.company_name == "Company not found", query  # the page says so, its forms not drawn
        before = portal.snapshot()
        portal.call(inst, "save", {"name": "Hacked"})
        assert inst.errors and portal.snapshot() == before


# --- profiles ------------------------------------------------------------------------------------


def test_staff_views_profiles(portal: Portal):
    inst = portal.state(AdminProfilesState, "staff", url="/admin/profiles")
    result = portal.call(inst, "load")
    assert [i["name"] for i in inst.items] == ["Basic", "Primary contact"]
    basic = portal.profile_id("Basic")
    assert result.handler.fn.__qualname__.endswith("select") and result.args[0][1]._var_value == basic
    portal.call(inst, "select", portal.profile_id("Primary contact"))
    assert inst.name == "Primary contact" and not inst.is_default
    assert [r["key"] for r in inst.module_rows] == list(MODULE_KEYS)
    assert {r["key"]: r["level"] for r in inst.field_rows}["contact.email"] == "read"
    # the contact's and the company's "Phone" each under its group's heading
    assert [(r["group"], r["key"]) for r in inst.field_rows if r["group"]] == [
        ("Contact person", "contact.first_name"), ("Company", "company.name")]
    portal.call(inst, "select", 987654)
    assert inst.errors and inst.name == "Primary contact"


def test_staff_creates_saves_and_deletes_a_profile(portal: Portal):
    inst = portal.state(AdminProfilesState, "staff", url="/admin/profiles")
    portal.call(inst, "load")
    portal.call(inst, "new_profile")
    assert inst.selected_id == 0 and inst.name == ""
    form = {"name": "Viewer", "module.company": "view", "module.tickets": "edit",
            "field.contact.phone": "edit", "field.company.city": "read"}
    portal.call(inst, "save", form)
    assert not inst.errors and inst.notice and inst.selected_id
    with session_scope() as s:
        row = s.get(PortalProfile, inst.selected_id)
        assert row.name == "Viewer" and row.module_access["company"] == "view"
        assert row.module_access["invoices"] == "none" and row.field_access["company.city"] == "read"
        assert set(row.field_access) == set(FIELD_KEYS) and not row.is_default
    assert "Viewer" in [i["name"] for i in inst.items]
    portal.call(inst, "save", {**form, "name": "basic"})  # names are unique regardless of case
    assert inst.errors.get("name")
    portal.call(inst, "save", {**form, "module.company": "admin"})
    assert inst.errors
    portal.call(inst, "delete")
    assert not inst.errors and inst.selected_id == 0
    with session_scope() as s:
        assert s.exec(select(PortalProfile).where(PortalProfile.name == "Viewer")).first() is None


def test_staff_names_a_profile_in_the_other_languages(portal: Portal):
    inst = portal.state(AdminProfilesState, "staff", url="/admin/profiles")
    portal.call(inst, "load")
    portal.call(inst, "select", portal.profile_id("Basic"))  # (what load chains to)
    assert inst.values["name"] == "Basic" and inst.values["name_fi"] == "" and not inst.texts_open
    form = {"name": "Basic", "module.tickets": "edit", "name_fi": "Peruskäyttäjä", "name_de": "", "name_it": ""}
    portal.call(inst, "save", {**form, "name_de": "x" * 101})
    assert set(inst.errors) == {"name_de"} and inst.texts_open  # the message where it is: unfolded
    with session_scope() as s:
        assert s.get(PortalProfile, portal.profile_id("Basic")).translations == {}
    portal.call(inst, "save", form)
    assert not inst.errors and inst.values["name_fi"] == "Peruskäyttäjä" and inst.texts_open
    portal.call(inst, "select", portal.profile_id("Primary contact"))
    assert inst.values["name_fi"] == "" and inst.values["name"] == "Primary contact" and not inst.texts_open
    portal.call(inst, "select", portal.profile_id("Basic"))
    assert inst.values["name_fi"] == "Peruskäyttäjä"


def test_staff_cannot_delete_a_profile_in_use(portal: Portal):
    inst = portal.state(AdminProfilesState, "staff", url="/admin/profiles")
    portal.call(inst, "select", portal.profile_id("Basic"))
    before = portal.snapshot()
    portal.call(inst, "delete")
    assert inst.errors and portal.snapshot() == before


def test_default_profile_moves(portal: Portal):
    inst = portal.state(AdminProfilesState, "staff", url="/admin/profiles")
    portal.call(inst, "select", portal.profile_id("Primary contact"))
    form = {"name": "Primary contact", "is_default": "on",
            **{f"module.{r['key']}": r["level"] for r in inst.module_rows},
            **{f"field.{r['key']}": r["level"] for r in inst.field_rows}}
    portal.call(inst, "save", form)
    assert not inst.errors and inst.is_default
    with session_scope() as s:
        defaults = s.exec(select(PortalProfile).where(PortalProfile.is_default == True)).all()  # noqa: E712
        assert [p.name for p in defaults] == ["Primary contact"]


# --- settings ------------------------------------------------------------------------------------


def test_staff_loads_settings(portal: Portal):
    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "load")
    assert [m["key"] for m in inst.modules] == list(MODULE_KEYS) and all(m["enabled"] for m in inst.modules)
    assert inst.values["portal_name"] == "Customer Portal" and inst.values["lockout_threshold"] == "5"
    # the demo's Finnish, German and Italian versions (seed.TRANSLATED_TEXTS) fill their tabs
    assert inst.links == [{"index": 0, "uid": 0, "title": "Service status", "url": "https://status.example.com",
                           "titles": {lang: texts["link_titles"][0] for lang, texts in TRANSLATED_TEXTS.items()}}]
    assert inst.translated == {lang: {"welcome_message": texts["welcome_message"], "home_content": texts["home_content"]}
                               for lang, texts in TRANSLATED_TEXTS.items()}
    assert set(inst.translated) == {"fi", "de", "it"}


def test_toggle_module_changes_the_contacts_menu_and_access(portal: Portal):
    shell = portal.state(SessionState, "acme_admin")
    portal.call(shell, "guard")
    assert "/company" in [i["href"] for i in shell.nav_items]

    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "load")
    portal.call(inst, "toggle_module", "company", False)
    assert not inst.errors and inst.module_notice
    assert "company" not in _settings().enabled_modules
    assert [m["enabled"] for m in inst.modules if m["key"] == "company"] == [False]

    portal.call(shell, "guard")  # the contact's next page load
    assert "/company" not in [i["href"] for i in shell.nav_items]
    company = portal.state(CompanyState, "acme_admin", url="/company")
    assert portal.call(company, "load") is None  # no redirect: the page says it is not available
    assert company.unavailable and company.fields == [] and company.company_name == ""
    contacts = portal.state(ContactsState, "acme_admin", url="/company")
    portal.call(contacts, "load_for_company")
    assert not contacts.manage and contacts.rows == []

    portal.call(inst, "toggle_module", "company", True)
    portal.call(shell, "guard")
    assert "/company" in [i["href"] for i in shell.nav_items]


def test_toggle_links_hides_the_external_links(portal: Portal):
    shell = portal.state(SessionState, "acme_user")
    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "toggle_module", "links", False)
    portal.call(shell, "guard")
    assert not any(i["external"] for i in shell.nav_items)


def test_staff_saves_settings_and_links(portal: Portal):
    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "load")
    portal.call(inst, "add_link")
    assert len(inst.links) == 2
    form = {**inst.values, "portal_name": "Acme Service", "menu_color": "#112233",
            "link_title_0": "Status", "link_url_0": "https://status.example.com",
            "link_title_1": "Docs", "link_url_1": "https://docs.example.com"}
    portal.call(inst, "save", form)
    assert not inst.errors and inst.notice and inst.portal_name == "Acme Service"
    row = _settings()
    assert row.portal_name == "Acme Service" and row.menu_color == "#112233"
    assert row.external_links == [{"title": "Status", "url": "https://status.example.com"},
                                  {"title": "Docs", "url": "https://docs.example.com"}]
    portal.call(inst, "add_link")
    form_key, uids = inst.form_key, [link["uid"] for link in inst.links]
    portal.call(inst, "remove_link", 0)
    assert [link["title"] for link in inst.links] == ["Docs", ""] and [l["index"] for l in inst.links] == [0, 1]
    # the rows left keep their rows on the page, and the form is not drawn again (what was typed stays)
    assert [link["uid"] for link in inst.links] == uids[1:] and inst.form_key == form_key
    portal.call(inst, "add_link")
    assert len({link["uid"] for link in inst.links}) == 3
    # a double click sends the row's removal twice: one row goes
    gone = inst.links[0]["uid"]
    portal.call(inst, "remove_link", gone)
    portal.call(inst, "remove_link", gone)
    assert len(inst.links) == 2 and gone not in [link["uid"] for link in inst.links]


def test_settings_errors_keep_what_was_typed(portal: Portal):
    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "load")
    before = portal.snapshot()
    portal.call(inst, "save", {**inst.values, "portal_name": "New name", "menu_color": "red",
                               "lockout_threshold": "1000", "link_title_0": "Evil", "link_url_0": "javascript:alert(1)"})
    assert {"menu_color", "lockout_threshold", "link_url_0"} <= set(inst.errors)
    assert portal.snapshot() == before
    assert inst.values["portal_name"] == "New name" and inst.links[0]["title"] == "Evil"


def test_texts_per_language_are_saved_and_shown_in_the_readers_language(portal: Portal):
    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "load")
    portal.call(inst, "add_link")
    form = {**inst.values, "link_title_0": "Service status", "link_url_0": "https://status.example.com",
            "link_title_1": "Docs", "link_url_1": "https://docs.example.com",
            "welcome_message_fi": "Tervetuloa portaaliin", "home_content_fi": "",
            "link_title_0_fi": "", "link_title_1_fi": "Ohjeet"}
    portal.call(inst, "save", form)
    assert not inst.errors and inst.notice
    assert _settings().translations == {"fi": {"welcome_message": "Tervetuloa portaaliin",
                                               "link_titles": ["", "Ohjeet"]}}
    assert inst.translated["fi"]["welcome_message"] == "Tervetuloa portaaliin"
    assert [link["titles"]["fi"] for link in inst.links] == ["", "Ohjeet"]

    home = portal.state(HomeState, "acme_user")
    portal.call(home, "load")
    assert home.welcome_in["fi"] == "Tervetuloa portaaliin"
    assert home.welcome_in["en"] == "Welcome to the customer portal"
    assert home.paragraphs_in["fi"] == home.paragraphs_in["en"] != []  # no Finnish text: the English one
    assert home.text_lang_in["fi"] == {"welcome_message": "fi", "home_content": "en"}  # and marked English
    shell = portal.state(SessionState, "acme_user")
    portal.call(shell, "choose_language", "fi")
    assert [i["label"] for i in shell.nav_items if i["external"]] == ["Service status", "Ohjeet"]
    portal.call(shell, "choose_language", "en")
    assert [i["label"] for i in shell.nav_items if i["external"]] == ["Service status", "Docs"]


def test_an_error_in_another_language_shows_its_tab_and_keeps_what_was_typed(portal: Portal):
    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "load")
    before = portal.snapshot()
    portal.call(inst, "save", {**inst.values, "link_title_0": "Service status", "link_url_0": "https://status.example.com",
                               "welcome_message_fi": "x" * 501, "link_title_0_fi": "Tila\x07"})
    assert {"welcome_message_fi", "link_title_0_fi"} <= set(inst.errors)
    assert portal.snapshot() == before
    assert inst.error_langs == ["fi"] and inst.text_lang == "fi"
    assert inst.translated["fi"]["welcome_message"] == "x" * 500  # kept, to the field's limit
    assert inst.links[0]["titles"]["fi"] == "Tila\x07"
    portal.call(inst, "show_texts_in", "en")
    assert inst.text_lang == "en"
    for garbage in ("xx", None, 5, {"fi": 1}):
        portal.call(inst, "show_texts_in", garbage)
        assert inst.text_lang == "en"


def test_link_rows_are_capped(portal: Portal):
    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "load")
    for _ in range(MAX_LINK_ROWS + 5):
        portal.call(inst, "add_link")
    assert len(inst.links) == MAX_LINK_ROWS
    for index in (-1, MAX_LINK_ROWS, 10**30, "0", None, 1.0):
        portal.call(inst, "remove_link", index)
    assert len(inst.links) == MAX_LINK_ROWS


def test_profiles_say_how_many_contacts_use_them_in_good_english(portal: Portal):
    with session_scope() as s:  # exactly one contact on a profile of its own
        solo = PortalProfile(name="Solo", module_access={}, field_access={})
        s.add(solo)
        s.flush()
        s.execute(update(Contact).where(Contact.id == portal.contact_id("Korhonen")).values(profile_id=solo.id))
        s.commit()
        usage = profile_usage(session=s, actor=portal.actor("staff"))
        assert usage[solo.id] == 1 and any(count > 1 for count in usage.values())
    inst = portal.state(AdminProfilesState, "staff", url="/admin/profiles")
    portal.call(inst, "load")
    for item in inst.items:
        count = usage.get(item["id"], 0)
        assert item["usage"] == ("Used by 1 contact" if count == 1 else f"Used by {count} contacts"), item


def test_staff_uploads_a_logo_that_the_shell_shows_at_once(portal: Portal):
    from statekit import UploadFiles

    from portal_app.services.portal import branding

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "load")
    portal.call(inst, "upload_logo", UploadFiles([("notes.png", b"not a picture")]))
    assert inst.logo_error == "Use a PNG, JPEG, WebP or GIF picture." and not inst.logo_busy
    assert inst.values["logo_url"] == "" and inst.logo_url == ""
    portal.call(inst, "upload_logo", UploadFiles([("acme logo.png", png)]))
    assert inst.logo_error == "" and inst.logo_notice == "Logo saved: every page shows it now."
    address = inst.values["logo_url"]
    assert address.startswith(branding.ROUTE) and inst.logo_url == address  # the form's field and the shell
    customer = portal.state(AdminSettingsState, "acme_user", url="/admin/settings")
    portal.call(customer, "upload_logo", UploadFiles([("evil.png", png)]))  # not staff: nothing happens
    assert customer.logo_notice == "" and customer.logo_error == ""
    portal.call(inst, "remove_logo")
    assert inst.values["logo_url"] == "" and inst.logo_url == "" and inst.logo_notice.startswith("Logo removed")
    assert list(branding.logo_dir().iterdir()) == []
