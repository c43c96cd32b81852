"""Catalog vocabularies, transitions and limits: defined here, once (pages, PDFs, mails and the CSV
files read them too)."""

from __future__ import annotations

from ...models import OpportunityStage, OrderStatus, QuoteStatus

Q, O, G = QuoteStatus, OrderStatus, OpportunityStage

# --- quotes ----------------------------------------------------------------------------------------
QUOTE_STATUSES: tuple[str, ...] = tuple(QuoteStatus)  # what the lists filter on (`expired` is derived)
QUOTE_STATUS_NAMES = {Q.REQUESTED: "Requested", Q.QUOTED: "Quoted", Q.ACCEPTED: "Accepted", Q.DECLINED: "Declined",
                      Q.WITHDRAWN: "Withdrawn", Q.EXPIRED: "Expired"}
ANSWERABLE = (Q.REQUESTED, Q.QUOTED, Q.EXPIRED)  # staff sends, revises or renews a quote until the customer decides
DECLINABLE = (Q.REQUESTED, Q.QUOTED)  # the customer withdraws a request, or declines a quote not yet expired
QUOTE_VALID_DAYS = 30  # `start_answer` proposes an expiry this far ahead
MAX_QUOTE_VALID_DAYS = 365

# --- sales orders ----------------------------------------------------------------------------------
ORDER_STATUSES: tuple[str, ...] = tuple(OrderStatus)
ORDER_STATUS_NAMES = {O.RECEIVED: "Received", O.CONFIRMED: "Confirmed", O.SHIPPED: "Shipped",
                      O.DELIVERED: "Delivered", O.CANCELLED: "Cancelled"}
# Staff moves an order forward, or cancels it until it has shipped; delivered and cancelled are final.
ORDER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    O.RECEIVED: (O.CONFIRMED, O.SHIPPED, O.CANCELLED),
    O.CONFIRMED: (O.SHIPPED, O.CANCELLED),
    O.SHIPPED: (O.DELIVERED,),
    O.DELIVERED: (),
    O.CANCELLED: (),
}
OPEN_ORDER_STATUSES = (O.RECEIVED, O.CONFIRMED, O.SHIPPED)

# --- opportunities -----------------------------------------------------------------------------------
STAGES: tuple[str, ...] = tuple(OpportunityStage)
OPEN_STAGES: tuple[str, ...] = (G.PROSPECTING, G.QUALIFICATION, G.PROPOSAL, G.NEGOTIATION)
CLOSED_STAGES: tuple[str, ...] = (G.WON, G.LOST)
STAGE_NAMES = {G.PROSPECTING: "Prospecting", G.QUALIFICATION: "Qualification", G.PROPOSAL: "Proposal",
               G.NEGOTIATION: "Negotiation", G.WON: "Won", G.LOST: "Lost"}

# --- lists -------------------------------------------------------------------------------------------
PRODUCT_SORTS: tuple[str, ...] = ("name", "code", "price")
QUOTE_SORTS: tuple[str, ...] = ("number", "created", "expires_on", "total")
ORDER_SORTS: tuple[str, ...] = ("number", "created", "total")
OPPORTUNITY_SORTS: tuple[str, ...] = ("expected_close", "name", "amount", "stage")
PRICE_BOOK_SORTS: tuple[str, ...] = ("name", "valid_from", "valid_to")
PAGE_LIMIT = 200
SEARCH_CHARS = 100

# --- limits --------------------------------------------------------------------------------------------
MAX_CART_LINES = 100
MAX_QUOTE_LINES = 200
MAX_QUANTITY_MILLI = 10**9  # a million units
MAX_PRICE_CENTS = 10**11  # a billion in the currency
REASON_CHARS = 500  # a quote's decline reason and an order's cancel reason: the same text area
TEXT_LIMITS = {"code": 50, "name": 200, "line_name": 300, "description": 4000, "unit": 20, "category": 100,
               "price_book": 100, "message": 2000, "answer": 2000, "decline_reason": REASON_CHARS,
               "cancel_reason": REASON_CHARS, "opportunity": 200, "owner_name": 100, "opportunity_description": 2000}
CODE_CHARS = r"[A-Za-z0-9][A-Za-z0-9._/-]*"  # product codes: in URLs (/catalog/PRN-100) and CSV files

# --- product images ------------------------------------------------------------------------------------
IMAGE_MAX_BYTES = 2 * 1024 * 1024  # and in pixels: services/image_size.py
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}

# --- CSV -----------------------------------------------------------------------------------------------
CSV_MAX_BYTES = 5 * 1024 * 1024
CSV_MAX_ROWS = 20_000
# Products: "code" and "name" are required, the others may be left out (defaults for new products,
# unchanged for existing ones). Headers match case-insensitively; "," or ";" separates.
PRODUCT_CSV_COLUMNS = ("code", "name", "category", "unit", "list_price", "currency", "vat_rate", "orderable",
                       "description", "archived", "whole_units")
PRODUCT_CSV_REQUIRED = ("code", "name")
PRICE_CSV_COLUMNS = ("code", "price")
YES = ("1", "yes", "true", "y", "x", "kyllä", "k")
NO = ("0", "no", "false", "n", "", "ei", "e")
# the price list's columns, named in the reader's language ("catalog.csv.<column>"); each price has its currency
PRICE_LIST_CSV_COLUMNS = ("code", "name", "category", "unit", "list_price", "list_currency", "your_price", "currency",
                          "vat", "orderable")
