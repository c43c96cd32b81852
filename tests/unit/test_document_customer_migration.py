"""Migrations 0035_invoice_bill_to, 0036_document_customer and 0037_invoice_seller: an invoice issued
before (a quote or an order made before) keeps its customer as the company is
today (name, then address lines) and an invoice the seller as Settings name it today, a draft keeps
none (it follows the company and Settings); down again, the
column is gone."""

from __future__ import annotations

import json
import sqlite3

from migrations import run_alembic


NOW = "2026-11-01 10:00:00"


def _company(conn: sqlite3.Connection, *, street: str, country: str) -> None:
    """Company 7, Muster GmbH in 70565 Stuttgart."""
    conn.execute("INSERT INTO company (id, name, business_id, street_address, postal_code, city, country, phone,"
                 " website, is_active, created_at, updated_at) VALUES (7, 'Muster GmbH', '', ?, '70565',"
                 " 'Stuttgart', ?, '', '', 1, ?, ?)", (street, country, NOW, NOW))


def _insert_required(conn: sqlite3.Connection, table: str, **given: object) -> None:
    """A row of `table` with each required column without a default filled in plainly (company 7, id 1)."""
    columns = [row for row in conn.execute(f"PRAGMA table_info({table})")]
    values = {row[1]: (7 if row[1] == "company_id" else 1 if row[1] in ("id", "number", "contact_id")
                       else NOW if row[1].endswith("_at") else 0 if row[5] == 0 and "INT" in row[2].upper()
                       else "EUR" if row[1] == "currency" else "[]" if "JSON" in row[2].upper() else "")
              for row in columns if row[3] and row[4] is None} | given
    conn.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                 list(values.values()))


def _invoices(conn: sqlite3.Connection, *rows: tuple[int, int | None, str]) -> None:
    """Company 7's invoices of nothing, each (id, number, state)."""
    for invoice_id, number, state in rows:
        conn.execute("INSERT INTO invoice (id, number, kind, company_id, state, currency, notes, reference,"
                     " subtotal_cents, vat_cents, total_cents, paid_cents, credited_cents, balance_cents,"
                     " credit_cents, needs_review, payment_seq, created_at, updated_at)"
                     " VALUES (?, ?, 'invoice', 7, ?, 'EUR', '', '', 0, 0, 0, 0, 0, 0, 0, 0, 0, ?, ?)",
                     (invoice_id, number, state, NOW, NOW))


def test_issued_invoices_get_the_customer_drafts_do_not(tmp_path):
    run_alembic(tmp_path, "upgrade", "0034_staged_for")
    db = tmp_path / "portal.db"
    with sqlite3.connect(db) as conn:
        _company(conn, street="Hauptstr. 1", country="")
        _invoices(conn, (1, 1001, "issued"), (2, None, "draft"))
    run_alembic(tmp_path, "upgrade", "head")
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT id, bill_to FROM invoice").fetchall())
    assert json.loads(rows[1]) == ["Muster GmbH", "Hauptstr. 1", "70565 Stuttgart"] and json.loads(rows[2]) == []
    run_alembic(tmp_path, "downgrade", "0034_staged_for")
    with sqlite3.connect(db) as conn:
        assert "bill_to" not in [row[1] for row in conn.execute("PRAGMA table_info(invoice)")]


def test_quotes_and_orders_made_before_get_the_customer(tmp_path):
    """Migration 0036_document_customer: the same for quote requests and orders."""
    run_alembic(tmp_path, "upgrade", "0035_invoice_bill_to")
    db = tmp_path / "portal.db"
    with sqlite3.connect(db) as conn:
        _company(conn, street="", country="Germany")
        for table in ("quoterequest", "salesorder"):
            _insert_required(conn, table)
    run_alembic(tmp_path, "upgrade", "head")
    with sqlite3.connect(db) as conn:
        for table in ("quoterequest", "salesorder"):
            (customer,) = conn.execute(f"SELECT customer FROM {table}").fetchone()
            assert json.loads(customer) == ["Muster GmbH", "70565 Stuttgart", "Germany"], table
    run_alembic(tmp_path, "downgrade", "0035_invoice_bill_to")


def test_issued_invoices_get_the_seller_of_today_drafts_do_not(tmp_path):
    """Migration 0037_invoice_seller: an invoice issued before keeps the seller Settings name today."""
    run_alembic(tmp_path, "upgrade", "0036_document_customer")
    db = tmp_path / "portal.db"
    seller = {"name": "Example Services Oy", "address": "Esimerkkikatu 1", "business_id": "FI12345678",
              "iban": "FI21 1234 5600 0007 85", "bic": "NDEAFIHH"}  # (no bank: stored as "")
    with sqlite3.connect(db) as conn:
        _company(conn, street="Hauptstr. 1", country="")
        _insert_required(conn, "portalsettings", seller=json.dumps(seller))
        _invoices(conn, (1, 1001, "issued"), (2, None, "draft"), (3, 1002, "void"))
    run_alembic(tmp_path, "upgrade", "head")
    with sqlite3.connect(db) as conn:
        rows = {k: json.loads(v) for k, v in conn.execute("SELECT id, seller FROM invoice").fetchall()}
    assert rows[1] == rows[3] == {**seller, "bank": ""} and rows[2] == {}
    run_alembic(tmp_path, "downgrade", "0036_document_customer")
    with sqlite3.connect(db) as conn:
        assert "seller" not in [row[1] for row in conn.execute("PRAGMA table_info(invoice)")]
