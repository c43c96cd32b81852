"""Knowledge-base articles: who reads which, the list with its categories and search, and staff's
writing, editing and deleting.

Readers (`reader_scope`), while staff keeps the Knowledge base module on:
- a contact whose profile grants the module (view or edit): published articles, public and
  customers-only;
- anyone else, signed in or not (a visitor, a collaborator, a contact without the module):
  published public articles;
- each sees the articles in its own language and those written for every language (`language` "").
Staff sees and edits every article, drafts too, in the admin panel. An article outside the reader's
scope answers NotFound, exactly like one that does not exist.
"""

from __future__ import annotations

import re

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import false, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ...i18n import available_languages
from ...models import AccountKind, Article, ArticleVisibility, ModuleAccess, utcnow
from ..actor import Actor
from ..edits import edited, texts_of
from ..errors import NotFound, ValidationFailed
from ..portal.row import get_portal_settings
from ..submissions import commit_once, created_by, parse_submission_id
from ..validation import clean_line, clean_text, like_pattern, parse_flag, parse_id, parse_page
from ..folding import folded

MODULE = "knowledge_base"
TITLE_MAX, BODY_MAX, CATEGORY_MAX, SEARCH_MAX = 200, 20000, 80, 200
PAGE_LIMIT = 100
EXCERPT_CHARS = 180


@dataclass(frozen=True)
class ArticleRow:
    id: int
    title: str
    category: str
    excerpt: str  # the body's start, on one line, without Markdown's marks
    visibility: str
    language: str
    published: bool
    updated_at: datetime


@dataclass(frozen=True)
class ArticleDetail(ArticleRow):
    body: str


@dataclass(frozen=True)
class ArticlePage:
    rows: list[ArticleRow]
    total: int
    categories: list[tuple[str, int]]  # every category the reader has articles in, with how many


def _module_on(session: Session) -> bool:
    return MODULE in (get_portal_settings(session).enabled_modules or [])


def knowledge_base_on(*, session: Session) -> bool:
    """Whether staff has the module switched on (off: its pages say "not available", to anyone)."""
    return _module_on(session)


def reads_customer_articles(actor: Actor | None) -> bool:
    return (actor is not None and actor.kind == AccountKind.CONTACT and actor.company_id is not None
            and actor.can(MODULE, ModuleAccess.VIEW))


def reader_scope(session: Session, actor: Actor | None, lang: str) -> list[ColumnElement[bool]]:
    """The conditions of the articles `actor` (None: a visitor) reads in language `lang`: none
    match while the module is off."""
    if not _module_on(session):
        return [false()]
    shown = [ArticleVisibility.PUBLIC.value]
    if reads_customer_articles(actor):
        shown.append(ArticleVisibility.CUSTOMERS.value)
    return [col(Article.published).is_(True), col(Article.visibility).in_(shown), col(Article.language).in_(["", lang])]


# Markdown's links and images ("[text](url)", "![alt](url)", "<https://...>"): an excerpt keeps their text
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")  # an address may hold "(...)" once
# a link's own address: "[text](address "title")"
_MD_LINK_TARGET = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^\s()<>]*(?:\([^()]*\)[^\s()<>]*)?)>?(?:\s+[^()]*)?\)")
# where a reader's link may go: the web, mail, a page of the portal, a place on the page
_SAFE_TARGET = re.compile(r"(?i)^(?:https?:|mailto:|/|#|\?|[^:/?#]*(?:[/?#]|$))")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]*)>")
# a heading's "#"s, a quote's ">" and a list's bullet at a line's start; emphasis and code marks anywhere
_MD_LINE_MARKS = re.compile(r"(?m)^[ \t]*(?:#{1,6}|>+|[*+-](?=[ \t]))[ \t]*")
_MD_INLINE_MARKS = re.compile(r"\*+|`+|(?<![\w])_+|_+(?![\w])")


