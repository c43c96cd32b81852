"""ticket tally: tickets per status, category, severity, priority and assigned or not (SQLite)

A small table, kept by triggers, from which staff's list over every company takes its counts per
status (see portal_app/services/ticket_tally.py) instead of counting up to a million index entries.
Filled from the tickets there are. PostgreSQL keeps no tally.

Revision ID: 0004_ticket_tally
Revises: 0003_ticket_search_tags
Create Date: 2026-11-29 08:50:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = "0004_ticket_tally"
down_revision: Union[str, Sequence[str], None] = "0003_ticket_search_tags"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# frozen copy of portal_app/services/ticket_tally.py as of this revision
KEY = "status, category, severity, priority, unassigned"
OLD = ("status = old.status AND category = old.category AND severity = old.severity AND priority = old.priority "
       "AND unassigned = (old.assignee_id IS NULL)")
NEW = "new.status, new.category, new.severity, new.priority, new.assignee_id IS NULL"
CHANGED = ("old.status IS NOT new.status OR old.category IS NOT new.category OR old.severity IS NOT new.severity "
           "OR old.priority IS NOT new.priority OR (old.assignee_id IS NULL) IS NOT (new.assignee_id IS NULL)")
ADD = f"INSERT INTO ticket_tally ({KEY}, n) VALUES ({NEW}, 1) ON CONFLICT ({KEY}) DO UPDATE SET n = n + 1;"
REMOVE = f"UPDATE ticket_tally SET n = n - 1 WHERE {OLD};"
TRIGGERS = {
    "ticket_tally_insert": f"AFTER INSERT ON ticket BEGIN {ADD} END",
    "ticket_tally_update": (f"AFTER UPDATE OF status, category, severity, priority, assignee_id ON ticket "
                            f"WHEN {CHANGED} BEGIN {REMOVE} {ADD} END"),
    "ticket_tally_delete": f"AFTER DELETE ON ticket BEGIN {REMOVE} END",
}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _sqlite():
        return
    op.execute("CREATE TABLE ticket_tally (status VARCHAR NOT NULL, category VARCHAR NOT NULL, "
               "severity INTEGER NOT NULL, priority VARCHAR NOT NULL, unassigned INTEGER NOT NULL, "
               f"n INTEGER NOT NULL, PRIMARY KEY ({KEY})) WITHOUT ROWID")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(f"INSERT INTO ticket_tally ({KEY}, n) SELECT status, category, severity, priority, "
               "assignee_id IS NULL, count(*) FROM ticket GROUP BY status, category, severity, priority, "
               "assignee_id IS NULL")


def downgrade() -> None:
    if not _sqlite():
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS ticket_tally")
