"""Turn untrusted input (form dicts from the browser) into validated schemas or field errors."""

from __future__ import annotations

from typing import Any, TypeVar
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ValidationError

from .errors import ValidationFailed

SchemaT = TypeVar("SchemaT", bound=BaseModel)

MAX_INPUT_CHARS = 20000


def clean_text(value: Any, *, field: str, max_chars: int = MAX_INPUT_CHARS) -> str:
    """A form value as stripped text; anything that is not text is refused."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValidationFailed({field: "error.invalid"})
    try:
        text = str(value).strip()
    except ValueError:  # an int too long to turn into text
        raise ValidationFailed({field: ("error.too_long", {"max": max_chars})}) from None
    if "\x00" in text:  # PostgreSQL cannot store NUL in text (the driver raises)
        raise ValidationFailed({field: "error.invalid"})
    if len(text) > max_chars:
        raise ValidationFailed({field: ("error.too_long", {"max": max_chars})})
    return text


def form_dict(data: Any, allowed: Iterable[str]) -> dict[str, str]:
    """Keep the allowed keys of a submitted form, each as stripped text."""
    if not isinstance(data, dict):
        raise ValidationFailed({"form": "error.invalid"})
    out: dict[str, str] = {}
    errors: dict[str, str | tuple[str, dict]] = {}
    for key in allowed:
        if key in data:
            try:
                out[key] = clean_text(data[key], field=key)
            except ValidationFailed as exc:
                errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return out


def parse(schema: type[SchemaT], data: dict[str, Any]) -> SchemaT:
    """Validate `data` with a pydantic schema, mapping its errors to field message keys."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        fields: dict[str, str | tuple[str, dict]] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "form"
            ctx = err.get("ctx") or {}
            if err["type"] == "string_too_short" and ctx.get("min_length") == 1:
                fields.setdefault(name, "error.required")
            elif err["type"] == "string_too_short":
                fields.setdefault(name, ("error.too_short", {"min": ctx.get("min_length")}))
            elif err["type"] == "string_too_long":
                fields.setdefault(name, ("error.too_long", {"max": ctx.get("max_length")}))
            elif err["type"] == "missing":
                fields.setdefault(name, "error.required")
            elif err["type"].startswith(("int_", "greater_than", "less_than")):
                fields.setdefault(name, "error.number")
            else:
                fields.setdefault(name, "error.invalid")
        raise ValidationFailed(fields) from None


def like_pattern(text: str) -> str:
    """A case-insensitive substring pattern with LIKE's wildcards taken literally (use escape="\\")."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def normalize_email(value: str, *, field: str = "email", required: bool = True) -> str:
    """A syntactically valid address, lower-cased (the login name); '' when optional and empty."""
    if not value:
        if required:
            raise ValidationFailed({field: "error.required"})
        return ""
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationFailed({field: "error.email"}) from None
    return result.normalized.lower()


def parse_id(value: Any, *, field: str = "id") -> int:
    """A positive database id from untrusted input."""
    if isinstance(value, bool):
        raise ValidationFailed({field: "error.invalid"})
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) <= 18:
        number = int(value.strip())
    else:
        raise ValidationFailed({field: "error.invalid"})
    if number <= 0 or number > 2**62:
        raise ValidationFailed({field: "error.invalid"})
    return number


def parse_page(offset: Any, limit: Any, *, max_limit: int = 200) -> tuple[int, int]:
    """Offset and limit of a page from untrusted input: whole numbers, clamped to the allowed range."""
    errors: dict[str, str | tuple[str, dict]] = {}
    for name, value in (("offset", offset), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = "error.number"
    if errors:
        raise ValidationFailed(errors)
    return min(max(0, offset), 2**62), max(1, min(limit, max_limit))
