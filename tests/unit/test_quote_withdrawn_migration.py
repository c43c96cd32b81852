"""Migration 0018_quote_withdrawn: requests withdrawn before it (stored as "declined", never quoted)
become "withdrawn"; quotes the customer declined stay "declined"; down again, both are "declined"."""

from __future__ import annotations

import sqlite3

from migrations import run_alembic

COLUMNS = ("number, status, company_id, contact_id, message, answer, decline_reason, currency, subtotal_cents, "
           "vat_cents, total_cents, created_at, updated_at, quoted_at")


def _statuses(db) -> dict[int, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT number, status FROM quoterequest ORDER BY number").fetchall())


def test_withdrawn_requests_are_told_from_declined_quotes(tmp_path):
    run_alembic(tmp_path, "upgrade", "0017_company_event_submissions")
    db = tmp_path / "portal.db"
    now = "2026-11-01 10:00:00"
    rows = [(1, "declined", None), (2, "declined", now), (3, "requested", None), (4, "accepted", now)]
    with sqlite3.connect(db) as conn:  # foreign keys are off on a plain connection: no company needed
        conn.executemany(f"INSERT INTO quoterequest ({COLUMNS}) VALUES (?, ?, 1, 1, '', '', '', 'EUR', 0, 0, 0, ?, ?, ?)",
                         [(n, status, now, now, quoted) for n, status, quoted in rows])
    run_alembic(tmp_path, "upgrade", "head")
    assert _statuses(db) == {1: "withdrawn", 2: "declined", 3: "requested", 4: "accepted"}
    run_alembic(tmp_path, "downgrade", "0017_company_event_submissions")
    assert _statuses(db) == {1: "declined", 2: "declined", 3: "requested", 4: "accepted"}
