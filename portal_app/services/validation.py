"""Turn untrusted input (form dicts from the browser) into validated schemas or field errors."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any, TypeVar
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ValidationError

from .errors import ValidationFailed

SchemaT = TypeVar("SchemaT", bound=BaseModel)

MAX_INPUT_CHARS = 20000


# Text from a form may hold letters, digits, punctuation, symbols and spaces of any script. Control
# and format characters (Unicode category C) are refused: they are invisible, break mail headers
# (a line break in a subject), and can disguise text (bidi overrides). Kept: the joiners U+200C and
# U+200D, which ordinary text needs (emoji sequences, Persian, Indic scripts), and code points this
# Python's Unicode tables do not know yet (category Cn: newer emoji). Dropped without a word: the
# invisible soft hyphen, zero-width space, word joiner and byte order mark that text pasted from
# web pages and word processors carries (they change nothing the user sees). Multi-line fields
# also keep tab, CR and LF; single-line fields fold every run of whitespace (CR, LF, tab, U+2028,
# no-break space...) into one space instead, so a title pasted with a line break is kept, on one line.
_KEPT_IN_TEXT = frozenset("\u200c\u200d")
_INVISIBLE = str.maketrans(dict.fromkeys("\u00ad\u200b\u2060\ufeff"))
_KEPT_IN_MULTI_LINE = _KEPT_IN_TEXT | frozenset("\t\n\r")
_WHITESPACE_RUN = re.compile(r"\s+")


def _refused(ch: str, kept: frozenset[str]) -> bool:
    category = unicodedata.category(ch)
    return category[0] == "C" and category != "Cn" and ch not in kept


def _has_control_chars(text: str, kept: frozenset[str]) -> bool:
    # isprintable() is True for text without category C, separators or whitespace but " ": the
    # common case, checked at C speed; otherwise look at the characters one by one
    return not text.isprintable() and any(_refused(ch, kept) for ch in text)


def fold_line(text: str) -> str:
    """Text on one line that never fails: whitespace runs folded into one space, other control
    characters dropped, stripped. For search boxes and the last line of defence (mail headers)."""
    folded = _WHITESPACE_RUN.sub(" ", text)
    if not folded.isprintable():
        folded = "".join(ch for ch in folded if not _refused(ch, _KEPT_IN_TEXT))
    return folded.strip()


def clean_text(value: Any, *, field: str, max_chars: int = MAX_INPUT_CHARS, single_line: bool = False) -> str:
    """A form value as stripped text; anything that is not text is refused.

    Multi-line (the default: ticket descriptions, comments, home page text): line breaks and tabs
    are kept, any other control character is refused (`error.control_chars`). `single_line=True`
    (or `clean_line`) folds line breaks, tabs and other whitespace runs into one space first, so only
    the other control characters are refused. The length limit applies to the folded text.
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValidationFailed({field: "error.invalid"})
    try:
        text = str(value)
    except ValueError:  # an int too long to turn into text
        raise ValidationFailed({field: ("error.too_long", {"max": max_chars})}) from None
    if single_line:
        text = _WHITESPACE_RUN.sub(" ", text)
    if not text.isprintable():
        text = text.translate(_INVISIBLE)
    text = text.strip()
    if len(text) > max_chars:
        raise ValidationFailed({field: ("error.too_long", {"max": max_chars})})
    # NUL among them: PostgreSQL cannot store it in text (the driver raises)
    if _has_control_chars(text, _KEPT_IN_TEXT if single_line else _KEPT_IN_MULTI_LINE):
        raise ValidationFailed({field: "error.control_chars"})
    return text


def clean_line(value: Any, *, field: str, max_chars: int = MAX_INPUT_CHARS) -> str:
    """A single-line form value (a title, a name, an email, a phone number, a URL, a search):
    `clean_text` with line breaks, tabs and other whitespace runs folded into one space.

    Folded rather than refused, because a line break in such a field is nearly always pasted by
    accident and one space is what the user meant. Other control characters are still refused
    (bar the few invisible ones dropped above), since dropping them silently could change what the
    user sees they typed.
    """
    return clean_text(value, field=field, max_chars=max_chars, single_line=True)


def form_dict(data: Any, allowed: Iterable[str], *, multi_line: Iterable[str] = ()) -> dict[str, str]:
    """Keep the allowed keys of a submitted form, each as stripped text: on one line (`clean_line`)
    unless named in `multi_line` (`clean_text`)."""
    if not isinstance(data, dict):
        raise ValidationFailed({"form": "error.invalid"})
    multi = set(multi_line)
    out: dict[str, str] = {}
    errors: dict[str, str | tuple[str, dict]] = {}
    for key in allowed:
        if key in data:
            try:
                out[key] = clean_text(data[key], field=key, single_line=key not in multi)
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


