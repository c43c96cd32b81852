"""Helpers for the state tests: build states for an actor, call handlers as Reflex does, snapshot the DB."""

from __future__ import annotations

import os

os.environ.setdefault("REFLEX_PERF_MODE", "raise")

import asyncio  # noqa: E402
import concurrent.futures  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
from typing import Any  # noqa: E402

import reflex as rx  # noqa: E402
from reflex.istate.data import RouterData  # noqa: E402
from reflex_base.event import EventSpec  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlmodel import SQLModel, select  # noqa: E402

import portal_app.models  # noqa: E402,F401  (registers every table on SQLModel.metadata)
from portal_app.db import get_engine, session_scope  # noqa: E402
from portal_app.models import Account, Company, Contact, PortalProfile  # noqa: E402
from portal_app.seed import DEMO_PASSWORD, seed  # noqa: E402
from portal_app.services import auth  # noqa: E402
from portal_app.settings import settings  # noqa: E402

# Importing every state module registers all substates under rx.State before any root is built
# (and lets test_refusals notice a state class that its matrix does not list).
import importlib  # noqa: E402
import pkgutil  # noqa: E402

import portal_app.state  # noqa: E402

for _module in pkgutil.iter_modules(portal_app.state.__path__):
    importlib.import_module(f"portal_app.state.{_module.name}")

EMAILS = {
    "staff": "staff@example.com",
    "acme_admin": "admin@acme.example.com",
    "acme_user": "user@acme.example.com",
    "globex_admin": "admin@globex.example.com",
    "partner": "partner@partner.example.com",
}

# Garbage a hostile client can send in place of any argument (Reflex coercion is not validation).
LONG = "x" * 100_000
GARBAGE: list[Any] = [
    "abc", {}, None, [], LONG, -1, -(10**20), 10**30, 0, 2**63, 1.5, "1 OR 1=1", {"id": 1}, ["1"],
    "../../etc/passwd", "\x00",
]
GARBAGE_IDS = [
    "abc", "dict", "None", "list", "long", "-1", "neg-huge", "huge", "zero", "2^63", "float", "sqli",
    "dict-id", "list-str", "path", "nul",
]


# What a hostile client can put in one form field instead of text (None and numbers are read as text).
FIELD_GARBAGE: list[tuple[str, Any]] = [
    ("dict", {}), ("list", []), ("long", LONG), ("bool", True), ("list-str", ["a"]), ("dict-str", {"a": "b"}),
]


def garbage_values() -> list[tuple[str, Any]]:
    return list(zip(GARBAGE_IDS, GARBAGE))


def garbage_forms(fields: tuple[str, ...] | list[str], base: dict[str, Any] | None = None) -> list[tuple[str, Any]]:
    """Labelled garbage forms: not a dict; every field garbage; and, when `base` (a valid form) is
    given, the base with one field at a time replaced by garbage, so no other error can hide it."""
    out = [
        *garbage_values(),
        ("all-dict", {name: {} for name in fields}),
        ("all-list", {name: [] for name in fields}),
        ("all-long", {name: LONG for name in fields}),
        ("all-negative", {name: -1 for name in fields}),
        ("all-bool", {name: True for name in fields}),
        ("all-nested", {name: {"nested": [1, 2]} for name in fields}),
        ("unknown-keys", {"unknown_key": "value", "__class__": "x", "id": 1, "company_id": 2}),
    ]
    if base is not None:
        out += [(f"{name}={label}", {**base, name: value}) for name in fields for label, value in FIELD_GARBAGE]
    return out


def redirect_path(result: Any) -> str | None:
    """The path of an rx.redirect EventSpec (also inside a list), else None."""
    specs = result if isinstance(result, list) else [result]
    for spec in specs:
        if isinstance(spec, EventSpec):
            args = {k._js_expr: getattr(v, "_var_value", None) for k, v in spec.args}
            if {"path", "external", "replace"} <= set(args):  # the signature of rx.redirect
                return args["path"]
    return None



