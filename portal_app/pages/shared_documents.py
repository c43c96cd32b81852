"""/documents: the files staff has shared with the reader's company, each downloaded with a click."""

import reflex as rx

from ..components.catalog_doc import doc_status_badge
from ..components.download import download_link
from ..components.i18n import t
from ..components.invoice_view import RIGHT, WRAP
from ..components.live_tick import live_tick
from ..components.shell import NARROW, card, page
from ..components.url_list import filter_bar, list_table
from ..services.documents.shared_files import CATEGORIES
from ..state.shared_documents import SharedDocumentListState as L

CATEGORY_COLORS = {"quote": "amber", "contract": "violet", "other": "gray"}
MUTED = "var(--gray-11)"


def document_title(item: rx.Var) -> rx.Component:
    """The title as the file's download link (named by the file too), the description under it."""
    return rx.vstack(
        download_link(rx.text(item["title"].to(str), as_="span", weight="medium", style=WRAP,
                              lang=item["text_lang"]["title"].to(str)), item["href"].to(str),
                      title=item["file_name"].to(str)),
        rx.text(item["file_name"].to(str), size="1", color=MUTED, style=WRAP),
        rx.cond(item["description"].to(str) != "",
                rx.text(item["description"].to(str), size="2", color=MUTED, lang=item["text_lang"]["description"].to(str),
                        style={**WRAP, "whiteSpace": "pre-line"})),
        spacing="1", align="start", min_width="0",
        style={NARROW: {"flexBasis": "100%"}},  # a phone's card: under its label, short or long alike
    )


def category_badge(item: rx.Var) -> rx.Component:
    return doc_status_badge(item["category"].to(str), item["category_label"].to(str), CATEGORY_COLORS)


def _row(item: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(document_title(item), data_label=t("documents.col.title")),
        rx.table.cell(category_badge(item), data_label=t("documents.col.category")),
        rx.table.cell(item["size"].to(str), style={**RIGHT, "whiteSpace": "nowrap"}, data_label=t("documents.col.size")),
        rx.table.cell(item["shared"].to(str), data_label=t("documents.col.shared")),
    )


@page(route="/documents", title="Documents", on_load=[L.load], self_guarded=True)
def documents_page() -> rx.Component:
    return card(
        rx.heading(t("documents.title"), size="6", as_="h1"),
        rx.text(t("documents.intro"), size="2", color=MUTED),
        filter_bar(L, statuses=CATEGORIES, status_key="documents.category", search_key="documents.search",
                   label_key="documents.col.category", any_key="documents.any_category"),
        list_table(L, _row, none_key="documents.none_yet", none_match_key="documents.none_match"),
        live_tick(L.tick, 3000),  # a document staff shares, changes or deletes shows without a reload
    )
