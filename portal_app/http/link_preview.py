"""Link previews of public event pages: the event's own title and description in the page's
Open Graph tags, so a link to /register/<slug> shared in a chat or a mail shows the event.

The production build serves one prebuilt HTML file for every /register/<slug> (its tags are the
generic ones of `pages/events.py`); previews are made by fetching that HTML without running its
script, so the tags must be right in the HTML itself. This middleware puts them there: for a GET of
a public event's page it fills in the event's title and the start of its description, escaped.
Anything else (an unknown slug, an event without a public page, other paths) passes untouched.
"""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..db import session_scope
from ..services.errors import ServiceError
from ..services.events import core as events
from ..settings import settings
from .middleware import decoded_html

_PATH = re.compile(r"^/register/([A-Za-z0-9-]{1,100})/?$")
_META = re.compile(rb'(<meta\s+property="(og:title|og:description)"\s+content=")[^"]*(")')
_TITLE = re.compile(rb"<title>[^<]*</title>")
DESCRIPTION_CHARS = 200
_FIXED = ((b"og:type", "website"), (b"og:image", f"{settings.portal_url}/event_preview.png"))


def preview_of(session: Session, slug: str) -> tuple[str, str] | None:
    """(title, description) of a public event, or None."""
    try:
        event = events.public_event(session=session, slug=slug)
    except ServiceError:
        return None
    text = " ".join((event.description or "").split())
    if len(text) > DESCRIPTION_CHARS:
        text = text[:DESCRIPTION_CHARS - 1].rstrip() + "…"
    return event.title, text


def _preview(slug: str) -> tuple[str, str] | None:
    with session_scope() as session:
        return preview_of(session, slug)


def with_preview(page: bytes, title: str, description: str) -> bytes:
    """The page with the event's title and Open Graph tags: replaced where the HTML has them,
    added before </head> where it has not (a dynamic route's HTML is the build's SPA fallback)."""
    def attr(value: str) -> bytes:
        return html.escape(value, quote=True).encode()

    values = {b"og:title": title, b"og:description": description or title}
    page = _META.sub(lambda m: m.group(1) + attr(values[m.group(2)]) + m.group(3), page)
    head = b"".join(b'<meta property="%s" content="%s"/>' % (name, attr(value))
                    for name, value in (*values.items(), *_FIXED) if b'property="%s"' % name not in page)
    if _TITLE.search(page):
        page = _TITLE.sub(lambda _m: b"<title>" + attr(title) + b"</title>", page, count=1)
    else:
        head = b"<title>" + attr(title) + b"</title>" + head
    return page.replace(b"</head>", head + b"</head>", 1)


class EventLinkPreview:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        preview = await asyncio.to_thread(_preview, match.group(1))
        if preview is None:
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        chunks: list[bytes] = []

        async def finish(data: bytes) -> None:
            assert held is not None
            encoding = next((v for k, v in held["headers"] if k.lower() == b"content-encoding"), None)
            page = decoded_html(data, encoding)
            if page is None:  # an encoding we cannot read: the page as it was
                await send(held)
                await send({"type": "http.response.body", "body": data})
                return
            page = with_preview(page, *preview)
            headers = [(k, v) for k, v in held["headers"]
                       if k.lower() not in (b"content-length", b"content-encoding", b"etag", b"last-modified")]
            headers.append((b"content-length", str(len(page)).encode()))
            await send({**held, "headers": headers})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else page})

        async def rewrite(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                is_html = any(k.lower() == b"content-type" and v.startswith(b"text/html")
                              for k, v in message.get("headers", []))
                if message.get("status") == 200 and is_html:
                    held = message
                    return
            elif held is not None and message["type"] == "http.response.pathsend":
                await finish(await asyncio.to_thread(Path(message["path"]).read_bytes))
                return
            elif held is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    await finish(b"".join(chunks))
                return
            await send(message)

        await self.app(scope, receive, rewrite)
