"""Quotes and sales orders for customers: the lists (/quotes, /orders) and the pages
(/quotes/<number> with "Accept quote" and "Decline quote", /orders/<number>), both live.

`DocumentView` turns a quote's or an order's lines (with discounts), VAT summary and totals into
page vars in the reader's language; staff's quote and order pages mix it in too.
"""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx

from ...local_time import local_day
from ...i18n import format_day, format_money
from ...services import live
from ...services.catalog import orders, quotes
from ...services.catalog.catalog_rules import ORDER_SORTS, ORDER_STATUSES, QUOTE_SORTS, QUOTE_STATUSES
from ...services.catalog.documents import LineView, total_label
from ...services.catalog.scope import sees_catalog
from ...services.errors import NotAuthenticated, ServiceError
from ...services.money import VatRow
from ..base import deliver_soon, field_errors, run_service, while_busy
from .browse import price_text, quantity_text, vat_text
from ..base import last_segment, one_message
from ..session import SessionState
from ..url_list import PAGE_SIZE, ListSpec, UrlList

# the status badge's colour per status (labels: `catalog.quote_status.<value>`, `catalog.order_status.<value>`)
QUOTE_COLORS = {"requested": "blue", "quoted": "amber", "accepted": "green", "declined": "gray", "withdrawn": "gray",
                "expired": "red"}
ORDER_COLORS = {"received": "blue", "confirmed": "amber", "shipped": "violet", "delivered": "green",
                "cancelled": "gray"}


class DocLine(TypedDict):
    code: str
    name: str
    quantity: str
    unit_price: str
    discount: str
    vat: str
    net: str


class LabelValue(TypedDict):
    label: str
    value: str
    strong: bool


class DocRow(TypedDict):
    number: int
    created: str
    status: str
    status_label: str
    total: str
    extra: str  # quotes: valid until; orders: the quote it came from


class DocumentView(rx.State, mixin=True):
    found: bool = False
    missing: bool = False  # "not found": not there, or not the viewer's (the same answer)
    number: int = 0
    status: str = ""
    status_label: str = ""
    facts: list[LabelValue] = []
    lines: list[DocLine] = []
    amounts: list[LabelValue] = []  # discounts, without VAT, VAT per rate, total
    has_discounts: bool = False
    message: str = ""
    party: list[str] = []  # the company and the contact

    def _show_document(self, detail: Any, status_prefix: str, facts: list[tuple[str, str]]) -> None:
        """The document's vars from a `QuoteDetail` or an `OrderDetail`."""
        t, lang = self._t, self.lang  # type: ignore[attr-defined]

        def money(cents: int | None) -> str:
            return price_text(t, cents, detail.currency, lang)

        def row(label: str, value: str, strong: bool = False) -> LabelValue:
            return {"label": label, "value": value, "strong": strong}

        lines: list[LineView] = detail.lines
        vat: list[VatRow] = detail.vat
        amounts = [row(t("catalog.subtotal"), money(detail.subtotal_cents)),
                   *[row(t("catalog.vat_at", rate=vat_text(v.rate_bp, lang)), money(v.vat_cents)) for v in vat],
                   row(t(total_label(detail.lines, whole="catalog.total", priced="catalog.total_priced")),
                       money(detail.total_cents), True)]
        if detail.discount_cents:
            amounts.insert(0, row(t("catalog.discounts"), "−" + money(detail.discount_cents)))
        self._put(  # type: ignore[attr-defined]
            found=True, missing=False, number=detail.number, status=detail.status,
            status_label=t(f"{status_prefix}.{detail.status}"),
            facts=[row(label, value) for label, value in facts if value],
            lines=[{"code": li.code, "name": li.name, "quantity": quantity_text(li.quantity_milli, lang)
                    + (f" {li.unit}" if li.unit else ""), "unit_price": money(li.unit_price_cents),
                    "discount": vat_text(li.discount_bp, lang) if li.discount_bp else "",
                    "vat": vat_text(li.vat_rate_bp, lang), "net": money(li.net_cents)} for li in lines],
            amounts=amounts, has_discounts=any(li.discount_bp for li in lines), message=detail.message,
            party=[p for p in (detail.party.company_name, detail.party.contact_name) if p],
        )

    def _without_the_module(self) -> None:
        """The viewer's profile has no Catalog: "not available", as /catalog says, whatever the number."""
        self._put(missing=False)  # type: ignore[attr-defined]
        self._show_unavailable()  # type: ignore[attr-defined]

    def _hide_document(self) -> None:
        self._put(found=False, missing=True, number=0, status="", status_label="", facts=[], lines=[],  # type: ignore[attr-defined]
                  amounts=[], has_discounts=False, message="", party=[])


