"""A company's contacts: managed by its company admin (/company) or by staff (/admin/company)."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx

from ..models import CONTACT_FIELDS, FieldAccess
from ..services import live, submissions
from ..services.accounts.actor_cache import IDENTITY
from ..services.companies import directory
from ..services.portal import profiles
from ..services.actor import Actor
from ..services.edits import EditClash
from ..services.errors import NotAuthenticated, ServiceError
from ..services.validation import parse_id
from .base import field_errors, run_service, send_later, while_busy
from .session import SessionState


class ContactItem(TypedDict):
    id: int
    name: str
    email: str
    job_title: str
    is_active: bool
    portal_access: bool
    portal_admin: bool
    profile_id: str
    profile_name: str
    locked: bool
    login_count: int
    last_login: str
    is_self: bool
    awaiting_password: bool  # access given, no password set yet: its set-password link is out
    signs_in: bool  # access and a password: its login email is staff's to change, not the company admin's
    submission_id: str  # its "Give portal access": one grant (one mail) per click, however often it is sent


class ProfileOption(TypedDict):
    id: str
    name: str


class ContactFieldRow(TypedDict):
    name: str
    label: str
    value: str
    editable: bool


class ContactsState(SessionState):
    rows: list[ContactItem] = []
    manage: bool = False
    staff_mode: bool = False
    profile_options: list[ProfileOption] = []
    errors: dict[str, str] = {}
    row_errors: dict[str, str] = {}  # contact id -> why the action on that row was refused
    notice: str = ""
    dialog_open: bool = False
    busy: bool = False  # a form is being sent: its button waits (state.base.while_busy)
    dialog_title: str = ""
    edit_fields: list[ContactFieldRow] = []
    form_key: int = 0
    submission_id: str = ""  # the "Add contact" form's: one contact per form shown, however often it is sent
    _company_id: int = 0
    _editing_id: int = 0
    _seen_fields: dict[str, str] = {}  # the edit dialog's values as opened (`services.edits`)
    _given: dict[str, str] = {}  # the last "Give portal access" click that sent a mail -> its notice
    _seen: int = -1  # the counter IDENTITY when the rows were read (`tick`)

    # --- loading ------------------------------------------------------------------------------

    def _refresh(self, actor: Actor) -> None:
        self._seen = live.versions(IDENTITY)[0]  # before the read: a change during it is read again
        rows = run_service(directory.list_contacts, actor=actor, company_id=self._company_id)
        clicks = {r["id"]: r["submission_id"] for r in self.rows}  # a row keeps its click id until it is used
        self.rows = [
            {"id": r.id, "name": f"{r.first_name} {r.last_name}", "email": r.email, "job_title": r.job_title,
             "is_active": r.is_active, "portal_access": r.portal_access, "portal_admin": r.portal_admin,
             # a profile is what access is given with: kept for giving access again, shown while it is in use
             "profile_id": str(r.profile_id or ""),
             "profile_name": r.profile_name if r.portal_access and r.is_active else "", "locked": r.locked,
             "login_count": r.login_count, "last_login": self._when(r.last_login_at),
             "is_self": r.id == actor.contact_id, "awaiting_password": r.portal_access and not r.has_password,
             "signs_in": r.portal_access and r.has_password,
             "submission_id": clicks.get(r.id) or submissions.new_submission_id()}
            for r in rows
        ]

    def _reset_view(self) -> None:
        self.errors, self.notice, self.dialog_open = {}, "", False
        self.rows, self.manage, self.row_errors = [], False, {}

    @rx.event
    def load_for_company(self):
        """The company page: a company admin manages its own company's contacts."""
        self._reset_view()
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            return
        if not actor.manages_company_contacts:
            return
        self._company_id, self.staff_mode, self.manage = actor.company_id or 0, False, True
        self._refresh(actor)

    @rx.event
    def load_for_admin(self):
        """The admin panel's company page: staff manages any company's contacts."""
        self._reset_view()
        try:
            actor = self._require_actor()
            actor.require_staff()
            self._company_id = parse_id(self.router.url.query_parameters.get("id"), field="company_id")
            self._refresh(actor)
        except ServiceError:
            return
        self.staff_mode, self.manage = True, True
        self.profile_options = [{"id": str(p.id), "name": p.name}
                                for p in run_service(profiles.list_profiles, actor=actor)]

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds while the contacts are shown: read them again only when a contact or an
        account changed (`IDENTITY`), so what a colleague or another tab did shows without a reload."""
        if not self.manage or live.versions(IDENTITY)[0] == self._seen:
            return
        try:
            self._refresh(self._require_actor())
        except ServiceError:
            self._reset_view()

    # --- acting -------------------------------------------------------------------------------

    def _act(self, fn, success: str = "", **kwargs: Any) -> Any:
        """Run a service as the current actor, then reload; errors become the form message, or,
        for an action on one contact's row (`contact_id`), a message on that row."""
        self.notice, self.row_errors = "", {}
        try:
            actor = self._require_actor()
            result = run_service(fn, actor=actor, **kwargs)
        except NotAuthenticated:
            self.errors = {"form": self._t("error.not_signed_in")}
            return None
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            if isinstance(exc, EditClash):  # saving again replaces what was changed meanwhile
                self._seen_fields = {**self._seen_fields, **exc.current}
            row = kwargs.get("contact_id")
            if fn is not directory.update_contact and isinstance(row, int) and not isinstance(row, bool) \
                    and any(r["id"] == row for r in self.rows):
                self.row_errors = {str(row): " ".join(self.errors.values())}
                try:  # the row as it is now (changed in another tab, the refusal's reason), beside its message
                    self._refresh(actor)
                except ServiceError:
                    pass
            return None
        self.errors = {}
        self.notice = success
        try:
            # the list of the company loaded on this page; none loaded (an event sent without
            # the page's on_load, or a stale company id) must not turn a done action into a crash
            self._refresh(actor)
        except ServiceError:
            self.rows = []
        return result if result is not None else True

    def _fields_for(self, actor: Actor, values: dict[str, str], contact_id: int = 0) -> list[ContactFieldRow]:
        """The dialog's fields: those hidden from the actor are absent (see directory._changes); a
        colleague's login email, once a password is set, is staff's to change (shown, not editable)."""
        row = next((r for r in self.rows if r["id"] == contact_id), None)
        fixed = {"email"} if row and row["signs_in"] and not row["is_self"] and not actor.is_staff else set()
        return [{"name": n, "label": self._t(f"field.contact.{n}"), "value": values.get(n, ""),
                 "editable": n not in fixed}
                for n in CONTACT_FIELDS if actor.field(f"contact.{n}") != FieldAccess.HIDDEN]

    @rx.event
    def open_new(self):
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            return
        self._editing_id = 0
        self.errors = {}
        self.submission_id = submissions.new_submission_id()
        self.dialog_title = self._t("contacts.new_title")
        self.edit_fields = self._fields_for(actor, {})
        self.form_key += 1
        self.dialog_open = True

    @rx.event
    def open_edit(self, contact_id: int):
        try:
            actor = self._require_actor()
            contact = run_service(directory.get_contact, actor=actor, contact_id=contact_id)
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            return
        self._editing_id = contact.id
        self.errors = {}
        self.dialog_title = self._t("contacts.edit_title")
        self.edit_fields = self._fields_for(actor, {n: str(getattr(contact, n) or "") for n in CONTACT_FIELDS},
                                            contact.id)
        self._seen_fields = {f["name"]: f["value"] for f in self.edit_fields}  # what the save merges from
        self.form_key += 1
        self.dialog_open = True

    @rx.event
    def close_dialog(self, _open: Any = None, *_more):
        # the dialog's on_open_change (Escape, a click outside) sends its argument by name: a named one
        self.dialog_open = False
        self.errors = {}

    @rx.event
    async def save_contact(self, form_data: dict):
        async for update in while_busy(self, self._save_contact, form_data):
            yield update

    def _save_contact(self, form_data: dict):
        if self._editing_id:
            before = next((r for r in self.rows if r["id"] == self._editing_id), None)
            done = self._act(directory.update_contact, self._t("contacts.updated"),
                             contact_id=self._editing_id, data=form_data, seen=self._seen_fields)
            # the email changed (never when the reader's profile hides it: the row then shows none)
            email_shown = any(f["name"] == "email" for f in self.edit_fields)
            if done and before is not None and before["awaiting_password"] and email_shown \
                    and done.email != before["email"]:
                self._relink(done.id)
        else:
            # the form's id: sent twice (a double click), the second sending answers with the first's contact
            sid = form_data.get("submission_id") if isinstance(form_data, dict) else None
            done = self._act(directory.create_contact, "", company_id=self._company_id, data=form_data,
                             submission_id=sid)
            if done:
                self.notice = self._t("contacts.created", name=f"{done.first_name} {done.last_name}")
                self.submission_id = submissions.new_submission_id()
        if done:
            self.dialog_open = False
        else:
            self._say_unshown_refusals()
        if not done and isinstance(form_data, dict) and (actor := self._actor()) is not None:
            # keep what was typed, so nothing is lost while the errors are fixed
            shown = {field["name"]: field["value"] for field in self.edit_fields}  # a disabled one is not sent
            self.edit_fields = self._fields_for(actor, {n: str(form_data.get(n, shown.get(n, "")))[:500]
                                                        for n in CONTACT_FIELDS}, self._editing_id)
            self.form_key += 1

    def _say_unshown_refusals(self) -> None:
        """A refused field the dialog does not show (hidden from the reader's profile, such as a name the
        service requires) is said above the form, by its name: a Save that seems to do nothing helps no one."""
        shown = {f["name"] for f in self.edit_fields}
        unshown = [f"{self._t(f'field.contact.{name}')}: {message}" for name, message in self.errors.items()
                   if name in CONTACT_FIELDS and name not in shown]
        if unshown:
            self.errors = {**self.errors, "form": " ".join([*unshown, self._t("contacts.fields_hidden")])}

    @rx.event
    def set_access(self, contact_id: int, enabled: bool, submission_id: str = ""):
        """Give or remove portal access. `submission_id`: the row's click id (giving only): a double
        click sends it twice, and the second sending changes nothing and mails nothing."""
        sid = submission_id if enabled else None  # garbage: the service refuses it
        result = self._act(directory.set_portal_access, contact_id=contact_id, enabled=enabled, submission_id=sid)
        if result is None:
            return
        if isinstance(result, dict):
            send_later(result)
            self.notice = self._mailed("contacts.access_given", contact_id, result["to"])
            if isinstance(sid, str) and sid:
                self._given = {sid: self.notice}
                self._new_row_submission(contact_id)
        elif isinstance(sid, str) and sid and sid in self._given:
            self.notice = self._given[sid]  # the same click again: as the first sending answered
        else:
            self.notice = self._t("common.saved" if enabled else "contacts.access_removed")

    def _mailed(self, key: str, contact_id: int, to: str) -> str:
        """"... was emailed to <address>"; to a reader whose profile hides contacts' emails, "... to <name>"
        (`<key>_person`; the list always names colleagues): the message does not show what the list hides."""
        actor = self._actor()
        if actor is not None and actor.field("contact.email") == FieldAccess.HIDDEN:
            return self._t(f"{key}_person", name=self._name_of(contact_id))
        return self._t(key, email=to)

    def _new_row_submission(self, contact_id: int) -> None:
        """The row's next click is a new one (its id was used by the one just answered)."""
        self.rows = [{**r, "submission_id": submissions.new_submission_id()} if r["id"] == contact_id else r
                     for r in self.rows]

    def _name_of(self, contact_id: int) -> str:
        return next((r["name"] for r in self.rows if r["id"] == contact_id), "")

    @rx.event
    def set_admin(self, contact_id: int, admin: bool):
        # what was done, and to whom ("Saved." alone says neither)
        key = "contacts.admin_given" if admin is True else "contacts.admin_removed"
        self._act(directory.set_portal_admin, self._t(key, name=self._name_of(contact_id)), contact_id=contact_id,
                  admin=admin)

    @rx.event
    def set_active(self, contact_id: int, active: bool):
        # deactivating ended the colleague's portal access: reactivated, the page says how to give it back
        key = "contacts.reactivated" if active is True else "contacts.deactivated"
        done = self._act(directory.set_contact_active, self._t(key, name=self._name_of(contact_id)),
                         contact_id=contact_id, active=active)
        row = next((r for r in self.rows if r["id"] == contact_id), None) if done else None
        if active is True and row is not None and not row["portal_access"]:
            self.notice = self._t("contacts.reactivated_without_access", name=row["name"])

    @rx.event
    def set_profile(self, contact_id: int, profile_id: str):
        self._act(directory.set_contact_profile, self._t("common.saved"), contact_id=contact_id,
                  profile_id=profile_id)

    @rx.event
    def unlock(self, contact_id: int):
        self._act(directory.unlock_contact, self._t("admin.unlocked"), contact_id=contact_id)

    def _relink(self, contact_id: int) -> None:
        """The login's email changed while its set-password link was out: that link died with the old
        address (services/companies/directory.py), so the new address gets one."""
        mail = self._act(directory.send_set_password_link, contact_id=contact_id)
        if isinstance(mail, dict):
            send_later(mail)
            self.notice = self._t("contacts.relinked", email=mail["to"])

    @rx.event
    def send_link(self, contact_id: int, submission_id: str = ""):
        """A new set-password link by mail. `submission_id`: the row's click id, as for `set_access`:
        a double click mails once (a second mail's link would make the first one's dead)."""
        mail = self._act(directory.send_set_password_link, contact_id=contact_id, submission_id=submission_id or None)
        if isinstance(mail, dict):
            send_later(mail)
            self.notice = self._mailed("contacts.link_sent", contact_id, mail["to"])
            if submission_id:
                self._given = {submission_id: self.notice}
                self._new_row_submission(contact_id)
        elif mail is True and submission_id and submission_id in self._given:  # (True: done, nothing returned)
            self.notice = self._given[submission_id]  # the same click again: as the first sending answered
