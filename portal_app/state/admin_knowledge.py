"""Admin panel, knowledge base: every article, published or draft, with search and pages (/admin/kb);
one article's form, new (/admin/kb/new) or existing (/admin/kb/<id>), with delete. Every handler
checks staff in the service (`actor.require_staff`)."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx

from ..i18n import available_languages
from ..models import ArticleVisibility
from ..services.actor import Actor
from ..services.edits import EditClash, texts_of
from ..services.errors import ServiceError
from ..services.knowledge import articles
from .base import run_service
from .catalog.admin_base import StaffList
from .session import SessionState
from .staff_editor import StaffEditor
from .url_list import PAGE_SIZE, ListSpec

FORM_FIELDS = ("title", "category", "body", "visibility", "language")
NEW_ARTICLE = {"title": "", "category": "", "body": "", "visibility": ArticleVisibility.CUSTOMERS.value, "language": ""}
# by category and title (as the customers' list), so no column sorts
STAFF_ARTICLES = ListSpec(path="/admin/kb", statuses=articles.STAFF_STATUSES, sorts=(), default_sort="",
                          columns=("title", "category", "visibility", "language", "status", "updated"),
                          label_prefix="kb.col")


class AdminArticleRow(TypedDict):
    id: int
    title: str
    category: str
    visibility: str
    language: str
    published: bool
    updated: str


class AdminArticlesState(StaffList, SessionState):
    """Every article, a page at a time: published or draft and a search, in the address."""

    rows: list[AdminArticleRow] = []

    def _spec(self) -> ListSpec:
        return STAFF_ARTICLES

    def _fill(self, actor: Actor) -> None:
        found = run_service(articles.staff_articles, actor=actor, status=self._query.get("status"),
                            search=self._query.get("q", ""), offset=self._offset(), limit=PAGE_SIZE)
        names = available_languages()
        every = self._t("kb.every_language")
        self._put(rows=[{
            "id": r.id, "title": r.title, "category": r.category,
            "visibility": self._t(f"kb.visibility.{r.visibility}"),
            "language": names.get(r.language, every) if r.language else every,
            "published": r.published, "updated": self._when(r.updated_at)} for r in found.rows])
        self._show_page(found.total, "kb.page_of")


class ArticleEditorState(StaffEditor, SessionState):
    """One article's form: `article_id` 0 is a new one (/admin/kb/new)."""

    def _list_path(self) -> str:
        return "/admin/kb"

    def _error_fields(self) -> tuple[str, ...]:
        return (*FORM_FIELDS, "published")

    article_id: int = 0
    values: dict[str, str] = NEW_ARTICLE  # as loaded or saved: what the form shows (`services.edits`)
    published: bool = True
    _told: dict[str, str] = {}  # values someone else saved meanwhile that a refused save showed

    def _row_id(self) -> int:
        return self.article_id

    def _fetch(self, actor: Actor, wanted: str) -> articles.ArticleDetail:
        return run_service(articles.staff_article, actor=actor, article_id=wanted)

    def _show(self, article: articles.ArticleDetail | None) -> None:
        self._told = {}
        if article is None:
            self._put(found=True, article_id=0, values=dict(NEW_ARTICLE), published=True)
        else:
            self._put(found=True, article_id=article.id, published=article.published,
                      values={name: getattr(article, name) for name in FORM_FIELDS})

    def _hide(self) -> None:
        self._put(found=False, article_id=0, values=dict(NEW_ARTICLE))

    def _write(self, actor: Actor, form_data: dict[str, Any]) -> articles.ArticleDetail:
        data = {name: form_data.get(name, "") for name in FORM_FIELDS}
        data["published"] = form_data.get("published") == "on"  # an unticked box is not sent
        return run_service(articles.save_article, actor=actor, article_id=self.article_id or None, data=data,
                           submission_id=None if self.article_id else form_data.get("submission_id"),
                           seen={**texts_of({**self.values, "published": self.published}), **self._told})

    def _refused(self, exc: ServiceError) -> None:
        super()._refused(exc)
        if isinstance(exc, EditClash):  # saving again replaces what was changed meanwhile
            self._told = {**self._told, **exc.current}

    def _saved(self, saved: articles.ArticleDetail) -> None:
        self._told = {}
        self.form_key += 1  # drawn again: what was saved, with what others saved in other fields meanwhile
        self._put(errors={}, notice=self._t("kb.saved"), published=saved.published,
                  values={name: getattr(saved, name) for name in FORM_FIELDS})

    def _remove(self, actor: Actor) -> None:
        run_service(articles.delete_article, actor=actor, article_id=self.article_id)
