"""Events for customers (/events, /events/<slug>), the public registration page (/register/<slug>)
and the signed cancel link (/events/cancel/<token>).

Seats left are live: every few seconds `tick` compares the event's change counter
(`live.event_key`, or `live.ALL_EVENTS` for the list) with the one the page was loaded at and
reloads only when it moved, like the ticket list.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TypedDict

import reflex as rx

from ..models import RegistrationStatus, utcnow
from ..services import live
from ..services.errors import NotAuthenticated, NotFound, ServiceError
from ..services.events import core as events
from ..services.events.event_mail import deadline_text, when_text
from ..services.events.scope import may_register, sees_events
from ..services.companies import directory
from ..services import submissions
from .base import already_done, deliver_soon, field_errors, last_segment, one_message, run_service, while_busy
from .session import SessionState


class EventItem(TypedDict):
    slug: str
    title: str
    title_lang: str  # the language the title is in (staff's, where not written in the reader's)
    when: str
    place: str
    online: bool  # held online (the link itself only on the event page, for those registered)
    seats_left: int
    price: str
    deadline: str
    cancelled: bool
    open: bool
    past: bool  # ended: no seats left shown
    mine: str  # the viewer's own place, as text ('' none)


class RegistrationItem(TypedDict):
    registration_id: int
    slug: str
    title: str
    title_lang: str
    when: str
    name: str
    status: str  # registered / waiting
    status_label: str
    cancellable: bool  # neither started nor cancelled by staff
    href: str  # the event's page for the reader: the portal's, its public page, or '' (neither)


class Choice(TypedDict):
    value: str
    label: str


def place_text(view: Any) -> str:
    return view.location or ""


def status_text(t, status: str, position: int | None, *, past: bool = False) -> str:  # noqa: ANN001
    """The viewer's own place: "You are registered", "You are on the waiting list (position 2)";
    of an event that has ended, "You were registered"."""
    if status == "waiting":
        return t("events.you_were_waiting") if past else t("events.you_are_waiting", position=position or 0)
    if status == "registered":
        return t("events.you_were_registered") if past else t("events.you_are_registered")
    return t("event.status.cancelled")


def closed_text(t, reason: str) -> str:  # noqa: ANN001
    """Why registration is not open, said as such: full without a waiting list, cancelled, started,
    past its deadline ('' while it is open)."""
    return t(f"events.closed_{reason}") if reason else ""


def someone_status_text(t, status: str, position: int | None, *, past: bool = False) -> str:  # noqa: ANN001
    """Somebody else's place (a colleague's): "Registered", "Waiting list (position 2)"; of an
    event that has ended, "Was registered"."""
    if past and status in ("registered", "waiting"):
        return t(f"events.someone_was_{status}")
    if status == "waiting":
        return t("events.status_waiting", position=position or 0)
    return t(f"event.status.{status}") if status in ("registered", "cancelled") else status


class EventListState(SessionState):
    """/events: upcoming, past, "My registrations" (and a company admin's company registrations)."""

    upcoming: list[EventItem] = []
    past: list[EventItem] = []
    mine: list[RegistrationItem] = []
    company_regs: list[RegistrationItem] = []
    company_admin: bool = False
    loaded: bool = False
    errors: dict[str, str] = {}
    notice: str = ""
    _seen: int = -1

    def _item(self, view: events.EventView) -> EventItem:
        t = self._t
        return {"slug": view.slug, "title": view.title, "title_lang": view.text_langs["title"], "when": when_text(view, self.lang), "place": place_text(view),
                "online": view.online, "seats_left": view.seats_left, "price": view.price_text,
                "deadline": deadline_text(view, self.lang),
                "cancelled": view.status == "cancelled", "open": view.registration_open, "past": view.past,
                # a cancelled event's registrations went with it: its "Cancelled" badge says so
                "mine": status_text(t, view.mine.status, view.mine.position, past=view.past)
                if view.mine and view.status != "cancelled" else ""}

    def _reg(self, r: events.RegistrationView, *, own: bool = True) -> RegistrationItem:
        if r.event_status == "cancelled":
            label = self._t("events.status_event_cancelled")
        elif own:
            label = status_text(self._t, r.status, r.position, past=r.ends_at < utcnow())
        else:
            label = someone_status_text(self._t, r.status, r.position, past=r.ends_at < utcnow())
        href = {"portal": f"/events/{r.event_slug}", "public": f"/register/{r.event_slug}"}.get(r.page, "")
        return {"registration_id": r.registration_id, "slug": r.event_slug, "title": r.event_title,
                "title_lang": r.event_title_lang, "when": when_text(r, self.lang), "name": r.name, "status": r.status,
                "status_label": label, "cancellable": r.cancellable, "href": href}

    def _fill(self, actor) -> None:  # noqa: ANN001
        self._seen = live.versions(live.ALL_EVENTS)[0]
        upcoming = run_service(events.list_events, actor=actor, when="upcoming", lang=self.lang)
        past = run_service(events.list_events, actor=actor, when="past", limit=20, lang=self.lang)
        mine = run_service(events.my_registrations, actor=actor, lang=self.lang)
        company = (run_service(events.my_registrations, actor=actor, company=True, lang=self.lang)
                   if actor.is_company_admin else [])
        self._put(upcoming=[self._item(v) for v in upcoming], past=[self._item(v) for v in past],
                  mine=[self._reg(r) for r in mine],
                  company_regs=[self._reg(r, own=False) for r in company if r.email != actor.email],
                  company_admin=actor.is_company_admin, loaded=True)

    def _clear(self) -> None:
        self._put(upcoming=[], past=[], mine=[], company_regs=[], company_admin=False, loaded=False)

    @rx.event
    def load(self):
        self._put(errors={}, notice="")
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            self._clear()
            return
        if actor.is_staff or not sees_events(actor):
            self._clear()
            self._show_unavailable()
            return
        try:
            self._fill(actor)
        except ServiceError:
            self._clear()
            self._show_unavailable()

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: reload only when an event changed (seats, registrations)."""
        if not self.loaded:
            return
        if live.versions(live.ALL_EVENTS)[0] == self._seen:
            return
        try:
            actor = self._require_actor()
            self._fill(actor)
        except ServiceError:
            self._clear()

    @rx.event
    def cancel(self, registration_id: int):
        """Cancel a registration of "My registrations" (or, for a company admin, a colleague's)."""
        try:
            actor = self._require_actor()
            done = run_service(events.cancel_registration, actor=actor, registration_id=registration_id)
        except NotAuthenticated:
            self._clear()
            return
        except ServiceError as exc:
            if not already_done(exc, "error.event_already_cancelled"):
                self._put(errors=one_message(field_errors(exc, self.lang)), notice="")
                return
            if self.notice:  # the first click's notice stands (its row, with the name, is gone)
                self._fill(actor)
                return
            done = None
        if done is not None:
            deliver_soon(done.mail_ids)
        colleague = next((r for r in self.company_regs if r["registration_id"] == registration_id), None)
        mine = next((r for r in self.mine if r["registration_id"] == registration_id), None)
        # a waiting place is left, not cancelled: said so (the row says what it was, as the click saw it)
        waiting = (done.was if done is not None else (colleague or mine or {}).get("status")) == "waiting"
        if colleague:
            notice = self._t("events.left_waitlist_notice_for" if waiting else "events.cancelled_notice_for",
                             name=colleague["name"])
        else:
            notice = self._t("events.left_waitlist_notice" if waiting else "events.cancelled_notice")
        self._put(errors={}, notice=notice)
        self._fill(actor)


class EventPageState(SessionState):
    """/events/<slug>: the event, seats left (live), Register / Cancel registration."""

    found: bool = False
    slug: str = ""
    title: str = ""
    description: str = ""
    text_lang: dict[str, str] = {}  # "title", "description", "price_text": the language each is in
    when: str = ""
    place: str = ""
    online: bool = False
    online_url: str = ""  # only for a viewer holding a seat (the service gives it to nobody else)
    deadline: str = ""
    price: str = ""
    seats_left: int = 0
    capacity: int = 0
    waiting_count: int = 0
    cancelled: bool = False
    cancelled_text: str = ""  # the event cancelled: said so, and that the viewer's registration went with it
    past: bool = False
    started: bool = False
    open: bool = False
    closed_text: str = ""  # why registration is not open: full, cancelled, started, past its deadline
    can_register: bool = False
    my_status: str = ""  # registered / waiting / ''
    my_status_text: str = ""
    colleagues: list[Choice] = []  # a company admin registers these
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False
    submission_id: str = ""
    _registered_with: str = ""  # the submission id of the form that last registered someone
    _event_id: int = 0
    _mine_id: int = 0
    _seen: int = -1

    def _clear(self) -> None:
        self._put(found=False, title="", description="", when="", place="", online=False, online_url="", deadline="",
                  price="", seats_left=0, capacity=0, waiting_count=0, my_status="", my_status_text="", colleagues=[],
                  can_register=False, open=False, past=False, started=False)
        self._event_id, self._mine_id = 0, 0

    def _fill(self, actor) -> None:  # noqa: ANN001
        slug = last_segment(self)
        if self._event_id:
            self._seen = live.versions(live.event_key(self._event_id))[0]
        view = run_service(events.get_event, actor=actor, slug=slug, lang=self.lang)
        if view.id != self._event_id:
            self._event_id = view.id
            self._seen = live.versions(live.event_key(view.id))[0]
        cancelled = view.status == "cancelled"
        mine = view.mine if not cancelled else None  # a cancelled event's registrations went with it
        self._mine_id = mine.registration_id if mine else 0
        self._put(found=True, slug=view.slug, title=view.title, description=view.description, text_lang=view.text_langs,
                  when=when_text(view, self.lang), place=place_text(view), online=view.online,
                  online_url=view.online_url, deadline=deadline_text(view, self.lang),
                  price=view.price_text, seats_left=view.seats_left, capacity=view.capacity,
                  waiting_count=view.waiting_count, cancelled=cancelled, past=view.past,
                  cancelled_text=self._t("events.cancelled_with_event" if view.mine else "events.event_cancelled")
                  if cancelled else "",
                  started=view.starts_at <= utcnow(), open=view.registration_open,
                  closed_text=closed_text(self._t, view.closed_reason), can_register=may_register(actor),
                  my_status=mine.status if mine else "",
                  my_status_text=status_text(self._t, mine.status, mine.position, past=view.past) if mine else "")

    def _colleagues(self, actor) -> None:  # noqa: ANN001
        """The colleagues a company admin may still register: not those registered or waiting already."""
        choices: list[Choice] = []
        if actor.is_company_admin and may_register(actor) and actor.manages_company_contacts and self.slug:
            try:
                people = run_service(directory.list_contacts, actor=actor, include_inactive=False)
                taken = run_service(events.company_contacts_on_event, actor=actor, slug=self.slug)
            except ServiceError:
                people, taken = [], set()
            people = [c for c in people if c.email and c.id != actor.contact_id and c.id not in taken]
            names = Counter(f"{c.first_name} {c.last_name}".strip() for c in people)
            # two colleagues of the same name are told apart by their addresses
            choices = [{"value": str(c.id), "label": name if names[name] == 1 else f"{name} ({c.email})"}
                       for c in people for name in [f"{c.first_name} {c.last_name}".strip()]]
        self._put(colleagues=choices)

    @rx.event
    def load(self):
        self._put(errors={}, notice="", busy=False)
        self.submission_id = submissions.new_submission_id()
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            self._clear()
            return
        if actor.is_staff or not sees_events(actor):
            self._clear()
            self._show_unavailable()
            return
        self._event_id = 0
        try:
            self._fill(actor)
        except ServiceError:
            self._clear()
            self._put(errors={"page": self._t("events.not_found")})
            return
        self._colleagues(actor)

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: seats left follow other people's registrations (no query unless moved)."""
        if not self.found or not self._event_id:
            return
        if live.versions(live.event_key(self._event_id))[0] == self._seen:
            return
        try:
            actor = self._require_actor()
            self._fill(actor)
        except ServiceError:
            self._clear()
            return
        self._colleagues(actor)  # a colleague registered elsewhere is no longer offered

    @rx.event
    async def register(self, form_data: dict):
        async for update in while_busy(self, self._register, form_data):
            yield update

    def _register(self, form_data: dict):
        # the page always sends the id of the form it showed (a double click registers once)
        if not isinstance(form_data, dict) or not self.found or not isinstance(form_data.get("submission_id"), str) \
                or not form_data["submission_id"]:
            return None
        if form_data["submission_id"] == self._registered_with:
            return None  # a double click's second sending, of a form already registered: its notice stays
        contact = form_data.get("contact_id")
        if contact == "":  # the colleague form, no one chosen
            self._put(errors={"contact_id": self._t("events.choose_colleague_first")}, notice="")
            return None
        if contact is not None and (not isinstance(contact, str) or len(contact) > 12):
            self._put(errors={"form": self._t("error.invalid")}, notice="")
            return None
        # none sent: the contact itself
        try:
            actor = self._require_actor()
            done = run_service(events.register, actor=actor, slug=self.slug, contact_id=contact,
                               submission_id=form_data.get("submission_id"))
        except NotAuthenticated:
            self._clear()
            return None
        except ServiceError as exc:
            self._put(errors=one_message(field_errors(exc, self.lang)), notice="")
            return None
        deliver_soon(done.mail_ids)
        self._registered_with, self.submission_id = form_data["submission_id"], submissions.new_submission_id()
        name = next((c["label"] for c in self.colleagues if c["value"] == str(contact)), "") if contact else ""
        # their own place shows in the status callout; a colleague's goes in the notice, by name
        if not name:
            notice = ""
        elif done.status == "waiting":
            notice = self._t("events.colleague_waiting", name=name, position=done.position or 0)
        else:
            notice = self._t("events.colleague_registered", name=name)
        self._put(errors={}, notice=notice)
        self._fill(actor)
        self._colleagues(actor)
        return None

    @rx.event
    async def cancel(self):
        async for update in while_busy(self, self._cancel):
            yield update

    def _cancel(self):
        if not self._mine_id:
            return None
        try:
            actor = self._require_actor()
            done = run_service(events.cancel_registration, actor=actor, registration_id=self._mine_id)
            deliver_soon(done.mail_ids)
        except NotAuthenticated:
            self._clear()
            return None
        except ServiceError as exc:
            if not already_done(exc, "error.event_already_cancelled"):
                self._put(errors=one_message(field_errors(exc, self.lang)), notice="")
                return None
            done = None
        waiting = (done.was if done is not None else self.my_status) == "waiting"
        self._put(errors={}, notice=self._t("events.left_waitlist_notice" if waiting else "events.cancelled_notice"))
        self._fill(actor)
        return None


class PublicRegisterState(SessionState):
    """/register/<slug>: anyone registers, no login; not found unless the public page is on."""

    found: bool = False
    loaded: bool = False
    title: str = ""
    description: str = ""
    text_lang: dict[str, str] = {}  # as `EventPageState.text_lang`
    when: str = ""
    place: str = ""
    online: bool = False  # the meeting link itself goes only to registrants, in their mail
    deadline: str = ""
    price: str = ""
    seats_left: int = 0
    full: bool = False  # every seat taken: registering now puts one on the waiting list (when open)
    open: bool = False
    closed_text: str = ""
    errors: dict[str, str] = {}
    outcome: str = ""  # "You are registered" / "You are on the waiting list (position N)"
    outcome_mail: str = ""  # what the mail on its way holds (the waiting list's has no calendar file)
    busy: bool = False
    submission_id: str = ""
    _slug: str = ""

    @rx.event
    def load(self):
        self._put(errors={}, outcome="", busy=False)
        self.submission_id = submissions.new_submission_id()
        slug = last_segment(self)
        try:
            view = run_service(events.public_event, slug=slug, lang=self.lang)
        except ServiceError:
            self._slug = ""
            self._put(found=False, loaded=True, title="", description="", when="", place="", online=False,
                      deadline="", price="", seats_left=0, full=False, open=False)
            return
        self._slug = view.slug
        self._put(found=True, loaded=True, title=view.title, description=view.description, text_lang=view.text_langs,
                  when=when_text(view, self.lang), place=place_text(view), online=view.online,
                  deadline=deadline_text(view, self.lang), price=view.price_text, seats_left=view.seats_left,
                  full=view.full, open=view.registration_open, closed_text=closed_text(self._t, view.closed_reason))

    @rx.event
    async def submit(self, form_data: dict):
        async for update in while_busy(self, self._submit, form_data):
            yield update

    def _submit(self, form_data: dict):
        if not isinstance(form_data, dict) or not self._slug:
            return None
        try:
            done = run_service(events.register_public, slug=self._slug, data=form_data,
                               client_address=self.router.session.client_ip or "", language=self.lang,
                               submission_id=form_data.get("submission_id"))
        except NotFound:
            self._put(found=False)
            return None
        except ServiceError as exc:
            # the form keeps what was typed; the messages go next to the fields
            self._put(errors=field_errors(exc, self.lang))
            return None
        deliver_soon(done.mail_ids)
        self.submission_id = submissions.new_submission_id()
        mail_key = "events.outcome_mail_waiting" if done.status == RegistrationStatus.WAITING else "events.outcome_mail"
        self._put(errors={}, outcome=status_text(self._t, done.status, done.position), outcome_mail=self._t(mail_key))
        return None


class EventCancelState(SessionState):
    """/events/cancel/<token>: the signed link of the mails, no login."""

    valid: bool = False
    loaded: bool = False
    title: str = ""
    title_lang: str = "en"  # the language the title is in
    when: str = ""
    name: str = ""
    can_cancel: bool = False
    done: bool = False
    event_cancelled: bool = False  # staff cancelled the event: the registration went with it
    waiting: bool = False  # a place on the waiting list, not a seat: "Leave the waiting list"
    position: int = 0
    errors: dict[str, str] = {}
    busy: bool = False
    _cancelled_with: str = ""  # the token this tab cancelled with (a double click's second confirm)

    def _token(self) -> str:
        token = last_segment(self)
        return token if len(token) < 300 else ""

    @rx.event
    def load(self):
        self._put(errors={}, done=False, busy=False)
        try:
            view = run_service(events.registration_for_token, token=self._token(), lang=self.lang)
        except ServiceError as exc:
            self._put(valid=False, loaded=True, title="", when="", name="", can_cancel=False, event_cancelled=False,
                      waiting=False, position=0, errors=field_errors(exc, self.lang) if not isinstance(exc, NotFound) else {})
            return
        if not self._browser_language() and self._actor() is None and view.language != self.lang:
            self._set_language(view.language)  # a link from a mail opens in the mail's language
            view = run_service(events.registration_for_token, token=self._token(), lang=self.lang)  # its title too
        self._put(valid=True, loaded=True, title=view.event_title, title_lang=view.event_title_lang, when=when_text(view, self.lang), name=view.name,
                  can_cancel=view.can_cancel, done=view.status == "cancelled", event_cancelled=view.event_cancelled,
                  waiting=view.status == "waiting", position=view.position or 0)

    @rx.event
    async def cancel(self):
        async for update in while_busy(self, self._cancel):
            yield update

    def _cancel(self):
        if not self.valid:
            return None
        token = self._token()
        if token and token == self._cancelled_with:
            # the confirm again, queued behind this tab's own cancellation: done already, nothing new
            # to say (a link used in another visit still says "already used")
            return None
        try:
            done = run_service(events.cancel_by_token, token=token)
        except ServiceError as exc:
            self._put(errors=field_errors(exc, self.lang))
            return None
        deliver_soon(done.mail_ids)
        self._cancelled_with = token
        self._put(done=True, can_cancel=False, errors={})
        return None

