"""Field rights from the portal profile, enforced by the services (not only by the forms).

Demo profile "Basic" (user@acme.example.com): company module view only, company fields read-only,
company.business_id hidden, contact fields editable except contact.email (read-only).
"""

from __future__ import annotations

import pytest

from portal_app.models import COMPANY_FIELDS, CONTACT_FIELDS, FieldAccess, ModuleAccess
from portal_app.services import submissions
from portal_app.services.accounts import auth
from portal_app.services.companies import directory
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed

USER = "user@acme.example.com"
ADMIN = "admin@acme.example.com"


def names(views) -> list[str]:
    return [v.name for v in views]


# --- own contact ---------------------------------------------------------------------------------

def test_basic_contact_sees_its_fields_with_email_read_only(demo):
    views = {v.name: v for v in directory.own_contact_fields(session=demo.session, actor=demo.actor(USER))}
    assert list(views) == list(CONTACT_FIELDS)
    assert views["email"].value == USER and views["email"].editable is False
    assert all(v.editable for n, v in views.items() if n != "email")


@pytest.mark.parametrize("email", ["someone.else@acme.example.com", "USER@ACME.EXAMPLE.COM", ""])
def test_basic_contact_cannot_change_read_only_email(demo, email):
    before = demo.committed_state()
    with pytest.raises(PermissionDenied) as info:
        directory.update_own_contact(session=demo.session, actor=demo.actor(USER),
                                     data={"email": email, "job_title": "CFO"})
    assert info.value.key == "error.field_read_only"
    assert info.value.fields == {"email": ("error.field_read_only", {})}  # said next to the field
    assert demo.committed_state() == before  # the editable job title was not saved either


def test_unchanged_read_only_value_may_be_submitted(demo):
    """A form posts read-only fields back unchanged; that is not an attempt to change them."""
    saved = directory.update_own_contact(session=demo.session, actor=demo.actor(USER),
                                         data={"email": f"  {USER} ", "job_title": "CFO"})
    assert saved.email == USER and saved.job_title == "CFO"


def test_editable_contact_fields_save(demo):
    directory.update_own_contact(session=demo.session, actor=demo.actor(USER),
                                 data={"first_name": "Ville-Veikko", "phone": "+358 50 1", "department": "Finance"})
    demo.session.expire_all()
    contact = demo.contact(USER)
    assert (contact.first_name, contact.phone, contact.department) == ("Ville-Veikko", "+358 50 1", "Finance")


def test_editable_field_still_validated(demo):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        directory.update_own_contact(session=demo.session, actor=demo.actor(USER), data={"first_name": ""})
    assert info.value.fields["first_name"][0] == "error.required"
    assert demo.committed_state() == before


def test_hidden_contact_field_is_absent_and_cannot_be_changed(demo, field_access):
    profile = demo.make_profile("No phone", fields=field_access(contact__phone=FieldAccess.HIDDEN))
    demo.use_profile(USER, profile)
    actor = demo.actor(USER)
    assert "phone" not in names(directory.own_contact_fields(session=demo.session, actor=actor))

    before = demo.committed_state()
    # Ignored rather than refused: an error for a different value (and none for the same one)
    # would let the user guess a hidden value.
    directory.update_own_contact(session=demo.session, actor=actor, data={"phone": "+1 555"})
    directory.update_own_contact(session=demo.session, actor=actor, data={"phone": ""})
    assert demo.committed_state() == before


def test_contact_without_profile_can_only_read_itself(demo):
    pirjo = demo.make_contact(demo.company("Acme Oy"), "Pirjo", "Plain", "pirjo@acme.example.com", login=True)
    actor = demo.actor("pirjo@acme.example.com")
    assert actor.contact_id == pirjo.id
    views = directory.own_contact_fields(session=demo.session, actor=actor)
    assert names(views) == list(CONTACT_FIELDS) and not any(v.editable for v in views)
    with pytest.raises(PermissionDenied):
        directory.update_own_contact(session=demo.session, actor=actor, data={"job_title": "Boss"})


def test_staff_has_no_own_contact(demo):
    with pytest.raises(NotFound):
        directory.own_contact_fields(session=demo.session, actor=demo.actor("staff@example.com"))


