"""Support tickets: who sees which, creating, commenting, status, assigning (the list: `ticket_list`).

Visibility (every query starts from `visible_tickets`):
- staff: every ticket;
- collaborator: tickets assigned to it;
- company admin: every ticket of its company;
- contact: the tickets it created (for the company it belongs to).
A ticket outside that scope answers NotFound, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ...models import (
    BUG_SEVERITIES, NOT_IN_SLA, PRIORITY_RANK, Account, AccountKind, Attachment, Company, Contact, ModuleAccess,
    Ticket, TicketCategory, TicketChange, TicketComment, TicketCounter, TicketFollower, TicketPriority,
    TicketStatus, utcnow,
)
from . import attachments, thread_cache, ticket_search
from .. import live
from ..accounts.actor_cache import IDENTITY
from ..actor import Actor, build_actor
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..portal.config import get_portal_settings
from .scope import display_name, is_support, visible_tickets
from .ticket_mail import mails_for_assignment, mails_for_change
from .ticket_rules import CATEGORIES, DEFAULT_PRIORITY, PRIORITIES, allowed_transitions, status_after_comment
from ..validation import clean_text, parse_id
from ..submissions import parse_submission_id

def _require_write(actor: Actor) -> None:
    if not actor.is_staff and not actor.can("tickets", ModuleAccess.EDIT):
        raise PermissionDenied()


def _load(session: Session, actor: Actor, number: Any, *, lock: bool = False) -> Ticket:
    num = parse_id(number, field="number")
    stmt = visible_tickets(actor).where(Ticket.number == num)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    ticket = session.exec(stmt).first()
    if ticket is None:
        raise NotFound()
    return ticket


def _names(session: Session, account_ids: set[int]) -> dict[int, str]:
    return {aid: name for aid, (name, _) in _people(session, account_ids).items()}


def _people(session: Session, account_ids: set[int]) -> dict[int, tuple[str, bool]]:
    """Each account's display name and whether it is on the support side (staff or collaborator)."""
    if not account_ids:
        return {}
    rows = session.exec(select(Account.id, Account.full_name, Account.email, Contact.first_name, Contact.last_name,
                               Account.kind)
                        .join(Contact, col(Account.contact_id) == Contact.id, isouter=True)
                        .where(col(Account.id).in_(account_ids))).all()
    support_kinds = {AccountKind.STAFF, AccountKind.COLLABORATOR}
    return {aid: (display_name(aid, full, email, first, last), kind in support_kinds)
            for aid, full, email, first, last, kind in rows}


# --- submission ids (services/submissions.py) ----------------------------------------------------
# The same form sent again finds the row of the first sending and creates nothing; two sent at the
# same moment meet at the unique index, and the second one then answers like the repeat it is.

def _submitted(session: Session, model: type[Ticket] | type[TicketComment], submission: str | None,
               owner: Any, account_id: int) -> Any:
    """The row an earlier sending of this form created, or None; another account's: refused."""
    if submission is None:
        return None
    row = session.exec(select(model).where(model.submission_id == submission)).first()
    if row is not None and owner(row) != account_id:
        raise ValidationFailed({"form": "error.invalid"})
    return row


# --- create --------------------------------------------------------------------------------------

def _next_number(session: Session) -> int:
    """The next ticket number, from one atomic UPDATE ... RETURNING (safe with concurrent writers)."""
    result = session.execute(update(TicketCounter).where(TicketCounter.id == 1)
                             .values(value=TicketCounter.value + 1).returning(TicketCounter.value)).first()
    if result is None:
        highest = session.exec(select(func.max(Ticket.number))).one() or 10000
        session.execute(insert(TicketCounter).values(id=1, value=highest + 1))
        return highest + 1
    return result[0]


def _text(data: Mapping[str, Any], name: str, *, required: bool, max_chars: int, single_line: bool) -> str:
    value = clean_text(data.get(name), field=name, max_chars=max_chars, single_line=single_line)
    if required and not value:
        raise ValidationFailed({name: "error.required"})
    return value