def _document_number(state: Any) -> str:
    number = last_segment(state)
    return number if number.isdigit() and len(number) < 19 else "0"


QUOTE_LIST = ListSpec(path="/quotes", statuses=QUOTE_STATUSES, sorts=QUOTE_SORTS, default_sort="-number",
                     columns=("number", "created", "status", "total", "expires_on"), label_prefix="quotes.col")
ORDER_LIST = ListSpec(path="/orders", statuses=ORDER_STATUSES, sorts=ORDER_SORTS, default_sort="-number",
                      columns=("number", "created", "status", "total", "quote"), label_prefix="orders.col")


class CatalogList(UrlList, mixin=True):
    """A customer's list of quotes or orders (the Catalog module, view rights), live on a counter."""

    rows: list[DocRow] = []
    _seen: int = -1

    def _counter(self) -> str:
        raise NotImplementedError

    def _fill(self, actor) -> None:  # noqa: ANN001
        raise NotImplementedError

    def _may_show(self, actor) -> bool:  # noqa: ANN001
        return not actor.is_staff and sees_catalog(actor)

    @rx.event
    def load(self):
        self._seen = live.versions(self._counter())[0]
        return self._open_list(staff_path=f"/admin{self._spec().path}")

    @rx.event
    def tick(self, _now: str = ""):
        if not self.loaded or live.versions(self._counter())[0] == self._seen:
            return
        try:
            self._seen = live.versions(self._counter())[0]
            self._fill(self._require_actor())
        except ServiceError:
            self._put(rows=[], loaded=False)


class QuoteListState(CatalogList, SessionState):
    def _spec(self) -> ListSpec:
        return QUOTE_LIST

    def _counter(self) -> str:
        return live.ALL_QUOTES

    def _fill(self, actor) -> None:  # noqa: ANN001
        sort, descending = self._sort()
        page = run_service(quotes.list_quotes, actor=actor, status=self._query.get("status"),
                           search=self._query.get("q", ""), sort=sort, descending=descending,
                           offset=self._offset(), limit=PAGE_SIZE)
        t, lang = self._t, self.lang
        self._put(rows=[{"number": r.number, "created": format_day(local_day(r.created_at), lang), "status": r.status,
                         "status_label": t(f"catalog.quote_status.{r.status}"),
                         "total": t("catalog.price.on_request") if r.on_request and not r.total_cents
                         else format_money(r.total_cents, r.currency, lang),
                         "extra": format_day(r.expires_on, lang)} for r in page.rows])
        self._show_page(page.total, "quotes.page_of")


class OrderListState(CatalogList, SessionState):
    def _spec(self) -> ListSpec:
        return ORDER_LIST

    def _counter(self) -> str:
        return live.ALL_ORDERS

    def _fill(self, actor) -> None:  # noqa: ANN001
        sort, descending = self._sort()
        page = run_service(orders.list_orders, actor=actor, status=self._query.get("status"),
                           search=self._query.get("q", ""), sort=sort, descending=descending,
                           offset=self._offset(), limit=PAGE_SIZE)
        t, lang = self._t, self.lang
        self._put(rows=[{"number": r.number, "created": format_day(local_day(r.created_at), lang), "status": r.status,
                         "status_label": t(f"catalog.order_status.{r.status}"),
                         "total": format_money(r.total_cents, r.currency, lang),
                         "extra": str(r.quote_number or "")} for r in page.rows])
        self._show_page(page.total, "orders.page_of")


