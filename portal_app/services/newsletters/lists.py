"""List types (email opt-out lists), who receives which, and the landing page of each.

- A contact whose profile grants the Newsletters module (view is enough: the choices are the
  contact's own mail) sees every list type and stops or restarts each for its own address.
- Anyone holding a list's signed landing link (`tokens.py`, in the list's mails) stops or restarts
  that list for that one address, without signing in; the link works whatever the module's state,
  since stopping mail must always be possible.
- Staff keeps the list types (name, description), sees which addresses stopped each, and makes a
  landing link for an address (for the mailing tool's template).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ...i18n import DEFAULT_LANGUAGE
from ...models import AccountKind, MailingList, MailingOptOut, ModuleAccess
from ..actor import Actor
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..translations import TranslatedText, parse_translations, row_text, sent, text_languages_of
from ..validation import clean_line, clean_text, normalize_email, parse_id
from . import tokens

MODULE = "newsletters"
NAME_MAX, DESCRIPTION_MAX = 100, 500
LIST_TEXTS = (TranslatedText("name", NAME_MAX), TranslatedText("description", DESCRIPTION_MAX, multi_line=True))
SOURCES = ("portal", "landing", "staff")
STOPPED_SHOWN = 200


@dataclass(frozen=True)
class ListChoice:
    id: int
    name: str
    description: str
    receiving: bool
    text_langs: dict[str, str] = field(default_factory=dict)  # "name", "description": each one's language


@dataclass(frozen=True)
class Landing:
    list_id: int
    name: str
    description: str
    address: str  # shown masked: "v***@acme.example.com"
    receiving: bool
    text_langs: dict[str, str] = field(default_factory=dict)  # as `ListChoice.text_langs`


@dataclass(frozen=True)
class StaffList:
    id: int
    name: str
    description: str
    stopped: int  # addresses that stopped the list
    translations: dict[str, dict[str, str]]  # the name and description in the other languages


@dataclass(frozen=True)
class StoppedAddress:
    email: str
    source: str
    when: datetime


def manages_own_mail(actor: Actor) -> bool:
    return actor.kind == AccountKind.CONTACT and actor.contact_id is not None and actor.can(MODULE, ModuleAccess.VIEW)


def _own_address(actor: Actor) -> str:
    if not manages_own_mail(actor):
        raise PermissionDenied()
    return actor.email.lower()


def _stopped(session: Session, email: str) -> set[int]:
    return set(session.exec(select(MailingOptOut.mailing_list_id).where(MailingOptOut.email == email)).all())


def _list(session: Session, list_id: Any) -> MailingList:
    found = session.get(MailingList, parse_id(list_id, field="list"))
    if found is None:
        raise NotFound()
    return found


def _set(session: Session, list_id: int, email: str, receiving: Any, source: str) -> bool:
    """Stop or restart the list for the address (idempotent); what it is now."""
    if not isinstance(receiving, bool):
        raise ValidationFailed({"receiving": "error.invalid"})
    if receiving:
        session.exec(delete(MailingOptOut).where(MailingOptOut.mailing_list_id == list_id,  # type: ignore[arg-type]
                                                 MailingOptOut.email == email))
        session.commit()
        return True
    if list_id in _stopped(session, email):
        return False
    session.add(MailingOptOut(mailing_list_id=list_id, email=email, source=source))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same stop at the same moment (a double click): it is stopped either way
    return False


def _choice(row: MailingList, lang: str, receiving: bool) -> ListChoice:
    return ListChoice(id=row.id, name=row_text(row, lang, "name"),  # type: ignore[arg-type]
                      description=row_text(row, lang, "description"), receiving=receiving,
                      text_langs=text_languages_of(row, lang, LIST_TEXTS))


def my_lists(*, session: Session, actor: Actor, lang: str = DEFAULT_LANGUAGE) -> list[ListChoice]:
    """Every list type in the reader's language, by name, and whether the actor's own address receives it."""
    email = _own_address(actor)
    stopped = _stopped(session, email)
    rows = session.exec(select(MailingList).order_by(MailingList.name, MailingList.id)).all()
    return sorted((_choice(r, lang, r.id not in stopped) for r in rows), key=lambda c: (c.name.casefold(), c.id))


def set_my_list(*, session: Session, actor: Actor, list_id: Any, receiving: Any,
                lang: str = DEFAULT_LANGUAGE) -> ListChoice:
    email = _own_address(actor)
    row = _list(session, list_id)
    now = _set(session, row.id, email, receiving, "portal")  # type: ignore[arg-type]
    return _choice(row, lang, now)


def _masked(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _linked(session: Session, token: Any) -> tuple[MailingList, str]:
    """The list and address of a genuine landing link. A link to a list since deleted answers NotFound
    (so does a made-up one naming no list); a forged one, or an old one whose list id a newer list got,
    is invalid."""
    claim = tokens.read_token(token)
    row = session.get(MailingList, claim.list_id)
    if row is None:
        raise NotFound()
    if not claim.genuine(row.link_key):
        raise ValidationFailed({"token": "error.mail_link_invalid"})
    return row, claim.email


def landing(*, session: Session, token: Any, lang: str = DEFAULT_LANGUAGE) -> Landing:
    """The landing page of a signed link, in the visitor's language."""
    row, email = _linked(session, token)
    return Landing(list_id=row.id, name=row_text(row, lang, "name"),  # type: ignore[arg-type]
                   description=row_text(row, lang, "description"), address=_masked(email),
                   receiving=row.id not in _stopped(session, email),
                   text_langs=text_languages_of(row, lang, LIST_TEXTS))


