"""Admin panel, knowledge base: every article with search (/admin/kb); one article's form, new
(/admin/kb/new) or existing (/admin/kb/<id>), with delete. Every handler checks staff in the service
(`actor.require_staff`)."""

from __future__ import annotations

from typing import Any, TypedDict
from urllib.parse import parse_qs, urlencode

import reflex as rx

from ..i18n import available_languages, format_when
from ..models import ArticleVisibility
from ..services.actor import Actor
from ..services.errors import NotAuthenticated, ServiceError
from ..services.knowledge import articles
from .base import field_errors, run_service
from .session import SessionState
from .staff_editor import StaffEditor

FORM_FIELDS = ("title", "category", "body", "visibility", "language")
NEW_ARTICLE = {"title": "", "category": "", "body": "", "visibility": ArticleVisibility.CUSTOMERS.value, "language": ""}
LIST_LIMIT = 100


class AdminArticleRow(TypedDict):
    id: int
    title: str
    category: str
    visibility: str
    language: str
    published: bool
    updated: str


class AdminArticlesState(SessionState):
    rows: list[AdminArticleRow] = []
    search: str = ""
    total: int = 0
    error: str = ""

    @rx.event
    def load(self):
        search = (parse_qs(self.router.url.query or "").get("q") or [""])[0]
        try:
            actor = self._require_actor()
            found = run_service(articles.staff_articles, actor=actor, search=search, limit=LIST_LIMIT)
        except ServiceError as exc:
            self._put(rows=[], total=0, error="" if isinstance(exc, NotAuthenticated) else
                      next(iter(field_errors(exc, self.lang).values()), ""))
            return
        names = available_languages()
        self._put(search=search, total=found.total, error="", rows=[{
            "id": r.id, "title": r.title, "category": r.category,
            "visibility": self._t(f"kb.visibility.{r.visibility}"),
            "language": names.get(r.language, self._t("kb.every_language")) if r.language else self._t("kb.every_language"),
            "published": r.published, "updated": format_when(r.updated_at, self.lang)} for r in found.rows])

    @rx.event
    def find(self, form_data: dict):
        if not isinstance(form_data, dict):
            return None
        search = form_data.get("q")
        text = search.strip()[:articles.SEARCH_MAX] if isinstance(search, str) else ""
        return rx.redirect("/admin/kb" + (f"?{urlencode({'q': text})}" if text else ""))


class ArticleEditorState(StaffEditor, SessionState):
    """One article's form: `article_id` 0 is a new one (/admin/kb/new)."""

    def _list_path(self) -> str:
        return "/admin/kb"

    def _error_fields(self) -> tuple[str, ...]:
        return (*FORM_FIELDS, "published")

    article_id: int = 0
    values: dict[str, str] = NEW_ARTICLE
    published: bool = True

    def _row_id(self) -> int:
        return self.article_id

    def _fetch(self, actor: Actor, wanted: str) -> articles.ArticleDetail:
        return run_service(articles.staff_article, actor=actor, article_id=wanted)

    def _show(self, article: articles.ArticleDetail | None) -> None:
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
                           submission_id=None if self.article_id else form_data.get("submission_id"))

    def _saved(self, saved: articles.ArticleDetail) -> None:
        self._put(errors={}, notice=self._t("kb.saved"), published=saved.published,
                  values={name: getattr(saved, name) for name in FORM_FIELDS})

    def _remove(self, actor: Actor) -> None:
        run_service(articles.delete_article, actor=actor, article_id=self.article_id)
