"""The ticket tally: tickets per status, category, severity, priority and assigned or not (SQLite).

Staff's list over every company, unfiltered or filtered by those columns only, shows counts per
status of up to a million tickets; counting them from an index visits every one (`category=Bug`:
250,000 entries, about 80 ms; `severity=10`: 750,000, about 290 ms). The tally holds the same
numbers in at most 720 rows (6 statuses x 3 categories x 5 severities x 4 priorities x assigned or
not), kept by triggers in the transaction of every write to the ticket table, whatever writes it.
PostgreSQL has no tally: the list counts from its indexes there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

# the ticket columns the tally counts by, and whether the ticket is unassigned (its `unassigned`:
# staff's inbox of tickets nobody has taken)
COLUMNS = ("status", "category", "severity", "priority")
_KEY = ", ".join((*COLUMNS, "unassigned"))
_OLD = " AND ".join([*(f"{c} = old.{c}" for c in COLUMNS), "unassigned = (old.assignee_id IS NULL)"])
_NEW = ", ".join([*(f"new.{c}" for c in COLUMNS), "new.assignee_id IS NULL"])
_CHANGED = " OR ".join([*(f"old.{c} IS NOT new.{c}" for c in COLUMNS),
                        "(old.assignee_id IS NULL) IS NOT (new.assignee_id IS NULL)"])
_ADD = f"INSERT INTO ticket_tally ({_KEY}, n) VALUES ({_NEW}, 1) ON CONFLICT ({_KEY}) DO UPDATE SET n = n + 1;"
_REMOVE = f"UPDATE ticket_tally SET n = n - 1 WHERE {_OLD};"

TABLE = ("CREATE TABLE IF NOT EXISTS ticket_tally (status VARCHAR NOT NULL, category VARCHAR NOT NULL, "
         "severity INTEGER NOT NULL, priority VARCHAR NOT NULL, unassigned INTEGER NOT NULL, n INTEGER NOT NULL, "
         f"PRIMARY KEY ({_KEY})) WITHOUT ROWID")
TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS ticket_tally_insert AFTER INSERT ON ticket BEGIN {_ADD} END",
    f"CREATE TRIGGER IF NOT EXISTS ticket_tally_update AFTER UPDATE OF {', '.join(COLUMNS)}, assignee_id ON ticket "
    f"WHEN {_CHANGED} BEGIN {_REMOVE} {_ADD} END",
    f"CREATE TRIGGER IF NOT EXISTS ticket_tally_delete AFTER DELETE ON ticket BEGIN {_REMOVE} END",
)
# (re)count every ticket into an empty tally
FILL = (f"INSERT INTO ticket_tally ({_KEY}, n) SELECT {', '.join(COLUMNS)}, assignee_id IS NULL, count(*) "
        f"FROM ticket GROUP BY {', '.join(COLUMNS)}, assignee_id IS NULL")
SQLITE_SCHEMA = (TABLE, *TRIGGERS)


def tally_conditions(conditions: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[str, tuple[Any, ...]]] | None:
    """The list's conditions as conditions on the tally's columns ("unassigned" for an assignee
    of none); None when one of them is not the tally's (a company, a creator, an assignee)."""
    out = []
    for column, values in conditions:
        if column in COLUMNS:
            out.append((column, values))
        elif column == "assignee_id" and tuple(values) == (None,):
            out.append(("unassigned", (1,)))
        else:
            return None
    return out


def available(session: Session) -> bool:
    """Whether the database keeps a tally (SQLite)."""
    return session.get_bind().dialect.name == "sqlite"


def ensure_schema(session: Session) -> None:
    """Create the tally, counted from the tickets there are, when missing (the migrations create
    it; tests on create_all need this)."""
    if not available(session):
        return
    missing = session.exec(text("SELECT 1 FROM sqlite_master WHERE name = 'ticket_tally'")).first() is None
    for statement in SQLITE_SCHEMA:
        session.exec(text(statement))
    if missing:
        session.exec(text(FILL))
    session.commit()
