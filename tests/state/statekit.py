"""Helpers for the state tests: build states for an actor, call handlers as Reflex does, snapshot the DB."""

from __future__ import annotations

import os

os.environ.setdefault("REFLEX_PERF_MODE", "raise")

import asyncio  # noqa: E402
import concurrent.futures  # noqa: E402
import inspect  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import reflex as rx  # noqa: E402
from reflex.istate.data import RouterData  # noqa: E402
from reflex.istate.manager.memory import StateManagerMemory  # noqa: E402
from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor  # noqa: E402
from reflex_base.event import EventSpec  # noqa: E402
from reflex_base.utils.format import json_dumps  # noqa: E402
from reflex_components_core.core._upload import UploadChunk, UploadChunkIterator  # noqa: E402
from sqlalchemy import inspect as sa_inspect, text  # noqa: E402
from sqlmodel import SQLModel, select  # noqa: E402

import portal_app.models  # noqa: E402,F401  (registers every table on SQLModel.metadata)
from portal_app.db import get_engine, session_scope  # noqa: E402
from portal_app.http.middleware import handshake_headers  # noqa: E402
from portal_app.http.session import SESSION_COOKIE  # noqa: E402
from portal_app.models import Account, Company, Contact, PortalProfile  # noqa: E402
from portal_app.seed import DEMO_PASSWORD, seed  # noqa: E402
from portal_app.services.documents.upload import documents_dir  # noqa: E402
from portal_app.services.tickets import attachments, ticket_search  # noqa: E402
from portal_app.services.accounts import auth  # noqa: E402
from portal_app.services.tickets import core as ticket_service  # noqa: E402
from portal_app.services.actor import Actor, build_actor  # noqa: E402
from portal_app.settings import settings  # noqa: E402
from seeded_demo import seed_or_copy  # noqa: E402

# Importing every state module registers all substates under rx.State before any root is built
# (and lets test_refusals notice a state class that its matrix does not list).
import importlib  # noqa: E402
import pkgutil  # noqa: E402

import portal_app.state  # noqa: E402

for _module in pkgutil.walk_packages(portal_app.state.__path__, "portal_app.state."):
    importlib.import_module(_module.name)

