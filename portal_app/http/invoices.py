"""Invoice routes: the Stripe webhook (no session: the signature is the proof) and the invoice PDF
(the session cookie, checked on every request; anything not the user's answers 404 like a number
that does not exist)."""

from __future__ import annotations

import logging

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from ..db import session_scope
from ..services.errors import ServiceError
from ..services.invoices import core as invoices
from ..services.invoices import payments
from ..services.mail import outbox
from .files import NOT_FOUND_HEADERS, content_disposition
from .session import request_actor

log = logging.getLogger("portal.invoices.webhook")
MAX_WEBHOOK_BYTES = 1024 * 1024  # Stripe's events are a few KB


def _apply(payload: bytes, signature: str) -> str:
    with session_scope() as session:
        return payments.handle_webhook(session=session, payload=payload, signature=signature)


async def stripe_webhook(request: Request) -> Response:
    """POST /api/stripe/webhook: the raw body verified with the endpoint secret; 400 for a bad
    signature (nothing recorded); 200 for an event applied now or before (a duplicate)."""
    payload = await request.body()  # the raw bytes: the signature is over them, never re-encoded JSON
    if len(payload) > MAX_WEBHOOK_BYTES:
        return JSONResponse({"error": "too large"}, status_code=413)
    try:
        outcome = await run_in_threadpool(_apply, payload, request.headers.get("stripe-signature", ""))
    except payments.BadSignature:
        return JSONResponse({"error": "bad signature"}, status_code=400)
    # a payment recorded: its receipt is in the outbox; sent after the answer (else the mail worker sends it)
    after = BackgroundTask(run_in_threadpool, _deliver_due) if outcome == "recorded" else None
    return JSONResponse({"received": True, "outcome": outcome}, background=after)


def _deliver_due() -> None:
    try:
        with session_scope() as session:
            outbox.deliver_due(session=session)
    except Exception:  # noqa: BLE001 - the mail worker tries again
        log.exception("delivering a payment's receipt failed; the mail worker retries it")


async def invoice_pdf(request: Request) -> Response:
    """GET /api/invoices/{number}/pdf: the invoice's PDF for who may see the invoice."""
    actor = request_actor(request)
    if actor is None:
        return PlainTextResponse("Not found", status_code=404, headers=NOT_FOUND_HEADERS)

    def render() -> tuple[str, bytes]:
        with session_scope() as session:
            return invoices.invoice_pdf(session=session, actor=actor, number=request.path_params.get("number"))

    try:
        name, data = await run_in_threadpool(render)
    except ServiceError:
        return PlainTextResponse("Not found", status_code=404, headers=NOT_FOUND_HEADERS)
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": content_disposition(name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store",
    })


async def invoices_csv(request: Request) -> Response:
    """GET /api/admin/invoices.csv?status=&q=&company=: staff's invoice list as CSV; 404 for anyone else."""
    from ..services.invoices import admin as invoice_admin

    actor = request_actor(request)
    if actor is None or not actor.is_staff:
        return PlainTextResponse("Not found", status_code=404, headers=NOT_FOUND_HEADERS)
    query = request.query_params
    try:
        with session_scope() as session:
            name, text = invoice_admin.export_csv(session=session, actor=actor, status=query.get("status") or None,
                                                  search=query.get("q", ""), company_id=query.get("company") or None)
    except ServiceError:
        return PlainTextResponse("Not found", status_code=404, headers=NOT_FOUND_HEADERS)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": content_disposition(name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store",
    })
