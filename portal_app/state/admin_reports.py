"""Admin panel, reports: every report (/admin/reports); one report's form, new (/admin/reports/new)
or existing (/admin/reports/<id>), with its company chosen in the company box (none: every company),
delete, and a preview of the saved report's numbers for a company picked in the preview's own box
(looking at a company's numbers never changes whom the report is shared with). Every handler checks
staff in the service (`actor.require_staff`)."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx

from ..models import MONTHS_DEFAULT
from ..services.actor import Actor
from ..services.errors import ServiceError
from ..services.reports import reports
from ..services.translations import form_values, refused_in
from .base import field_errors, last_segment, run_service
from .catalog.admin_base import CompanyFilter, StaffList
from .company_picker import CLOSED_MATCHES, CompanyPicker
from .reports import NO_CHART, ChartVars, chart_values
from .session import SessionState
from .staff_editor import StaffEditor
from .url_list import PAGE_SIZE, ListSpec

FORM_FIELDS = ("title", "description", "kind", "months")
TRANSLATED_FIELDS = tuple(form_values({}, reports.REPORT_TEXTS))  # title_fi, description_fi, ...
ERROR_FIELDS = (*FORM_FIELDS, *TRANSLATED_FIELDS, "company", "published")
NEW_REPORT = {"title": "", "description": "", "kind": "", "months": str(MONTHS_DEFAULT),
              **dict.fromkeys(TRANSLATED_FIELDS, "")}


STAFF_REPORTS = ListSpec(path="/admin/reports", statuses=reports.STAFF_STATUSES, sorts=reports.STAFF_SORTS,
                         default_sort="-updated", columns=("title", "kind", "company", "status", "updated"),
                         label_prefix="reports.col", extra=("company",))


class AdminReportRow(TypedDict):
    id: int
    title: str
    kind: str
    company: str
    published: bool
    updated: str


class AdminReportsState(CompanyFilter, StaffList, SessionState):
    """Every report, a page at a time: published or draft, a search, one company's, sort and page in
    the address."""

    rows: list[AdminReportRow] = []

    def _spec(self) -> ListSpec:
        return STAFF_REPORTS

    def _fill(self, actor: Actor) -> None:
        sort, descending = self._sort()
        page = run_service(reports.staff_reports, actor=actor, status=self._query.get("status"),
                           search=self._query.get("q", ""), sort=sort, descending=descending,
                           offset=self._offset(), limit=PAGE_SIZE, company_id=self._query.get("company"))
        self._show_company(actor)
        self._put(rows=[{
            "id": r.id, "title": r.title, "kind": self._t(f"reports.kind.{r.kind}"),
            "company": r.company_name or self._t("reports.all_companies"), "published": r.published,
            "updated": self._when(r.updated_at)} for r in page.rows])
        self._show_page(page.total, "reports.page_of")


class ReportEditorState(CompanyPicker, StaffEditor, SessionState):
    """One report's form: `report_id` 0 is a new one (/admin/reports/new)."""

    def _list_path(self) -> str:
        return "/admin/reports"

    def _error_fields(self) -> tuple[str, ...]:
        return ERROR_FIELDS

    report_id: int = 0
    values: dict[str, str] = NEW_REPORT
    published: bool = False

    def _row_id(self) -> int:
        return self.report_id

    def _fetch(self, actor: Actor, wanted: str) -> reports.ReportRow:
        return run_service(reports.staff_report, actor=actor, report_id=wanted)

    texts_open: bool = False  # "In other languages" unfolded: texts written there, or a message

    @staticmethod
    def _values(report: reports.ReportRow) -> dict[str, str]:
        return {"title": report.title, "description": report.description, "kind": report.kind,
                "months": str(report.months), **form_values(report.translations, reports.REPORT_TEXTS)}

    def _refused(self, exc: ServiceError) -> None:
        super()._refused(exc)
        self._put(texts_open=self.texts_open or refused_in(self.errors, reports.REPORT_TEXTS))

    def _show(self, report: reports.ReportRow | None) -> None:
        if report is None:
            self._put(found=True, report_id=0, values=dict(NEW_REPORT), published=False, company_value="",
                      company_label="", texts_open=False)
        else:
            self._put(found=True, report_id=report.id, published=report.published, values=self._values(report),
                      company_value=str(report.company_id or ""), company_label=report.company_name,
                      texts_open=bool(report.translations))
        self._put(**CLOSED_MATCHES)

    def _hide(self) -> None:
        self._put(found=False, report_id=0, values=dict(NEW_REPORT))

    def _write(self, actor: Actor, form_data: dict[str, Any]) -> reports.ReportRow:
        data = {name: form_data.get(name, "") for name in (*FORM_FIELDS, *TRANSLATED_FIELDS)}
        data["published"] = form_data.get("published") == "on"  # an unticked box is not sent
        data["company"] = self.company_value
        return run_service(reports.save_report, actor=actor, report_id=self.report_id or None, data=data,
                           submission_id=None if self.report_id else form_data.get("submission_id"))

    def _saved(self, saved: reports.ReportRow) -> None:
        self._put(errors={}, notice=self._t("reports.saved"), published=saved.published, values=self._values(saved))

    def _remove(self, actor: Actor) -> None:
        run_service(reports.delete_report, actor=actor, report_id=self.report_id)

    @rx.event
    def set_company(self, company_id: str):
        """The report's company, picked from the matches ('' to share it with every company)."""
        chosen = self._company_arg(company_id)
        if self.found and chosen is not None:
            self._pick_company(chosen)  # (the company's name is read through staff's directory service)

    def _save(self, form_data: dict[str, Any]):
        result = super()._save(form_data)
        if result is None and self.report_id and not self.errors:
            return ReportPreviewState.refresh  # the kind or the months may have changed
        return result


class ReportPreviewState(CompanyPicker, ChartVars, SessionState):
    """The preview under a saved report's form (/admin/reports/<id>): its numbers for the company
    picked in this box, which is not the form's. A report shared with one company opens with that
    company's numbers."""

    errors: dict[str, str] = {}  # "preview": why there are no numbers to show (the report was deleted meanwhile)

    @rx.event
    def load(self):
        self._put(company_value="", company_label="", **CLOSED_MATCHES, errors={}, **NO_CHART)
        wanted = last_segment(self)
        if wanted == "new":
            return
        try:
            report = run_service(reports.staff_report, actor=self._require_actor(), report_id=wanted)
        except ServiceError:
            return
        if report.company_id:
            self._put(company_value=str(report.company_id), company_label=report.company_name)
            self._show_numbers()

    @rx.event
    def set_company(self, company_id: str):
        """Show the saved report's numbers for the company picked ('' to pick another)."""
        chosen = self._company_arg(company_id)
        if chosen is None:
            return
        self._pick_company(chosen)
        self._show_numbers()

    @rx.event
    def refresh(self):
        """The numbers again (after the report was saved)."""
        self._show_numbers()

    def _show_numbers(self) -> None:
        if not self.company_value:
            self._put(**NO_CHART)
            return
        try:
            chart = run_service(reports.preview, actor=self._require_actor(), report_id=last_segment(self),
                                company_id=self.company_value)
        except ServiceError as exc:
            self._put(errors={"preview": next(iter(field_errors(exc, self.lang).values()), "")}, **NO_CHART)
            return
        self._put(errors={}, **chart_values(chart.numbers, self.lang))
