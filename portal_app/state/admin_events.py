"""Admin panel, events: the list and a new event (/admin/events); one event with its form, cancel,
attendees with status and waiting position, check-in, a contact added by hand (/admin/events/<slug>).
Every handler checks staff in the service (`actor.require_staff`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

import reflex as rx

from ..services import submissions
from ..services.companies import directory
from ..services.edits import texts_of
from ..services.errors import NotAuthenticated, NotFound, ServiceError
from ..services.events import admin as event_admin
from ..services.events import core as events
from ..services.events.event_mail import when_text
from ..services.events.event_rules import EVENT_TEXTS, PUBLIC_COMPANY_NAME, VISIBILITIES
from ..services.translations import form_values, refused_in
from ..services.validation import is_id
from ..settings import settings
from .base import already_done, deliver_soon, field_errors, run_service, while_busy
from .base import last_segment
from .form_merge import merged
from .session import SessionState

FORM_FIELDS = ("title", "description", "starts_at", "ends_at", "time_zone", "location", "online_url", "capacity",
               "registration_deadline", "price_text", "visibility")
FLAGS = ("waitlist_enabled", "public_page")
COMPANY_CHOICES = 200
NEW_EVENT = {"time_zone": settings.time_zone, "capacity": "20", "visibility": "all_customers"}
TRANSLATED_FIELDS = tuple(form_values({}, EVENT_TEXTS))  # title_fi, description_fi, ...
FIELD_KEYS = {*FORM_FIELDS, *TRANSLATED_FIELDS, "company_ids", "contact", "form"}


def shown_errors(messages: dict[str, str]) -> dict[str, str]:
    """Messages next to the page's fields; one about anything else (an id, a tick) at the top."""
    out = {k: v for k, v in messages.items() if k in FIELD_KEYS}
    rest = [v for k, v in messages.items() if k not in FIELD_KEYS]
    if rest and "form" not in out:
        out["form"] = rest[0]
    return out


class AdminEventRow(TypedDict):
    slug: str
    title: str
    when: str
    seats: str
    waiting: int
    status: str
    public: bool


class AttendeeRow(TypedDict):
    registration_id: int
    name: str
    email: str
    company: str
    status: str
    status_label: str
    position: str
    checked_in: bool


class CompanyChoice(TypedDict):
    value: str
    label: str
    checked: bool


def _local(value: datetime, tz: str) -> str:
    try:
        zone = ZoneInfo(tz)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return value.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def event_form(form_data: dict[str, Any]) -> dict[str, Any]:
    """The service's data from the form: the text fields as sent, the flags as booleans (an unticked
    box is not sent at all), the chosen companies (`company_<id>` boxes)."""
    data: dict[str, Any] = {name: form_data[name] for name in (*FORM_FIELDS, *TRANSLATED_FIELDS)
                            if name in form_data}
    for name in FLAGS:
        data[name] = form_data.get(name) in ("on", True, "true")
    data["company_ids"] = [key[8:] for key, value in form_data.items()
                           if isinstance(key, str) and key.startswith("company_") and is_id(key[8:])
                           and len(key) < 20 and value in ("on", True, "true")]
    return data


def _form_values(view) -> dict[str, str]:  # noqa: ANN001
    """An event's texts as its form shows them (times in the event's zone)."""
    tz = view.time_zone
    return {
        "title": view.title, "description": view.description, "starts_at": _local(view.starts_at, tz),
        "ends_at": _local(view.ends_at, tz), "time_zone": tz, "location": view.location,
        "online_url": view.online_url, "capacity": str(view.capacity),
        "registration_deadline": "" if view.deadline_is_start else _local(view.registration_deadline, tz),
        "price_text": view.price_text,
        "visibility": view.visibility if view.visibility in VISIBILITIES else "all_customers",
        **form_values(view.translations, EVENT_TEXTS)}


def _as_shown(view, values: dict[str, str], chosen: set[int]) -> dict[str, str]:  # noqa: ANN001
    """The whole form as `event_form` reads it back, as texts (`edits.texts_of`)."""
    return texts_of({**values, "waitlist_enabled": view.waitlist_enabled, "public_page": view.public_page,
                     "company_ids": [str(c) for c in chosen]})


def company_choices(actor, chosen: set[int]) -> list[CompanyChoice]:  # noqa: ANN001
    """The companies staff may choose for an event of visibility "companies"."""
    found, _ = run_service(directory.list_companies, actor=actor, limit=COMPANY_CHOICES)
    # not the holding company of public registrants: nobody there signs in to see an event
    return [{"value": str(c.id), "label": c.name, "checked": c.id in chosen} for c in found
            if c.name != PUBLIC_COMPANY_NAME or c.id in chosen]