def landing_set(*, session: Session, token: Any, receiving: Any, lang: str = DEFAULT_LANGUAGE) -> Landing:
    row, email = _linked(session, token)
    _set(session, row.id, email, receiving, "landing")  # type: ignore[arg-type]
    return landing(session=session, token=token, lang=lang)


# --- staff -----------------------------------------------------------------------------------------

def staff_lists(*, session: Session, actor: Actor) -> list[StaffList]:
    actor.require_staff()
    counts = dict(session.exec(select(MailingOptOut.mailing_list_id, func.count())
                               .group_by(MailingOptOut.mailing_list_id)).all())
    rows = session.exec(select(MailingList).order_by(MailingList.name, MailingList.id)).all()
    return [StaffList(id=r.id, name=r.name, description=r.description, stopped=int(counts.get(r.id, 0)),  # type: ignore[arg-type]
                      translations=dict(r.translations or {})) for r in rows]


def save_list(*, session: Session, actor: Actor, list_id: Any = None, data: Mapping[str, Any]) -> StaffList:
    """Create a list type (`list_id` None) or rename one; names are unique, whatever their case."""
    actor.require_staff()
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    errors: dict[str, Any] = {}
    name = description = ""
    for field in ("name", "description"):  # a form sends text; anything else is no such form
        if not isinstance(data.get(field, ""), str):
            errors[field] = "error.invalid"
    try:
        name = clean_line(data.get("name"), field="name", max_chars=NAME_MAX)
        if not name:
            errors["name"] = "error.required"
    except ValidationFailed as exc:
        errors.update(exc.fields)
    try:
        description = clean_text(data.get("description"), field="description", max_chars=DESCRIPTION_MAX)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    translations = parse_translations(data, LIST_TEXTS, errors) if sent(data, LIST_TEXTS) else None
    row = None if list_id is None else _list(session, list_id)
    if errors:
        raise ValidationFailed(errors)
    if name:
        clash = session.exec(select(MailingList.id).where(func.lower(MailingList.name) == name.lower())).first()
        if clash is not None and (row is None or clash != row.id):
            errors["name"] = "error.list_name_taken"
    if errors:
        raise ValidationFailed(errors)
    row = row or MailingList(name=name)
    row.name, row.description = name, description
    if translations is not None:
        row.translations = translations
    session.add(row)
    session.commit()
    session.refresh(row)
    stopped = session.exec(select(func.count()).select_from(MailingOptOut)
                           .where(MailingOptOut.mailing_list_id == row.id)).one()
    return StaffList(id=row.id, name=row.name, description=row.description, stopped=int(stopped),  # type: ignore[arg-type]
                     translations=dict(row.translations or {}))


def delete_list(*, session: Session, actor: Actor, list_id: Any) -> None:
    actor.require_staff()
    row = _list(session, list_id)
    session.exec(delete(MailingOptOut).where(MailingOptOut.mailing_list_id == row.id))  # type: ignore[arg-type]
    session.delete(row)
    session.commit()


def stopped_addresses(*, session: Session, actor: Actor, list_id: Any) -> list[StoppedAddress]:
    """The addresses that stopped the list, the newest first (at most `STOPPED_SHOWN`)."""
    actor.require_staff()
    row = _list(session, list_id)
    rows = session.exec(select(MailingOptOut).where(MailingOptOut.mailing_list_id == row.id)
                        .order_by(MailingOptOut.created_at.desc(), MailingOptOut.id.desc()).limit(STOPPED_SHOWN)).all()  # type: ignore[attr-defined]
    return [StoppedAddress(email=r.email, source=r.source, when=r.created_at) for r in rows]


def staff_landing_link(*, session: Session, actor: Actor, list_id: Any, email: Any) -> str:
    """The landing link of the list for an address, to put in that address's mail."""
    actor.require_staff()
    row = _list(session, list_id)
    address = normalize_email(email.strip() if isinstance(email, str) else "", field="email")
    return tokens.landing_link(row.id, row.link_key, address.lower())  # type: ignore[arg-type]
