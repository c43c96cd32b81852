"""Migration 0020_event_deadline_is_start: an event whose deadline equals its start (made with the
deadline left empty) follows its start from then on; one with a deadline of its own keeps it."""

from __future__ import annotations

import sqlite3

from migrations import run_alembic

COLUMNS = ("id, slug, title, description, starts_at, ends_at, time_zone, location, online_url, capacity, "
           "registration_deadline, waitlist_enabled, price_text, public_page, visibility, status, seats_taken, "
           "queue_seq, created_at, updated_at")


def _follows(db) -> dict[int, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, deadline_is_start FROM event ORDER BY id").fetchall())


def test_a_deadline_equal_to_the_start_becomes_the_start(tmp_path):
    run_alembic(tmp_path, "upgrade", "0019_product_whole_units")
    db = tmp_path / "portal.db"
    start, end, now = "2027-03-12 09:00:00.000000", "2027-03-12 12:00:00.000000", "2026-11-01 10:00:00.000000"
    rows = [(1, "same", start), (2, "own", "2027-03-10 16:00:00.000000")]
    with sqlite3.connect(db) as conn:
        conn.executemany(
            f"INSERT INTO event ({COLUMNS}) VALUES (?, ?, 'T', '', ?, ?, 'Europe/Helsinki', '', '', 10, ?, 1, '', 0,"
            " 'all_customers', 'active', 0, 0, ?, ?)",
            [(n, slug, start, end, deadline, now, now) for n, slug, deadline in rows])
    run_alembic(tmp_path, "upgrade", "head")
    assert _follows(db) == {1: 1, 2: 0}
    run_alembic(tmp_path, "downgrade", "0019_product_whole_units")
    with sqlite3.connect(db) as conn:
        assert "deadline_is_start" not in [c[1] for c in conn.execute("PRAGMA table_info(event)")]
