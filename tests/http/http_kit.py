"""What the route tests share: a freshly seeded database and a client signed in as a demo login."""

from __future__ import annotations

from sqlmodel import Session, SQLModel
from starlette.testclient import TestClient

import portal_app.models  # noqa: F401
from portal_app.db import get_engine
from portal_app.http import http_api
from portal_app.seed import seed
from portal_app.services.accounts import auth
from portal_app.services.tickets import ticket_search


def fresh_demo(session: Session) -> None:
    """Drop and create every table (the tickets' search index too), then seed the demo without tickets."""
    engine = session.get_bind()
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS ticket_fts")  # not in the models' metadata
    SQLModel.metadata.create_all(engine)
    seed(session, tickets=False)
    ticket_search.ensure_schema(session)


def client_as(email: str | None) -> TestClient:
    """A client with the session cookie of `email` (demo password), or none for a visitor."""
    client = TestClient(http_api, base_url="http://127.0.0.1")
    if email:
        with Session(get_engine()) as session:
            client.cookies.set("portal_session", auth.login(session=session, email=email,
                                                            password="Demo-pass-2026").token)
    return client


def deleting_the_file(find):  # noqa: ANN001, ANN201
    """`find` (a service that finds a file to send) wrapped so the file is deleted just after it is found:
    what a replacement or deletion does in the moment between a route's check and its send."""
    def found_then_deleted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        found = find(*args, **kwargs)
        found.path.unlink()
        return found
    return found_then_deleted
