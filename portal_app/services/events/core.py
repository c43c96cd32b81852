"""Events for customers and for the public page: lists, the event, registering, cancelling.

Every registration -- signed in, public, or added by staff (`admin.add_attendee`) -- goes
through `_enrol`: one transaction that checks the email is not on the event yet, takes a seat or
a place on the waiting list (`seats.take_place`), writes the registration and stores its mail in
the outbox, or does nothing at all. Cancelling (`cancel_registration`, `cancel_by_token`) frees
the seat and promotes the first waiting in the same transaction (`seats.leave`).

The functions return the outbox ids of the mails they stored (`mail_ids`): the caller starts
their delivery after the action (`state.base.deliver_soon`); the mail worker sends them anyway.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, func, or_, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ...models import (
    Account, Company, Contact, Event, EventStatus, Registration, RegistrationSource, RegistrationStatus, utcnow,
)
from ...settings import settings
from .. import live, throttle
from ..mail import outbox
from ..actor import Actor
from ..errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from ...i18n import DEFAULT_LANGUAGE, normalize_language
from ..validation import PHONE_CHARACTERS, clean_line, has_web_address, normalize_email, parse_id, phone_problem
from ..submissions import parse_submission_id
from . import event_mail, seats
from ..translations import row_text, text_language, text_languages_of
from .event_rules import (
    ACTIVE, CONSENT_FIELD, FIELD_LIMITS, HONEYPOT_FIELD, PUBLIC_COMPANY_NAME, REGISTRATION_WINDOW,
)
from .scope import may_register, portal_shows, public_events, sees_events, visible_events
from .tokens import new_nonce, read_token

R = RegistrationStatus
PAGE_LIMIT = 200

# --- views -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyPlace:
    """The viewer's own registration on an event."""

    registration_id: int
    status: str
    position: int | None  # on the waiting list: 1, 2, ...


@dataclass(frozen=True)
class EventView:
    id: int
    slug: str
    title: str
    description: str
    starts_at: datetime  # UTC; show in `time_zone`
    ends_at: datetime
    time_zone: str
    location: str
    online_url: str  # the meeting link: '' unless the viewer may have it (`_gets_link`)
    online: bool  # held online (whether or not the link is given)
    capacity: int
    seats_taken: int
    seats_left: int
    waiting_count: int
    registration_deadline: datetime
    deadline_is_start: bool  # no deadline of its own: the start (the admin form shows it empty)
    waitlist_enabled: bool
    price_text: str
    public_page: bool
    visibility: str
    status: str
    registration_open: bool  # active, before the deadline, and a seat or the waiting list
    closed_reason: str  # why it is not open ('' while it is): `closed_reason`
    past: bool
    mine: MyPlace | None = None
    # the title and description in the other languages (staff's form; the two above are the reader's)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    # the language each of the reader's texts is in: "title", "description", "price_text" (`text_language`)
    text_langs: dict[str, str] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        """Every seat taken: registering now means the waiting list (when `registration_open`)."""
        return self.seats_taken >= self.capacity


@dataclass(frozen=True)
class Enrolled:
    """The outcome of a registration: "You are registered" or "on the waiting list" (position)."""

    registration_id: int
    event_slug: str
    status: str
    position: int | None
    repeated: bool  # the same form sent again: nothing new was made, no mail
    mail_ids: list[int]


@dataclass(frozen=True)
class Cancelled:
    registration_id: int
    event_slug: str
    was: str  # registered or waiting
    promoted: list[int]  # registrations moved from the waiting list into the freed seat
    mail_ids: list[int]


