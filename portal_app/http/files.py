"""GET /files/{id}: an attachment, for a signed-in user who may see its ticket, on every request.

The URL is no bearer token: the session cookie is resolved and the ticket's visibility re-checked
each time, and anything else answers 404, exactly like a file that does not exist.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from ..db import session_scope
from ..services.tickets import attachments
from ..services.errors import ServiceError
from .session import request_actor

NOT_FOUND_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def content_disposition(file_name: str) -> str:
    """RFC 6266: an ASCII fallback plus the exact UTF-8 name."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in file_name) or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def not_found() -> Response:
    """What every private route answers for anything not the caller's, or not there."""
    return PlainTextResponse("Not found", status_code=404, headers=NOT_FOUND_HEADERS)


def private_headers(file_name: str, *, inline: bool = False, cache_seconds: int = 0) -> dict[str, str]:
    """Headers of a file only its owner may have: a download (or shown in place, e.g. a picture),
    sandboxed, not sniffed, kept by no shared cache."""
    return {
        "Content-Disposition": content_disposition(file_name).replace("attachment", "inline", 1) if inline
        else content_disposition(file_name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": f"private, max-age={cache_seconds}" if cache_seconds else "private, no-store",
    }


async def file_or_404(path: Path, *, media_type: str, headers: dict[str, str]) -> Response:
    """The file the service found, or a 404 when it was deleted since (a document or picture replaced
    while someone asks for it): FileResponse would otherwise look for it again when it comes to send,
    and fail with a server error. Given the stat taken here, it does not look again."""
    try:
        stat_result = await run_in_threadpool(os.stat, path)
    except FileNotFoundError:
        return not_found()
    return FileResponse(path, media_type=media_type, headers=headers, stat_result=stat_result)


async def download(request: Request) -> Response:
    actor = request_actor(request)
    if actor is None:
        return not_found()
    try:
        with session_scope() as session:
            found = attachments.open_for_download(session=session, actor=actor,
                                                  attachment_id=request.path_params.get("attachment_id"))
    except ServiceError:
        return not_found()
    return await file_or_404(found.path, media_type=found.content_type, headers=private_headers(found.file_name))
