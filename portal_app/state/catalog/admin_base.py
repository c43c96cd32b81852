"""What staff's catalog pages share: staff's actions with their messages (`StaffForm`), a list in
the URL (`StaffList`) narrowed to a company (`CompanyFilter`), "New ..." in a dialog made once per
form (`NewDialog`), and a CSV import with its row-by-row report (`CsvImport`).

Every handler checks staff on the server (`_staff`; the services call `actor.require_staff` too).
Uploads stream in chunks to the handler, which keeps at most the limit plus one byte in memory and
hands the bytes to the service (it checks size and type; nothing goes to Reflex's upload folder).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypedDict

import reflex as rx

from ...i18n import translate
from ...services import submissions
from ...services.actor import Actor
from ...services.catalog import csv_import
from ...services.catalog.catalog_rules import CSV_MAX_BYTES
from ...services.errors import NotAuthenticated, PermissionDenied, ServiceError
from ...services.validation import is_id
from ..company_picker import CLOSED_MATCHES, CompanyPicker
from ..line_editor import decimal_errors
from ..base import field_errors, read_upload, run_service, while_busy
from ..url_list import ListSpec, UrlList

TYPED_LIMIT = 2000  # what is kept of a typed value in a var (the inputs' maxlength is lower)
REPORT_ROWS = 200  # the import report lists this many problems at most


class ReportRow(TypedDict):
    row: int
    column: str
    message: str


def typed(value: Any) -> str:
    return value[:TYPED_LIMIT] if isinstance(value, str) else ""


def checked(form: dict, name: str) -> bool:
    """A checkbox of a form: "on" when ticked, missing otherwise."""
    return form.get(name) == "on"


def company_choice(company_id: Any) -> bool:
    """A company id as a company search box sends it ('' for none)."""
    return isinstance(company_id, str) and (company_id == "" or (is_id(company_id) and len(company_id) < 10))


def staff_list_query(spec: ListSpec, raw: str) -> dict[str, str]:
    """A staff list's view from the URL query: only known values, a company id only in its one spelling."""
    query = spec.read(raw)
    if "company" in query and not is_id(query["company"]):
        del query["company"]
    return query


class StaffForm(rx.State, mixin=True):
    """Staff's page: its messages (shown where the action was: `notice_at` names the page's part,
    "" its top), the busy flag of its forms, and staff's actions run with the service's messages
    next to the fields."""

    errors: dict[str, str] = {}
    notice: str = ""
    notice_at: str = ""
    busy: bool = False
    _made: dict[str, str] = {}  # the submission id of the last thing made -> its page (a double click)

    def _staff(self) -> Actor:
        """The signed-in staff member, checked now (NotAuthenticated, PermissionDenied otherwise)."""
        actor = self._require_actor()  # type: ignore[attr-defined]  (SessionState's)
        actor.require_staff()
        return actor

    def _staff_or_none(self) -> Actor | None:
        try:
            return self._staff()
        except ServiceError:
            return None

    def _attempt(self, work: Callable[[Actor], Any], *, fields: tuple[str, ...] = (),
                 at: str = "") -> tuple[bool, Any]:
        """Run `work(actor)` as staff: (True, what it returned); else (False, None) with the messages
        next to `fields` and the rest at `at`. Anyone but staff gets nothing, not even a message."""
        try:
            actor = self._staff()
            return True, work(actor)
        except (NotAuthenticated, PermissionDenied):
            return False, None
        except ServiceError as exc:
            # (prices, quantities and rates take decimals: "Enter a number, like 2, 1.5 or 1240.50.")
            self._say(decimal_errors(exc, self.lang), fields, at=at)  # type: ignore[attr-defined]
            return False, None

    def _say(self, messages: dict[str, str], fields: tuple[str, ...], *, at: str = "") -> None:
        shown = {k: v for k, v in messages.items() if k in fields}
        rest = [v for k, v in messages.items() if k not in fields]
        top = rest[0] if rest else self._t("error.check_fields") if shown else ""  # type: ignore[attr-defined]
        self._put(errors={**shown, **({"form": top} if top else {})},  # type: ignore[attr-defined]
                  notice="", notice_at=at)

    def _follow(self, fn: Callable[[Actor], None]) -> None:
        """`fn(actor)` when the caller is (still) staff: the page again after an action."""
        actor = self._staff_or_none()
        if actor is not None:
            fn(actor)

    def _done(self, notice_key: str, *, at: str = "", **params: Any) -> None:
        self._put(errors={}, notice=self._t(notice_key, **params) if notice_key else "",  # type: ignore[attr-defined]
                  notice_at=at)

    def _made_once(self, form_data: dict, make: Callable[[Actor], str], *, shown: bool, fields: tuple[str, ...],
                   at: str = "") -> Any:
        """A new thing from a form shown with a submission id (`shown`): made once, however often the
        form is sent (the same id again opens what it made); then its page (`make` gives its address)."""
        submission = form_data.get("submission_id")
        if isinstance(submission, str) and submission in self._made:
            return rx.redirect(self._made[submission])
        if not shown:
            return None
        try:
            valid = submissions.parse_submission_id(submission) is not None
        except ServiceError:
            valid = False
        if not valid:  # the form always sends the id it was shown with
            self._put(errors={"form": self._t("error.invalid")}, notice="", notice_at=at)  # type: ignore[attr-defined]
            return None
        ok, href = self._attempt(make, fields=fields, at=at)
        if not ok:
            return None
        self._made = {submission: href}
        return rx.redirect(href)


