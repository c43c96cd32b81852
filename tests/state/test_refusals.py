"""Every handler that reads private data or writes, called as a hostile client would call it.

1. anonymous (no session token): refused, nothing written, nothing private in any public var;
2. the wrong actor (another company's admin, a basic contact or a collaborator on admin or
   contact-management handlers, company admins on staff-only handlers): refused the same way;
3. garbage arguments in every argument position, by the right actor: a clean refusal.

Where a handler acts on an id held in a backend var (`_editing_id`, `_company_id`, `selected_id`),
the var is forged to point at Acme's rows, as if a staff member had used the same browser tab
before: the service must still refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

import pytest
from sqlalchemy import update
from sqlmodel import select
from statekit import (
    ACME_COLLEAGUES_OF_USER, ACME_PRIVATE, EVERYTHING_PRIVATE, GLOBEX_PRIVATE, LONG,
    PARTNER_PRIVATE, STAFF_PRIVATE, Portal, garbage_forms, garbage_values, redirect_path,
)

from portal_app.db import session_scope
from portal_app.models import COMPANY_FIELDS, CONTACT_FIELDS, Account, Company, Contact, PortalProfile, utcnow
from portal_app.services.modules import MODULE_KEYS
from portal_app.services.profiles import FIELD_KEYS
from portal_app.state.admin_companies import AdminCompaniesState, AdminCompanyState
from portal_app.state.admin_profiles import AdminProfilesState
from portal_app.state.admin_settings import AdminSettingsState
from portal_app.state.admin_users import AdminUsersState
from portal_app.state.auth import ForgotPasswordState, LoginState, ResetPasswordState
from portal_app.state.contacts import ContactsState
from portal_app.state.home import HomeState
from portal_app.state.profile import CompanyState, MyDetailsState
from portal_app.state.session import SessionState

ACME = "Acme Oy"

# --- preparation of forged backend state ------------------------------------------------------------


def lock_account(email: str) -> None:
    with session_scope() as s:
        s.exec(update(Account).where(Account.email == email)
               .values(locked_until=utcnow() + timedelta(hours=1), failed_logins=3))
        s.commit()


def contacts_prep(p: Portal, inst: Any) -> None:
    inst._company_id = p.company_id(ACME)
    inst._editing_id = p.contact_id("Nieminen")
    lock_account("user@acme.example.com")


def admin_company_prep(p: Portal, inst: Any) -> None:
    inst._company_id = p.company_id(ACME)


def profiles_prep(p: Portal, inst: Any) -> None:
    with session_scope() as s:
        spare = PortalProfile(name="Spare profile", module_access={}, field_access={})
        s.add(spare)
        s.commit()
        s.refresh(spare)
        inst.selected_id = spare.id


def settings_prep(p: Portal, inst: Any) -> None:
    inst.values = {k: "" for k in ("portal_name", "logo_url", "menu_color", "welcome_message", "home_content",
                                   "lockout_threshold", "lockout_minutes")}
    inst.links = [{"index": 0, "title": "", "url": ""}]


def users_prep(p: Portal, inst: Any) -> None:
    lock_account("user@acme.example.com")


# --- the handlers -------------------------------------------------------------------------------------


@dataclass
class Case:
    cls: type
    name: str
    args: Callable[[Portal], tuple] = lambda p: ()
    url: Callable[[Portal], str] = lambda p: "/"
    prep: Callable[[Portal, Any], None] | None = None
    foreign: tuple[str, ...] = ()  # actors for whom this is someone else's data or a staff-only action
    message: bool = False  # a signed-in actor that is refused gets a message in `errors`
    ui_only: bool = False  # opens or resets a form; shows no stored data

    @property
    def id(self) -> str:
        return f"{self.cls.__name__}.{self.name}"


NON_STAFF = ("acme_admin", "acme_user", "globex_admin", "partner")
NOT_ACME_ADMIN = ("globex_admin", "acme_user", "partner")


def pekka(p: Portal) -> int:
    return p.contact_id("Nieminen")


def ville(p: Portal) -> int:
    return p.contact_id("Korhonen")


def acme_url(path: str) -> Callable[[Portal], str]:
    return lambda p: f"{path}?id={p.company_id(ACME)}"


CASES: list[Case] = [
    # session shell
    Case(SessionState, "guard", url=lambda p: "/company?tab=1", foreign=()),
    Case(SessionState, "guard_staff", url=lambda p: "/admin/users", foreign=NON_STAFF),
    Case(SessionState, "choose_language", args=lambda p: ("en",)),
    Case(SessionState, "load_public"),
    Case(SessionState, "sign_out"),
    Case(LoginState, "load"),
    Case(ForgotPasswordState, "load"),
    Case(ResetPasswordState, "load", url=lambda p: "/reset-password?token=" + "a" * 43),
    # contacts of a company
    Case(ContactsState, "load_for_company", foreign=("acme_user", "partner")),
    Case(ContactsState, "load_for_admin", url=acme_url("/admin/company"), foreign=NON_STAFF),
    Case(ContactsState, "open_new", ui_only=True),
    Case(ContactsState, "close_dialog", ui_only=True),
    Case(ContactsState, "open_edit", args=lambda p: (pekka(p),), foreign=NOT_ACME_ADMIN, message=True),
    Case(ContactsState, "save_contact", prep=contacts_prep, foreign=NOT_ACME_ADMIN, message=True,
         args=lambda p: ({"first_name": "Hacked", "last_name": "Hacked", "email": "hacked@evil.example",
                          "job_title": "Hacked"},)),
    Case(ContactsState, "set_access", args=lambda p: (pekka(p), True), foreign=NOT_ACME_ADMIN, message=True),
    Case(ContactsState, "set_admin", args=lambda p: (ville(p), True), foreign=NOT_ACME_ADMIN, message=True),
    Case(ContactsState, "set_active", args=lambda p: (ville(p), False), foreign=NOT_ACME_ADMIN, message=True),
    Case(ContactsState, "set_profile", args=lambda p: (ville(p), str(p.profile_id("Primary contact"))),
         foreign=NON_STAFF, message=True),
    Case(ContactsState, "unlock", args=lambda p: (ville(p),), prep=contacts_prep, foreign=NON_STAFF,
         message=True),
    Case(ContactsState, "send_link", args=lambda p: (ville(p),), foreign=NOT_ACME_ADMIN, message=True),
    # own details, own company, home
    Case(MyDetailsState, "load", foreign=("staff",)),
    Case(MyDetailsState, "save", args=lambda p: ({"first_name": "Hacked", "email": "hacked@evil.example"},),
         foreign=("staff",), message=True),
    Case(CompanyState, "load", foreign=("partner", "staff")),
    Case(CompanyState, "save", args=lambda p: ({"name": "Hacked", "city": "Hacked"},),
         foreign=("acme_user", "partner", "staff"), message=True),
    Case(HomeState, "load"),
    # admin: users
    Case(AdminUsersState, "load", url=lambda p: "/admin/users?q=acme", foreign=NON_STAFF),
    Case(AdminUsersState, "search", args=lambda p: ({"q": "acme"},), foreign=NON_STAFF),
    Case(AdminUsersState, "go_to_page", args=lambda p: (1,), foreign=NON_STAFF),
    Case(AdminUsersState, "unlock", args=lambda p: (p.account_id("user@acme.example.com"),), prep=users_prep,
         foreign=NON_STAFF, message=True),
    # admin: companies
    Case(AdminCompaniesState, "load", foreign=NON_STAFF),
    Case(AdminCompaniesState, "search", args=lambda p: ({"q": "acme"},), foreign=NON_STAFF),
    Case(AdminCompaniesState, "go_to_page", args=lambda p: (1,), foreign=NON_STAFF),
    Case(AdminCompaniesState, "open_new", foreign=NON_STAFF, ui_only=True),
    Case(AdminCompaniesState, "close_dialog", foreign=NON_STAFF, ui_only=True),
    Case(AdminCompaniesState, "create", args=lambda p: ({"name": "Evil Corp"},), foreign=NON_STAFF,
         message=True),
    Case(AdminCompanyState, "load", url=acme_url("/admin/company"), foreign=NON_STAFF, message=True),
    Case(AdminCompanyState, "save", args=lambda p: ({"name": "Hacked", "city": "Hacked"},),
         prep=admin_company_prep, foreign=NON_STAFF, message=True),
    # admin: profiles
    Case(AdminProfilesState, "load", foreign=NON_STAFF),
    Case(AdminProfilesState, "select", args=lambda p: (p.profile_id("Primary contact"),), foreign=NON_STAFF,
         message=True),
    Case(AdminProfilesState, "new_profile", foreign=NON_STAFF, ui_only=True),
    Case(AdminProfilesState, "save", prep=profiles_prep, foreign=NON_STAFF, message=True,
         args=lambda p: ({"name": "Hacked", "is_default": "on", "module.company": "edit"},)),
    Case(AdminProfilesState, "delete", prep=profiles_prep, foreign=NON_STAFF, message=True),
    # admin: settings
    Case(AdminSettingsState, "load", foreign=NON_STAFF),
    Case(AdminSettingsState, "toggle_module", args=lambda p: ("company", False), foreign=NON_STAFF,
         message=True),
    Case(AdminSettingsState, "add_link", foreign=NON_STAFF, ui_only=True),
    Case(AdminSettingsState, "remove_link", args=lambda p: (0,), prep=settings_prep, foreign=NON_STAFF),
    Case(AdminSettingsState, "save", prep=settings_prep, foreign=NON_STAFF, message=True,
         args=lambda p: ({"portal_name": "Hacked", "menu_color": "#000000", "link_title_0": "Evil",
                          "link_url_0": "https://evil.example"},)),
]

# Data each actor must never receive (their own data and what they may see is left out).
HIDDEN_FROM = {
    "acme_admin": GLOBEX_PRIVATE + PARTNER_PRIVATE + STAFF_PRIVATE,
    "acme_user": ACME_COLLEAGUES_OF_USER + ("1234567-8",) + GLOBEX_PRIVATE + PARTNER_PRIVATE + STAFF_PRIVATE,
    "globex_admin": ACME_PRIVATE + PARTNER_PRIVATE + STAFF_PRIVATE,
    "partner": ACME_PRIVATE + GLOBEX_PRIVATE + STAFF_PRIVATE,
    "staff": (),  # staff sees everything; its refusals are only checked for writes
}


def _errors(inst: Any) -> dict:
    return getattr(inst, "errors", {}) or {}


def test_every_handler_of_every_portal_state_is_in_the_matrix():
    """A new handler must be added here (or it is an untested public endpoint)."""
    covered = {c.id for c in CASES}
    publics = {"LoginState.submit", "ForgotPasswordState.submit", "ResetPasswordState.submit"}
    classes = [SessionState, LoginState, ForgotPasswordState, ResetPasswordState, ContactsState,
               MyDetailsState, CompanyState, HomeState, AdminUsersState, AdminCompaniesState,
               AdminCompanyState, AdminProfilesState, AdminSettingsState]
    missing = []
    for cls in classes:
        own = [n for n in cls.event_handlers if n != "setvar"
               and (cls is SessionState or n not in SessionState.event_handlers)]
        missing += [f"{cls.__name__}.{n}" for n in own if f"{cls.__name__}.{n}" not in covered | publics]
    assert not missing
    # and no state of the app hides from this list
    from reflex.state import State

    def walk(c):
        for sub in c.__subclasses__():
            yield sub
            yield from walk(sub)

    portal_states = {c.__name__ for c in walk(State) if c.__module__.startswith("portal_app.")}
    assert portal_states - {"FieldFormState"} <= {c.__name__ for c in classes}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_anonymous_is_refused(portal: Portal, case: Case):
    inst = portal.state(case.cls, None, url=case.url(portal))
    if case.prep:
        case.prep(portal, inst)
    before = portal.snapshot()
    result = portal.call(inst, case.name, *case.args(portal))
    assert portal.snapshot() == before
    portal.assert_no_markers(inst, EVERYTHING_PRIVATE)
    assert not inst.signed_in and inst.display_name == "" and inst.nav_items == []
    path = redirect_path(result)
    assert result is None or (path is not None and path.startswith("/login")), result
    if case.name in ("guard", "guard_staff"):
        assert path is not None and path.startswith("/login?next=")


FOREIGN = [(case, who) for case in CASES for who in case.foreign]


@pytest.mark.parametrize("case,who", FOREIGN, ids=[f"{c.id}-{w}" for c, w in FOREIGN])
def test_wrong_actor_is_refused(portal: Portal, case: Case, who: str):
    inst = portal.state(case.cls, who, url=case.url(portal))
    if case.prep:
        case.prep(portal, inst)
    before = portal.snapshot()
    result = portal.call(inst, case.name, *case.args(portal))
    assert portal.snapshot() == before, "a refused handler changed the database"
    portal.assert_no_markers(inst, HIDDEN_FROM[who])
    for var in ("rows", "items", "fields", "module_rows", "field_rows", "profile_options", "modules"):
        value = getattr(inst, var, None)
        assert case.ui_only or not value, f"{var} filled for a refused actor: {value}"
    if case.cls is ContactsState:
        assert not inst.manage
    if case.message:
        assert _errors(inst), "refusal without a message"
    path = redirect_path(result)
    assert result is None or path in ("/", "/login"), result
    if case.name == "guard_staff":
        assert path == "/"


def test_foreign_not_found_answers_like_missing(portal: Portal):
    """'Exists but not yours' answers exactly like 'does not exist'."""
    inst = portal.state(ContactsState, "globex_admin")
    portal.call(inst, "load_for_company")
    portal.call(inst, "open_edit", portal.contact_id("Nieminen"))
    theirs = dict(inst.errors)
    portal.call(inst, "open_edit", 987654)
    assert theirs == dict(inst.errors) and theirs
    assert not inst.dialog_open and inst.edit_fields == []


# --- garbage arguments ------------------------------------------------------------------------------


def current(model: type, where: Any, fields: tuple[str, ...]) -> dict[str, str]:
    """A row's present values as a form: submitting it changes nothing."""
    with session_scope() as s:
        row = s.exec(select(model).where(where)).one()
        return {name: str(getattr(row, name) or "") for name in fields}


