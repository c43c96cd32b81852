"""Newsletters: list types are email opt-out lists (e.g. marketing vs. critical notices).

Everyone on the CRM's mailing for a list type receives it until the address stops it: a row in
`MailingOptOut` is an address that stopped the list (in the portal, or on the list's public landing
page reached by a signed link in a mail); deleting the row starts the list again. Keyed by the
address, not the contact: a newsletter's reader need not have a portal account.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from .common import utcnow


class MailingListBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=500)


class MailingList(MailingListBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    # signed into its landing links (services/newsletters/tokens.py); '' for lists made before keys
    link_key: str = Field(default_factory=lambda: secrets.token_urlsafe(16), max_length=32,
                          sa_column_kwargs={"server_default": ""})
    # the name and description in the other languages: {"fi": {"name": ..., "description": ...}}
    translations: dict[str, dict] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))


class MailingOptOut(SQLModel, table=True):
    __table_args__ = (Index("ux_optout_list_email", "mailing_list_id", "email", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    mailing_list_id: int = Field(foreign_key="mailinglist.id")
    email: str = Field(max_length=254, description="lower case")
    source: str = Field(default="portal", max_length=20, description="portal, landing page or staff")
    created_at: datetime = Field(default_factory=utcnow)