# --- own company ---------------------------------------------------------------------------------

def test_basic_contact_sees_company_read_only_without_hidden_business_id(demo):
    company, views = directory.own_company_fields(session=demo.session, actor=demo.actor(USER))
    assert company.name == "Acme Oy"
    assert names(views) == [n for n in COMPANY_FIELDS if n != "business_id"]
    assert "1234567-1" not in {v.value for v in views}
    assert not any(v.editable for v in views)


@pytest.mark.parametrize("field", COMPANY_FIELDS)
def test_basic_contact_cannot_change_any_company_field(demo, field):
    before = demo.committed_state()
    with pytest.raises(PermissionDenied):
        directory.update_own_company(session=demo.session, actor=demo.actor(USER), data={field: "Changed value"})
    assert demo.committed_state() == before


def test_read_only_company_field_refused_even_with_module_edit(demo, field_access):
    """Module edit right does not lift a field's read-only right."""
    profile = demo.make_profile("Company editor", fields=field_access(
        company__name=FieldAccess.READ, company__business_id=FieldAccess.HIDDEN))
    demo.use_profile(USER, profile)
    actor = demo.actor(USER)
    assert actor.can("company", ModuleAccess.EDIT)

    _, views = directory.own_company_fields(session=demo.session, actor=actor)
    by_name = {v.name: v for v in views}
    assert "business_id" not in by_name
    assert by_name["name"].editable is False and by_name["city"].editable is True

    before = demo.committed_state()
    with pytest.raises(PermissionDenied):
        directory.update_own_company(session=demo.session, actor=actor, data={"name": "Acme Evil Oy", "city": "Espoo"})
    assert demo.committed_state() == before
    # a hidden field is ignored, never compared (no oracle for its value)
    directory.update_own_company(session=demo.session, actor=actor, data={"business_id": "0000000-0"})
    assert demo.committed_state() == before

    saved = directory.update_own_company(session=demo.session, actor=actor,
                                         data={"name": "Acme Oy", "city": "Espoo", "website": "acme.example.org"})
    assert (saved.name, saved.city, saved.website) == ("Acme Oy", "Espoo", "https://acme.example.org")


def test_module_view_right_blocks_editable_company_fields(demo, field_access):
    """Field rights say edit, the company module says view: view wins, nothing is saved."""
    modules = {"company": ModuleAccess.VIEW}
    demo.use_profile(USER, demo.make_profile("View company", modules=modules, fields=field_access()))
    actor = demo.actor(USER)
    _, views = directory.own_company_fields(session=demo.session, actor=actor)
    assert views and not any(v.editable for v in views)
    before = demo.committed_state()
    with pytest.raises(PermissionDenied):
        directory.update_own_company(session=demo.session, actor=actor, data={"city": "Espoo"})
    assert demo.committed_state() == before


def test_company_admin_edits_company_fields(demo):
    saved = directory.update_own_company(session=demo.session, actor=demo.actor(ADMIN),
                                         data={"phone": "+358 9 999", "business_id": "7654321-2"})
    assert (saved.phone, saved.business_id) == ("+358 9 999", "7654321-2")


def test_company_website_is_checked(demo):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        directory.update_own_company(session=demo.session, actor=demo.actor(ADMIN), data={"website": "not a url"})
    assert "website" in info.value.fields
    assert demo.committed_state() == before


@pytest.mark.parametrize("phone", ["call me maybe", "<script>x</script>", "123", "+358 40 abc 4567"])
def test_phone_numbers_are_checked_on_companies_and_contacts(demo, phone):
    before = demo.committed_state()
    for call in (
        lambda: directory.update_own_company(session=demo.session, actor=demo.actor(ADMIN), data={"phone": phone}),
        lambda: directory.update_own_contact(session=demo.session, actor=demo.actor(ADMIN), data={"mobile": phone}),
        lambda: directory.create_contact(session=demo.session, actor=demo.actor(ADMIN),
                                         data={"first_name": "Pia", "last_name": "Puhelin", "phone": phone}),
    ):
        with pytest.raises(ValidationFailed) as info:
            call()
        key = "error.phone_digits" if phone == "123" else "error.phone"  # too short, or not a number's characters
        assert info.value.fields in ({"phone": (key, {})}, {"mobile": (key, {})})
    assert demo.committed_state() == before


