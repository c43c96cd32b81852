"""Admin panel, reports: every report (/admin/reports) and one report's form (/admin/reports/new,
/admin/reports/<id>) with a preview of its chart for one company."""

import reflex as rx

from ..components.admin_catalog import staff_top
from ..components.company_search import company_search
from ..components.forms import field_attrs, field_error, submission_field, submit_button, warn_unsaved
from ..components.i18n import t
from ..components.limits import max_length
from ..components.link_button import link_button
from ..components.report_chart import report_chart
from ..components.shell import card, page
from ..components.translated_texts import translated_texts
from ..components.url_list import filter_bar, list_table
from ..components.staff_editor import WRAP, published_badge, staff_editor_page
from ..models import MONTHS_MAX, MONTHS_MIN
from ..services.reports.report_kinds import KIND_KEYS
from ..services.reports.reports import STAFF_STATUSES
from ..state.admin_reports import AdminReportsState as L
from ..state.admin_reports import ReportEditorState as E
from ..state.admin_reports import ReportPreviewState as P

LABEL = {"fontWeight": 500, "fontSize": "14px"}


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["title"].to(str), href="/admin/reports/" + row["id"].to(int).to_string(), style=WRAP),
                      data_label=t("reports.col.title")),
        rx.table.cell(row["kind"].to(str), data_label=t("reports.col.kind")),
        rx.table.cell(rx.text(row["company"].to(str), style=WRAP), data_label=t("reports.col.company")),
        rx.table.cell(published_badge(row["published"].to(bool), "reports"), data_label=t("reports.col.status")),
        rx.table.cell(row["updated"].to(str), data_label=t("reports.col.updated")),
    )


@page(route="/admin/reports", title="Reports", access="staff", on_load=[L.load], self_guarded=True)
def admin_reports_page() -> rx.Component:
    return card(
        *staff_top("admin.reports", "admin.reports_intro", L),
        rx.hstack(link_button(t("reports.new"), href="/admin/reports/new", style={"whiteSpace": "nowrap"})),
        filter_bar(L, statuses=STAFF_STATUSES, status_key="reports.status", search_key="reports.search",
                   extra=company_search(L, input_id="reports-company", label=t("reports.col.company"),
                                        clear_label=t("tickets.company_any"))),
        list_table(L, _row, none_key="reports.none_admin", none_match_key="reports.none_match",
                   empty_action=rx.link(t("reports.new"), href="/admin/reports/new")),
    )


def _labelled(label_key: str, name: str, control: rx.Component) -> rx.Component:
    return rx.box(
        rx.el.label(t(label_key), html_for=f"report-{name}", style=LABEL),
        control,
        field_error(E.errors, name),
        width="100%",
    )


def _report_form() -> rx.Component:
    kinds = [("", t("reports.choose_kind")), *[(k, t(f"reports.kind.{k}")) for k in KIND_KEYS]]
    return rx.form(
        rx.vstack(
            submission_field(E.submission_id),
            _labelled("reports.f.title", "title", rx.input(
                id="report-title", name="title", default_value=E.values["title"].to(str), width="100%",
                max_length=max_length("report", "title"), **field_attrs(E.errors, "title"))),
            _labelled("reports.f.description", "description", rx.text_area(
                id="report-description", name="description", default_value=E.values["description"].to(str), rows="4",
                width="100%", max_length=max_length("report", "description"),
                **field_attrs(E.errors, "description"))),
            translated_texts(E.values, E.errors, form="report", id_prefix="report", open_=E.texts_open,
                             fields=(("title", "translations.f.title", False),
                                     ("description", "translations.f.description", True))),
            rx.hstack(
                _labelled("reports.f.kind", "kind", rx.el.select(
                    *[rx.el.option(label, value=value) for value, label in kinds], id="report-kind", name="kind",
                    default_value=E.values["kind"].to(str), **field_attrs(E.errors, "kind"),
                    style={"padding": "6px", "display": "block", "maxWidth": "100%"})),
                _labelled("reports.f.months", "months", rx.input(
                    id="report-months", name="months", type="number", min=MONTHS_MIN, max=MONTHS_MAX,
                    default_value=E.values["months"].to(str), width="100px", max_length=max_length("report", "months"),
                    **field_attrs(E.errors, "months"))),
                spacing="5", wrap="wrap", width="100%",
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="published", default_checked=E.published, id="report-published",
                            **field_attrs(E.errors, "published")),
                rx.text(t("reports.f.published"), as_="span", size="2"),
                html_for="report-published", style={"display": "inline-flex", "gap": "6px", "alignItems": "center"},
            ),
            field_error(E.errors, "published"),
            submit_button(rx.cond(E.report_id == 0, t("reports.create"), t("reports.save")), E.busy),
            spacing="3", width="100%",
        ),
        on_submit=E.save, key=E.form_key, width="100%", custom_attrs=warn_unsaved(),
        no_validate=True,  # the server's message next to the field, in the page's language (months: 3 to 24)
    )


def _company_box() -> rx.Component:
    """Outside the form (its search box is no field of the report: Enter there must not save)."""
    return rx.box(
        company_search(E, input_id="report-company", errors=E.errors, label=t("reports.f.company"),
                       clear_label=t("reports.all_companies")),
        rx.text(rx.cond(E.company_value == "", t("reports.f.company_all"), t("reports.f.company_one")),
                size="1", color="var(--gray-11)"),
        field_error(E.errors, "company"),
        width="100%",
    )


def _preview() -> rx.Component:
    """Its own company box: a company picked to look at its numbers is not whom the report is shared with."""
    return rx.vstack(
        rx.heading(t("reports.preview"), size="3", as_="h2"),
        rx.text(t("reports.preview_hint"), size="2", color="var(--gray-11)"),
        company_search(P, input_id="preview-company", label=t("reports.preview_company"),
                       clear_label=t("reports.preview_other")),
        rx.cond(P.errors.contains("preview"),
                rx.text(P.errors["preview"].to(str), color="var(--red-11)", size="2", role="alert")),
        rx.cond(P.kind != "", report_chart(P, t("reports.preview"))),
        spacing="2", width="100%", style={"minWidth": 0},
    )


@page(route="/admin/reports/[id]", title="Report", access="staff", on_load=[E.load, P.load])
def admin_report_page() -> rx.Component:
    # no link to /reports/<id>: a report's numbers are a company's, and staff's preview below picks one
    return staff_editor_page(E, keys="reports", list_href="/admin/reports", row_id=E.report_id,
                             form=(_company_box(), _report_form()), saved_extra=(_preview(),))
