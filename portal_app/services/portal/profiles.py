"""Portal profiles: staff defines per-module and per-field rights."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, select

from ...models import (
    COMPANY_FIELDS, CONTACT_FIELDS, Contact, FieldAccess, ModuleAccess, PortalProfile,
)
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from .modules import MODULE_KEYS
from ..translations import TranslatedText, parse_translations, sent
from ..validation import clean_line, parse_id

NAME_MAX = 100
# the name as company admins read it among their colleagues' details, in their language
PROFILE_TEXTS = (TranslatedText("name", NAME_MAX),)

FIELD_KEYS: tuple[str, ...] = tuple(f"contact.{n}" for n in CONTACT_FIELDS) + tuple(
    f"company.{n}" for n in COMPANY_FIELDS
)


def list_profiles(*, session: Session, actor: Actor) -> list[PortalProfile]:
    actor.require_staff()
    return list(session.exec(select(PortalProfile).order_by(PortalProfile.name)).all())


def profile_usage(*, session: Session, actor: Actor) -> dict[int, int]:
    actor.require_staff()
    rows = session.exec(select(Contact.profile_id, func.count()).group_by(Contact.profile_id)).all()
    return {pid: n for pid, n in rows if pid is not None}


def _clean(data: Any) -> tuple[str, dict[str, str], dict[str, str]]:
    if not isinstance(data, dict):
        raise ValidationFailed({"name": "error.invalid"})
    name = clean_line(data.get("name"), field="name", max_chars=NAME_MAX)
    if not name:
        raise ValidationFailed({"name": "error.required"})
    modules, fields = data.get("module_access", {}), data.get("field_access", {})
    if not isinstance(modules, dict) or not isinstance(fields, dict):
        raise ValidationFailed({"form": "error.invalid"})
    if any(k not in MODULE_KEYS or not isinstance(v, str) or v not in ModuleAccess._value2member_map_
           for k, v in modules.items()):
        raise ValidationFailed({"module_access": "error.invalid"})
    if any(k not in FIELD_KEYS or not isinstance(v, str) or v not in FieldAccess._value2member_map_
           for k, v in fields.items()):
        raise ValidationFailed({"field_access": "error.invalid"})
    return name, {k: modules.get(k, "none") for k in MODULE_KEYS}, {k: fields.get(k, "hidden") for k in FIELD_KEYS}


def _name_free(session: Session, name: str, own_id: int | None) -> None:
    other = session.exec(select(PortalProfile).where(func.lower(PortalProfile.name) == name.lower())).first()
    if other is not None and other.id != own_id:
        raise ValidationFailed({"name": "error.name_taken"})


def save_profile(*, session: Session, actor: Actor, data: Any, profile_id: Any = None) -> PortalProfile:
    """Create (no id) or replace a profile's name (and its other languages' `name_<lang>`, when the
    form sends them) and rights; `is_default` moves the default here."""
    actor.require_staff()
    name, modules, fields = _clean(data)
    errors: dict[str, Any] = {}
    translations = parse_translations(data, PROFILE_TEXTS, errors) if sent(data, PROFILE_TEXTS) else None
    if errors:
        raise ValidationFailed(errors)
    if profile_id is None:
        profile = PortalProfile(name=name)
    else:
        profile = session.get(PortalProfile, parse_id(profile_id, field="profile_id"))
        if profile is None:
            raise NotFound()
    _name_free(session, name, profile.id)
    profile.name, profile.module_access, profile.field_access = name, modules, fields
    if translations is not None:
        profile.translations = translations
    if data.get("is_default") is True:
        session.exec(update(PortalProfile).values(is_default=False))
        profile.is_default = True
    session.add(profile)
    session.commit()
    session.refresh(profile)
    return profile


def delete_profile(*, session: Session, actor: Actor, profile_id: Any) -> None:
    actor.require_staff()
    profile = session.get(PortalProfile, parse_id(profile_id, field="profile_id"))
    if profile is None:
        raise NotFound()
    in_use = session.exec(select(func.count()).select_from(Contact).where(Contact.profile_id == profile.id)).one()
    if in_use:
        raise ValidationFailed({"profile": ("error.profile_in_use", {"count": in_use})})
    if profile.is_default:
        raise ValidationFailed({"profile": "error.profile_default"})
    session.delete(profile)
    session.commit()
