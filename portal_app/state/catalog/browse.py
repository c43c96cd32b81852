"""The catalog for customers: products with the company's prices (/catalog), a product
(/catalog/<code>) and the cart (/cart), from which a quote is requested or an order placed.

The cart lives in the database per contact (`services/catalog/cart.py`), so it survives a reload,
another tab and a new sign-in; the pages only show it. Prices shown are the company's price book's
(or the list prices without one, "Price on request" for a product missing from the book); the
request and the order copy them at that moment.
"""

from __future__ import annotations

from typing import TypedDict

from urllib.parse import quote

import reflex as rx

from ...i18n import format_day, format_money, format_number
from ...services import live, submissions
from ...services.catalog import cart as carts
from ...services.catalog import orders, products, quotes
from ...services.catalog.catalog_rules import PRODUCT_SORTS
from ...services.catalog.scope import may_shop, sees_catalog
from ...services.errors import NotAuthenticated, NotFound, ServiceError
from ...services.money import quantity_decimal, rate_decimal
from ..line_editor import decimal_errors, plain
from ..base import deliver_soon, field_errors, run_service, while_busy
from ..base import last_segment, messages_for, one_message
from ..session import SessionState
from ..url_list import PAGE_SIZE, ListSpec, UrlList


class ProductItem(TypedDict):
    id: int
    code: str
    name: str
    category: str
    unit: str
    text_lang: dict[str, str]  # "name", "unit", "description", "category": the language each is in
    price: str  # formatted, or "Price on request"
    on_request: bool
    vat: str
    orderable: bool
    has_image: bool
    whole_units: bool  # its quantity field offers the keyboard without a decimal separator
    href: str  # its page, the code escaped ("QA/USD-1" is one segment: /catalog/QA%2FUSD-1)
    image: str  # its picture's address, the code escaped the same way


class Choice(TypedDict):
    value: str
    label: str


class CartItem(TypedDict):
    product_id: int
    code: str
    name: str
    unit: str
    quantity: str
    unit_price: str
    vat: str
    net: str
    orderable: bool
    available: bool
    whole_units: bool
    part_unit: str  # said under the quantity: a part of a unit of a product now sold whole
    href: str


class AmountRow(TypedDict):
    label: str
    value: str
    strong: bool


def price_text(t, cents: int | None, currency: str, lang: str) -> str:  # noqa: ANN001
    return t("catalog.price.on_request") if cents is None else format_money(cents, currency, lang)


def quantity_text(milli: int, lang: str) -> str:
    return format_number(quantity_decimal(milli), lang)


def vat_text(rate_bp: int, lang: str) -> str:
    return format_number(rate_decimal(rate_bp), lang) + " %"


def product_href(code: str) -> str:
    """A product's page: a code may hold "/" or "..", so it is escaped as one path segment."""
    return "/catalog/" + quote(code, safe="")


def _product_item(t, row: products.ProductRow, lang: str) -> ProductItem:  # noqa: ANN001
    return {"id": row.id, "code": row.code, "name": row.name, "category": row.category, "unit": row.unit,
            "text_lang": row.text_langs,
            "price": price_text(t, row.price_cents, row.currency, lang), "on_request": row.price_cents is None,
            "vat": vat_text(row.vat_rate_bp, lang), "orderable": row.may_be_ordered, "has_image": row.has_image,
            "whole_units": row.whole_units, "href": product_href(row.code),
            "image": f"/api/catalog/{quote(row.code, safe='')}/image"}


class CartBadge(rx.State, mixin=True):
    """How many products the viewer's cart holds (the "Cart (n)" link of the catalog's pages)."""

    cart_count: int = 0
    may_shop: bool = False
    cart_notice: str = ""

    def _count_cart(self, actor) -> None:  # noqa: ANN001
        shop = may_shop(actor)
        count = len(run_service(carts.view_cart, actor=actor).lines) if shop else 0
        self._put(cart_count=count, may_shop=shop)  # type: ignore[attr-defined]

    def _add(self, product_id: object, quantity: object, submission_id: object) -> dict[str, str] | None:
        """Put a product in the cart, once per `submission_id`; the form's messages ({} when it
        went in, or had gone in; None when the session has ended: nothing went in, nothing to say)."""
        try:
            actor = self._require_actor()  # type: ignore[attr-defined]
            view = run_service(carts.add_to_cart, actor=actor, product_id=product_id, quantity=quantity,
                               submission_id=submission_id)
        except NotAuthenticated:
            return None
        except ServiceError as exc:
            messages = decimal_errors(exc, self.lang)  # type: ignore[attr-defined]
            return {"quantity": messages["quantity"]} if "quantity" in messages else one_message(messages)
        self._put(cart_count=len(view.lines))  # type: ignore[attr-defined]
        return {}


