"""Admin panel, reports: every report (/admin/reports); one report's form, new (/admin/reports/new)
or existing (/admin/reports/<id>), with its company chosen in the company box (none: every company),
delete, and a preview of its numbers for the chosen company. Every handler checks staff in the
service (`actor.require_staff`)."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx

from ..i18n import format_when
from ..models import MONTHS_DEFAULT
from ..services.actor import Actor
from ..services.errors import NotAuthenticated, ServiceError
from ..services.reports import reports
from .base import field_errors, run_service
from .company_picker import CompanyPicker
from .reports import NO_CHART, ChartVars, chart_values
from .session import SessionState
from .staff_editor import StaffEditor

FORM_FIELDS = ("title", "description", "kind", "months")
ERROR_FIELDS = (*FORM_FIELDS, "company", "published")
NEW_REPORT = {"title": "", "description": "", "kind": "", "months": str(MONTHS_DEFAULT)}


class AdminReportRow(TypedDict):
    id: int
    title: str
    kind: str
    company: str
    published: bool
    updated: str


class AdminReportsState(SessionState):
    rows: list[AdminReportRow] = []
    error: str = ""

    @rx.event
    def load(self):
        try:
            found = run_service(reports.staff_reports, actor=self._require_actor())
        except ServiceError as exc:
            self._put(rows=[], error="" if isinstance(exc, NotAuthenticated) else
                      next(iter(field_errors(exc, self.lang).values()), ""))
            return
        self._put(error="", rows=[{
            "id": r.id, "title": r.title, "kind": self._t(f"reports.kind.{r.kind}"),
            "company": r.company_name or self._t("reports.all_companies"), "published": r.published,
            "updated": format_when(r.updated_at, self.lang)} for r in found])


class ReportEditorState(CompanyPicker, ChartVars, StaffEditor, SessionState):
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

    @staticmethod
    def _values(report: reports.ReportRow) -> dict[str, str]:
        return {"title": report.title, "description": report.description, "kind": report.kind,
                "months": str(report.months)}

    def _show(self, report: reports.ReportRow | None) -> None:
        if report is None:
            self._put(found=True, report_id=0, values=dict(NEW_REPORT), published=False, company_value="",
                      company_label="")
        else:
            self._put(found=True, report_id=report.id, published=report.published, values=self._values(report),
                      company_value=str(report.company_id or ""), company_label=report.company_name)
        self._put(company_matches=[], **NO_CHART)

    def _hide(self) -> None:
        self._put(found=False, report_id=0, values=dict(NEW_REPORT), **NO_CHART)

    def _write(self, actor: Actor, form_data: dict[str, Any]) -> reports.ReportRow:
        data = {name: form_data.get(name, "") for name in FORM_FIELDS}
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

    @rx.event
    def show_preview(self):
        """The saved report's numbers for the company in the company box."""
        if not self.report_id or not self.company_value:
            return
        try:
            chart = run_service(reports.preview, actor=self._require_actor(), report_id=self.report_id,
                                company_id=self.company_value)
        except ServiceError as exc:
            self._refused(exc)
            self._put(**NO_CHART)
            return
        self._put(**chart_values(chart.numbers, self.lang))
