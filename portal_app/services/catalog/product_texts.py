"""A product's name, description and unit, and a category's name, in the reader's language.

The product's own columns hold the default language's texts; `ProductText` holds one row per other
language staff wrote (services/translations.py reads the form: `name_fi`, `description_fi`,
`unit_fi`); a reader of a language without a row gets the default texts, and a row's empty
description or unit falls back to the default one. The search text holds the code and every
language's name, so a search finds a product by any of its names. A category keeps its other names
in a JSON column, as the portal's other translated rows do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, exists
from sqlmodel import Session, col, select

from ...i18n import DEFAULT_LANGUAGE, available_languages
from ...models import Product, ProductCategory, ProductText
from ..portal.config import translated_field
from ..translations import TranslatedText, localized, parse_translations, sent, text_language
from .catalog_rules import TEXT_LIMITS
from .inputs import fold

PRODUCT_TEXTS = (TranslatedText("name", TEXT_LIMITS["name"]),
                 TranslatedText("description", TEXT_LIMITS["description"], multi_line=True),
                 TranslatedText("unit", TEXT_LIMITS["unit"]))
CATEGORY_TEXTS = (TranslatedText("name", TEXT_LIMITS["category"]),)
SEARCH_TEXT_CHARS = 1000


def other_language(lang: Any) -> str | None:
    """`lang` when its texts may differ from the columns; None for the default language, none asked
    or anything but a known language."""
    return lang if isinstance(lang, str) and lang != DEFAULT_LANGUAGE and lang in available_languages() else None


def search_text(code: str, name: str, names: Iterable[str] = ()) -> str:
    """What `Product.search_text` holds: the code and the names in every language, folded."""
    return fold(" ".join([code, name, *names]))[:SEARCH_TEXT_CHARS]


def read_texts(data: Mapping[str, Any], errors: dict[str, Any]) -> dict[str, dict[str, str]] | None:
    """A product form's texts in the other languages ({"fi": {"name": ..., "description": ...}}),
    None when the form has none of their fields (the stored ones stay). A description or unit
    without a name in its language is refused at the name: the list would show the default name
    beside it."""
    if not sent(data, PRODUCT_TEXTS):
        return None
    found = parse_translations(data, PRODUCT_TEXTS, errors)
    for lang, own in found.items():
        if "name" not in own:
            errors.setdefault(translated_field("name", lang), "error.catalog_translation_name")
    return found


def product_translations(session: Session, product_id: int) -> dict[str, dict[str, str]]:
    """The product's stored texts in the other languages, as the form shows them."""
    rows = session.exec(select(ProductText).where(ProductText.product_id == product_id)).all()
    return {r.lang: {"name": r.name, **({"description": r.description} if r.description else {}),
                     **({"unit": r.unit} if r.unit else {})} for r in rows}


def store_texts(session: Session, product: Product, texts: dict[str, dict[str, str]] | None) -> None:
    """Replace the product's texts in the other languages with `texts` (None: keep them) and bring
    its search text in line. The caller commits."""
    if texts is not None and product.id is not None:
        session.exec(delete(ProductText).where(col(ProductText.product_id) == product.id))  # type: ignore[call-overload]
        for lang, own in texts.items():
            session.add(ProductText(product_id=product.id, lang=lang, name=own["name"],
                                    description=own.get("description", ""), unit=own.get("unit", "")))
        names = [own["name"] for own in texts.values()]
    else:
        names = list(session.exec(select(ProductText.name).where(ProductText.product_id == product.id)).all()) \
            if product.id is not None else []
    product.search_text = search_text(product.code, product.name, names)


def translated_names(session: Session) -> dict[int, list[str]]:
    """Every product's names in the other languages (for a bulk rewrite of the search texts)."""
    found: dict[int, list[str]] = {}
    for product_id, name in session.exec(select(ProductText.product_id, ProductText.name)).all():
        found.setdefault(product_id, []).append(name)
    return found


def names_in(session: Session, lang: str | None, product_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The products' names and units in `lang` where staff wrote them (the default language: none;
    a unit '': the product's own)."""
    lang, ids = other_language(lang), list(product_ids)
    if lang is None or not ids:
        return {}
    rows = session.exec(select(ProductText.product_id, ProductText.name, ProductText.unit)
                        .where(ProductText.lang == lang, col(ProductText.product_id).in_(ids))).all()
    return {product_id: (name, unit) for product_id, name, unit in rows}


def text_of(session: Session, lang: str | None, product: Product) -> tuple[str, str, str, dict[str, str]]:
    """The product's name, description and unit as a reader of `lang` gets them, and the language
    each is in (`languages_of`)."""
    lang = other_language(lang)
    own = session.get(ProductText, (product.id, lang)) if lang else None
    if own is None:
        return product.name, product.description, product.unit, languages_of(None, None)
    return (own.name, own.description or product.description, own.unit or product.unit,
            languages_of(lang, (own.name, own.unit), description=own.description))


def languages_of(lang: str | None, words: tuple[str, str] | None, *, description: str = "") -> dict[str, str]:
    """The language of a product's "name", "unit" and "description" as a reader gets them: `lang`
    where staff wrote it (`words`: the name and unit `names_in` found, a unit '' the product's own),
    else the default language (`translations.text_language`)."""
    name, unit = words or ("", "")
    return {"name": lang if lang and name else DEFAULT_LANGUAGE, "unit": lang if lang and unit else DEFAULT_LANGUAGE,
            "description": lang if lang and description else DEFAULT_LANGUAGE}


def has_names(session: Session, lang: str | None) -> bool:
    """Whether any product has a name in `lang` (else the catalog sorts by the columns alone)."""
    lang = other_language(lang)
    return lang is not None and session.exec(select(exists().where(ProductText.lang == lang))).one()


def category_text(name: str | None, translations: Mapping[str, Any] | None, lang: str | None) -> str:
    """A category's name (and its `translations`) as a reader of `lang` gets it; '' without one."""
    lang = other_language(lang)
    return localized(translations, lang, "name", name or "") if lang else name or ""


def category_language(translations: Mapping[str, Any] | None, lang: str | None) -> str:
    """The language of `category_text(...)`."""
    return text_language(translations, other_language(lang), "name")


def category_name(category: ProductCategory | None, lang: str | None) -> str:
    return category_text(category.name, category.translations, lang) if category is not None else ""

