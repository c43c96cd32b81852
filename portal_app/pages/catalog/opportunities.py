"""/opportunities: the company's open sales opportunities, read-only."""

import reflex as rx

from ...components.catalog_doc import doc_status_badge
from ...components.i18n import t
from ...components.invoice_view import RIGHT, WRAP
from ...components.shell import card, page
from ...components.url_list import filter_bar, list_table
from ...services.catalog.catalog_rules import OPEN_STAGES
from ...state.catalog.opportunities import OpportunityListState as L

STAGE_COLORS = {"prospecting": "gray", "qualification": "blue", "proposal": "amber", "negotiation": "violet"}


def _row(item: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(item["name"].to(str), weight="medium", style=WRAP), data_label=t("opportunities.col.name")),
        rx.table.cell(doc_status_badge(item["stage"].to(str), item["stage_label"].to(str), STAGE_COLORS),
                      data_label=t("opportunities.col.stage")),
        rx.table.cell(item["amount"].to(str), style=RIGHT, data_label=t("opportunities.col.amount")),
        rx.table.cell(item["probability"].to(str), style=RIGHT, data_label=t("opportunities.col.probability")),
        rx.table.cell(item["expected_close"].to(str), data_label=t("opportunities.col.expected_close")),
        rx.table.cell(item["owner"].to(str), style=WRAP, data_label=t("opportunities.col.owner")),
    )


@page(route="/opportunities", title="Opportunities", on_load=[L.load], self_guarded=True)
def opportunities_page() -> rx.Component:
    return card(
        rx.heading(t("opportunities.title"), size="6", as_="h1"),
        rx.text(t("opportunities.intro"), size="2", color="var(--gray-11)"),
        filter_bar(L, statuses=OPEN_STAGES, status_key="catalog.stage", search_key="opportunities.search",
                   label_key="opportunities.col.stage", any_key="opportunities.any_stage"),
        list_table(L, _row, none_key="opportunities.none_yet", none_match_key="opportunities.none_match"),
    )