@dataclass(frozen=True)
class RegistrationView:
    """A registration in "My registrations" (and a company admin's company view)."""

    registration_id: int
    event_slug: str
    event_title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    event_status: str
    name: str
    email: str
    status: str
    position: int | None
    created_at: datetime
    # where the reader finds the event: "portal" (/events/<slug>), "public" (its public page: an event
    # the portal does not list for the reader, registered for there), "" (neither any more)
    page: str = "portal"
    event_title_lang: str = DEFAULT_LANGUAGE  # the language `event_title` is in (`text_language`)

    @property
    def cancellable(self) -> bool:
        """Whether "Cancel registration" can still be asked for: the event neither started nor
        cancelled (a cancelled event's registrations went with it)."""
        return self.event_status == EventStatus.ACTIVE and self.starts_at > utcnow()


@dataclass(frozen=True)
class TokenView:
    """What the cancel-link page shows before its "Cancel registration" button."""

    event_title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    name: str
    status: str
    can_cancel: bool
    language: str = "en"  # the registration's, which its mails were written in
    event_cancelled: bool = False  # staff cancelled the event: the registration went with it
    position: int | None = None  # on the waiting list: 1, 2, ...
    event_title_lang: str = DEFAULT_LANGUAGE  # the language `event_title` is in (`text_language`)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _open(event: Event, now: datetime) -> bool:
    return not closed_reason(event, now)


def closed_reason(event: Event, now: datetime) -> str:
    """Why registration is not open ('' while it is): "cancelled", "ended", "started", "deadline" or
    "full" (every seat taken and no waiting list: a cancellation opens it again)."""
    if event.status != EventStatus.ACTIVE:
        return "cancelled"
    if now >= _aware(event.ends_at):
        return "ended"
    if now >= _aware(event.starts_at):
        return "started"
    if now > _aware(event.registration_deadline):
        return "deadline"
    if event.seats_taken >= event.capacity and not event.waitlist_enabled:
        return "full"
    return ""


def _gets_link(actor: Actor | None, event: Event, mine: MyPlace | None) -> bool:
    """Who is given an online event's meeting link: staff, and a viewer holding a seat of an event
    that still takes place. Not the public page, not the waiting list: the link reaches registrants
    in their confirmation mail."""
    return actor is not None and (actor.is_staff or (mine is not None and mine.status == R.REGISTERED
                                                     and event.status == EventStatus.ACTIVE))


def _view(event: Event, waiting: int, now: datetime, mine: MyPlace | None = None, *,
          link: bool = False, lang: str = DEFAULT_LANGUAGE) -> EventView:
    """The event as a reader of `lang` sees it (staff's title, description and price in that language, where
    written)."""
    return EventView(
        id=event.id, slug=event.slug, title=row_text(event, lang, "title"),  # type: ignore[arg-type]
        description=row_text(event, lang, "description"), translations=dict(event.translations or {}),
        starts_at=_aware(event.starts_at), ends_at=_aware(event.ends_at), time_zone=event.time_zone,
        location=event.location, online_url=event.online_url if link else "", online=bool(event.online_url),
        capacity=event.capacity,
        seats_taken=event.seats_taken, seats_left=max(0, event.capacity - event.seats_taken), waiting_count=waiting,
        registration_deadline=_aware(event.registration_deadline), deadline_is_start=event.deadline_is_start,
        waitlist_enabled=event.waitlist_enabled,
        price_text=row_text(event, lang, "price_text"), public_page=event.public_page, visibility=event.visibility,
        status=event.status,
        registration_open=_open(event, now), closed_reason=closed_reason(event, now),
        past=_aware(event.ends_at) < now, mine=mine,
        text_langs=text_languages_of(event, lang, ("title", "description", "price_text")))


def _my_places(session: Session, actor: Actor, event_ids: list[int]) -> dict[int, MyPlace]:
    if actor.contact_id is None or not event_ids:
        return {}
    rows = session.exec(select(Registration).where(col(Registration.event_id).in_(event_ids),
                                                   Registration.contact_id == actor.contact_id,
                                                   col(Registration.status).in_(ACTIVE))).all()
    return {r.event_id: MyPlace(registration_id=r.id, status=r.status,  # type: ignore[arg-type]
                                position=seats.waiting_position(session, r)) for r in rows}


# --- lists and the event ---------------------------------------------------------------------------

