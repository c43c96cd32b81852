"""Full-text search over tickets: SQLite FTS5, or a tsvector with a GIN index on PostgreSQL.

The index is kept by the ticket service in the same transaction as the change it reflects.
Internal notes are not indexed, so a search can never reveal them.
"""

from __future__ import annotations

import re

from sqlalchemy import Integer, Select, literal_column, select, table, text
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


def _search(session: Session, words: list[str]) -> Select:
    """SELECT of the ids of the tickets containing every word (as a prefix)."""
    if _sqlite(session):
        match = " ".join(f'"{w}"*' for w in words)
        return (select(literal_column("rowid", Integer)).select_from(table("ticket_fts"))
                .where(text("ticket_fts MATCH :match").bindparams(match=match)))
    tsquery = " & ".join(f"{w}:*" for w in words)
    return (select(literal_column("ticket_id", Integer)).select_from(table("ticket_search"))
            .where(text("document @@ to_tsquery('simple', :tsq)").bindparams(tsq=tsquery)))


def matching(session: Session, query: str) -> ColumnElement[bool] | None:
    """A WHERE clause: tickets containing every word (as a prefix). None when there is no word."""
    words = terms(query)
    if not words:
        return None
    return Ticket.id.in_(_search(session, words))


def matches_among(session: Session, query: str, scope: Select) -> list[int]:
    """The ids of the tickets of `scope` (a SELECT of ticket ids) that contain every word.

    One pass over the search's matches, each tested against `scope` -- for a small scope (a
    contact's own tickets) far cheaper than building every match of a common word into a list to
    test the scope against, as `matching` makes the database do.
    """
    words = terms(query)
    if not words:
        return []
    # "+rowid": a test on each match, not a constraint FTS5 would answer by searching once per id
    among = literal_column("+rowid" if _sqlite(session) else "ticket_id", Integer).in_(scope)
    return list(session.execute(_search(session, words).where(among)).scalars())


def few_matches(session: Session, query: str, limit: int) -> list[int] | None:
    """The ids of the tickets containing every word when there are at most `limit`; else (or with no
    word) None. A short list lets the ticket list read those few tickets by id rather than test every
    ticket of the actor's scope against the search."""
    words = terms(query)
    if not words:
        return None
    ids = list(session.execute(_search(session, words).limit(limit + 1)).scalars())
    return ids if len(ids) <= limit else None
