"""ticket search: a tag per company and status pair in the FTS5 index, and its vocabulary

Each ticket's tags (portal_app/services/ticket_search.py) get one more token, `cs<company><status>`,
so "a word within one company and one status" -- the counts per status of a search -- steps through
that short list instead of through the company's and the status's long ones. The tags are rewritten
for every ticket (the table is rebuilt from the ticket table and the old index, whose comments
column holds the public comments' text) and the triggers write the new tag from now on. And
`ticket_fts_words`, the index's vocabulary (fts5vocab), from which a search looks up the few words a
prefix begins. PostgreSQL's tsvector index is unchanged.

Revision ID: 0005_ticket_search_pair_tags
Revises: 0004_ticket_tally
Create Date: 2026-11-29 10:40:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = "0005_ticket_search_pair_tags"
down_revision: Union[str, Sequence[str], None] = "0004_ticket_tally"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# frozen copy of portal_app/services/ticket_search.py as of this revision
COLUMNS = "title, description, comments, tags"
OPTIONS = "tokenize='unicode61 remove_diacritics 2', detail=column"
TAG_PREFIX = {"company_id": "co", "created_by_id": "by", "assignee_id": "to", "status": "st",
              "category": "ca", "severity": "se", "priority": "pr"}
PAIR_PREFIX = {("company_id", "status"): "cs"}


def _value_sql(row: str, column: str) -> str:
    value = f"coalesce({row}.{column}, 'none')" if column == "assignee_id" else f"{row}.{column}"
    return f"lower(replace({value}, '_', ''))"


def _tags_sql(row: str, *, pairs: bool) -> str:
    parts = [f"'{prefix}' || {_value_sql(row, column)}" for column, prefix in TAG_PREFIX.items()]
    if pairs:
        parts += [f"'{prefix}' || " + " || ".join(_value_sql(row, column) for column in pair)
                  for pair, prefix in PAIR_PREFIX.items()]
    return " || ' ' || ".join(parts)


def _triggers(*, pairs: bool) -> tuple[str, ...]:
    return (
        "CREATE TRIGGER ticket_fts_insert AFTER INSERT ON ticket BEGIN "
        "INSERT INTO ticket_fts (rowid, title, description, comments, tags) "
        f"VALUES (new.id, new.title, new.description, '', {_tags_sql('new', pairs=pairs)}); END",
        f"CREATE TRIGGER ticket_fts_update AFTER UPDATE OF title, description, {', '.join(TAG_PREFIX)} ON ticket "
        "BEGIN UPDATE ticket_fts SET title = new.title, description = new.description, "
        f"tags = {_tags_sql('new', pairs=pairs)} WHERE rowid = new.id; END",
        "CREATE TRIGGER ticket_fts_delete AFTER DELETE ON ticket BEGIN "
        "DELETE FROM ticket_fts WHERE rowid = old.id; END",
    )


def _rebuild(*, pairs: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("ticket_fts_insert", "ticket_fts_update", "ticket_fts_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"CREATE VIRTUAL TABLE ticket_fts_new USING fts5({COLUMNS}, {OPTIONS})")
    op.execute(f"INSERT INTO ticket_fts_new (rowid, {COLUMNS}) "
               f"SELECT t.id, t.title, t.description, coalesce(f.comments, ''), {_tags_sql('t', pairs=pairs)} "
               "FROM ticket t LEFT JOIN ticket_fts f ON f.rowid = t.id ORDER BY t.id")
    op.execute("DROP TABLE ticket_fts")
    op.execute("ALTER TABLE ticket_fts_new RENAME TO ticket_fts")
    for trigger in _triggers(pairs=pairs):
        op.execute(trigger)


def upgrade() -> None:
    _rebuild(pairs=True)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE ticket_fts_words USING fts5vocab(ticket_fts, row)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS ticket_fts_words")
    _rebuild(pairs=False)
