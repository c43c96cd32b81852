"""The "New ticket" form, optionally continuing a closed ticket (?ref=<number>)."""

from __future__ import annotations

import reflex as rx

from ..models import BUG_SEVERITIES, ModuleAccess
from ..services.tickets import core as tickets
from ..services.tickets import attachments, scope
from ..services.errors import NotAuthenticated, ServiceError
from ..services.tickets.ticket_rules import CATEGORIES, PRIORITIES
from ..services.validation import is_id
from ..services import submissions
from .base import field_errors, run_service, send_later, while_busy
from .ticket_files import StagingState
from .ticket_list import Choice


class NewTicketState(StagingState):
    category: str = ""
    errors: dict[str, str] = {}
    category_options: list[Choice] = []
    severity_options: list[Choice] = []
    priority_options: list[Choice] = []
    reference: int = 0
    reference_text: str = ""
    form_key: int = 0
    draft_title: str = ""
    draft_description: str = ""
    draft_severity: str = ""
    draft_priority: str = "normal"
    busy: bool = False  # the form is being sent: its button waits
    submission_id: str = ""  # this showing of the form (see tickets.create_ticket)
    # whose draft the browser keeps for this form (assets/ticket_draft.js): `SessionState.draft_owner`.
    # The draft itself never travels with events: it stays in the browser until the form shows again.

    @rx.event
    def load(self):
        # the form is built again only when what it shows changes: a reload while someone types
        # would empty the fields under their fingers
        remount = bool(self.draft_title or self.draft_description or self.draft_severity or self.reference
                       or self.draft_priority != "normal")
        # ... or when its options come for the first time: an uncontrolled select mounted without
        # options ignores its default when they arrive, and the browser shows the first ("Low")
        remount = remount or not self.priority_options
        self.errors, self.category, self.upload_error = {}, "", ""
        self.draft_title, self.draft_description = "", ""
        self.draft_severity, self.draft_priority = "", "normal"
        self.staged, self.upload_progress = [], -1
        self.busy, self.submission_id = False, submissions.new_submission_id()
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            return None
        if scope.is_support(actor):
            return rx.redirect("/tickets")  # support answers tickets from the list
        if not actor.can("tickets", ModuleAccess.EDIT):
            # the module switched off, or a profile that may only read: said at this URL, nothing loaded
            self.reference, self.reference_text = 0, ""
            self._show_unavailable()
            return None
        # files staged on this form before a reload or in another tab: never silently dropped
        self._show_staged(actor, attachments.NEW_TICKET_FORM)
        t = self._t
        self.category_options = [{"value": c, "label": t(f"ticket.category.{c}"), "selected": False}
                                 for c in CATEGORIES]
        self.severity_options = [{"value": str(s), "label": t(f"ticket.severity.{s}"), "selected": False}
                                 for s in BUG_SEVERITIES]
        self.priority_options = [{"value": p, "label": t(f"ticket.priority.{p}"), "selected": p == "normal"}
                                 for p in PRIORITIES]
        self.reference, self.reference_text = 0, ""
        ref = self.router.url.query_parameters.get("ref", "")
        if isinstance(ref, str) and is_id(ref) and len(ref) < 10:
            try:
                detail = run_service(tickets.get_ticket, actor=actor, number=ref)
            except ServiceError:
                detail = None
            if detail is not None:
                self.reference = detail.ticket.number
                self.reference_text = t("ticket.form.reference", number=detail.ticket.number)
                self.draft_title = detail.ticket.title[:200]
                remount = True
        if remount:
            self.form_key += 1
        return None

    @rx.event
    def choose_category(self, value: str):
        self.category = value if isinstance(value, str) and value in CATEGORIES else ""
        self._filled("category", self.category)

    @rx.event
    def field_filled(self, name: str, value: str):
        """A field marked with an error, now filled in (on leaving it): its message goes. Only the
        server decides, again, when the form is sent."""
        self._filled(name, value)

    def _filled(self, name: object, value: object) -> None:
        if isinstance(name, str) and name in self.errors and isinstance(value, str) and value.strip():
            self.errors = {key: text for key, text in self.errors.items() if key != name}

    @rx.event
    async def submit(self, form_data: dict):
        async for update in while_busy(self, self._submit, form_data):
            yield update

    def _submit(self, form_data: dict):
        if not isinstance(form_data, dict) or self._still_uploading():
            return None
        try:
            actor = self._require_actor()
            # the same form sent again (a double click) answers with the ticket it created first
            ticket, mails = run_service(tickets.create_ticket, actor=actor, data=form_data,
                                        attachment_ids=self._staged_ids(), reference=self.reference or None,
                                        submission_id=form_data.get("submission_id"))
        except NotAuthenticated:
            return rx.redirect("/login")
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            # keep everything typed and chosen: nothing is lost while the marked fields are fixed
            self.draft_title = str(form_data.get("title", ""))[:200]
            self.draft_description = str(form_data.get("description", ""))[:20000]
            category, severity, priority = (str(form_data.get(k, "")) for k in ("category", "severity", "priority"))
            self.category = category if category in CATEGORIES else ""
            self.draft_severity = severity if severity in {str(s) for s in BUG_SEVERITIES} else ""
            self.draft_priority = priority if priority in PRIORITIES else "normal"
            if "attachments" in self.errors:
                self._show_staged(actor, attachments.NEW_TICKET_FORM)  # a file sent or removed elsewhere leaves
            self.form_key += 1
            return None
        for mail in mails:
            send_later(mail)
        self.errors, self.staged, self.submission_id = {}, [], submissions.new_submission_id()
        return rx.redirect(f"/tickets/{ticket.number}")
