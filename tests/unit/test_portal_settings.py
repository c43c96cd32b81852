"""portal_config: settings validation (all or nothing) and module switches."""

from __future__ import annotations

import pytest

from portal_app.models import DEFAULT_MENU_COLOR, ModuleAccess
from portal_app.services import directory, portal_config
from portal_app.services.errors import PermissionDenied, ValidationFailed
from portal_app.services.modules import MODULE_KEYS

STAFF = "staff@example.com"


def update(demo, data):
    return portal_config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF), data=data)


def test_defaults_of_a_new_database(session):
    row = portal_config.get_portal_settings(session)
    assert row.enabled_modules == list(MODULE_KEYS)
    assert (row.lockout_threshold, row.lockout_minutes, row.menu_color) == (5, 15, DEFAULT_MENU_COLOR)
    assert portal_config.get_portal_settings(session).id == row.id  # one row only


def test_valid_changes_are_saved(demo):
    row = update(demo, {
        "portal_name": " Acme Portal ", "menu_color": "#AABBCC", "logo_url": "/logo.png",
        "welcome_message": "Hi", "lockout_threshold": "3", "lockout_minutes": 60,
        "enabled_modules": ["tickets", "company", "company"],
        "external_links": [{"title": "Status", "url": "https://status.example.com"}, {"title": "", "url": ""}],
    })
    assert row.portal_name == "Acme Portal" and row.menu_color == "#AABBCC" and row.logo_url == "/logo.png"
    assert (row.lockout_threshold, row.lockout_minutes) == (3, 60)
    assert row.enabled_modules == ["company", "tickets"]  # in module order, no duplicates
    assert row.external_links == [{"title": "Status", "url": "https://status.example.com"}]


def test_only_keys_present_are_touched(demo):
    before = demo.settings().model_dump()
    update(demo, {"welcome_message": "Hello"})
    demo.session.expire_all()
    after = demo.settings().model_dump()
    assert after == before | {"welcome_message": "Hello"}


@pytest.mark.parametrize(("data", "field", "key"), [
    ({"menu_color": "red"}, "menu_color", "error.color"),
    ({"menu_color": "#12345"}, "menu_color", "error.color"),
    ({"menu_color": "#GGGGGG"}, "menu_color", "error.color"),
    ({"menu_color": "#1234567"}, "menu_color", "error.too_long"),
    ({"logo_url": "javascript:alert(1)"}, "logo_url", "error.url"),
    ({"logo_url": "//evil.example.com/x.png"}, "logo_url", "error.url"),
    ({"logo_url": "ftp://example.com/logo.png"}, "logo_url", "error.url"),
    ({"logo_url": "http://[broken"}, "logo_url", "error.url"),
    ({"portal_name": "   "}, "portal_name", "error.required"),
    ({"portal_name": "x" * 101}, "portal_name", "error.too_long"),
    ({"lockout_threshold": -1}, "lockout_threshold", "error.range"),
    ({"lockout_threshold": 101}, "lockout_threshold", "error.range"),
    ({"lockout_threshold": "-1"}, "lockout_threshold", "error.range"),
    ({"lockout_threshold": "five"}, "lockout_threshold", "error.range"),
    ({"lockout_threshold": 2.5}, "lockout_threshold", "error.range"),
    ({"lockout_threshold": True}, "lockout_threshold", "error.range"),
    ({"lockout_threshold": None}, "lockout_threshold", "error.range"),
    ({"lockout_threshold": "²"}, "lockout_threshold", "error.range"),
    ({"lockout_threshold": "05"}, "lockout_threshold", "error.range"),
    ({"lockout_threshold": "５"}, "lockout_threshold", "error.range"),
    ({"lockout_minutes": "+30"}, "lockout_minutes", "error.range"),
    ({"lockout_minutes": 0}, "lockout_minutes", "error.range"),
    ({"lockout_minutes": 10081}, "lockout_minutes", "error.range"),
    ({"lockout_minutes": "9999999"}, "lockout_minutes", "error.range"),
    ({"enabled_modules": ["company", "payroll"]}, "enabled_modules", "error.invalid"),
    ({"enabled_modules": "company"}, "enabled_modules", "error.invalid"),
    ({"enabled_modules": [["company"]]}, "enabled_modules", "error.invalid"),
    ({"external_links": [{"title": "No url", "url": ""}]}, "link_url_0", "error.required"),
    ({"external_links": [{"title": "", "url": "https://example.com"}]}, "link_title_0", "error.required"),
    ({"external_links": [{"title": "Bad", "url": "javascript:alert(1)"}]}, "link_url_0", "error.url"),
    ({"external_links": [{"title": "Ok", "url": "https://a.example"}, "x"]}, "external_links", "error.invalid"),
    ({"external_links": [{"title": "T", "url": "https://a.example"}] * 21}, "external_links", "error.invalid"),
])
def test_bad_values_are_refused_with_the_field_key(demo, data, field, key):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        update(demo, data)
    assert info.value.fields[field][0] == key
    assert demo.committed_state() == before


