"""Reports: charts staff shares with customers (tickets by status per month, ...).

A report names a kind (`services/reports/report_kinds.py`: what it counts) and a window of months;
`company_id` None shares it with every company, else with that one company. Each reader sees the
numbers of its own company only (`services/reports/reports.py`). Only published reports are shown
outside the admin panel.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from .common import utcnow

MONTHS_MIN, MONTHS_MAX, MONTHS_DEFAULT = 3, 24, 12


class ReportBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000, description="plain text")
    kind: str = Field(max_length=40, description="a key of services/reports/report_kinds.py")
    months: int = Field(default=MONTHS_DEFAULT, ge=MONTHS_MIN, le=MONTHS_MAX)
    company_id: int | None = Field(default=None, foreign_key="company.id",
                                   description="None: shared with every company")
    published: bool = Field(default=False)


class Report(ReportBase, table=True):
    __table_args__ = (Index("ix_report_published_company", "published", "company_id"),
                      Index("ux_report_submission", "submission_id", unique=True))

    id: int | None = Field(default=None, primary_key=True)
    author_id: int | None = Field(default=None, foreign_key="account.id")
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the new-report form's id: sent twice, created once")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # the title and description in the other languages: {"fi": {"title": ..., "description": ...}}
    translations: dict[str, dict] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))
