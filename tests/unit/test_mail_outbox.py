"""The persistent mail outbox (security finding 5 of issue 8: a mail that failed was only logged).

Against a real SMTP server (aiosmtpd on loopback) and one that is down (a closed port):
- a mail is a row first; delivered, it is marked sent (its body emptied);
- a failed delivery keeps the mail pending with the error, and tries again after 1, 5, 15, 60...
  minutes; after `MAX_ATTEMPTS` the mail is failed, listed for staff, who can send it again;
- two deliverers (threads) on one database never send a mail twice: each mail is claimed with a
  conditional update first (on SQLite and on PostgreSQL);
- only staff lists the outbox and retries, and never sees a mail's body.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email
import email.policy
import socket
import threading
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import event
from sqlmodel import Session, SQLModel, create_engine, select

from portal_app.models import MailStatus, OutboxMail, utcnow
from portal_app.services.mail import mailer, outbox
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.settings import settings

from demo_people import ADMIN, PARTNER, STAFF, USER


class Recorder:
    """An aiosmtpd handler that keeps every message it accepts (optionally slowly)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd hook
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(m["Subject"]) for m in self.messages]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port  # type: ignore[attr-defined]
    yield recorder
    controller.stop()


@pytest.fixture
def point_smtp(monkeypatch):
    """point_smtp(port): the mailer uses the SMTP server on that loopback port (None: the outbox folder)."""
    def point(port: int | None) -> None:
        monkeypatch.setattr(mailer, "settings", dataclasses.replace(
            settings, smtp_host="127.0.0.1" if port else None, smtp_port=port or 25))
    return point


def mail(n: int = 1, to: str = "ann@example.com") -> dict[str, str]:
    return {"to": to, "subject": f"Mail {n}", "body": f"Body of mail {n}\nhttps://portal/reset-password?token=t{n}\n"}


def row(session: Session, mail_id: int) -> OutboxMail:
    session.expire_all()
    found = session.get(OutboxMail, mail_id)
    assert found is not None
    return found


def same_time(a, b) -> bool:  # noqa: ANN001 - SQLite returns what it stored, to the microsecond
    return abs((a - b).total_seconds()) < 0.001


# --- delivery ------------------------------------------------------------------------------------------

def test_a_mail_is_stored_then_delivered_and_marked_sent(session, smtp, point_smtp):
    point_smtp(smtp.port)
    now = utcnow()
    (mail_id,) = outbox.enqueue(session=session, mails=[mail(1)], now=now)
    stored = row(session, mail_id)
    assert (stored.status, stored.attempts, stored.to) == (MailStatus.PENDING, 0, "ann@example.com")
    report = outbox.deliver_due(session=session, now=now)
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    assert smtp.subjects() == ["Mail 1"]
    assert "token=t1" in smtp.messages[0].get_payload()
    sent = row(session, mail_id)
    assert (sent.status, sent.attempts, sent.last_error) == (MailStatus.SENT, 1, "")
    assert same_time(sent.sent_at, now)
    assert sent.body == ""  # the set-password link in it is no longer kept
    assert outbox.deliver_due(session=session, now=now + timedelta(hours=1)).tried == 0


SUBJECTS = ["[#1] Päivitys: Häiriö ÄÄ ÖÖ ÅÅ ää öö",
            "[#10025] Die Rechnung zeigt den falschen Mehrwertsteuersatz für Lieferungen nach Österreich an, bitte prüfen",
            "<b>Tulostin</b> 🖨️ طابعة لا تعمل  two  spaces", "A plain subject " * 8]


def test_a_subject_arrives_exactly_as_written(session, smtp, point_smtp):
    """Over SMTP, through a real server: no space lost or added next to a folded non-ASCII word."""
    point_smtp(smtp.port)
    now = utcnow()
    outbox.enqueue(session=session, mails=[{**mail(n), "subject": text} for n, text in enumerate(SUBJECTS)], now=now)
    assert outbox.deliver_due(session=session, now=now).sent == len(SUBJECTS)
    decoded = [str(email.message_from_bytes(m.as_bytes(), policy=email.policy.default)["Subject"])
               for m in smtp.messages]
    assert sorted(decoded) == sorted(" ".join(text.split()) for text in SUBJECTS)  # runs of spaces: one (enqueue)
    for message in smtp.messages:
        assert all(len(line) <= 78 for line in message.as_string().split("\n\n")[0].splitlines())


