"""profiles: save and delete validation, defaults, and the effect of a profile on the actor."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal_app.models import PortalProfile
from portal_app.services.portal import profiles
from portal_app.services.errors import NotFound, ValidationFailed
from portal_app.services.portal.modules import MODULE_KEYS

STAFF = "staff@example.com"


def save(demo, data, profile_id=None):
    return profiles.save_profile(session=demo.session, actor=demo.actor(STAFF), data=data, profile_id=profile_id)


def test_new_profile_is_saved_with_every_key_filled_in(demo):
    profile = save(demo, {"name": " Invoices only ", "module_access": {"invoices": "view"},
                          "field_access": {"contact.email": "read"}})
    assert profile.name == "Invoices only" and profile.is_default is False
    assert set(profile.module_access) == set(MODULE_KEYS)
    assert profile.module_access["invoices"] == "view" and profile.module_access["company"] == "none"
    assert profile.field_access["contact.email"] == "read"
    assert profile.field_access["company.name"] == "hidden"


def test_profile_rights_reach_the_actor(demo):
    profile = save(demo, {"name": "Tickets viewer", "module_access": {"tickets": "view"},
                          "field_access": {"contact.phone": "edit"}})
    demo.use_profile("user@acme.example.com", profile)
    actor = demo.actor("user@acme.example.com")
    assert actor.can("tickets") and not actor.can("tickets", "edit") and not actor.can("company")
    assert actor.field("contact.phone") == "edit" and actor.field("contact.email") == "hidden"


@pytest.mark.parametrize(("data", "field"), [
    ({"name": "X", "module_access": {"payroll": "edit"}}, "module_access"),
    ({"name": "X", "module_access": {"company": "admin"}}, "module_access"),
    ({"name": "X", "module_access": {"company": "EDIT"}}, "module_access"),
    ({"name": "X", "module_access": {"company": None}}, "module_access"),
    ({"name": "X", "module_access": {"company": ["edit"]}}, "module_access"),
    ({"name": "X", "module_access": {"company": {"edit": 1}}}, "module_access"),
    ({"name": "X", "field_access": {"contact.salary": "edit"}}, "field_access"),
    ({"name": "X", "field_access": {"email": "edit"}}, "field_access"),
    ({"name": "X", "field_access": {"contact.email": "write"}}, "field_access"),
    ({"name": "X", "field_access": {"contact.email": ["edit"]}}, "field_access"),
    ({"name": "X", "module_access": ["company"]}, "form"),
    ({"name": "X", "field_access": "all"}, "form"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": None}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": ["X"]}, "name"),
    ({}, "name"),
])
def test_invalid_profiles_are_refused(demo, data, field):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        save(demo, data)
    assert field in info.value.fields
    assert demo.committed_state() == before


@pytest.mark.parametrize("name", ["Basic", "basic", " BASIC "])
def test_name_must_be_unique(demo, name):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        save(demo, {"name": name})
    assert info.value.fields["name"][0] == "error.name_taken"
    assert demo.committed_state() == before


def test_renaming_onto_another_profile_is_refused(demo):
    primary = demo.profile("Primary contact").id
    with pytest.raises(ValidationFailed):
        save(demo, {"name": "basic"}, profile_id=primary)


def test_a_profile_may_keep_its_own_name(demo):
    basic = demo.profile("Basic")
    saved = save(demo, {"name": "Basic", "module_access": {"company": "edit"}}, profile_id=basic.id)
    assert saved.id == basic.id and saved.module_access["company"] == "edit"
    assert saved.module_access["invoices"] == "none"  # replaced, not merged


def test_is_default_moves_to_the_saved_profile(demo):
    new = save(demo, {"name": "New default", "is_default": True})
    demo.session.expire_all()
    defaults = [p.name for p in demo.session.exec(select(PortalProfile).where(PortalProfile.is_default)).all()]
    assert defaults == ["New default"] and new.is_default


def test_truthy_non_bool_is_default_is_ignored(demo):
    save(demo, {"name": "Not default", "is_default": "yes"})
    demo.session.expire_all()
    assert demo.profile("Basic").is_default and not demo.profile("Not default").is_default


def test_saving_an_unknown_id_is_not_found(demo):
    with pytest.raises(NotFound):
        save(demo, {"name": "Ghost"}, profile_id=999_999)


def test_profile_in_use_cannot_be_deleted(demo):
    basic = demo.profile("Basic")
    users = profiles.profile_usage(session=demo.session, actor=demo.actor(STAFF))[basic.id]
    assert users == 3  # user@acme, liisa@acme, hans@globex
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        profiles.delete_profile(session=demo.session, actor=demo.actor(STAFF), profile_id=basic.id)
    assert info.value.fields == {"profile": ("error.profile_in_use", {"count": 3})}
    assert demo.committed_state() == before


def test_profile_used_only_by_an_inactive_contact_is_still_in_use(demo):
    profile = demo.make_profile("Retired")
    demo.make_contact(demo.company("Acme Oy"), "Old", "Timer", "old@acme.example.com", profile=profile,
                      is_active=False)
    with pytest.raises(ValidationFailed):
        profiles.delete_profile(session=demo.session, actor=demo.actor(STAFF), profile_id=profile.id)


def test_unused_profile_is_deleted(demo):
    profile = demo.make_profile("Temporary")
    profiles.delete_profile(session=demo.session, actor=demo.actor(STAFF), profile_id=str(profile.id))
    names = [p.name for p in profiles.list_profiles(session=demo.session, actor=demo.actor(STAFF))]
    assert names == ["Basic", "Primary contact"]
    with pytest.raises(NotFound):
        profiles.delete_profile(session=demo.session, actor=demo.actor(STAFF), profile_id=profile.id)


@pytest.mark.parametrize("profile_id", ["abc", None, 0, -1, {}, [], True, 1.5, "x" * 100_000])
def test_delete_refuses_bad_ids(demo, profile_id):
    with pytest.raises(ValidationFailed):
        profiles.delete_profile(session=demo.session, actor=demo.actor(STAFF), profile_id=profile_id)


def test_default_profile_cannot_be_deleted_even_when_unused(demo):
    staff = demo.actor(STAFF)
    spare = demo.make_profile("Spare default")
    profiles.save_profile(session=demo.session, actor=staff, profile_id=spare.id,
                          data={"name": "Spare default", "is_default": True, "module_access": {}, "field_access": {}})
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        profiles.delete_profile(session=demo.session, actor=staff, profile_id=spare.id)
    assert info.value.fields == {"profile": ("error.profile_default", {})}
    assert demo.committed_state() == before


def test_a_profiles_name_in_other_languages_is_what_company_admins_read(demo):
    """Staff name a profile in each language; a Finnish company admin reads "Peruskäyttäjä" among
    the colleagues, an English one "Basic"; staff see the name as they wrote it, in any language."""
    from dataclasses import replace

    from portal_app.services.companies import directory

    basic = demo.session.exec(select(PortalProfile).where(PortalProfile.name == "Basic")).one()
    saved = save(demo, {"name": "Basic", "module_access": basic.module_access, "field_access": basic.field_access,
                        "name_fi": " Peruskäyttäjä ", "name_de": "", "name_it": "Base"}, profile_id=basic.id)
    assert saved.translations == {"fi": {"name": "Peruskäyttäjä"}, "it": {"name": "Base"}}
    admin = demo.actor("admin@acme.example.com")

    def profile_of(actor, email="user@acme.example.com"):
        return next(r.profile_name for r in directory.list_contacts(session=demo.session, actor=actor)
                    if r.email == email)

    assert profile_of(replace(admin, language="fi")) == "Peruskäyttäjä"
    assert profile_of(replace(admin, language="de")) == "Basic"  # none written: the default language's
    assert profile_of(admin) == "Basic"
    staff = replace(demo.actor(STAFF), language="fi")
    acme = demo.company("Acme Oy").id
    assert next(r.profile_name for r in directory.list_contacts(session=demo.session, actor=staff, company_id=acme)
                if r.email == "user@acme.example.com") == "Basic"
    # a form without the other languages leaves them; one too long is refused at its field, nothing saved
    save(demo, {"name": "Basic", "module_access": basic.module_access, "field_access": basic.field_access},
         profile_id=basic.id)
    assert demo.session.get(PortalProfile, basic.id).translations["fi"] == {"name": "Peruskäyttäjä"}
    with pytest.raises(ValidationFailed) as refused:
        save(demo, {"name": "Basic 2", "name_fi": "x" * 101}, profile_id=basic.id)
    assert set(refused.value.fields) == {"name_fi"}
    demo.session.expire_all()
    assert demo.session.get(PortalProfile, basic.id).name == "Basic"
