"""Staff-written texts in the portal's other languages, for the rows customers read in theirs (a
report's title, a newsletter list type's name).

A row keeps its texts in the default language in its own columns and the others in a JSON column
`translations`: {"fi": {"title": "...", "description": "..."}}. A form sends each as
`<name>_<lang>` (`portal.config.translated_field`, as the portal settings' texts); an empty one is
not stored, and a reader then gets the default language's text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..i18n import DEFAULT_LANGUAGE
from .errors import ValidationFailed
from .portal.config import text_languages, translated_field
from .validation import clean_text


@dataclass(frozen=True)
class TranslatedText:
    """A column staff may write in every language: its name, its limit, whether it has lines."""

    name: str
    max_chars: int
    multi_line: bool = False


def sent(data: Mapping[str, Any], texts: Sequence[TranslatedText]) -> bool:
    """Whether a form's `data` carries any of the texts in another language (a form without them
    leaves the stored ones as they are)."""
    return any(translated_field(t.name, lang) in data for t in texts for lang in text_languages())


def parse_translations(data: Mapping[str, Any], texts: Sequence[TranslatedText],
                       errors: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The texts in the other languages from a form's `data`, cleaned as their default-language
    columns are; a refused one's message goes to `errors` under its form field (`title_fi`)."""
    found: dict[str, dict[str, str]] = {}
    for lang in text_languages():
        own: dict[str, str] = {}
        for text in texts:
            field = translated_field(text.name, lang)
            try:
                value = clean_text(data.get(field), field=field, max_chars=text.max_chars,
                                   single_line=not text.multi_line)
            except ValidationFailed as exc:
                errors.update(exc.fields)
                continue
            if value:
                own[text.name] = value
        if own:
            found[lang] = own
    return found


def refused_in(errors: Mapping[str, Any], texts: Sequence[TranslatedText]) -> bool:
    """Whether a form's messages name one of its texts in another language (the form then shows them)."""
    return any(translated_field(t.name, lang) in errors for t in texts for lang in text_languages())


def localized(translations: Mapping[str, Any] | None, lang: str, name: str, default: str) -> str:
    """`name` as `lang` reads it: staff's text in that language, else the default language's."""
    return _own(translations, lang, name) or default


def _own(translations: Mapping[str, Any] | None, lang: str | None, name: str) -> str:
    own = (translations or {}).get(lang) if lang else None
    text = own.get(name) if isinstance(own, Mapping) else None
    return text if isinstance(text, str) else ""


def text_language(translations: Mapping[str, Any] | None, lang: str | None, name: str) -> str:
    """The language of `localized(...)`: `lang` where staff wrote the text in it, else the default
    language. A page in `lang` marks a text in another (`lang="en"` on it), so a screen reader
    reads it with that language's voice (WCAG 3.1.2)."""
    return lang if lang and _own(translations, lang, name) else DEFAULT_LANGUAGE


def text_languages_of(row: Any, lang: str | None, texts: Sequence[str | TranslatedText]) -> dict[str, str]:
    """`text_language` of each of `row`'s columns `texts` (the row has `translations`), by name."""
    names = [t if isinstance(t, str) else t.name for t in texts]
    return {name: text_language(row.translations, lang, name) for name in names}


def row_text(row: Any, lang: str | None, name: str) -> str:
    """Column `name` of `row` (which has `translations`) as a reader of `lang` gets it; None: as stored."""
    stored = getattr(row, name)
    return localized(row.translations, lang, name, stored) if lang else stored


def form_values(translations: Mapping[str, Any] | None, texts: Sequence[TranslatedText]) -> dict[str, str]:
    """The form's fields (`title_fi`: text) for a row's stored translations, '' where there is none."""
    return {translated_field(t.name, lang): localized(translations, lang, t.name, "")
            for lang in text_languages() for t in texts}
