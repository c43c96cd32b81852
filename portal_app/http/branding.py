"""GET /api/branding/<name>: the logo staff uploaded (services/portal/branding.py), for anyone: the
sign-in page shows it. Its name is random and never reused, so it may be kept by any cache for good."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ..services.errors import NotFound
from ..services.portal import branding
from .files import not_found


async def logo(request: Request) -> Response:
    try:
        found = branding.logo_file(request.path_params.get("name"))
    except NotFound:
        return not_found()
    return FileResponse(found.path, media_type=found.content_type, headers={
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "public, max-age=31536000, immutable"})
