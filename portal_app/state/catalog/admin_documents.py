"""Admin panel, quotes and sales orders: the quote inbox (/admin/quotes, "Awaiting answer" is the
requests not answered yet), a quote with staff's answer form (/admin/quotes/<number>: the lines at
the company's prices, discounts, the last day, a message, "Send quote"), the orders
(/admin/orders) and an order with its next statuses (/admin/orders/<number>). Lists and pages are
live: they reload when the quote's or order's change counter moves (the customer accepted,
declined or withdrew; another staff member answered or moved the order).

The answer form's lines are rows of the state with a key each; the browser keeps what is typed in
them (uncontrolled inputs named `line_<key>_<field>`), a removed line is only marked removed (so
no other row's inputs move), and "Send quote" sends the kept rows in order: the service's
`lines.<n>.<field>` errors go back next to `line_<key>_<field>`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

import reflex as rx

from ...local_time import local_day
from ...i18n import format_day, format_money
from ...services import live, submissions
from ...services.actor import Actor
from ...services.catalog import orders, quotes
from ...models import OrderStatus
from ...services.catalog.catalog_rules import (
    MAX_QUOTE_LINES, ORDER_SORTS, ORDER_STATUSES, QUOTE_SORTS, QUOTE_STATUSES,
)
from ...services.errors import ServiceError, ValidationFailed
from ...services.money import as_decimal, quantity_decimal, rate_decimal
from .admin import Choice
from .admin_base import CompanyFilter, StaffList, StaffPage
from ..line_editor import DEFAULT_VAT, decimal_errors, grouped_numbers, numbered, plain, with_grouped_unreadable
from ..base import deliver_soon, run_service, while_busy
from .documents import DocumentView, _document_number
from ..session import SessionState
from ..url_list import PAGE_SIZE, ListSpec

ANSWER_FIELDS = ("name", "code", "unit", "quantity", "unit_price", "discount", "vat_rate")


class StaffDocRow(TypedDict):
    number: int
    company: str
    contact: str
    created: str
    status: str
    status_label: str
    total: str
    extra: str  # quotes: valid until; orders: the quote it came from


class AnswerLine(TypedDict):
    key: int  # the row's inputs are named line_<key>_<field>; never reused while the form is shown
    n: int  # its number among the lines kept ("Line 2")
    product_id: int  # 0: a line of staff's own, no catalog product
    code: str
    name: str
    unit: str
    quantity: str
    unit_price: str
    discount: str
    vat_rate: str
    removed: bool


QUOTE_INBOX = ListSpec(path="/admin/quotes", statuses=QUOTE_STATUSES, sorts=QUOTE_SORTS, default_sort="-number",
                       columns=("number", "company", "created", "status", "total", "expires_on"),
                       label_prefix="admin.catalog.quote_col", extra=("company",))
ORDER_INBOX = ListSpec(path="/admin/orders", statuses=ORDER_STATUSES, sorts=ORDER_SORTS, default_sort="-number",
                       columns=("number", "company", "created", "status", "total", "quote"),
                       label_prefix="admin.catalog.order_col", extra=("company",))


class StaffDocList(CompanyFilter, StaffList, mixin=True):
    """Staff's list of every company's quotes or orders (a company filter), live on a counter."""

    rows: list[StaffDocRow] = []
    _seen: int = -1

    def _counter(self) -> str:
        raise NotImplementedError

    def _service(self) -> Callable[..., Any]:
        """The service listing them (`quotes.list_quotes`, `orders.list_orders`)."""
        raise NotImplementedError

    def _row(self, row: Any) -> StaffDocRow:
        raise NotImplementedError

    def _fill(self, actor: Actor) -> None:
        sort, descending = self._sort()
        self._seen = live.versions(self._counter())[0]
        page = run_service(self._service(), actor=actor, status=self._query.get("status"),
                           search=self._query.get("q", ""), sort=sort, descending=descending,
                           offset=self._offset(), limit=PAGE_SIZE, company_id=self._query.get("company"))
        self._show_company(actor)
        self._put(rows=[self._row(r) for r in page.rows])
        self._show_page(page.total, f"{self._spec().path.rsplit('/', 1)[-1]}.page_of")

    def _doc_row(self, r: Any, status_prefix: str, total: str, extra: str) -> StaffDocRow:
        return {"number": r.number, "company": r.company_name, "contact": r.contact_name,
                "created": format_day(local_day(r.created_at), self.lang), "status": r.status,
                "status_label": self._t(f"{status_prefix}.{r.status}"), "total": total, "extra": extra}

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: reload only when a quote (or order) changed somewhere."""
        if not self.loaded or live.versions(self._counter())[0] == self._seen:
            return
        actor = self._staff_or_none()
        if actor is None:
            self._clear()
            return
        self._refill(actor)


