"""Plain HTTP routes, mounted through rx.App(api_transformer=...) on the same port as the app, and
the middleware that wraps the whole app (see `middleware.py` and `page_address.py`)."""

from starlette.applications import Starlette
from starlette.routing import Route

from .branding import logo
from .catalog import assignments_csv, order_pdf, price_list, product_image, quote_pdf
from .documents import document_file
from .events import attendees_csv
from .files import download
from .health import health
from .invoices import invoice_pdf, invoices_csv, stripe_webhook
from .link_preview import EventLinkPreview
from .middleware import SecurityHeaders, SessionHandshake
from .page_address import PageAddress
from .session import me, sign_in, sign_out

http_api = Starlette(routes=[
    Route("/api/health", health, methods=["GET"]),
    Route("/api/branding/{name}", logo, methods=["GET"]),
    Route("/api/me", me, methods=["GET"]),
    Route("/api/session", sign_in, methods=["POST"]),
    Route("/api/session/end", sign_out, methods=["POST"]),
    Route("/files/{attachment_id}", download, methods=["GET"]),
    Route("/api/documents/{document_id}", document_file, methods=["GET"]),
    Route("/api/events/{slug}/attendees.csv", attendees_csv, methods=["GET"]),
    Route("/api/stripe/webhook", stripe_webhook, methods=["POST"]),
    Route("/api/invoices/{number}/pdf", invoice_pdf, methods=["GET"]),
    Route("/api/admin/invoices.csv", invoices_csv, methods=["GET"]),
    Route("/api/catalog/price-list.csv", price_list, methods=["GET"]),
    Route("/api/admin/price-book-assignments.csv", assignments_csv, methods=["GET"]),
    Route("/api/catalog/{code:path}/image", product_image, methods=["GET"]),
    Route("/api/quotes/{number}/pdf", quote_pdf, methods=["GET"]),
    Route("/api/orders/{number}/pdf", order_pdf, methods=["GET"]),
])

# applied in order: the routes are mounted, then each middleware wraps everything before it
# (PageAddress outermost: the others see a page's path as they did after the redirect it saves)
api_transformers = [http_api, EventLinkPreview, SessionHandshake, SecurityHeaders, PageAddress]