SETTINGS_FIELDS = ("portal_name", "logo_url", "menu_color", "welcome_message", "home_content",
                   "lockout_threshold", "lockout_minutes", "link_title_0", "link_url_0")


def settings_form(p: Portal) -> dict[str, str]:
    from portal_app.services.portal_config import get_portal_settings

    with session_scope() as s:
        row = get_portal_settings(s)
        return {"portal_name": row.portal_name, "logo_url": row.logo_url, "menu_color": row.menu_color,
                "welcome_message": row.welcome_message, "home_content": row.home_content,
                "lockout_threshold": str(row.lockout_threshold), "lockout_minutes": str(row.lockout_minutes),
                "link_title_0": row.external_links[0]["title"], "link_url_0": row.external_links[0]["url"]}


PROFILE_FIELDS = ("name", *(f"module.{k}" for k in MODULE_KEYS), *(f"field.{k}" for k in FIELD_KEYS))
NEW_PROFILE = {"name": "Fresh profile", "module.company": "view", "field.contact.email": "read"}
NEW_CONTACT = {"first_name": "New", "last_name": "Person", "email": "new.person@acme.example.com"}


@dataclass
class Garbage:
    cls: type
    name: str
    who: str | None
    args: Callable[[Portal], tuple]  # a valid call; one position at a time is replaced by garbage
    load: str | None = None  # handler run first, as the page's on_load does
    url: Callable[[Portal], str] = lambda p: "/"
    fields: tuple[str, ...] = ()  # the argument is a form with these fields (else: a plain value)
    base: Callable[[Portal], dict] | None = None  # a valid form; garbage goes in one field at a time
    message: bool = True  # every garbage value gets a message in `errors` (else: may be refused silently)
    arity: int = 1
    setup: Callable[[Portal, Any], None] | None = None  # after `load`: e.g. open a row for editing

    @property
    def id(self) -> str:
        edit = "-edit" if self.setup else ""
        return f"{self.cls.__name__}.{self.name}{edit}-{self.who or 'anonymous'}"