class AdminQuoteListState(StaffDocList, SessionState):
    def _spec(self) -> ListSpec:
        return QUOTE_INBOX

    def _counter(self) -> str:
        return live.ALL_QUOTES

    def _service(self) -> Callable[..., Any]:
        return quotes.list_quotes

    def _row(self, r: quotes.QuoteRow) -> StaffDocRow:
        lang = self.lang
        total = self._t("catalog.price.on_request") if r.on_request and not r.total_cents \
            else format_money(r.total_cents, r.currency, lang)
        return self._doc_row(r, "catalog.quote_status", total, format_day(r.expires_on, lang))


class AdminOrderListState(StaffDocList, SessionState):
    def _spec(self) -> ListSpec:
        return ORDER_INBOX

    def _counter(self) -> str:
        return live.ALL_ORDERS

    def _service(self) -> Callable[..., Any]:
        return orders.list_orders

    def _row(self, r: orders.OrderRow) -> StaffDocRow:
        return self._doc_row(r, "catalog.order_status", format_money(r.total_cents, r.currency, self.lang),
                             str(r.quote_number or ""))


# --- /admin/quotes/<number> -----------------------------------------------------------------------

def blank_line(key: int, vat_rate: str) -> AnswerLine:
    return {"key": key, "n": 0, "product_id": 0, "code": "", "name": "", "unit": "", "quantity": "1",
            "unit_price": "", "discount": "", "vat_rate": vat_rate, "removed": False}