class QuotePageState(DocumentView, SessionState):
    """/quotes/<number>: the request or the quote; "Accept quote" / "Decline quote" (with a reason)
    until it expires; live when staff answers."""

    may_decide: bool = False
    withdrawable: bool = False  # a request not answered yet may be withdrawn
    decline_meant: str = ""  # what the decline dialog was opened to do: "withdraw" or "decline"
    answer: str = ""
    decline_reason: str = ""
    order_number: int = 0
    expired_note: str = ""
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False
    _seen: int = -1
    revision: int = 0  # the quote's sending this page shows (a live refresh shows a newer one)
    accept_text: str = ""  # the dialog's question, with the total it accepts
    # the sending the page showed when "Accept quote" opened its dialog (`begin_accept`): Confirm
    # accepts that one, no other, even if a live refresh behind the dialog showed a newer one since
    _accept_revision: int = -1
    _accept_text_now: str = ""  # the question for the version shown now (`accept_text` while none is open)

    def _refresh(self, actor) -> None:  # noqa: ANN001
        number = _document_number(self)
        self._seen = live.versions(live.quote_key(int(number)))[0]
        detail = run_service(quotes.get_quote, actor=actor, number=number)
        t, lang = self._t, self.lang
        self._accept_text_now = t("quotes.accept_text",
                                  total=price_text(t, detail.total_cents, detail.currency, lang))
        # an open "Accept" dialog keeps the total it was opened with: that version is what it accepts
        # (or is refused as revised), so it never shows one total and answer for another
        if self._accept_revision < 0 or self._accept_revision == detail.revision:
            self._put(accept_text=self._accept_text_now)
        self._put(revision=detail.revision)
        self._show_document(detail, "catalog.quote_status", [
            (t("quotes.requested_on"), self._moment(detail.created_at)),
            (t("quotes.wanted_delivery"), format_day(detail.wanted_delivery_date, lang)),
            (t("quotes.quoted_on"), self._moment(detail.quoted_at) if detail.quoted_at else ""),
            (t("quotes.valid_until"), format_day(detail.expires_on, lang) if detail.quoted_at else ""),
        ])
        self._put(may_decide=detail.may_decide,
                  withdrawable=detail.status == "requested" and self.may_shop_now(actor),
                  answer=detail.answer, decline_reason=detail.decline_reason, order_number=detail.order_number or 0,
                  expired_note=t("quotes.expired_note", date=format_day(detail.expires_on, lang))
                  if detail.status == "expired" else "")

    @staticmethod
    def may_shop_now(actor) -> bool:  # noqa: ANN001
        from ...services.catalog.scope import may_shop

        return may_shop(actor)

    def _gone(self) -> None:
        self._hide_document()
        self._put(may_decide=False, withdrawable=False, answer="", decline_reason="", order_number=0,
                  expired_note="")

    @rx.event
    def load(self):
        actor, elsewhere = self._enter(staff=False)
        self._put(errors={}, notice="", busy=False)
        if actor is None:
            self._gone()
            return elsewhere
        if actor.is_staff:
            return rx.redirect(f"/admin/quotes/{_document_number(self)}")
        try:
            if not sees_catalog(actor):
                self._gone()
                self._without_the_module()
            else:
                self._refresh(actor)
        except ServiceError:
            self._gone()
        self._loaded()
        return None

    @rx.event
    def tick(self, _now: str = ""):
        if not self.found or live.versions(live.quote_key(self.number))[0] == self._seen:
            return
        try:
            self._refresh(self._require_actor())
        except ServiceError:
            self._gone()

    @rx.event
    def begin_decline(self, opened: bool):
        """The decline dialog opened (`opened`): to withdraw the request or to decline the quote, as
        the page shows now; a request answered after this is not declined unseen."""
        if opened is True:
            self.decline_meant = "withdraw" if self.withdrawable else "decline"

    @rx.event
    def begin_accept(self, opened: bool):
        """"Accept quote" opened its dialog (`opened`) on the page showing its version now."""
        if opened is True:
            self._accept_revision = self.revision
            self._put(accept_text=self._accept_text_now)

    @rx.event
    async def accept(self):
        async for update in while_busy(self, self._accept):
            yield update

    def _accept(self):
        if not self.found:
            return None
        revision = self._accept_revision if self._accept_revision >= 0 else self.revision
        self._accept_revision = -1  # a dialog opened again says again which one
        try:
            actor = self._require_actor()
            done = run_service(quotes.accept_quote, actor=actor, number=self.number, revision=revision)
        except NotAuthenticated:
            self._gone()
            return None
        except ServiceError as exc:
            self._put(errors=one_message(field_errors(exc, self.lang)), notice="")
            self._refresh_quietly()
            return None
        deliver_soon(done.mail_ids)
        return rx.redirect(f"/orders/{done.order_number}")

    @rx.event
    async def decline(self, form_data: dict):
        async for update in while_busy(self, self._decline, form_data):
            yield update

    def _decline(self, form_data: dict):
        if not isinstance(form_data, dict) or not self.found:
            return None
        if self.status in ("declined", "withdrawn") and self.notice:
            return None  # this tab has just declined it: the same click again (a double click) says nothing new
        reason = form_data.get("reason", "")
        meant, self.decline_meant = self.decline_meant or ("withdraw" if self.withdrawable else "decline"), ""
        try:
            actor = self._require_actor()
            mail_ids = run_service(quotes.decline_quote, actor=actor, number=self.number, meant=meant,
                                   reason=reason)  # not text: the service refuses it
        except NotAuthenticated:
            self._gone()
            return None
        except ServiceError as exc:
            messages = field_errors(exc, self.lang)
            self._put(errors=messages if "reason" in messages else one_message(messages), notice="")
            self._refresh_quietly()
            return None
        deliver_soon(mail_ids)
        self._refresh_quietly()
        self._put(errors={}, notice=self._t("quotes.withdrawn_notice" if self.status == "withdrawn"
                                            else "quotes.declined_notice"))
        return None

    def _refresh_quietly(self) -> None:
        try:
            self._refresh(self._require_actor())
        except ServiceError:
            self._gone()
        if self.expired_note:  # a refused decision on an expired quote: the note says it once, with the date
            self._put(errors={})


