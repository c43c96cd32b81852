"""Service tests on SQLite: a fresh in-memory database per test, the demo data and small factories.

`demo` seeds the database with `portal_app.seed.seed` (without the demo tickets: ticket tests make
their own; `test_seed.py` checks the demo tickets) and wraps helpers around it:

    demo.actor("user@acme.example.com")      # a fresh Actor, read from the database now
    demo.make_contact(company, "Ann", "Test", "ann@x.example.com", login=True)
    demo.committed_state()                    # every row of every table, for "nothing changed"

`tickets_demo` is `demo` with the full-text index created, for the ticket services:

    demo.make_ticket("user@acme.example.com", "Printer jams")   # through tickets.create_ticket
    demo.stage_file("user@acme.example.com", "log.txt", b"...") # an uploaded, not yet sent file
    demo.force_status(number, "resolved")                       # set a status, bypassing the rules

Demo accounts (password `DEMO_PASSWORD`): staff@example.com; admin@acme.example.com (company admin,
profile "Primary contact"); user@acme.example.com and liisa.makinen@acme.example.com (profile
"Basic"); admin@globex.example.com (company admin); hans.mueller@globex.example.com (Basic);
partner@partner.example.com (collaborator). Contacts without a login: pekka.nieminen@acme...,
Sanna Laine (Acme, no email), klara.weber@globex.example.com.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine, select

from portal_app.models import (
    Account, AccountKind, Attachment, Company, Contact, FieldAccess, ModuleAccess, PortalProfile, PortalSettings,
    Ticket,
)
from portal_app.seed import DEMO_PASSWORD, seed
from portal_app.services.actor import Actor, build_actor
from portal_app.services.portal.modules import MODULE_KEYS
from portal_app.services.accounts.passwords import hash_password
from seeded_demo import seed_or_copy

TOKEN_IN_LINK = re.compile(r"reset-password\?token=([A-Za-z0-9_\-]+)")


@pytest.fixture
def engine():
    """One in-memory database per test; StaticPool keeps it alive across connections."""
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _foreign_keys(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session


class Demo:
    """Look-ups and factories over a seeded database."""

    password = DEMO_PASSWORD

    def __init__(self, session: Session) -> None:
        self.session = session

    # --- look-ups -------------------------------------------------------------------------------

    def account(self, email: str) -> Account:
        return self.session.exec(select(Account).where(Account.email == email)).one()

    def contact(self, email: str) -> Contact:
        return self.session.exec(select(Contact).where(Contact.email == email)).one()

    def company(self, name: str) -> Company:
        return self.session.exec(select(Company).where(Company.name == name)).one()

    def profile(self, name: str) -> PortalProfile:
        return self.session.exec(select(PortalProfile).where(PortalProfile.name == name)).one()

    def settings(self) -> PortalSettings:
        return self.session.exec(select(PortalSettings)).one()

    def actor(self, email: str) -> Actor:
        """The actor of an account as the app would build it for a request right now."""
        self.session.expire_all()
        actor = build_actor(self.session, self.account(email))
        assert actor is not None, f"{email} may not use the portal"
        return actor

    # --- factories ------------------------------------------------------------------------------

    def make_company(self, name: str, **values: Any) -> Company:
        company = Company(name=name, **values)
        self.session.add(company)
        self.session.commit()
        self.session.refresh(company)
        return company

    def make_contact(self, company: Company, first: str, last: str, email: str = "", *,
                     profile: PortalProfile | None = None, admin: bool = False, login: bool = False,
                     password: str | None = DEMO_PASSWORD, kind: AccountKind = AccountKind.CONTACT,
                     **values: Any) -> Contact:
        """A CRM contact; with `login=True` also its enabled portal account."""
        contact = Contact(company_id=company.id, first_name=first, last_name=last, email=email,
                          portal_admin=admin, profile_id=profile.id if profile else None, **values)
        self.session.add(contact)
        self.session.flush()
        if login:
            self.session.add(Account(email=email.lower(), kind=kind, contact_id=contact.id,
                                     password_hash=hash_password(password) if password else None))
        self.session.commit()
        self.session.refresh(contact)
        return contact

    def make_profile(self, name: str, *, modules: dict[str, str] | None = None,
                     fields: dict[str, str] | None = None, is_default: bool = False) -> PortalProfile:
        """A profile; `modules` defaults to every module at edit, `fields` to none (all hidden)."""
        profile = PortalProfile(
            name=name, is_default=is_default,
            module_access=modules if modules is not None else {m: ModuleAccess.EDIT for m in MODULE_KEYS},
            field_access=fields or {},
        )
        self.session.add(profile)
        self.session.commit()
        self.session.refresh(profile)
        return profile

    def use_profile(self, email: str, profile: PortalProfile) -> None:
        contact = self.contact(email)
        contact.profile_id = profile.id
        self.session.add(contact)
        self.session.commit()

    # --- checks ---------------------------------------------------------------------------------

    def committed_state(self) -> dict[str, list[tuple]]:
        """Every row of every table as committed.

        Rolls back first, as `db.session_scope` does after a failed action, so only what a service
        committed counts.
        """
        self.session.rollback()
        state = {}
        for table in SQLModel.metadata.sorted_tables:
            rows = self.session.execute(select(table).order_by(*table.primary_key.columns)).all()
            state[table.name] = [tuple(row) for row in rows]
        return state

    # --- tickets --------------------------------------------------------------------------------

    def make_ticket(self, email: str, title: str = "Printer jams", *, description: str = "It jams on page two.",
                    category: str = "support", severity: Any = None, priority: str = "normal",
                    attachment_ids: Any = (), assignee: str | None = None, status: str | None = None) -> Ticket:
        """A ticket created by `email` through the service; optionally assigned and moved to `status`."""
        from portal_app.services.tickets import core as tickets

        data = {"title": title, "description": description, "category": category, "priority": priority}
        if severity is not None:
            data["severity"] = severity
        ticket, _mails = tickets.create_ticket(session=self.session, actor=self.actor(email), data=data,
                                               attachment_ids=list(attachment_ids))
        if assignee is not None:
            tickets.assign(session=self.session, actor=self.actor("staff@example.com"), number=ticket.number,
                           assignee_id=self.account(assignee).id)
        if status is not None:
            self.force_status(ticket.number, status)
        self.session.refresh(ticket)
        return ticket

    def force_status(self, number: int, status: str) -> None:
        """Set a ticket's status directly (test set-up, not a transition a user could make)."""
        ticket = self.session.exec(select(Ticket).where(Ticket.number == number)).one()
        ticket.status = status
        self.session.add(ticket)
        self.session.commit()

    def stage_file(self, email: str, name: str = "notes.txt", data: bytes = b"hello world\n",
                   staged_for: str = "new") -> Attachment:
        """A file uploaded by `email` on a form (the new-ticket form unless said) and not yet sent."""
        from portal_app.services.tickets.attachments import AttachmentWriter

        writer = AttachmentWriter(name)
        writer.write(data)
        return writer.finish(session=self.session, actor=self.actor(email), staged_for=staged_for)

    def ticket_row(self, number: int) -> Ticket:
        self.session.expire_all()
        return self.session.exec(select(Ticket).where(Ticket.number == number)).one()

    @staticmethod
    def token_in(mail: dict[str, str] | None) -> str:
        """The token of the set-password / reset link in a mail a service returned."""
        assert mail is not None
        found = TOKEN_IN_LINK.search(mail["body"])
        assert found, mail["body"]
        return found.group(1)


