"""One ticket: fields, attachments, history, comments newest first; comment with a status change;
staff assigns and writes internal notes. Updates live when the other side acts."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..i18n import format_size, format_moment
from ..models import TicketStatus
from ..services.tickets import attachments as attachment_service
from ..services import live
from ..services.accounts.actor_cache import IDENTITY
from ..services.tickets import core as tickets
from ..models import SEVERITIES
from ..services.errors import NotAuthenticated, ServiceError, ValidationFailed
from ..services.tickets.ticket_rules import CATEGORIES, PRIORITIES
from ..services.validation import is_id
from ..services import submissions
from .base import field_errors, run_service, send_later, while_busy
from .ticket_files import StagingState
from .ticket_list import Choice


class FileItem(TypedDict):
    id: int
    name: str
    size: str
    url: str
    is_image: bool
    when: str  # in the ticket's list of every file: when it came (two files may share a name); '' in a comment
    internal: bool  # came with an internal note: staff's alone (marked so in the ticket's list of every file)


class CommentItem(TypedDict):
    id: int
    author: str
    support: bool
    body: str
    internal: bool
    created: str
    status_line: str
    files: list[FileItem]


class HistoryItem(TypedDict):
    who: str
    what: str
    when: str


# refusals of a change made on what the page showed while someone else changed the ticket
_CHANGED_MEANWHILE = frozenset({"error.changed_meanwhile", "error.assignee_changed_meanwhile",
                                "error.fields_changed_meanwhile"})


def _changed_meanwhile(exc: ServiceError) -> bool:
    return isinstance(exc, ValidationFailed) and any(key in _CHANGED_MEANWHILE for key, _ in exc.fields.values())


def _files(rows, lang: str, *, zone: str = "", when: bool = True,  # noqa: ANN001
           internal: frozenset[int] = frozenset()) -> list[FileItem]:
    """The files as the page lists them, sizes in the reader's language ("49,4 KB"); with `when`,
    each with the time it came in the reader's zone (a comment's files go without: the comment has it);
    `internal`: the ids of the internal notes (their files are marked)."""
    return [{"id": a.id, "name": a.file_name, "size": format_size(a.size, lang), "url": f"/files/{a.id}",
             "is_image": a.content_type in attachment_service.IMAGE_TYPES,
             "when": format_moment(a.created_at, lang, zone=zone) if when else "",
             "internal": a.comment_id in internal} for a in rows]


class TicketDetailState(StagingState):
    found: bool = False
    number: int = 0
    title: str = ""
    description: str = ""
    fields: list[Choice] = []  # label/value pairs shown in the details box
    status_code: str = ""
    files: list[FileItem] = []
    comments: list[CommentItem] = []
    history: list[HistoryItem] = []
    transitions: list[Choice] = []
    can_comment: bool = False
    can_internal: bool = False
    can_follow: bool = False
    following: bool = False
    closed: bool = False
    closed_meanwhile: bool = False  # closed by someone else (or another tab) while this page showed it open
    reference_number: int = 0
    staff_view: bool = False
    assignee_id: str = ""
    assignee_options: list[Choice] = []
    # staff re-classifies: the values shown when the form was drawn, and the choices
    seen_fields: dict[str, str] = {}
    category_options: list[Choice] = []
    severity_options: list[Choice] = []
    priority_options: list[Choice] = []
    change_status: bool = False
    internal_note: bool = False  # staff's "Internal note" tick, kept while the form is drawn again
    status_choice: str = ""  # the status chosen in the comment form ("Close" there asks first, as the button does)
    errors: dict[str, str] = {}
    notice: str = ""
    form_key: int = 0
    draft: str = ""
    busy: bool = False  # the comment is being sent: its button waits
    fields_busy: bool = False  # staff's re-classification is being saved: its button waits
    submission_id: str = ""  # this showing of the comment form (see tickets.add_comment)
    _seen: int = -1
    _choices_seen: tuple[int, str] = (-1, "")  # (identity counter, language) the staff menus were built at

    def _number_from_path(self) -> str:
        path = (self.router.url.path or "").rstrip("/")
        return path.rsplit("/", 1)[-1] if "/" in path else ""

    def _fill(self, actor) -> None:  # noqa: ANN001
        # the counter before the read: a change committed while it ran moves it past this, so the next
        # tick reloads (read after, the page would keep the state from before that change)
        seen = live.versions(live.ticket_key(self.number))[0]
        detail = run_service(tickets.get_ticket, actor=actor, number=self.number)
        t, lang = self._t, self.lang
        ticket = detail.ticket
        self.title, self.description, self.status_code = ticket.title, ticket.description, ticket.status
        self.fields = [
            {"value": t(f"ticket.status.{ticket.status}"), "label": t("tickets.col.status"), "selected": False},
            {"value": t(f"ticket.category.{ticket.category}"), "label": t("tickets.col.category"), "selected": False},
            {"value": t(f"ticket.severity.{ticket.severity}"), "label": t("tickets.col.severity"), "selected": False},
            {"value": t(f"ticket.priority.{ticket.priority}"), "label": t("tickets.col.priority"), "selected": False},
            {"value": detail.company, "label": t("tickets.col.company"), "selected": False},
            {"value": detail.created_by, "label": t("tickets.col.created_by"), "selected": False},
            {"value": detail.assignee or t("tickets.unassigned"), "label": t("tickets.col.assignee"), "selected": False},
            {"value": self._moment(ticket.created_at), "label": t("tickets.col.created"), "selected": False},
            {"value": self._moment(ticket.updated_at), "label": t("tickets.col.updated"), "selected": False},
        ]
        self.files = _files(detail.attachments, lang, zone=self._time_zone,
                            internal=frozenset(c.id for c in detail.comments if c.internal))
        self.comments = [
            {"id": c.id, "author": c.author, "support": c.author_is_support, "body": c.body, "internal": c.internal,
             "created": self._moment(c.created_at),
             "status_line": t("ticket.status_line", old=t(f"ticket.status.{c.status_change[0]}"),
                              new=t(f"ticket.status.{c.status_change[1]}")) if c.status_change else "",
             "files": _files(c.attachments, lang, when=False)}
            for c in detail.comments
        ]
        self.history = [{"who": h.actor, "when": self._moment(h.created_at), "what": self._history_text(h)}
                        for h in detail.history]
        self.transitions = [{"value": s, "label": t(f"ticket.status.{s}"), "selected": False}
                            for s in detail.transitions]
        if self.status_choice not in detail.transitions:
            self.status_choice = detail.transitions[0] if detail.transitions else ""
        self.can_comment, self.can_internal = detail.can_comment, detail.can_internal
        self.can_follow, self.following = detail.can_follow, detail.following
        self.closed = ticket.status == "closed"
        self.reference_number = detail.reference_number or 0
        self.assignee_id = str(ticket.assignee_id or "")
        self.seen_fields = {"category": ticket.category, "severity": str(ticket.severity),
                            "priority": ticket.priority} if self.staff_view else {}
        self._seen = seen
        self.found = True

    def _history_text(self, change) -> str:  # noqa: ANN001
        t = self._t
        if change.field == "created":
            return t("ticket.history.created")
        if change.field == "status":
            return t("ticket.history.status", old=t(f"ticket.status.{change.old_value}"),
                     new=t(f"ticket.status.{change.new_value}"))
        if change.field in tickets.CLASSIFICATION:  # ticket.history.category, .severity, .priority
            return t(f"ticket.history.{change.field}", old=t(f"ticket.{change.field}.{change.old_value}"),
                     new=t(f"ticket.{change.field}.{change.new_value}"))
        return t("ticket.history.assignee", old=change.old_value or t("tickets.unassigned"),
                 new=change.new_value or t("tickets.unassigned"))

    def _load(self, *, staff: bool):
        """The page's only on_load handler (a self-guarded page): the guard, the ticket, the ready
        marker, in one event instead of three."""
        self.found, self.errors, self.notice, self.staff_view = False, {}, "", staff
        self.closed_meanwhile = False
        self.staged, self.upload_error, self.upload_progress, self.change_status, self.draft = [], "", -1, False, ""
        # a visit starts from the first status offered: a choice made before (perhaps by the person signed
        # in on this tab before) is not this visit's; the live reloads in between keep it
        self.internal_note, self.status_choice = False, ""
        self.busy, self.submission_id = False, submissions.new_submission_id()
        actor, elsewhere = self._enter(staff=staff)
        if actor is None:
            self._forget()
            return elsewhere
        try:
            if not staff and not actor.can("tickets"):
                # the module switched off or not in the profile: said at this URL, no ticket is read
                self._forget()
                self.number, self.errors = 0, {}
                self._show_unavailable()
                self._loaded()
                return None
            number = self._number_from_path()
            if not is_id(number) or len(number) > 9:  # "/tickets/017" is no ticket: one URL per ticket
                raise tickets.NotFound()
            self.number = int(number)
            self._fill(actor)
            # files staged on this ticket's form before a reload or in another tab: never silently dropped
            self._show_staged(actor, attachment_service.comment_form(self.number))
        except NotAuthenticated:
            self._forget()
            return self._login_redirect()
        except ServiceError:
            self._forget()
            self.number = 0
            self._loaded()
            return None
        if staff:
            self._staff_choices(actor)
        self.form_key += 1
        self._loaded()
        return None

    def _staff_choices(self, actor) -> None:  # noqa: ANN001
        """The assignee and classification menus, rebuilt only when the people in them (the
        `identity` counter) or the language changed: assigning the same lists again would send them
        again with every ticket opened."""
        seen = (live.versions(IDENTITY)[0], self.lang)
        if seen == self._choices_seen and seen[0] >= 0:
            return
        self.assignee_options = [{"value": str(p.account_id), "label": p.name, "selected": False}
                                 for p in run_service(tickets.assignable_accounts, actor=actor)]
        t = self._t
        self.category_options, self.severity_options, self.priority_options = (
            [{"value": str(v), "label": t(f"ticket.{name}.{v}"), "selected": False} for v in values]
            for name, values in (("category", CATEGORIES), ("severity", SEVERITIES), ("priority", PRIORITIES)))
        self._choices_seen = seen

    @rx.event
    def load(self):
        return self._load(staff=False)

    @rx.event
    def load_staff(self):
        return self._load(staff=True)

    @rx.event
    def set_change_status(self, value: bool):
        self.change_status = value is True

    @rx.event
    def set_internal_note(self, value: bool):
        self.internal_note = value is True and self.can_internal

    @rx.event
    def choose_status(self, value: str):
        """The comment form's status menu changed: the page asks first when it says Closed."""
        if isinstance(value, str) and value in [c["value"] for c in self.transitions]:
            self.status_choice = value

    @rx.event
    async def add_comment(self, form_data: dict):
        async for update in while_busy(self, self._add_comment, form_data):
            yield update

    def _add_comment(self, form_data: dict, close: str | None = None) -> None:
        """`close`: the closing status, for "Close ticket" (the form's own status choice is not used)."""
        if not isinstance(form_data, dict) or not self.found:
            return
        self.notice = ""
        if self._still_uploading():
            return
        status = close or (form_data.get("new_status") if self.change_status else None)
        try:
            actor = self._require_actor()
            ticket, mails = run_service(
                tickets.add_comment, actor=actor, number=self.number, body=form_data.get("comment", ""),
                new_status=status, seen_status=form_data.get("seen_status", self.status_code),
                internal=form_data.get("internal") in ("on", True) and self.can_internal,
                attachment_ids=self._staged_ids(),
                # the same form sent again (a double click) adds nothing: it answers as the first did
                submission_id=form_data.get("submission_id"))
        except NotAuthenticated:
            self.errors = {"comment": self._t("error.not_signed_in")}
            return
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            body = form_data.get("comment", "")
            self.draft = body[:20000] if isinstance(body, str) else ""  # nothing typed is lost
            self.internal_note = form_data.get("internal") in ("on", True) and self.can_internal
            if _changed_meanwhile(exc):
                self._refill(actor)  # the page now shows the status the ticket has, next to the message
            if "attachments" in self.errors:
                # a file sent or removed in another tab leaves this list
                self._show_staged(actor, attachment_service.comment_form(self.number))
            self.form_key += 1
            return
        for mail in mails:
            send_later(mail)
        self.errors, self.staged, self.change_status, self.draft, self.internal_note = {}, [], False, "", False
        self.upload_error = ""  # a file refused before the comment was sent is no longer the form's
        self.submission_id = submissions.new_submission_id()
        self.notice = (self._t("ticket.status_changed", status=self._t(f"ticket.status.{ticket.status}"))
                       if status else self._t("ticket.comment_added"))
        self._fill(actor)
        self.form_key += 1

    @rx.event
    def assign(self, assignee_id: str, seen_assignee_id: str | None = None):
        """`seen_assignee_id`: the assignee the page showed when the user chose ("" for nobody)."""
        if not self.found:
            return
        seen = self.assignee_id if seen_assignee_id is None else seen_assignee_id
        try:
            actor = self._require_actor()
            _, mails = run_service(tickets.assign, actor=actor, number=self.number, assignee_id=assignee_id,
                                   seen_assignee_id=seen)
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            if _changed_meanwhile(exc):
                self._refill(actor)  # the page now shows who has the ticket, next to the message
            return
        for mail in mails:
            send_later(mail)
        self.errors, self.notice = {}, self._t("ticket.assigned")
        self._fill(actor)

    @rx.event
    async def close_ticket(self, seen_status: str, comment: str = ""):
        """Close the ticket (the page asked "Confirm" first): a status change, refused like any other
        if the ticket's status is no longer `seen_status`, the one shown. `comment`: what the comment
        box holds at the moment (and any files added to it) goes with the close as its comment, so
        nothing typed is lost; an empty box closes without one."""
        if not self.found or not isinstance(seen_status, str):
            return
        form = {"comment": comment if isinstance(comment, str) else "", "seen_status": seen_status,
                "submission_id": self.submission_id}
        async for update in while_busy(self, self._add_comment, form, TicketStatus.CLOSED.value):
            yield update

    @rx.event
    async def change_fields(self, form_data: dict):
        """Staff re-classifies the ticket; the form carries the values it showed (`seen_<field>`)."""
        async for update in while_busy(self, self._change_fields, form_data, flag="fields_busy"):
            yield update

    def _change_fields(self, form_data: dict) -> None:
        if not isinstance(form_data, dict) or not self.found:
            return
        self.notice = ""
        fields = tickets.CLASSIFICATION
        try:
            actor = self._require_actor()
            run_service(tickets.change_fields, actor=actor, number=self.number,
                        data={name: form_data.get(name) for name in fields},
                        seen={name: form_data.get(f"seen_{name}", self.seen_fields.get(name)) for name in fields})
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            if _changed_meanwhile(exc):
                self._refill(actor)  # the page now shows the values the ticket has, next to the message
                self.form_key += 1
            return
        self.errors, self.notice = {}, self._t("ticket.fields_changed")
        self._fill(actor)
        self.form_key += 1

    @rx.event
    def set_following(self, follow: bool):
        if not self.found:
            return
        try:
            actor = self._require_actor()
            run_service(tickets.set_following, actor=actor, number=self.number, follow=follow)
            self._fill(actor)
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: reload only when this ticket changed (a counter, not a query)."""
        if not self.found or live.versions(live.ticket_key(self.number))[0] == self._seen:
            return
        before, was_closed, was = dict(self.seen_fields), self.closed, self.status_code
        try:
            self._fill(self._require_actor())
        except ServiceError:
            self._forget()
            return
        if self.status_code != was:
            self.notice = ""  # "Status changed to …" of this tab's last action is no longer true
        # closed by this tick (by someone else): the comment box went with it (`unsent_comment`)
        self._put(closed_meanwhile=self.closed and (self.closed_meanwhile or not was_closed))
        self._tell_fields_changed(before)

    def _tell_fields_changed(self, before: dict[str, str]) -> None:
        """Staff's menus of a field changed elsewhere now show its new value (the others keep what
        this tab chose and has not saved): say which, so a choice is not lost without a word."""
        changed = [name for name in tickets.CLASSIFICATION if before and before.get(name) != self.seen_fields.get(name)]
        if changed:
            t = self._t
            self.notice = t("ticket.fields_changed_meanwhile", changes=", ".join(
                f"{t(f'tickets.col.{name}')}: {t(f'ticket.{name}.{self.seen_fields[name]}')}" for name in changed))

    def _refill(self, actor) -> None:  # noqa: ANN001
        """Show the ticket as it is now (after a refusal); forget it if access is gone meanwhile."""
        try:
            self._fill(actor)
        except ServiceError:
            self._forget()

    def _forget(self) -> None:
        """Access is gone (signed out, ticket reassigned, module off): keep nothing of the ticket."""
        self.found, self.title, self.description, self.fields = False, "", "", []
        self.files, self.comments, self.history, self.transitions = [], [], [], []
        self.seen_fields = {}
        self.errors = {"page": self._t("ticket.not_found")}
