"""GET /api/documents/{id}: a shared document's file, for staff or a contact of its company who
sees documents, checked on every request (anything else answers 404, like a missing file). A
contact's download is counted for staff to see."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..db import session_scope
from ..services.documents import shared_files
from ..services.errors import ServiceError
from .files import file_or_404, not_found, private_headers
from .session import request_actor


def _open(actor, document_id: str) -> shared_files.Download:  # noqa: ANN001
    with session_scope() as session:
        return shared_files.open_document(session=session, actor=actor, document_id=document_id)


async def document_file(request: Request) -> Response:
    actor = request_actor(request)
    if actor is None:
        return not_found()
    try:
        found = await run_in_threadpool(_open, actor, request.path_params.get("document_id"))
    except ServiceError:
        return not_found()
    return await file_or_404(found.path, media_type=found.content_type, headers=private_headers(found.file_name))
