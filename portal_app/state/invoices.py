"""Invoices for customers: the list (/invoices) and an invoice (/invoices/<number>) with "Pay now".

The list's URL query is the source of truth (status, search, sort, page), as on the ticket list.
"Pay now" asks the server for the invoice's PaymentIntent (made or reused by
`payments.start_payment`, amount from the database), then Stripe.js confirms the card in the
browser (`assets/invoice_pay.js`). The browser's answer only changes what the page says while it
waits ("Processing"): the invoice turns Paid when the server hears it from Stripe, by the webhook
or, if that is slow, by asking Stripe itself (`payments.check_payment`); `tick` follows the
invoice's change counter (`live.invoice_key`) every two seconds, so the page turns live.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, TypedDict

import reflex as rx

from ..i18n import format_day, format_money
from ..models import InvoiceKind
from ..services import live
from ..services.errors import NotAuthenticated, NotFound, ServiceError
from ..services.invoices import core as invoices
from ..services.invoices import payments
from ..services.invoices.card_errors import card_error_text, failure_code
from ..services.invoices.invoice_rules import NOTHING, SORTS, STATUSES
from ..services.invoices.scope import sees_invoices
from .base import deliver_due_soon, field_errors, run_service, while_busy
from .base import last_segment, one_message
from .invoice_view import InvoiceView
from .session import SessionState
from .url_list import PAGE_SIZE, ListSpec, UrlList

DEFAULT_SORT = "-number"  # newest first
CHECK_AFTER_S = 6.0  # no word from the webhook this long after the card was confirmed: ask Stripe
MESSAGE_LIMIT = 300


class InvoiceItem(TypedDict):
    number: int
    issue_date: str
    due_date: str
    total: str
    balance: str
    status: str
    status_label: str


class SumItem(TypedDict):
    currency: str
    open: str
    overdue: str
    has_overdue: bool


INVOICE_LIST = ListSpec(path="/invoices", statuses=STATUSES, sorts=SORTS, default_sort=DEFAULT_SORT,
                       columns=("number", "issue_date", "due_date", "total", "balance", "status"),
                       label_prefix="invoices.col")


def list_query(raw: str) -> dict[str, str]:
    """The list's view from a URL query (only known values)."""
    return INVOICE_LIST.read(raw)


