"""Shared model helpers: timestamps and the small vocabularies used across tables."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum


def utcnow() -> datetime:
    """Aware UTC time; SQLModel's datetime columns store and return UTC."""
    return datetime.now(UTC)


class AccountKind(StrEnum):
    STAFF = "staff"
    CONTACT = "contact"
    COLLABORATOR = "collaborator"


class ModuleAccess(StrEnum):
    NONE = "none"
    VIEW = "view"
    EDIT = "edit"


class FieldAccess(StrEnum):
    HIDDEN = "hidden"
    READ = "read"
    EDIT = "edit"


class TokenPurpose(StrEnum):
    RESET = "reset"
    ACTIVATE = "activate"
