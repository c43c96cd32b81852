"""The persistent mail outbox: every mail the portal sends is a row first, then delivered, retried
with a growing delay while delivery fails, and shown to staff when it gives up; nothing is dropped.

- `enqueue` stores mails (in the caller's transaction with `commit=False`);
- `deliver_due` sends the mails whose time has come through `mailer.send_mail`: the mail worker
  (`maintenance.mail_delivery`, every 30 s in every server worker) and an immediate attempt right
  after an action (`state.base.send_later`) both call it;
- `list_mails` and `retry` are the staff's view (`/admin/mail`).

A mail is claimed before it is sent, by one conditional UPDATE (still pending, attempt count as
read): of two workers that read the same due mail, one claims it and the other skips it, so no
mail is sent twice by two workers. A claim moves the next attempt `CLAIM_LEASE` ahead, so a mail
whose worker died while sending is tried again then (a mail the SMTP server accepted just before
such a crash can therefore arrive twice: at least once, never silently lost).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from ...models import MailStatus, OutboxMail, utcnow
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..validation import fold_line, parse_id, parse_page
from . import mailer

log = logging.getLogger("portal.mail")

# The wait after failed attempt 1, 2, ... 7; the 8th failure gives up (about 22 hours in all).
RETRY_DELAYS: tuple[timedelta, ...] = tuple(
    timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360, 720))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
CLAIM_LEASE = timedelta(minutes=10)  # longer than any SMTP exchange (the mailer's timeout is 20 s)
SENT_KEPT = timedelta(days=30)  # sent mails stay listed this long (`purge_sent`)

# What staff can list: mails not sent yet (the default), failed, pending, or sent.
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "unsent": (MailStatus.FAILED, MailStatus.PENDING),
    "failed": (MailStatus.FAILED,),
    "pending": (MailStatus.PENDING,),
    "sent": (MailStatus.SENT,),
}

_MAX_TO, _MAX_SUBJECT, _MAX_BODY, _MAX_ERROR = 254, 300, 100_000, 1000


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0  # failed this time, tried again later
    failed: int = 0  # failed for the last time: staff sees them
    skipped: int = 0  # claimed by another worker first

    @property
    def tried(self) -> int:
        return self.sent + self.retrying + self.failed


@dataclass(frozen=True)
class OutboxRow:
    """A mail as staff sees it: never its body (it may hold someone's set-password link)."""

    id: int
    to: str
    subject: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None  # None once sent or failed
    sent_at: datetime | None


# --- writing and delivering ----------------------------------------------------------------------

def enqueue(*, session: Session, mails: Iterable[dict[str, Any]], now: datetime | None = None,
            commit: bool = True) -> list[int]:
    """Store mails ({to, subject, body} and optionally attachments, a list of text files
    {filename, content_type, content}) to be sent, due at once; their ids.

    `commit=False` leaves the rows in the caller's transaction (they are sent only if it commits).
    The subject is folded onto one line here already, and over-long values are cut to the columns.
    """
    now = now or utcnow()
    rows = [OutboxMail(to=str(m["to"])[:_MAX_TO], subject=fold_line(str(m["subject"]))[:_MAX_SUBJECT],
                       body=str(m["body"])[:_MAX_BODY], attachments=list(m.get("attachments") or []),
                       status=MailStatus.PENDING, attempts=0,
                       created_at=now, next_attempt_at=now)
            for m in mails if m]
    if not rows:
        return []
    session.add_all(rows)
    session.flush()
    ids = [row.id for row in rows]
    if commit:
        session.commit()
    return ids  # type: ignore[return-value]


def deliver_due(*, session: Session, now: datetime | None = None, limit: int = 50,
                ids: Iterable[int] | None = None) -> DeliveryReport:
    """Send up to `limit` pending mails that are due (only those of `ids` when given), oldest first.

    Each mail is claimed first (see the module docstring), then sent; a success marks it sent and
    empties its body (a set-password link in it is a secret, and the recipient has the mail now);
    a failure stores the error and schedules the next attempt after `RETRY_DELAYS`, or marks the
    mail failed after `MAX_ATTEMPTS`. Never raises for a mail that cannot be sent.
    """
    now = now or utcnow()
    stmt = (select(OutboxMail.id, OutboxMail.attempts)
            .where(OutboxMail.status == MailStatus.PENDING, OutboxMail.next_attempt_at <= now)
            .order_by(col(OutboxMail.next_attempt_at), col(OutboxMail.id)).limit(limit))
    if ids is not None:
        stmt = stmt.where(col(OutboxMail.id).in_(list(ids)))
    due = session.exec(stmt).all()
    session.commit()  # no read stays open while claiming (SQLite would refuse to upgrade it)
    sent = retrying = failed = skipped = 0
    for mail_id, attempts in due:
        claimed = _claim(session, mail_id, attempts, now)
        if claimed is None:
            skipped += 1
            continue
        to, subject, body, files = claimed
        try:
            mailer.send_mail(to=to, subject=subject, body=body, **({"attachments": files} if files else {}))
        except Exception as exc:  # noqa: BLE001 - whatever went wrong is stored for staff and retried
            gave_up = _record_failure(session, mail_id, attempts + 1, exc, now)
            failed, retrying = failed + gave_up, retrying + (not gave_up)
        else:
            _finish(session, mail_id, attempts + 1,
                    values={"status": MailStatus.SENT, "sent_at": now, "body": "", "attachments": []})
            sent += 1
    return DeliveryReport(sent=sent, retrying=retrying, failed=failed, skipped=skipped)


def _claim(session: Session, mail_id: int, attempts: int,
           now: datetime) -> tuple[str, str, str, list[dict[str, str]]] | None:
    """Take the mail for this worker: counts the attempt if the mail is still pending and nobody
    counted one since it was read; (to, subject, body, attachments), or None when another worker was first."""
    row = session.execute(
        update(OutboxMail)
        .where(col(OutboxMail.id) == mail_id, col(OutboxMail.status) == MailStatus.PENDING,
               col(OutboxMail.attempts) == attempts)
        .values(attempts=attempts + 1, next_attempt_at=now + CLAIM_LEASE)
        .returning(col(OutboxMail.to), col(OutboxMail.subject), col(OutboxMail.body),
                   OutboxMail.__table__.c.attachments)
    ).first()
    session.commit()
    return None if row is None else (row[0], row[1], row[2], list(row[3] or []))


def _finish(session: Session, mail_id: int, attempt: int, *, values: dict[str, Any]) -> None:
    """Record the outcome of this worker's attempt (only while the mail is still its own)."""
    session.execute(update(OutboxMail)
                    .where(col(OutboxMail.id) == mail_id, col(OutboxMail.status) == MailStatus.PENDING,
                           col(OutboxMail.attempts) == attempt)
                    .values(**values))
    session.commit()


def _record_failure(session: Session, mail_id: int, attempt: int, exc: Exception, now: datetime) -> bool:
    """Store the error; schedule the next attempt or give up. True when the mail failed for good."""
    error = fold_line(f"{type(exc).__name__}: {exc}")[:_MAX_ERROR]
    if attempt >= MAX_ATTEMPTS:
        log.error("mail %d gave up after %d attempts: %s", mail_id, attempt, error)
        _finish(session, mail_id, attempt, values={"status": MailStatus.FAILED, "last_error": error})
        return True
    delay = RETRY_DELAYS[attempt - 1]
    log.warning("mail %d, attempt %d failed, next in %s: %s", mail_id, attempt, delay, error)
    _finish(session, mail_id, attempt, values={"last_error": error, "next_attempt_at": now + delay})
    return False


def purge_sent(*, session: Session, now: datetime | None = None) -> int:
    """Remove the record of mails sent more than `SENT_KEPT` ago; how many (housekeeping)."""
    cutoff = (now or utcnow()) - SENT_KEPT
    removed = session.execute(delete(OutboxMail).where(col(OutboxMail.status) == MailStatus.SENT,
                                                       col(OutboxMail.sent_at) < cutoff)).rowcount
    session.commit()
    return removed or 0


# --- staff -----------------------------------------------------------------------------------------

def list_mails(*, session: Session, actor: Actor, status: Any = "unsent", offset: Any = 0,
               limit: Any = 50) -> tuple[list[OutboxRow], int]:
    """A page of the outbox for staff, newest first: `status` is a key of `STATUS_FILTERS`."""
    actor.require_staff()
    if not isinstance(status, str) or status not in STATUS_FILTERS:
        raise ValidationFailed({"status": "error.invalid"})
    offset, limit = parse_page(offset, limit)
    where = col(OutboxMail.status).in_(STATUS_FILTERS[status])
    total = session.exec(select(func.count()).select_from(OutboxMail).where(where)).one()
    rows = session.exec(select(OutboxMail).where(where)
                        .order_by(col(OutboxMail.created_at).desc(), col(OutboxMail.id).desc())
                        .offset(offset).limit(limit)).all()
    return [OutboxRow(id=m.id, to=m.to, subject=m.subject, status=m.status,  # type: ignore[arg-type]
                      attempts=m.attempts, last_error=m.last_error, created_at=m.created_at, sent_at=m.sent_at,
                      next_attempt_at=m.next_attempt_at if m.status == MailStatus.PENDING else None)
            for m in rows], total


def status_counts(*, session: Session, actor: Actor) -> dict[str, int]:
    """How many mails are pending and how many failed (for the admin page's filters)."""
    actor.require_staff()
    rows = session.exec(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in (MailStatus.PENDING, MailStatus.FAILED)}


def retry(*, session: Session, actor: Actor, mail_id: Any, now: datetime | None = None) -> int:
    """Staff sends a failed mail again: pending, due now, with a fresh series of attempts. Its id.

    Only a failed mail: a pending one is already on its way (and may be being sent right now).
    """
    actor.require_staff()
    mid = parse_id(mail_id, field="mail_id")
    done = session.execute(update(OutboxMail)
                           .where(col(OutboxMail.id) == mid, col(OutboxMail.status) == MailStatus.FAILED)
                           .values(status=MailStatus.PENDING, attempts=0, next_attempt_at=now or utcnow())).rowcount
    session.commit()
    if not done:
        if session.get(OutboxMail, mid) is None:
            raise NotFound()
        raise ValidationFailed({"mail": "error.mail_not_failed"})
    return mid
