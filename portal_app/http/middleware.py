"""ASGI middleware around the whole app (Reflex's websocket, its pages and our routes).

- `SessionHandshake`: the websocket handshake reaches Reflex with the session cookie replaced by
  its SHA-256 (`session.SESSION_HEADER`). Reflex keeps a connection's headers in its per-tab
  state (on disk, or in Redis), so the raw bearer token must never get there; the hash is
  useless to whoever reads that state, since a client cannot send the header itself.
- `SecurityHeaders`: every HTTP response gets a Content-Security-Policy, frame and referrer
  rules and `nosniff`. Pages get a CSP whose `script-src` lists the SHA-256 of each inline script
  of that page (the production build has a few), so no `'unsafe-inline'` or `'unsafe-eval'`
  is needed for scripts. Files named after their content are kept by the browser (`IMMUTABLE`);
  pages are asked for again each time (`PAGES_ASKED_AGAIN`).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from ..settings import settings
from .session import SESSION_COOKIE, SESSION_HEADER, session_header_value

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

EVENT_PATH = "/_event"


def _cookie_pairs(raw: str) -> list[tuple[str, str]]:
    pairs = []
    for part in raw.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            pairs.append((name, value))
    return pairs


def handshake_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The handshake's headers with the session cookie taken out and its hash put in its place."""
    from ..services.accounts.auth import token_hash

    out: list[tuple[bytes, bytes]] = []
    token = ""
    for name, value in headers:
        lower = name.lower()
        if lower == SESSION_HEADER.encode():
            continue  # only this middleware says which session a socket belongs to
        if lower == b"cookie":
            pairs = _cookie_pairs(value.decode("latin-1"))
            token = next((v for n, v in pairs if n == SESSION_COOKIE), token)
            rest = "; ".join(f"{n}={v}" for n, v in pairs if n != SESSION_COOKIE)
            if rest:
                out.append((b"cookie", rest.encode("latin-1")))
            continue
        out.append((name, value))
    if 20 <= len(token) <= 100:
        out.append((SESSION_HEADER.encode(), session_header_value(token_hash(token)).encode()))
    return out


class SessionHandshake:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("path", "").startswith(EVENT_PATH):
            scope = {**scope, "headers": handshake_headers(list(scope.get("headers") or []))}
        await self.app(scope, receive, send)


# --- security headers ------------------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.S | re.I)
# Radix and Emotion set inline styles; images may come from the branding URL (any https host).
_CSP_BASE = ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; "
             "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


@lru_cache(maxsize=1)
def _stripe_sources() -> tuple[str, str, str]:
    """(script, frame, connect) sources "Pay now" needs when Stripe is configured: Stripe.js and
    its card element's frames, and Stripe's API it calls (a local stand-in's one origin in tests)."""
    from ..services.invoices.core import payments_enabled

    if not payments_enabled():
        return "", "", ""
    js = _origin(settings.stripe_js_url)
    api = _origin(settings.stripe_api_base or "https://api.stripe.com")
    frames = " ".join(dict.fromkeys(filter(None, [js, "https://js.stripe.com", "https://hooks.stripe.com"])))
    return js, frames, " ".join(dict.fromkeys(filter(None, [js, api])))


def _policy(scripts: str) -> str:
    js, frames, connect = _stripe_sources()
    return (f"{_CSP_BASE}; connect-src 'self' {connect}".rstrip() + f"; frame-src 'self' {frames}".rstrip()
            + f"; script-src 'self' {js} {scripts}".rstrip())


STATIC_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
)
_STATIC_NAMES = {name for name, _ in STATIC_HEADERS}

# The production build's /assets/ files are named after their content (Vite's hash), and a head
# script is linked with its content's hash (`versioned`): a new build links new names, so the browser
# keeps these for a year without asking. Otherwise a fresh tab asks the server again for each of a
# page's 40 files (an ETag round trip each) before the page can start.
IMMUTABLE = (b"cache-control", b"public, max-age=31536000, immutable")
# A page is asked for again each time (a 304 while it is unchanged): a page kept from before a new
# build would name files that build no longer has.
PAGES_ASKED_AGAIN = (b"cache-control", b"no-cache")
_VERSION = re.compile(rb"(^|&)v=[0-9a-f]{8,}(&|$)")


def is_immutable(scope: Scope) -> bool:
    return scope["path"].startswith("/assets/") or bool(_VERSION.search(scope.get("query_string", b"")))


def versioned(url_path: str, file: Path) -> str:
    """`url_path` with its file's content hash as `?v=`, for a file the browser may keep (IMMUTABLE)."""
    return f"{url_path}?v={hashlib.sha256(file.read_bytes()).hexdigest()[:12]}"


def page_policy(html: bytes) -> str:
    """The CSP of one HTML page: scripts from the portal itself, and this page's inline scripts."""
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html) if body.strip()
    })
    return _policy(" ".join(hashes))


def default_policy() -> str:
    return _policy("")


def decoded_html(body: bytes, encoding: bytes | None) -> bytes | None:
    """The page's HTML (the production build serves pages precompressed with gzip); None when it
    cannot be read."""
    if encoding is None:
        return body
    if encoding.strip().lower() == b"gzip":
        try:
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        except zlib.error:
            return None
    return None


def _with_policy(start: Message, body: bytes) -> Message:
    encoding = next((v for k, v in start["headers"] if k.lower() == b"content-encoding"), None)
    policy = page_policy(decoded_html(body, encoding) or b"")  # unreadable: no inline script allowed
    return {**start, "headers": [*start["headers"], (b"content-security-policy", policy.encode())]}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        body: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _STATIC_NAMES]
                headers += list(STATIC_HEADERS)
                names = {k.lower(): v for k, v in headers}
                if message.get("status") in (200, 304) and b"cache-control" not in names:
                    if is_immutable(scope):
                        headers.append(IMMUTABLE)
                    elif names.get(b"content-type", b"").startswith(b"text/html"):
                        headers.append(PAGES_ASKED_AGAIN)
                if b"content-security-policy" in names or message.get("status") == 304:
                    # a route's own policy (downloads); a 304 keeps the policy of the page it revalidates
                    await send({**message, "headers": headers})
                elif names.get(b"content-type", b"").startswith(b"text/html"):
                    held = {**message, "headers": headers}  # until the body tells the inline scripts
                else:
                    await send({**message, "headers": [*headers, (b"content-security-policy",
                                                                  default_policy().encode())]})
                return
            if held is not None and message["type"] == "http.response.pathsend":
                # the server sends the file itself (granian's pathsend): read it for its scripts
                data = await asyncio.to_thread(Path(message["path"]).read_bytes)
                await send(_with_policy(held, data))
                await send(message)
                return
            if held is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                data = b"".join(body)
                await send(_with_policy(held, data))
                await send({"type": "http.response.body", "body": data})
                return
            await send(message)

        await self.app(scope, receive, send_with_headers)
