"""Admin panel, knowledge base: every article with search (/admin/kb); one article's form, new
(/admin/kb/new) or existing (/admin/kb/<id>), with delete. Every handler checks staff in the service
(`actor.require_staff`)."""

from __future__ import annotations

from typing import Any, TypedDict
from urllib.parse import parse_qs, urlencode

import reflex as rx

from ..i18n import available_languages, format_when
from ..models import ArticleVisibility
from ..services import submissions
from ..services.errors import NotAuthenticated, NotFound, ServiceError
from ..services.knowledge import articles
from .base import field_errors, last_segment, messages_for, run_service, while_busy
from .session import SessionState

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


class ArticleEditorState(SessionState):
    """One article's form: `article_id` 0 is a new one (/admin/kb/new)."""

    found: bool = False
    article_id: int = 0
    values: dict[str, str] = NEW_ARTICLE
    published: bool = True
    form_key: int = 0  # a new key makes the form anew with the loaded values (its inputs are uncontrolled)
    submission_id: str = ""
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False

    def _show(self, article: articles.ArticleDetail | None) -> None:
        if article is None:
            self._put(found=True, article_id=0, values=dict(NEW_ARTICLE), published=True)
        else:
            self._put(found=True, article_id=article.id, published=article.published,
                      values={name: getattr(article, name) for name in FORM_FIELDS})
        self.form_key += 1

    @rx.event
    def load(self):
        self._put(errors={}, notice="", busy=False, submission_id=submissions.new_submission_id())
        wanted = last_segment(self)
        try:
            actor = self._require_actor()
            if wanted == "new":
                actor.require_staff()
                self._show(None)
            else:
                self._show(run_service(articles.staff_article, actor=actor, article_id=wanted))
        except ServiceError:
            self._put(found=False, article_id=0, values=dict(NEW_ARTICLE))

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict[str, Any]):
        if not isinstance(form_data, dict) or not self.found:
            return None
        data = {name: form_data.get(name, "") for name in FORM_FIELDS}
        data["published"] = form_data.get("published") == "on"  # an unticked box is not sent
        try:
            actor = self._require_actor()
            saved = run_service(articles.save_article, actor=actor, article_id=self.article_id or None, data=data,
                                submission_id=None if self.article_id else form_data.get("submission_id"))
        except ServiceError as exc:
            self._put(errors=messages_for(field_errors(exc, self.lang), (*FORM_FIELDS, "published")), notice="")
            return None
        if not self.article_id:
            return rx.redirect(f"/admin/kb/{saved.id}")
        self._put(errors={}, notice=self._t("kb.saved"), published=saved.published,
                  values={name: getattr(saved, name) for name in FORM_FIELDS})
        return None

    @rx.event
    async def delete(self):
        async for update in while_busy(self, self._delete):
            yield update

    def _delete(self):
        if not self.article_id:
            return None
        try:
            run_service(articles.delete_article, actor=self._require_actor(), article_id=self.article_id)
        except NotFound:
            pass  # deleted already (another tab): the list is where the user goes either way
        except ServiceError as exc:
            self._put(errors=messages_for(field_errors(exc, self.lang), (*FORM_FIELDS, "published")), notice="")
            return None
        return rx.redirect("/admin/kb")