class StaffPage(StaffForm, mixin=True):
    """One thing on a staff page: `load` (staff only) opens it (`_open`, by default `_again`: show it
    with `_show`); refused or missing, `_gone` says not found."""

    def _show(self, actor: Actor) -> None:
        raise NotImplementedError

    def _gone(self, *, missing: bool = True) -> None:
        raise NotImplementedError

    def _reset(self) -> None:
        self._put(errors={}, notice="", busy=False)  # type: ignore[attr-defined]

    def _open(self, actor: Actor) -> None:
        self._again(actor)

    def _again(self, actor: Actor | None) -> None:
        """The thing shown again (after an action, or when it changed elsewhere)."""
        if actor is None:
            self._gone(missing=False)
            return
        try:
            self._show(actor)
        except ServiceError:
            self._gone()

    @rx.event
    def load(self):
        actor, elsewhere = self._enter(staff=True)  # type: ignore[attr-defined]
        self._reset()
        if actor is None:
            self._gone(missing=False)
            return elsewhere
        self._open(actor)
        self._loaded()  # type: ignore[attr-defined]
        return None


class StaffList(UrlList, StaffForm, mixin=True):
    """A staff list whose view lives in the URL: `load` (staff only) fills it (`_fill`); a refusal empties it."""

    def _view_query(self, raw: str) -> dict[str, str]:
        return staff_list_query(self._spec(), raw)

    def _may_show(self, actor: Actor) -> bool:
        return actor.is_staff

    def _clear(self) -> None:
        self._put(rows=[], total=0, loaded=False)  # type: ignore[attr-defined]

    def _reset(self) -> None:
        """What a (re)load of the page and a new view start from."""
        self._put(errors={}, notice="", busy=False)  # type: ignore[attr-defined]

    def _refill(self, actor: Actor) -> None:
        try:
            self._fill(actor)  # type: ignore[attr-defined]
        except ServiceError as exc:
            self._clear()
            self._put(errors=field_errors(exc, self.lang))  # type: ignore[attr-defined]

    @rx.event
    def load(self):
        actor, elsewhere = self._enter(staff=True)  # type: ignore[attr-defined]
        self._reset()
        self._put(view_url="")  # type: ignore[attr-defined]
        if actor is None:
            self._clear()
            return elsewhere
        self._read_query()
        self._refill(actor)
        if self.loaded:  # type: ignore[attr-defined]
            self._correct_address()
        self._loaded()  # type: ignore[attr-defined]
        return None


class CompanyFilter(CompanyPicker, mixin=True):
    """A staff list narrowed to one company, chosen in the search box (`company` in the URL)."""

    @rx.event
    def set_company(self, company_id: str):
        if not company_choice(company_id):
            return None
        return self._go(company=company_id or None)  # type: ignore[attr-defined]

    def _show_company(self, actor: Actor) -> str:
        """The chosen company in the search box; its name ('' for none)."""
        company = self._query.get("company", "")  # type: ignore[attr-defined]
        name = self._company_name(actor, company) if company else ""
        self._put(company_value=company, company_label=name, **CLOSED_MATCHES)  # type: ignore[attr-defined]
        return name


class CompanyChooser(CompanyPicker, mixin=True):
    """A company picked in the search box for a form (to assign a price book to, a new opportunity's)."""

    def _may_choose(self) -> bool:
        return True

    @rx.event
    def set_company(self, company_id: str):
        """The company picked from the matches ('' to choose again)."""
        if not self._may_choose() or not company_choice(company_id):
            return
        actor = self._staff_or_none()  # type: ignore[attr-defined]
        if actor is None:
            return
        name = self._company_name(actor, company_id) if company_id else ""
        errors = {k: v for k, v in self.errors.items() if k != "company"}  # type: ignore[attr-defined]
        self._put(company_value=company_id if name else "", company_label=name,  # type: ignore[attr-defined]
                  **CLOSED_MATCHES, errors=errors)