def list_events(*, session: Session, actor: Actor, when: str = "upcoming", offset: int = 0, limit: int = 50,
                now: datetime | None = None, lang: str = DEFAULT_LANGUAGE) -> list[EventView]:
    """The events the actor sees: "upcoming" (not ended yet, soonest first) or "past" (latest first),
    with seats left, the waiting list's length and the actor's own place."""
    if when not in ("upcoming", "past"):
        raise ValidationFailed({"when": "error.invalid"})
    if not isinstance(offset, int) or not isinstance(limit, int) or isinstance(offset, bool):
        raise ValidationFailed({"offset": "error.number"})
    now = now or utcnow()
    stmt = visible_events(actor)
    if when == "upcoming":
        stmt = stmt.where(col(Event.ends_at) >= now).order_by(col(Event.starts_at), col(Event.id))
    else:
        stmt = stmt.where(col(Event.ends_at) < now).order_by(col(Event.starts_at).desc(), col(Event.id).desc())
    events = session.exec(stmt.offset(max(0, offset)).limit(max(1, min(limit, PAGE_LIMIT)))).all()
    ids = [e.id for e in events]
    waiting = seats.waiting_counts(session, ids)  # type: ignore[arg-type]
    mine = _my_places(session, actor, ids)  # type: ignore[arg-type]
    return [_view(e, waiting.get(e.id, 0), now, mine.get(e.id),  # type: ignore[arg-type]
                  link=_gets_link(actor, e, mine.get(e.id)), lang=lang) for e in events]  # type: ignore[arg-type]


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", value):
        raise NotFound()
    return value


def _load(session: Session, actor: Actor, slug: Any) -> Event:
    event = session.exec(visible_events(actor).where(Event.slug == _slug(slug))).first()
    if event is None:
        raise NotFound()
    return event


def get_event(*, session: Session, actor: Actor, slug: Any, now: datetime | None = None,
              lang: str = DEFAULT_LANGUAGE) -> EventView:
    """The event page: the event if the actor may see it (else NotFound), with its own place."""
    event = _load(session, actor, slug)
    mine = _my_places(session, actor, [event.id]).get(event.id)  # type: ignore[arg-type]
    return _view(event, seats.waiting_counts(session, [event.id]).get(event.id, 0),  # type: ignore[list-item]
                 now or utcnow(), mine, link=_gets_link(actor, event, mine), lang=lang)


def company_contacts_on_event(*, session: Session, actor: Actor, slug: Any) -> set[int]:
    """The ids of the company admin's colleagues registered or waiting on the event (by contact or
    by email, as a public registration may have been made): "Register a colleague" leaves them out."""
    if not may_register(actor) or not actor.is_company_admin:
        raise PermissionDenied()
    event = _load(session, actor, slug)
    on_event = exists().where(Registration.event_id == event.id, col(Registration.status).in_(ACTIVE),
                              or_(Registration.contact_id == Contact.id,
                                  Registration.email == func.lower(func.trim(Contact.email))))
    return set(session.exec(select(Contact.id).where(Contact.company_id == actor.company_id, on_event)).all())


