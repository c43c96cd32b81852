"""Admin panel, invoices: every invoice with drafts (/admin/invoices: filters, sums, CSV, reconcile),
the draft editor (/admin/invoices/new, /admin/invoices/draft-<id>: save, delete, issue) and an
issued or void invoice (/admin/invoices/<number>: the document, payment attempts, a bank payment
recorded by hand, void, credit, "Mark reviewed"; live).

Every handler checks staff on the server (the services call `actor.require_staff`). The list's URL
query is the source of truth, as on the ticket inbox. The editor's lines are rows of the state with
a key each; the browser keeps what is typed in them (uncontrolled inputs named `line_<key>_<field>`),
a removed line is only marked removed (so no other row's inputs move), and a save sends the kept
rows in order: the service's `lines.<n>.<field>` errors go back to `line_<key>_<field>`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, TypedDict
from urllib.parse import urlencode

import reflex as rx

from ..local_time import today as local_today
from ..i18n import format_day, format_money
from ..models import InvoiceKind
from ..services import live, submissions
from ..services.errors import NotAuthenticated, NotFound, PermissionDenied, ServiceError
from ..services.invoices import admin as invoice_admin
from ..services.invoices import core as invoices
from ..services.invoices.invoice_rules import MAX_LINES, NOTHING, SORTS, STAFF_STATUSES
from ..services.money import as_decimal, quantity_decimal, rate_decimal
from ..services.validation import is_id
from .base import deliver_due_soon, field_errors, last_segment, run_service, while_busy
from .company_picker import CLOSED_MATCHES, CompanyPicker
from .invoice_view import InvoiceView
from .line_editor import (EditorLine, blank_line, decimal_errors, grouped_numbers, numbered, plain,
                          with_grouped_unreadable)
from .invoices import DEFAULT_SORT, SumItem
from .session import SessionState
from .url_list import PAGE_SIZE, ListSpec, UrlList

BASE = "/admin/invoices"
LINE_FIELDS = ("description", "product_code", "quantity", "unit", "unit_price", "vat_rate")
HEADER_FIELDS = ("currency", "due_date", "notes")
TYPED_LIMIT = 2000  # what is kept of a field's typed text after an error (the inputs' maxlength is lower)


class AdminInvoiceItem(TypedDict):
    href: str
    number: str  # "Draft" for a draft
    company: str
    issue_date: str
    due_date: str
    total: str
    balance: str
    status: str
    status_label: str
    needs_review: bool


class AttemptItem(TypedDict):
    payment_intent_id: str
    amount: str
    status: str
    status_label: str
    last_error: str
    started_by: str
    created: str
    updated: str


# staff's list: every status (drafts too), a company filter, the company column
STAFF_LIST = ListSpec(path=BASE, statuses=STAFF_STATUSES, sorts=SORTS, default_sort=DEFAULT_SORT,
                      columns=("number", "company", "issue_date", "due_date", "total", "balance", "status"),
                      label_prefix="admin.invoices.col", extra=("company",))


def staff_query(raw: str) -> dict[str, str]:
    """The staff list's view from a URL query: status (drafts too), company, search, sort, page;
    only known values (a company id only in its one spelling)."""
    query = STAFF_LIST.read(raw)
    if "company" in query and not is_id(query["company"]):
        del query["company"]
    return query


# --- /admin/invoices ------------------------------------------------------------------------------

class AdminInvoiceListState(UrlList, CompanyPicker, SessionState):
    """Every invoice, drafts too, a page at a time; the open and overdue sums per currency."""

    rows: list[AdminInvoiceItem] = []
    sums: list[SumItem] = []
    csv_href: str = "/api/admin/invoices.csv"
    payments_on: bool = False  # Stripe is configured: "Reconcile with Stripe" is offered
    notice: str = ""  # what the last reconcile did
    errors: dict[str, str] = {}
    busy: bool = False
    _seen: int = -1

    def _spec(self) -> ListSpec:
        return STAFF_LIST

    def _view_query(self, raw: str) -> dict[str, str]:
        return staff_query(raw)

    def _may_show(self, actor) -> bool:  # noqa: ANN001
        return actor.is_staff

    def _reset(self) -> None:
        self._put(errors={}, notice="", busy=False)

    def _fill(self, actor) -> None:  # noqa: ANN001
        sort, descending = self._sort()
        self._seen = live.versions(live.ALL_INVOICES)[0]
        company = self._query.get("company", "")
        result = run_service(invoices.list_invoices, actor=actor, status=self._query.get("status"),
                             search=self._query.get("q", ""), company_id=company or None, sort=sort,
                             descending=descending, offset=self._offset(), limit=PAGE_SIZE)
        lang, t = self.lang, self._t
        csv = {key: self._query[key] for key in ("status", "q", "company") if key in self._query}
        self._put(
            rows=[{"href": f"{BASE}/{r.number}" if r.number else f"{BASE}/draft-{r.id}",
                   "number": str(r.number) if r.number else t("invoice.status.draft"), "company": r.company_name,
                   "issue_date": format_day(r.issue_date, lang),
                   "due_date": NOTHING if r.kind == InvoiceKind.CREDIT_NOTE else format_day(r.due_date, lang),
                   "total": format_money(r.total_cents, r.currency, lang),
                   # a draft owes nothing yet (no open amount), a credit note nothing at all ("–")
                   "balance": "" if not r.number else NOTHING if r.kind == InvoiceKind.CREDIT_NOTE
                   else format_money(r.balance_cents, r.currency, lang),
                   "status": r.status, "status_label": t(f"invoice.status.{r.status}"),
                   "needs_review": r.needs_review}
                  for r in result.rows],
            sums=[{"currency": s.currency, "open": format_money(s.open_cents, s.currency, lang),
                   "overdue": format_money(s.overdue_cents, s.currency, lang), "has_overdue": s.overdue_cents > 0}
                  for s in result.sums],
            company_value=company, company_label=self._company_name(actor, company) if company else "",
            **CLOSED_MATCHES, csv_href="/api/admin/invoices.csv" + (f"?{urlencode(csv)}" if csv else ""),
            payments_on=invoices.payments_enabled(),
        )
        self._show_page(result.total, "invoices.page_of")

    def _clear(self) -> None:
        self._put(rows=[], sums=[], total=0, loaded=False, payments_on=False, notice="")

    @rx.event
    def load(self):
        """The page's only on_load handler: the guard (staff only), the list, the ready marker."""
        actor, elsewhere = self._enter(staff=True)
        self._reset()
        self._put(view_url="")
        if actor is None:
            self._clear()
            return elsewhere
        self._read_query()
        try:
            self._fill(actor)
            self._correct_address()
        except ServiceError as exc:
            self._clear()
            self._put(errors=field_errors(exc, self.lang))
        self._loaded()
        return None

    @rx.event
    def set_company(self, company_id: str):
        chosen = self._company_arg(company_id)
        return None if chosen is None else self._go(company=chosen or None)

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: reload only when an invoice changed (a payment, an issue elsewhere)."""
        if not self.loaded or live.versions(live.ALL_INVOICES)[0] == self._seen:
            return
        try:
            actor = self._require_actor()
            if not actor.is_staff:  # the admin panel's list is staff's alone
                self._clear()
                return
            self._fill(actor)
        except ServiceError:
            self._clear()

    @rx.event
    async def reconcile(self):
        async for update in while_busy(self, self._reconcile):
            yield update

    async def _reconcile(self):
        """"Reconcile with Stripe": re-read the recent PaymentIntents, record what the webhook missed."""
        if not self.loaded:
            return None
        try:
            actor = self._require_actor()
            done = await asyncio.to_thread(run_service, invoice_admin.reconcile_now, actor=actor)
            if done.recorded:
                deliver_due_soon()  # the payers' receipts
        except NotAuthenticated:
            self._clear()
            return None
        except ServiceError as exc:
            self._put(errors=field_errors(exc, self.lang), notice="")
            return None
        self._put(errors={}, notice=self._t("admin.invoices.reconciled", checked=done.checked, recorded=done.recorded,
                                            updated=done.updated, errors=done.errors))
        try:
            self._fill(actor)
        except ServiceError:
            self._clear()
        return None


# --- the draft editor -----------------------------------------------------------------------------

class AdminInvoiceEditorState(CompanyPicker, SessionState):
    """A new draft (/admin/invoices/new) or a saved one (/admin/invoices/draft-<id>)."""

    editing: bool = False  # the editor is shown (a new draft, or a draft found)
    is_new: bool = True
    missing: bool = False  # /admin/invoices/draft-<id> of no draft
    currency: str = "EUR"
    due_date: str = ""
    notes: str = ""
    lines: list[EditorLine] = []
    amounts: str = ""  # the saved draft's totals
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False
    form_key: int = 0
    submission_id: str = ""
    _draft_id: int = 0
    _draft_created: datetime | None = None  # which draft of that id the form shows (ids are reused)
    _draft_saved: datetime | None = None  # its last save as shown: another save since is told first
    _issuing: bool = False  # the editor's form on its way was sent by "Issue invoice" (`submitting`)

    def _show_form(self, *, company: tuple[str, str], currency: str, due: str, notes: str,
                   lines: list[EditorLine], amounts: str = "") -> None:
        self._put(editing=True, missing=False, company_value=company[0], company_label=company[1], **CLOSED_MATCHES,
                  currency=currency, due_date=due, notes=notes, lines=numbered(lines), amounts=amounts)
        self.form_key += 1

    def _hide_form(self, *, missing: bool = False) -> None:
        self._draft_id = 0
        self._put(editing=False, missing=missing, lines=[], notes="", amounts="", company_value="", company_label="",
                  **CLOSED_MATCHES)

    def _fill_draft(self, actor, invoice_id: int) -> str | None:  # noqa: ANN001
        """The draft into the form; the address of its page when it is a draft no more."""
        detail = run_service(invoice_admin.get_invoice_by_id, actor=actor, invoice_id=invoice_id)
        if detail.state != "draft":
            self._hide_form()
            return f"{BASE}/{detail.number}" if detail.number else BASE
        self._draft_id, self._draft_created, self._draft_saved = detail.id, detail.created_at, detail.updated_at
        lang = self.lang
        amounts = " · ".join(f"{self._t(key)} {format_money(cents, detail.currency, lang)}" for key, cents in (
            ("invoice.pdf.subtotal", detail.subtotal_cents), ("invoice.pdf.vat", detail.vat_cents),
            ("invoice.pdf.total", detail.total_cents)))
        self._show_form(
            company=(str(detail.company_id), detail.company_name), currency=detail.currency,
            due=detail.due_date.isoformat() if detail.due_date else "", notes=detail.notes, amounts=amounts,
            lines=[{"key": n, "n": 0, "description": li.description, "product_code": li.product_code,
                    "quantity": plain(quantity_decimal(li.quantity_milli), lang), "unit": li.unit,
                    "unit_price": plain(as_decimal(li.unit_price_cents), lang),
                    "vat_rate": plain(rate_decimal(li.vat_rate_bp), lang), "removed": False}
                   for n, li in enumerate(detail.lines)] or [blank_line(0, self.lang)])
        return None

    @rx.event
    def load_new(self):
        """/admin/invoices/new: an empty draft (its own submission id: a double click saves one draft)."""
        self._put(errors={}, notice="", busy=False, is_new=True)
        self._draft_id = 0
        try:
            self._require_actor().require_staff()
        except ServiceError:
            self._hide_form()
            return
        self.submission_id = submissions.new_submission_id()
        self._show_form(company=("", ""), currency="EUR", due="", notes="", lines=[blank_line(0, self.lang)])

    @rx.event
    def load_draft(self):
        """/admin/invoices/draft-<id> (the invoice page's route: other addresses are not the editor's)."""
        self._put(errors={}, notice="", busy=False, is_new=False)
        segment = last_segment(self)
        if not segment.startswith("draft-"):
            self._hide_form()
            return None
        try:
            actor = self._require_actor()
            actor.require_staff()
            return rx.redirect(moved) if (moved := self._fill_draft(actor, segment[6:])) else None  # type: ignore[arg-type]
        except ServiceError:
            self._hide_form(missing=True)
            return None

    # --- the lines ---

    def _kept(self) -> list[EditorLine]:
        return [line for line in self.lines if not line["removed"]]

    @rx.event
    def add_line(self):
        if not self.editing or len(self._kept()) >= MAX_LINES or len(self.lines) >= 2 * MAX_LINES:
            return
        self._put(lines=numbered([*self.lines, blank_line(len(self.lines), self.lang)]))

    @rx.event
    def remove_line(self, key: int):
        if not self.editing or not isinstance(key, int) or isinstance(key, bool) or not 0 <= key < len(self.lines):
            return
        self._put(lines=numbered([{**line, "removed": line["removed"] or line["key"] == key} for line in self.lines]),
                  errors={k: v for k, v in self.errors.items() if not k.startswith(f"line_{key}_")})

    def _form(self, form_data: dict[str, Any]) -> dict[str, Any]:
        """The service's data from the form: the header fields and the kept lines, in order."""
        data: dict[str, Any] = {name: form_data.get(name, "") for name in HEADER_FIELDS}
        data["lines"] = [{name: form_data.get(f"line_{line['key']}_{name}", "") for name in LINE_FIELDS}
                         for line in self._kept()]
        return data

    def _keep_typed(self, data: dict[str, Any]) -> None:
        """What was typed stays in the form while the marked fields are fixed."""
        def text(value: Any) -> str:
            return value[:TYPED_LIMIT] if isinstance(value, str) else ""

        sent = iter(data["lines"])
        lines = [line if line["removed"] else {**line, **{k: text(v) for k, v in next(sent).items()}}
                 for line in self.lines]
        self._put(currency=text(data["currency"]), due_date=text(data["due_date"]), notes=text(data["notes"]),
                  lines=lines)

    def _shown(self, messages: dict[str, str]) -> dict[str, str]:
        """The service's field names as the form's: `lines.<n>.<field>` is `line_<key>_<field>`; one
        message about anything else goes at the top."""
        keys = [line["key"] for line in self._kept()]
        out: dict[str, str] = {}
        for name, message in messages.items():
            parts = name.split(".")
            if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(keys):
                out[f"line_{keys[int(parts[1])]}_{parts[2]}"] = message
            elif name == "company" and not self.company_value:
                out[name] = self._t("admin.invoices.choose_company")
            elif name in (*HEADER_FIELDS, "company", "lines", "form"):
                out[name] = message
            else:
                out.setdefault("form", message)
        if set(out) - {"form"} and "form" not in out:
            out["form"] = self._t("error.check_fields")
        return out

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    @rx.event
    def submitting(self, issue: bool):
        """Which button sends the editor's form, just before it: "Save draft" (also Enter in a field,
        which clicks it) or Confirm in the "Issue invoice" dialog (with the issue dates), so that what
        the form holds is saved and then issued, never the draft as last saved."""
        self._issuing = issue is True

    def _save(self, form_data: dict):
        """"Save draft": a new draft is created (once per submission id) and its page opened; a saved
        draft is changed (header and every line), and issued when "Issue invoice" sent it."""
        issuing, self._issuing = self._issuing, False
        if not isinstance(form_data, dict) or not self.editing:
            return None
        data = self._form(form_data)
        grouped = grouped_numbers(data["lines"], ("quantity", "unit_price"), self.lang)
        sent = {**data, "lines": with_grouped_unreadable(data["lines"], grouped)} if grouped else data
        try:
            actor = self._require_actor()
            if self._draft_id:
                invoice = run_service(invoice_admin.update_draft, actor=actor, invoice_id=self._draft_id, data=sent,
                                      created_at=self._draft_created, seen=self._draft_saved)
            else:
                invoice = run_service(invoice_admin.create_draft, actor=actor, company_id=self.company_value or None,
                                      data=sent, submission_id=form_data.get("submission_id"))
        except NotAuthenticated:
            self._hide_form()
            return None
        except ServiceError as exc:
            self._keep_typed(data)  # what was typed stays, also on a draft deleted meanwhile (to copy it)
            if isinstance(exc, invoice_admin.DraftChanged):
                self._draft_saved = exc.saved_at  # told: saving again replaces the other save
            gone = isinstance(exc, NotFound) and self._draft_id
            self._put(errors={"form": self._t("admin.invoices.draft_gone")} if gone
                      else self._shown({**decimal_errors(exc, self.lang), **grouped}), notice="")
            return None
        if self.is_new:
            return rx.redirect(f"{BASE}/draft-{invoice.id}")
        self._put(errors={}, notice=self._t("admin.invoices.draft_saved"))
        moved = self._fill_draft(actor, invoice.id)
        if moved:
            return rx.redirect(moved)
        return self._issue(form_data) if issuing else None

    @rx.event
    def set_company(self, company_id: str):
        """The new draft's company, picked from the matches ('' to choose again)."""
        chosen = self._company_arg(company_id)
        if self.editing and self.is_new and chosen is not None:
            self._pick_company(chosen)

    @rx.event
    async def delete_draft(self):
        async for update in while_busy(self, self._delete_draft):
            yield update

    def _delete_draft(self):
        if not self.editing or not self._draft_id:
            return None
        try:
            run_service(invoice_admin.delete_draft, actor=self._require_actor(), invoice_id=self._draft_id,
                        created_at=self._draft_created)
        except NotAuthenticated:
            self._hide_form()
            return None
        except NotFound:
            self._put(errors={"form": self._t("admin.invoices.draft_gone")}, notice="")
            return None
        except ServiceError as exc:
            self._put(errors=self._shown(field_errors(exc, self.lang)), notice="")
            return None
        self._hide_form()
        return rx.redirect(f"{BASE}?status=draft")

    def _issue(self, form_data: dict):
        """"Issue invoice", after `_save` saved what the form holds: the saved draft gets the next
        number (issue date today unless given; the due date given, else the draft's, else 14 days on),
        and its page opens."""
        # the editor's form always sends both dates ('' for the defaults)
        if not isinstance(form_data, dict) or not self.editing or not self._draft_id \
                or not all(isinstance(form_data.get(name), str) for name in ("issue_date", "issue_due_date")):
            return None
        try:
            invoice = run_service(invoice_admin.issue_invoice, actor=self._require_actor(), invoice_id=self._draft_id,
                                  created_at=self._draft_created, issue_date=form_data.get("issue_date") or None,
                                  due_date=form_data.get("issue_due_date") or None)
        except NotAuthenticated:
            self._hide_form()
            return None
        except NotFound:
            self._put(errors={"form": self._t("admin.invoices.draft_gone")}, notice="")
            return None
        except ServiceError as exc:
            messages = field_errors(exc, self.lang)
            self._put(errors={("issue_due_date" if k == "due_date" else k): v for k, v in messages.items()
                              if k in ("issue_date", "due_date", "form")} or {"form": next(iter(messages.values()))},
                      notice="")
            return None
        self._hide_form()
        deliver_due_soon()  # the invoice's mail to the company's readers
        return rx.redirect(f"{BASE}/{invoice.number}")