class NewDialog(rx.State, mixin=True):
    """"New ...": a form in a dialog with a submission id; made once however often it is sent,
    then the new thing's page opens."""

    new_open: bool = False
    new_key: int = 0
    submission_id: str = ""

    def _make(self, actor: Actor, form_data: dict) -> str:
        """Make the new thing from the form; the address of its page."""
        raise NotImplementedError

    def _new_fields(self) -> tuple[str, ...]:
        raise NotImplementedError

    @rx.event
    def open_new(self):
        if self._staff_or_none() is None:  # type: ignore[attr-defined]
            return
        self.submission_id = submissions.new_submission_id()
        self._put(new_open=True, errors={}, notice="")  # type: ignore[attr-defined]
        self.new_key += 1

    @rx.event
    def close_new(self, _open: Any = None, *_more: Any):
        # on_open_change (Escape, a click outside) sends an argument; Cancel's click another
        self._put(new_open=False, errors={})  # type: ignore[attr-defined]

    @rx.event
    async def create(self, form_data: dict):
        async for update in while_busy(self, self._create, form_data):
            yield update

    def _create(self, form_data: dict):
        if not isinstance(form_data, dict):
            return None
        done = self._made_once(form_data, lambda actor: self._make(actor, form_data),  # type: ignore[attr-defined]
                               shown=self.new_open, fields=self._new_fields(), at="new")
        if done is not None:
            self._put(new_open=False)  # type: ignore[attr-defined]
        return done


class CsvImport(rx.State, mixin=True):
    """A CSV import's row-by-row report (row, column, message): all imported, or nothing."""

    report: list[ReportRow] = []
    report_text: str = ""
    report_ok: bool = False
    importing: bool = False

    def _clear_report(self) -> None:
        self._put(report=[], report_text="", report_ok=False, importing=False)  # type: ignore[attr-defined]

    def _may_import(self) -> bool:
        return True

    async def _import(self, chunk_iter: Any, work: Callable[..., csv_import.ImportReport]) -> None:
        """Read the uploaded file (up to the size limit) and run `work(session=, actor=, data=)` as staff."""
        if not isinstance(chunk_iter, rx.UploadChunkIterator):
            return  # an event sent by hand over the socket, not an upload: nothing to read
        async with self:
            actor = self._staff_or_none()  # type: ignore[attr-defined]
            lang = self.lang  # type: ignore[attr-defined]
            allowed = actor is not None and self._may_import()
            if allowed:
                self._put(importing=True, report=[], report_text="", report_ok=False)  # type: ignore[attr-defined]
        data = await read_upload(chunk_iter, CSV_MAX_BYTES)
        if not allowed or data is None:
            async with self:
                self.importing = False
                if allowed:  # the drop zone let no file through (not a .csv): said, not silent
                    self._put(report=[], report_ok=False,  # type: ignore[attr-defined]
                              report_text=translate(lang, "error.catalog_csv_type"))
            return
        outcome: csv_import.ImportReport | None = None
        failure = ""
        try:
            outcome = await asyncio.to_thread(run_service, work, actor=actor, data=data)
        except ServiceError as exc:
            failure = next(iter(field_errors(exc, lang).values()), "")
        async with self:
            self.importing = False
            if outcome is None:
                self._put(report=[], report_text=failure, report_ok=False)  # type: ignore[attr-defined]
                return
            self._show_report(outcome, lang)
            if outcome.ok:
                self._imported()

    def _show_report(self, outcome: csv_import.ImportReport, lang: str) -> None:
        if outcome.ok:
            text = translate(lang, "admin.catalog.import_done_one" if outcome.rows == 1 else "admin.catalog.import_done",
                             rows=outcome.rows, created=outcome.created, updated=outcome.updated)
        else:
            text = translate(lang, "admin.catalog.import_refused", count=len(outcome.errors))
            if len(outcome.errors) > REPORT_ROWS:
                text += " " + translate(lang, "admin.catalog.import_more", count=REPORT_ROWS)
        self._put(report_ok=outcome.ok, report_text=text, report=[  # type: ignore[attr-defined]
            {"row": e.row, "column": e.column, "message": translate(lang, e.key, **e.params)}
            for e in outcome.errors[:REPORT_ROWS]])

    def _imported(self) -> None:
        """After a successful import: the page shows the new data."""
