"""Plain HTTP routes, mounted through rx.App(api_transformer=...) on the same port as the app."""

from starlette.applications import Starlette
from starlette.routing import Route

from .files import download
from .health import health
from .session import me

http_api = Starlette(routes=[
    Route("/api/health", health, methods=["GET"]),
    Route("/api/me", me, methods=["GET"]),
    Route("/files/{attachment_id}", download, methods=["GET"]),
])
