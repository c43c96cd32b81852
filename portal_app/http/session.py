"""The session cookie: signing in and out over plain HTTP, and resolving the cookie on requests.

The browser holds the random session token in an `HttpOnly; SameSite=Strict` cookie that only
these routes set and clear, so no script (and no Reflex state) ever holds it. Reflex's own
websocket never sees the token either: `middleware.SessionHandshake` replaces the cookie by its
SHA-256 in the handshake (`SESSION_HEADER`), and the state resolves that hash on every event.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from ..db import session_scope
from ..i18n import available_languages
from ..services.accounts import auth
from ..services.actor import Actor
from ..settings import settings

SESSION_COOKIE = "portal_session"
LANGUAGE_COOKIE = "portal_lang"
# a language a visitor picked while signed out: the next sign-in on this browser makes it the user's own.
# Not LANGUAGE_COOKIE, which a sign-in sets to the user's language: that one is nobody's choice, and a
# later sign-in (another person's, or this one's after choosing another language elsewhere) must not
# take it as one
LANGUAGE_PICKED_COOKIE = "portal_lang_picked"
LANGUAGE_PICKED_SECONDS = 3600
# the handshake header that carries the cookie's hash to Reflex (a credential header, so Reflex
# never sends it to the browser; whatever a client sends under this name is dropped)
SESSION_HEADER = "authorization"
SESSION_SCHEME = "PortalSession"
MAX_FORM_BYTES = 8 * 1024


def session_header_value(token_hash: str) -> str:
    return f"{SESSION_SCHEME} {token_hash}"


def hash_from_header(value: object) -> str:
    """The session hash carried by the handshake header, or '' (anything malformed)."""
    if not isinstance(value, str) or not value.startswith(SESSION_SCHEME + " "):
        return ""
    candidate = value[len(SESSION_SCHEME) + 1:]
    return candidate if len(candidate) == 64 and all(c in "0123456789abcdef" for c in candidate) else ""


def cookie_from_header(value: object, name: str) -> str:
    """One cookie's value in a Cookie header (the socket's handshake keeps all but the session's),
    or ''."""
    if not isinstance(value, str):
        return ""
    for part in value.split(";"):
        key, sep, found = part.strip().partition("=")
        if sep and key == name:
            return found
    return ""


def client_address(request: Request) -> str:
    """The client's address; behind PORTAL_TRUSTED_PROXY_HOPS proxies, the one they forwarded."""
    address = request.client.host if request.client else ""
    hops = settings.trusted_proxy_hops
    if hops:
        forwarded = [ip.strip() for ip in request.headers.get("x-forwarded-for", "").split(",") if ip.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address


def safe_next(target: object) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if (isinstance(target, str) and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ch < " " or ch == "\x7f" for ch in target)):
        # browsers drop tabs and newlines inside a URL: "/\t/evil.example" would become "//evil.example"
        return target[:500]
    return "/"


def same_origin(request: Request) -> bool:
    """A form posted from one of the portal's own pages (login CSRF and sign-out by another site)."""
    origin = request.headers.get("origin", "").rstrip("/")
    return origin in settings.allowed_origins


def request_actor(request: Request) -> Actor | None:
    """The signed-in actor of the request's session cookie, checked against the database now."""
    token = request.cookies.get(SESSION_COOKIE, "")
    with session_scope() as session:
        return auth.actor_for_token(session=session, token=token)


def _set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=settings.session_hours * 3600, path="/",
                        httponly=True, samesite="strict", secure=settings.secure_cookies)


def _login(email: object, password: object, address: str, language: str) -> auth.LoginResult:
    with session_scope() as session:
        result = auth.login(session=session, email=email, password=password, client_address=address)
        if result.ok and result.actor is not None and language in available_languages() \
                and language != result.actor.language:
            # a language picked on the sign-in page becomes the user's own
            auth.set_language(session=session, actor=result.actor, language=language)
            result = replace(result, actor=replace(result.actor, language=language))
        return result


async def sign_in(request: Request) -> Response:
    """POST /api/session (the sign-in form): on success the cookie and a redirect to `next`;
    otherwise back to the sign-in page with a reason the page turns into a message."""
    if not same_origin(request):
        return PlainTextResponse("Forbidden", status_code=403)
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return PlainTextResponse("Too large", status_code=413)
    form = await request.form(max_files=0, max_fields=10)
    email, password, target = form.get("email"), form.get("password"), safe_next(form.get("next"))
    missing = [name for name, value in (("email", isinstance(email, str) and email.strip()),
                                        ("password", isinstance(password, str) and password)) if not value]
    if missing:  # the page says which field is empty, under that field
        return _back_to_login(target, error="required", field=",".join(missing))
    # bcrypt takes about a quarter second: off the event loop
    result = await asyncio.to_thread(_login, email, password, client_address(request),
                                     request.cookies.get(LANGUAGE_PICKED_COOKIE, ""))
    if not result.ok or result.actor is None:
        if result.throttled_minutes:
            return _back_to_login(target, error="throttled", minutes=str(result.throttled_minutes))
        if result.locked_minutes:  # the same for an email no account has (auth.login)
            return _back_to_login(target, error="locked", minutes=str(result.locked_minutes))
        return _back_to_login(target, error="failed")
    response = RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
    _set_session_cookie(response, result.token)
    response.set_cookie(LANGUAGE_COOKIE, result.actor.language, max_age=365 * 24 * 3600, path="/", samesite="lax",
                        secure=settings.secure_cookies)
    response.delete_cookie(LANGUAGE_PICKED_COOKIE, path="/", samesite="lax", secure=settings.secure_cookies)
    return response


def _back_to_login(target: str, **reason: str) -> Response:
    query = {**reason, **({"next": target} if target != "/" else {})}
    return RedirectResponse(f"/login?{urlencode(query, quote_via=quote)}", status_code=303,
                            headers={"Cache-Control": "no-store"})


async def sign_out(request: Request) -> Response:
    """POST /api/session/end (the Sign out button): ends the session and clears the cookie."""
    if not same_origin(request):
        return PlainTextResponse("Forbidden", status_code=403)
    token = request.cookies.get(SESSION_COOKIE, "")
    with session_scope() as session:
        auth.logout(session=session, token=token)
    response = RedirectResponse("/login?signed_out=1", status_code=303, headers={"Cache-Control": "no-store"})
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=settings.secure_cookies)
    return response


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