def test_a_domain_with_letters_beyond_ascii_is_delivered_in_its_idna_form(session, smtp, point_smtp):
    point_smtp(smtp.port)
    now = utcnow()
    outbox.enqueue(session=session, mails=[mail(1, to="anna@müller.example")], now=now)
    assert outbox.deliver_due(session=session, now=now).sent == 1
    assert smtp.messages[0]["To"] == "anna@xn--mller-kva.example"
    assert mailer.mail_address("bob@example.com") == "bob@example.com"


def test_without_smtp_the_outbox_folder_counts_as_sent(session, point_smtp):
    point_smtp(None)
    before = set(settings.outbox_dir.glob("*.eml")) if settings.outbox_dir.exists() else set()
    (mail_id,) = outbox.enqueue(session=session, mails=[mail(7)])
    assert outbox.deliver_due(session=session).sent == 1
    written = set(settings.outbox_dir.glob("*.eml")) - before
    assert len(written) == 1 and "Subject: Mail 7" in written.pop().read_text()
    assert row(session, mail_id).status == MailStatus.SENT


def test_a_failed_delivery_stays_pending_with_its_error_and_a_retry_delivers_it(session, smtp, point_smtp):
    point_smtp(free_port())  # nothing listens there: connection refused
    now = utcnow()
    (mail_id,) = outbox.enqueue(session=session, mails=[mail(1)], now=now)
    report = outbox.deliver_due(session=session, now=now)
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    waiting = row(session, mail_id)
    assert (waiting.status, waiting.attempts) == (MailStatus.PENDING, 1)
    assert "ConnectionRefusedError" in waiting.last_error
    assert same_time(waiting.next_attempt_at, now + outbox.RETRY_DELAYS[0])
    assert waiting.body  # kept until it is sent

    point_smtp(smtp.port)  # the server is back
    assert outbox.deliver_due(session=session, now=now + timedelta(seconds=30)).tried == 0  # not due yet
    assert smtp.subjects() == []
    assert outbox.deliver_due(session=session, now=now + timedelta(minutes=1)).sent == 1
    assert smtp.subjects() == ["Mail 1"]
    delivered = row(session, mail_id)
    assert (delivered.status, delivered.attempts) == (MailStatus.SENT, 2)


def test_retries_back_off_then_give_up_and_staff_sends_it_again(demo, smtp, point_smtp):
    session, staff = demo.session, demo.actor(STAFF)
    point_smtp(free_port())
    now = utcnow()
    (mail_id,) = outbox.enqueue(session=session, mails=[mail(1)], now=now)
    delays = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        report = outbox.deliver_due(session=session, now=now)
        assert report.tried == 1, attempt
        current = row(session, mail_id)
        assert current.attempts == attempt
        if current.status == MailStatus.PENDING:
            delays.append(current.next_attempt_at - now)
            now = current.next_attempt_at
    assert [round(d.total_seconds() / 60) for d in delays] == [1, 5, 15, 60, 180, 360, 720]
    failed = row(session, mail_id)
    assert (failed.status, failed.attempts) == (MailStatus.FAILED, outbox.MAX_ATTEMPTS)
    assert "ConnectionRefusedError" in failed.last_error
    assert outbox.deliver_due(session=session, now=now + timedelta(days=30)).tried == 0  # given up

    rows, total = outbox.list_mails(session=session, actor=staff, status="failed")
    assert total == 1 and rows[0].id == mail_id and rows[0].next_attempt_at is None
    assert outbox.status_counts(session=session, actor=staff) == {"pending": 0, "failed": 1}

    point_smtp(smtp.port)
    later = now + timedelta(days=1)
    assert outbox.retry(session=session, actor=staff, mail_id=mail_id, now=later) == mail_id
    again = row(session, mail_id)
    assert (again.status, again.attempts) == (MailStatus.PENDING, 0)  # a fresh series of attempts
    assert outbox.deliver_due(session=session, now=later).sent == 1
    assert smtp.subjects() == ["Mail 1"]
    assert row(session, mail_id).status == MailStatus.SENT


def test_a_mail_whose_worker_died_while_sending_is_sent_after_the_lease(session, smtp, point_smtp):
    point_smtp(smtp.port)
    now = utcnow()
    (mail_id,) = outbox.enqueue(session=session, mails=[mail(1)], now=now)
    assert outbox._claim(session, mail_id, 0, now) is not None  # claimed, then the worker died
    assert outbox.deliver_due(session=session, now=now + timedelta(minutes=1)).tried == 0
    assert outbox.deliver_due(session=session, now=now + outbox.CLAIM_LEASE).sent == 1
    assert smtp.subjects() == ["Mail 1"] and row(session, mail_id).attempts == 2


