"""ticket search: tags in the FTS5 index, detail=column

The SQLite full-text index gets a fourth column, `tags`: one token per value of the columns the
ticket list scopes and filters by (see portal_app/services/ticket_search.py), so a search inside a
company or a status is answered by the index alone. FTS5 cannot add a column, so the table is
rebuilt from the ticket table and the old index (whose comments column holds the public comments'
text). Triggers now keep title, description and tags in line with the ticket table. PostgreSQL's
tsvector index is unchanged.

Revision ID: 0003_ticket_search_tags
Revises: 0002_tickets
Create Date: 2026-11-23 21:40:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = "0003_ticket_search_tags"
down_revision: Union[str, Sequence[str], None] = "0002_tickets"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TOKENIZER = "tokenize='unicode61 remove_diacritics 2'"
# frozen copy of portal_app/services/ticket_search.py as of this revision
TAG_PREFIX = {"company_id": "co", "created_by_id": "by", "assignee_id": "to", "status": "st",
              "category": "ca", "severity": "se", "priority": "pr"}


def _tags_sql(row: str) -> str:
    parts = []
    for column, prefix in TAG_PREFIX.items():
        value = f"coalesce({row}.{column}, 'none')" if column == "assignee_id" else f"{row}.{column}"
        parts.append(f"'{prefix}' || lower(replace({value}, '_', ''))")
    return " || ' ' || ".join(parts)


TRIGGERS = (
    "CREATE TRIGGER ticket_fts_insert AFTER INSERT ON ticket BEGIN "
    "INSERT INTO ticket_fts (rowid, title, description, comments, tags) "
    f"VALUES (new.id, new.title, new.description, '', {_tags_sql('new')}); END",
    f"CREATE TRIGGER ticket_fts_update AFTER UPDATE OF title, description, {', '.join(TAG_PREFIX)} ON ticket "
    f"BEGIN UPDATE ticket_fts SET title = new.title, description = new.description, tags = {_tags_sql('new')} "
    "WHERE rowid = new.id; END",
    "CREATE TRIGGER ticket_fts_delete AFTER DELETE ON ticket BEGIN DELETE FROM ticket_fts WHERE rowid = old.id; END",
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _sqlite():
        return
    op.execute("CREATE VIRTUAL TABLE ticket_fts_new USING fts5(title, description, comments, tags, "
               f"{TOKENIZER}, detail=column)")
    op.execute("INSERT INTO ticket_fts_new (rowid, title, description, comments, tags) "
               f"SELECT t.id, t.title, t.description, coalesce(f.comments, ''), {_tags_sql('t')} "
               "FROM ticket t LEFT JOIN ticket_fts f ON f.rowid = t.id")
    op.execute("DROP TABLE ticket_fts")
    op.execute("ALTER TABLE ticket_fts_new RENAME TO ticket_fts")
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    if not _sqlite():
        return
    for name in ("ticket_fts_insert", "ticket_fts_update", "ticket_fts_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"CREATE VIRTUAL TABLE ticket_fts_old USING fts5(title, description, comments, {TOKENIZER})")
    op.execute("INSERT INTO ticket_fts_old (rowid, title, description, comments) "
               "SELECT rowid, title, description, comments FROM ticket_fts")
    op.execute("DROP TABLE ticket_fts")
    op.execute("ALTER TABLE ticket_fts_old RENAME TO ticket_fts")
