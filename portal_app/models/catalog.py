"""Catalog, price books, the cart, quotes, sales orders and opportunities (the mini web shop).

Money is whole cents (integers) in the product's or price book's currency; quantities are
thousandths (`quantity_milli`: 1500 = 1.5 hours); VAT rates and discounts hundredths of a percent
(`vat_rate_bp` 2550 = 25.5 %, `discount_bp` 1000 = 10 %). A company's prices come from the price
book assigned to it that is valid on the day (`services/catalog/prices.py`); quote and order lines
copy the code, name and price of their moment, so a later price change never moves them.

Quote and order numbers are drawn from `NumberCounter` in the transaction that makes the row
(`services/numbering.py`): sequential, no gaps, never given twice.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Computed, ForeignKey, Index, Integer, String, text
from sqlmodel import Field, SQLModel

from .common import utcnow


class QuoteStatus(StrEnum):
    """Stored: requested -> quoted -> accepted / declined, or requested -> withdrawn (the customer
    took the request back before it was answered). `expired` is what a quoted quote past its
    `expires_on` is shown as (derived, like an invoice's "Overdue"); it can no longer be accepted."""

    REQUESTED = "requested"
    QUOTED = "quoted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class OrderStatus(StrEnum):
    RECEIVED = "received"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class OpportunityStage(StrEnum):
    PROSPECTING = "prospecting"
    QUALIFICATION = "qualification"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"  # closed
    LOST = "lost"  # closed


# --- products and prices -----------------------------------------------------------------------------

class ProductCategory(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(min_length=1, max_length=100, unique=True)
    position: int = Field(default=0, description="order in the catalog's category menu")
    created_at: datetime = Field(default_factory=utcnow)
    # the name in the other languages: {"fi": {"name": ...}} (services/translations.py)
    translations: dict[str, dict] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))


class ProductBase(SQLModel):
    code: str = Field(min_length=1, max_length=50)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    unit: str = Field(default="", max_length=20, description="pcs, h, month ...")
    category_id: int | None = Field(default=None, foreign_key="productcategory.id")
    list_price_cents: int = Field(ge=0, description="without VAT; the price of companies without a price book")
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    vat_rate_bp: int = Field(default=2550, ge=0, le=10000)
    orderable: bool = Field(default=True, description="False: quote only (no sales order straight from the cart)")
    whole_units: bool = Field(default=True, description="customers order whole units only (2 pcs, not 1.5); "
                                                        "False: by measure (h, m, kg)")


