"""POST /api/stripe/webhook (raw body, signature checked, duplicates answered 200 and ignored) and
GET /api/invoices/{number}/pdf, /api/admin/invoices.csv (the session cookie checked each time)."""

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal_app.db import get_engine
from portal_app.models import Invoice, Payment, StripeEvent
from portal_app.services.invoices import payments

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from localstripe_server import sign  # noqa: E402
from http_kit import client_as  # noqa: E402

SECRET = "whsec_route"


_as = client_as


def _event(event_id: str, intent_id: str, number: int, amount: int) -> bytes:
    return json.dumps({"id": event_id, "object": "event", "type": "payment_intent.succeeded", "data": {"object": {
        "id": intent_id, "object": "payment_intent", "status": "succeeded", "amount": amount,
        "amount_received": amount, "currency": "eur", "metadata": {"invoice": str(number)}}}}, indent=2).encode()


def test_webhook_verifies_the_raw_body_and_records_once(client, monkeypatch):
    monkeypatch.setattr(payments, "settings", replace(payments.settings, stripe_webhook_secret=SECRET))
    payload = _event("evt_route_1", "pi_route_1", 1002, 124000)
    headers = {"Stripe-Signature": sign(payload, SECRET), "Content-Type": "application/json"}
    for bad in ({"Stripe-Signature": sign(payload, "whsec_other")}, {}, {"Stripe-Signature": "garbage"}):
        assert client.post("/api/stripe/webhook", content=payload, headers=bad).status_code == 400
    # re-encoded JSON (what a framework's request.json() would give) no longer matches the signature
    reencoded = json.dumps(json.loads(payload)).encode()
    assert client.post("/api/stripe/webhook", content=reencoded, headers=headers).status_code == 400
    with Session(get_engine()) as session:
        assert session.exec(select(StripeEvent)).all() == []
    first = client.post("/api/stripe/webhook", content=payload, headers=headers)
    assert first.status_code == 200 and first.json()["outcome"] == "recorded"
    again = client.post("/api/stripe/webhook", content=payload, headers={**headers,
                                                                         "Stripe-Signature": sign(payload, SECRET)})
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    with Session(get_engine()) as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == 1002)).one()
        assert (invoice.paid_cents, invoice.balance_cents) == (124000, 0)
        assert len(session.exec(select(Payment).where(Payment.invoice_id == invoice.id)).all()) == 1


def test_webhook_without_a_secret_configured_refuses(client, monkeypatch):
    monkeypatch.setattr(payments, "settings", replace(payments.settings, stripe_webhook_secret=None))
    payload = _event("evt_route_2", "pi_route_2", 1002, 100)
    response = client.post("/api/stripe/webhook", content=payload, headers={"Stripe-Signature": sign(payload, SECRET)})
    assert response.status_code == 400


@pytest.mark.usefixtures("client")
def test_pdf_for_who_sees_the_invoice_and_404_for_everyone_else():
    response = _as("admin@acme.example.com").get("/api/invoices/1002/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"
    assert "invoice-1002.pdf" in response.headers["content-disposition"]
    assert "no-store" in response.headers["cache-control"]
    assert _as("staff@example.com").get("/api/invoices/1004/pdf").status_code == 200
    for email, number in (("user@acme.example.com", 1002), ("admin@globex.example.com", 1002), (None, 1002),
                          ("admin@acme.example.com", 1004), ("admin@acme.example.com", 9999),
                          ("admin@acme.example.com", "x1")):
        response = _as(email).get(f"/api/invoices/{number}/pdf")
        assert (response.status_code, response.text) == (404, "Not found"), (email, number)


@pytest.mark.usefixtures("client")
def test_csv_for_staff_only():
    response = _as("staff@example.com").get("/api/admin/invoices.csv?status=open")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert len(lines) == 3 and lines[1].startswith("1002,") and lines[2].startswith("1004,")
    assert _as("admin@acme.example.com").get("/api/admin/invoices.csv").status_code == 404
