"""Mail to registrants, in their language: confirmation (with the .ics and the signed cancel
link), waiting list (with the position), promotion from the waiting list (as a confirmation), and
the event cancelled by staff. Built here, stored in the outbox by the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from babel.dates import format_time
from icalendar import Calendar, vCalAddress
from icalendar import Event as CalendarEvent

from ...i18n import DEFAULT_LANGUAGE, format_moment, normalize_language, translate
from ...models import Event, Registration, RegistrationStatus, utcnow
from ...settings import settings
from ..translations import row_text
from .tokens import cancel_link

ICS_TYPE = "text/calendar"


def zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.time_zone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def when_text(event: Event, lang: str) -> str:
    """'Dec 3, 2027, 9:00 AM – 12:00 PM (Europe/Helsinki)' in the language's own format (the whole
    year: a mail or a public page is read far from its list), in the event's zone."""
    locale, tz = normalize_language(lang), zone(event)
    start, end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    first = format_moment(start, lang, zone=tz.key)
    last = (format_time(end, format="short", tzinfo=tz, locale=locale) if start.date() == end.date()
            else format_moment(end, lang, zone=tz.key))
    return f"{first} – {last} ({event.time_zone})"


def deadline_text(event: Event, lang: str) -> str:
    """The registration deadline in the language's own format, in the event's zone like `when_text`
    (Babel converts a datetime given without `tzinfo` back to UTC), naming the zone as it does."""
    return f"{format_moment(event.registration_deadline, lang, zone=zone(event).key)} ({event.time_zone})"


def where_text(event: Event, lang: str, *, seat: bool = True) -> str:
    """The place, and the meeting link for one holding a seat (`seat`); without a seat (the waiting
    list) an online event says only "Online": its link comes with the seat."""
    online = event.online_url if seat else (translate(lang, "events.online") if event.online_url else "")
    parts = [p for p in (event.location, online) if p]
    return " · ".join(parts) or translate(lang, "mail.event.place_tba")


def event_link(event: Event, *, portal: bool) -> str:
    """The event's page for a registrant's mail: the portal's /events/<slug> for one who can sign in
    and see it there (`portal`, `scope.portal_shows`); else the public page /register/<slug> while
    it is on; else '' (no page to link: a person without an account cannot open the portal's)."""
    if portal:
        return f"{settings.portal_url}/events/{event.slug}"
    return f"{settings.portal_url}/register/{event.slug}" if event.public_page else ""