def test_one_bad_field_saves_nothing(demo):
    """Every error is reported at once, and the good values are not half-saved."""
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        update(demo, {"portal_name": "New name", "welcome_message": "New", "menu_color": "blue",
                      "logo_url": "nope", "lockout_threshold": 1000, "lockout_minutes": "x",
                      "enabled_modules": ["tickets", "unknown"]})
    assert set(info.value.fields) == {"menu_color", "logo_url", "lockout_threshold", "lockout_minutes",
                                      "enabled_modules"}
    assert demo.committed_state() == before


@pytest.mark.parametrize("data", [None, "abc", [], 42])
def test_data_must_be_a_dict(demo, data):
    with pytest.raises(ValidationFailed):
        update(demo, data)


def test_turning_a_module_off_removes_it_from_contacts_at_once(demo):
    user = "user@acme.example.com"
    admin = "admin@acme.example.com"
    assert demo.actor(user).can("company") and demo.actor(admin).can("invoices")

    portal_config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module="company", enabled=False)
    assert not demo.actor(user).can("company")
    assert not demo.actor(admin).can("company") and not demo.actor(admin).manages_company_contacts
    assert demo.actor(admin).can("invoices")  # the others stay
    assert demo.actor(STAFF).can("company", ModuleAccess.EDIT)  # staff keeps its tools
    with pytest.raises(PermissionDenied):
        directory.own_company_fields(session=demo.session, actor=demo.actor(user))
    with pytest.raises(PermissionDenied):
        directory.list_contacts(session=demo.session, actor=demo.actor(admin))

    portal_config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module="company", enabled=True)
    assert demo.actor(user).can("company")


def test_module_off_in_settings_overrides_profile_edit(demo):
    update(demo, {"enabled_modules": [m for m in MODULE_KEYS if m != "tickets"]})
    actor = demo.actor("admin@acme.example.com")
    assert actor.module("tickets") == ModuleAccess.NONE
    partner = demo.actor("partner@partner.example.com")
    assert not partner.can("tickets")


@pytest.mark.parametrize(("module", "enabled"), [("payroll", False), ("company", "no"), ("company", None),
                                                  (["company"], True)])
def test_set_module_enabled_refuses_garbage(demo, module, enabled):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed):
        portal_config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module=module,
                                         enabled=enabled)
    assert demo.committed_state() == before


@pytest.mark.parametrize("logo", ["/\\evil.example.com/x.png", "\\\\evil.example.com\\x.png"])
def test_logo_path_with_backslashes_is_refused(demo, logo):
    """Browsers read '/\\host' as another host: only plain local paths and http(s) URLs pass."""
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        portal_config.update_portal_settings(session=demo.session, actor=demo.actor("staff@example.com"),
                                             data={"logo_url": logo})
    assert info.value.fields["logo_url"][0] == "error.url"
    assert demo.committed_state() == before


@pytest.mark.parametrize(("name", "value", "low", "high"), [
    ("lockout_threshold", "five", 0, 100), ("lockout_threshold", "101", 0, 100),
    ("lockout_minutes", "", 1, 10080), ("lockout_minutes", "0", 1, 10080),
])
def test_a_number_out_of_range_or_not_a_number_is_told_the_allowed_range(demo, name, value, low, high):
    with pytest.raises(ValidationFailed) as info:
        update(demo, {name: value})
    assert info.value.fields[name] == ("error.range", {"min": low, "max": high})
