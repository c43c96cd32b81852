"""ticket search on PostgreSQL: accents folded, as on SQLite

SQLite's index folds diacritics ("kayttaja" finds "käyttäjä"); PostgreSQL's `simple` text search
kept them, so the same search found less there. The tsvector documents are now made of the text
with its accents removed (`unaccent`, a trusted extension that ships with PostgreSQL) and the
search folds its words the same way (portal_app/services/ticket_search.py). Every document is
made again from the ticket's title, description and public comments. SQLite is unchanged.

Revision ID: 0006_ticket_search_unaccent
Revises: 0005_ticket_search_pair_tags
Create Date: 2026-11-29 11:15:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = "0006_ticket_search_unaccent"
down_revision: Union[str, Sequence[str], None] = "0005_ticket_search_pair_tags"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# the text of a ticket's document: title, description and its public comments (never internal notes)
TEXT = ("t.title || ' ' || t.description || ' ' || coalesce((SELECT string_agg(c.body, ' ' ORDER BY c.id) "
        "FROM ticketcomment c WHERE c.ticket_id = t.id AND NOT c.internal), '')")


def _remake(fold: bool) -> None:
    text = f"unaccent({TEXT})" if fold else TEXT
    op.execute(f"UPDATE ticket_search s SET document = to_tsvector('simple', {text}) FROM ticket t "
               "WHERE t.id = s.ticket_id")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    _remake(fold=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _remake(fold=False)  # the extension stays: something else may use it