def run_in_own_loop(coro: Any) -> Any:
    """asyncio.run, also when this thread already runs a loop (Playwright's sync API does)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class Portal:
    """Builds states for an actor, calls handlers the way Reflex does, and snapshots the database."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}

    # --- ids of the demo data ----------------------------------------------------------------

    def company_id(self, name: str) -> int:
        with session_scope() as s:
            return s.exec(select(Company).where(Company.name == name)).one().id

    def contact_id(self, email_or_last_name: str) -> int:
        with session_scope() as s:
            row = s.exec(select(Contact).where(
                (Contact.email == email_or_last_name) | (Contact.last_name == email_or_last_name))).one()
            return row.id

    def account_id(self, email: str) -> int:
        with session_scope() as s:
            return s.exec(select(Account).where(Account.email == email)).one().id

    def profile_id(self, name: str) -> int:
        with session_scope() as s:
            return s.exec(select(PortalProfile).where(PortalProfile.name == name)).one().id

    # --- sign-in -----------------------------------------------------------------------------

    def token(self, who: str) -> str:
        """A real session token for a demo actor (one login per test and actor)."""
        if who not in self._tokens:
            with session_scope() as s:
                res = auth.login(session=s, email=EMAILS.get(who, who), password=DEMO_PASSWORD)
            assert res.ok, f"demo login failed for {who}"
            self._tokens[who] = res.token
        return self._tokens[who]

    def state(self, cls: type[rx.State], who: str | None = None, url: str = "/") -> Any:
        """A fresh root for one client; returns the `cls` substate, signed in as `who` (None: anonymous)."""
        root = rx.State()
        root.router = RouterData.from_router_data(
            {"asPath": url, "pathname": url.split("?")[0], "headers": {"origin": "http://localhost:3000"}})
        instance = root.get_substate(cls.get_full_name().split(".")[1:])
        instance.session_token = self.token(who) if who else ""
        return instance

    @staticmethod
    def set_url(instance: Any, url: str) -> None:
        root = instance
        while root.parent_state is not None:
            root = root.parent_state
        root.router = RouterData.from_router_data(
            {"asPath": url, "pathname": url.split("?")[0], "headers": {"origin": "http://localhost:3000"}})

    # --- calling handlers --------------------------------------------------------------------

    def call(self, instance: Any, name: str, *args: Any) -> Any:
        """Run a handler inside an event loop, as Reflex does (sync handlers run on the loop too).

        Returns what the handler returned; for an async generator, the list of non-None yields.
        Afterwards every state of the tree must still serialize (REFLEX_PERF_MODE=raise turns an
        oversized state with substates into StateTooLargeError).
        """
        owner = next(c for c in type(instance).__mro__ if name in getattr(c, "event_handlers", {}))
        fn = owner.event_handlers[name].fn

        async def run() -> Any:
            if inspect.isasyncgenfunction(fn):
                out = []
                async for item in fn(instance, *args):
                    if item is not None:
                        out.append(item)
                return out
            result = fn(instance, *args)
            if inspect.isawaitable(result):
                result = await result
            return result

        result = run_in_own_loop(run())
        self.check_serializable(instance)
        return result

    @staticmethod
    def check_serializable(instance: Any) -> None:
        state = instance
        while state is not None:
            state._serialize()
            state = state.parent_state

    # --- what the client can see -------------------------------------------------------------

    @staticmethod
    def public_text(instance: Any) -> str:
        """Every public var of the client's whole state tree, as the frontend could receive it."""
        root = instance
        while root.parent_state is not None:
            root = root.parent_state
        return json.dumps(root.dict(), default=str, ensure_ascii=False)

    def assert_no_markers(self, instance: Any, markers: list[str] | tuple[str, ...]) -> None:
        seen = self.public_text(instance)
        leaked = [m for m in markers if m.lower() in seen.lower()]
        assert not leaked, f"private data in public vars: {leaked}"

    # --- the database ------------------------------------------------------------------------

    @staticmethod
    def snapshot(ignore: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
        """Every row of every table, read with a fresh session (optionally minus some columns)."""
        out: dict[str, list[tuple]] = {}
        with session_scope() as s:
            for table in SQLModel.metadata.sorted_tables:
                cols = [c.name for c in table.columns if c.name not in ignore]
                rows = s.exec(text(f'SELECT {", ".join(cols)} FROM "{table.name}" ORDER BY 1')).all()
                out[table.name] = [tuple(r) for r in rows]
        return out

    @staticmethod
    def outbox() -> list[str]:
        folder = settings.outbox_dir
        if not folder.exists():
            return []
        return sorted(p.read_text(errors="replace") for p in folder.glob("*.eml"))


# Private data of each party in the demo data (checked case-insensitively in public vars).
ACME_PRIVATE = (
    "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Laine", "acme.example.com", "1234567-8",
    "Mannerheimintie", "111 2222", "Acme Oy",
)
ACME_COLLEAGUES_OF_USER = ("Virtanen", "Mäkinen", "Nieminen", "Laine", "admin@acme", "liisa.makinen",
                           "pekka.nieminen")
GLOBEX_PRIVATE = ("Schmidt", "Müller", "Weber", "globex.example.com", "DE123456789", "Hauptstrasse", "Globex")
PARTNER_PRIVATE = ("Paul Partner", "partner.example.com", "GB987654321")
STAFF_PRIVATE = ("Sam Staff", "staff@example.com", "Primary contact")
SIGNED_IN_ONLY = ("Open support tickets", "status.example.com", "Welcome to the customer portal")
EVERYTHING_PRIVATE = ACME_PRIVATE + GLOBEX_PRIVATE + PARTNER_PRIVATE + STAFF_PRIVATE + SIGNED_IN_ONLY


def fresh_database() -> None:
    """Drop, create and seed the schema; empty the mail outbox."""
    engine = get_engine()
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    with session_scope() as s:
        assert seed(s)
    folder = settings.outbox_dir
    if folder.exists():
        for p in folder.glob("*.eml"):
            p.unlink()