def garbage_for(case: "Garbage", p: Portal) -> list[tuple[str, Any]]:
    if case.fields:
        return garbage_forms(case.fields, case.base(p) if case.base else None)
    return garbage_values()


def ville_form(p: Portal) -> dict[str, str]:
    return current(Contact, Contact.last_name == "Korhonen", CONTACT_FIELDS)


def acme_form(p: Portal) -> dict[str, str]:
    return current(Company, Company.name == ACME, COMPANY_FIELDS)


GARBAGE_CASES: list[Garbage] = [
    Garbage(SessionState, "choose_language", "acme_user", lambda p: ("en",), message=False),
    Garbage(LoginState, "submit", None, lambda p: ({},), message=False,
            fields=("email", "password"), base=lambda p: {"email": "nobody@example.com", "password": "x" * 12}),
    Garbage(ForgotPasswordState, "submit", None, lambda p: ({},), message=False,
            fields=("email",), base=lambda p: {"email": "nobody@example.com"}),
    Garbage(ResetPasswordState, "submit", None, lambda p: ({},), load="load", message=False,
            fields=("password", "confirm"), base=lambda p: {"password": "New-pass-2027!", "confirm": "New-pass-2027!"}),
    Garbage(MyDetailsState, "save", "acme_user", lambda p: ({},), load="load", message=False,
            fields=CONTACT_FIELDS, base=ville_form),
    Garbage(CompanyState, "save", "acme_admin", lambda p: ({},), load="load", message=False,
            fields=COMPANY_FIELDS, base=acme_form),
    Garbage(AdminUsersState, "search", "staff", lambda p: ({"q": ""},), load="load", fields=("q",),
            message=False),
    Garbage(AdminUsersState, "go_to_page", "staff", lambda p: (1,), load="load", message=False),
    Garbage(AdminUsersState, "unlock", "staff", lambda p: (1,), load="load"),
    Garbage(AdminCompaniesState, "search", "staff", lambda p: ({"q": ""},), load="load",
            fields=("q",), message=False),
    Garbage(AdminCompaniesState, "go_to_page", "staff", lambda p: (1,), load="load", message=False),
    Garbage(AdminCompaniesState, "close_dialog", "staff", lambda p: (None,), message=False),
    Garbage(AdminCompaniesState, "create", "staff", lambda p: ({},), load="open_new", message=False,
            fields=COMPANY_FIELDS, base=lambda p: {"name": "New Co", "city": "Espoo"}),
    Garbage(AdminCompanyState, "save", "staff", lambda p: ({},), load="load", url=acme_url("/admin/company"),
            fields=COMPANY_FIELDS, base=acme_form, message=False),
    Garbage(AdminProfilesState, "select", "staff", lambda p: (p.profile_id("Basic"),), load="load"),
    Garbage(AdminProfilesState, "save", "staff", lambda p: ({},), load="new_profile", message=False,
            fields=PROFILE_FIELDS, base=lambda p: dict(NEW_PROFILE)),
    Garbage(AdminSettingsState, "toggle_module", "staff", lambda p: ("company", False), arity=2, load="load"),
    Garbage(AdminSettingsState, "remove_link", "staff", lambda p: (0,), load="load", message=False),
    Garbage(AdminSettingsState, "save", "staff", lambda p: ({},), load="load", message=False,
            fields=SETTINGS_FIELDS, base=settings_form),
    Garbage(ContactsState, "close_dialog", "acme_admin", lambda p: (None,), message=False),
]
for _who, _load, _url in (("acme_admin", "load_for_company", lambda p: "/company"),
                          ("staff", "load_for_admin", acme_url("/admin/company"))):
    GARBAGE_CASES += [
        Garbage(ContactsState, "open_edit", _who, lambda p: (pekka(p),), load=_load, url=_url),
        Garbage(ContactsState, "set_access", _who, lambda p: (pekka(p), True), arity=2, load=_load, url=_url),
        Garbage(ContactsState, "set_admin", _who, lambda p: (ville(p), True), arity=2, load=_load, url=_url),
        Garbage(ContactsState, "set_active", _who, lambda p: (ville(p), False), arity=2, load=_load, url=_url),
        Garbage(ContactsState, "send_link", _who, lambda p: (ville(p),), load=_load, url=_url),
        Garbage(ContactsState, "save_contact", _who, lambda p: ({},), load=_load, url=_url, message=False,
                fields=CONTACT_FIELDS, base=lambda p: dict(NEW_CONTACT)),
        Garbage(ContactsState, "save_contact", _who, lambda p: ({},), load=_load, url=_url, message=False,
                setup=lambda p, inst: p.call(inst, "open_edit", pekka(p)),
                fields=CONTACT_FIELDS, base=lambda p: current(Contact, Contact.last_name == "Nieminen",
                                                               CONTACT_FIELDS)),
    ]
