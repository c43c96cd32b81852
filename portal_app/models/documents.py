"""Documents: files staff shares with one company (quotes, contracts, other files).

The bytes live in the data folder under a random name (`stored_name`, as ticket attachments do);
the row says whose they are. Contacts of that company whose profile grants the Documents module
list and download them (`services/documents/shared_files.py`); nobody else learns they exist.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from .common import utcnow


class DocumentCategory(StrEnum):
    QUOTE = "quote"
    CONTRACT = "contract"
    OTHER = "other"


class SharedDocumentBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    category: str = Field(default=DocumentCategory.OTHER, max_length=20)


class SharedDocument(SharedDocumentBase, table=True):
    __table_args__ = (Index("ix_shareddocument_company_created", "company_id", "created_at"),
                      Index("ux_shareddocument_stored_name", "stored_name", unique=True),
                      Index("ux_shareddocument_submission", "submission_id", unique=True))

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    file_name: str = Field(max_length=200, description="the name the file is downloaded under")
    stored_name: str = Field(max_length=64)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    shared_by_id: int | None = Field(default=None, foreign_key="account.id")
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the share form's id: sent twice, shared once")
    download_count: int = Field(default=0, description="downloads by the company's contacts")
    last_downloaded_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # the title and description in the other languages: {"fi": {"title": ..., "description": ...}}
    translations: dict[str, dict] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))


class SharedDocumentPublic(SharedDocumentBase):
    id: int
    company_id: int
    file_name: str
    size: int
    created_at: datetime