def test_only_the_given_mails_are_delivered_and_oldest_first(session, smtp, point_smtp):
    point_smtp(smtp.port)
    now = utcnow()
    first = outbox.enqueue(session=session, mails=[mail(1)], now=now - timedelta(minutes=2))
    second = outbox.enqueue(session=session, mails=[mail(2), mail(3)], now=now - timedelta(minutes=1))
    assert outbox.deliver_due(session=session, now=now, ids=second[1:]).sent == 1
    assert smtp.subjects() == ["Mail 3"]
    assert outbox.deliver_due(session=session, now=now, limit=1).sent == 1
    assert smtp.subjects() == ["Mail 3", "Mail 1"]
    assert row(session, first[0]).status == MailStatus.SENT and row(session, second[0]).status == MailStatus.PENDING


def test_enqueue_in_the_callers_transaction_goes_with_it(session):
    outbox.enqueue(session=session, mails=[mail(1)], commit=False)
    session.rollback()
    assert session.exec(select(OutboxMail)).all() == []
    assert outbox.enqueue(session=session, mails=[None, {}]) == []  # type: ignore[list-item]


def test_enqueue_folds_the_subject_and_fits_the_columns(session):
    long = {"to": "a@example.com", "subject": "Line\r\nBcc: x@evil.example " + "s" * 400, "body": "b" * 200_000}
    (mail_id,) = outbox.enqueue(session=session, mails=[long])
    stored = row(session, mail_id)
    assert stored.subject.startswith("Line Bcc: x@evil.example s") and len(stored.subject) == 300
    assert len(stored.body) == 100_000


def test_old_sent_mails_are_purged_and_nothing_else(session, smtp, point_smtp):
    point_smtp(smtp.port)
    now = utcnow()
    old = outbox.enqueue(session=session, mails=[mail(1)], now=now - timedelta(days=40))
    outbox.deliver_due(session=session, now=now - timedelta(days=40))
    recent = outbox.enqueue(session=session, mails=[mail(2)], now=now)
    outbox.deliver_due(session=session, now=now)
    waiting = outbox.enqueue(session=session, mails=[mail(3)], now=now - timedelta(days=40),)
    assert outbox.purge_sent(session=session, now=now) == 1
    session.expire_all()
    assert session.get(OutboxMail, old[0]) is None
    assert session.get(OutboxMail, recent[0]) is not None and session.get(OutboxMail, waiting[0]) is not None


# --- two deliverers at once ------------------------------------------------------------------------------

MAILS_IN_RACE = 40
RACERS = 4


def race(engine, smtp: Recorder) -> list[outbox.DeliveryReport]:
    """RACERS threads deliver the same due mails at once, each with its own session."""
    now = utcnow()
    with Session(engine) as session:
        outbox.enqueue(session=session, mails=[mail(n) for n in range(MAILS_IN_RACE)], now=now)
    barrier = threading.Barrier(RACERS)
    reports: list[outbox.DeliveryReport] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            with Session(engine) as session:
                barrier.wait()
                reports.append(outbox.deliver_due(session=session, now=now, limit=MAILS_IN_RACE))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return reports


def assert_each_sent_once(engine, smtp: Recorder, reports) -> None:  # noqa: ANN001
    counts = Counter(smtp.subjects())
    assert sorted(counts) == sorted(f"Mail {n}" for n in range(MAILS_IN_RACE))
    assert [s for s, n in counts.items() if n > 1] == []  # no mail twice
    assert sum(r.sent for r in reports) == MAILS_IN_RACE
    with Session(engine) as session:
        rows = session.exec(select(OutboxMail)).all()
        assert {(r.status, r.attempts) for r in rows} == {(MailStatus.SENT, 1)}


@pytest.fixture
def slow_smtp():
    recorder = Recorder(delay=0.01)  # so the racers overlap
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port  # type: ignore[attr-defined]
    yield recorder
    controller.stop()