class Product(ProductBase, table=True):
    __table_args__ = (
        CheckConstraint("list_price_cents >= 0", name="ck_product_price"),
        Index("ix_product_archived_name", "archived", "name_key"),
        Index("ix_product_category_name", "category_id", "archived", "name_key"),
        # the name itself, not its key: SQLite reads a generated column from the table, not from an index
        # that holds it, so a search's matches are read from this index alone only with the name here
        Index("ix_product_search", "archived", "search_text", "name", "code", "list_price_cents"),
        Index("ix_product_archived_price", "archived", "list_price_cents", "code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(min_length=1, max_length=50, unique=True)
    # what the catalog sorts names by (lower case: "eSIM" among the E's), computed by the database
    name_key: str | None = Field(default=None, sa_column=Column(String(200), Computed("lower(name)")))
    search_text: str = Field(default="", max_length=1000,
                             description="code and names in every language, folded (lower case, no accents), "
                                         "for the search")
    image_name: str = Field(default="", max_length=64, description="stored name under <data>/product-images")
    image_type: str = Field(default="", max_length=30)
    archived: bool = Field(default=False, description="hidden from customers; kept for old quotes and orders")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ProductText(SQLModel, table=True):
    """A product's name, description and unit in another language than the default (whose texts are the
    product's own columns). A row per language written; none: readers get the default texts.
    Rows, not a JSON column, so a language's names have an index to be sorted by
    (`services/catalog/product_page.py`)."""

    __table_args__ = (Index("ix_producttext_lang_name", "lang", "name_key", "product_id"),)

    product_id: int = Field(sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"),
                                             primary_key=True))
    lang: str = Field(primary_key=True, max_length=8)
    name: str = Field(min_length=1, max_length=200)
    name_key: str | None = Field(default=None, sa_column=Column(String(200), Computed("lower(name)")))  # sorted by
    description: str = Field(default="", max_length=4000)
    unit: str = Field(default="", max_length=20, description="'' : the product's own unit")


class ProductCreate(ProductBase):
    pass


class ProductPublic(ProductBase):
    id: int
    archived: bool
    image_name: str


class PriceBookBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    valid_from: date | None = Field(default=None, description="None: since always")
    valid_to: date | None = Field(default=None, description="None: until further notice (inclusive)")
    active: bool = Field(default=True)


class PriceBook(PriceBookBase, table=True):
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="ck_pricebook_dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(min_length=1, max_length=100, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PriceBookPublic(PriceBookBase):
    id: int


class PriceBookEntry(SQLModel, table=True):
    """A product's price in a book (the book's currency, without VAT). No entry: "price on request"."""

    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="ck_pricebookentry_price"),
        Index("ux_pricebookentry_book_product", "price_book_id", "product_id", unique=True),
        Index("ix_pricebookentry_book_price", "price_book_id", "price_cents", "product_id"),
        Index("ix_pricebookentry_product", "product_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    price_book_id: int = Field(foreign_key="pricebook.id")
    product_id: int = Field(foreign_key="product.id")
    price_cents: int


class CompanyPriceBook(SQLModel, table=True):
    """A price book assigned to a company; of those valid on a day the latest starting one counts."""

    __table_args__ = (
        Index("ux_companypricebook_company_book", "company_id", "price_book_id", unique=True),
        Index("ix_companypricebook_book", "price_book_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    price_book_id: int = Field(foreign_key="pricebook.id")
    created_at: datetime = Field(default_factory=utcnow)


# --- the cart ------------------------------------------------------------------------------------------

class CartLine(SQLModel, table=True):
    """A product in a contact's cart (kept in the database: the same cart on every device)."""

    __table_args__ = (
        CheckConstraint("quantity_milli > 0", name="ck_cartline_quantity"),
        Index("ux_cartline_contact_product", "contact_id", "product_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    product_id: int = Field(foreign_key="product.id", index=True)
    quantity_milli: int
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the form (or button) that added last: sent again, it adds nothing")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# --- quotes and sales orders ---------------------------------------------------------------------------

class DocumentLineBase(SQLModel):
    """A quote's or order's line: what was sold, copied from the product at that moment."""

    position: int = Field(default=0)
    product_id: int | None = Field(default=None, foreign_key="product.id", description="None: a line staff wrote")
    code: str = Field(default="", max_length=50)
    name: str = Field(min_length=1, max_length=300)
    unit: str = Field(default="", max_length=20)
    quantity_milli: int
    vat_rate_bp: int = Field(ge=0, le=10000)
    discount_bp: int = Field(default=0, ge=0, le=10000)


class QuoteRequest(SQLModel, table=True):
    __table_args__ = (
        Index("ix_quoterequest_company_number", "company_id", "number"),
        Index("ix_quoterequest_status_number", "status", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    status: str = Field(default=QuoteStatus.REQUESTED, max_length=12)
    company_id: int = Field(foreign_key="company.id")
    contact_id: int = Field(foreign_key="contact.id", description="who asked")
    message: str = Field(default="", max_length=2000, description="the customer's message")
    wanted_delivery_date: date | None = Field(default=None)
    answer: str = Field(default="", max_length=2000, description="staff's message with the quote")
    expires_on: date | None = Field(default=None, description="set when quoted; last day it may be accepted")
    decline_reason: str = Field(default="", max_length=500)
    currency: str = Field(default="EUR", max_length=3)
    subtotal_cents: int = Field(default=0, description="without VAT, after discounts")
    vat_cents: int = Field(default=0)
    total_cents: int = Field(default=0)
    submission_id: str | None = Field(default=None, max_length=64, unique=True)
    answer_submission_id: str | None = Field(default=None, max_length=64,
                                             description="staff's answer form that sent it last: sent again, no mail")
    quoted_by_id: int | None = Field(default=None, foreign_key="account.id")
    # the customer as it was when this was made (name, then address lines): later edits of the
    # company's details do not change it
    customer: list[str] = Field(default_factory=list,
                                sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    quoted_at: datetime | None = Field(default=None)
    decided_at: datetime | None = Field(default=None, description="accepted or declined")
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"},
                          description="how often staff has sent it: an acceptance names the one it saw")


class QuoteLine(DocumentLineBase, table=True):
    __table_args__ = (Index("ix_quoteline_quote_position", "quote_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(foreign_key="quoterequest.id")
    unit_price_cents: int | None = Field(default=None, description="without VAT; None: price on request")
    net_cents: int | None = Field(default=None, description="quantity x price less discount; None: on request")


class SalesOrder(SQLModel, table=True):
    __table_args__ = (
        Index("ix_salesorder_company_number", "company_id", "number"),
        Index("ix_salesorder_status_number", "status", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    status: str = Field(default=OrderStatus.RECEIVED, max_length=12)
    company_id: int = Field(foreign_key="company.id")
    contact_id: int = Field(foreign_key="contact.id", description="who ordered (or accepted the quote)")
    quote_id: int | None = Field(default=None, foreign_key="quoterequest.id", unique=True,
                                 description="the accepted quote it came from")
    message: str = Field(default="", max_length=2000)
    wanted_delivery_date: date | None = Field(default=None)
    currency: str = Field(default="EUR", max_length=3)
    subtotal_cents: int = Field(default=0)
    vat_cents: int = Field(default=0)
    total_cents: int = Field(default=0)
    submission_id: str | None = Field(default=None, max_length=64, unique=True)
    cancel_reason: str | None = Field(default=None, max_length=500,
                                      description="staff's reason, when staff cancelled it and gave one")
    # the customer as it was when this was made (name, then address lines): later edits of the
    # company's details do not change it
    customer: list[str] = Field(default_factory=list,
                                sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SalesOrderLine(DocumentLineBase, table=True):
    __table_args__ = (Index("ix_salesorderline_order_position", "order_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="salesorder.id")
    unit_price_cents: int
    net_cents: int


class NumberCounter(SQLModel, table=True):
    """The last number given per sequence ("quote", "order"), advanced by one UPDATE ... RETURNING
    in the transaction that makes the row."""

    key: str = Field(primary_key=True, max_length=20)
    value: int = Field(default=1000)


# --- opportunities -------------------------------------------------------------------------------------

class OpportunityBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    stage: str = Field(default=OpportunityStage.PROSPECTING, max_length=20)
    amount_cents: int = Field(default=0, ge=0)
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    probability: int = Field(default=10, ge=0, le=100, description="percent")
    expected_close: date | None = Field(default=None)
    owner_name: str = Field(default="", max_length=100, description="our sales person, as customers see it")
    description: str = Field(default="", max_length=2000)


class Opportunity(OpportunityBase, table=True):
    __table_args__ = (Index("ix_opportunity_company_stage", "company_id", "stage", "expected_close"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    owner_id: int | None = Field(default=None, foreign_key="account.id", description="the staff account")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class OpportunityPublic(OpportunityBase):
    id: int
    company_id: int
