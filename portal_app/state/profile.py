"""My details and the company page: fields shown per the actor's profile."""

from __future__ import annotations

import asyncio
from typing import TypedDict

import reflex as rx

from ..i18n import available_languages
from ..models import ModuleAccess
from ..settings import settings
from ..services.accounts import auth
from ..services import submissions
from ..services.companies import directory
from ..services.edits import EditClash
from ..services.errors import NotAuthenticated, ServiceError
from ..services.accounts.passwords import MAX_BYTES, MIN_LENGTH
from .base import field_errors, run_service, send_later, while_busy
from .session import SessionState


class FieldRow(TypedDict):
    name: str
    label: str
    value: str
    editable: bool


class FieldFormState(SessionState):
    """Shared shape of a per-field form: rows, errors, a notice, and a key to reset inputs."""

    fields: list[FieldRow] = []
    errors: dict[str, str] = {}
    notice: str = ""
    form_key: int = 0
    loaded: bool = False
    busy: bool = False  # a form is being sent: its button waits (state.base.while_busy)
    _told: dict[str, str] = {}  # values someone else saved meanwhile that a refused save showed

    def _rows(self, prefix: str, views: list[directory.FieldView]) -> list[FieldRow]:
        return [{"name": v.name, "label": self._t(f"field.{prefix}.{v.name}"), "value": v.value,
                 "editable": v.editable} for v in views]

    def _show(self, rows: list[FieldRow]) -> None:
        """The fields as loaded, drawn afresh (typed values go)."""
        self.fields, self._told = rows, {}
        self.form_key += 1

    def _seen(self) -> dict[str, str]:
        """What the form showed, for the save (`services.edits`): the loaded values, and those a
        refused save said were changed meanwhile (saving again replaces them)."""
        return {**{f["name"]: f["value"] for f in self.fields}, **self._told}

    def _refused(self, exc: ServiceError) -> None:
        self.errors = field_errors(exc, self.lang)
        if isinstance(exc, EditClash):
            self._told = {**self._told, **exc.current}

    @rx.var
    def can_edit(self) -> bool:
        return any(f["editable"] for f in self.fields)