CATALOG_LIST = ListSpec(path="/catalog", statuses=(), sorts=PRODUCT_SORTS, default_sort="name",
                       columns=("name", "code", "category", "price", "vat"), label_prefix="catalog.col",
                       extra=("category",))


class BookItem(TypedDict):
    name: str
    currency: str
    valid: str  # "from – to"
    in_force: bool


class CatalogItem(ProductItem):
    submission_id: str  # its "Add to cart": one product per click, however often the click is sent


class CatalogState(CartBadge, UrlList, SessionState):
    """/catalog: search, category, sort and pages in the URL; the company's prices and price books."""

    rows: list[CatalogItem] = []
    books: list[BookItem] = []
    categories: list[Choice] = []
    category: str = ""
    price_book: str = ""
    errors: dict[str, str] = {}
    added: str = ""  # the code just put in the cart (its row says so)

    def _spec(self) -> ListSpec:
        return CATALOG_LIST

    def _fill(self, actor) -> None:  # noqa: ANN001
        cats = run_service(products.list_categories, actor=actor, lang=self.lang)
        books = run_service(products.company_price_books, actor=actor)
        self._put(categories=[{"value": str(c.id), "label": f"{c.name} ({c.products})"} for c in cats],
                  books=[{"name": b.name, "currency": b.currency, "in_force": b.in_force,
                          "valid": f"{format_day(b.valid_from, self.lang) or '…'} – {format_day(b.valid_to, self.lang) or '…'}"}
                         for b in books])
        self._count_cart(actor)
        sort, descending = self._sort()
        page = run_service(products.list_products, actor=actor, search=self._query.get("q", ""),
                           category=self._query.get("category"), sort=sort, descending=descending,
                           offset=self._offset(), limit=PAGE_SIZE, lang=self.lang)
        self._put(rows=[{**_product_item(self._t, r, self.lang), "submission_id": submissions.new_submission_id()}
                        for r in page.rows], price_book=page.price_book,
                  category=self._query.get("category", ""))
        self._show_page(page.total, "catalog.page_of")

    def _may_show(self, actor) -> bool:  # noqa: ANN001
        return not actor.is_staff and sees_catalog(actor)

    def _reset(self) -> None:
        self._put(errors={}, added="")

    @rx.event
    def load(self):
        self._reset()
        return self._open_list(staff_path="/admin/products")

    @rx.event
    def set_category(self, category: str):
        if not isinstance(category, str) or not (category == "" or category in {c["value"] for c in self.categories}):
            return None
        return self._go(category=category or None)

    @rx.event
    def add(self, product_id: int, submission_id: str = ""):
        """"Add to cart" on a row: one of the product, once per click (the row's submission id, sent
        by a double click twice; a new one for the row once it went in)."""
        if not isinstance(product_id, int) or isinstance(product_id, bool) or not isinstance(submission_id, str):
            return
        errors = self._add(product_id, "1", submission_id or None)
        if errors is None:
            self._put(errors={}, added="")
            return
        code = next((r["code"] for r in self.rows if r["id"] == product_id), "")
        if not errors:
            self._put(rows=[{**r, "submission_id": submissions.new_submission_id()} if r["id"] == product_id else r
                            for r in self.rows])
        self._put(errors=errors, added="" if errors else code)