def status_key(view: events.EventView) -> str:
    """An event's status for staff: active, cancelled, or ended once its end has passed."""
    ended = view.status == "active" and view.ends_at.replace(tzinfo=view.ends_at.tzinfo or UTC) <= datetime.now(UTC)
    return "event.event_status.ended" if ended else f"event.event_status.{view.status}"


class AdminEventsState(SessionState):
    companies: list[CompanyChoice] = []
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False
    rows: list[AdminEventRow] = []
    form_key: int = 0
    submission_id: str = ""  # the "New event" form's: one event per form shown, however often it is sent
    values: dict[str, str] = NEW_EVENT  # a new event's form starts with these
    waitlist_enabled: bool = True
    public_page: bool = False
    texts_open: bool = False  # "In other languages" unfolded

    def _row(self, v: events.EventView) -> AdminEventRow:
        return {"slug": v.slug, "title": v.title, "when": when_text(v, self.lang),
                "seats": f"{v.seats_taken} / {v.capacity}", "waiting": v.waiting_count,
                "status": self._t(status_key(v)), "public": v.public_page}

    def _fill(self, actor) -> None:  # noqa: ANN001
        upcoming = run_service(events.list_events, actor=actor, when="upcoming", limit=200)
        past = run_service(events.list_events, actor=actor, when="past", limit=50)
        self._put(rows=[self._row(v) for v in [*upcoming, *past]])

    @rx.event
    def load(self):
        self._put(errors={}, notice="", busy=False, submission_id=submissions.new_submission_id())
        try:
            actor = self._require_actor()
            actor.require_staff()
            self._fill(actor)
            self._put(companies=company_choices(actor, set()))
        except ServiceError:
            self._put(rows=[], companies=[])

    @rx.event
    async def create(self, form_data: dict):
        async for update in while_busy(self, self._create, form_data):
            yield update

    def _create(self, form_data: dict):
        if not isinstance(form_data, dict):
            return None
        try:
            actor = self._require_actor()
            event = run_service(event_admin.create_event, actor=actor, data=event_form(form_data),
                                submission_id=form_data.get("submission_id"))
        except NotAuthenticated:
            self._put(rows=[], companies=[])
            return None
        except ServiceError as exc:
            errors = shown_errors(field_errors(exc, self.lang))
            self._put(errors=errors, notice="", texts_open=self.texts_open or refused_in(errors, EVENT_TEXTS))
            return None
        self._put(errors={}, submission_id=submissions.new_submission_id())
        return rx.redirect(f"/admin/events/{event.slug}")