EMAILS = {
    "staff": "staff@example.com",
    "acme_admin": "admin@acme.example.com",
    "acme_user": "user@acme.example.com",
    "globex_admin": "admin@globex.example.com",
    "partner": "partner@partner.example.com",
    "acme_basic": "liisa.makinen@acme.example.com",  # a basic Acme contact who did not open the Acme tickets
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


def shown_address(portal: "Portal", instance: Any, handler: str, *args: Any) -> str:
    """A list's click that changes its view (filter, search, sort, page): the view is shown in the
    same event, without navigating; its address as the list's `url_sync` puts it in the address bar."""
    result = portal.call(instance, handler, *args)
    assert redirect_path(result) is None, result
    return instance.view_url


@dataclass
class UploadFiles:
    """Stands for the `rx.UploadChunkIterator` of a streamed upload in `Portal.call`: the files are
    pushed into a real iterator, in chunks of `chunk_size` (each file from offset 0, as Reflex's
    multipart parser does), while the handler consumes it. `fail_with` makes the producer fail after
    the last chunk, as a dropped connection does."""

    files: list[tuple[str, bytes]]
    chunk_size: int = 4096
    fail_with: Exception | None = None

    def chunks(self) -> list[UploadChunk]:
        out = []
        for name, data in self.files:
            kind = "application/octet-stream"
            if not data:
                out.append(UploadChunk(filename=name, offset=0, content_type=kind, data=b""))
            for offset in range(0, len(data), self.chunk_size):
                out.append(UploadChunk(filename=name, offset=offset, content_type=kind,
                                       data=data[offset:offset + self.chunk_size]))
        return out


def run_in_own_loop(coro: Any) -> Any:
    """asyncio.run, also when this thread already runs a loop (Playwright's sync API does)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def router_data(url: str, token: str = "") -> dict[str, Any]:
    """A tab's router data at `url` as Reflex gets it from a socket that the handshake middleware
    passed: the session cookie `token` ('' for none) replaced by its hash in the handshake header."""
    cookie = [(b"cookie", f"{SESSION_COOKIE}={token}".encode())] if token else []
    headers = {k.decode(): v.decode() for k, v in handshake_headers(cookie)}
    return {"asPath": url, "pathname": url.split("?")[0], "headers": {"origin": "http://localhost:3000", **headers}}


def event_processor(backend_exception_handler: Any, processor_cls: type | None = None,
                    middleware: Any = None) -> tuple[Any, Any]:
    """Reflex's own event processor over an in-memory state manager, as the server runs a tab's
    events (enter it with `async with`): (manager, processor). `middleware`: the app whose
    middleware runs before each event, as the server's does."""
    manager = StateManagerMemory()
    processor = (processor_cls or BaseStateEventProcessor)(backend_exception_handler=backend_exception_handler,
                                                           middleware=middleware)
    processor.configure(state_manager=manager)
    return manager, processor


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
        instance = root.get_substate(cls.get_full_name().split(".")[1:])
        self.connect(instance, self.token(who) if who else "", url=url)
        return instance

    @staticmethod
    def _root(instance: Any) -> Any:
        root = instance
        while root.parent_state is not None:
            root = root.parent_state
        return root

    @classmethod
    def connect(cls, instance: Any, token: str, url: str = "/") -> None:
        """The client's socket as the handshake middleware hands it to Reflex (`router_data`)."""
        cls._root(instance).router = RouterData.from_router_data(router_data(url, token))

    @classmethod
    def set_url(cls, instance: Any, url: str) -> None:
        root = cls._root(instance)
        headers = dict(root.router.headers.raw_headers)
        root.router = RouterData.from_router_data({"asPath": url, "pathname": url.split("?")[0], "headers": headers})

    # --- calling handlers --------------------------------------------------------------------

    def call(self, instance: Any, name: str, *args: Any) -> Any:
        """Run a handler inside an event loop, as Reflex does (sync handlers run on the loop too).

        Returns what the handler returned; for an async generator, the list of non-None yields.
        Afterwards every state of the tree must still serialize (REFLEX_PERF_MODE=raise turns an
        oversized state with substates into StateTooLargeError).
        """
        owner = next(c for c in type(instance).__mro__ if name in getattr(c, "event_handlers", {}))
        fn = owner.event_handlers[name].fn
        # An inherited handler (NewTicketState.stage_files is StagingState.stage_files) runs, as in
        # Reflex, on the substate of the class that defines it: here the ancestor of that class.
        target = instance
        while type(target) is not owner and target.parent_state is not None:
            target = target.parent_state
        if type(target) is not owner:
            target = instance

        async def invoke(call_args: list[Any]) -> Any:
            if inspect.isasyncgenfunction(fn):
                out = []
                async for item in fn(target, *call_args):
                    if item is not None:
                        out.append(item)
                return out
            result = fn(target, *call_args)
            if inspect.isawaitable(result):
                result = await result
            return result

        async def run() -> Any:
            uploads = [(i, a) for i, a in enumerate(args) if isinstance(a, UploadFiles)]
            if not uploads:
                return await invoke(list(args))
            (position, upload), = uploads
            chunk_iter = UploadChunkIterator(maxsize=8)

            async def produce() -> None:
                for chunk in upload.chunks():
                    await chunk_iter.push(chunk)
                if upload.fail_with is not None:
                    await chunk_iter.fail(upload.fail_with)
                else:
                    await chunk_iter.finish()

            call_args = list(args)
            call_args[position] = chunk_iter
            handler = asyncio.ensure_future(invoke(call_args))
            chunk_iter.set_consumer_task(handler)
            producer = asyncio.ensure_future(produce())
            try:
                result = await handler
            except BaseException:
                producer.cancel()
                raise
            await producer  # raises when the handler returned before draining the upload
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
    def public_text(instance: Any, *, router: bool = True) -> str:
        """Every public var of the client's whole state tree, as the frontend could receive it
        (`router=False`: without the router vars, which echo the URL the client sent)."""
        root = instance
        while root.parent_state is not None:
            root = root.parent_state
        data = root.dict()
        if not router:
            data = {name: {k: v for k, v in values.items() if not k.startswith("rx_router_")}
                    for name, values in data.items()}
        return json_dumps(data, ensure_ascii=False)  # Reflex's own serializer, as the frontend gets it

    def assert_no_markers(self, instance: Any, markers: list[str] | tuple[str, ...]) -> None:
        seen = self.public_text(instance)
        leaked = [m for m in markers if m.lower() in seen.lower()]
        assert not leaked, f"private data in public vars: {leaked}"

    # --- the database ------------------------------------------------------------------------

    @staticmethod
    def snapshot(ignore: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
        """Every row of every table, read with a fresh session (optionally minus some columns), the
        tickets' full-text index, and the names of the files in the attachment folder."""
        out: dict[str, list[tuple]] = {}
        with session_scope() as s:
            for table in SQLModel.metadata.sorted_tables:
                cols = [c.name for c in table.columns if c.name not in ignore]
                quoted = ", ".join(f'"{c}"' for c in cols)
                rows = s.exec(text(f'SELECT {quoted} FROM "{table.name}" ORDER BY 1')).all()
                out[table.name] = [tuple(r) for r in rows]
            if sa_inspect(s.get_bind()).has_table("ticket_fts"):
                rows = s.exec(text("SELECT rowid, title, description, comments FROM ticket_fts ORDER BY 1")).all()
                out["ticket_fts"] = [tuple(r) for r in rows]
        out["attachment files"] = [(p.name,) for p in sorted(attachments.storage_dir().iterdir())]
        return out

    # --- tickets -----------------------------------------------------------------------------

    @staticmethod
    def actor(email_or_who: str) -> Actor:
        """The service-level actor of a demo account, as the app builds it for a request now."""
        with session_scope() as s:
            account = s.exec(select(Account).where(Account.email == EMAILS.get(email_or_who, email_or_who))).one()
            actor = build_actor(s, account)
        assert actor is not None
        return actor

    def tickets(self) -> "AcmeTickets":
        """Acme's tickets (made once per test, through the ticket services, as user@acme.example.com)."""
        if getattr(self, "_acme_tickets", None) is None:
            self._acme_tickets = make_acme_tickets(self)
        return self._acme_tickets

    @staticmethod
    def outbox() -> list[str]:
        folder = settings.outbox_dir
        if not folder.exists():
            return []
        return sorted(p.read_text(errors="replace") for p in folder.glob("*.eml"))


# Private data of each party in the demo data (checked case-insensitively in public vars).
ACME_PRIVATE = (
    "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Laine", "acme.example.com", "1234567-1",
    "Mannerheimintie", "111 2222", "Acme Oy",
)
ACME_COLLEAGUES_OF_USER = ("Virtanen", "Mäkinen", "Nieminen", "Laine", "admin@acme", "liisa.makinen",
                           "pekka.nieminen")
GLOBEX_PRIVATE = ("Schmidt", "Müller", "Weber", "globex.example.com", "DE123456789", "Hauptstrasse", "Globex",
                  "Rahmenvertrag")
PARTNER_PRIVATE = ("Paul Partner", "partner.example.com", "GB987654321")
STAFF_PRIVATE = ("Sam Staff", "staff@example.com", "Primary contact")
SIGNED_IN_ONLY = ("Open support tickets", "status.example.com", "Welcome to the customer portal",
                  "Tervetuloa asiakasportaaliin", "Tee tukipyyntöjä", "Palvelun tila")  # (and their Finnish)
EVERYTHING_PRIVATE = ACME_PRIVATE + GLOBEX_PRIVATE + PARTNER_PRIVATE + STAFF_PRIVATE + SIGNED_IN_ONLY


# --- Acme's tickets ------------------------------------------------------------------------------

# What only those who may see Acme's tickets may receive: titles, descriptions, comment bodies, file names.
TICKET_PRIVATE = ("Zebra printer", "QUOKKA", "MARMOT", "BADGER", "WOMBAT", "acme-payroll", "Narwhal",
                  "OSPREY", "acme-staged-secret", "wombat-internal")
# An internal note and its file: staff only, never a customer (nor a collaborator).
INTERNAL_PRIVATE = ("WOMBAT", "wombat-internal")


@dataclass(frozen=True)
class AcmeTickets:
    open: int  # "Zebra printer..." by user@acme: in progress, a file, a customer comment, an internal note
    closed: int  # "Narwhal..." by user@acme: closed by staff
    file_id: int  # the file sent with the open ticket
    internal_file_id: int  # the file of the internal note
    staged_id: int  # a file user@acme uploaded and has not sent yet


def stage(actor: Actor, name: str, data: bytes) -> int:
    writer = attachments.AttachmentWriter(name)
    writer.write(data)
    with session_scope() as s:
        return writer.finish(session=s, actor=actor, staged_for="new").id


def make_acme_tickets(portal: Portal) -> AcmeTickets:
    user, staff = portal.actor("acme_user"), portal.actor("staff")
    file_id = stage(user, "acme-payroll-2026.xlsx", b"PK\x03\x04 payroll rows")
    internal_file_id = stage(staff, "wombat-internal.txt", b"internal only")
    with session_scope() as s:
        first, _ = ticket_service.create_ticket(
            session=s, actor=user, attachment_ids=[file_id],
            data={"title": "Zebra printer jams on Tuesdays", "description": "QUOKKA: the tray jams on page two.",
                  "category": "support", "priority": "normal"})
        ticket_service.add_comment(session=s, actor=user, number=first.number, body="MARMOT customer comment")
        ticket_service.add_comment(session=s, actor=staff, number=first.number, body="WOMBAT internal note",
                                   internal=True, attachment_ids=[internal_file_id])
        ticket_service.add_comment(session=s, actor=staff, number=first.number, body="BADGER staff reply",
                                   new_status="in_progress")
        second, _ = ticket_service.create_ticket(
            session=s, actor=user,
            data={"title": "Narwhal invoice export fails", "description": "OSPREY: the export stops at row 9.",
                  "category": "bug", "severity": "2", "priority": "high"})
        ticket_service.add_comment(session=s, actor=staff, number=second.number, new_status="closed")
        numbers = (first.number, second.number)
    staged_id = stage(user, "acme-staged-secret.pdf", b"%PDF-1.4 secret")
    return AcmeTickets(open=numbers[0], closed=numbers[1], file_id=file_id, internal_file_id=internal_file_id,
                       staged_id=staged_id)


def fresh_database() -> None:
    """Give the test a freshly seeded database (the tickets' full-text index too, which create_all does
    not make; tests/seeded_demo.py copies the process's first seed), with an empty mail outbox and
    nothing in the attachment and documents folders but the demo's documents."""
    for p in (*attachments.storage_dir().iterdir(), *documents_dir().iterdir()):
        if p.is_file():
            p.unlink()
    engine = get_engine()
    engine.dispose()  # no pooled connection keeps a page of the last test's database

    def make_seed() -> None:
        SQLModel.metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS ticket_fts"))
        SQLModel.metadata.create_all(engine)
        with session_scope() as s:
            assert seed(s, tickets=False)
            ticket_search.ensure_schema(s)

    with engine.connect() as conn:
        seed_or_copy(conn.connection.dbapi_connection, make_seed, kind="state")
    folder = settings.outbox_dir
    if folder.exists():
        for p in folder.glob("*.eml"):
            p.unlink()


def rendered_elements(node: Any) -> list[tuple[str, dict[str, str]]]:
    """(name, props) of every element of a page as compiled for the browser (`Component.render()`),
    in document order; props are "name:value" split once."""
    found: list[tuple[str, dict[str, str]]] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            if isinstance(item.get("name"), str):
                found.append((item["name"], dict(p.split(":", 1) for p in item.get("props", []) if ":" in p)))
            for value in item.values():
                walk(value)
        elif isinstance(item, (list, tuple)):
            for value in item:
                walk(value)

    walk(node)
    return found


def rendered_props(node: Any, names: tuple[str, ...]) -> list[dict[str, str]]:
    """The props of every element named one of `names` (`rendered_elements`)."""
    return [props for name, props in rendered_elements(node) if name in names]


def landing_token(list_id: int, email: str) -> str:
    """A list type's landing-link token for an address, signed with the list's own key, as its mails carry it."""
    from portal_app.models import MailingList
    from portal_app.services.newsletters.tokens import make_token

    with session_scope() as s:
        return make_token(list_id, s.get(MailingList, list_id).link_key, email)
