"""Tenant isolation: a permission matrix of role x action x (own company | other company | missing).

Rules under test (ARCHITECTURE principle 2, SPEC "Who uses it"):
- a company admin manages the contacts of its own company only; another company's rows answer
  NotFound, exactly like ids that do not exist;
- other contacts and collaborators manage nobody;
- staff-only services answer PermissionDenied to everyone else;
- a refused call leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from portal_app.models import Contact
from portal_app.services.accounts import auth
from portal_app.services.companies import directory
from portal_app.services.portal import config, profiles
from portal_app.services.errors import NotFound, PermissionDenied, ServiceError

MISSING_ID = 999_999

# role -> (login, own company, another company)
ROLES = {
    "company_admin": ("admin@acme.example.com", "Acme Oy", "Globex GmbH"),
    "other_company_admin": ("admin@globex.example.com", "Globex GmbH", "Acme Oy"),
    "contact": ("user@acme.example.com", "Acme Oy", "Globex GmbH"),
    "collaborator": ("partner@partner.example.com", "Partner Ltd", "Acme Oy"),
}
MANAGERS = {"company_admin", "other_company_admin"}

# company -> (a colleague with a portal account, a colleague with an email but no account)
COLLEAGUES = {
    "Acme Oy": ("liisa.makinen@acme.example.com", "pekka.nieminen@acme.example.com"),
    "Globex GmbH": ("hans.mueller@globex.example.com", "klara.weber@globex.example.com"),
    "Partner Ltd": ("pia@partner.example.com", "pete@partner.example.com"),
}


@dataclass(frozen=True)
class Target:
    company_id: int
    contact_id: int  # has an enabled portal account
    plain_contact_id: int  # has an email, no account
    account_id: int  # the account of contact_id
    profile_id: int  # a profile no contact uses
    primary_profile_id: int


@pytest.fixture
def world(demo):
    """The demo data plus colleagues for the collaborator's own company and an unused profile."""
    partner = demo.company("Partner Ltd")
    demo.make_contact(partner, "Pia", "Partner", "pia@partner.example.com", profile=demo.profile("Basic"),
                      login=True)
    demo.make_contact(partner, "Pete", "Plain", "pete@partner.example.com")
    demo.make_profile("Unused")
    return demo


def target(world, company: str | None) -> Target:
    """Ids in `company`, or ids that exist nowhere (company None)."""
    unused = world.profile("Unused").id
    primary = world.profile("Primary contact").id
    if company is None:
        return Target(MISSING_ID, MISSING_ID, MISSING_ID - 1, MISSING_ID, unused, primary)
    colleague, plain = COLLEAGUES[company]
    return Target(world.company(company).id, world.contact(colleague).id, world.contact(plain).id,
                  world.account(colleague).id, unused, primary)


@dataclass(frozen=True)
class Action:
    call: Callable[[Any, Any, Target], Any]
    # "company": needs the right to manage a company's contacts (refused to others before any look-up)
    # "contact": acts on one contact (non-managers get NotFound: it is not theirs)
    # "staff": staff-only service
    level: str
    scoped: bool = True  # False: takes no company or contact id