def _ticket_fields(data: Any) -> dict[str, Any]:
    """Validate a new ticket's fields; severity follows the category whatever the client sends."""
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    errors: dict[str, Any] = {}
    out: dict[str, Any] = {}
    # the title goes into mail subjects: a line break pasted into it is folded into a space
    for name, limit, single_line in (("title", 200, True), ("description", 20000, False)):
        try:
            out[name] = _text(data, name, required=True, max_chars=limit, single_line=single_line)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    classification, wrong = _classification(data, default_priority=DEFAULT_PRIORITY)
    errors |= wrong
    if errors:
        raise ValidationFailed(errors)
    return out | classification


CLASSIFICATION = ("category", "severity", "priority")


def _classification(data: Mapping[str, Any], *, default_priority: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Category, severity and priority (with its rank) from a form, and the errors by field.

    The severity rule: a Bug has severity 1..4; every other category is 10 (Not in SLA), whatever
    the client sends. `default_priority`: taken when none is given (None: one must be chosen).
    """
    errors: dict[str, Any] = {}
    category = data.get("category")
    if category not in CATEGORIES:
        errors["category"] = "error.choose"
    priority = data.get("priority")
    if priority in (None, "") and default_priority is not None:
        priority = default_priority  # nothing chosen: the one default
    if priority not in PRIORITIES:
        errors["priority"] = "error.choose"
    severity = NOT_IN_SLA
    if category == TicketCategory.BUG:
        raw = data.get("severity")
        raw = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
        if not (isinstance(raw, str) and raw.strip() in {str(s) for s in BUG_SEVERITIES}):
            errors["severity"] = "error.bug_severity"  # also where "10 - Not in SLA" is still chosen
        else:
            severity = int(raw.strip())
    if errors:
        return {}, errors
    return {"category": category, "priority": priority, "severity": severity,
            "priority_rank": PRIORITY_RANK[TicketPriority(priority)]}, {}


def create_ticket(*, session: Session, actor: Actor, data: Any, attachment_ids: Any = (),
                  reference: Any = None, submission_id: Any = None) -> tuple[Ticket, list[dict[str, str]]]:
    """A new ticket of the actor's company, with its staged attachments, in one transaction.

    `reference` is the number of a ticket this one continues, usually a closed one (it must be
    visible to the actor too). `submission_id`: the form's id; the same form sent again returns the
    ticket it created the first time, and no mails.
    Returns the ticket and the notification mails to send.
    """
    if is_support(actor) or actor.company_id is None:
        raise PermissionDenied()  # support answers tickets; customers open them
    _require_write(actor)
    submission = parse_submission_id(submission_id)

    def earlier() -> Ticket | None:
        return _submitted(session, Ticket, submission, lambda t: t.created_by_id, actor.account_id)

    if (done := earlier()) is not None:
        return done, []
    fields = _ticket_fields(data)
    ref_id = None
    if reference not in (None, "", 0):
        ref_id = _load(session, actor, reference).id
    ticket = Ticket(number=_next_number(session), company_id=actor.company_id, created_by_id=actor.account_id,
                    reference_id=ref_id, status=TicketStatus.NEW, submission_id=submission, **fields)
    session.add(ticket)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the same form, sent at the same moment, got there first
        if (done := earlier()) is None:
            raise
        return done, []
    ids = list(attachment_ids) if isinstance(attachment_ids, (list, tuple)) else attachment_ids
    attachments.claim(session=session, actor=actor, ids=[] if ids in (None, "") else ids, ticket_id=ticket.id,
                      comment_id=None)
    session.add(TicketFollower(ticket_id=ticket.id, account_id=actor.account_id))
    session.add(TicketChange(ticket_id=ticket.id, actor_id=actor.account_id, field="created",
                             new_value=TicketStatus.NEW))
    ticket_search.index_ticket(session, ticket)
    session.commit()
    session.refresh(ticket)
    live.bump(live.ticket_key(ticket.number), live.company_key(ticket.company_id), live.ALL_TICKETS)

    return ticket, mails_for_change(session=session, ticket=ticket, actor=actor, created=True)


# --- detail --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CommentView:
    id: int
    author: str
    author_is_support: bool
    body: str
    internal: bool
    created_at: datetime
    status_change: tuple[str, str] | None
    attachments: list[Attachment]


@dataclass(frozen=True)
class ChangeView:
    actor: str
    field: str
    old_value: str
    new_value: str
    created_at: datetime


@dataclass(frozen=True)
class TicketDetail:
    ticket: Ticket
    company: str
    created_by: str
    assignee: str
    reference_number: int | None
    attachments: list[Attachment]
    comments: list[CommentView]
    history: list[ChangeView]
    transitions: tuple[str, ...]
    can_comment: bool
    can_internal: bool
    following: bool  # asked only where the actor may follow (can_follow); else False
    can_follow: bool


MAX_COMMENTS_SHOWN = 200


def get_ticket(*, session: Session, actor: Actor, number: Any) -> TicketDetail:
    """The ticket as `actor` may see it. The ticket row is read through the actor's scope every time;
    its thread (comments, files, history, names) comes from `thread_cache` while it has not changed."""
    staff = actor.is_staff
    counters = thread_cache.counters(parse_id(number, field="number"))  # before the rows: see thread_cache
    ticket = _load(session, actor, number)
    stamp = (ticket.updated_at, ticket.company_id, ticket.created_by_id, ticket.assignee_id, ticket.reference_id,
             counters)
    thread = thread_cache.threads.get((ticket.id, staff), stamp, lambda: _read_thread(session, ticket, staff=staff),
                                      keep=lambda read: thread_cache.keepable(counters, read.chars))
    support = is_support(actor)
    writable = actor.is_staff or actor.can("tickets", ModuleAccess.EDIT)
    can_follow = actor.is_company_admin and not support
    return TicketDetail(
        ticket=ticket, company=thread.company, created_by=thread.created_by, assignee=thread.assignee,
        reference_number=thread.reference_number, attachments=list(thread.attachments),
        comments=list(thread.comments), history=list(thread.history),
        transitions=allowed_transitions(support_side=support, status=ticket.status,
                                        customers_can_close=thread.customers_can_close) if writable else (),
        can_comment=writable and ticket.status != TicketStatus.CLOSED,
        can_internal=actor.is_staff,
        following=can_follow and session.exec(select(TicketFollower.id).where(
            TicketFollower.ticket_id == ticket.id, TicketFollower.account_id == actor.account_id)).first() is not None,
        can_follow=can_follow,
    )


@dataclass(frozen=True)
class _Thread:
    """What a ticket's page shows besides the ticket row, the same for everyone on one side."""
    company: str
    created_by: str
    assignee: str
    reference_number: int | None
    attachments: tuple[Attachment, ...]
    comments: tuple[CommentView, ...]
    history: tuple[ChangeView, ...]
    customers_can_close: bool
    chars: int  # the text it holds, for thread_cache's bound


def _read_thread(session: Session, ticket: Ticket, *, staff: bool) -> _Thread:
    # first: the settings row's first read commits, which would expire the rows read before it
    customers_can_close = get_portal_settings(session).customers_can_close
    comment_stmt = select(TicketComment).where(TicketComment.ticket_id == ticket.id)
    if not staff:
        comment_stmt = comment_stmt.where(TicketComment.internal == False)  # noqa: E712
    comments = list(session.exec(comment_stmt.order_by(col(TicketComment.created_at).desc(),
                                                       col(TicketComment.id).desc())
                                 .limit(MAX_COMMENTS_SHOWN)).all())
    files = list(session.exec(select(Attachment).where(Attachment.ticket_id == ticket.id)
                              .order_by(Attachment.id)).all())
    changes = list(session.exec(select(TicketChange).where(TicketChange.ticket_id == ticket.id)
                                .order_by(col(TicketChange.created_at).desc(), col(TicketChange.id).desc())).all())
    named = _people(session, {c.author_id for c in comments} | {c.actor_id for c in changes}
                    | {ticket.created_by_id} | ({ticket.assignee_id} if ticket.assignee_id else set()))
    people = {aid: name for aid, (name, _) in named.items()}
    support_ids = {aid for aid, (_, support_side) in named.items() if support_side}
    visible_comment_ids = {c.id for c in comments}
    company = session.get(Company, ticket.company_id)
    reference = session.get(Ticket, ticket.reference_id) if ticket.reference_id else None
    return _Thread(
        company=company.name if company else "", created_by=people.get(ticket.created_by_id, ""),
        assignee=people.get(ticket.assignee_id, "") if ticket.assignee_id else "",
        reference_number=reference.number if reference else None,
        attachments=tuple(a for a in files if a.comment_id is None or a.comment_id in visible_comment_ids),
        comments=tuple(
            CommentView(id=c.id, author=people.get(c.author_id, ""), author_is_support=c.author_id in support_ids,
                        body=c.body, internal=c.internal, created_at=c.created_at,
                        status_change=(c.old_status, c.new_status) if c.new_status else None,
                        attachments=[a for a in files if a.comment_id == c.id])
            for c in comments),
        history=tuple(ChangeView(actor=people.get(c.actor_id, ""), field=c.field, old_value=c.old_value,
                                 new_value=c.new_value, created_at=c.created_at) for c in changes),
        customers_can_close=customers_can_close,
        chars=sum(len(c.body) for c in comments) + sum(len(f.file_name) for f in files),
    )


# --- comment and status --------------------------------------------------------------------------

def _closed_refusal(actor: Actor) -> str:
    """Why a comment on a closed ticket is refused: support reopens it with the reply ("Change status
    to"); a customer opens a new ticket."""
    return "error.ticket_closed_support" if is_support(actor) else "error.ticket_closed"


def add_comment(*, session: Session, actor: Actor, number: Any, body: Any = "", new_status: Any = None,
                seen_status: Any = None, internal: Any = False, attachment_ids: Any = (),
                submission_id: Any = None) -> tuple[Ticket, list[dict[str, str]]]:
    """A comment, a status change, or both, with staged attachments: one transaction.

    A closed ticket takes no more comments; only support may reopen it (with a status change).
    A comment that chooses no status may move the ticket by the rule of ticket_rules
    (`status_after_comment`: a customer's reply to a ticket waiting for it hands it back to support).
    `seen_status` is the status the user saw when asking for the change: if the ticket has another
    one now (someone changed it meanwhile), the change is refused with
    {"new_status": "error.changed_meanwhile"} and nothing is written, the comment neither. None: not
    checked (for a caller that has just read the ticket itself).
    `submission_id`: the form's id; the same form sent again changes nothing and sends no mails.
    Returns the ticket and the notification mails to send.
    """
    _require_write(actor)
    if not isinstance(internal, bool) or (internal and not actor.is_staff):
        raise PermissionDenied()
    text = clean_text(body, field="comment", max_chars=20000)
    ids = list(attachment_ids) if isinstance(attachment_ids, (list, tuple)) else attachment_ids
    submission = parse_submission_id(submission_id)
    ticket = _load(session, actor, number, lock=True)

    def earlier() -> TicketComment | None:
        row = _submitted(session, TicketComment, submission, lambda c: c.author_id, actor.account_id)
        if row is not None and row.ticket_id != ticket.id:
            raise ValidationFailed({"form": "error.invalid"})
        return row

    if earlier() is not None:
        return ticket, []  # before the status checks: the first sending has changed the status
    target = new_status if new_status not in (None, "") else None
    if target is not None and seen_status is not None and seen_status != ticket.status:
        raise ValidationFailed({"new_status": "error.changed_meanwhile"})
    if target is not None:
        allowed = allowed_transitions(support_side=is_support(actor), status=ticket.status,
                                      customers_can_close=get_portal_settings(session).customers_can_close)
        if target not in allowed:
            raise ValidationFailed({"new_status": "error.transition"})
    if target is None and ticket.status == TicketStatus.CLOSED:
        raise ValidationFailed({"comment": _closed_refusal(actor)})
    if target is None and not text and not ids:
        raise ValidationFailed({"comment": "error.required"})
    if internal and target is not None:
        raise ValidationFailed({"new_status": "error.internal_status"})
    now = utcnow()
    old_status = ticket.status
    comment = TicketComment(ticket_id=ticket.id, author_id=actor.account_id, body=text, internal=internal,
                            old_status=old_status if target else "", new_status=target or "", created_at=now,
                            submission_id=submission)
    session.add(comment)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the same form, sent at the same moment, got there first
        if earlier() is None:
            raise
        session.refresh(ticket)
        return ticket, []
    attachments.claim(session=session, actor=actor, ids=[] if ids in (None, "") else ids,
                      ticket_id=ticket.id, comment_id=comment.id)
    if not internal:
        ticket_search.index_comment(session, ticket.id, text)
    # a staff-only note leaves no trace on the customer's side: not even the ticket's "Updated" time
    values: dict[str, Any] = {"updated_at": Ticket.updated_at if internal else now}
    if target is not None:
        values["status"] = target
        session.add(TicketChange(ticket_id=ticket.id, actor_id=actor.account_id, field="status",
                                 old_value=old_status, new_value=target, created_at=now))
    # A status change applies only to the status it was validated against: a concurrent change wins
    # and this one is refused, cleanly. A plain comment only needs the ticket not to be closed meanwhile.
    if target is not None:
        guard, refusal = Ticket.status == old_status, {"new_status": "error.changed_meanwhile"}
    else:
        guard, refusal = Ticket.status != TicketStatus.CLOSED, {"comment": _closed_refusal(actor)}
    moved = session.execute(update(Ticket).where(Ticket.id == ticket.id, guard).values(**values)).rowcount
    if moved != 1:
        session.rollback()
        raise ValidationFailed(refusal)
    automatic = None if target is not None or internal else status_after_comment(
        support_side=is_support(actor), status=old_status)
    # the rule of ticket_rules.STATUS_AFTER_COMMENT, applied only from the status it was read with
    # (changed meanwhile: the comment stands, the status someone else chose stays)
    if automatic is not None and session.execute(
            update(Ticket).where(Ticket.id == ticket.id, Ticket.status == old_status)
            .values(status=automatic)).rowcount == 1:
        target = automatic
        comment.old_status, comment.new_status = old_status, target
        session.add(TicketChange(ticket_id=ticket.id, actor_id=actor.account_id, field="status",
                                 old_value=old_status, new_value=target, created_at=now))
    session.commit()
    session.refresh(ticket)
    live.bump(live.ticket_key(ticket.number), live.company_key(ticket.company_id), live.ALL_TICKETS)

    mails = mails_for_change(session=session, ticket=ticket, actor=actor, comment=comment,
                             status_change=(old_status, target) if target else None)
    return ticket, mails


# --- support tools -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Assignable:
    account_id: int
    name: str
    kind: str


# who may be assigned changes only with an account or a contact: kept until IDENTITY moves (staff's
# ticket page asked for it on every open, some 7 % of the server's time under load: docs/benchmarks.md)
_ASSIGNABLE = live.Memo(IDENTITY)


def assignable_accounts(*, session: Session, actor: Actor) -> list[Assignable]:
    """Enabled staff and collaborators, staff first, by name (the same list for every staff user)."""
    actor.require_staff()
    return list(_ASSIGNABLE.get(lambda: _assignable(session)))


def _assignable(session: Session) -> tuple[Assignable, ...]:
    people = _names(session, set(session.exec(select(Account.id).where(
        Account.enabled == True, col(Account.kind).in_([AccountKind.STAFF, AccountKind.COLLABORATOR]))).all()))  # noqa: E712
    kinds = dict(session.exec(select(Account.id, Account.kind).where(col(Account.id).in_(people))).all())
    return tuple(sorted((Assignable(account_id=i, name=n, kind=kinds[i]) for i, n in people.items()),
                        key=lambda a: (a.kind != AccountKind.STAFF, a.name.lower())))


def _account_or_nobody(value: Any) -> int | None:
    """An account id from untrusted input; None for "nobody" ("", "0", 0 or None)."""
    return None if value in (None, "", 0, "0") else parse_id(value, field="assignee")


def assign(*, session: Session, actor: Actor, number: Any, assignee_id: Any,
           seen_assignee_id: Any = None) -> tuple[Ticket, list[dict[str, str]]]:
    """Staff gives the ticket to a staff user or a collaborator (or to nobody).

    `seen_assignee_id` is the assignee the user saw ("" for nobody): if the ticket has another one
    now (someone assigned it meanwhile), the change is refused with
    {"assignee": "error.assignee_changed_meanwhile"}. None: not checked.
    """
    actor.require_staff()
    ticket = _load(session, actor, number, lock=True)
    new_id = _account_or_nobody(assignee_id)
    if new_id is not None:
        target = session.get(Account, new_id)
        if (target is None or target.kind not in (AccountKind.STAFF, AccountKind.COLLABORATOR)
                or build_actor(session, target) is None):  # disabled, or a deactivated collaborator
            raise ValidationFailed({"assignee": "error.invalid"})
    if new_id == ticket.assignee_id:
        return ticket, []
    changed_meanwhile = {"assignee": "error.assignee_changed_meanwhile"}
    if seen_assignee_id is not None and _account_or_nobody(seen_assignee_id) != ticket.assignee_id:
        raise ValidationFailed(changed_meanwhile)
    old_id = ticket.assignee_id
    people = _names(session, {i for i in (old_id, new_id) if i})
    now = utcnow()
    session.add(TicketChange(ticket_id=ticket.id, actor_id=actor.account_id, field="assignee",
                             old_value=people.get(old_id, "")[:200] if old_id else "",
                             new_value=people.get(new_id, "")[:200] if new_id else "", created_at=now))
    # applies only to the assignee it was read with: of two staff assigning at once, the second is refused
    same = col(Ticket.assignee_id).is_(None) if old_id is None else Ticket.assignee_id == old_id
    _write_if(session, ticket, [same], {"assignee_id": new_id, "updated_at": now}, refusal=changed_meanwhile)

    return ticket, mails_for_assignment(session=session, ticket=ticket, actor=actor)


def change_fields(*, session: Session, actor: Actor, number: Any, data: Any, seen: Any = None) -> Ticket:
    """Staff re-classifies a ticket: category, severity and priority (`data`, as a form sends them;
    the severity rule of a new ticket holds). Each changed field is a line of the history.

    `seen` is what the user saw ({"category", "severity", "priority"}): if any has changed since
    (someone else re-classified it), the change is refused with
    {"fields": "error.fields_changed_meanwhile"} and nothing is written. None: not checked.
    """
    actor.require_staff()
    if not isinstance(data, Mapping) or not (seen is None or isinstance(seen, Mapping)):
        raise ValidationFailed({"fields": "error.invalid"})
    ticket = _load(session, actor, number, lock=True)
    new, errors = _classification(data, default_priority=None)
    if errors:
        raise ValidationFailed(errors)
    old = {name: getattr(ticket, name) for name in CLASSIFICATION}
    changed = [name for name in CLASSIFICATION if new[name] != old[name]]
    if not changed:  # it has the values asked for already (a double click's second sending): done
        return ticket
    changed_meanwhile = {"fields": "error.fields_changed_meanwhile"}
    if seen is not None and any(str(seen.get(name)) != str(old[name]) for name in CLASSIFICATION):
        raise ValidationFailed(changed_meanwhile)
    now = utcnow()
    for name in changed:
        session.add(TicketChange(ticket_id=ticket.id, actor_id=actor.account_id, field=name,
                                 old_value=str(old[name]), new_value=str(new[name]), created_at=now))
    # applies only to the values it was read with: of two staff changing them at once, the second is refused
    same = [getattr(Ticket, name) == value for name, value in old.items()]
    _write_if(session, ticket, same, {**new, "updated_at": now}, refusal=changed_meanwhile)
    return ticket


def _write_if(session: Session, ticket: Ticket, guard: list[ColumnElement[bool]], values: dict[str, Any], *,
              refusal: dict[str, str]) -> None:
    """Write `values` to the ticket only while `guard` (what the change was checked against) still
    holds, and commit; otherwise roll back and refuse with `refusal`. The live counters move."""
    moved = session.execute(update(Ticket).where(Ticket.id == ticket.id, *guard).values(**values)).rowcount
    if moved != 1:
        session.rollback()
        raise ValidationFailed(refusal)
    session.commit()
    session.refresh(ticket)
    live.bump(live.ticket_key(ticket.number), live.company_key(ticket.company_id), live.ALL_TICKETS)


def set_following(*, session: Session, actor: Actor, number: Any, follow: Any) -> bool:
    """A company admin follows (gets mail about) a ticket of its company, or stops."""
    if not isinstance(follow, bool):
        raise ValidationFailed({"follow": "error.invalid"})
    ticket = _load(session, actor, number)
    if not actor.is_company_admin or is_support(actor):
        raise PermissionDenied()
    row = session.exec(select(TicketFollower).where(TicketFollower.ticket_id == ticket.id,
                                                    TicketFollower.account_id == actor.account_id)).first()
    if follow and row is None:
        session.add(TicketFollower(ticket_id=ticket.id, account_id=actor.account_id))
    elif not follow and row is not None and ticket.created_by_id != actor.account_id:
        session.delete(row)
    session.commit()
    return follow


def status_counts_key(actor: Actor) -> str:
    """The change-feed key that moves whenever a ticket this actor may list changes."""
    if actor.is_staff or actor.kind == AccountKind.COLLABORATOR or actor.company_id is None:
        return live.ALL_TICKETS
    return live.company_key(actor.company_id)
