"""Staff's event tools: create, edit and cancel events; attendees with status and waiting
position; check-in; a contact added by hand; the attendee list as CSV.

Raising the capacity promotes the waiting into the new seats at once (mailed); it cannot go below
the seats taken. Cancelling an event mails every registrant (registered and waiting).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ...i18n import translate
from ...local_time import local
from ...models import (
    Company, Contact, Event, EventCompany, EventStatus, EventVisibility, Registration, RegistrationSource,
    RegistrationStatus, utcnow,
)
from .. import live
from ..mail import outbox
from ...settings import settings
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..spreadsheet import Sheet, safe_cell
from ..submissions import parse_submission_id
from ..translations import parse_translations, sent
from ..validation import clean_line, clean_text, normalize_email, parse_id
from . import event_mail, seats
from .core import Enrolled, _aware, _enrol, _language, _load, _repeat, contact_person, follow_account_language
from .event_rules import (
    ACTIVE, CSV_COLUMNS, EVENT_TEXT_LIMITS, EVENT_TEXTS, EVENT_YEARS_AHEAD, FIRST_EVENT_YEAR, MAX_CAPACITY,
    VISIBILITIES,
)
from .scope import portal_shows

R = RegistrationStatus
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


# --- the event form --------------------------------------------------------------------------------

def slugify(title: str) -> str:
    """'Portal training 2027!' -> 'portal-training-2027' (ASCII, at most 60 characters)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return slug or "event"


def _zone(value: Any) -> str:
    name = clean_line(value, field="time_zone", max_chars=64) or settings.time_zone
    if name != "UTC" and name not in available_timezones():
        raise ValidationFailed({"time_zone": "error.time_zone"})
    return name


def _when(value: Any, field: str, tz: str) -> datetime:
    """A time from the form: an aware datetime, or a naive one or ISO text ("2027-03-12T09:00")
    read in the event's time zone; stored in UTC."""
    if isinstance(value, str) and value.strip():
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationFailed({field: "error.invalid"}) from None
    if not isinstance(value, datetime):
        empty = value is None or (isinstance(value, str) and not value.strip())
        raise ValidationFailed({field: "error.required" if empty else "error.invalid"})
    last_year = utcnow().year + EVENT_YEARS_AHEAD
    if not FIRST_EVENT_YEAR <= value.year <= last_year:
        raise ValidationFailed({field: ("error.event_time_range", {"first": date(FIRST_EVENT_YEAR, 1, 1),
                                                                   "last": date(last_year, 12, 31)})})
    if value.tzinfo is None:
        local, value = value, value.replace(tzinfo=ZoneInfo(tz))
        if value.astimezone(UTC).astimezone(ZoneInfo(tz)).replace(tzinfo=None) != local:
            # the hour the clocks skip forward: 03:30 on that night is no time at all there
            raise ValidationFailed({field: ("error.time_skipped", {"zone": tz})})
    return value.astimezone(UTC)