class OrderPageState(DocumentView, SessionState):
    """/orders/<number>: the order, its status live as staff moves it on (cancelled: staff's reason)."""

    quote_number: int = 0
    answer: str = ""  # sales' message on the quote it came from
    cancel_reason: str = ""
    _seen: int = -1

    def _refresh(self, actor) -> None:  # noqa: ANN001
        number = _document_number(self)
        self._seen = live.versions(live.order_key(int(number)))[0]
        detail = run_service(orders.get_order, actor=actor, number=number)
        t, lang = self._t, self.lang
        self._show_document(detail, "catalog.order_status", [
            (t("orders.placed_on"), self._moment(detail.created_at)),
            (t("quotes.wanted_delivery"), format_day(detail.wanted_delivery_date, lang)),
            (t("orders.updated_on"), self._moment(detail.updated_at)),
        ])
        self._put(quote_number=detail.quote_number or 0, answer=detail.answer, cancel_reason=detail.cancel_reason)

    @rx.event
    def load(self):
        actor, elsewhere = self._enter(staff=False)
        if actor is None:
            self._hide_document()
            return elsewhere
        if actor.is_staff:
            return rx.redirect(f"/admin/orders/{_document_number(self)}")
        try:
            if not sees_catalog(actor):
                self._hide_document()
                self._put(quote_number=0, answer="", cancel_reason="")
                self._without_the_module()
            else:
                self._refresh(actor)
        except ServiceError:
            self._hide_document()
            self._put(quote_number=0, answer="", cancel_reason="")
        self._loaded()
        return None

    @rx.event
    def tick(self, _now: str = ""):
        if not self.found or live.versions(live.order_key(self.number))[0] == self._seen:
            return
        try:
            self._refresh(self._require_actor())
        except ServiceError:
            self._hide_document()
            self._put(quote_number=0, answer="", cancel_reason="")
