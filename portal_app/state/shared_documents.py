"""/documents: the files staff has shared with the reader's company (the Documents module): category
filter ("status" in the query), search, sort and pages in the address; each row downloads its file.
The list is live: a document staff shares, changes or deletes shows without a reload."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..i18n import format_size
from ..services import live
from ..services.documents import shared_files
from ..services.documents.shared_files import CATEGORIES, DOCUMENT_SORTS, DocumentRow
from .base import run_service
from .session import SessionState
from .url_list import PAGE_SIZE, ListSpec, UrlList

DOCUMENT_LIST = ListSpec(path="/documents", statuses=CATEGORIES, sorts=DOCUMENT_SORTS, default_sort="-shared",
                         columns=("title", "category", "size", "shared"), label_prefix="documents.col")


class DocumentItem(TypedDict):
    id: int
    title: str
    description: str
    text_lang: dict[str, str]  # "title", "description": the language each is in
    category: str
    category_label: str
    file_name: str
    size: str
    shared: str
    href: str  # the download


def document_item(row: DocumentRow, lang: str, t, when) -> DocumentItem:  # noqa: ANN001  (the state's `_t`, `_when`)
    return {"id": row.id, "title": row.title, "description": row.description, "text_lang": row.text_langs,
            "category": row.category,
            "category_label": t(f"documents.category.{row.category}"), "file_name": row.file_name,
            "size": format_size(row.size, lang), "shared": when(row.created_at),
            "href": f"/api/documents/{row.id}"}


class SharedDocumentListState(UrlList, SessionState):
    rows: list[DocumentItem] = []

    def _spec(self) -> ListSpec:
        return DOCUMENT_LIST

    def _fill(self, actor) -> None:  # noqa: ANN001
        sort, descending = self._sort()
        self._seen = live.versions(live.ALL_DOCUMENTS)[0]
        page = run_service(shared_files.list_documents, actor=actor, category=self._query.get("status"),
                           search=self._query.get("q", ""), sort=sort, descending=descending,
                           offset=self._offset(), limit=PAGE_SIZE, lang=self.lang)
        self._put(rows=[document_item(r, self.lang, self._t, self._when) for r in page.rows])
        self._show_page(page.total, "documents.page_of")

    def _may_show(self, actor) -> bool:  # noqa: ANN001
        return not actor.is_staff and shared_files.sees_documents(actor)

    @rx.event
    def load(self):
        return self._open_list(staff_path="/admin/documents")

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: read the page again only when a shared document changed."""
        self._follow(live.ALL_DOCUMENTS)
