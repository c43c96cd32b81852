"""GET /api/health: the database answers."""

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from ..db import session_scope


async def health(_request: Request) -> JSONResponse:
    try:
        with session_scope() as session:
            session.exec(text("SELECT 1"))
    except Exception:  # noqa: BLE001
        return JSONResponse({"status": "error"}, status_code=503)
    return JSONResponse({"status": "ok"})