class AdminQuoteState(DocumentView, StaffPage, SessionState):
    """A quote as staff sees it (the customer's document), and while it is open to an answer the
    answer form, started from the requested lines at the company's prices and a last day
    `QUOTE_VALID_DAYS` ahead: "Send quote" alone sends it."""

    company_id: int = 0
    may_answer: bool = False
    answer: str = ""  # the answer sent (shown while the quote is no longer open)
    decline_reason: str = ""
    order_number: int = 0
    answer_lines: list[AnswerLine] = []
    expires_on: str = ""
    answer_text: str = ""
    price_note: str = ""
    currency: str = ""
    form_key: int = 0
    submission_id: str = ""  # the answer form's: "Send quote" sent twice (a double click) sends one mail
    _seen: int = -1
    _revision: int = 0  # the quote's sendings so far, as last shown
    _form_revision: int = 0  # ... when the answer form was started: a colleague's sending since is told

    def _refresh(self, actor: Actor) -> None:
        actor.require_staff()  # (a customer sees its company's quotes at /quotes, never here)
        number = _document_number(self)
        self._seen = live.versions(live.quote_key(int(number)))[0]
        detail = run_service(quotes.get_quote, actor=actor, number=number)
        t, lang = self._t, self.lang
        self._show_document(detail, "catalog.quote_status", [
            (t("quotes.requested_on"), self._moment(detail.created_at)),
            (t("quotes.wanted_delivery"), format_day(detail.wanted_delivery_date, lang)),
            (t("quotes.quoted_on"), self._moment(detail.quoted_at) if detail.quoted_at else ""),
            (t("quotes.valid_until"), format_day(detail.expires_on, lang) if detail.quoted_at else ""),
            (t("admin.catalog.decided_on"), self._moment(detail.decided_at) if detail.decided_at else ""),
            (t("admin.catalog.contact_email"), detail.party.contact_email),
        ])
        self._revision = detail.revision
        self._put(company_id=detail.party.company_id, may_answer=detail.may_answer, answer=detail.answer,
                  decline_reason=detail.decline_reason, order_number=detail.order_number or 0)
        if not detail.may_answer:
            self._put(answer_lines=[], expires_on="", answer_text="", price_note="")

    def _start_form(self, actor: Actor) -> None:
        """The answer form from `quotes.start_answer` (what was typed before is dropped)."""
        if not self.may_answer:
            return
        proposal = run_service(quotes.start_answer, actor=actor, number=self.number)
        t = self._t
        lines: list[AnswerLine] = [
            {"key": n, "n": 0, "product_id": li.product_id or 0, "code": li.code, "name": li.name, "unit": li.unit,
             "quantity": plain(quantity_decimal(li.quantity_milli), self.lang),
             "unit_price": "" if li.unit_price_cents is None else plain(as_decimal(li.unit_price_cents), self.lang),
             "discount": plain(rate_decimal(li.discount_bp), self.lang) if li.discount_bp else "",
             "vat_rate": plain(rate_decimal(li.vat_rate_bp), self.lang), "removed": False}
            for n, li in enumerate(proposal.lines)]
        self._put(answer_lines=numbered(lines or [blank_line(0, plain(DEFAULT_VAT, self.lang))]),
                  expires_on=proposal.expires_on.isoformat(),
                  answer_text=proposal.answer, currency=proposal.currency,
                  # a revision starts from the quote as sent; a request from the company's prices
                  price_note=t("admin.catalog.answer_revision") if self.status == "quoted"
                  else t("admin.catalog.answer_prices", book=proposal.price_book) if proposal.price_book
                  else t("admin.catalog.answer_list_prices"))
        self.submission_id = submissions.new_submission_id()
        self._form_revision = self._revision
        self.form_key += 1

    def _gone(self, *, missing: bool = True) -> None:
        self._hide_document()
        self._put(missing=missing, may_answer=False, answer="", decline_reason="", order_number=0, company_id=0,
                  answer_lines=[], expires_on="", answer_text="", price_note="")

    def _show(self, actor: Actor) -> None:
        self._refresh(actor)
        self._start_form(actor)

    @rx.event
    def tick(self, _now: str = ""):
        """The customer withdrew, accepted or declined, or another staff member answered: the page
        shows it; a form being typed in stays as it is while the quote is still open to an answer."""
        if not self.found or live.versions(live.quote_key(self.number))[0] == self._seen:
            return
        actor = self._staff_or_none()
        if actor is None:
            self._gone(missing=False)
            return
        had_form = bool(self.answer_lines)
        try:
            self._refresh(actor)
            if self.may_answer and not had_form:
                self._start_form(actor)
        except ServiceError:
            self._gone()

    # --- the lines ---

    def _kept(self) -> list[AnswerLine]:
        return [line for line in self.answer_lines if not line["removed"]]

    @rx.event
    def add_line(self):
        full = len(self._kept()) >= MAX_QUOTE_LINES or len(self.answer_lines) >= 2 * MAX_QUOTE_LINES
        if not self.may_answer or full or self._staff_or_none() is None:
            return
        vat = self._kept()[0]["vat_rate"] if self._kept() else plain(DEFAULT_VAT, self.lang)
        self._put(answer_lines=numbered([*self.answer_lines, blank_line(len(self.answer_lines), vat)]))

    @rx.event
    def remove_line(self, key: int):
        if not self.may_answer or not isinstance(key, int) or isinstance(key, bool) \
                or not 0 <= key < len(self.answer_lines):
            return
        self._put(answer_lines=numbered([{**li, "removed": li["removed"] or li["key"] == key}
                                         for li in self.answer_lines]),
                  errors={k: v for k, v in self.errors.items() if not k.startswith(f"line_{key}_")})

    def _data(self, form_data: dict[str, Any]) -> dict[str, Any]:
        """The service's answer from the form: the kept lines in order (the product of a line is the
        one the form was started with, never the browser's word), the last day, the message."""
        return {"lines": [{"product_id": line["product_id"] or None,
                           **{name: form_data.get(f"line_{line['key']}_{name}", "") for name in ANSWER_FIELDS}}
                          for line in self._kept()],
                "expires_on": form_data.get("expires_on", ""), "answer": form_data.get("answer", "")}

    def _shown(self, messages: dict[str, str]) -> dict[str, str]:
        """The service's names as the form's: `lines.<n>.<field>` is `line_<key>_<field>`."""
        keys = [line["key"] for line in self._kept()]
        out: dict[str, str] = {}
        for name, message in messages.items():
            parts = name.split(".")
            if parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(keys):
                field = parts[2] if len(parts) == 3 and parts[2] in ANSWER_FIELDS else "name"
                out[f"line_{keys[int(parts[1])]}_{field}"] = message
            elif name in ("lines", "expires_on", "answer"):
                out[name] = message
            else:
                out.setdefault("form", message)
        return out

    @rx.event
    async def send(self, form_data: dict):
        async for update in while_busy(self, self._send, form_data):
            yield update

    def _send(self, form_data: dict):
        """"Send quote": the lines, discounts, last day and message; the customer's page turns Quoted."""
        if not isinstance(form_data, dict) or not self.found or not self.may_answer:
            return
        data = self._data(form_data)
        grouped = grouped_numbers(data["lines"], ("quantity", "unit_price"), self.lang)
        if grouped:
            data["lines"] = with_grouped_unreadable(data["lines"], grouped)
        try:
            actor = self._staff()
            mail_ids = run_service(quotes.send_quote, actor=actor, number=self.number, data=data,
                                   submission_id=form_data.get("submission_id"), revision=self._form_revision)
        except ServiceError as exc:
            actor = self._staff_or_none()
            if actor is None:
                return
            shown = self._shown({**decimal_errors(exc, self.lang), **grouped})
            for name in shown:  # an empty price or quantity is missing, not a bad number
                if name.startswith("line_") and form_data.get(name) in ("", None):
                    shown[name] = self._t("error.required")
            self._say(shown, tuple(k for k in shown if k != "form"))
            if set(shown) == {"form"}:  # not about a field (decided or answered meanwhile): the page again
                try:
                    self._refresh(actor)
                except ServiceError:
                    self._gone()
                # told, with the colleague's answer shown and the typing kept: sending again replaces it
                self._form_revision = self._revision
            return
        deliver_soon(mail_ids)
        self._done("admin.catalog.quote_sent", number=self.number)
        self._again(actor)