# a line that starts a block of its own: a heading, a quote, a list's item (bulleted or numbered)
_MD_BLOCK_START = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|>|[*+-][ \t]|\d{1,9}[.)][ \t])")
_CLOSED = ".!?:;…,"  # a block ending so runs on after a space; any other gets " · " before the next


def _blocks(text: str) -> list[str]:
    """The text's blocks (paragraphs, headings, list items), each on one line."""
    blocks: list[list[str]] = []
    starts = True
    for line in text.splitlines():
        if not line.strip():
            starts = True
            continue
        if starts or _MD_BLOCK_START.match(line):
            blocks.append([])
        blocks[-1].append(line)
        starts = False
    return [" ".join(lines) for lines in blocks]


def _excerpt(body: str) -> str:
    """The article's opening words as plain text: Markdown's marks and link addresses left out; a
    heading or a list's item that ends without a full stop kept apart from the next by " · "."""
    text = _MD_AUTOLINK.sub(r"\1", _MD_LINK.sub(r"\1", body))
    plain = ""
    for block in _blocks(text):
        words = " ".join(_MD_INLINE_MARKS.sub("", _MD_LINE_MARKS.sub("", block)).split())
        if words:
            plain += ("" if not plain else " " if plain[-1] in _CLOSED else " · ") + words
    return plain if len(plain) <= EXCERPT_CHARS else plain[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def _row(a: Article) -> ArticleRow:
    return ArticleRow(id=a.id, title=a.title, category=a.category, excerpt=_excerpt(a.body),  # type: ignore[arg-type]
                      visibility=a.visibility, language=a.language, published=a.published, updated_at=a.updated_at)


def _detail(a: Article) -> ArticleDetail:
    return ArticleDetail(**_row(a).__dict__, body=a.body)


def _readers_body(body: str) -> str:
    """The text as readers get it: a link to anywhere but the web, mail or the portal (`javascript:`,
    `data:`) becomes its words. The browser's Markdown drops such an address but kept an empty link,
    which only reloaded the article."""
    def plain(match: re.Match[str]) -> str:
        return match.group(0) if _SAFE_TARGET.match(match.group(3)) else match.group(2)

    return _MD_LINK_TARGET.sub(plain, body)


def _search_term(search: Any) -> str:
    return clean_line(search, field="search", max_chars=SEARCH_MAX)


def _listed(session: Session, scope: list[ColumnElement[bool]], *, search: Any, category: Any, offset: Any,
            limit: Any) -> ArticlePage:
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    term = _search_term(search)
    chosen = clean_line(category, field="category", max_chars=CATEGORY_MAX)
    if term:
        pattern = like_pattern(term)
        scope = [*scope, or_(folded(Article.title).like(pattern, escape="\\"),
                             folded(Article.body).like(pattern, escape="\\"))]
    counted = (select(Article.category, func.count()).where(*scope).group_by(Article.category)
               .order_by(func.lower(Article.category), Article.category))
    categories = [(name, int(n)) for name, n in session.exec(counted).all()]
    if chosen:
        scope = [*scope, Article.category == chosen]
    total = session.exec(select(func.count()).select_from(Article).where(*scope)).one()
    # capitals or not, as the other lists sort titles
    rows = session.exec(select(Article).where(*scope).order_by(func.lower(Article.category), func.lower(Article.title),
                                                               Article.id)
                        .offset(offset).limit(limit)).all()
    return ArticlePage(rows=[_row(a) for a in rows], total=int(total), categories=categories)


def list_articles(*, session: Session, actor: Actor | None, lang: str, search: Any = "", category: Any = "",
                  offset: Any = 0, limit: Any = 25) -> ArticlePage:
    """One page of the articles the reader sees, by category and title; `search` finds words in the
    title or the text; the categories count what the search finds, before `category` narrows it."""
    return _listed(session, reader_scope(session, actor, lang), search=search, category=category,
                   offset=offset, limit=limit)


def get_article(*, session: Session, actor: Actor | None, lang: str, article_id: Any) -> ArticleDetail:
    """An article its reader may read (`reader_scope`). Staff read every published one, for customers
    only or in another language too: their editor's "Open as a reader" shows it as readers see it."""
    scope = ([false()] if not _module_on(session) else [col(Article.published).is_(True)]) \
        if actor is not None and actor.is_staff else reader_scope(session, actor, lang)
    found = session.exec(select(Article).where(*scope, Article.id == parse_id(article_id))).first()
    if found is None:
        raise NotFound()
    detail = _detail(found)
    return replace(detail, body=_readers_body(detail.body))


# --- staff -----------------------------------------------------------------------------------------

STAFF_STATUSES: tuple[str, ...] = ("published", "draft")


def staff_articles(*, session: Session, actor: Actor, search: Any = "", category: Any = "", offset: Any = 0,
                   limit: Any = 50, status: Any = None) -> ArticlePage:
    """Every article, drafts and every language too; `status` "published" or "draft" narrows it."""
    actor.require_staff()
    scope: list[ColumnElement[bool]] = []
    if status not in (None, ""):
        if status not in STAFF_STATUSES:
            raise ValidationFailed({"status": "error.invalid"})
        scope.append(col(Article.published).is_(status == "published"))
    return _listed(session, scope, search=search, category=category, offset=offset, limit=limit)


def staff_article(*, session: Session, actor: Actor, article_id: Any) -> ArticleDetail:
    actor.require_staff()
    found = session.get(Article, parse_id(article_id))
    if found is None:
        raise NotFound()
    return _detail(found)


def _parsed(data: Mapping[str, Any]) -> dict[str, Any]:
    """The article's fields from a form, every problem at once."""
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for name, limit, multi_line in (("title", TITLE_MAX, False), ("category", CATEGORY_MAX, False),
                                    ("body", BODY_MAX, True)):
        try:
            text = clean_text(data.get(name), field=name, max_chars=limit, single_line=not multi_line)
        except ValidationFailed as exc:
            errors.update(exc.fields)
            continue
        if not text:
            errors[name] = "error.required"
        values[name] = text
    visibility = data.get("visibility", ArticleVisibility.CUSTOMERS.value)
    if not isinstance(visibility, str) or visibility not in {v.value for v in ArticleVisibility}:
        errors["visibility"] = "error.invalid"
    language = data.get("language", "")
    if not isinstance(language, str) or (language != "" and language not in available_languages()):
        errors["language"] = "error.invalid"
    try:
        values["published"] = parse_flag(data.get("published", False), field="published")
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return {**values, "visibility": visibility, "language": language}


def save_article(*, session: Session, actor: Actor, article_id: Any = None, data: Mapping[str, Any],
                 submission_id: Any = None, seen: Any = None) -> ArticleDetail:
    """Create an article (`article_id` None) or change one; all fields are checked before anything is
    written. A new article's form sent twice (`submission_id`, `services/submissions.py`) creates one.
    `seen`: what an existing article's form showed (`edits.texts_of`): only the fields it changed are
    written, and one changed meanwhile by someone else is refused (`edits.EditClash`)."""
    actor.require_staff()
    values = _parsed(data)
    submission = None
    if article_id is None:
        submission = parse_submission_id(submission_id)
        article = created_by(session, Article, submission) or Article(**values, author_id=actor.account_id,
                                                                      submission_id=submission)
    else:
        found = session.get(Article, parse_id(article_id))
        if found is None:
            raise NotFound()
        article = found
        if seen is not None:
            changed = edited(current=texts_of({name: getattr(article, name) for name in values}),
                             sent=texts_of(values), seen=seen)
            values = {name: values[name] for name in changed}
        for name, value in values.items():
            setattr(article, name, value)
        article.updated_at = utcnow()
    return _detail(commit_once(session, article, submission))


def delete_article(*, session: Session, actor: Actor, article_id: Any) -> None:
    actor.require_staff()
    found = session.get(Article, parse_id(article_id))
    if found is None:
        raise NotFound()
    session.delete(found)
    session.commit()