def _flag(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("on", "true", "1", "yes", "off", "false", "0", "no", ""):
        return value.lower() in ("on", "true", "1", "yes")
    raise ValidationFailed({field: "error.invalid"})


def _url(value: Any) -> str:
    url = clean_line(value, field="online_url", max_chars=500)
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or "\\" in url or " " in url:
            raise ValidationFailed({"online_url": "error.url"})
    return url


def _event_fields(data: Any, current: Event | None) -> dict[str, Any]:
    """Validate the event form (all fields for a new event; the fields present for an edit), every
    error at once. Times are read in the event's time zone and kept in UTC."""
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    errors: dict[str, Any] = {}
    out: dict[str, Any] = {}

    def take(name: str, parse: Any) -> None:
        if current is not None and name not in data:
            return
        try:
            out[name] = parse(data.get(name))
        except ValidationFailed as exc:
            errors.update(exc.fields)

    take("title", lambda v: clean_line(v, field="title", max_chars=200))
    if "title" in out and not out["title"]:
        errors["title"] = "error.required"
    take("description", lambda v: clean_text(v, field="description", max_chars=20000))
    if sent(data, EVENT_TEXTS):
        out["translations"] = parse_translations(data, EVENT_TEXTS, errors)
    for name in ("location", "price_text"):
        take(name, lambda v, n=name: clean_line(v, field=n, max_chars=EVENT_TEXT_LIMITS[n]))
    take("online_url", _url)
    take("time_zone", _zone)
    tz = out.get("time_zone") or (current.time_zone if current else settings.time_zone)
    for name in ("starts_at", "ends_at"):
        take(name, lambda v, n=name: _when(v, n, tz))
    if current is not None and out.get("time_zone", current.time_zone) != current.time_zone:
        # the form shows the times on the event zone's clock: a corrected zone keeps what they read
        # (10:00 Helsinki, made London, is 10:00 London), unless they are sent too
        for name in ("starts_at", "ends_at", "registration_deadline"):
            if name not in data and getattr(current, name) is not None:
                out[name] = _when(_aware(getattr(current, name)).astimezone(ZoneInfo(current.time_zone))
                                  .replace(tzinfo=None), name, tz)
    # an empty deadline is the start, and keeps following it when the start moves
    if (current is None or "registration_deadline" in data) and data.get("registration_deadline") in (None, ""):
        out["deadline_is_start"] = True
    elif "registration_deadline" in data:
        take("registration_deadline", lambda v: _when(v, "registration_deadline", tz))
        out["deadline_is_start"] = False

    def capacity(v: Any) -> int:
        number = v if isinstance(v, int) and not isinstance(v, bool) else (
            int(v) if isinstance(v, str) and v.strip().isdigit() and len(v.strip()) < 7 else None)
        if number is None or not 1 <= number <= MAX_CAPACITY:
            raise ValidationFailed({"capacity": ("error.range", {"min": 1, "max": MAX_CAPACITY})})
        return number

    take("capacity", capacity)
    for name, default in (("waitlist_enabled", True), ("public_page", False)):
        if current is None and name not in data:
            out[name] = default
        else:
            take(name, lambda v, n=name: _flag(v, n))

    def visibility(v: Any) -> str:
        if v in (None, "") and current is None:
            return EventVisibility.ALL_CUSTOMERS
        if v not in VISIBILITIES:
            raise ValidationFailed({"visibility": "error.choose"})
        return v

    take("visibility", visibility)
    shown_on = out.get("visibility", current.visibility if current else None)
    public_page = out.get("public_page", current.public_page if current else False)
    if shown_on == EventVisibility.PUBLIC_ONLY and not public_page and "visibility" not in errors:
        errors["visibility"] = "error.event_public_only_needs_page"  # else nobody could see it
    # the times against each other, with the other fields' errors (a field that did not parse is left out)
    starts = out.get("starts_at", current.starts_at if current else None)
    ends = out.get("ends_at", current.ends_at if current else None)
    if out.get("deadline_is_start", current.deadline_is_start if current else True):
        if starts:
            out["registration_deadline"] = starts
    deadline = out.get("registration_deadline", current.registration_deadline if current else None)
    if starts and ends and _aware(ends) <= _aware(starts) and "ends_at" not in errors:
        errors["ends_at"] = "error.event_ends_before_start"
    if deadline and starts and _aware(deadline) > _aware(starts) and "registration_deadline" not in errors:
        # registration closes at the start whatever the deadline says: a later one would be shown, never true
        errors["registration_deadline"] = "error.event_deadline_after_start"
    elif (current is None and out.get("deadline_is_start") is False and deadline and starts
          and _aware(deadline) <= utcnow() < _aware(starts) and "registration_deadline" not in errors):
        # a new event closed from its first second (an edit may close registration early on purpose)
        errors["registration_deadline"] = "error.event_deadline_passed"
    if errors:
        raise ValidationFailed(errors)
    return out


def _company_ids(session: Session, value: Any) -> list[int]:
    if value in (None, ""):
        return []
    if not isinstance(value, (list, tuple)) or len(value) > 1000:
        raise ValidationFailed({"company_ids": "error.invalid"})
    ids = sorted({parse_id(v, field="company_ids") for v in value})
    found = set(session.exec(select(Company.id).where(col(Company.id).in_(ids))).all())
    if found != set(ids):
        raise ValidationFailed({"company_ids": "error.invalid"})
    return ids


def _event_created_by(session: Session, submission: str | None) -> Event | None:
    """The event an earlier sending of the same "New event" form created, or None."""
    if submission is None:
        return None
    return session.exec(select(Event).where(Event.submission_id == submission)).first()


def create_event(*, session: Session, actor: Actor, data: Any, submission_id: Any = None,
                 now: datetime | None = None) -> Event:
    """Staff creates an event. `data`: title, description, starts_at, ends_at (in `time_zone`),
    time_zone, location, online_url, capacity, registration_deadline (default: the start),
    waitlist_enabled, price_text, public_page, visibility, company_ids (for "companies"), slug
    (optional; made from the title when empty). `submission_id`: the form's id
    (`services/submissions.py`); the same form sent again (a double click, also two sendings at the
    same moment) creates nothing and answers with the first's event."""
    actor.require_staff()
    submission = parse_submission_id(submission_id)
    if (done := _event_created_by(session, submission)) is not None:
        return done
    fields = _event_fields(data, None)
    companies = _company_ids(session, data.get("company_ids"))
    if fields["visibility"] == EventVisibility.COMPANIES and not companies:
        raise ValidationFailed({"company_ids": "error.event_choose_company"})
    wanted = data.get("slug")
    if wanted not in (None, ""):
        slug = clean_line(wanted, field="slug", max_chars=80).lower()
        if not _SLUG.fullmatch(slug):
            raise ValidationFailed({"slug": "error.event_slug"})
    else:
        base = slugify(fields["title"])
        slug, n = base, 1
        while session.exec(select(Event.id).where(Event.slug == slug)).first() is not None:
            n += 1
            slug = f"{base}-{n}"
    now = now or utcnow()
    event = Event(slug=slug, created_by_id=actor.account_id, created_at=now, updated_at=now,
                  submission_id=submission, **fields)
    session.add(event)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        if (done := _event_created_by(session, submission)) is not None:
            return done  # the same form, sent at the same moment, got there first
        raise ValidationFailed({"slug": "error.event_slug_taken"}) from None
    session.add_all(EventCompany(event_id=event.id, company_id=c) for c in companies)  # type: ignore[arg-type]
    session.commit()
    session.refresh(event)
    live.bump(live.event_key(event.id), live.ALL_EVENTS)  # type: ignore[arg-type]
    return event


def update_event(*, session: Session, actor: Actor, slug: Any, data: Any,
                 now: datetime | None = None) -> tuple[Event, list[int]]:
    """Staff edits an event (the fields present in `data`). A raised capacity promotes the waiting
    into the new seats at once and mails them; (the event, the outbox ids of those mails).
    The capacity cannot go below the seats taken ({"capacity": "error.event_capacity_below_taken"})."""
    actor.require_staff()
    event = _load(session, actor, slug)
    if event.status != EventStatus.ACTIVE:
        raise ValidationFailed({"form": "error.event_cancelled_kept"})  # kept as it was, for the record
    fields = _event_fields(data, event)
    companies = _company_ids(session, data.get("company_ids")) if "company_ids" in data else None
    visibility = fields.get("visibility", event.visibility)
    now = now or utcnow()
    event_id = event.id
    seats.lock_event(session, event_id)  # type: ignore[arg-type]
    session.refresh(event)
    before = _where_and_when(event)
    if "capacity" in fields and fields["capacity"] < event.seats_taken:
        session.rollback()
        raise ValidationFailed({"capacity": ("error.event_capacity_below_taken", {"taken": event.seats_taken})})
    session.execute(update(Event).where(col(Event.id) == event_id).values(**fields, updated_at=now)
                    .execution_options(synchronize_session=False))
    if companies is not None:
        session.execute(delete(EventCompany).where(col(EventCompany.event_id) == event_id))
        session.add_all(EventCompany(event_id=event_id, company_id=c) for c in companies)  # type: ignore[arg-type]
        session.flush()
    if visibility == EventVisibility.COMPANIES and not session.exec(
            select(EventCompany).where(EventCompany.event_id == event_id)).first():
        session.rollback()
        raise ValidationFailed({"company_ids": "error.event_choose_company"})
    promoted = seats.fill_seats(session, event_id, now=now)  # type: ignore[arg-type]
    session.refresh(event)
    told = _told_of_change(session, event, before, promoted, now)
    follow_account_language(session, [*promoted, *told])
    mails = [event_mail.confirmation(event, r, promoted=True, portal=portal_shows(session, event, r.contact_id))
             for r in promoted]
    mails += [event_mail.event_changed(event, r, portal=portal_shows(session, event, r.contact_id)) for r in told]
    mail_ids = outbox.enqueue(session=session, mails=mails, now=now, commit=False) if mails else []
    session.commit()
    session.refresh(event)
    live.bump(live.event_key(event_id), live.ALL_EVENTS)  # type: ignore[arg-type]
    return event, mail_ids


def _where_and_when(event: Event) -> tuple[Any, ...]:
    """What a registrant plans by: a change of any of these is mailed to them."""
    return (_aware(event.starts_at), _aware(event.ends_at), event.time_zone, event.location, event.online_url)


def _told_of_change(session: Session, event: Event, before: tuple[Any, ...], promoted: list[Registration],
                    now: datetime) -> list[Registration]:
    """The registrants (waiting ones too) to mail the new time or place: none when neither changed,
    the event is cancelled or over; those just promoted get their confirmation with it instead."""
    if _where_and_when(event) == before or event.status != EventStatus.ACTIVE or _aware(event.ends_at) <= now:
        return []
    skip = {r.id for r in promoted}
    return [r for r in session.exec(select(Registration).where(Registration.event_id == event.id,
                                                              col(Registration.status).in_(ACTIVE))
                                    .order_by(col(Registration.queue_position))).all() if r.id not in skip]


def cancel_event(*, session: Session, actor: Actor, slug: Any, now: datetime | None = None) -> list[int]:
    """Staff cancels an event: no more registrations; every registrant (registered or waiting) is
    mailed. Their registrations keep their status, for the record. The outbox ids of the mails."""
    actor.require_staff()
    event = _load(session, actor, slug)
    now = now or utcnow()
    done = session.execute(update(Event).where(col(Event.id) == event.id, col(Event.status) == EventStatus.ACTIVE)
                           .values(status=EventStatus.CANCELLED, cancelled_at=now, updated_at=now)
                           .execution_options(synchronize_session=False)).rowcount
    if not done:
        session.rollback()
        raise ValidationFailed({"form": "error.event_cancelled"})
    session.refresh(event)
    people = session.exec(select(Registration).where(Registration.event_id == event.id,
                                                     col(Registration.status).in_(ACTIVE))
                           .order_by(col(Registration.queue_position))).all()
    follow_account_language(session, list(people))
    mails = [event_mail.event_cancelled(event, r) for r in people]
    mail_ids = outbox.enqueue(session=session, mails=mails, now=now, commit=False) if mails else []
    session.commit()
    live.bump(live.event_key(event.id), live.ALL_EVENTS)  # type: ignore[arg-type]
    return mail_ids


def event_company_ids(*, session: Session, actor: Actor, slug: Any) -> list[int]:
    """The companies chosen for an event of visibility "companies" (staff's form)."""
    actor.require_staff()
    event = _load(session, actor, slug)
    return list(session.exec(select(EventCompany.company_id).where(EventCompany.event_id == event.id)
                             .order_by(col(EventCompany.company_id))).all())


# --- attendees -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attendee:
    registration_id: int
    contact_id: int
    first_name: str
    last_name: str
    email: str
    company_name: str
    phone: str
    status: str  # registered / waiting / cancelled
    position: int | None  # on the waiting list
    checked_in: bool
    source: str
    created_at: datetime


def list_attendees(*, session: Session, actor: Actor, slug: Any, status: Any = None) -> list[Attendee]:
    """Everyone on the event in arrival order: registered, then the waiting list in its order,
    then the cancelled; `status` filters to one of them."""
    actor.require_staff()
    event = _load(session, actor, slug)
    stmt = select(Registration).where(Registration.event_id == event.id)
    if status not in (None, ""):
        if status not in tuple(RegistrationStatus):
            raise ValidationFailed({"status": "error.choose"})
        stmt = stmt.where(Registration.status == status)
    rows = session.exec(stmt.order_by(col(Registration.queue_position))).all()
    rank = {R.REGISTERED: 0, R.WAITING: 1, R.CANCELLED: 2}
    out, place = [], 0
    for r in sorted(rows, key=lambda r: (rank.get(r.status, 3), r.queue_position)):
        if r.status == R.WAITING:
            place += 1
        out.append(Attendee(registration_id=r.id, contact_id=r.contact_id, first_name=r.first_name,  # type: ignore[arg-type]
                            last_name=r.last_name, email=r.email, company_name=r.company_name, phone=r.phone,
                            status=r.status, position=place if r.status == R.WAITING else None,
                            checked_in=r.checked_in, source=r.source, created_at=_aware(r.created_at)))
    return out


def set_checked_in(*, session: Session, actor: Actor, registration_id: Any, checked_in: Any,
                   now: datetime | None = None) -> bool:
    """Staff ticks (or unticks) a registered attendee as arrived."""
    actor.require_staff()
    if not isinstance(checked_in, bool):
        raise ValidationFailed({"checked_in": "error.invalid"})
    registration = session.get(Registration, parse_id(registration_id, field="registration"))
    if registration is None:
        raise NotFound()
    if registration.status != R.REGISTERED:
        raise ValidationFailed({"checked_in": "error.event_not_registered"})
    event = session.get(Event, registration.event_id)
    if event is None or event.status != EventStatus.ACTIVE:
        raise ValidationFailed({"checked_in": "error.event_cancelled_kept"})
    registration.checked_in = checked_in
    registration.checked_in_at = (now or utcnow()) if checked_in else None
    session.add(registration)
    session.commit()
    live.bump(live.event_key(registration.event_id))
    return checked_in


def add_attendee(*, session: Session, actor: Actor, slug: Any, contact_id: Any, submission_id: Any = None,
                 now: datetime | None = None) -> Enrolled:
    """Staff registers a CRM contact by hand: past the deadline too, but never past the capacity
    (a seat, else the waiting list; full with the list off is refused). Mailed like any other.
    `submission_id`: the form's id; the same form sent again (a double click on "Add") registers
    nothing and answers as the first did (`repeated`), instead of "already registered"."""
    actor.require_staff()
    submission = parse_submission_id(submission_id)
    event = _load(session, actor, slug)
    if (done := _repeat(session, submission, event)) is not None:
        return done
    contact = session.get(Contact, parse_id(contact_id, field="contact"))
    if contact is None or not contact.is_active:
        raise ValidationFailed({"contact": "error.invalid"})
    if not contact.email:
        raise ValidationFailed({"contact": "error.event_contact_no_email"})
    if event.status != EventStatus.ACTIVE:
        raise ValidationFailed({"form": "error.event_cancelled"})
    if _aware(event.ends_at) <= (now or utcnow()):
        raise ValidationFailed({"contact": "error.event_ended"})  # a confirmation of a past event helps no one
    person = contact_person(session, contact, field="contact")
    return _enrol(session, event, person, contact_id=contact.id, source=RegistrationSource.STAFF,
                  registered_by_id=actor.account_id, submission=submission,
                  language=_language(session, contact.id), now=now or utcnow(),  # type: ignore[arg-type]
                  duplicate_field="contact", by=actor.name)


def find_contact(*, session: Session, actor: Actor, email: Any) -> int:
    """Staff's "add a contact by hand": the active CRM contact with this email (its id)."""
    actor.require_staff()
    if not isinstance(email, str) or len(email) > 254:
        raise ValidationFailed({"contact": "error.email"})
    address = normalize_email(email.strip(), field="contact")
    found = session.exec(select(Contact.id).where(func.lower(Contact.email) == address,
                                                  Contact.is_active == True)  # noqa: E712
                         .order_by(col(Contact.id)).limit(1)).first()
    if found is None:
        raise ValidationFailed({"contact": "error.event_no_such_contact"})
    return found


def export_csv(*, session: Session, actor: Actor, slug: Any) -> tuple[str, str]:
    """The attendee list as CSV in the reader's spreadsheet dialect (`spreadsheet.Sheet`: UTF-8 with a
    BOM): (file name, text). Columns `CSV_COLUMNS`, Email and Status among them, with the header and the
    words in the reader's language; times in the portal's zone; cells that a spreadsheet would run as a
    formula are prefixed with an apostrophe."""
    people = list_attendees(session=session, actor=actor, slug=slug)
    lang = actor.language
    sheet = Sheet(lang)
    # the times are the portal's (as every page shows them): the header names its zone
    sheet.row([translate(lang, column, zone=settings.time_zone) for column in CSV_COLUMNS])

    for a in people:
        sheet.row([safe_cell(a.first_name), safe_cell(a.last_name), safe_cell(a.email), safe_cell(a.company_name),
                   safe_cell(a.phone),
                   translate(lang, f"event.status.{a.status}"), a.position or "",
                   translate(lang, "events.csv.yes") if a.checked_in else "",
                   local(a.created_at).strftime("%Y-%m-%d %H:%M"),
                   translate(lang, f"events.csv.source.{a.source}")])
    return f"{slug}-attendees.csv", sheet.text()