# --- /admin/orders/<number> -----------------------------------------------------------------------

class AdminOrderState(DocumentView, StaffPage, SessionState):
    """An order as staff sees it, and the statuses it may move to; "Cancel order" (asked first) sends
    its form: an optional reason, kept on the order, and a mail to the order's contact."""

    company_id: int = 0
    quote_number: int = 0
    answer: str = ""  # sales' message on the quote it came from
    next_statuses: list[Choice] = []
    may_cancel: bool = False  # "cancelled" is among the next statuses: the cancel form is shown
    cancel_reason: str = ""
    _seen: int = -1

    def _refresh(self, actor: Actor) -> None:
        actor.require_staff()
        number = _document_number(self)
        self._seen = live.versions(live.order_key(int(number)))[0]
        detail = run_service(orders.get_order, actor=actor, number=number)
        t, lang = self._t, self.lang
        self._show_document(detail, "catalog.order_status", [
            (t("orders.placed_on"), self._moment(detail.created_at)),
            (t("quotes.wanted_delivery"), format_day(detail.wanted_delivery_date, lang)),
            (t("orders.updated_on"), self._moment(detail.updated_at)),
            (t("admin.catalog.contact_email"), detail.party.contact_email),
        ])
        self._put(company_id=detail.party.company_id, quote_number=detail.quote_number or 0, answer=detail.answer,
                  next_statuses=[{"value": s, "label": t(f"catalog.order_status.{s}")} for s in detail.next_statuses],
                  may_cancel=OrderStatus.CANCELLED in detail.next_statuses, cancel_reason=detail.cancel_reason)

    def _gone(self, *, missing: bool = True) -> None:
        self._hide_document()
        self._put(missing=missing, company_id=0, quote_number=0, answer="", next_statuses=[], may_cancel=False,
                  cancel_reason="")

    def _show(self, actor: Actor) -> None:
        self._refresh(actor)

    @rx.event
    def tick(self, _now: str = ""):
        if not self.found or live.versions(live.order_key(self.number))[0] == self._seen:
            return
        self._again(self._staff_or_none())

    @rx.event
    async def set_status(self, status: str):
        async for update in while_busy(self, self._set_status, status):
            yield update

    @rx.event
    async def cancel(self, form_data: dict):
        """The cancel form's Confirm: the order cancelled with the reason typed (optional)."""
        async for update in while_busy(self, self._cancel, form_data):
            yield update

    def _cancel(self, form_data: dict):
        if isinstance(form_data, dict):
            self._set_status(OrderStatus.CANCELLED.value, form_data.get("reason", ""))  # not text: refused

    def _set_status(self, status: str, reason: Any = None):
        """Move the order on, from the status the page shows: if it moved meanwhile, nothing changes
        and the page shows where it is now. A second click once it moved (a double click) finds the
        status no longer among the next ones: nothing, no message, no second mail."""
        if not self.found or not isinstance(status, str) or status not in {c["value"] for c in self.next_statuses}:
            return
        shown = self.status

        def work(actor: Actor) -> Any:
            if run_service(orders.order_state, actor=actor, number=self.number).status != shown:
                raise ValidationFailed({"status": "error.catalog_order_changed"})
            return run_service(orders.set_order_status, actor=actor, number=self.number, status=status, reason=reason)

        ok, moved = self._attempt(work, fields=("reason",))
        if ok:
            deliver_soon(moved.mail_ids)  # the contact's mail
            if status == OrderStatus.CANCELLED:
                self._done("admin.catalog.order_cancelled")
            else:
                self._done("admin.catalog.order_moved", status=self._t(f"catalog.order_status.{status}"))
        self._again(self._staff_or_none())