# --- /admin/invoices/<number> ---------------------------------------------------------------------

class AdminInvoiceState(InvoiceView, SessionState):
    """An issued or void invoice (or credit note) as staff sees it, with what staff may do to it."""

    missing: bool = False
    company_id: int = 0
    needs_review: bool = False
    can_record: bool = False
    can_void: bool = False
    can_credit: bool = False
    attempts: list[AttemptItem] = []
    amount_default: str = ""  # the bank payment form's amount: the open balance
    can_refund: bool = False  # a credit is owed to the customer: the refund form shows
    refund_default: str = ""  # its amount: the whole credit owed
    refund_submission_id: str = ""
    today: str = ""
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False
    pay_form_key: int = 0
    submission_id: str = ""
    _seen: int = -1

    def _number_here(self) -> str:
        number = last_segment(self)
        return number if number.isdigit() and len(number) < 19 else ""

    def _refresh(self, actor, *, form: bool = False) -> None:  # noqa: ANN001
        actor.require_staff()  # (a customer sees its own invoices at /invoices, never here)
        number = self._number_here()
        if not number:
            raise NotFound()
        self._seen = live.versions(live.invoice_key(int(number)))[0]
        detail = run_service(invoices.get_invoice, actor=actor, number=number)
        self._show(detail, self.lang, staff=True)
        issued_invoice = detail.state == "issued" and detail.kind == "invoice"
        lang, t = self.lang, self._t
        self._put(
            missing=False, company_id=detail.company_id, needs_review=detail.needs_review, can_record=issued_invoice,
            can_void=issued_invoice and detail.paid_cents == 0 and detail.credited_cents == 0,
            can_credit=issued_invoice and detail.credited_cents == 0,
            can_refund=detail.kind == "invoice" and detail.credit_cents > 0,
            attempts=[{"payment_intent_id": a.payment_intent_id, "amount": format_money(a.amount_cents, a.currency, lang),
                       "status": a.status, "status_label": t(f"admin.invoices.attempt.{a.status}"),
                       "last_error": a.last_error, "started_by": a.started_by,
                       "created": self._moment(a.created_at), "updated": self._moment(a.updated_at)}
                      for a in detail.attempts],
        )
        if form:  # the bank payment and refund forms start again from the open balance, the credit and today
            self._put(amount_default=plain(as_decimal(detail.balance_cents), lang) if detail.balance_cents > 0 else "",
                      refund_default=plain(as_decimal(detail.credit_cents), lang) if detail.credit_cents > 0 else "",
                      today=local_today().isoformat())
            self.submission_id = submissions.new_submission_id()
            self.refund_submission_id = submissions.new_submission_id()
            self.pay_form_key += 1

    def _gone(self, *, missing: bool = True) -> None:
        self._hide()
        self._put(missing=missing, attempts=[], can_record=False, can_void=False, can_credit=False,
                  can_refund=False, needs_review=False)

    @rx.event
    def load(self):
        """/admin/invoices/<number> (a `draft-<id>` there is the editor's: nothing here)."""
        self._put(errors={}, notice="", busy=False)
        if last_segment(self).startswith("draft-"):
            self._gone(missing=False)
            return
        try:
            self._refresh(self._require_actor(), form=True)
        except ServiceError:
            self._gone()

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: re-read the invoice when its counter moved (a card payment, a webhook)."""
        if not self.found or not self.number or live.versions(live.invoice_key(self.number))[0] == self._seen:
            return
        try:
            self._refresh(self._require_actor())
        except ServiceError:
            self._gone()

    def _act(self, work, notice_key: str, *, fields: tuple[str, ...] = ()):  # noqa: ANN001, ANN202
        """Run a staff action on this invoice (`work(actor)`, which may return an address to go
        to); then the page again with `notice_key`, or the messages (next to `fields`, the rest at
        the top)."""
        if not self.found or not self.number:
            return None
        try:
            actor = self._require_actor()
            outcome = work(actor)
        except (NotAuthenticated, PermissionDenied):
            self._gone()
            return None
        except ServiceError as exc:
            messages = decimal_errors(exc, self.lang)
            shown = {k: v for k, v in messages.items() if k in fields}
            rest = [v for k, v in messages.items() if k not in fields]
            self._put(errors={**shown, **({"form": rest[0]} if rest else {})}, notice="")
            return None
        if isinstance(outcome, str):
            return rx.redirect(outcome)
        self._put(errors={}, notice=self._t(notice_key))
        try:
            self._refresh(actor, form=True)
        except ServiceError:
            self._gone()
        return None

    @rx.event
    async def record_payment(self, form_data: dict):
        async for update in while_busy(self, self._record_payment, form_data):
            yield update

    def _record_payment(self, form_data: dict):
        return self._record_by_hand(form_data, invoice_admin.record_bank_payment, ("amount", "received_on", "note"),
                                    day_arg="received_on", notice_key="admin.invoices.payment_recorded")

    @rx.event
    async def record_refund(self, form_data: dict):
        async for update in while_busy(self, self._record_refund, form_data):
            yield update

    def _record_refund(self, form_data: dict):
        return self._record_by_hand(form_data, invoice_admin.record_refund,
                                    ("refund_amount", "refunded_on", "refund_note"), day_arg="refunded_on",
                                    notice_key="admin.invoices.refund_recorded")

    def _record_by_hand(self, form_data: dict, service: Any, fields: tuple[str, str, str], *, day_arg: str,
                        notice_key: str):  # noqa: ANN202
        """A bank payment or refund form (its amount, day and note `fields`) sent to `service`. The
        page always sends the id of the form it showed: a double click records once."""
        if not isinstance(form_data, dict) or not isinstance(form_data.get("submission_id"), str) \
                or not form_data["submission_id"]:
            return None
        amount, day, note = fields

        def work(actor) -> None:  # noqa: ANN001
            run_service(service, actor=actor, number=self.number, amount=form_data.get(amount),
                        note=form_data.get(note, ""), submission_id=form_data["submission_id"],
                        **{day_arg: form_data.get(day) or None})
        return self._act(work, notice_key, fields=fields)

    @rx.event
    async def void(self):
        async for update in while_busy(self, self._void):
            yield update

    def _void(self):
        def work(actor) -> None:  # noqa: ANN001
            run_service(invoice_admin.void_invoice, actor=actor, number=self.number)
        return self._act(work, "admin.invoices.voided")

    @rx.event
    async def credit(self):
        async for update in while_busy(self, self._credit):
            yield update

    def _credit(self):
        def work(actor):  # noqa: ANN001, ANN202
            note = run_service(invoice_admin.credit_invoice, actor=actor, number=self.number)
            deliver_due_soon()  # the credit note's mail
            return f"{BASE}/{note.number}"
        return self._act(work, "admin.invoices.credited")

    @rx.event
    def clear_review(self):
        if not self.needs_review:
            return None
        return self._act(lambda actor: run_service(invoice_admin.clear_review, actor=actor, number=self.number),
                         "admin.invoices.reviewed")

