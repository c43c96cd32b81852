"""/reports and /reports/<id>: the reports shared with the reader's company, and one report's chart
and table of the reader's own company's numbers (services/reports/reports.py decides who reads which)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

import reflex as rx
from babel.dates import format_date

from ..i18n import format_money, format_number, normalize_language, translate
from ..services.errors import ServiceError
from ..services.reports import reports
from ..services.reports.report_kinds import ReportNumbers
from .base import last_segment, run_service
from .session import SessionState


class ReportItem(TypedDict):
    id: int
    title: str
    description: str
    text_lang: dict[str, str]  # "title", "description": the language each is in
    href: str


class TableRow(TypedDict):
    month: str
    cells: list[str]


def month_label(day: date, lang: str) -> str:
    """"Mar 2026", "maalis 2026", "März 2026": a month in the reader's language."""
    return format_date(day, format="LLL yyyy", locale=normalize_language(lang))


def chart_values(found: ReportNumbers, lang: str) -> dict[str, Any]:
    """A report's numbers as the chart and the table show them (`components/report_chart.py`): the
    chart's rows (money in euros), and the table's headers and cells, formatted in `lang`."""
    kind = found.kind
    months = [month_label(d, lang) for d in found.months]
    scale = 100 if kind.money else 1
    shown = (lambda n: format_money(n, "EUR", lang)) if kind.money else (lambda n: format_number(n, lang))
    return {
        "kind": kind.key,
        "empty": found.empty,
        "chart_rows": [{"month": m, **{s: found.values[s][i] / scale if kind.money else found.values[s][i]
                                       for s in kind.series}} for i, m in enumerate(months)],
        "headers": [translate(lang, kind.label_prefix + s) for s in kind.series],
        "table_rows": [{"month": m, "cells": [shown(found.values[s][i]) for s in kind.series]}
                       for i, m in enumerate(months)],
    }


NO_CHART: dict[str, Any] = {"kind": "", "empty": True, "chart_rows": [], "headers": [], "table_rows": []}


class ChartVars(rx.State, mixin=True):
    """The vars of one report's chart and table (`components/report_chart.py`)."""

    kind: str = ""
    empty: bool = True
    chart_rows: list[dict[str, Any]] = []
    headers: list[str] = []
    table_rows: list[TableRow] = []


class ReportsState(SessionState):
    rows: list[ReportItem] = []
    loaded: bool = False

    @rx.event
    def load(self):
        actor = self._actor()
        if actor is not None and not reports.reads_reports(actor):  # not this user's module (now)
            self._put(loaded=True, rows=[])
            self._show_unavailable()
            return
        try:
            found = run_service(reports.list_reports, actor=actor, lang=self.lang)
        except ServiceError:
            found = []
        self._put(loaded=True, rows=[{"id": r.id, "title": r.title, "description": r.description,
                                      "text_lang": r.text_langs, "href": f"/reports/{r.id}"} for r in found])


class ReportState(ChartVars, SessionState):
    found: bool = False
    loaded: bool = False
    title: str = ""
    description: str = ""
    text_lang: dict[str, str] = {}  # "title", "description": the language each is in
    window: str = ""  # "The last 12 months"

    @rx.event
    def load(self):
        try:
            chart = run_service(reports.get_report, actor=self._actor(), report_id=last_segment(self),
                                lang=self.lang)
        except ServiceError:  # not found, not the reader's, or not an id
            self._put(found=False, loaded=True, title="", description="", window="", **NO_CHART)
            return
        self._put(found=True, loaded=True, title=chart.report.title, description=chart.report.description,
                  text_lang=chart.report.text_langs,
                  window=self._t("reports.window", months=chart.report.months),
                  **chart_values(chart.numbers, self.lang))