@pytest.fixture(scope="session")
def demo_class() -> type[Demo]:
    """`Demo` itself, for a test that opens its own database."""
    return Demo


@pytest.fixture
def demo(engine, session) -> Demo:
    """The demo seeded into the test's database (a copy of the process's first seed: seeded_demo.py)."""
    database = engine.raw_connection()
    try:
        seed_or_copy(database.dbapi_connection, lambda: _seed_through(engine), kind="unit")
    finally:
        database.close()
    return Demo(session)


def _seed_through(engine) -> None:  # noqa: ANN001
    with Session(engine) as session:
        assert seed(session, tickets=False) is True


@pytest.fixture
def tickets_demo(demo) -> Demo:
    """The demo data with the tickets' full-text index (create_all does not make virtual tables)."""
    from portal_app.services.tickets.ticket_search import ensure_schema

    ensure_schema(demo.session)
    return demo


@pytest.fixture
def file_engine(tmp_path):
    """A seeded file-based SQLite database set up as in production (WAL, busy timeout), with the
    tickets' full-text index: for tests where several sessions or threads really compete."""
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}",
                           connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        from portal_app.services.tickets.ticket_search import ensure_schema

        assert seed(session, tickets=False) is True
        ensure_schema(session)
    yield engine
    engine.dispose()


@pytest.fixture
def file_demo(file_engine):
    """`Demo` over a session of `file_engine`; open more sessions with `Session(file_engine)`."""
    with Session(file_engine) as session:
        yield Demo(session)


@pytest.fixture
def field_access():
    """Build a field_access map: every contact and company field at `default`, then overrides."""
    from portal_app.services.portal.profiles import FIELD_KEYS

    def build(default: str = FieldAccess.EDIT, **overrides: str) -> dict[str, str]:
        fields = {key: default for key in FIELD_KEYS}
        fields.update({key.replace("__", "."): value for key, value in overrides.items()})
        return fields

    return build


@pytest.fixture
def side_threads(monkeypatch) -> list[str]:
    """The names of the threads `side_query` ran statements on (a worker's: "side-query..."); the
    statement is never taken back from the worker, as a tiny one would be before it starts."""
    from portal_app.services import side_query

    threads: list[str] = []
    run_on = side_query._run_on

    def spy(*args):  # noqa: ANN002, ANN202
        threads.append(threading.current_thread().name)
        return run_on(*args)

    monkeypatch.setattr(side_query, "_run_on", spy)
    monkeypatch.setattr(side_query, "_take_back", lambda beside: False)
    return threads


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session (skipped where it is not installed: `.ci/run`
    installs it); tests make their own databases on it (`postgres_server.create_database`)."""
    from postgres_server import binaries, running_postgres

    if binaries() is None:
        pytest.skip("PostgreSQL is not installed (.ci/run installs it)")
    with running_postgres() as url:
        yield url


@pytest.fixture(scope="module")
def seeded_postgres_engine(postgres_server, tmp_path_factory):
    """A database of its own on the PostgreSQL server, migrated to head and seeded with the demo
    data (one per test module): for tests where several sessions or threads really compete."""
    import uuid

    from migrations import run_alembic
    from postgres_server import create_database

    url = create_database(postgres_server, f"portal_{uuid.uuid4().hex[:8]}")
    run_alembic(tmp_path_factory.mktemp("pg-data"), "upgrade", "head", database_url=url)
    engine = create_engine(url, pool_size=20)
    with Session(engine) as session:
        assert seed(session, tickets=False) is True
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def racing_engine(request):
    return request.getfixturevalue("file_engine" if request.param == "sqlite" else "seeded_postgres_engine")