def test_every_company_field_error_is_said_at_once(demo):
    with pytest.raises(ValidationFailed) as info:
        directory.update_own_company(session=demo.session, actor=demo.actor(ADMIN),
                                     data={"name": "", "website": "not a url", "phone": "abc"})
    assert set(info.value.fields) == {"name", "website", "phone"}


# --- managing contacts ---------------------------------------------------------------------------

@pytest.mark.parametrize("email", [USER, "liisa.makinen@acme.example.com", "partner@partner.example.com"])
def test_non_admin_cannot_manage_contacts(demo, email):
    actor = demo.actor(email)
    colleague = demo.contact("pekka.nieminen@acme.example.com").id
    before = demo.committed_state()
    calls = [
        lambda: directory.list_contacts(session=demo.session, actor=actor),
        lambda: directory.create_contact(session=demo.session, actor=actor,
                                         data={"first_name": "A", "last_name": "B"}),
        lambda: directory.update_contact(session=demo.session, actor=actor, contact_id=colleague,
                                         data={"job_title": "X"}),
        lambda: directory.set_contact_active(session=demo.session, actor=actor, contact_id=colleague, active=False),
        lambda: directory.set_portal_access(session=demo.session, actor=actor, contact_id=colleague, enabled=True),
        lambda: directory.set_portal_admin(session=demo.session, actor=actor, contact_id=colleague, admin=True),
    ]
    for call in calls:
        with pytest.raises((PermissionDenied, NotFound)):
            call()
    assert demo.committed_state() == before


def test_non_admin_cannot_make_itself_admin(demo):
    actor = demo.actor(USER)
    with pytest.raises((PermissionDenied, NotFound)):
        directory.set_portal_admin(session=demo.session, actor=actor, contact_id=actor.contact_id, admin=True)
    demo.session.rollback()
    assert demo.contact(USER).portal_admin is False


@pytest.mark.parametrize("action", ["deactivate", "remove_access", "remove_admin"])
def test_company_admin_cannot_act_on_itself(demo, action):
    actor = demo.actor(ADMIN)
    me = actor.contact_id
    before = demo.committed_state()
    with pytest.raises(PermissionDenied) as info:
        if action == "deactivate":
            directory.set_contact_active(session=demo.session, actor=actor, contact_id=me, active=False)
        elif action == "remove_access":
            directory.set_portal_access(session=demo.session, actor=actor, contact_id=me, enabled=False)
        else:
            directory.set_portal_admin(session=demo.session, actor=actor, contact_id=me, admin=False)
    assert info.value.key == "error.not_yourself"
    assert demo.committed_state() == before


def test_company_admin_edits_colleague_within_its_own_field_rights(demo, field_access):
    """contact.email is read-only for the admin's OWN record (its login), but the admin corrects the
    address of a colleague who does not sign in with it yet (a colleague's working login is staff's:
    test_portal_access.py); a field hidden from the admin stays out of reach for colleagues too."""
    actor = demo.actor(ADMIN)
    liisa = demo.contact("liisa.makinen@acme.example.com").id
    pekka = demo.contact("pekka.nieminen@acme.example.com").id
    saved = directory.update_contact(session=demo.session, actor=actor, contact_id=pekka,
                                     data={"job_title": "Head buyer", "email": "pekka@acme.example.org"})
    assert (saved.job_title, saved.email) == ("Head buyer", "pekka@acme.example.org")
    saved = directory.update_contact(session=demo.session, actor=actor, contact_id=liisa,
                                     data={"job_title": "Head buyer"})
    assert saved.job_title == "Head buyer"
    with pytest.raises(PermissionDenied):
        directory.update_own_contact(session=demo.session, actor=actor, data={"email": "boss@acme.example.org"})

    profile = demo.make_profile("Admin without phones", modules={"company": ModuleAccess.EDIT},
                                fields=field_access(contact__phone=FieldAccess.HIDDEN))
    demo.use_profile(ADMIN, profile)
    actor = demo.actor(ADMIN)
    before = demo.committed_state()
    directory.update_contact(session=demo.session, actor=actor, contact_id=liisa, data={"phone": "+1 555"})
    assert demo.committed_state() == before
    assert all(row.phone == "" for row in directory.list_contacts(session=demo.session, actor=actor))