class ProductState(CartBadge, SessionState):
    """/catalog/<code>: the product, its price for the company, "Quantity" and "Add to cart"."""

    found: bool = False
    missing: bool = False
    product: ProductItem = {}  # type: ignore[typeddict-item]
    description: str = ""
    in_cart: str = ""  # "2 pcs in your cart"
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False
    submission_id: str = ""  # the add form's: one add per form shown, however often it is sent
    _product_id: int = 0

    def _show(self, actor) -> None:  # noqa: ANN001
        detail = run_service(products.get_product, actor=actor, code=last_segment(self), lang=self.lang)
        self._product_id = detail.id
        in_cart = self._t("catalog.in_cart", quantity=quantity_text(detail.in_cart_milli, self.lang),
                          unit=detail.unit) if detail.in_cart_milli else ""
        self._put(found=True, missing=False, product=_product_item(self._t, detail, self.lang),
                  description=detail.description, in_cart=in_cart)

    @rx.event
    def load(self):
        actor, elsewhere = self._enter(staff=False)
        self._put(errors={}, notice="", busy=False)
        self.submission_id = submissions.new_submission_id()
        if actor is None:
            self._put(found=False)
            return elsewhere
        if actor.is_staff:
            return rx.redirect("/admin/products")
        if not sees_catalog(actor):  # as /catalog says it, whichever product the address names
            self._product_id = 0
            self._put(found=False, missing=False, product={}, description="", in_cart="")
            self._show_unavailable()
            self._loaded()
            return None
        try:
            self._show(actor)
            self._count_cart(actor)
        except ServiceError:
            self._product_id = 0
            self._put(found=False, missing=True, product={}, description="", in_cart="")
        self._loaded()
        return None

    @rx.event
    async def add(self, form_data: dict):
        async for update in while_busy(self, self._add_form, form_data):
            yield update

    def _add_form(self, form_data: dict):
        if not isinstance(form_data, dict) or not self.found or not self._product_id:
            return None
        quantity = form_data.get("quantity", "")
        errors = self._add(self._product_id, quantity if isinstance(quantity, str) else "",
                           form_data.get("submission_id"))
        if errors is None:
            self._put(errors={}, notice="")
            return None
        if errors:
            self._put(errors=errors, notice="")
            return None
        self.submission_id = submissions.new_submission_id()  # the next click adds again
        self._put(errors={}, notice=self._t("catalog.added", name=self.product.get("name", "")))
        try:
            self._show(self._require_actor())
        except ServiceError:
            pass
        return None


SEND_FIELDS = ("message", "wanted_delivery_date")  # the cart's send form: anything else is said above its buttons


