"""Admin panel, companies: search, create, and edit one company (its contacts: ContactsState)."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx

from ..models import COMPANY_FIELDS
from ..services import submissions
from ..services.companies import directory
from ..services.errors import NotAuthenticated, NotFound, ServiceError, ValidationFailed
from ..services.events.event_rules import shown_company_name
from .base import field_errors, run_service, search_text, while_busy
from .paging import PAGE_SIZE, PagedRows
from .profile import FieldFormState, FieldRow
from .session import SessionState


class CompanyRow(TypedDict):
    id: int
    name: str
    business_id: str
    city: str
    country: str


class AdminCompaniesState(PagedRows, SessionState):
    rows: list[CompanyRow] = []
    query: str = ""
    dialog_open: bool = False
    new_fields: list[FieldRow] = []
    form_key: int = 0
    busy: bool = False  # a form is being sent: its button waits (state.base.while_busy)
    submission_id: str = ""  # the "New company" form's: one company per form shown, however often it is sent

    def _load(self) -> None:
        actor = self._require_actor()
        companies, self.total = run_service(directory.list_companies, actor=actor, query=self.query,
                                            offset=(self.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        self.rows = [{"id": c.id, "name": shown_company_name(c.name, self._t), "business_id": c.business_id,
                      "city": c.city, "country": c.country} for c in companies]

    def _clear(self) -> None:
        self.rows, self.total = [], 0

    def _view_params(self) -> dict[str, str]:
        return {"q": self.query}

    @rx.event
    def load(self):
        # the view is the address's: a search made on an earlier visit is not kept
        self.query = search_text(self.router.url.query_parameters.get("q", ""))
        self.notice, self.errors, self.dialog_open = "", {}, False
        self._open()

    @rx.event
    def search(self, form_data: dict):
        self.query = search_text(form_data.get("q") if isinstance(form_data, dict) else "")
        self.page = 1
        self._show()

    def _new_fields(self, values: dict) -> list[FieldRow]:
        return [{"name": n, "label": self._t(f"field.company.{n}"), "value": str(values.get(n, ""))[:300],
                 "editable": True} for n in COMPANY_FIELDS]

    @rx.event
    def open_new(self):
        self.errors = {}
        self.new_fields = self._new_fields({})
        self.submission_id = submissions.new_submission_id()
        self.form_key += 1
        self.dialog_open = True

    @rx.event
    def close_dialog(self, _open: Any = None, *_more):
        # the dialog's on_open_change (Escape, a click outside) sends its argument by name
        self.dialog_open = False
        self.errors = {}

    @rx.event
    async def create(self, form_data: dict):
        async for update in while_busy(self, self._create, form_data):
            yield update

    def _create(self, form_data: dict):
        try:
            actor = self._require_actor()
            sid = form_data.get("submission_id") if isinstance(form_data, dict) else None
            company = run_service(directory.create_company, actor=actor, data=form_data, submission_id=sid)
        except NotAuthenticated:
            return
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            if isinstance(form_data, dict):
                self.new_fields = self._new_fields(form_data)
                self.form_key += 1
            return
        self.dialog_open = False
        self.submission_id = submissions.new_submission_id()
        self.notice = self._t("admin.company_created", name=company.name)
        self._run()
        return rx.redirect(f"/admin/company?id={company.id}")


class AdminCompanyState(FieldFormState):
    """One company's fields, for staff (every field editable)."""

    company_name: str = ""
    _company_id: int = 0

    def _fill(self, company) -> None:  # noqa: ANN001
        self.company_name = shown_company_name(company.name, self._t)
        self._show([{"name": n, "label": self._t(f"field.company.{n}"), "value": str(getattr(company, n) or ""),
                     "editable": True} for n in COMPANY_FIELDS])

    @rx.event
    def load(self):
        self.errors, self.notice, self.company_name, self.loaded = {}, "", "", False
        self.fields, self._told = [], {}
        try:
            actor = self._require_actor()
            company = run_service(directory.get_company, actor=actor,
                                  company_id=self.router.url.query_parameters.get("id"))
        except ServiceError as exc:
            self.errors, self._company_id = field_errors(exc, self.lang), 0
            if isinstance(exc, NotFound | ValidationFailed):  # no such company, or no id ("abc"): said so
                self.company_name = self._t("admin.company_not_found")
            return
        self._company_id = company.id
        self._fill(company)
        self.loaded = True

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        self.notice = ""
        try:
            actor = self._require_actor()
            company = run_service(directory.update_company, actor=actor, company_id=self._company_id,
                                  data=form_data, seen=self._seen())
        except ServiceError as exc:
            self._refused(exc)
            return
        self.errors = {}
        self._fill(company)
        self.notice = self._t("admin.company_saved")
