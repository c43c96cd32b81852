"""Message catalogues and the lookup helper.

A language is one JSON file in `catalogues/` named by its code (`de.json`); its `_language_name`
entry is what the language menu shows. Adding a language is adding that file, nothing more.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from ..settings import settings

CATALOGUE_DIR = Path(__file__).parent / "catalogues"
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """The messages of `lang`, with English filling any gap."""
    base = json.loads((CATALOGUE_DIR / f"{DEFAULT_LANGUAGE}.json").read_text(encoding="utf-8"))
    if lang != DEFAULT_LANGUAGE and lang in available_languages():
        base = {**base, **json.loads((CATALOGUE_DIR / f"{lang}.json").read_text(encoding="utf-8"))}
    return base


@lru_cache(maxsize=1)
def available_languages() -> dict[str, str]:
    """Language code -> name in that language, English first, then by code."""
    found = {}
    for path in sorted(CATALOGUE_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = data.get("_language_name", path.stem)
    ordered = {DEFAULT_LANGUAGE: found.pop(DEFAULT_LANGUAGE)}
    ordered.update(found)
    return ordered


def normalize_language(lang: object) -> str:
    return lang if isinstance(lang, str) and lang in available_languages() else DEFAULT_LANGUAGE


# the parameters that count something; a message with a "<key>|one" form uses it when the count is 1
COUNT_PARAMS = ("count", "total", "minutes")


def translate(lang: str, key: str, **params: object) -> str:
    messages = catalogue(normalize_language(lang))
    if not params:
        return messages.get(key, key)
    if _counts_one(params) and f"{key}|one" in messages:
        key = f"{key}|one"  # "1 ticket", not "1 tickets"
    return messages.get(key, key).format(**{name: _in_language(value, lang) for name, value in params.items()})


def _in_language(value: object, lang: str) -> object:
    """A message's parameter as the language writes it: a day "6.12.2026", not "2026-12-06"; a decimal "4,5"."""
    if isinstance(value, datetime):
        return format_when(value, lang)
    if isinstance(value, date):
        return format_day(value, lang)
    if isinstance(value, Decimal):
        return format_number(value, lang)  # "4.5", "4,5"
    return value


def _counts_one(params: dict[str, object]) -> bool:
    return any(type(params.get(name)) is int and params[name] == 1 for name in COUNT_PARAMS)


def format_when(value: datetime | date | None, lang: str, zone: str = "") -> str:
    """A date or time for people, in the language's own format, a moment in the reader's zone (the
    actor's `time_zone`; '' for the portal's). '' when there is none."""
    if value is None:
        return ""
    return _formatted(value, normalize_language(lang), zone or settings.time_zone)


def format_moment(value: datetime | None, lang: str, *, zone: str | None = None) -> str:
    """A moment on a page about one thing (a ticket's comments, a quote's dates, an event's start):
    the date with its whole year, then the time, in `zone` (the reader's, or an event's; '' or None for
    the portal's): "Dec 6, 2026, 2:35 PM", "6.12.2026 14.35" ('' when there is none). Lists keep
    `format_when`'s shorter form."""
    if value is None:
        return ""
    return _moment(value, normalize_language(lang), zone or settings.time_zone)


@lru_cache(maxsize=8192)
def _moment(value: datetime, locale: str, zone: str) -> str:
    return format_datetime(value, _moment_pattern(locale), tzinfo=ZoneInfo(zone), locale=locale)


@lru_cache(maxsize=None)
def _moment_pattern(locale: str) -> str:
    """The language's own way to join a date and a time, with its medium date and short time."""
    known = Locale.parse(locale)
    return (str(known.datetime_formats["medium"]).replace("{1}", known.date_formats["medium"].pattern)
            .replace("{0}", known.time_formats["short"].pattern))


@lru_cache(maxsize=4096)
def format_day(value: date | None, lang: str) -> str:
    """A calendar date spelled out enough to read at once on documents (invoices): "Nov 13, 2026",
    "13.11.2026" ('' when there is none)."""
    if value is None:
        return ""
    return format_date(value, format="medium", locale=normalize_language(lang))


@lru_cache(maxsize=8192)
def _formatted(value: datetime | date, locale: str, zone: str) -> str:
    # Babel takes about 30 us a call, and a list page shows 50 times; the same tickets' times come
    # back on every page view and live reload. A moment is shown in the portal's zone (local_time.py).
    if isinstance(value, datetime):
        return format_datetime(value, _short_pattern(locale, with_time=True), tzinfo=ZoneInfo(zone), locale=locale)
    return format_date(value, _short_pattern(locale, with_time=False), locale=locale)


@lru_cache(maxsize=None)
def _short_pattern(locale: str, *, with_time: bool) -> str:
    """The language's short date with the whole year ("12/6/2026", "06.12.2026", "07/12/2026", as
    documents and detail pages write it, never "06.12.26"), and its short time when asked for."""
    known = Locale.parse(locale)
    day = re.sub(r"y+", "y", known.date_formats["short"].pattern)
    if not with_time:
        return day
    return str(known.datetime_formats["short"]).replace("{1}", day).replace("{0}", known.time_formats["short"].pattern)


def format_money(cents: int, currency: str, lang: str) -> str:
    """An amount in whole cents as money in the language's own format: "€1,240.00", "1 240,00 €"."""
    return format_currency(Decimal(cents) / 100, currency, locale=normalize_language(lang))


def format_number(value: Decimal | int, lang: str) -> str:
    """A quantity or a percentage in the language's format, without trailing zeros: "1.5", "1,5"."""
    return format_decimal(value, locale=normalize_language(lang))


def format_size(size: int, lang: str) -> str:
    """A file's size for people: "820 B", "14.2 KB", "3.5 MB" (a decimal comma where the language has one)."""
    value = Decimal(max(size, 0))
    for unit in ("B", "KB", "MB"):
        if value < 1024 or unit == "MB":
            shown = format_decimal(value, format="#,##0" if unit == "B" else "#,##0.0", locale=normalize_language(lang))
            return f"{shown}\u00a0{unit}"
        value /= 1024
    return ""