class CartState(SessionState):
    """/cart: the lines with their quantities, totals with VAT, "Request a quote" and "Place order"."""

    lines: list[CartItem] = []
    amounts: list[AmountRow] = []  # without VAT, VAT per rate, total
    price_book: str = ""
    on_request: bool = False
    quote_only: str = ""  # codes that cannot be ordered, as text
    may_request_quote: bool = False
    may_order: bool = False
    may_shop: bool = False
    loaded: bool = False
    errors: dict[str, str] = {}
    line_errors: dict[str, str] = {}  # product id -> message
    notice: str = ""
    busy: bool = False
    submission_id: str = ""
    _seen: int = -1
    _intent: str = "quote"
    _priced_as: str = ""  # the cart as this page shows it (`CartView.priced_as`): an order must match it

    def _view(self, view: carts.CartView) -> None:
        t, lang = self._t, self.lang

        def money(cents: int) -> str:
            return format_money(cents, view.currency, lang)

        self._put(
            lines=[{"product_id": li.product_id, "code": li.code, "name": li.name, "unit": li.unit,
                    # the field's value: as the field takes it back, without a thousands separator
                    "quantity": plain(quantity_decimal(li.quantity_milli), lang),
                    "unit_price": price_text(t, li.unit_price_cents, view.currency, lang),
                    "vat": vat_text(li.vat_rate_bp, lang),
                    # a withdrawn product's line counts for nothing (its note says to remove it)
                    "net": price_text(t, li.net_cents, view.currency, lang) if li.available else "",
                    "orderable": li.orderable, "available": li.available, "whole_units": li.whole_units,
                    "part_unit": t("catalog.part_unit", unit=li.unit) if li.part_unit else "",
                    "href": product_href(li.code)} for li in view.lines],
            amounts=[{"label": t("catalog.subtotal"), "value": money(view.subtotal_cents), "strong": False},
                     *[{"label": t("catalog.vat_at", rate=vat_text(v.rate_bp, lang)), "value": money(v.vat_cents),
                        "strong": False} for v in view.vat],
                     {"label": t("catalog.total_priced" if view.on_request else "catalog.total"),
                      "value": money(view.total_cents), "strong": True}]
            if view.lines else [],
            price_book=view.price_book, on_request=view.on_request, quote_only=", ".join(view.quote_only),
            may_request_quote=view.may_request_quote, may_order=view.may_order, loaded=True,
        )
        self._priced_as = view.priced_as

    def _refresh(self, actor) -> None:  # noqa: ANN001
        self._seen = live.versions(live.cart_key(actor.contact_id))[0]
        self._view(run_service(carts.view_cart, actor=actor))

    @rx.event
    def load(self):
        actor, elsewhere = self._enter(staff=False)
        self._put(errors={}, line_errors={}, notice="", busy=False)
        self.submission_id = submissions.new_submission_id()
        if actor is None:
            self._put(lines=[], loaded=False)
            return elsewhere
        if actor.is_staff:
            return rx.redirect("/admin/products")
        if not may_shop(actor):
            self._put(lines=[], loaded=False, may_shop=False)
            self._show_unavailable()
            self._loaded()
            return None
        self._put(may_shop=True)
        try:
            self._refresh(actor)
        except ServiceError:
            self._put(lines=[], loaded=False)
            self._show_unavailable()
        self._loaded()
        return None

    @rx.event
    def tick(self, _now: str = ""):
        """Another tab changed the cart: show it."""
        if not self.loaded:
            return
        try:
            actor = self._require_actor()
            if live.versions(live.cart_key(actor.contact_id))[0] != self._seen:
                self._refresh(actor)
        except ServiceError:
            self._put(lines=[], loaded=False)

    def _change(self, fn, product_id: object, **kwargs: object) -> None:  # noqa: ANN001
        if not isinstance(product_id, int) or isinstance(product_id, bool) or not self.loaded:
            return
        try:
            actor = self._require_actor()
            view = run_service(fn, actor=actor, product_id=product_id, **kwargs)
        except NotAuthenticated:
            self._put(lines=[], loaded=False)
            return
        except NotFound:
            self._refresh_quietly()
            return
        except ServiceError as exc:
            messages = decimal_errors(exc, self.lang)
            self._put(line_errors={str(product_id): messages.get("quantity") or one_message(messages).get("form", "")})
            return
        self._put(line_errors={}, errors={}, notice="")
        self._seen = live.versions(live.cart_key(actor.contact_id))[0]
        self._view(view)

    def _refresh_quietly(self) -> None:
        try:
            self._refresh(self._require_actor())
        except ServiceError:
            self._put(lines=[], loaded=False)

    @rx.event
    def set_quantity(self, product_id: int, quantity: str):
        self._set_quantity(product_id, quantity)

    @rx.event
    def save_quantity(self, form_data: dict):
        """Enter in a quantity field: its little form sends the line's product and the field."""
        if not isinstance(form_data, dict):
            return
        pid = form_data.get("product_id")
        if isinstance(pid, str) and pid.isascii() and pid.isdigit() and len(pid) <= 18:
            self._set_quantity(int(pid), form_data.get("quantity"))

    def _set_quantity(self, product_id: object, quantity: object) -> None:
        if not isinstance(quantity, str) or len(quantity) > 20:
            return
        self._change(carts.set_quantity, product_id, quantity=quantity)

    @rx.event
    def remove(self, product_id: int):
        self._change(carts.remove_from_cart, product_id)

    @rx.event
    def choose(self, intent: str):
        """"Request a quote" or "Place order" was pressed: the form's submit that follows sends that."""
        if intent in ("quote", "order"):
            self._intent = intent

    @rx.event
    async def send(self, form_data: dict):
        async for update in while_busy(self, self._send, form_data):
            yield update

    def _send(self, form_data: dict):
        """The cart as a quote request or an order; then its page."""
        if not isinstance(form_data, dict) or not self.loaded:
            return None
        fn, path = (orders.place_order, "/orders/") if self._intent == "order" else (quotes.request_quote, "/quotes/")
        self._intent = "quote"
        if self.line_errors:  # a quantity typed but refused: the cart still holds the one before it
            self._put(errors={"form": self._t("catalog.fix_quantities_first")}, notice="")
            return None
        message, wanted = form_data.get("message", ""), form_data.get("wanted_delivery_date", "")
        try:
            actor = self._require_actor()
            made = run_service(fn, actor=actor, message=message,  # not text: the service refuses it
                               wanted_delivery_date=(wanted or None) if isinstance(wanted, str) else wanted,
                               submission_id=form_data.get("submission_id"), shown_prices=self._priced_as)
        except NotAuthenticated:
            self._put(lines=[], loaded=False)
            return None
        except ServiceError as exc:
            # the form's own fields under them; the cart's problems (a price changed, a product gone,
            # a quantity no longer allowed) above the buttons, with the cart as it is now
            self._put(errors=messages_for(field_errors(exc, self.lang), SEND_FIELDS), notice="")
            self._refresh_quietly()
            return None
        deliver_soon(made.mail_ids)
        self.submission_id = submissions.new_submission_id()
        return rx.redirect(f"{path}{made.number}")
