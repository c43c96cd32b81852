"""Catalog routes: product pictures, the company's price list as CSV, staff's price book assignments
as CSV, and the PDFs of quotes and sales orders. Each checks the session cookie on every request and
asks the service, which scopes to what the caller may see; anything else answers 404 exactly like
something that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..db import session_scope
from ..services.actor import Actor
from ..services.catalog import admin as catalog_admin
from ..services.catalog import orders, products, quotes
from ..services.errors import ServiceError
from .files import file_or_404, not_found, private_headers
from .session import request_actor


async def _with_actor(request: Request, work: Callable[[Any, Actor], Any]) -> Any:
    """`work(session, actor)` on a worker thread for the signed-in caller; None when there is none
    or the service refuses."""
    actor = request_actor(request)
    if actor is None:
        return None

    def run() -> Any:
        with session_scope() as session:
            return work(session, actor)

    try:
        return await run_in_threadpool(run)
    except ServiceError:
        return None


async def product_image(request: Request) -> Response:
    """GET /api/catalog/{code}/image: the product's picture for who may see the product."""
    found = await _with_actor(request, lambda s, a: products.product_image(
        session=s, actor=a, code=request.path_params.get("code")))
    if found is None:
        return not_found()
    return await file_or_404(found.path, media_type=found.content_type,
                             headers=private_headers(found.file_name, inline=True, cache_seconds=300))


async def price_list(request: Request) -> Response:
    """GET /api/catalog/price-list.csv: every product with the caller's company's price."""
    found = await _with_actor(request, lambda s, a: products.price_list_csv(session=s, actor=a))
    if found is None:
        return not_found()
    name, text = found
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=private_headers(name))


async def assignments_csv(request: Request) -> Response:
    """GET /api/admin/price-book-assignments.csv?book=<id>: staff's table of which company has which
    price book (one book's with `book`); 404 for anyone else."""
    book = request.query_params.get("book") or None
    found = await _with_actor(request, lambda s, a: catalog_admin.assignments_csv(session=s, actor=a, book_id=book))
    if found is None:
        return not_found()
    name, text = found
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=private_headers(name))


def _pdf_route(render: Callable[..., tuple[str, bytes]]) -> Callable[[Request], Any]:
    async def route(request: Request) -> Response:
        found = await _with_actor(request, lambda s, a: render(session=s, actor=a,
                                                               number=request.path_params.get("number")))
        if found is None:
            return not_found()
        name, data = found
        return Response(data, media_type="application/pdf", headers=private_headers(name))

    route.__doc__ = f"GET /api/.../{{number}}/pdf: {render.__doc__ or ''}"
    return route


quote_pdf = _pdf_route(quotes.quote_pdf)
order_pdf = _pdf_route(orders.order_pdf)