class MyDetailsState(FieldFormState):
    """Own contact fields (staff has no contact: its name and email), and the password change."""

    account_name: str = ""
    account_email: str = ""
    has_contact: bool = False
    password_errors: dict[str, str] = {}
    password_notice: str = ""
    password_key: int = 0
    password_submission: str = ""  # this showing of the password form (a double click changes once)
    _password_changed_by: str = ""  # the submission id of the form that changed the password
    time_zone_chosen: str = ""  # the zone the user reads times in ('' for the portal's)
    portal_zone: str = ""
    zone_errors: dict[str, str] = {}
    zone_notice: str = ""
    zone_key: int = 0

    @rx.event
    def load(self):
        self.errors, self.notice = {}, ""
        self.password_errors, self.password_notice = {}, ""
        self.password_submission = submissions.new_submission_id()
        try:
            actor = self._require_actor()
            self.account_name, self.account_email = actor.name, actor.email
            self.time_zone_chosen, self.portal_zone = actor.time_zone, settings.time_zone
            self.zone_errors, self.zone_notice = {}, ""
            self.zone_key += 1
            self.has_contact = actor.contact_id is not None
            views = run_service(directory.own_contact_fields, actor=actor) if self.has_contact else []
            self._show(self._rows("contact", views))
        except NotAuthenticated:
            return
        except ServiceError as exc:
            self._show([])
            self.errors = field_errors(exc, self.lang)
        self.password_key += 1
        self.loaded = True

    @rx.var
    def language_name(self) -> str:
        return available_languages().get(self.lang, self.lang)

    @rx.var
    def portal_zone_label(self) -> str:
        return self._t("me.time_zone.portal", zone=self.portal_zone)

    @rx.event
    async def save_time_zone(self, form_data: dict):
        async for update in while_busy(self, self._save_time_zone, form_data):
            yield update

    def _save_time_zone(self, form_data: dict):
        self.zone_notice = ""
        try:
            actor = self._require_actor()
            kept = run_service(auth.set_time_zone, actor=actor,
                               time_zone=(form_data if isinstance(form_data, dict) else {}).get("time_zone"))
        except NotAuthenticated:
            return rx.redirect("/login")
        except ServiceError as exc:
            self.zone_errors = field_errors(exc, self.lang)
            return
        self.zone_errors, self.time_zone_chosen = {}, kept
        self._apply_shell(self._actor())  # the page's own times (and other tabs' pages) now in the new zone
        self.zone_notice = self._t("me.time_zone.saved", zone=kept or self.portal_zone)

    @rx.var
    def password_intro(self) -> str:
        return self._t("me.password.intro", min=MIN_LENGTH, max=MAX_BYTES)

    @rx.event
    async def change_password(self, form_data: dict):
        """Current password, new one twice; ends the user's other sessions and mails the user."""
        async for update in while_busy(self, self._change_password, form_data):
            yield update

    async def _change_password(self, form_data: dict):
        self.password_notice = ""
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            return rx.redirect("/login")
        form = form_data if isinstance(form_data, dict) else {}
        try:
            submission = submissions.parse_submission_id(form.get("submission_id"))
        except ServiceError as exc:
            self.password_errors = field_errors(exc, self.lang)
            return
        if submission is not None and submission == self._password_changed_by:
            # the same form again (a double click queued behind the change): its answer again, without
            # checking the old password against the new hash (nor counting that as a failed attempt)
            self.password_errors = {}
            self.password_notice = self._t("me.password.changed")
            return
        try:
            # bcrypt (twice) takes about half a second: off the event loop
            mail = await asyncio.to_thread(
                run_service, auth.change_password, actor=actor, current=form.get("current"),
                new=form.get("password"), confirm=form.get("confirm"), keep_session_hash=self._session_hash())
        except ServiceError as exc:
            self.password_errors = field_errors(exc, self.lang)
            return
        send_later(mail)
        self._password_changed_by = submission or ""
        self.password_submission = submissions.new_submission_id()
        self.password_errors = {}
        self.password_notice = self._t("me.password.changed")
        self.password_key += 1

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        self.notice = ""
        try:
            actor = self._require_actor()
            run_service(directory.update_own_contact, actor=actor, data=form_data, seen=self._seen())
        except NotAuthenticated:
            return rx.redirect("/login")
        except ServiceError as exc:
            self._refused(exc)
            return
        self.errors = {}
        self._show(self._rows("contact", run_service(directory.own_contact_fields, actor=actor)))
        self._apply_shell(self._actor())
        self.notice = self._t("me.saved")


class CompanyState(FieldFormState):
    company_name: str = ""
    module_editable: bool = False

    @rx.event
    def load(self):
        self.errors, self.notice = {}, ""
        try:
            actor = self._require_actor()
            company, views = run_service(directory.own_company_fields, actor=actor)
        except NotAuthenticated:
            return
        except ServiceError:
            # the module switched off or not in the profile (or no company of one's own, as staff):
            # said at this URL, with nothing of a company kept
            self.company_name, self.fields, self.loaded, self.module_editable = "", [], False, False
            self._show_unavailable()
            return None
        self.company_name = company.name
        self.module_editable = actor.can("company", ModuleAccess.EDIT)
        self._show(self._rows("company", views))
        self.loaded = True

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        self.notice = ""
        try:
            actor = self._require_actor()
            company = run_service(directory.update_own_company, actor=actor, data=form_data, seen=self._seen())
        except NotAuthenticated:
            return rx.redirect("/login")
        except ServiceError as exc:
            self._refused(exc)
            return
        self.errors = {}
        self.company_name = company.name
        _, views = run_service(directory.own_company_fields, actor=actor)
        self._show(self._rows("company", views))
        self.notice = self._t("company.saved")
