"""Migration 0021_attempt_error_code: a card payment that failed before it keeps Stripe's message and
gets an empty code (told as "the payment did not go through"); down again, the column is gone."""

from __future__ import annotations

import sqlite3

from migrations import run_alembic


def _columns(db) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[1] for row in conn.execute("PRAGMA table_info(paymentattempt)")]


def test_failed_attempts_keep_their_message_with_an_empty_code(tmp_path):
    run_alembic(tmp_path, "upgrade", "0020_event_deadline_is_start")
    db = tmp_path / "portal.db"
    now = "2026-11-01 10:00:00"
    with sqlite3.connect(db) as conn:  # foreign keys are off on a plain connection: no invoice needed
        conn.execute("INSERT INTO paymentattempt (invoice_id, payment_intent_id, idempotency_key, amount_cents, currency,"
                     " status, last_error, created_at, updated_at) VALUES (1, 'pi_1', 'k1', 100, 'EUR', 'failed',"
                     " 'Your card was declined.', ?, ?)", (now, now))
    run_alembic(tmp_path, "upgrade", "head")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, last_error, last_error_code FROM paymentattempt").fetchall() == [
            ("failed", "Your card was declined.", "")]
    run_alembic(tmp_path, "downgrade", "0020_event_deadline_is_start")
    assert "last_error_code" not in _columns(db) and "last_error" in _columns(db)
