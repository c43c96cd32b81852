"""Actor: who is acting, with the rights that apply right now, read fresh from the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from ..models import (
    COMPANY_FIELDS, CONTACT_FIELDS, Account, AccountKind, Contact, FieldAccess, ModuleAccess,
    PortalProfile,
)
from .errors import PermissionDenied
from .portal.modules import MODULE_KEYS
from .portal.row import get_portal_settings

_LEVEL = {ModuleAccess.NONE: 0, ModuleAccess.VIEW: 1, ModuleAccess.EDIT: 2}
_FIELD_LEVEL = {FieldAccess.HIDDEN: 0, FieldAccess.READ: 1, FieldAccess.EDIT: 2}


@dataclass(frozen=True, eq=False)
class Actor:
    account_id: int
    kind: AccountKind
    email: str
    name: str
    language: str
    time_zone: str = ""  # the zone the user reads times in; '' for the portal's (i18n.format_when)
    contact_id: int | None = None
    company_id: int | None = None
    is_company_admin: bool = False
    modules: dict[str, ModuleAccess] = field(default_factory=dict)
    fields: dict[str, FieldAccess] = field(default_factory=dict)

    @property
    def is_staff(self) -> bool:
        return self.kind == AccountKind.STAFF

    def module(self, key: str) -> ModuleAccess:
        return self.modules.get(key, ModuleAccess.NONE)

    def can(self, key: str, level: ModuleAccess = ModuleAccess.VIEW) -> bool:
        return _LEVEL[self.module(key)] >= _LEVEL[level]

    def field(self, name: str) -> FieldAccess:
        """Access to "contact.<field>" or "company.<field>"."""
        return self.fields.get(name, FieldAccess.HIDDEN)

    def require_module(self, key: str, level: ModuleAccess = ModuleAccess.VIEW) -> None:
        if not self.can(key, level):
            raise PermissionDenied()

    def require_staff(self) -> None:
        if not self.is_staff:
            raise PermissionDenied()

    @property
    def manages_company_contacts(self) -> bool:
        """A company admin whose profile lets it at least see the company module."""
        return self.is_company_admin and self.company_id is not None and self.can("company")


def _coerce_modules(raw: dict, enabled: set[str]) -> dict[str, ModuleAccess]:
    out = {}
    for key in MODULE_KEYS:
        value = raw.get(key, ModuleAccess.NONE)
        level = ModuleAccess(value) if value in ModuleAccess._value2member_map_ else ModuleAccess.NONE
        out[key] = level if key in enabled else ModuleAccess.NONE
    return out


def _coerce_fields(raw: dict) -> dict[str, FieldAccess]:
    out = {}
    for prefix, names in (("contact", CONTACT_FIELDS), ("company", COMPANY_FIELDS)):
        for name in names:
            value = raw.get(f"{prefix}.{name}", FieldAccess.HIDDEN)
            out[f"{prefix}.{name}"] = (
                FieldAccess(value) if value in FieldAccess._value2member_map_ else FieldAccess.HIDDEN
            )
    return out


def build_actor(session: Session, account: Account) -> Actor | None:
    """The actor for an account, or None when it may not use the portal now."""
    if not account.enabled or account.id is None:
        return None
    if account.kind == AccountKind.STAFF:
        return Actor(
            account_id=account.id, kind=account.kind, email=account.email,
            name=account.full_name or account.email, language=account.language,
            time_zone=account.time_zone,
            modules={key: ModuleAccess.EDIT for key in MODULE_KEYS},
            fields={f"contact.{n}": FieldAccess.EDIT for n in CONTACT_FIELDS}
            | {f"company.{n}": FieldAccess.EDIT for n in COMPANY_FIELDS},
        )
    contact = session.get(Contact, account.contact_id) if account.contact_id else None
    if contact is None or not contact.is_active:
        return None
    enabled = set(get_portal_settings(session).enabled_modules)
    name = f"{contact.first_name} {contact.last_name}".strip()
    own_fields = {f"contact.{n}": FieldAccess.READ for n in CONTACT_FIELDS}
    if account.kind == AccountKind.COLLABORATOR:
        modules = _coerce_modules({"tickets": ModuleAccess.EDIT}, enabled)
        return Actor(
            account_id=account.id, kind=account.kind, email=account.email, name=name,
            language=account.language, time_zone=account.time_zone, contact_id=contact.id,
            company_id=contact.company_id,
            modules=modules, fields=own_fields,
        )
    profile = session.get(PortalProfile, contact.profile_id) if contact.profile_id else None
    return Actor(
        account_id=account.id, kind=account.kind, email=account.email, name=name,
        language=account.language, time_zone=account.time_zone, contact_id=contact.id,
        company_id=contact.company_id, is_company_admin=contact.portal_admin,
        modules=_coerce_modules(profile.module_access if profile else {}, enabled),
        fields=_coerce_fields(profile.field_access if profile else {}) if profile else own_fields,
    )


def granting_profiles(session: Session, key: str, level: ModuleAccess = ModuleAccess.VIEW) -> list[int]:
    """The ids of the portal profiles whose contacts may use module `key` at `level` now (the module
    switched on, the profile granting it): where a service looking for such people starts, before
    `build_actor` decides for each."""
    enabled = set(get_portal_settings(session).enabled_modules)
    return [profile.id for profile in session.exec(select(PortalProfile)).all()  # type: ignore[misc]
            if _LEVEL[_coerce_modules(profile.module_access, enabled)[key]] >= _LEVEL[level]]


def field_rank(level: FieldAccess) -> int:
    return _FIELD_LEVEL[level]
