"""The ticket tally: how many tickets there are per status, category, severity and priority (SQLite).

Staff's list over every company, unfiltered or filtered by those columns only, shows counts per
status of up to a million tickets; counting them from an index visits every one (`category=Bug`:
250,000 entries, about 80 ms; `severity=10`: 750,000, about 290 ms). The tally holds the same
numbers in at most 360 rows (6 statuses x 3 categories x 5 severities x 4 priorities), kept by
triggers in the transaction of every write to the ticket table, whatever writes it. PostgreSQL has
no tally: the list counts from its indexes there.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

# the ticket columns the tally counts by; a list whose conditions are on these columns only (the
# status aside, which the counts are per) can take its counts from it
COLUMNS = ("status", "category", "severity", "priority")

_KEY = ", ".join(COLUMNS)
_OLD = " AND ".join(f"{c} = old.{c}" for c in COLUMNS)
_NEW = ", ".join(f"new.{c}" for c in COLUMNS)
_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in COLUMNS)
_ADD = f"INSERT INTO ticket_tally ({_KEY}, n) VALUES ({_NEW}, 1) ON CONFLICT ({_KEY}) DO UPDATE SET n = n + 1;"
_REMOVE = f"UPDATE ticket_tally SET n = n - 1 WHERE {_OLD};"

TABLE = ("CREATE TABLE IF NOT EXISTS ticket_tally (status VARCHAR NOT NULL, category VARCHAR NOT NULL, "
         "severity INTEGER NOT NULL, priority VARCHAR NOT NULL, n INTEGER NOT NULL, "
         f"PRIMARY KEY ({_KEY})) WITHOUT ROWID")
TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS ticket_tally_insert AFTER INSERT ON ticket BEGIN {_ADD} END",
    f"CREATE TRIGGER IF NOT EXISTS ticket_tally_update AFTER UPDATE OF {_KEY} ON ticket WHEN {_CHANGED} "
    f"BEGIN {_REMOVE} {_ADD} END",
    f"CREATE TRIGGER IF NOT EXISTS ticket_tally_delete AFTER DELETE ON ticket BEGIN {_REMOVE} END",
)
# (re)count every ticket into an empty tally
FILL = f"INSERT INTO ticket_tally ({_KEY}, n) SELECT {_KEY}, count(*) FROM ticket GROUP BY {_KEY}"
SQLITE_SCHEMA = (TABLE, *TRIGGERS)


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
