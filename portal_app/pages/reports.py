"""/reports and /reports/<id>: the reports staff shares with the reader's company, each a chart of
the company's own numbers per month with the same numbers as a table."""

import reflex as rx

from ..components.i18n import t
from ..components.report_chart import report_chart
from ..components.shell import card, page
from ..state.reports import ReportsState as L
from ..state.reports import ReportState as R

MUTED = "var(--gray-11)"
WRAP = {"overflowWrap": "anywhere", "whiteSpace": "pre-line"}


def _report(item: rx.Var) -> rx.Component:
    return rx.box(
        rx.link(rx.heading(item["title"].to(str), size="4", as_="h2", style={"overflowWrap": "anywhere"},
                           lang=item["text_lang"]["title"].to(str)),
                href=item["href"].to(str)),
        rx.cond(item["description"].to(str) != "",
                rx.text(item["description"].to(str), size="2", color=MUTED, margin_top="4px", style=WRAP,
                        lang=item["text_lang"]["description"].to(str))),
        width="100%", padding_y="8px", border_bottom="1px solid var(--gray-4)",
    )


@page(route="/reports", title="Reports", on_load=[L.load])
def reports_page() -> rx.Component:
    return card(
        rx.heading(t("reports.title"), size="6", as_="h1"),
        rx.text(t("reports.intro"), color=MUTED),
        rx.cond(L.rows.length() > 0, rx.vstack(rx.foreach(L.rows, _report), spacing="1", width="100%"),
                rx.cond(L.loaded, rx.text(t("reports.none_yet"), color=MUTED, role="status"))),
    )


@page(route="/reports/[id]", title="Report", on_load=[R.load], tab_title=rx.cond(R.found, R.title, ""))
def report_page() -> rx.Component:
    return card(
        rx.link(t("reports.back"), href="/reports"),
        rx.cond(
            R.found,
            rx.vstack(
                rx.heading(R.title, size="6", as_="h1", style={"overflowWrap": "anywhere"}, lang=R.text_lang["title"].to(str)),
                rx.text(R.window, size="2", color=MUTED),
                rx.cond(R.description != "", rx.text(R.description, style=WRAP, lang=R.text_lang["description"].to(str))),
                report_chart(R, R.title, R.text_lang["title"].to(str)),
                spacing="3", width="100%", style={"minWidth": 0},
            ),
            rx.cond(R.loaded, rx.vstack(
                rx.heading(t("reports.not_found"), size="6", as_="h1"),
                rx.text(t("reports.not_found_body"), color=MUTED),
                role="status",
            )),
        ),
    )