class AdminEventState(SessionState):
    companies: list[CompanyChoice] = []
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False
    found: bool = False
    missing: bool = False  # the address names no event: said, not an empty card
    slug: str = ""
    title: str = ""
    when: str = ""
    status: str = ""
    cancelled: bool = False
    seats: str = ""
    values: dict[str, str] = {}  # the form's present values
    texts_open: bool = False  # "In other languages" unfolded: texts written there, or a message
    attendee_form_key: int = 0  # "Add a contact by hand": a new key empties the form
    attendee_submission_id: str = ""  # that form's: one registration per form shown, however often it is sent
    waitlist_enabled: bool = True
    public_page: bool = False
    attendees: list[AttendeeRow] = []
    form_key: int = 0
    csv_href: str = ""

    _shown: dict[str, str] = {}  # the form as drawn, for the save (`services.edits`)
    _told: dict[str, str] = {}  # values someone else saved meanwhile that a refused save showed

    def _clear(self) -> None:
        self._put(found=False, title="", when="", status="", values={}, attendees=[], companies=[], csv_href="",
                  seats="")

    def _fill(self, actor, *, form: bool = True) -> None:  # noqa: ANN001
        slug = last_segment(self)
        view = run_service(events.get_event, actor=actor, slug=slug)
        t = self._t
        people = run_service(event_admin.list_attendees, actor=actor, slug=view.slug)
        self._put(found=True, slug=view.slug, title=view.title, when=when_text(view, self.lang),
                  status=t(status_key(view)), cancelled=view.status == "cancelled",
                  seats=t("events.seats_taken", taken=view.seats_taken, capacity=view.capacity,
                          waiting=view.waiting_count),
                  csv_href=f"/api/events/{view.slug}/attendees.csv",
                  attendees=[{"registration_id": a.registration_id, "name": f"{a.first_name} {a.last_name}".strip(),
                              "email": a.email, "company": a.company_name, "status": a.status,
                              "status_label": t(f"event.status.{a.status}"),
                              "position": str(a.position or ""), "checked_in": a.checked_in} for a in people])
        if form:
            values, chosen = _form_values(view), set(run_service(event_admin.event_company_ids, actor=actor,
                                                                 slug=view.slug))
            self._put(values=values, waitlist_enabled=view.waitlist_enabled, public_page=view.public_page,
                      texts_open=bool(view.translations))
            self._put(companies=company_choices(actor, chosen))
            self._shown, self._told = _as_shown(view, values, chosen), {}
            self.form_key += 1

    def _changed(self, actor, data: dict[str, Any]) -> dict[str, Any]:  # noqa: ANN001
        """The fields this form changed, merged into the event as it is now (`services.edits`)."""
        view = run_service(events.get_event, actor=actor, slug=self.slug)
        now = _as_shown(view, _form_values(view), set(run_service(event_admin.event_company_ids, actor=actor,
                                                                  slug=view.slug)))
        return merged(self, now=now, data=data, together=TRANSLATED_FIELDS, unsaid=(*FLAGS, "company_ids"))

    @rx.event
    def load(self):
        self._put(errors={}, notice="", busy=False, missing=False,
                  attendee_submission_id=submissions.new_submission_id())
        try:
            actor = self._require_actor()
            actor.require_staff()
            self._fill(actor)
        except NotFound:
            self._clear()
            self._put(missing=True)
        except ServiceError:
            self._clear()

    def _act(self, work, notice_key: str, *, form: bool = False, done_if: str = "",  # noqa: ANN001, ANN202
             at: str = ""):
        """Run a staff action on this event: its mails delivered, the page reloaded, or the message
        (a refusal `done_if` says that the action's end already holds: the notice, as for the first;
        one about no field goes next to field `at`, where the action was asked, when given)."""
        if not self.found:
            return None
        try:
            actor = self._require_actor()
            mail_ids = work(actor)
        except NotAuthenticated:
            self._clear()
            return None
        except ServiceError as exc:
            if not (done_if and already_done(exc, done_if)):
                errors = shown_errors(field_errors(exc, self.lang))
                if at and "form" in errors and at not in errors:
                    errors[at] = errors.pop("form")
                self._put(errors=errors, notice="", texts_open=self.texts_open or refused_in(errors, EVENT_TEXTS))
                return None
            mail_ids = []
        deliver_soon(mail_ids or [])
        self._put(errors={}, notice=self._t(notice_key))
        try:
            self._fill(actor, form=form)
        except ServiceError:
            self._clear()
        return None

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        # the edit form always sends every field: without its title it is no such form (its unticked
        # boxes would otherwise switch the waiting list and the public page off)
        if not isinstance(form_data, dict) or not isinstance(form_data.get("title"), str):
            return None
        data = event_form(form_data)
        return self._act(lambda actor: run_service(event_admin.update_event, actor=actor, slug=self.slug,
                                                   data=self._changed(actor, data))[1], "events.saved", form=True)

    @rx.event
    async def cancel_event(self):
        async for update in while_busy(self, self._cancel_event):
            yield update

    def _cancel_event(self):
        return self._act(lambda actor: run_service(event_admin.cancel_event, actor=actor, slug=self.slug),
                         "events.event_cancelled_notice", form=True, done_if="error.event_cancelled")

    @rx.event
    def set_checked_in(self, registration_id: int, checked_in: bool):
        def work(actor):  # noqa: ANN001, ANN202
            run_service(event_admin.set_checked_in, actor=actor, registration_id=registration_id,
                        checked_in=checked_in)
            return []
        return self._act(work, "events.checked_in_saved")

    @rx.event
    async def add_attendee(self, form_data: dict):
        async for update in while_busy(self, self._add_attendee, form_data):
            yield update

    def _add_attendee(self, form_data: dict):
        if not isinstance(form_data, dict):
            return None

        def work(actor):  # noqa: ANN001, ANN202
            contact_id = run_service(event_admin.find_contact, actor=actor, email=form_data.get("contact_email"))
            mail_ids = run_service(event_admin.add_attendee, actor=actor, slug=self.slug, contact_id=contact_id,
                                   submission_id=form_data.get("submission_id")).mail_ids
            self.attendee_form_key += 1  # added: the email box empties (refused, it keeps what was typed)
            self.attendee_submission_id = submissions.new_submission_id()
            return mail_ids
        return self._act(work, "events.attendee_added", at="contact")

