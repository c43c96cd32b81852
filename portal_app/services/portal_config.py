"""Portal settings (the single row staff edits): checked changes by staff; the read itself is `portal_row`'s."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from sqlmodel import Session

from ..models import PortalSettings
from .actor import Actor
from .errors import ValidationFailed
from .modules import MODULE_KEYS
from .portal_row import get_portal_settings
from .validation import canonical_int, clean_line, clean_text


COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_LINKS = 20


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
    if not isinstance(raw, list) or len(raw) > MAX_LINKS:
        raise ValidationFailed({"external_links": "error.invalid"})
    links = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ValidationFailed({"external_links": "error.invalid"})
        title = clean_line(item.get("title"), field=f"link_title_{index}", max_chars=100)
        url = clean_line(item.get("url"), field=f"link_url_{index}", max_chars=500)
        if not title and not url:
            continue
        if not title:
            raise ValidationFailed({f"link_title_{index}": "error.required"})
        links.append({"title": title, "url": _check_url(url, f"link_url_{index}") or _required(index)})
    return links


def _required(index: int) -> str:
    raise ValidationFailed({f"link_url_{index}": "error.required"})


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
    if "external_links" in data:
        try:
            changes["external_links"] = parse_links(data["external_links"])
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    for name, value in changes.items():
        setattr(row, name, value)
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def set_module_enabled(*, session: Session, actor: Actor, module: str, enabled: bool) -> PortalSettings:
    actor.require_staff()
    if module not in MODULE_KEYS or not isinstance(enabled, bool):
        raise ValidationFailed({"enabled_modules": "error.invalid"})
    current = set(get_portal_settings(session).enabled_modules)
    current = current | {module} if enabled else current - {module}
    return update_portal_settings(session=session, actor=actor, data={"enabled_modules": list(current)})
