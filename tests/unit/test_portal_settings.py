"""services/portal/config.py: settings validation (all or nothing) and module switches."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal_app.i18n import translate
from portal_app.models import DEFAULT_MENU_COLOR, ModuleAccess
from portal_app.services.companies import directory
from portal_app.services.portal import config
from portal_app.services.errors import PermissionDenied, ValidationFailed
from portal_app.services.portal.modules import MODULE_KEYS

STAFF = "staff@example.com"


def update(demo, data):
    return config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF), data=data)


def test_defaults_of_a_new_database(session):
    row = config.get_portal_settings(session)
    assert row.enabled_modules == list(MODULE_KEYS)
    assert (row.lockout_threshold, row.lockout_minutes, row.menu_color) == (5, 15, DEFAULT_MENU_COLOR)
    assert config.get_portal_settings(session).id == row.id  # one row only


def test_valid_changes_are_saved(demo):
    row = update(demo, {
        "portal_name": " Acme Portal ", "menu_color": "#2A5B3C", "logo_url": "/logo.png",
        "welcome_message": "Hi", "lockout_threshold": "3", "lockout_minutes": 60,
        "enabled_modules": ["tickets", "company", "company"],
        "external_links": [{"title": "Status", "url": "https://status.example.com"}, {"title": "", "url": ""}],
    })
    assert row.portal_name == "Acme Portal" and row.menu_color == "#2A5B3C" and row.logo_url == "/logo.png"
    assert (row.lockout_threshold, row.lockout_minutes) == (3, 60)
    assert row.enabled_modules == ["company", "tickets"]  # in module order, no duplicates
    assert row.external_links == [{"title": "Status", "url": "https://status.example.com"}]


def test_the_menu_colour_keeps_its_white_text_readable():
    assert config.contrast_with_white("#000000") == pytest.approx(21)
    assert config.contrast_with_white("#ffffff") == pytest.approx(1)
    assert config.contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey for AA
    assert config.contrast_with_white(DEFAULT_MENU_COLOR) >= config.MENU_CONTRAST_MIN
    message = translate("fi", "error.color_contrast", ratio=Decimal("1.9"), min=config.MENU_CONTRAST_MIN)
    assert "1,9:1" in message and "4,5:1" in message


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
    ({"menu_color": "#AABBCC"}, "menu_color", "error.color_contrast"),  # white text on it: 1.9:1
    ({"menu_color": "#ffff66"}, "menu_color", "error.color_contrast"),
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


def test_every_bad_link_row_is_said_at_once(demo):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        update(demo, {"external_links": [{"title": "Fine", "url": "https://ok.example"},
                                          {"title": "Bad", "url": "javascript:alert(1)"},
                                          {"title": "", "url": "https://no-title.example"},
                                          {"title": "", "url": ""},
                                          {"title": "x" * 101, "url": "ftp://x.example"}]})
    assert {field: message[0] for field, message in info.value.fields.items()} == {
        "link_url_1": "error.url", "link_title_2": "error.required", "link_title_4": "error.too_long",
        "link_url_4": "error.url"}
    assert demo.committed_state() == before


@pytest.mark.parametrize("data", [None, "abc", [], 42])
def test_data_must_be_a_dict(demo, data):
    with pytest.raises(ValidationFailed):
        update(demo, data)


def test_turning_a_module_off_removes_it_from_contacts_at_once(demo):
    user = "user@acme.example.com"
    admin = "admin@acme.example.com"
    assert demo.actor(user).can("company") and demo.actor(admin).can("invoices")

    config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module="company", enabled=False)
    assert not demo.actor(user).can("company")
    assert not demo.actor(admin).can("company") and not demo.actor(admin).manages_company_contacts
    assert demo.actor(admin).can("invoices")  # the others stay
    assert demo.actor(STAFF).can("company", ModuleAccess.EDIT)  # staff keeps its tools
    with pytest.raises(PermissionDenied):
        directory.own_company_fields(session=demo.session, actor=demo.actor(user))
    with pytest.raises(PermissionDenied):
        directory.list_contacts(session=demo.session, actor=demo.actor(admin))

    config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module="company", enabled=True)
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
        config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module=module,
                                         enabled=enabled)
    assert demo.committed_state() == before


@pytest.mark.parametrize("logo", ["/\\evil.example.com/x.png", "\\\\evil.example.com\\x.png"])
def test_logo_path_with_backslashes_is_refused(demo, logo):
    """Browsers read '/\\host' as another host: only plain local paths and http(s) URLs pass."""
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        config.update_portal_settings(session=demo.session, actor=demo.actor("staff@example.com"),
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


# --- the seller printed on invoices ---------------------------------------------------------------------

SELLER = {"name": "Example Services Oy", "address": "Esimerkkikatu 1, 00100 Helsinki", "business_id": "1234567-8",
          "iban": "fi2112345600000785", "bic": "ndeafihh", "bank": "Nordea"}


def test_the_seller_is_saved_with_the_iban_grouped_and_the_bic_in_capitals(demo):
    row = update(demo, {"seller": SELLER})
    assert row.seller == {**SELLER, "iban": "FI21 1234 5600 0007 85", "bic": "NDEAFIHH"}
    # spaces anywhere are allowed; an 11-character BIC (with a branch) too; line breaks fold
    row = update(demo, {"seller": {**SELLER, "iban": " GB82 WEST 1234 5698 7654 32 ", "bic": "DEUTDEFF500",
                                   "address": "Street 1\r\n00100 City"}})
    assert (row.seller["iban"], row.seller["bic"]) == ("GB82 WEST 1234 5698 7654 32", "DEUTDEFF500")
    assert row.seller["address"] == "Street 1 00100 City"


def test_an_empty_seller_clears_every_field(demo):
    update(demo, {"seller": SELLER})
    row = update(demo, {"seller": {}})
    assert row.seller == {"name": "", "address": "", "business_id": "", "iban": "", "bic": "", "bank": ""}


@pytest.mark.parametrize("iban", [
    "FI21 1234 5600 0007 86",  # one digit off: mod 97 is not 1
    "FI12 1234 5600 0007 85",  # check digits swapped
    "GB82 WEST 1234 5698 7654 33",
    "FI21",  # too short
    "21FI 1234 5600 0007 85",  # no country first
    "FI21-1234-5600-0007-85",  # only spaces may group it
    "FI21 1234 5600 0007 85 1234 5678 9012 3456 7",  # longer than 34
    "ＦＩ21 1234 5600 0007 85",  # full-width letters
])
def test_a_bad_iban_is_refused(demo, iban):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        update(demo, {"seller": {**SELLER, "iban": iban}})
    assert info.value.fields["seller_iban"][0] in ("error.iban", "error.too_long")
    assert demo.committed_state() == before


@pytest.mark.parametrize("bic", ["NDEAFI", "NDEAFIHHX", "NDEAFIHH1234", "1DEAFIHH", "NDEA11HH", "NDEA-FIHH",
                                 "NDEAFIH_"])
def test_a_bic_not_in_iso_9362_shape_is_refused(demo, bic):
    with pytest.raises(ValidationFailed) as info:
        update(demo, {"seller": {**SELLER, "bic": bic}})
    assert info.value.fields["seller_bic"][0] in ("error.bic", "error.too_long")


@pytest.mark.parametrize(("field", "value", "key"), [
    ("name", "x" * 101, "error.too_long"), ("address", "x" * 301, "error.too_long"),
    ("business_id", "x" * 31, "error.too_long"), ("bank", "x" * 101, "error.too_long"),
    ("name", "Evil\x00Corp", "error.control_chars"), ("bank", ["Nordea"], "error.invalid"),
    ("name", {"a": 1}, "error.invalid"), ("iban", True, "error.invalid"),
])
def test_each_seller_field_is_one_line_within_its_limit(demo, field, value, key):
    with pytest.raises(ValidationFailed) as info:
        update(demo, {"seller": {**SELLER, field: value}})
    assert info.value.fields[f"seller_{field}"][0] == key


@pytest.mark.parametrize("seller", [None, "Example Oy", ["name"], {"name": "x", "password": "y"}])
def test_a_seller_that_is_not_the_fields_is_refused(demo, seller):
    with pytest.raises(ValidationFailed) as info:
        update(demo, {"seller": seller})
    assert info.value.fields["seller"][0] == "error.invalid"


def test_every_seller_error_is_told_at_once_and_nothing_is_saved(demo):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        update(demo, {"portal_name": "Renamed", "seller": {**SELLER, "iban": "FI00 1234", "bic": "X",
                                                           "name": "n" * 200}})
    assert set(info.value.fields) == {"seller_iban", "seller_bic", "seller_name"}
    assert demo.committed_state() == before


def test_only_staff_sets_the_seller(demo):
    with pytest.raises(PermissionDenied):
        config.update_portal_settings(session=demo.session, actor=demo.actor("admin@acme.example.com"),
                                             data={"seller": SELLER})


def test_the_longest_iban_fits_its_field_grouped_in_fours(demo):
    """34 characters (ISO 13616's longest), grouped: the 42 characters of the field's limit."""
    body = "1234567890" * 3  # the 30 characters after the country and the check digits
    check = 98 - int("".join(str(int(ch, 36)) for ch in body + "FI00")) % 97
    iban = f"FI{check:02d}{body}"
    assert config.iban_valid(iban) and len(iban) == 34
    row = update(demo, {"seller": {**SELLER, "iban": iban}})
    assert row.seller["iban"] == " ".join(iban[i:i + 4] for i in range(0, 34, 4)) and len(row.seller["iban"]) == 42
