"""Authenticating plain HTTP requests with the same session cookie the app sets."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..db import session_scope
from ..services import auth
from ..services.actor import Actor

SESSION_COOKIE = "portal_session"


def request_actor(request: Request) -> Actor | None:
    """The signed-in actor of the request's session cookie, checked against the database now."""
    token = request.cookies.get(SESSION_COOKIE, "")
    with session_scope() as session:
        return auth.actor_for_token(session=session, token=token)


async def me(request: Request) -> JSONResponse:
    """GET /api/me: who the cookie belongs to (401 when nobody)."""
    actor = request_actor(request)
    if actor is None:
        return JSONResponse({"signed_in": False}, status_code=401, headers={"Cache-Control": "no-store"})
    return JSONResponse(
        {"signed_in": True, "email": actor.email, "name": actor.name, "kind": actor.kind,
         "language": actor.language},
        headers={"Cache-Control": "no-store"},
    )