def test_two_deliverers_never_send_a_mail_twice_on_sqlite(tmp_path, slow_smtp, point_smtp):
    point_smtp(slow_smtp.port)
    engine = create_engine(f"sqlite:///{tmp_path / 'outbox.db'}", connect_args={"check_same_thread": False,
                                                                                 "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # noqa: ANN001 - as in portal_app.db
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    SQLModel.metadata.create_all(engine, tables=[OutboxMail.__table__])
    assert_each_sent_once(engine, slow_smtp, race(engine, slow_smtp))
    engine.dispose()


def test_two_deliverers_never_send_a_mail_twice_on_postgresql(postgres_server, slow_smtp, point_smtp):
    from postgres_server import create_database

    point_smtp(slow_smtp.port)
    engine = create_engine(create_database(postgres_server, f"portal_{uuid.uuid4().hex[:8]}"))
    SQLModel.metadata.create_all(engine, tables=[OutboxMail.__table__])
    assert_each_sent_once(engine, slow_smtp, race(engine, slow_smtp))
    engine.dispose()


# --- staff ----------------------------------------------------------------------------------------------

def test_staff_lists_the_outbox_by_status_without_bodies(demo, smtp, point_smtp):
    session, staff = demo.session, demo.actor(STAFF)
    now = utcnow()
    point_smtp(smtp.port)
    outbox.enqueue(session=session, mails=[mail(1)], now=now - timedelta(minutes=3))
    outbox.deliver_due(session=session, now=now)
    point_smtp(free_port())
    outbox.enqueue(session=session, mails=[mail(2), mail(3)], now=now - timedelta(minutes=2))
    outbox.deliver_due(session=session, now=now, limit=1)  # mail 2 fails once
    listed = {status: outbox.list_mails(session=session, actor=staff, status=status)
              for status in outbox.STATUS_FILTERS}
    subjects = {status: [r.subject for r in rows] for status, (rows, _total) in listed.items()}
    assert subjects == {"unsent": ["Mail 3", "Mail 2"], "pending": ["Mail 3", "Mail 2"], "failed": [],
                        "sent": ["Mail 1"]}
    (failing,) = [r for r in listed["pending"][0] if r.subject == "Mail 2"]
    assert failing.attempts == 1 and "ConnectionRefusedError" in failing.last_error and failing.next_attempt_at
    assert not any(hasattr(r, "body") for rows, _ in listed.values() for r in rows)
    page, total = outbox.list_mails(session=session, actor=staff, status="unsent", offset=1, limit=1)
    assert total == 2 and [r.subject for r in page] == ["Mail 2"]
    for status in ("", "all", "SENT", None, 1, ["failed"], {"status": "failed"}):
        with pytest.raises(ValidationFailed):
            outbox.list_mails(session=session, actor=staff, status=status)
    for offset, limit in (("0", 10), (0, "x"), (True, 10)):
        with pytest.raises(ValidationFailed):
            outbox.list_mails(session=session, actor=staff, offset=offset, limit=limit)


@pytest.mark.parametrize("who", [ADMIN, USER, PARTNER])
def test_only_staff_sees_the_outbox_or_retries(demo, who):
    session = demo.session
    (mail_id,) = outbox.enqueue(session=session, mails=[mail(1)])
    session.exec(OutboxMail.__table__.update().values(status=MailStatus.FAILED))  # type: ignore[attr-defined]
    session.commit()
    actor = demo.actor(who)
    before = demo.committed_state()
    with pytest.raises(PermissionDenied):
        outbox.list_mails(session=session, actor=actor)
    with pytest.raises(PermissionDenied):
        outbox.status_counts(session=session, actor=actor)
    with pytest.raises(PermissionDenied):
        outbox.retry(session=session, actor=actor, mail_id=mail_id)
    assert demo.committed_state() == before


def test_retry_takes_failed_mails_only(demo):
    session, staff = demo.session, demo.actor(STAFF)
    (mail_id,) = outbox.enqueue(session=session, mails=[mail(1)])
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        outbox.retry(session=session, actor=staff, mail_id=mail_id)  # pending: on its way already
    assert exc.value.fields == {"mail": ("error.mail_not_failed", {})}
    with pytest.raises(NotFound):
        outbox.retry(session=session, actor=staff, mail_id=mail_id + 1000)
    for garbage in ("abc", None, True, -1, 0, "01", 1.5, {}, [mail_id], "1 OR 1=1"):
        with pytest.raises(ValidationFailed):
            outbox.retry(session=session, actor=staff, mail_id=garbage)
    assert demo.committed_state() == before
