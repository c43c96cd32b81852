"""Login accounts, server-side sessions and single-use password tokens."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .common import AccountKind, utcnow


class Account(SQLModel, table=True):
    """A login. Contacts and collaborators link to their CRM contact; staff stands alone.

    `enabled` is the portal "active" flag: without it nobody can sign in with this account.
    """

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True, description="lower-case login name")
    kind: AccountKind = Field(default=AccountKind.CONTACT, max_length=20)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", unique=True)
    full_name: str = Field(default="", max_length=200, description="staff display name")
    password_hash: str | None = Field(default=None, max_length=100)
    enabled: bool = Field(default=True)
    language: str = Field(default="en", max_length=8)
    time_zone: str = Field(default="", max_length=64, description="the IANA zone the user reads times in; "
                                                                    "'' for the portal's")
    failed_logins: int = Field(default=0)
    failed_login_at: datetime | None = Field(default=None, description="when the last failure was counted")
    locked_until: datetime | None = Field(default=None)
    login_count: int = Field(default=0)
    last_login_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)


# Written by every sign-in attempt (the lockout's count and lock, the statistics staff sees). No actor,
# name or right is built from them: the caches of those (services/live.py `watch_tables`) ignore an
# update of these alone, so signing in, or guessing a password, does not empty them for everyone.
SIGN_IN_COLUMNS = frozenset({"failed_logins", "failed_login_at", "locked_until", "login_count", "last_login_at"})


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the cookie's random token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class PasswordToken(SQLModel, table=True):
    """A reset or set-password link: single use, expiring, stored as a hash."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    purpose: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = Field(default=None)
