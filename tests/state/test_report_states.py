"""The reports' states: what an Acme contact, a Globex contact and a collaborator are given (another
company's report and numbers never reach the tab), a report's chart and table in the reader's language,
the module switched off, and staff's new report, refused input, company box, preview and delete."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlmodel import select
from statekit import Portal, redirect_path

from portal_app.db import session_scope
from portal_app.models import Report, Ticket
from portal_app.services.portal.config import set_module_enabled
from portal_app.state.admin_reports import AdminReportsState, ReportEditorState, ReportPreviewState
from portal_app.state.reports import ReportsState, ReportState

ACME_ONLY = "Acme invoicing"  # the demo's report shared with Acme alone
BY_STATUS = "Support tickets by status"  # shared with every company


def _id(title: str) -> int:
    with session_scope() as s:
        return s.exec(select(Report.id).where(Report.title == title)).one()


def _tickets(portal: Portal, company: str, statuses: list[str]) -> None:
    """Tickets of `company` created now, one per status given."""
    now = datetime.now(UTC)
    with session_scope() as s:
        last = max(s.exec(select(Ticket.number)).all() or [0])
        creator = portal.account_id("user@acme.example.com")
        s.add_all(Ticket(number=last + n + 1, company_id=portal.company_id(company), created_by_id=creator, title="T",
                         description="D", category="support", severity=10, priority="normal", priority_rank=2,
                         status=status, created_at=now, updated_at=now) for n, status in enumerate(statuses))
        s.commit()


def _titles(portal: Portal, who: str) -> list[str]:
    inst = portal.state(ReportsState, who, url="/reports")
    portal.call(inst, "load")
    assert inst.loaded
    return [r["title"] for r in inst.rows]


def _open(portal: Portal, who: str, report_id: int, lang: str = "en"):
    page = portal.state(ReportState, who, url=f"/reports/{report_id}")
    page.lang = lang
    portal.call(page, "load")
    assert page.loaded
    return page


def test_each_company_lists_the_reports_shared_with_it(portal: Portal):
    # Acme's invoicing report is for who sees Acme's invoices: its primary contact, not its basic one
    assert _titles(portal, "acme_admin") == [ACME_ONLY, "Support tickets by category", BY_STATUS]
    assert _titles(portal, "acme_user") == ["Support tickets by category", BY_STATUS]
    assert _titles(portal, "globex_admin") == ["Support tickets by category", BY_STATUS]
    assert _titles(portal, "partner") == []  # a collaborator
    partner = portal.state(ReportsState, "partner", url="/reports")
    portal.call(partner, "load")
    assert partner.unavailable
    assert "Quarterly review (draft)" not in _titles(portal, "acme_admin")


def test_a_report_shows_the_readers_own_numbers_as_chart_and_table(portal: Portal):
    _tickets(portal, "Acme Oy", ["new", "new", "closed"])
    _tickets(portal, "Globex GmbH", ["resolved"] * 5)
    page = _open(portal, "acme_user", _id(BY_STATUS))
    assert page.found and page.title == BY_STATUS and page.window == "The last 12 months" and not page.empty
    assert page.kind == "tickets_by_status" and len(page.table_rows) == 12 == len(page.chart_rows)
    assert page.headers == ["New", "In progress", "Waiting for customer", "Waiting for support", "Resolved", "Closed"]
    now = datetime.now(UTC)
    assert page.table_rows[-1] == {"month": now.strftime("%b %Y"), "cells": ["2", "0", "0", "0", "0", "1"]}
    assert page.chart_rows[-1] == {"month": now.strftime("%b %Y"), "new": 2, "in_progress": 0,
                                   "waiting_customer": 0, "waiting_support": 0, "resolved": 0, "closed": 1}
    assert all(row["cells"] == ["0"] * 6 for row in page.table_rows[:-1])  # months without tickets: zero
    globex = _open(portal, "globex_admin", _id(BY_STATUS))
    assert globex.table_rows[-1]["cells"] == ["0", "0", "0", "0", "5", "0"]
    finnish = _open(portal, "acme_user", _id(BY_STATUS), lang="fi")
    assert finnish.headers[0] == "Uusi" and finnish.window == "Viimeiset 12 kuukautta"
    assert finnish.title == "Tukipyynnöt tiloittain" and finnish.description.startswith("Kunakin kuukautena")  # staff's Finnish
    assert finnish.text_lang == {"title": "fi", "description": "fi"} and page.text_lang["title"] == "en"
    assert finnish.table_rows[-1]["month"].endswith(str(now.year)) and finnish.table_rows[-1]["month"] != (
        page.table_rows[-1]["month"])


def test_money_is_shown_in_the_readers_format_and_an_empty_report_says_so(portal: Portal):
    page = _open(portal, "acme_admin", _id(ACME_ONLY))
    assert page.found and page.headers == ["Invoiced", "Paid"]
    assert all(re.fullmatch(r"€[\d,]+\.\d\d", cell) for row in page.table_rows for cell in row["cells"])
    german = _open(portal, "acme_admin", _id(ACME_ONLY), lang="de")
    assert all(re.fullmatch(r"[\d.]+,\d\d\xa0€", cell) for row in german.table_rows for cell in row["cells"])
    empty = _open(portal, "globex_admin", _id(BY_STATUS))  # no Globex tickets at all
    assert empty.found and empty.empty and all(row["cells"] == ["0"] * 6 for row in empty.table_rows)


def test_another_companys_report_is_not_found_and_gives_nothing_away(portal: Portal):
    _tickets(portal, "Acme Oy", ["new"])
    for who in ("globex_admin", "partner", "staff", "acme_user"):  # (Acme's basic contact: no invoices)
        page = _open(portal, who, _id(ACME_ONLY))
        assert not page.found and page.title == "" and page.table_rows == [] and page.chart_rows == []
        assert ACME_ONLY not in portal.public_text(page)
    for address in ("/reports/abc", "/reports/999999", f"/reports/{_id('Quarterly review (draft)')}"):
        page = portal.state(ReportState, "acme_user", url=address)
        portal.call(page, "load")
        assert page.loaded and not page.found


def test_the_module_switched_off_leaves_nothing_to_read(portal: Portal):
    page = _open(portal, "acme_user", _id(BY_STATUS))
    portal.call(page, "load_public")
    with session_scope() as s:
        set_module_enabled(session=s, actor=portal.actor("staff"), module="reports", enabled=False)
    assert _titles(portal, "acme_user") == []
    listing = portal.state(ReportsState, "acme_user", url="/reports")
    portal.call(listing, "load")
    assert listing.unavailable and listing.rows == []  # the shell says the module is not the user's
    assert not _open(portal, "acme_user", _id(BY_STATUS)).found
    portal.call(page, "follow_rights")  # the open page says the module is gone
    assert page.unavailable and "/reports" not in [item["href"] for item in page.nav_items]


def test_staff_makes_edits_previews_and_deletes_a_report(portal: Portal):
    editor = portal.state(ReportEditorState, "staff", url="/admin/reports/new")
    portal.call(editor, "load")
    assert editor.found and editor.report_id == 0 and editor.values["months"] == "12" and editor.submission_id
    portal.call(editor, "save", {"title": "", "kind": "", "months": "99", "submission_id": editor.submission_id})
    assert set(editor.errors) == {"title", "kind", "months"}  # every problem at once, nothing written
    portal.call(editor, "find_companies", "Glob")
    # the name, then its business ID and city (companies of like names told apart)
    assert [c["label"].split(" (")[0] for c in editor.company_matches] == ["Globex GmbH"]
    portal.call(editor, "set_company", editor.company_matches[0]["value"])
    assert editor.company_label == "Globex GmbH" and editor.company_matches == []
    form = {"title": "Globex tickets", "description": "Per month.", "kind": "tickets_by_status", "months": "6",
            "published": "on", "submission_id": editor.submission_id}
    path = redirect_path(portal.call(editor, "save", form))
    report_id = _id("Globex tickets")
    assert path == f"/admin/reports/{report_id}"
    assert redirect_path(portal.call(editor, "save", form)) == path  # sent twice: one report
    assert _titles(portal, "globex_admin") == ["Globex tickets", "Support tickets by category", BY_STATUS]
    assert "Globex tickets" not in _titles(portal, "acme_user")

    editor = portal.state(ReportEditorState, "staff", url=path)
    portal.call(editor, "load")
    assert editor.values["title"] == "Globex tickets" and editor.company_label == "Globex GmbH" and editor.published
    assert editor.values["title_de"] == "" and not editor.texts_open
    portal.call(editor, "save", {**form, "title_de": "x" * 201})  # said at the German title, which unfolds
    assert set(editor.errors) == {"title_de"} and editor.texts_open
    portal.call(editor, "save", {**form, "title_de": "Globex-Tickets"})
    assert editor.errors == {} and editor.values["title_de"] == "Globex-Tickets"
    german = portal.state(ReportsState, "globex_admin", url="/reports")
    german.lang = "de"
    portal.call(german, "load")
    assert "Globex-Tickets" in [r["title"] for r in german.rows]
    _tickets(portal, "Globex GmbH", ["in_progress"])
    preview = portal.state(ReportPreviewState, "staff", url=path)
    portal.call(preview, "load")  # shared with Globex alone: Globex's numbers at once
    assert preview.company_label == "Globex GmbH" and preview.kind == "tickets_by_status"
    assert len(preview.table_rows) == 6 and preview.table_rows[-1]["cells"] == ["0", "1", "0", "0", "0", "0"]
    portal.call(preview, "set_company", "")
    portal.call(preview, "find_companies", "Acme")
    portal.call(preview, "set_company", preview.company_matches[0]["value"])  # Acme's numbers, to look at
    assert preview.company_label == "Acme Oy" and preview.table_rows[-1]["cells"] == ["0", "0", "0", "0", "0", "0"]
    assert portal.call(editor, "save", {**form, "months": "3"}) == [ReportPreviewState.refresh]
    assert editor.company_label == "Globex GmbH" and editor.notice == "Report saved."  # still Globex's report
    portal.call(preview, "refresh")  # what the save asks for next: the preview follows the saved months
    assert len(preview.table_rows) == 3 and preview.company_label == "Acme Oy"
    assert "Globex tickets" not in _titles(portal, "acme_user")
    portal.call(editor, "set_company", "")  # every company: saved so, its draft unticked
    portal.call(editor, "save", {k: v for k, v in form.items() if k != "published"})
    assert editor.notice == "Report saved." and not editor.published and editor.errors == {}
    portal.call(preview, "load")  # shared with every company: no company's numbers until one is picked
    assert preview.company_value == "" and preview.kind == "" and preview.table_rows == []

    listing = portal.state(AdminReportsState, "staff", url="/admin/reports")
    portal.call(listing, "load")
    row = next(r for r in listing.rows if r["title"] == "Globex tickets")
    assert (row["company"], row["kind"], row["published"]) == ("All companies", "Tickets by status per month", False)
    portal.call(listing, "set_status", "draft")  # the drafts, in the address
    assert listing.view_url == "/admin/reports?status=draft" and "Globex tickets" in [r["title"] for r in listing.rows]
    assert not any(r["published"] for r in listing.rows)
    portal.call(listing, "search", {"q": "globex"})
    assert [r["title"] for r in listing.rows] == ["Globex tickets"] and listing.page_text.endswith("(1 report)")
    assert redirect_path(portal.call(editor, "delete")) == "/admin/reports"
    with session_scope() as s:
        assert s.get(Report, report_id) is None


def test_each_kinds_chart_is_drawn_from_the_states_rows():
    """The chart of every kind takes its data from `chart_rows`, one bar per series of the kind."""
    from portal_app.components.report_chart import report_chart
    from portal_app.services.reports.report_kinds import KINDS
    from statekit import rendered_props

    charts = rendered_props(report_chart(ReportState, "caption").render(), ("RechartsBarChart",))
    bars = rendered_props(report_chart(ReportState, "caption").render(), ("RechartsBar",))
    assert len(charts) == len(KINDS) and all("chart_rows" in c["data"] for c in charts)
    assert sorted(b["dataKey"].strip('"') for b in bars) == sorted(s for k in KINDS for s in k.series)