class InvoiceListState(UrlList, SessionState):
    """/invoices: the company's invoices, a page at a time, with the open and overdue sums."""

    rows: list[InvoiceItem] = []
    sums: list[SumItem] = []

    def _spec(self) -> ListSpec:
        return INVOICE_LIST

    def _fill(self, actor) -> None:  # noqa: ANN001
        sort, descending = self._sort()
        self._seen = live.versions(live.ALL_INVOICES)[0]
        result = run_service(invoices.list_invoices, actor=actor, status=self._query.get("status"),
                             search=self._query.get("q", ""), sort=sort, descending=descending,
                             offset=self._offset(), limit=PAGE_SIZE)
        lang, t = self.lang, self._t
        self._put(
            # a credit note has nothing due and nothing open: those cells say so ("–"), as its page does
            rows=[{"number": r.number, "issue_date": format_day(r.issue_date, lang),
                   "due_date": NOTHING if r.kind == InvoiceKind.CREDIT_NOTE else format_day(r.due_date, lang),
                   "total": format_money(r.total_cents, r.currency, lang),
                   "balance": NOTHING if r.kind == InvoiceKind.CREDIT_NOTE
                   else format_money(r.balance_cents, r.currency, lang),
                   "status": r.status,
                   "status_label": t(f"invoice.status.{r.status}")} for r in result.rows],
            sums=[{"currency": s.currency, "open": format_money(s.open_cents, s.currency, lang),
                   "overdue": format_money(s.overdue_cents, s.currency, lang), "has_overdue": s.overdue_cents > 0}
                  for s in result.sums],
        )
        self._show_page(result.total, "invoices.page_of")

    def _clear(self) -> None:
        self._put(rows=[], sums=[], total=0, loaded=False)

    @rx.event
    def load(self):
        """The page's only on_load handler: the guard, the list, the ready marker."""
        return self._open_list(staff_path="/admin/invoices")

    def _may_show(self, actor) -> bool:  # noqa: ANN001
        return not actor.is_staff and sees_invoices(actor)

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: reload only when an invoice changed (a payment came in)."""
        self._follow(live.ALL_INVOICES)


class InvoicePageState(InvoiceView, SessionState):
    """/invoices/<number>: the invoice, its PDF, and "Pay now" (only with Stripe configured, a
    balance open and edit rights on Invoices)."""

    missing: bool = False  # "Invoice not found": not there, or not the viewer's (the same answer)
    can_pay: bool = False
    pay_open: bool = False  # the card form is shown
    confirming: bool = False  # the card form's "Pay" was pressed: Stripe.js is at work (a spinner)
    pay_key: str = ""
    pay_secret: str = ""  # the PaymentIntent's client secret: Stripe.js needs it in this browser
    pay_js: str = ""
    pay_amount: str = ""
    waiting: bool = False  # Stripe.js confirmed the card; the server has not heard from Stripe yet
    pay_error: str = ""  # Stripe's message for a declined card, or why paying could not start
    errors: dict[str, str] = {}
    busy: bool = False
    _seen: int = -1
    _paid_cents: int = 0
    _paid_before: int = 0  # paid when "Pay now" was pressed: Stripe's word has come when this moves
    _pay_cents: int = 0  # the amount the open card form asks for
    _confirmed_at: float = 0.0
    _checked_at: float = 0.0

    def _number_here(self) -> str:
        number = last_segment(self)
        return number if number.isdigit() and len(number) < 19 else ""

    def _refresh(self, actor) -> None:  # noqa: ANN001
        number = self._number_here()
        if not number:
            raise NotFound()
        self._seen = live.versions(live.invoice_key(int(number)))[0]
        detail = run_service(invoices.get_invoice, actor=actor, number=number)
        self._show(detail, self.lang)
        self._paid_cents = detail.paid_cents
        state = run_service(invoices.payment_state, actor=actor, number=number)
        if self.waiting and (detail.paid_cents != self._paid_before or detail.balance_cents <= 0
                             or detail.state == "void"):
            self._put(waiting=False, pay_error="")  # Stripe's word came: the page shows Paid / Partly paid
        if state.last_error and not state.processing and detail.balance_cents > 0:
            # the last card was declined (Stripe's message), here or in another tab
            told = card_error_text(self.lang, state.last_error_code, state.last_error)  # (Stripe's is English)
            self._put(waiting=False, pay_error=told, pay_open=False, pay_secret="")
        self._put(missing=False, can_pay=detail.can_pay and not self.waiting)
        if not self.can_pay:
            self._put(pay_open=False, pay_secret="")
        elif self.pay_open and detail.balance_cents != self._pay_cents:
            # a bank payment or a credit changed the balance meanwhile (its card payment is cancelled)
            self._put(pay_open=False, pay_secret="", pay_error=self._t(
                "invoices.pay_amount_changed", amount=format_money(detail.balance_cents, detail.currency, self.lang)))

    def _not_found(self) -> None:
        self._hide()
        self._put(missing=True, can_pay=False, pay_open=False, pay_secret="", waiting=False)

    @rx.event
    def load(self):
        actor, elsewhere = self._enter(staff=False)
        self._put(errors={}, pay_error="", pay_open=False, pay_secret="", waiting=False, busy=False, confirming=False)
        if actor is None:
            self._hide()
            return elsewhere
        if actor.is_staff:
            self._hide()
            number = self._number_here()
            return rx.redirect(f"/admin/invoices/{number}" if number else "/admin/invoices")
        if not sees_invoices(actor):  # as /invoices says it, whichever number the address names
            self._not_found()
            self._put(missing=False)
            self._show_unavailable()
            self._loaded()
            return None
        try:
            self._refresh(actor)
        except ServiceError:
            self._not_found()
        self._loaded()
        return None

    @rx.event
    def tick(self, _now: str = ""):
        """Every two seconds: re-read the invoice when its counter moved (a payment recorded, a card
        declined); while waiting for Stripe's word, ask Stripe now and then (the webhook may be late)."""
        if not self.found or not self.number:
            return
        try:
            if live.versions(live.invoice_key(self.number))[0] != self._seen:
                self._refresh(self._require_actor())
        except NotAuthenticated:
            self._not_found()
            return
        except ServiceError:
            self._not_found()
            return
        now = time.monotonic()
        if self.waiting and now - self._confirmed_at > CHECK_AFTER_S and now - self._checked_at > CHECK_AFTER_S:
            self._checked_at = now
            return InvoicePageState.check_with_stripe
        return None

    @rx.event
    async def check_with_stripe(self):
        """The server asks Stripe about the invoice's payments (never the browser's word)."""
        if not self.found or not self.number:
            return
        try:
            actor = self._require_actor()
            state = await asyncio.to_thread(run_service, payments.check_payment, actor=actor, number=self.number)
            if state.paid_cents != self._paid_cents:
                deliver_due_soon()  # a payment recorded here, not by the webhook: its receipt
            self._refresh(actor)
        except ServiceError:
            self._not_found()

    @rx.event
    async def start_pay(self):
        async for update in while_busy(self, self._start_pay):
            yield update

    async def _start_pay(self):
        if not self.found or not self.number or not self.can_pay:
            return None
        try:
            actor = self._require_actor()
            start = await asyncio.to_thread(run_service, payments.start_payment, actor=actor, number=self.number)
        except NotAuthenticated:
            self._not_found()
            return None
        except ServiceError as exc:
            self._put(pay_error=one_message(field_errors(exc, self.lang)).get("form", ""), pay_open=False)
            try:
                self._refresh(actor)
            except ServiceError:  # not the viewer's (any more): the answer for a missing invoice
                self._not_found()
            return None
        self._paid_before, self._pay_cents = self._paid_cents, start.amount_cents
        self._put(pay_open=True, confirming=False, pay_key=start.publishable_key, pay_secret=start.client_secret,
                  pay_js=start.js_url, pay_amount=format_money(start.amount_cents, start.currency, self.lang), pay_error="")
        return None

    @rx.event
    def cancel_pay(self):
        self._put(pay_open=False, pay_secret="", confirming=False)

    @rx.event
    def confirm_started(self):
        """"Pay" pressed on the card form: its spinner, until Stripe.js answers (`card_result`)."""
        if self.pay_open:
            self._put(confirming=True)

    @rx.event
    def card_result(self, result: Any):
        """Stripe.js's answer in this browser (untrusted: it only says what to show while waiting)."""
        if not isinstance(result, dict) or not self.pay_open or result.get("ignored"):
            return None
        self._put(confirming=False)
        if result.get("ok") is True:
            self._confirmed_at = time.monotonic()
            self._put(waiting=True, can_pay=False, pay_open=False, pay_secret="", pay_error="")
            try:
                self._refresh(self._require_actor())  # the webhook may have come already
            except ServiceError:
                self._not_found()
            return None
        message = result.get("message")
        text = message.strip()[:MESSAGE_LIMIT] if isinstance(message, str) else ""
        code = failure_code({"decline_code": result.get("decline_code"), "code": result.get("code")})
        if not code and not text:
            self._put(pay_error=self._t("invoices.payment_not_completed"))
        else:  # Stripe.js was given the page's language (its messages for codes this portal does not know)
            self._put(pay_error=card_error_text(self.lang, code, text, message_lang=self.lang))
        return None