ACTIONS: dict[str, Action] = {
    # --- directory: contacts of a company
    "list_contacts": Action(
        lambda s, a, t: directory.list_contacts(session=s, actor=a, company_id=t.company_id), "company"),
    "create_contact": Action(
        lambda s, a, t: directory.create_contact(session=s, actor=a, company_id=t.company_id,
                                                 data={"first_name": "Eve", "last_name": "Intruder"}),
        "company"),
    "get_contact": Action(
        lambda s, a, t: directory.get_contact(session=s, actor=a, contact_id=t.contact_id), "contact"),
    "update_contact": Action(
        lambda s, a, t: directory.update_contact(session=s, actor=a, contact_id=t.contact_id,
                                                 data={"job_title": "Changed"}), "contact"),
    "deactivate_contact": Action(
        lambda s, a, t: directory.set_contact_active(session=s, actor=a, contact_id=t.contact_id,
                                                     active=False), "contact"),
    "give_portal_access": Action(
        lambda s, a, t: directory.set_portal_access(session=s, actor=a, contact_id=t.plain_contact_id,
                                                    enabled=True), "contact"),
    "remove_portal_access": Action(
        lambda s, a, t: directory.set_portal_access(session=s, actor=a, contact_id=t.contact_id,
                                                    enabled=False), "contact"),
    "set_portal_admin": Action(
        lambda s, a, t: directory.set_portal_admin(session=s, actor=a, contact_id=t.contact_id, admin=True),
        "contact"),
    "send_set_password_link": Action(
        lambda s, a, t: directory.send_set_password_link(session=s, actor=a, contact_id=t.contact_id),
        "contact"),
    # --- directory: staff only
    "unlock_contact": Action(
        lambda s, a, t: directory.unlock_contact(session=s, actor=a, contact_id=t.contact_id), "staff"),
    "set_contact_profile": Action(
        lambda s, a, t: directory.set_contact_profile(session=s, actor=a, contact_id=t.contact_id,
                                                      profile_id=t.primary_profile_id), "staff"),
    "get_company": Action(
        lambda s, a, t: directory.get_company(session=s, actor=a, company_id=t.company_id), "staff"),
    "update_company": Action(
        lambda s, a, t: directory.update_company(session=s, actor=a, company_id=t.company_id,  # names are unique
                                                 data={"name": f"Renamed {t.company_id}"}), "staff"),
    "list_companies": Action(
        lambda s, a, t: directory.list_companies(session=s, actor=a), "staff", scoped=False),
    "create_company": Action(
        lambda s, a, t: directory.create_company(session=s, actor=a, data={"name": "Evil Corp"}), "staff",
        scoped=False),
    # --- profiles
    "list_profiles": Action(lambda s, a, t: profiles.list_profiles(session=s, actor=a), "staff", scoped=False),
    "profile_usage": Action(lambda s, a, t: profiles.profile_usage(session=s, actor=a), "staff", scoped=False),
    "create_profile": Action(
        lambda s, a, t: profiles.save_profile(session=s, actor=a, data={"name": "Everything",
                                                                        "module_access": {"company": "edit"}}),
        "staff", scoped=False),
    "replace_profile": Action(
        lambda s, a, t: profiles.save_profile(session=s, actor=a, profile_id=t.profile_id,
                                              data={"name": "Unused", "module_access": {"invoices": "edit"},
                                                    "is_default": True}),
        "staff", scoped=False),
    "delete_profile": Action(
        lambda s, a, t: profiles.delete_profile(session=s, actor=a, profile_id=t.profile_id), "staff",
        scoped=False),
    # --- portal settings
    "update_portal_settings": Action(
        lambda s, a, t: config.update_portal_settings(session=s, actor=a,
                                                             data={"portal_name": "Hacked", "lockout_threshold": 0}),
        "staff", scoped=False),
    "set_module_enabled": Action(
        lambda s, a, t: config.set_module_enabled(session=s, actor=a, module="invoices", enabled=False),
        "staff", scoped=False),
    # --- auth staff tools
    "unlock_account": Action(
        lambda s, a, t: auth.unlock(session=s, actor=a, account_id=t.account_id), "staff"),
    "login_statistics": Action(
        lambda s, a, t: auth.login_statistics(session=s, actor=a), "staff", scoped=False),
}


def expected_error(role: str, action: Action, scope: str) -> type[ServiceError] | None:
    """None when the call is allowed."""
    if action.level == "staff":
        return PermissionDenied
    if role in MANAGERS:
        return None if scope == "own" else NotFound
    return PermissionDenied if action.level == "company" else NotFound


def company_for(role: str, scope: str) -> str | None:
    _, own, other = ROLES[role]
    return {"own": own, "other": other, "any": other, "missing": None}[scope]


CASES = [
    pytest.param(role, name, scope, id=f"{role}-{name}-{scope}")
    for role in ROLES
    for name, action in ACTIONS.items()
    for scope in (("own", "other", "missing") if action.scoped else ("any",))
]


@pytest.mark.parametrize(("role", "action_name", "scope"), CASES)
def test_permission_matrix(world, role, action_name, scope):
    email = ROLES[role][0]
    action = ACTIONS[action_name]
    tgt = target(world, company_for(role, scope))
    expected = expected_error(role, action, scope)
    before = world.committed_state()
    actor = world.actor(email)

    if expected is None:
        action.call(world.session, actor, tgt)  # the control: the same call is allowed here
        return
    with pytest.raises(ServiceError) as info:
        action.call(world.session, actor, tgt)
    assert type(info.value) is expected, f"{type(info.value).__name__}: {info.value.key}"
    assert world.committed_state() == before


SCOPED = [name for name, action in ACTIONS.items() if action.scoped]


