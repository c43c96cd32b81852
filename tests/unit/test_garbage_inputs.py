"""Garbage arguments: every service answers with a ServiceError (or a plain refusal), never a crash.

Each event handler is a public endpoint, so any argument a service takes may be anything a client can
send. For every argument of every service we try a list of bad values and check that
- nothing but a ServiceError escapes (no TypeError, ValueError, sqlalchemy error...);
- arguments that cannot take such a value (ids, flags, tokens...) are refused;
- a refused call leaves the database as it was.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from portal_app.models import COMPANY_FIELDS, CONTACT_FIELDS
from portal_app.services.accounts import auth
from portal_app.services.companies import directory
from portal_app.services.portal import config, profiles
from portal_app.services.errors import ServiceError, ValidationFailed
from portal_app.services.validation import canonical_int, is_id, parse_id

STAFF = "staff@example.com"
ADMIN = "admin@acme.example.com"
USER = "user@acme.example.com"

GARBAGE: dict[str, Any] = {
    "word": "abc",
    "empty": "",
    "none": None,
    "dict": {},
    "nested": {"a": {"b": [1]}},
    "list": ["x", 1],
    "huge": "x" * 100_000,
    "negative": -1,
    "zero": 0,
    "bigint": 10**30,
    "float": 1.5,
    "nan": float("nan"),
    "superscript_digit": "²",
    "broken_url": "http://[",
    "nul": "a\x00b",
    "bytes": b"abc",
    "object": object(),
}

FORM_KEYS = (set(COMPANY_FIELDS) | set(CONTACT_FIELDS)
             | {"portal_name", "logo_url", "menu_color", "welcome_message", "home_content", "lockout_threshold",
                "lockout_minutes", "enabled_modules", "external_links", "module_access", "field_access",
                "is_default"})
# For form arguments: the bad value in every field of the form at once.
FORM_GARBAGE: dict[str, Any] = {f"form_of_{name}": dict.fromkeys(FORM_KEYS, value) for name, value in GARBAGE.items()}


@dataclass(frozen=True)
class Call:
    fn: Callable[..., Any]
    actor: str | None  # login of the acting user; None: the service takes no actor
    args: Callable[[Any], dict[str, Any]]  # valid keyword arguments for the demo data
    strict: frozenset[str] = field(default_factory=frozenset)  # bad values here must be refused
    blank_ok: frozenset[str] = field(default_factory=frozenset)  # None and "" mean "not given" here


def ids(demo) -> dict[str, int]:
    return {
        "acme": demo.company("Acme Oy").id,
        "pekka": demo.contact("pekka.nieminen@acme.example.com").id,
        "liisa": demo.contact("liisa.makinen@acme.example.com").id,
        "liisa_account": demo.account("liisa.makinen@acme.example.com").id,
        "basic": demo.profile("Basic").id,
        "unused": demo.profile("Unused").id,
    }


def _fresh_link(d) -> str:
    """A working link for each call (a reset asked for twice within a minute sends one link)."""
    mail = auth.issue_set_password_link(session=d.session, account=d.account(USER))
    d.session.commit()
    return d.token_in(mail)


def S(*names: str) -> frozenset[str]:  # noqa: N802
    return frozenset(names)


CALLS: dict[str, Call] = {
    "list_contacts/staff": Call(directory.list_contacts, STAFF,
                                lambda d: {"company_id": d.ids["acme"], "query": "", "include_inactive": True},
                                strict=S("company_id"), blank_ok=S("query")),
    "list_contacts/admin": Call(directory.list_contacts, ADMIN, lambda d: {"company_id": None, "query": ""},
                                blank_ok=S("company_id", "query")),
    "get_contact": Call(directory.get_contact, ADMIN, lambda d: {"contact_id": d.ids["liisa"]}, strict=S("contact_id")),
    "create_contact/staff": Call(directory.create_contact, STAFF,
                                 lambda d: {"company_id": d.ids["acme"], "data": {"first_name": "A", "last_name": "B"}},
                                 strict=S("company_id", "data")),
    "create_contact/admin": Call(directory.create_contact, ADMIN,
                                 lambda d: {"company_id": None, "data": {"first_name": "A", "last_name": "B"}},
                                 strict=S("data"), blank_ok=S("company_id")),
    "update_contact": Call(directory.update_contact, ADMIN,
                           lambda d: {"contact_id": d.ids["liisa"], "data": {"job_title": "X"}},
                           strict=S("contact_id", "data")),
    "update_own_contact": Call(directory.update_own_contact, USER, lambda d: {"data": {"job_title": "X"}},
                               strict=S("data")),
    "update_own_company": Call(directory.update_own_company, ADMIN, lambda d: {"data": {"city": "Espoo"}},
                               strict=S("data")),
    "set_contact_active": Call(directory.set_contact_active, ADMIN,
                               lambda d: {"contact_id": d.ids["liisa"], "active": False},
                               strict=S("contact_id", "active")),
    "set_portal_access": Call(directory.set_portal_access, STAFF,
                              lambda d: {"contact_id": d.ids["pekka"], "enabled": True, "admin": None,
                                         "profile_id": None},
                              strict=S("contact_id", "enabled", "admin", "profile_id"),
                              blank_ok=S("admin", "profile_id")),
    "set_portal_admin": Call(directory.set_portal_admin, ADMIN,
                             lambda d: {"contact_id": d.ids["liisa"], "admin": True}, strict=S("contact_id", "admin")),
    "send_set_password_link": Call(directory.send_set_password_link, ADMIN,
                                   lambda d: {"contact_id": d.ids["liisa"]}, strict=S("contact_id")),
    "unlock_contact": Call(directory.unlock_contact, STAFF, lambda d: {"contact_id": d.ids["liisa"]},
                           strict=S("contact_id")),
    "set_contact_profile": Call(directory.set_contact_profile, STAFF,
                                lambda d: {"contact_id": d.ids["liisa"], "profile_id": d.ids["basic"]},
                                strict=S("contact_id", "profile_id")),
    "list_companies": Call(directory.list_companies, STAFF, lambda d: {"query": "", "offset": 0, "limit": 50},
                           strict=S("offset", "limit"), blank_ok=S("query")),
    "get_company": Call(directory.get_company, STAFF, lambda d: {"company_id": d.ids["acme"]}, strict=S("company_id")),
    "create_company": Call(directory.create_company, STAFF, lambda d: {"data": {"name": "New Co"}}, strict=S("data")),
    "update_company": Call(directory.update_company, STAFF,
                           lambda d: {"company_id": d.ids["acme"], "data": {"city": "Espoo"}},
                           strict=S("company_id", "data")),
    "save_profile": Call(profiles.save_profile, STAFF, lambda d: {"data": {"name": "Garbage test"}, "profile_id": None},
                         strict=S("data", "profile_id"), blank_ok=S("profile_id")),
    "delete_profile": Call(profiles.delete_profile, STAFF, lambda d: {"profile_id": d.ids["unused"]},
                           strict=S("profile_id")),
    "update_portal_settings": Call(config.update_portal_settings, STAFF,
                                   lambda d: {"data": {"portal_name": "P"}}, strict=S("data")),
    "set_module_enabled": Call(config.set_module_enabled, STAFF,
                               lambda d: {"module": "invoices", "enabled": False}, strict=S("module", "enabled")),
    "unlock": Call(auth.unlock, STAFF, lambda d: {"account_id": d.ids["liisa_account"]}, strict=S("account_id")),
    "login_statistics": Call(auth.login_statistics, STAFF, lambda d: {"query": "", "limit": 50, "offset": 0},
                             strict=S("limit", "offset"), blank_ok=S("query")),
    "set_language": Call(auth.set_language, USER, lambda d: {"language": "en"}, strict=S("language")),
    # "" is the portal's zone
    "set_time_zone": Call(auth.set_time_zone, USER, lambda d: {"time_zone": "Europe/Berlin"}, strict=S("time_zone"),
                          blank_ok=S("time_zone")),
    "login": Call(auth.login, None, lambda d: {"email": USER, "password": d.password}, strict=S("email", "password")),
    "actor_for_token": Call(auth.actor_for_token, None, lambda d: {"token": "t" * 43}, strict=S("token")),
    "logout": Call(auth.logout, None, lambda d: {"token": "t" * 43}),
    "request_password_reset": Call(auth.request_password_reset, None, lambda d: {"email": USER}, strict=S("email")),
    "password_token_valid": Call(auth.password_token_valid, None, lambda d: {"token": "t" * 43}, strict=S("token")),
    "reset_password": Call(auth.reset_password, None,
                           lambda d: {"token": _fresh_link(d),
                                      "password": "Fresh-secret-42", "confirm": "Fresh-secret-42"},
                           strict=S("token", "password", "confirm")),
}


def slots(call: Call) -> list[str]:
    """The arguments a client controls: all but the session, the actor and the test clock."""
    return [n for n in inspect.signature(call.fn).parameters if n not in ("session", "actor", "now")]


CASES = [pytest.param(name, slot, id=f"{name}-{slot}") for name, call in CALLS.items() for slot in slots(call)]


def must_refuse(call: Call, slot: str, value: Any) -> bool:
    """Whether `value` must be refused in this argument; a few bad-looking values are legitimate."""
    if slot not in call.strict:
        return False
    if slot in call.blank_ok and value in (None, ""):
        return False
    if slot == "data" and isinstance(value, dict):
        return False  # a form with no known or no changed fields may be a no-op
    if slot in ("offset", "limit") and type(value) is int:
        return False  # whole numbers are clamped into range
    return True


def refused_without_error(result: Any) -> bool:
    """Services for visitors (login, reset) answer a refusal with a value, not an exception."""
    if isinstance(result, auth.LoginResult):
        return not result.ok
    return result is None or result is False


@pytest.fixture
def garbage_world(demo, monkeypatch):
    # each bad value is a new forgot-password request: the rate limits would stop them first
    monkeypatch.setattr(auth, "settings", replace(auth.settings, reset_email_limit=0, reset_address_limit=0,
                                                  login_address_limit=0))
    demo.make_profile("Unused")
    demo.ids = ids(demo)  # looked up once: a call may rename what the look-up goes by
    return demo


@pytest.mark.parametrize(("name", "slot"), CASES)
def test_bad_argument_gives_service_error_or_refusal(garbage_world, name, slot):
    demo = garbage_world
    call = CALLS[name]
    values = dict(GARBAGE)
    if slot == "data":
        values |= FORM_GARBAGE
    problems = []
    for label, value in values.items():
        kwargs = call.args(demo)
        if call.actor:
            kwargs["actor"] = demo.actor(call.actor)
        kwargs[slot] = value
        before = demo.committed_state()
        try:
            result = call.fn(session=demo.session, **kwargs)
        except ServiceError:
            if demo.committed_state() != before:
                problems.append(f"{label}: refused but the database changed")
            continue
        except Exception as exc:  # noqa: BLE001 - what this test is looking for
            problems.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        finally:
            demo.session.rollback()
        if must_refuse(call, slot, value) and not (call.actor is None and refused_without_error(result)):
            problems.append(f"{label}: accepted ({result!r:.100})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("value", [True, False], ids=["true", "false"])
@pytest.mark.parametrize("slot", ["contact_id", "company_id", "profile_id", "account_id"])
def test_booleans_are_not_ids(garbage_world, slot, value):
    """bool is an int in Python; True must not mean id 1."""
    demo = garbage_world
    fn = {"contact_id": directory.get_contact, "company_id": directory.get_company,
          "profile_id": profiles.delete_profile, "account_id": auth.unlock}[slot]
    with pytest.raises(ServiceError):
        fn(session=demo.session, actor=demo.actor(STAFF), **{slot: value})


@pytest.mark.parametrize("text", ["Acme\x00Oy", "\x00"])
def test_nul_characters_are_refused_in_text(garbage_world, text):
    """PostgreSQL cannot store NUL in text (psycopg raises DataError), so it must be refused first."""
    demo = garbage_world
    before = demo.committed_state()
    with pytest.raises(ValidationFailed):
        directory.update_company(session=demo.session, actor=demo.actor(STAFF), company_id=demo.ids["acme"],
                                 data={"name": text})
    assert demo.committed_state() == before


def test_nul_in_login_email_is_a_plain_failed_login(garbage_world):
    """On PostgreSQL the look-up itself would raise; checked there by hand (psycopg 3.3)."""
    demo = garbage_world
    assert auth.login(session=demo.session, email=USER + "\x00", password=demo.password).ok is False
    with pytest.raises(ValidationFailed):
        auth.request_password_reset(session=demo.session, email=USER + "\x00")


def test_string_ids_are_accepted(garbage_world):
    """Ids arrive as text from URLs and forms; a canonical decimal string is a valid id."""
    demo = garbage_world
    company = directory.get_company(session=demo.session, actor=demo.actor(STAFF), company_id=str(demo.ids["acme"]))
    assert company.name == "Acme Oy"


# Every other spelling of a number: one id has one spelling, so "/files/01" is no file.
NON_CANONICAL_IDS = ["01", "007", " 1", "1 ", "\t1", "1\n", "+1", "-1", "1.0", "1e3", "1_000", "0x1", "0b1", "１",
                     "١", "۱", "१", "¹", "1１", "0", "00", "", " ", "9" * 19, "1,2", "1/2"]


@pytest.mark.parametrize("text", NON_CANONICAL_IDS)
def test_only_canonical_ids_are_accepted(garbage_world, text):
    """Refused exactly like a garbage id; `int()` and `str.isdecimal()` would take most of these."""
    with pytest.raises(ValidationFailed) as exc:
        parse_id(text, field="company_id")
    assert exc.value.fields == {"company_id": ("error.invalid", {})}
    assert not is_id(text)
    demo = garbage_world
    with pytest.raises(ServiceError):
        directory.get_company(session=demo.session, actor=demo.actor(STAFF), company_id=text)
    canonical_form = str(demo.ids["acme"])
    for spelling in ("0" + canonical_form, f" {canonical_form}", f"+{canonical_form}", f"{canonical_form}.0",
                     canonical_form.translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
        with pytest.raises(ServiceError):
            directory.get_company(session=demo.session, actor=demo.actor(STAFF), company_id=spelling)


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("17", 17), ("9" * 18, 10**18 - 1), (1, 1),
                                                 (2**62, 2**62)])
def test_canonical_ids(value, expected):
    assert parse_id(value) == expected and is_id(value)


@pytest.mark.parametrize("value", [True, False, 0, -1, 2**62 + 1, 1.0, None, b"1", ["1"]])
def test_non_id_values(value):
    with pytest.raises(ValidationFailed):
        parse_id(value)
    assert not is_id(value)


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("7", 7), ("120", 120), (5, 5), ("07", None),
                                                 (" 7", None), ("+7", None), ("７", None), (True, None),
                                                 ("9" * 19, None), (7.0, None)])
def test_canonical_int(value, expected):
    assert canonical_int(value) == expected
