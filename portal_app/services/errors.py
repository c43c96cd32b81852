"""Errors services raise. Messages are catalogue keys, translated by whoever shows them."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class; `key` is an i18n message key."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: object) -> None:
        super().__init__(key or self.key)
        self.key = key or self.key
        self.params = params


class NotFound(ServiceError):
    """Does not exist, or exists but is not the actor's to see: both answer the same."""

    key = "error.not_found"


class PermissionDenied(ServiceError):
    key = "error.permission_denied"


class FieldsRefused(PermissionDenied):
    """Changes to fields the actor may not change: each said next to its field (`fields`, shaped as
    `ValidationFailed.fields`)."""

    key = "error.field_read_only"

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.fields: dict[str, tuple[str, dict]] = {name: (self.key, {}) for name in names}


class NotAuthenticated(ServiceError):
    key = "error.not_signed_in"


class RateLimited(ServiceError):
    """Too many attempts from one client address; `minutes` says when to try again."""

    key = "error.rate_limited"


class ValidationFailed(ServiceError):
    """Bad input. `fields` maps a form field name to a message key (with optional params)."""

    key = "error.check_fields"

    def __init__(self, fields: dict[str, str | tuple[str, dict]]) -> None:
        super().__init__(self.key)
        self.fields = {
            name: (value if isinstance(value, tuple) else (value, {})) for name, value in fields.items()
        }