def test_company_admin_deactivates_colleague_and_ends_its_access(demo):
    liisa = "liisa.makinen@acme.example.com"
    token = auth.login(session=demo.session, email=liisa, password=demo.password).token
    assert auth.actor_for_token(session=demo.session, token=token) is not None

    contact = directory.set_contact_active(session=demo.session, actor=demo.actor(ADMIN),
                                           contact_id=demo.contact(liisa).id, active=False)
    assert contact.is_active is False
    demo.session.expire_all()
    assert demo.account(liisa).enabled is False
    assert auth.actor_for_token(session=demo.session, token=token) is None
    assert auth.login(session=demo.session, email=liisa, password=demo.password).ok is False
    # reactivated with access again: the old browser session stays ended
    staff = demo.actor("staff@example.com")
    directory.set_contact_active(session=demo.session, actor=staff, contact_id=contact.id, active=True)
    directory.set_portal_access(session=demo.session, actor=staff, contact_id=contact.id, enabled=True)
    assert auth.actor_for_token(session=demo.session, token=token) is None


def test_company_admin_cannot_choose_a_profile(demo):
    before = demo.committed_state()
    with pytest.raises(PermissionDenied):
        directory.set_portal_access(session=demo.session, actor=demo.actor(ADMIN),
                                    contact_id=demo.contact("pekka.nieminen@acme.example.com").id,
                                    enabled=True, profile_id=demo.profile("Primary contact").id)
    assert demo.committed_state() == before


def test_editable_email_changes_the_login_name(demo, field_access):
    demo.use_profile(USER, demo.make_profile("Email editor", fields=field_access()))
    actor = demo.actor(USER)
    directory.update_own_contact(session=demo.session, actor=actor, data={"email": "Ville.K@Acme.example.com"})
    assert auth.login(session=demo.session, email="ville.k@acme.example.com", password=demo.password).ok
    assert not auth.login(session=demo.session, email=USER, password=demo.password).ok


@pytest.mark.parametrize(("email", "key"), [("admin@acme.example.com", "error.email_taken"),
                                            ("admin@globex.example.com", "error.email_unavailable"),
                                            ("not an email", "error.email"), ("", "error.required")])
def test_editable_email_is_validated(demo, field_access, email, key):
    demo.use_profile(USER, demo.make_profile("Email editor", fields=field_access()))
    actor = demo.actor(USER)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        directory.update_own_contact(session=demo.session, actor=actor, data={"email": email})
    assert info.value.fields["email"][0] == key
    assert demo.committed_state() == before


@pytest.mark.parametrize("how", ["deactivate", "remove_access"])
def test_the_admin_flag_goes_with_portal_access_and_does_not_come_back_with_it(demo, how):
    """A company admin signs in: the flag ends with the access, and giving access again (to the same
    person, or a successor typed over the contact) gives a plain login, not a company admin."""
    actor = demo.actor(ADMIN)
    colleague = demo.contact(USER).id
    directory.set_portal_admin(session=demo.session, actor=actor, contact_id=colleague, admin=True)
    if how == "deactivate":
        directory.set_contact_active(session=demo.session, actor=actor, contact_id=colleague, active=False)
        directory.set_contact_active(session=demo.session, actor=actor, contact_id=colleague, active=True)
    else:
        directory.set_portal_access(session=demo.session, actor=actor, contact_id=colleague, enabled=False)
    assert demo.contact(USER).portal_admin is False
    with pytest.raises(ValidationFailed) as exc:  # nor can it wait for the next login on the contact
        directory.set_portal_admin(session=demo.session, actor=actor, contact_id=colleague, admin=True)
    assert exc.value.fields == {"portal_admin": ("error.admin_needs_access", {})}
    directory.set_portal_access(session=demo.session, actor=actor, contact_id=colleague, enabled=True,
                                submission_id=submissions.new_submission_id())
    assert demo.contact(USER).portal_admin is False
    directory.set_portal_admin(session=demo.session, actor=actor, contact_id=colleague, admin=True)
    assert demo.contact(USER).portal_admin is True
