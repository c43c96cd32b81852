"""Knowledge base: articles staff writes for customers, by category, in one language or all.

An article is `public` (anyone, signed in or not, reads it at /kb/<id>) or `customers` (contacts
whose profile grants the Knowledge base module). Only published articles are shown outside the
admin panel. `language` "" is shown in every language; a language's code shows it only to readers
of that language (`services/knowledge/articles.py`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from .common import utcnow


class ArticleVisibility(StrEnum):
    PUBLIC = "public"
    CUSTOMERS = "customers"


class ArticleBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20000, description="Markdown")
    category: str = Field(min_length=1, max_length=80)
    visibility: str = Field(default=ArticleVisibility.CUSTOMERS, max_length=20)
    language: str = Field(default="", max_length=5, description="'' for every language")
    published: bool = Field(default=True)


class Article(ArticleBase, table=True):
    __table_args__ = (Index("ix_article_published_category", "published", "category"),
                      Index("ux_article_submission", "submission_id", unique=True))

    id: int | None = Field(default=None, primary_key=True)
    author_id: int | None = Field(default=None, foreign_key="account.id")
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the new-article form's id: sent twice, created once")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ArticlePublic(ArticleBase):
    id: int
    created_at: datetime
    updated_at: datetime
