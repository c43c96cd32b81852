"""Portal settings (the single row staff edits): checked changes by staff; the read itself is `row`'s.

The texts staff writes for people (the welcome message, the home page text, the titles of the
external links) have a version per UI language: the columns hold the default language's, and
`PortalSettings.translations` the others' ({"fi": {"welcome_message", "home_content",
"link_titles": [by the links' index]}}). `localized_texts` gives a language's version, the default
language's text filling whatever that language has none of."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

from sqlmodel import Session

from ...i18n import DEFAULT_LANGUAGE, available_languages
from ...models import PortalSettings
from ..actor import Actor
from ..errors import ValidationFailed
from ..invoices.invoice_rules import SELLER_FIELDS, SELLER_LIMITS
from .logo_store import forget_replaced
from .modules import MODULE_KEYS
from .row import get_portal_settings
from ..validation import canonical_int, clean_line, clean_text


COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MENU_CONTRAST_MIN = Decimal("4.5")  # the menu's text is white: WCAG AA for normal text


def contrast_with_white(color: str) -> float:
    """WCAG's contrast ratio of white text on `color` (#RRGGBB): 1 (white) to 21 (black)."""
    def linear(channel: str) -> float:
        c = int(channel, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(color[i:i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)
MAX_LINKS = 20
LINK_TITLE_CHARS = 100
# the texts that have a version per language, with their limits: both keep their line breaks
TRANSLATED_TEXTS = (("welcome_message", 500), ("home_content", 20000))


def text_languages() -> list[str]:
    """The languages whose texts staff may write besides the default language's (the columns)."""
    return [code for code in available_languages() if code != DEFAULT_LANGUAGE]


def translated_field(name: str, lang: str) -> str:
    """The form field (and error key) of a text in another language: `welcome_message_fi`, `link_title_0_fi`."""
    return f"{name}_{lang}"


def localized_texts(row: PortalSettings | dict[str, Any], lang: str) -> dict[str, Any]:
    """The welcome message, the home page text and the external links as `lang` reads them: that
    language's text where it has one, the default language's otherwise (and for unknown languages).
    `row` is the settings row or its `model_dump()`. "text_langs" and each link's "lang" say which
    language each text is in (`translations.text_language`)."""
    values = row if isinstance(row, dict) else row.model_dump()
    translations = values.get("translations")
    own = translations.get(lang) if lang != DEFAULT_LANGUAGE and isinstance(translations, dict) else None
    own = own if isinstance(own, dict) else {}
    texts: dict[str, Any] = {name: own.get(name) or values[name] for name, _ in TRANSLATED_TEXTS}
    texts["text_langs"] = {name: lang if own.get(name) else DEFAULT_LANGUAGE for name, _ in TRANSLATED_TEXTS}
    titles = own.get("link_titles") if isinstance(own.get("link_titles"), list) else []

    def own_title(i: int) -> str:
        return titles[i] if i < len(titles) and isinstance(titles[i], str) and titles[i] else ""

    texts["external_links"] = [
        {"title": own_title(i) or link["title"], "url": link["url"], "lang": lang if own_title(i) else DEFAULT_LANGUAGE}
        for i, link in enumerate(values["external_links"])]
    return texts


def _check_url(value: str, field: str, *, allow_relative: bool = False) -> str:
    if not value:
        return ""
    try:
        parsed = urlparse(value)
    except ValueError:  # e.g. "http://[" (an unclosed IPv6 host)
        raise ValidationFailed({field: "error.url"}) from None
    if "\\" in value or " " in value:  # (line breaks and tabs are folded into spaces before)
        raise ValidationFailed({field: "error.url"})
    if allow_relative and value.startswith("/") and not value.startswith("//"):
        return value
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValidationFailed({field: "error.url"})
    return value


def parse_links(raw: Any) -> list[dict[str, str]]:
    """External links from a list of {title, url}; both are required on a row that has either."""
    return [link for _, link in _parse_link_rows(raw)]


def _parse_link_rows(raw: Any) -> list[tuple[int, dict[str, str]]]:
    """`parse_links` with each kept link's index in `raw` (empty rows are left out); every row's
    problems are said at once, each at its own field."""
    if not isinstance(raw, list) or len(raw) > MAX_LINKS or not all(isinstance(item, dict) for item in raw):
        raise ValidationFailed({"external_links": "error.invalid"})
    links, errors = [], {}
    for index, item in enumerate(raw):
        try:
            links.append((index, _parse_link_row(index, item)))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return [(index, link) for index, link in links if link]


def _parse_link_row(index: int, item: dict[str, Any]) -> dict[str, str]:
    """One row's link ({} for an empty row); its title's and its address's problems together."""
    errors: dict[str, Any] = {}
    title = url = ""
    try:
        title = clean_line(item.get("title"), field=f"link_title_{index}", max_chars=LINK_TITLE_CHARS)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        url = clean_line(item.get("url"), field=f"link_url_{index}", max_chars=500)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if not errors and not title and not url:
        return {}
    if not title and f"link_title_{index}" not in errors:
        errors[f"link_title_{index}"] = "error.required"
    if f"link_url_{index}" not in errors:
        try:
            url = _check_url(url, f"link_url_{index}") or _required(index)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return {"title": title, "url": url}


def _parse_translations(raw: Any, errors: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{lang: {"welcome_message", "home_content", "link_titles": [...]}} checked as the default
    language's texts are (limits, line rules); errors under `translated_field` keys. Link titles
    are by the index of the links as sent (or as stored, when no links are sent). Empty texts
    are left out: the default language's text shows in their place."""
    if not isinstance(raw, dict) or any(lang not in text_languages() for lang in raw):
        errors["translations"] = "error.invalid"
        return {}
    parsed: dict[str, dict[str, Any]] = {}
    for lang, texts in raw.items():
        if not isinstance(texts, dict) or set(texts) - {"link_titles", *(n for n, _ in TRANSLATED_TEXTS)}:
            errors["translations"] = "error.invalid"
            continue
        own: dict[str, Any] = {}
        for name, limit in TRANSLATED_TEXTS:
            try:
                own[name] = clean_text(texts.get(name), field=translated_field(name, lang), max_chars=limit)
            except ValidationFailed as exc:
                errors.update(exc.fields)
        titles = texts.get("link_titles", [])
        if not isinstance(titles, list) or len(titles) > MAX_LINKS:
            errors["translations"] = "error.invalid"
            titles = []
        own["link_titles"] = []
        for index, title in enumerate(titles):
            try:
                own["link_titles"].append(clean_line(title, field=translated_field(f"link_title_{index}", lang),
                                                     max_chars=LINK_TITLE_CHARS))
            except ValidationFailed as exc:
                errors.update(exc.fields)
        parsed[lang] = own
    return parsed


def _stored_translations(texts: dict[str, dict[str, Any]], links: int) -> dict[str, dict[str, Any]]:
    """Only what a language has: no empty texts, link titles for existing links, no empty languages."""
    stored = {}
    for lang, own in texts.items():
        titles = [title if isinstance(title, str) else "" for title in own.get("link_titles", [])][:links]
        while titles and not titles[-1]:
            titles.pop()
        kept = {name: own[name] for name, _ in TRANSLATED_TEXTS if own.get(name)}
        if titles:
            kept["link_titles"] = titles
        if kept:
            stored[lang] = kept
    return stored


def _required(index: int) -> str:
    raise ValidationFailed({f"link_url_{index}": "error.required"})


# --- the seller printed on invoices -------------------------------------------------------------------

_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")  # ISO 9362: bank, country, location, branch


def iban_valid(compact: str) -> bool:
    """ISO 13616: the country's letters and the check digits moved to the end, letters as 10..35,
    the whole number modulo 97 is 1."""
    if not _IBAN.fullmatch(compact):
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def _parse_seller(raw: Any, errors: dict[str, Any]) -> dict[str, str] | None:
    """{name, address, business_id, iban, bic, bank}: each one line within its limit, errors under
    `seller_<field>`; the IBAN checked (mod 97, spaces allowed) and stored grouped in fours, the
    BIC in ISO 9362's shape (8 or 11 letters and digits), both in capitals. None when refused."""
    if not isinstance(raw, dict) or set(raw) - set(SELLER_FIELDS):
        errors["seller"] = "error.invalid"
        return None
    seller: dict[str, str] = {}
    before = len(errors)
    for name in SELLER_FIELDS:
        field = f"seller_{name}"
        try:
            seller[name] = clean_line(raw.get(name), field=field, max_chars=SELLER_LIMITS[name])
        except ValidationFailed as exc:
            errors.update(exc.fields)
    iban = seller.get("iban", "").replace(" ", "").upper()
    if iban:
        if iban_valid(iban):
            seller["iban"] = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
        else:
            errors["seller_iban"] = "error.iban"
    bic = seller.get("bic", "").replace(" ", "").upper()
    if bic:
        if _BIC.fullmatch(bic):
            seller["bic"] = bic
        else:
            errors["seller_bic"] = "error.bic"
    return seller if len(errors) == before else None


def update_portal_settings(*, session: Session, actor: Actor, data: dict[str, Any]) -> PortalSettings:
    """Change settings; only the keys present in `data` are touched. Staff only."""
    actor.require_staff()
    if not isinstance(data, dict):
        raise ValidationFailed({"form": "error.invalid"})
    row = get_portal_settings(session)
    changes: dict[str, Any] = {}
    errors: dict[str, Any] = {}

    def text(name: str, limit: int, *, single_line: bool = True) -> None:
        if name in data:
            try:
                changes[name] = clean_text(data[name], field=name, max_chars=limit, single_line=single_line)
            except ValidationFailed as exc:
                errors.update(exc.fields)

    # the welcome message and the home page text keep their line breaks; the rest is one line
    for name, limit, single_line in (("portal_name", 100, True), ("welcome_message", 500, False),
                                     ("home_content", 20000, False)):
        text(name, limit, single_line=single_line)
    text("logo_url", 500)
    text("menu_color", 7)
    if "logo_url" in changes:
        try:
            changes["logo_url"] = _check_url(changes["logo_url"], "logo_url", allow_relative=True)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if "menu_color" in changes and not COLOR_RE.match(changes["menu_color"]):
        errors["menu_color"] = "error.color"
    elif "menu_color" in changes and (ratio := contrast_with_white(changes["menu_color"])) < MENU_CONTRAST_MIN:
        errors["menu_color"] = ("error.color_contrast", {"ratio": Decimal(f"{ratio:.1f}"),
                                                          "min": MENU_CONTRAST_MIN})
    if "portal_name" in changes and not changes["portal_name"]:
        errors["portal_name"] = "error.required"
    for name, low, high in (("lockout_threshold", 0, 100), ("lockout_minutes", 1, 10080)):
        if name in data:
            value = data[name].strip() if isinstance(data[name], str) else data[name]
            number = canonical_int(value) if not isinstance(value, str) or len(value) < 7 else None  # not "05", "５"
            if number is None or not low <= number <= high:  # the message says what is allowed
                errors[name] = ("error.range", {"min": low, "max": high})
            else:
                changes[name] = number
    if "customers_can_close" in data:
        value = data["customers_can_close"]
        if not isinstance(value, bool):
            errors["customers_can_close"] = "error.invalid"
        else:
            changes["customers_can_close"] = value
    if "enabled_modules" in data:
        modules = data["enabled_modules"]
        if not isinstance(modules, list) or any(m not in MODULE_KEYS for m in modules):
            errors["enabled_modules"] = "error.invalid"
        else:
            changes["enabled_modules"] = [m for m in MODULE_KEYS if m in modules]
    kept_rows: list[int] | None = None  # the indexes of the links sent that were kept
    if "external_links" in data:
        try:
            rows = _parse_link_rows(data["external_links"])
            changes["external_links"] = [link for _, link in rows]
            kept_rows = [index for index, _ in rows]
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if "seller" in data:
        seller = _parse_seller(data["seller"], errors)
        if seller is not None:
            changes["seller"] = seller
    if "translations" in data:
        translations = _parse_translations(data["translations"], errors)
        if kept_rows is not None:  # titles sent with the links follow them past the empty rows left out
            for own in translations.values():
                sent = own["link_titles"]
                own["link_titles"] = [sent[i] if i < len(sent) else "" for i in kept_rows]
        links = len(changes.get("external_links", row.external_links))
        if any(len(own["link_titles"]) > links for own in translations.values()):
            errors.setdefault("translations", "error.invalid")  # a title for a link there is not
        changes["translations"] = _stored_translations(translations, links)
    elif "external_links" in changes:
        # links changed without their translated titles: each title stays with its link (same
        # title and address in the default language), a new or changed link has none yet
        changes["translations"] = _titles_following_links(row, changes["external_links"])
    if errors:
        raise ValidationFailed(errors)
    old_logo = row.logo_url
    for name, value in changes.items():
        setattr(row, name, value)
    session.add(row)
    session.commit()
    forget_replaced(old_logo, row.logo_url)
    session.refresh(row)
    return row


def _titles_following_links(row: PortalSettings, links: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    texts = {}
    for lang, own in (row.translations or {}).items():
        if not isinstance(own, dict):
            continue
        old = own.get("link_titles") if isinstance(own.get("link_titles"), list) else []
        by_link = {(link["title"], link["url"]): old[i] for i, link in enumerate(row.external_links) if i < len(old)}
        texts[lang] = {**own, "link_titles": [by_link.get((link["title"], link["url"]), "") for link in links]}
    return _stored_translations(texts, len(links))


def set_module_enabled(*, session: Session, actor: Actor, module: str, enabled: bool) -> PortalSettings:
    actor.require_staff()
    if module not in MODULE_KEYS or not isinstance(enabled, bool):
        raise ValidationFailed({"enabled_modules": "error.invalid"})
    current = set(get_portal_settings(session).enabled_modules)
    current = current | {module} if enabled else current - {module}
    return update_portal_settings(session=session, actor=actor, data={"enabled_modules": list(current)})
