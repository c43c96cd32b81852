"""`PageAddress`: a page's address without its trailing slash is served at once, not redirected.

The production build keeps each page as `<path>/index.html`. The static file server answered
`/admin/tickets` with a 307 to `/admin/tickets/`, and only then with the page. That is one more
round trip before anything loads, on every bookmark and every mailed link to a fixed page:
a few milliseconds here, a network round trip on a phone (issue 10, cold load). The browser
navigates without the slash anyway, so the app already knows both forms.

This middleware hands such a request on as the page's own path, `<path>/`. Only GET and HEAD
are changed, and only for pages that the build has. Everything else passes untouched, including
the whole app when no build exists (`reflex run` in development).

It also shortens a path segment longer than a file name may be (a newsletter landing link for a
long address: the static server looks the segment up as a file, and the system's "name too long"
became a bare 404), and one no file name may hold (a NUL, `%00`: a bare "Not Found" too). A
dynamic page's address is answered with the same single-page fallback whatever its segments, and
the browser keeps the address it asked for, which the page reads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from functools import cached_property
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]
LONGEST_SEGMENT = 200  # bytes; file names may have 255
SERVER_PATHS = ("/api/", "/_")  # the backend's own routes (the API, the event socket, uploads)


def _short_segments(path: str) -> str:
    return "/".join("_" if len(part.encode()) > LONGEST_SEGMENT or "\x00" in part else part
                    for part in path.split("/"))


def built_pages(static_dir: Path) -> frozenset[str]:
    """`/a/b` for every `a/b/index.html` of the build (the home page `/` needs no help)."""
    if not static_dir.is_dir():
        return frozenset()
    return frozenset("/" + index.parent.relative_to(static_dir).as_posix()
                     for index in static_dir.rglob("index.html") if index.parent != static_dir)


def _static_dir() -> Path:
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


class PageAddress:
    def __init__(self, app: ASGIApp, static_dir: Path | None = None) -> None:
        self.app = app
        self._static_dir = static_dir

    @cached_property
    def pages(self) -> frozenset[str]:
        # read at the first request: the build is made before the server starts, and not changed under it
        return built_pages(self._static_dir or _static_dir())

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            path = scope["path"]
            if path in self.pages:
                path += "/"
            elif (len(path) > LONGEST_SEGMENT or "\x00" in path) and not path.startswith(SERVER_PATHS) and self.pages:
                path = _short_segments(path)
            if path != scope["path"]:
                scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)
