"""Mail goes through the persistent outbox (security finding 5 of issue 8), and staff sees it.

- an action that mails (a new ticket) stores the mail and delivers it at once; when the SMTP server
  is down the mail stays pending with the error instead of being logged and lost, and the mail
  worker (`maintenance.deliver_mail_once`) delivers it once the server answers;
- AdminMailState (/admin/mail) lists failed and pending mails for staff and sends a failed one again.
(Refusals for anonymous visitors and non-staff, and garbage arguments: test_refusals.py.)
"""

from __future__ import annotations

import dataclasses
import socket
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select
from statekit import Portal, redirect_path

from portal_app import maintenance
from portal_app.db import session_scope
from portal_app.models import MailStatus, OutboxMail, utcnow
from portal_app.services.mail import mailer, outbox
from portal_app.settings import settings
from portal_app.state.admin_mail import AdminMailState
from portal_app.state.ticket_new import NewTicketState


def stored_mails() -> list[OutboxMail]:
    with session_scope() as s:
        return list(s.exec(select(OutboxMail).order_by(OutboxMail.id)).all())


def eml_files() -> set:
    return set(settings.outbox_dir.glob("*.eml")) if settings.outbox_dir.exists() else set()


@pytest.fixture
def smtp_down(monkeypatch):
    """The mailer talks to an SMTP server that is not there (a closed loopback port)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(mailer, "settings", dataclasses.replace(settings, smtp_host="127.0.0.1", smtp_port=port))
    return monkeypatch


def new_ticket(portal: Portal, title: str = "Printer jams\r\nBcc: victim@evil.example") -> int:
    inst = portal.state(NewTicketState, "acme_user", url="/tickets/new")
    portal.call(inst, "load")
    path = redirect_path(portal.call(inst, "submit", {"title": title, "description": "Page two.",
                                                      "category": "support", "priority": "normal"}))
    assert path is not None and not inst.errors, inst.errors
    return int(path.rsplit("/", 1)[1])


def make_failed(subject: str = "Ticket mail that failed") -> int:
    with session_scope() as s:
        (mail_id,) = outbox.enqueue(session=s, mails=[{"to": "ann@example.com", "subject": subject,
                                                             "body": "secret body MARKER-BODY"}])
        s.exec(update(OutboxMail).where(OutboxMail.id == mail_id)
               .values(status=MailStatus.FAILED, attempts=outbox.MAX_ATTEMPTS,
                       last_error="ConnectionRefusedError: [Errno 111] Connection refused"))
        s.commit()
    return mail_id


# --- the way out -----------------------------------------------------------------------------------------

def test_a_ticket_mail_is_stored_and_sent_at_once(portal: Portal):
    before = eml_files()
    number = new_ticket(portal)
    (sent,) = stored_mails()
    assert f"#{number}" in sent.subject and "\r" not in sent.subject and "\n" not in sent.subject
    assert (sent.status, sent.attempts) == (MailStatus.SENT, 1)  # the attempt right after the action
    assert len(eml_files() - before) == 1


def test_a_mail_that_cannot_be_sent_waits_in_the_outbox_until_the_server_answers(portal: Portal, smtp_down):
    new_ticket(portal, title="Scanner is offline")
    (waiting,) = stored_mails()
    assert (waiting.status, waiting.attempts) == (MailStatus.PENDING, 1)
    assert "ConnectionRefusedError" in waiting.last_error

    staff = portal.state(AdminMailState, "staff", url="/admin/mail")
    portal.call(staff, "load")
    assert [r["subject"] for r in staff.rows] == [waiting.subject] and staff.pending_count == 1
    assert "ConnectionRefusedError" in staff.rows[0]["last_error"] and not staff.rows[0]["can_retry"]

    smtp_down.setattr(mailer, "settings", settings)  # as configured again (the outbox folder here)
    assert maintenance.deliver_mail_once().tried == 0  # its next attempt is not due yet
    with session_scope() as s:
        s.exec(update(OutboxMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        s.commit()
    before = eml_files()
    assert maintenance.deliver_mail_once().sent == 1
    assert [m.status for m in stored_mails()] == [MailStatus.SENT] and len(eml_files() - before) == 1


# --- the admin page -------------------------------------------------------------------------------------

def test_staff_sees_failed_and_pending_mails_without_their_bodies(portal: Portal):
    failed = make_failed()
    with session_scope() as s:
        outbox.enqueue(session=s, mails=[{"to": "bob@example.com", "subject": "Waiting mail", "body": "x"}],
                            now=utcnow() + timedelta(minutes=5))
    inst = portal.state(AdminMailState, "staff", url="/admin/mail")
    portal.call(inst, "load")
    assert not inst.errors and inst.status_filter == "unsent"
    assert [(r["subject"], r["status"], r["can_retry"]) for r in inst.rows] == [
        ("Waiting mail", "pending", False), ("Ticket mail that failed", "failed", True)]
    assert (inst.failed_count, inst.pending_count, inst.total) == (1, 1, 2)
    assert inst.rows[1]["id"] == failed and inst.rows[1]["attempts"] == outbox.MAX_ATTEMPTS
    assert inst.rows[1]["status_label"] == "Failed" and inst.rows[0]["next_attempt"]
    portal.assert_no_markers(inst, ["MARKER-BODY"])
    portal.call(inst, "show", "failed")
    assert [r["subject"] for r in inst.rows] == ["Ticket mail that failed"]
    assert inst.view_url == "/admin/mail?status=failed"  # the address bar follows: a reload keeps the filter
    portal.call(inst, "show", "bogus")
    assert inst.status_filter == "failed"
    portal.call(inst, "go_to_page", 2)
    assert inst.page == 1  # one page only
    url = portal.state(AdminMailState, "staff", url="/admin/mail?status=sent")
    portal.call(url, "load")
    assert url.status_filter == "sent" and url.rows == []
    garbage = portal.state(AdminMailState, "staff", url="/admin/mail?status=" + "x" * 10_000)
    portal.call(garbage, "load")
    assert garbage.status_filter == "unsent" and garbage.total == 2 and garbage.moved_to == "/admin/mail"
    assert url.moved_to == ""


def test_staff_sends_a_failed_mail_again(portal: Portal):
    failed = make_failed()
    inst = portal.state(AdminMailState, "staff", url="/admin/mail")
    portal.call(inst, "load")
    before = eml_files()
    portal.call(inst, "retry", failed)
    assert not inst.errors and inst.notice
    (mail,) = stored_mails()
    assert (mail.status, mail.attempts, mail.body) == (MailStatus.SENT, 1, "")  # the attempt made right away
    assert len(eml_files() - before) == 1
    portal.call(inst, "retry", failed)  # sent now: nothing to retry
    assert inst.errors and len(eml_files() - before) == 1
    portal.call(inst, "retry", 987654)
    assert inst.errors
