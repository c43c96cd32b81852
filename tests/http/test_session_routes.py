"""Signing in and out over HTTP (the HttpOnly cookie), the websocket handshake that hands Reflex the
cookie's hash instead of the token, and the security headers on every response."""

import base64
import gzip
import hashlib
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from portal_app.db import get_engine
from portal_app.http import session as session_routes
from portal_app.http.middleware import SecurityHeaders, SessionHandshake, handshake_headers, page_policy
from portal_app.models import Account, AuthSession
from portal_app.seed import DEMO_PASSWORD
from portal_app.services.accounts import auth

ORIGIN = "http://localhost:3000"  # PORTAL_URL's default: an allowed origin
USER = "user@acme.example.com"


def post_sign_in(client, email=USER, password=DEMO_PASSWORD, next_path="/tickets", origin=ORIGIN, **headers):
    return client.post("/api/session", data={"email": email, "password": password, "next": next_path},
                       headers={"origin": origin, **headers}, follow_redirects=False)


def sessions() -> list[AuthSession]:
    with Session(get_engine()) as session:
        return list(session.exec(select(AuthSession)).all())


def test_sign_in_sets_an_httponly_strict_cookie_and_follows_next(client):
    response = post_sign_in(client, email="  User@ACME.example.com ", next_path="/company?tab=1")
    assert response.status_code == 303 and response.headers["location"] == "/company?tab=1"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("portal_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert [s.token_hash for s in sessions()] == [auth.token_hash(token)]
    assert client.get("/api/me", cookies={"portal_session": token}).json()["email"] == USER


@pytest.mark.parametrize(("email", "password", "reason"), [
    (USER, "Wrong-pass-2026", {"error": ["failed"]}),
    ("nobody@example.com", DEMO_PASSWORD, {"error": ["failed"]}),
    ("", DEMO_PASSWORD, {"error": ["required"], "field": ["email"]}),
    ("  ", DEMO_PASSWORD, {"error": ["required"], "field": ["email"]}),
    (USER, "", {"error": ["required"], "field": ["password"]}),
    ("", "", {"error": ["required"], "field": ["email,password"]}),
    (USER, "ä" * 73, {"error": ["failed"]}),
])
def test_a_refused_sign_in_goes_back_with_a_reason_and_sets_nothing(client, email, password, reason):
    response = post_sign_in(client, email=email, password=password, next_path="/tickets?status=new")
    assert response.status_code == 303 and "set-cookie" not in response.headers
    url = urlsplit(response.headers["location"])
    assert url.path == "/login"
    assert parse_qs(url.query) == {**reason, "next": ["/tickets?status=new"]}
    assert sessions() == []


@pytest.mark.parametrize("email", [USER, "nobody@example.com"])
def test_past_the_lockout_threshold_it_says_how_long_to_wait(client, email):
    """The same for an email no account has: the answers do not tell whether it exists."""
    queries = [parse_qs(urlsplit(post_sign_in(client, email=email, password="Wrong-pass-2026")
                                 .headers["location"]).query) for _ in range(6)]
    assert [q["error"] for q in queries] == [["failed"]] * 4 + [["locked"]] * 2
    assert [q.get("minutes") for q in queries[4:]] == [["15"], ["15"]]
    assert sessions() == []


def test_the_address_limit_sends_back_the_minutes_to_wait(client, monkeypatch):
    monkeypatch.setattr(auth, "settings", replace(auth.settings, login_address_limit=2))
    for _ in range(2):
        post_sign_in(client, password="Wrong-pass-2026")
    query = parse_qs(urlsplit(post_sign_in(client).headers["location"]).query)
    assert query["error"] == ["throttled"] and 1 <= int(query["minutes"][0]) <= 15
    assert sessions() == []


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example", "evil",
                                    "/\t/evil.example", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(client, target):
    response = post_sign_in(client, next_path=target)
    assert response.headers["location"] == "/"


@pytest.mark.parametrize("origin", ["https://evil.example", "null", ""])
def test_a_form_posted_from_another_site_is_refused(client, origin):
    """Login CSRF (signing a victim into the attacker's account) and forced sign-out."""
    assert post_sign_in(client, origin=origin).status_code == 403
    assert sessions() == []
    token = auth_token()
    response = client.post("/api/session/end", headers={"origin": origin}, cookies={"portal_session": token},
                           follow_redirects=False)
    assert response.status_code == 403 and len(sessions()) == 1


def test_an_oversized_form_is_refused_before_parsing(client):
    response = client.post("/api/session", content=b"email=" + b"x" * 20_000, follow_redirects=False,
                           headers={"origin": ORIGIN, "content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def auth_token(email: str = USER) -> str:
    with Session(get_engine()) as session:
        result = auth.login(session=session, email=email, password=DEMO_PASSWORD)
    assert result.ok
    return result.token


def test_sign_out_ends_the_session_and_clears_the_cookie(client):
    token = auth_token()
    other = auth_token()
    response = client.post("/api/session/end", headers={"origin": ORIGIN}, cookies={"portal_session": token},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?signed_out=1"
    cleared = next(c for c in response.headers.get_list("set-cookie") if c.startswith("portal_session="))
    assert 'portal_session=""' in cleared or "Max-Age=0" in cleared
    assert [s.token_hash for s in sessions()] == [auth.token_hash(other)]  # only that browser's session


def test_a_language_picked_before_sign_in_becomes_the_users(client):
    response = post_sign_in(client, **{"cookie": "portal_lang=fi; portal_lang_picked=fi"})
    set_cookies = " ".join(response.headers.get_list("set-cookie"))
    assert "portal_lang=fi" in set_cookies
    assert 'portal_lang_picked=""' in set_cookies or "portal_lang_picked=; " in set_cookies  # used up
    with Session(get_engine()) as session:
        assert session.exec(select(Account).where(Account.email == USER)).one().language == "fi"


def test_the_language_an_earlier_sign_in_left_in_the_browser_is_nobodys_choice(client):
    """A shared computer: the last user's language cookie (set by its sign-in) does not become the
    next user's language, nor brings back an old one of the same user's."""
    response = post_sign_in(client, **{"cookie": "portal_lang=de"})
    assert "portal_lang=en" in " ".join(response.headers.get_list("set-cookie"))  # the user's own
    with Session(get_engine()) as session:
        assert session.exec(select(Account).where(Account.email == USER)).one().language == "en"


# --- the websocket handshake ------------------------------------------------------------------------

def test_the_handshake_carries_the_hash_of_the_cookie_never_the_token():
    token = "T" * 43
    headers = handshake_headers([(b"host", b"portal"), (b"cookie", f"portal_lang=fi; portal_session={token}".encode()),
                                 (b"origin", ORIGIN.encode())])
    as_dict = dict(headers)
    assert token.encode() not in b"".join(v for _, v in headers)
    assert as_dict[b"cookie"] == b"portal_lang=fi"
    assert as_dict[b"authorization"] == f"PortalSession {auth.token_hash(token)}".encode()
    assert session_routes.hash_from_header(as_dict[b"authorization"].decode()) == auth.token_hash(token)


@pytest.mark.parametrize("forged", [f"PortalSession {'a' * 64}", "Bearer x", "PortalSession " + "A" * 64])
def test_a_client_cannot_present_a_session_hash_itself(forged):
    """Whoever read a hash out of a state file cannot use it: the header is the middleware's alone."""
    headers = dict(handshake_headers([(b"authorization", forged.encode()), (b"cookie", b"portal_lang=en")]))
    assert b"authorization" not in headers


async def _echo_scope(scope, receive, send):
    seen = {k.decode(): v.decode() for k, v in scope["headers"]}
    body = repr(sorted(seen.items())).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


def test_only_reflex_event_endpoint_is_rewritten():
    client = TestClient(SessionHandshake(_echo_scope))
    token = "S" * 43
    event = client.get("/_event/?EIO=4", headers={"cookie": f"portal_session={token}",
                                                  "authorization": "PortalSession " + "b" * 64}).text
    assert token not in event and auth.token_hash(token) in event and "b" * 64 not in event
    other = client.get("/files/1", headers={"cookie": f"portal_session={token}"}).text
    assert token in other  # plain routes read the cookie themselves


# --- security headers -------------------------------------------------------------------------------

PAGE = (b"<!doctype html><html><head><script>window.__ctx = {a: 1};</script>"
        b"<script type=\"module\" src=\"/assets/app.js\"></script></head><body></body></html>")


def _sha(script: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"


def _headers_app(tmp_path) -> TestClient:
    page_file = tmp_path / "page.html.gz"
    page_file.write_bytes(gzip.compress(PAGE))

    async def page(request):
        return HTMLResponse(PAGE)

    async def gz_page(request):
        return FileResponse(page_file, media_type="text/html", headers={"content-encoding": "gzip"})

    async def own(request):
        return PlainTextResponse("x", headers={"content-security-policy": "sandbox; default-src 'none'"})

    async def not_modified(request):
        return Response(status_code=304, headers={"etag": '"1"'})

    async def missing(request):
        return PlainTextResponse("no", status_code=404)

    app = Starlette(routes=[Route("/page", page), Route("/gz", gz_page), Route("/own", own),
                            Route("/same", not_modified), Route("/text", lambda r: PlainTextResponse("t")),
                            Route("/assets/entry-Ab12Cd34.js", lambda r: PlainTextResponse("js")),
                            Route("/assets/same-Ab12Cd34.js", not_modified), Route("/assets/gone.js", missing),
                            Route("/draft.js", lambda r: PlainTextResponse("draft"))])
    return TestClient(SecurityHeaders(app))


def test_pages_allow_their_own_inline_scripts_and_nothing_else(tmp_path):
    client = _headers_app(tmp_path)
    for path in ("/page", "/gz"):
        response = client.get(path, headers={"accept-encoding": "identity"})
        policy = response.headers["content-security-policy"]
        assert _sha(b"window.__ctx = {a: 1};") in policy, path
        assert "'unsafe-inline'" not in policy.split("script-src")[1] and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/gz").content == PAGE  # the body passes untouched (the client decodes it)


def test_other_responses_get_the_strict_policy_and_a_routes_own_policy_is_kept(tmp_path):
    client = _headers_app(tmp_path)
    assert client.get("/text").headers["content-security-policy"].endswith("script-src 'self'")
    assert client.get("/own").headers["content-security-policy"] == "sandbox; default-src 'none'"
    not_modified = client.get("/same")
    assert not_modified.status_code == 304 and "content-security-policy" not in not_modified.headers
    assert not_modified.headers["x-frame-options"] == "DENY"


def test_files_named_after_their_content_are_kept_and_nothing_else(tmp_path):
    client = _headers_app(tmp_path)
    kept = "public, max-age=31536000, immutable"
    assert client.get("/assets/entry-Ab12Cd34.js").headers["cache-control"] == kept
    assert client.get("/assets/same-Ab12Cd34.js").headers["cache-control"] == kept
    assert client.get("/draft.js?v=3a0974d17529").headers["cache-control"] == kept
    assert "cache-control" not in client.get("/assets/gone.js").headers  # a miss is asked again
    for path in ("/draft.js", "/draft.js?v=old", "/text"):
        assert "cache-control" not in client.get(path).headers, path
    assert client.get("/page").headers["cache-control"] == "no-cache"  # asked again: a new build's files


def test_a_head_script_is_linked_with_its_content_hash(tmp_path):
    from portal_app.http.middleware import versioned

    script = tmp_path / "draft.js"
    script.write_text("one()")
    first = versioned("/draft.js", script)
    script.write_text("two()")
    assert first.startswith("/draft.js?v=") and versioned("/draft.js", script) != first


def test_page_policy_lists_each_inline_script_once():
    html = b"<script>a()</script><script>a()</script><script src='/x.js'></script><SCRIPT>b()</SCRIPT>"
    policy = page_policy(html)
    assert policy.count("sha256-") == 2 and _sha(b"a()") in policy and _sha(b"b()") in policy


def test_with_stripe_configured_pages_may_load_stripe_js_and_its_frames_and_api(monkeypatch):
    from dataclasses import replace

    from portal_app.http import middleware
    from portal_app.services.invoices import core

    assert "127.0.0.1:8420" not in page_policy(b"")
    configured = replace(core.settings, stripe_secret_key="sk_test_x", stripe_publishable_key="pk_test_x",
                         stripe_api_base="http://127.0.0.1:8420", stripe_js_url="http://127.0.0.1:8420/js.stripe.com/v3/")
    monkeypatch.setattr(core, "settings", configured)
    monkeypatch.setattr(middleware, "settings", configured)
    middleware._stripe_sources.cache_clear()
    try:
        policy = dict(part.strip().split(" ", 1) for part in page_policy(b"<script>a()</script>").split(";"))
        assert policy["script-src"] == f"'self' http://127.0.0.1:8420 {_sha(b'a()')}"
        assert policy["connect-src"] == "'self' http://127.0.0.1:8420"
        assert "http://127.0.0.1:8420" in policy["frame-src"] and "'unsafe-eval'" not in policy["script-src"]
        real = replace(configured, stripe_api_base=None, stripe_js_url="https://js.stripe.com/v3/")
        monkeypatch.setattr(middleware, "settings", real)
        middleware._stripe_sources.cache_clear()
        policy = dict(part.strip().split(" ", 1) for part in page_policy(b"").split(";"))
        assert policy["script-src"] == "'self' https://js.stripe.com"
        assert policy["connect-src"] == "'self' https://js.stripe.com https://api.stripe.com"
        assert policy["frame-src"] == "'self' https://js.stripe.com https://hooks.stripe.com"
    finally:
        middleware._stripe_sources.cache_clear()
