"""`t(key)`: a translated message as a Var that follows the user's language.

Every language's text is compiled into the page beside the others, and the user's language
(`SessionState.lang`) picks one in the browser: no tab keeps the catalogue in its state (it was
57 KB per tab, and sent in full to every tab in another language than English)."""

from __future__ import annotations

import reflex as rx

from ..i18n import DEFAULT_LANGUAGE, available_languages, catalogue
from ..state.session import SessionState


def t(key: str) -> rx.Var[str]:
    if not isinstance(key, str):
        raise TypeError(f"t() takes a catalogue key, not {type(key).__name__}")
    default = catalogue(DEFAULT_LANGUAGE).get(key, key)
    text: rx.Var = rx.Var.create(default)
    for code in available_languages():
        translated = catalogue(code).get(key, key)
        if code != DEFAULT_LANGUAGE and translated != default:
            text = rx.cond(SessionState.lang == code, translated, text)
    return text.to(str)