@pytest.mark.parametrize("action_name", SCOPED)
@pytest.mark.parametrize("role", ROLES)
def test_other_company_answers_exactly_like_missing(world, role, action_name):
    """"Exists but not yours" must not be told apart from "does not exist"."""
    action = ACTIONS[action_name]
    actor = world.actor(ROLES[role][0])

    def outcome(tgt: Target) -> tuple:
        try:
            action.call(world.session, actor, tgt)
        except ServiceError as exc:
            world.session.rollback()
            return type(exc), exc.key, exc.params, getattr(exc, "fields", None)
        return ("allowed",)

    assert outcome(target(world, company_for(role, "other"))) == outcome(target(world, None))


@pytest.mark.parametrize("action_name", list(ACTIONS))
def test_staff_may_do_every_action_in_any_company(world, action_name):
    """Control for the matrix: each call is well-formed, and staff reaches every company."""
    staff = world.actor("staff@example.com")
    for company in ("Acme Oy", "Globex GmbH"):
        ACTIONS[action_name].call(world.session, staff, target(world, company))
        world.session.rollback()
        if not ACTIONS[action_name].scoped:
            break


@pytest.mark.parametrize("action_name", SCOPED)
def test_staff_gets_not_found_for_missing_ids(world, action_name):
    with pytest.raises(NotFound):
        ACTIONS[action_name].call(world.session, world.actor("staff@example.com"), target(world, None))


def test_company_admin_lists_only_own_company_contacts(world):
    rows = directory.list_contacts(session=world.session, actor=world.actor("admin@acme.example.com"))
    acme = world.company("Acme Oy").id
    emails = {r.email for r in rows}
    assert "liisa.makinen@acme.example.com" in emails
    assert not any(e.endswith(("globex.example.com", "partner.example.com")) for e in emails)
    assert {world.session.get(Contact, r.id).company_id for r in rows} == {acme}


def test_company_admin_search_does_not_cross_companies(world):
    rows = directory.list_contacts(session=world.session, actor=world.actor("admin@acme.example.com"),
                                   query="globex")
    assert rows == []


def test_created_contact_always_lands_in_the_admins_company(world):
    """Form keys that name another company are not fields and are ignored."""
    globex = world.company("Globex GmbH").id
    contact = directory.create_contact(
        session=world.session, actor=world.actor("admin@acme.example.com"),
        data={"first_name": "New", "last_name": "Colleague", "company_id": globex, "id": 1})
    assert contact.company_id == world.company("Acme Oy").id


def test_own_company_services_reach_only_the_actors_company(world):
    globex_before = world.company("Globex GmbH").model_dump()
    admin = world.actor("admin@acme.example.com")
    company, _ = directory.own_company_fields(session=world.session, actor=admin)
    assert company.name == "Acme Oy"

    globex_id = world.company("Globex GmbH").id
    saved = directory.update_own_company(session=world.session, actor=admin,
                                         data={"city": "Espoo", "id": globex_id, "company_id": globex_id})
    assert saved.name == "Acme Oy" and saved.city == "Espoo"
    world.session.expire_all()
    assert world.company("Globex GmbH").model_dump() == globex_before

    company, _ = directory.own_company_fields(session=world.session, actor=world.actor("admin@globex.example.com"))
    assert company.name == "Globex GmbH"


def test_update_own_contact_ignores_ids_in_the_form(world):
    hans = world.contact("hans.mueller@globex.example.com").model_dump()
    user = world.actor("user@acme.example.com")
    saved = directory.update_own_contact(session=world.session, actor=user,
                                         data={"job_title": "Boss", "id": hans["id"], "contact_id": hans["id"]})
    assert saved.id == user.contact_id and saved.job_title == "Boss"
    world.session.expire_all()
    assert world.contact("hans.mueller@globex.example.com").model_dump() == hans


@pytest.mark.parametrize("service", [directory.own_company_fields, directory.update_own_company])
def test_collaborator_has_no_company_module(world, service):
    kwargs = {"data": {"city": "X"}} if service is directory.update_own_company else {}
    before = world.committed_state()
    with pytest.raises(PermissionDenied):
        service(session=world.session, actor=world.actor("partner@partner.example.com"), **kwargs)
    assert world.committed_state() == before


def test_staff_has_no_own_company(world):
    with pytest.raises(NotFound):
        directory.own_company_fields(session=world.session, actor=world.actor("staff@example.com"))


def test_company_admin_loses_reach_when_demoted(world):
    """Rights are read fresh: an actor built after the admin flag is gone manages nobody."""
    staff = world.actor("staff@example.com")
    admin = world.contact("admin@acme.example.com")
    directory.set_portal_admin(session=world.session, actor=staff, contact_id=admin.id, admin=False)
    with pytest.raises(PermissionDenied):
        directory.list_contacts(session=world.session, actor=world.actor("admin@acme.example.com"))