_PHONE = re.compile(r"\+?[0-9 ()\-]+")


PHONE_CHARACTERS, PHONE_DIGITS = "characters", "digits"


def phone_problem(value: str) -> str:
    """Why `value` is no phone number as people write one ("+358 40 123 4567", "(09) 123-456"):
    PHONE_CHARACTERS (something besides digits, spaces, dashes, parentheses and a leading '+' for
    the country code), PHONE_DIGITS (fewer than 5 or more than 20 digits), or "" when it is one.
    The message says which, not "use digits" to a number that is only too long."""
    if not _PHONE.fullmatch(value):
        return PHONE_CHARACTERS
    return "" if 5 <= sum(ch.isdigit() for ch in value) <= 20 else PHONE_DIGITS


# "https://…", "www.…", an email address, or a bare domain ("evil.example/login"; the part after the
# dot in small letters, so initials and "St.John" pass): what a mail program would make a link of
_BARE_DOMAIN = re.compile(r"\b[\w-]{2,}\.[a-z]{2,}(?:/|\b)")


def has_web_address(value: str) -> bool:
    """A name that carries a link or an address: not a person's or a company's name (a stranger's
    form must not put a link into the portal's mails)."""
    lowered = value.lower()
    return "://" in value or "www." in lowered or "@" in value or bool(_BARE_DOMAIN.search(value))


def like_pattern(text: str) -> str:
    """A case-insensitive substring pattern with LIKE's wildcards taken literally (use escape="\\")."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def normalize_email(value: str, *, field: str = "email", required: bool = True) -> str:
    """A syntactically valid address, lower-cased (the login name); '' when optional and empty.
    Letters beyond ASCII before the @ are refused: mail reaches them only over SMTPUTF8, which the
    portal's mail does not speak (a domain's own letters are fine: `mail_address`)."""
    if not value:
        if required:
            raise ValidationFailed({field: "error.required"})
        return ""
    try:
        result = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        local = value.rpartition("@")[0] if isinstance(value, str) else ""
        raise ValidationFailed({field: "error.email" if local.isascii() else "error.email_letters"}) from None
    return result.normalized.lower()


# A whole number written the one way we write it: ASCII digits, no sign, no spaces, no leading zero.
# (`str.isdecimal` and `int()` also take " 7", "07", "+7" and other scripts' digits such as "７".)
_CANONICAL_NUMBER = re.compile(r"0|[1-9][0-9]{0,17}")


def canonical_int(value: Any) -> int | None:
    """A whole number from untrusted input (an int, not a bool, or its canonical text); else None.

    Text must be exactly what `str(number)` gives for 0..10**18-1: "0", "7", "120"; never "07",
    " 7", "+7", "7.0", "1_000" or non-ASCII digits. One number has one spelling, so two URLs never
    name the same row.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _CANONICAL_NUMBER.fullmatch(value):
        return int(value)
    return None


def parse_id(value: Any, *, field: str = "id") -> int:
    """A positive database id from untrusted input: an int, or canonical decimal text ("17", not "017")."""
    number = canonical_int(value)
    if number is None or number <= 0 or number > 2**62:
        raise ValidationFailed({field: "error.invalid"})
    return number


def parse_flag(value: Any, *, field: str) -> bool:
    """A checkbox from untrusted input: a bool, or what a form sends ("on" ticked, absent or "" not)."""
    if isinstance(value, bool):
        return value
    if value in ("on", "true", "1"):
        return True
    if value in (None, "", "off", "false", "0"):
        return False
    raise ValidationFailed({field: "error.invalid"})


def is_id(value: Any) -> bool:
    """Whether `parse_id` accepts `value`."""
    number = canonical_int(value)
    return number is not None and 0 < number <= 2**62


def parse_page(offset: Any, limit: Any, *, max_limit: int = 200) -> tuple[int, int]:
    """Offset and limit of a page from untrusted input: whole numbers, clamped to the allowed range."""
    errors: dict[str, str | tuple[str, dict]] = {}
    for name, value in (("offset", offset), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = "error.number"
    if errors:
        raise ValidationFailed(errors)
    return min(max(0, offset), 2**62), max(1, min(limit, max_limit))


def parse_date(value: Any, *, field: str) -> date | None:
    """A date from a form ("2026-12-31", a date, a datetime's day); None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) <= 40:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationFailed({field: "error.invalid"})