GARBAGE_CASES += [
    Garbage(ContactsState, "set_profile", "staff", lambda p: (ville(p), "1"), arity=2, load="load_for_admin",
            url=acme_url("/admin/company")),
    Garbage(ContactsState, "unlock", "staff", lambda p: (ville(p),), load="load_for_admin",
            url=acme_url("/admin/company")),
]

GARBAGE_RUNS = [(case, pos) for case in GARBAGE_CASES for pos in range(case.arity)]


@pytest.mark.parametrize("case,position", GARBAGE_RUNS, ids=[f"{c.id}-arg{i}" for c, i in GARBAGE_RUNS])
def test_garbage_arguments_are_refused(portal: Portal, case: Garbage, position: int):
    """Each garbage value in this argument position, the others valid: no exception, no change."""
    if case.cls is ResetPasswordState:
        from portal_app.services import auth

        with session_scope() as s:
            mail = auth.request_password_reset(session=s, email="user@acme.example.com")
        url = "/reset-password?token=" + mail["body"].split("token=")[1].split()[0]
    else:
        url = case.url(portal)
    failures = []
    for label, value in garbage_for(case, portal):
        inst = portal.state(case.cls, case.who, url=url)
        if case.load:
            portal.call(inst, case.load)
        if case.setup:
            case.setup(portal, inst)
        args = list(case.args(portal))
        args[position] = value
        before = portal.snapshot(ignore=("updated_at",))
        try:
            portal.call(inst, case.name, *args)
        except Exception as exc:  # noqa: BLE001 - the point of the test
            failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        if portal.snapshot(ignore=("updated_at",)) != before:
            failures.append(f"{label}: the database changed")
        if case.message and not _errors(inst):
            failures.append(f"{label}: no message in errors")
        if LONG in portal.public_text(inst):
            failures.append(f"{label}: the 100000-character value was copied into a public var")
    assert not failures, "\n".join(failures)


