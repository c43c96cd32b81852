"""GET /api/branding/<name>: the logo staff uploaded (services/portal/branding.py), for anyone: the
sign-in page shows it. Its name is random and never reused, so it may be kept by any cache for good."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..services.errors import NotFound
from ..services.portal import branding
from .files import not_found


async def logo(request: Request) -> Response:
    try:
        found = branding.logo_file(request.path_params.get("name"))
        # read here (at most 1 MB): a logo replaced since it was found is a 404, not a FileResponse's
        # error when it comes to send the file
        data = found.path.read_bytes()
    except (NotFound, FileNotFoundError):
        return not_found()
    return Response(data, media_type=found.content_type, headers={
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "public, max-age=31536000, immutable"})
