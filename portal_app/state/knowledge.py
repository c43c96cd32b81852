"""/kb and /kb/<id>: the knowledge base for its readers, signed in or not (services/knowledge/articles.py
decides who reads which article). The list's search, category and page live in the address
(`/kb?q=toner&category=Printing&page=2`), so a search can be linked to and the back button returns to it."""

from __future__ import annotations

from typing import TypedDict
from urllib.parse import parse_qs, urlencode

import reflex as rx

from ..services.errors import ServiceError
from ..services.knowledge import articles
from .base import field_errors, last_segment, run_service
from .session import SessionState

PAGE_SIZE = 25


class ArticleItem(TypedDict):
    id: int
    title: str
    category: str
    excerpt: str
    href: str


class CategoryItem(TypedDict):
    name: str
    count: int
    href: str
    current: bool


def kb_href(*, search: str = "", category: str = "", page: int = 1) -> str:
    query = {k: v for k, v in (("q", search), ("category", category), ("page", str(page) if page > 1 else ""))
             if v}
    return "/kb" + (f"?{urlencode(query)}" if query else "")


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


class KnowledgeState(SessionState):
    rows: list[ArticleItem] = []
    categories: list[CategoryItem] = []
    search: str = ""
    category: str = ""
    total: int = 0
    page_text: str = ""  # "Page 2 of 3, 61 articles"
    previous_href: str = ""
    next_href: str = ""
    everything_href: str = "/kb"
    sign_in_href: str = "/login"  # back to this list after signing in
    error: str = ""
    loaded: bool = False

    def _articles(self, search: str, category: str, page: int) -> articles.ArticlePage:
        return run_service(articles.list_articles, actor=self._actor(), lang=self.lang, search=search,
                           category=category, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)

    @rx.event
    def load(self):
        self._put(sign_in_href=self._sign_in_address())
        if not run_service(articles.knowledge_base_on):  # switched off: said in the page's place, to anyone
            self._put(rows=[], categories=[], total=0, page_text="", previous_href="", next_href="", loaded=True)
            self._show_unavailable()
            return
        query = parse_qs(self.router.url.query or "")
        search, category = (query.get("q") or [""])[0], (query.get("category") or [""])[0]
        page = _page_number((query.get("page") or ["1"])[0])
        try:
            found = self._articles(search, category, page)
            if found.total and not found.rows:  # past the last page (an old link): the last page
                page = -(-found.total // PAGE_SIZE)
                found = self._articles(search, category, page)
        except ServiceError as exc:
            self._put(rows=[], categories=[], total=0, page_text="", previous_href="", next_href="",
                      error=next(iter(field_errors(exc, self.lang).values()), ""), loaded=True)
            return
        pages = max(1, -(-found.total // PAGE_SIZE))
        self._put(
            search=search, category=category, error="", loaded=True, total=found.total,
            rows=[{"id": r.id, "title": r.title, "category": r.category, "excerpt": r.excerpt,
                   "href": f"/kb/{r.id}"} for r in found.rows],
            categories=[{"name": name, "count": n, "href": kb_href(search=search, category=name),
                         "current": name == category} for name, n in found.categories],
            everything_href=kb_href(search=search),
            page_text=self._t("kb.page_of", page=page, pages=pages, total=found.total) if pages > 1 else "",
            previous_href=kb_href(search=search, category=category, page=page - 1) if page > 1 else "",
            next_href=kb_href(search=search, category=category, page=page + 1) if page < pages else "",
        )

    @rx.event
    def find(self, form_data: dict):
        """The search form: the list loads again at its new address (the category kept)."""
        if not isinstance(form_data, dict):
            return None
        search = form_data.get("q")
        return rx.redirect(kb_href(search=search.strip()[:articles.SEARCH_MAX] if isinstance(search, str) else "",
                                   category=self.category))


class ArticleState(SessionState):
    found: bool = False
    loaded: bool = False
    title: str = ""
    body: str = ""
    # the language the article is written in; the page's for one written for every language (unknown):
    # staff read another language's articles too ("Open as a reader"), marked with theirs
    text_lang: str = "en"
    category: str = ""
    category_href: str = ""
    updated: str = ""
    sign_in_href: str = "/login"  # back to this article after signing in (it may be for customers)

    @rx.event
    def load(self):
        self._put(sign_in_href=self._sign_in_address())
        if not run_service(articles.knowledge_base_on):
            self._put(found=False, loaded=True, title="", body="", category="", category_href="", updated="")
            self._show_unavailable()
            return
        try:
            article = run_service(articles.get_article, actor=self._actor(), lang=self.lang,
                                  article_id=last_segment(self))
        except ServiceError:  # not found, not the reader's, or not an id
            self._put(found=False, loaded=True, title="", body="", category="", category_href="", updated="")
            return
        self._put(found=True, loaded=True, title=article.title, body=article.body, category=article.category,
                  text_lang=article.language or self.lang,
                  category_href=kb_href(category=article.category),
                  updated=self._t("kb.updated", when=self._moment(article.updated_at)))
