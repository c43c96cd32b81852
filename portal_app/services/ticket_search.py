"""Full-text search over tickets: SQLite FTS5, or a tsvector with a GIN index on PostgreSQL.

The index is kept by the ticket service in the same transaction as the change it reflects.
Internal notes are not indexed, so a search can never reveal them.
"""

from __future__ import annotations

import re

from sqlalchemy import Integer, column, text
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ..models import Ticket

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def ensure_schema(session: Session) -> None:
    """Create the index when missing (the migration creates it; tests on create_all need this)."""
    if _sqlite(session):
        session.exec(text("CREATE VIRTUAL TABLE IF NOT EXISTS ticket_fts USING fts5("
                          "title, description, comments, tokenize='unicode61 remove_diacritics 2')"))
    else:
        session.exec(text("CREATE TABLE IF NOT EXISTS ticket_search (ticket_id integer PRIMARY KEY "
                          "REFERENCES ticket(id) ON DELETE CASCADE, document tsvector NOT NULL)"))
        session.exec(text("CREATE INDEX IF NOT EXISTS ix_ticket_search_document ON ticket_search "
                          "USING gin (document)"))
    session.commit()


def index_ticket(session: Session, ticket: Ticket) -> None:
    if _sqlite(session):
        session.exec(text("INSERT INTO ticket_fts (rowid, title, description, comments) "
                          "VALUES (:id, :title, :description, '')"),
                     params={"id": ticket.id, "title": ticket.title, "description": ticket.description})
    else:
        session.exec(text("INSERT INTO ticket_search (ticket_id, document) VALUES "
                          "(:id, to_tsvector('simple', :title || ' ' || :description))"),
                     params={"id": ticket.id, "title": ticket.title, "description": ticket.description})


def index_comment(session: Session, ticket_id: int, body: str) -> None:
    if not body:
        return
    if _sqlite(session):
        session.exec(text("UPDATE ticket_fts SET comments = comments || ' ' || :body WHERE rowid = :id"),
                     params={"id": ticket_id, "body": body})
    else:
        session.exec(text("UPDATE ticket_search SET document = document || to_tsvector('simple', :body) "
                          "WHERE ticket_id = :id"), params={"id": ticket_id, "body": body})


def terms(query: str) -> list[str]:
    """Words of a search box, lower-cased; punctuation and operators are dropped."""
    return [t.lower() for t in _TOKEN.findall(query)][:MAX_TERMS]


def matching(session: Session, query: str) -> ColumnElement[bool] | None:
    """A WHERE clause: tickets containing every word (as a prefix). None when there is no word."""
    words = terms(query)
    if not words:
        return None
    if _sqlite(session):
        match = " ".join(f'"{w}"*' for w in words)
        return Ticket.id.in_(text("SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH :match")
                             .bindparams(match=match).columns(column("rowid", Integer)))
    tsquery = " & ".join(f"{w}:*" for w in words)
    return Ticket.id.in_(text("SELECT ticket_id FROM ticket_search WHERE document @@ to_tsquery('simple', :tsq)")
                         .bindparams(tsq=tsquery).columns(column("ticket_id", Integer)))
