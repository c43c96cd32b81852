"""A company's business ID and postal code in its country (services/companies/company_rules.py): a Finnish
business ID's check digit, a postal code's shape where the country has one, the message next to the
field, and nothing saved."""

from __future__ import annotations

import pytest

from portal_app.services.companies import company_rules, directory
from portal_app.services.errors import ValidationFailed

STAFF = "staff@example.com"
ADMIN = "admin@acme.example.com"  # Acme Oy, Finland


@pytest.mark.parametrize("value", ["1234567-1", "0000000-0", "7654321-2", "0112038-9", "2331972-7"])
def test_finnish_business_ids_with_their_check_digit(value):
    assert company_rules.finnish_business_id(value)


@pytest.mark.parametrize("value", ["1234567-8", "1234567", "12345671", "1234567 1", "123456-1", "FI12345671",
                                   "1234568-1", "1234567-1 ", "１２３４５６７-1"])
def test_not_finnish_business_ids(value):
    assert not company_rules.finnish_business_id(value)


def test_a_remainder_of_one_has_no_check_digit():
    """A weighted sum that leaves 1 would need the check digit 10: such numbers are not given out."""
    digits = next(f"{n:07d}" for n in range(10_000_000)
                  if sum(int(d) * w for d, w in zip(f"{n:07d}", (7, 9, 10, 5, 8, 4, 2))) % 11 == 1)
    assert not any(company_rules.finnish_business_id(f"{digits}-{c}") for c in range(10))


@pytest.mark.parametrize(("country", "postal", "ok"), [
    ("Finland", "00100", True), ("suomi", "33100", True), ("FI", "0010", False), ("Finland", "FI-00100", False),
    ("Germany", "10115", True), ("Deutschland", "1011", False), ("Sweden", "114 55", True), ("Sweden", "11455", True),
    ("Italy", "00184", True), ("Italia", "184", False),
    ("United Kingdom", "EC1A 1BB", True), ("", "anything", True), ("Atlantis", "??", True),
])
def test_postal_codes_by_country(country, postal, ok):
    problems = company_rules.company_problems({"postal_code": postal}, country=country)
    assert (problems == {}) is ok
    if not ok:
        assert problems["postal_code"][0] == "error.postal_code"


def test_other_countries_business_ids_are_taken_as_typed():
    assert company_rules.company_problems({"business_id": "DE123456789"}, country="Germany") == {}
    assert company_rules.company_problems({"business_id": "1234567-8"}, country="Sweden") == {}


def test_a_company_admin_gets_the_message_at_the_field_and_nothing_is_saved(demo):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        directory.update_own_company(session=demo.session, actor=demo.actor(ADMIN),
                                     data={"business_id": "1234567-8", "postal_code": "100", "city": "Espoo"})
    assert info.value.fields == {"business_id": ("error.business_id_fi", {}),
                                 "postal_code": ("error.postal_code", {"example": "00100"})}
    assert demo.committed_state() == before
    saved = directory.update_own_company(session=demo.session, actor=demo.actor(ADMIN),
                                         data={"business_id": "2331972-7", "postal_code": "02100", "city": "Espoo"})
    assert (saved.business_id, saved.postal_code, saved.city) == ("2331972-7", "02100", "Espoo")


def test_staff_creating_a_finnish_company_get_both_messages_with_the_others(demo):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        directory.create_company(session=demo.session, actor=demo.actor(STAFF),
                                 data={"name": "Uusi Oy", "country": "Finland", "business_id": "1234567-2",
                                       "postal_code": "ABC", "website": "not a site"})
    assert set(info.value.fields) == {"business_id", "postal_code", "website"}
    assert demo.committed_state() == before


def test_an_id_stored_before_the_rule_does_not_block_other_changes(demo):
    acme = demo.company("Acme Oy")
    acme.business_id = "1234567-8"  # as the demo data had it
    demo.session.add(acme)
    demo.session.commit()
    saved = directory.update_own_company(session=demo.session, actor=demo.actor(ADMIN), data={"phone": "+358 9 999"})
    assert (saved.phone, saved.business_id) == ("+358 9 999", "1234567-8")


def test_a_new_country_checks_the_id_and_code_kept(demo):
    globex = demo.company("Globex GmbH")  # DE123456789, 10115 Berlin
    with pytest.raises(ValidationFailed) as info:
        directory.update_company(session=demo.session, actor=demo.actor(STAFF), company_id=globex.id,
                                 data={"name": globex.name, "country": "Finland"})
    assert set(info.value.fields) == {"business_id"}  # 10115 is a Finnish shape too
    saved = directory.update_company(session=demo.session, actor=demo.actor(STAFF), company_id=globex.id,
                                     data={"name": globex.name, "country": "Sweden"})
    assert saved.country == "Sweden"