def ics(event: Event, registration: Registration | None = None, *, link: str = "", now: datetime | None = None,
        nonce: str | None = None, lang: str | None = None, cancelled: bool = False, attendee: str = "") -> str:
    """The event as an iCalendar file: SUMMARY, DTSTART/DTEND in the event's time zone (TZID, with
    its VTIMEZONE), LOCATION and/or URL (the meeting link, else the registrant's `event_link`). Its
    UID names the registration by its nonce, which exists before the row does: the file can be
    built before the seat is taken (outside the event's lock). `cancelled`: the file that takes the
    entry out of the calendar again (METHOD:CANCEL, the same UID, a later SEQUENCE)."""
    tz = zone(event)
    lang = lang or (registration.language if registration else DEFAULT_LANGUAGE)
    cal = Calendar()
    cal.add("prodid", "-//Customer Portal//Events//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    item = CalendarEvent()
    host = settings.portal_url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "portal"
    nonce = nonce or (registration.cancel_nonce if registration else None)
    item.add("uid", f"event-{event.id}" + (f"-{nonce}" if nonce else "") + f"@{host}")
    item.add("dtstamp", now or utcnow())
    # grows with every change of the event: a calendar takes a later file as the update of its entry
    item.add("sequence", max(0, int((event.updated_at - event.created_at).total_seconds())) + int(cancelled))
    if cancelled:
        item.add("status", "CANCELLED")
    # who sends it, and whose entry it is: calendars that follow RFC 5546 (Outlook among them) act on
    # a cancellation only from the organizer, for an attendee of theirs
    item.add("organizer", vCalAddress(f"mailto:{parseaddr(settings.smtp_from)[1] or 'portal@localhost'}"))
    if attendee := attendee or (registration.email if registration is not None else ""):
        item.add("attendee", vCalAddress(f"mailto:{attendee}"))
    item.add("summary", row_text(event, lang, "title"))
    item.add("dtstart", event.starts_at.astimezone(tz))
    item.add("dtend", event.ends_at.astimezone(tz))
    if event.location:
        item.add("location", event.location)
    # the meeting link goes with a seat: a cancellation's file points at the event's page at most
    if (url := link if cancelled else event.online_url or link):
        item.add("url", url)
    if description := row_text(event, lang, "description"):
        item.add("description", description[:2000])
    cal.add_component(item)
    start = event.starts_at.astimezone(tz).date()
    cal.add_missing_timezones(first_date=start.replace(year=start.year - 1),  # the rules around the event only
                              last_date=start.replace(year=start.year + 2))
    return cal.to_ical().decode("utf-8")


def _calendar_file(content: str) -> dict[str, str]:
    return {"filename": "event.ics", "content_type": ICS_TYPE, "content": content}


def _name(registration: Registration) -> str:
    """Whom a mail greets: the first name, as the portal's other mails do (the last name if that is all)."""
    return registration.first_name.strip() or registration.last_name.strip()


def _by_line(lang: str, by: str) -> str:
    """" Aino Virtanen registered you.": who did, when it was someone else."""
    return translate(lang, "mail.event.by_line", by=by) if by else ""


def confirmation(event: Event, registration: Registration, *, portal: bool, promoted: bool = False,
                 calendar: str | None = None, by: str = "") -> dict:
    """'You are registered' (or promoted from the waiting list): the event's page as `event_link`
    gives it for this registrant (`portal`: it can open the portal's), the .ics (`calendar` when
    built already) and the cancel link (none once the event has started: it could not cancel then,
    e.g. for someone staff adds at the door). `by`: who registered this person, when not themselves."""
    lang = registration.language
    title = row_text(event, lang, "title")
    subject_key, body_key = (("mail.event.promoted_subject", "mail.event.promoted_body") if promoted
                             else ("mail.event.registered_subject", "mail.event.registered_body"))
    link = event_link(event, portal=portal)
    page = translate(lang, "mail.event.page_line", link=link) if link else ""
    starts = event.starts_at if event.starts_at.tzinfo else event.starts_at.replace(tzinfo=UTC)
    started = starts <= utcnow()
    cancel = "" if started else translate(lang, "mail.event.cancel_part", cancel_link=cancel_link(
        registration.id, registration.cancel_nonce))  # type: ignore[arg-type]
    body = translate(lang, body_key, name=_name(registration), title=title, by=_by_line(lang, by),
                     when=when_text(event, lang), where=where_text(event, lang), page=page, cancel=cancel)
    content = calendar or ics(event, registration, link=link)
    return {"to": registration.email, "subject": translate(lang, subject_key, title=title),
            "body": body, "attachments": [_calendar_file(content)]}


def waiting(event: Event, registration: Registration, position: int, *, portal: bool = False, by: str = "") -> dict:
    """'You are on the waiting list': where and when, as the confirmation says, and the way off it."""
    lang = registration.language
    title = row_text(event, lang, "title")
    link = event_link(event, portal=portal)
    body = translate(lang, "mail.event.waiting_body", name=_name(registration), title=title, by=_by_line(lang, by),
                     when=when_text(event, lang), where=where_text(event, lang, seat=False), position=position,
                     page=translate(lang, "mail.event.page_line", link=link) if link else "",
                     cancel_link=cancel_link(registration.id, registration.cancel_nonce))  # type: ignore[arg-type]
    return {"to": registration.email, "subject": translate(lang, "mail.event.waiting_subject", title=title,
                                                           position=position), "body": body}


def registration_cancelled(event: Event, registration: Registration, *, was: str, portal: bool) -> dict:
    """'Your registration is cancelled' (or 'you left the waiting list'), to the person whose place it
    was, whoever cancelled it (themselves, a company admin, staff): the event's page to register again."""
    lang = registration.language
    title = row_text(event, lang, "title")
    waiting_place = was == RegistrationStatus.WAITING
    link = event_link(event, portal=portal)
    body = translate(lang, "mail.event.left_waitlist_body" if waiting_place else "mail.event.unregistered_body",
                     name=_name(registration), title=title, when=when_text(event, lang),
                     page=translate(lang, "mail.event.page_line", link=link) if link else "")
    subject = translate(lang, "mail.event.left_waitlist_subject" if waiting_place else "mail.event.unregistered_subject",
                        title=title)
    mail = {"to": registration.email, "subject": subject, "body": body}
    if was == RegistrationStatus.REGISTERED:  # the seat's calendar entry goes (the waiting got none)
        mail["attachments"] = [_calendar_file(ics(event, registration, link=link, cancelled=True))]
    return mail



def event_changed(event: Event, registration: Registration, *, portal: bool) -> dict:
    """Staff moved the event or changed its place: each registrant (on the waiting list too) gets
    the new time and place, and one holding a seat a calendar file that updates the one it has."""
    lang = registration.language
    title = row_text(event, lang, "title")
    link = event_link(event, portal=portal)
    page = translate(lang, "mail.event.page_line", link=link) if link else ""
    seat = registration.status == RegistrationStatus.REGISTERED  # the waiting list: no meeting link yet
    body = translate(lang, "mail.event.changed_body" if seat else "mail.event.changed_body_waiting",
                     name=_name(registration), title=title, when=when_text(event, lang),
                     where=where_text(event, lang, seat=seat), page=page)
    mail = {"to": registration.email, "subject": translate(lang, "mail.event.changed_subject", title=title),
            "body": body}
    if seat:
        mail["attachments"] = [_calendar_file(ics(event, registration, link=link))]
    return mail


def event_cancelled(event: Event, registration: Registration) -> dict:
    lang = registration.language
    title = row_text(event, lang, "title")
    body = translate(lang, "mail.event.cancelled_body", name=_name(registration), title=title,
                     when=when_text(event, lang))
    mail = {"to": registration.email, "subject": translate(lang, "mail.event.cancelled_subject", title=title),
            "body": body}
    if registration.status == RegistrationStatus.REGISTERED:  # the seat's calendar entry goes
        mail["attachments"] = [_calendar_file(ics(event, registration, cancelled=True))]
    return mail