# --- garbage in the page URL (loaders read ?id=, ?q=, ?token=, ?next=) ----------------------------

URL_GARBAGE = ["", "abc", "-1", "0", "1.5", "99999999999999999999999", "1%20OR%201%3D1", "%00", "%E2%80%AE1",
               "%5B1%5D", "x" * 100_000, "%2F%2Fevil.example", "javascript%3Aalert(1)"]
LOADERS = [
    (ContactsState, "load_for_admin", "staff", "/admin/company?id="),
    (AdminCompanyState, "load", "staff", "/admin/company?id="),
    (AdminUsersState, "load", "staff", "/admin/users?q="),
    (ResetPasswordState, "load", None, "/reset-password?token="),
    (LoginState, "load", "acme_user", "/login?next="),
    (SessionState, "guard", None, "/company?id="),
    (SessionState, "guard_staff", "acme_user", "/admin/company?id="),
]


@pytest.mark.parametrize("cls,name,who,prefix", LOADERS, ids=[f"{c.__name__}.{n}" for c, n, _, _ in LOADERS])
def test_garbage_in_the_url(portal: Portal, cls: type, name: str, who: str | None, prefix: str):
    failures = []
    for raw in URL_GARBAGE:
        inst = portal.state(cls, who, url=prefix + raw)
        before = portal.snapshot()
        try:
            result = portal.call(inst, name)
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{raw[:30]}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        if portal.snapshot() != before:
            failures.append(f"{raw[:30]}: the database changed")
        path = redirect_path(result)
        if path is not None and not path.startswith("/") or (path or "").startswith("//"):
            failures.append(f"{raw[:30]}: redirect off the site: {path}")
        if getattr(inst, "rows", None) and cls is ContactsState:
            failures.append(f"{raw[:30]}: rows for a garbage company id")
        if getattr(inst, "loaded", False):
            failures.append(f"{raw[:30]}: a company loaded for a garbage id")
    assert not failures, "\n".join(failures)


# The valid call each garbage case starts from does work: the refusals above are the garbage's doing.
BASELINES = [c for c in GARBAGE_CASES if c.message or c.base]


@pytest.mark.parametrize("case", BASELINES, ids=[c.id for c in BASELINES])
def test_garbage_baseline_is_accepted(portal: Portal, case: Garbage):
    url = case.url(portal)
    if case.cls is ResetPasswordState:
        from portal_app.services import auth

        with session_scope() as s:
            mail = auth.request_password_reset(session=s, email="user@acme.example.com")
        url = "/reset-password?token=" + mail["body"].split("token=")[1].split()[0]
    inst = portal.state(case.cls, case.who, url=url)
    if case.load:
        portal.call(inst, case.load)
    if case.setup:
        case.setup(portal, inst)
    args = list(case.args(portal))
    if case.base:
        args[0] = case.base(portal)
    portal.call(inst, case.name, *args)
    if case.cls is LoginState:
        assert inst.error  # nobody@example.com: a clean "sign-in failed"
    else:
        assert not _errors(inst), _errors(inst)
