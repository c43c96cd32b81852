"""GET /api/events/{slug}/attendees.csv: staff's attendee list of an event, checked on every request.

The session cookie is resolved and staff checked here, on the server; anyone else (signed out, a
customer) gets 404, like an event that does not exist."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..db import session_scope
from ..services.errors import ServiceError
from ..services.events import admin as event_admin
from .files import NOT_FOUND_HEADERS, content_disposition
from .session import request_actor


async def attendees_csv(request: Request) -> Response:
    actor = request_actor(request)
    if actor is None or not actor.is_staff:
        return PlainTextResponse("Not found", status_code=404, headers=NOT_FOUND_HEADERS)
    try:
        with session_scope() as session:
            name, text = event_admin.export_csv(session=session, actor=actor, slug=request.path_params.get("slug"))
    except ServiceError:
        return PlainTextResponse("Not found", status_code=404, headers=NOT_FOUND_HEADERS)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": content_disposition(name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store",
    })