def public_event(*, session: Session, slug: Any, now: datetime | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> EventView:
    """The public registration page's event (no login): NotFound unless its public page is on.
    Never with the meeting link of an online event (`online` says it is one)."""
    event = session.exec(public_events().where(Event.slug == _slug(slug))).first()
    if event is None:
        raise NotFound()
    return _view(event, 0, now or utcnow(), lang=lang)


def seats_left(*, session: Session, event_id: int) -> int:
    """Seats left now (for a live page, after `live.event_key(event_id)` moved): one indexed read."""
    row = session.exec(select(Event.capacity, Event.seats_taken).where(Event.id == event_id)).first()
    return 0 if row is None else max(0, row[0] - row[1])


def my_registrations(*, session: Session, actor: Actor, company: bool = False,
                     now: datetime | None = None, lang: str = DEFAULT_LANGUAGE) -> list[RegistrationView]:
    """The actor's own registrations (not cancelled), soonest event first; `company=True`: a
    company admin's view of every registration of its company's contacts."""
    if not sees_events(actor) or actor.contact_id is None:
        raise PermissionDenied()
    stmt = (select(Registration, Event).join(Event, col(Event.id) == Registration.event_id)
            .where(col(Registration.status).in_(ACTIVE)))
    if company:
        if not actor.is_company_admin:
            raise PermissionDenied()
        stmt = stmt.join(Contact, col(Contact.id) == Registration.contact_id).where(
            Contact.company_id == actor.company_id)
    else:
        stmt = stmt.where(Registration.contact_id == actor.contact_id)
    rows = session.exec(stmt.order_by(col(Event.starts_at), col(Registration.id)).limit(PAGE_LIMIT)).all()
    event_ids = {e.id for _, e in rows}
    in_portal = set(session.exec(visible_events(actor).with_only_columns(col(Event.id))
                                 .where(col(Event.id).in_(event_ids))).all()) if event_ids else set()

    def page(e: Event) -> str:
        return "portal" if e.id in in_portal else "public" if e.public_page else ""

    return [RegistrationView(
        registration_id=r.id, event_slug=e.slug, event_title=row_text(e, lang, "title"),  # type: ignore[arg-type]
        starts_at=_aware(e.starts_at),
        ends_at=_aware(e.ends_at), time_zone=e.time_zone, event_status=e.status,
        name=f"{r.first_name} {r.last_name}".strip(), email=r.email, status=r.status,
        position=seats.waiting_position(session, r), created_at=_aware(r.created_at), page=page(e),
        event_title_lang=text_language(e.translations, lang, "title")) for r, e in rows]


# --- registering -----------------------------------------------------------------------------------

def _repeat(session: Session, submission: str | None, event: Event) -> Enrolled | None:
    """The outcome of an earlier sending of the same form (nothing new is made), or None."""
    if submission is None:
        return None
    row = session.exec(select(Registration).where(Registration.submission_id == submission)).first()
    if row is None:
        return None
    if row.event_id != event.id:
        raise ValidationFailed({"form": "error.invalid"})
    return Enrolled(registration_id=row.id, event_slug=event.slug, status=row.status,  # type: ignore[arg-type]
                    position=seats.waiting_position(session, row), repeated=True, mail_ids=[])


def _check_open(event: Event, now: datetime, field: str) -> None:
    if event.status != EventStatus.ACTIVE:
        raise ValidationFailed({field: "error.event_cancelled"})
    if now > _aware(event.registration_deadline) or now >= _aware(event.starts_at):
        raise ValidationFailed({field: "error.event_deadline_passed"})


@dataclass(frozen=True)
class _Person:
    email: str
    first_name: str
    last_name: str
    company_name: str = ""
    phone: str = ""


def _enrol(session: Session, event: Event, person: _Person, *, contact_id: int | None, source: str,
           registered_by_id: int | None, submission: str | None, language: str, now: datetime,
           field: str = "form", duplicate_field: str = "form", consent: bool = False, by: str = "") -> Enrolled:
    """One transaction: the email not yet on the event, a seat or a waiting place, the row, its
    mail in the outbox; or nothing (every refusal rolls back). `contact_id` None: find the contact
    by email, or file a new one without portal access (public registrants). `by`: the name of who
    registered this person (a colleague, staff), which their mail says."""
    event_id, slug = event.id, event.slug
    taken = {duplicate_field: "error.event_already_registered"}
    if session.exec(select(Registration.id).where(Registration.event_id == event_id, Registration.email == person.email,
                                                  col(Registration.status).in_(ACTIVE))).first() is not None:
        raise ValidationFailed(taken)
    nonce = new_nonce()
    # the page their mails link to, and the .ics, are settled before the event row is held
    portal = portal_shows(session, event, contact_id if contact_id is not None else _known_contact(session, person))
    calendar = event_mail.ics(event, nonce=nonce, now=now, link=event_mail.event_link(event, portal=portal),
                              lang=language, attendee=person.email)
    try:
        status, arrival = seats.take_place(session, event_id, field=field)  # type: ignore[arg-type]
        if contact_id is None:
            contact_id = _contact_for(session, person)
        registration = Registration(
            event_id=event_id, contact_id=contact_id, registered_by_id=registered_by_id, source=source,
            email=person.email, first_name=person.first_name, last_name=person.last_name,
            company_name=person.company_name, phone=person.phone, status=status, queue_position=arrival,
            consent_at=now if consent else None, language=language, cancel_nonce=nonce,
            submission_id=submission, created_at=now)
        session.add(registration)
        session.flush()
    except IntegrityError:
        session.rollback()  # the same email (or the same form) got there first, at the same moment
        if (done := _repeat(session, submission, event)) is not None:
            return done
        raise ValidationFailed(taken) from None
    except ValidationFailed:
        session.rollback()
        raise
    except Exception:
        session.rollback()
        raise
    position = seats.waiting_position(session, registration)
    mail = (event_mail.confirmation(event, registration, portal=portal, calendar=calendar, by=by)
            if status == R.REGISTERED else event_mail.waiting(event, registration, position or 0, portal=portal, by=by))
    mail_ids = outbox.enqueue(session=session, mails=[mail], now=now, commit=False)
    registration_id = registration.id
    session.commit()
    live.bump(live.event_key(event_id), live.ALL_EVENTS)  # type: ignore[arg-type]
    return Enrolled(registration_id=registration_id, event_slug=slug, status=status,  # type: ignore[arg-type]
                    position=position, repeated=False, mail_ids=mail_ids)


def contact_person(session: Session, contact: Contact, *, field: str) -> _Person:
    """A CRM contact as a registrant: its own name, email, company and phone (`field` names where a
    missing or unusable email is said)."""
    company = session.get(Company, contact.company_id)
    return _Person(email=normalize_email(contact.email, field=field), first_name=contact.first_name,
                   last_name=contact.last_name, company_name=company.name if company else "",
                   phone=contact.phone or contact.mobile)


def _known_contact(session: Session, person: _Person) -> int | None:
    """The active CRM contact with the person's email (the first), if any."""
    return session.exec(select(Contact.id).where(func.lower(Contact.email) == person.email,
                                                 Contact.is_active == True)  # noqa: E712
                        .order_by(col(Contact.id)).limit(1)).first()


def _contact_for(session: Session, person: _Person) -> int:
    """The CRM contact of a public registrant: an active contact with this email, else a new one
    without portal access, filed under the company `PUBLIC_COMPANY_NAME` (made when first needed).

    Runs after `take_place`, so the transaction holds SQLite's write lock already; on PostgreSQL an
    advisory lock per email (and one for the company) keeps two registrations from filing twice.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"event-contact:{person.email}"})
    found = _known_contact(session, person)
    if found is not None:
        return found
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('event-public-company'))"))
    company_id = session.exec(select(Company.id).where(Company.name == PUBLIC_COMPANY_NAME)
                              .order_by(col(Company.id)).limit(1)).first()
    if company_id is None:
        company = Company(name=PUBLIC_COMPANY_NAME)
        session.add(company)
        session.flush()
        company_id = company.id
    contact = Contact(company_id=company_id, first_name=person.first_name, last_name=person.last_name,
                      email=person.email, phone=person.phone,
                      department=person.company_name[:100])  # the company they named, for staff to file
    session.add(contact)
    session.flush()
    return contact.id  # type: ignore[return-value]


def _language(session: Session, contact_id: int, default: str = "en") -> str:
    lang = session.exec(select(Account.language).where(Account.contact_id == contact_id)).first()
    return lang or default


def follow_account_language(session: Session, registrations: list[Registration]) -> None:
    """Before mailing registrants: one who signs in to the portal reads the language its account has
    now (it may have changed since registering); one without a login keeps the one it registered in."""
    ids = [r.contact_id for r in registrations if r.contact_id]
    if not ids:
        return
    now_in = dict(session.exec(select(Account.contact_id, Account.language)
                               .where(col(Account.contact_id).in_(ids))).all())
    for registration in registrations:
        language = now_in.get(registration.contact_id)
        if language and language != registration.language:
            registration.language = language
            session.add(registration)


def register(*, session: Session, actor: Actor, slug: Any, contact_id: Any = None, submission_id: Any = None,
             now: datetime | None = None) -> Enrolled:
    """A signed-in contact registers itself, or a company admin a colleague of its company
    (`contact_id`). Refusals ({"form": key}): the email already on the event, the event cancelled,
    the deadline passed, full with the waiting list off; the contact without an email."""
    if not may_register(actor):
        raise PermissionDenied()
    now = now or utcnow()
    submission = parse_submission_id(submission_id)
    event = _load(session, actor, slug)
    if (done := _repeat(session, submission, event)) is not None:
        return done
    if contact_id in (None, "", actor.contact_id, str(actor.contact_id)):
        contact = session.get(Contact, actor.contact_id)
    else:
        contact = session.get(Contact, parse_id(contact_id, field="contact"))
        if not actor.is_company_admin or contact is None or contact.company_id != actor.company_id:
            raise NotFound()
    if contact is None or not contact.is_active:
        raise NotFound()
    if not contact.email:
        raise ValidationFailed({"form": "error.event_contact_no_email"})
    _check_open(event, now, "form")
    person = contact_person(session, contact, field="form")
    return _enrol(session, event, person, contact_id=contact.id, source=RegistrationSource.PORTAL,
                  registered_by_id=actor.account_id, submission=submission,
                  language=_language(session, contact.id, actor.language), now=now,  # type: ignore[arg-type]
                  by="" if contact.id == actor.contact_id else actor.name)


def _consented(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("on", "true", "yes", "1"))




def _public_person(data: Mapping[str, Any]) -> _Person:
    """The public form's fields, every error at once (field name -> message key)."""
    errors: dict[str, Any] = {}
    values: dict[str, str] = {}
    for name, limit in FIELD_LIMITS.items():
        try:
            values[name] = clean_line(data.get(name), field=name, max_chars=limit)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    for name in ("first_name", "last_name"):
        if name not in errors and not values.get(name):
            errors[name] = "error.required"
    for name in ("first_name", "last_name", "company"):  # a stranger's text goes into the portal's mails
        if name not in errors and has_web_address(values.get(name, "")):
            errors[name] = "error.name_with_address"
    if "email" not in errors:
        try:
            values["email"] = normalize_email(values.get("email", ""))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if "phone" not in errors and values.get("phone") and (problem := phone_problem(values["phone"])):
        errors["phone"] = "error.event_phone" if problem == PHONE_CHARACTERS else "error.phone_digits"
    if not _consented(data.get(CONSENT_FIELD)):
        errors[CONSENT_FIELD] = "error.event_consent_required"
    if errors:
        raise ValidationFailed(errors)
    return _Person(email=values["email"], first_name=values["first_name"], last_name=values["last_name"],
                   company_name=values.get("company", ""), phone=values.get("phone", ""))


def register_public(*, session: Session, slug: Any, data: Any, client_address: str, language: str = "en",
                    submission_id: Any = None, now: datetime | None = None) -> Enrolled:
    """Registration on the public page, without a login: anyone, also people not in the CRM (they
    become contacts without portal access, matched by email when known).

    Guards, each leaving nothing saved: the honeypot field filled ({"form": "error.invalid"}); bad
    fields (names and a valid email required, consent given; by field); the event cancelled,
    its deadline passed, or full with the waiting list off ({"form": key}); the same email on the
    client address in an hour (RateLimited, with `minutes`).

    What a stranger types must not reach someone else's mailbox as the portal's words: names carrying
    a link or an address are refused; an email known as a CRM contact's is registered under that
    contact's own name, company and phone (a portal user's mails in its account's language); and an
    email already on the event gets its confirmation again, not a refusal (which would tell anyone
    who attends), the page answering as for a new registration.
    """
    now = now or utcnow()
    event = session.exec(public_events().where(Event.slug == _slug(slug))).first()
    if event is None:
        raise NotFound()
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    submission = parse_submission_id(submission_id)
    if (done := _repeat(session, submission, event)) is not None:
        return done
    if data.get(HONEYPOT_FIELD) not in (None, ""):
        raise ValidationFailed({"form": "error.invalid"})  # a bot: said plainly, nothing kept
    person = _public_person(data)
    _check_open(event, now, "form")
    if not event.waitlist_enabled and event.seats_taken >= event.capacity:
        raise ValidationFailed({"form": "error.event_full"})  # before counting against the address
    limit = throttle.Limit("event-register-ip", settings.registration_limit, REGISTRATION_WINDOW)
    taken = throttle.take(session=session, limit=limit, key=client_address or "unknown", now=now)
    if not taken.ok:
        raise RateLimited(minutes=taken.retry_minutes)
    session.refresh(event)
    language = normalize_language(language)
    if (known := _known_contact(session, person)) is not None:
        # what the CRM knows, not what a stranger typed: the contact's name, company and phone, and
        # a portal user's mails in its account's language
        person = replace(contact_person(session, session.get(Contact, known), field="email"), email=person.email)
        language = _language(session, known, language)
    if (already := _registered(session, event, person.email)) is not None:
        return _confirm_again(session, event, already, now=now)
    try:
        return _enrol(session, event, person, contact_id=None, source=RegistrationSource.PUBLIC, registered_by_id=None,
                      submission=submission, language=language, now=now, field="form",
                      duplicate_field="email", consent=True)
    except ValidationFailed as exc:  # the same email registered at the same moment
        if exc.fields.get("email", ("",))[0] != "error.event_already_registered" or (
                already := _registered(session, event, person.email)) is None:
            raise
        return _confirm_again(session, event, already, now=now)


def _registered(session: Session, event: Event, email: str) -> Registration | None:
    return session.exec(select(Registration).where(Registration.event_id == event.id, Registration.email == email,
                                                   col(Registration.status).in_(ACTIVE))).first()


def _confirm_again(session: Session, event: Event, registration: Registration, *, now: datetime) -> Enrolled:
    """The mail of a registration made before (its cancel link, its calendar entry), sent again to its
    own address in its own language; nothing else changes."""
    portal = portal_shows(session, event, registration.contact_id)
    position = seats.waiting_position(session, registration)
    if registration.status == R.REGISTERED:
        calendar = event_mail.ics(event, nonce=registration.cancel_nonce, now=now,
                                  link=event_mail.event_link(event, portal=portal), lang=registration.language,
                                  attendee=registration.email)
        mail = event_mail.confirmation(event, registration, portal=portal, calendar=calendar)
    else:
        mail = event_mail.waiting(event, registration, position or 0, portal=portal)
    mail_ids = outbox.enqueue(session=session, mails=[mail], now=now, commit=False)
    session.commit()
    return Enrolled(registration_id=registration.id, event_slug=event.slug, status=registration.status,  # type: ignore[arg-type]
                    position=position, repeated=False, mail_ids=mail_ids)


# --- cancelling ------------------------------------------------------------------------------------

def _cancel(session: Session, registration: Registration, *, now: datetime) -> Cancelled:
    event = session.get(Event, registration.event_id)
    assert event is not None
    if event.status != EventStatus.ACTIVE:  # its registrations went with it: nothing to free, no mail
        raise ValidationFailed({"form": "error.event_cancelled_with"})
    if _aware(event.starts_at) <= now:
        raise ValidationFailed({"form": "error.event_started"})
    registration_id, slug = registration.id, event.slug
    try:
        was, promoted = seats.leave(session, registration, now=now)
    except ValidationFailed:
        session.rollback()
        raise
    registration.checked_in, registration.checked_in_at = False, None  # checked in early, then not coming
    session.refresh(event)
    follow_account_language(session, [registration, *promoted])
    # the person whose place it was hears of it (whoever cancelled), then those promoted into the seat
    mails = [event_mail.registration_cancelled(event, registration, was=was,
                                               portal=portal_shows(session, event, registration.contact_id))]
    mails += [event_mail.confirmation(event, r, promoted=True, portal=portal_shows(session, event, r.contact_id))
              for r in promoted]
    mail_ids = outbox.enqueue(session=session, mails=mails, now=now, commit=False)
    promoted_ids = [r.id for r in promoted]
    session.commit()
    live.bump(live.event_key(event.id), live.ALL_EVENTS)  # type: ignore[arg-type]
    return Cancelled(registration_id=registration_id, event_slug=slug, was=was,  # type: ignore[arg-type]
                     promoted=promoted_ids, mail_ids=mail_ids)  # type: ignore[arg-type]


def cancel_registration(*, session: Session, actor: Actor, registration_id: Any,
                        now: datetime | None = None) -> Cancelled:
    """Cancel a registration: its own (a contact), one of its company's contacts (a company admin),
    any (staff). The seat goes to the first waiting at once, who is mailed."""
    rid = parse_id(registration_id, field="registration")
    registration = session.get(Registration, rid)
    if registration is None:
        raise NotFound()
    if not actor.is_staff:
        if not may_register(actor):
            raise PermissionDenied()
        contact = session.get(Contact, registration.contact_id)
        own = registration.contact_id == actor.contact_id
        colleague = actor.is_company_admin and contact is not None and contact.company_id == actor.company_id
        if not (own or colleague):
            raise NotFound()
    if registration.status == R.CANCELLED:
        raise ValidationFailed({"form": "error.event_already_cancelled"})
    return _cancel(session, registration, now=now or utcnow())


def _by_token(session: Session, token: Any) -> Registration:
    rid, nonce = read_token(token)
    registration = session.get(Registration, rid)
    if registration is None or not secrets.compare_digest(registration.cancel_nonce, nonce):
        raise ValidationFailed({"token": "error.event_link_invalid"})
    return registration


def registration_for_token(*, session: Session, token: Any, now: datetime | None = None,
                           lang: str | None = None) -> TokenView:
    """The cancel-link page (no login): whose registration on which event, and whether it can
    still be cancelled. A forged or altered link: {"token": "error.event_link_invalid"}."""
    registration = _by_token(session, token)
    event = session.get(Event, registration.event_id)
    assert event is not None
    return TokenView(event_title=row_text(event, lang or registration.language, "title"),
                     event_title_lang=text_language(event.translations, lang or registration.language, "title"),
                     starts_at=_aware(event.starts_at), ends_at=_aware(event.ends_at),
                     time_zone=event.time_zone, name=f"{registration.first_name} {registration.last_name}".strip(),
                     status=registration.status, language=registration.language,
                     event_cancelled=event.status != EventStatus.ACTIVE,
                     position=seats.waiting_position(session, registration),
                     can_cancel=(registration.status != R.CANCELLED and event.status == EventStatus.ACTIVE
                                 and _aware(event.starts_at) > (now or utcnow())))


def cancel_by_token(*, session: Session, token: Any, now: datetime | None = None) -> Cancelled:
    """The signed link's "Cancel registration": works without a login. Forged or altered:
    {"token": "error.event_link_invalid"}; used already (cancelled): {"token": "error.event_link_used"}."""
    registration = _by_token(session, token)
    if registration.status == R.CANCELLED:
        raise ValidationFailed({"token": "error.event_link_used"})
    try:
        return _cancel(session, registration, now=now or utcnow())
    except ValidationFailed as exc:
        if "form" in exc.fields and exc.fields["form"][0] == "error.event_already_cancelled":
            raise ValidationFailed({"token": "error.event_link_used"}) from None
        raise
