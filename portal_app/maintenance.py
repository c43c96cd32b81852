"""Lifespan tasks of every worker: hourly housekeeping (the deletes are idempotent) and the mail
worker, which delivers due outbox mails every 30 s (claims keep two workers from sending one mail)."""

from __future__ import annotations

import asyncio
import logging

from .db import session_scope
from .services.tickets import attachments, ticket_search
from .services.accounts import auth
from .services.documents import upload
from .services.mail import outbox

log = logging.getLogger("portal.maintenance")
INTERVAL_S = 3600


def run_once() -> tuple[int, int, int, int]:
    """Expired sessions and old reset links, files uploaded but never sent (older than a day),
    files in the attachment and documents folders that no row names (uploads cut off by a restart, a
    document's file dropped on a form never saved; untouched for an hour), and the ticket search
    index merged (see `ticket_search.merge_index`)."""
    with session_scope() as session:
        sessions = auth.purge_expired(session=session)
        files = attachments.purge_stale_staged(session=session)
        orphans = attachments.sweep_orphan_files(session=session) + upload.sweep_unshared_files(session=session)
        merges = ticket_search.merge_index(session)
    return sessions, files, orphans, merges


async def housekeeping() -> None:
    while True:
        try:
            sessions, files, orphans, merges = await asyncio.to_thread(run_once)
            if sessions or files or orphans or merges:
                log.info("housekeeping: %d expired sessions, %d unsent files removed, %d files without a row swept, "
                         "%d search index merge steps", sessions, files, orphans, merges)
        except Exception:  # noqa: BLE001 - a failed round is retried next hour
            log.exception("housekeeping failed")
        await asyncio.sleep(INTERVAL_S)


MAIL_INTERVAL_S = 30
MAIL_BATCH = 50


def deliver_mail_once() -> outbox.DeliveryReport:
    """Deliver every mail that is due now, a batch at a time; old records of sent mails go hourly
    with `purge_sent` (called from `mail_delivery`)."""
    sent = retrying = failed = skipped = 0
    while True:
        with session_scope() as session:
            report = outbox.deliver_due(session=session, limit=MAIL_BATCH)
        sent, retrying, failed = sent + report.sent, retrying + report.retrying, failed + report.failed
        skipped += report.skipped
        if report.tried + report.skipped < MAIL_BATCH:
            return outbox.DeliveryReport(sent=sent, retrying=retrying, failed=failed, skipped=skipped)


def purge_sent_mail() -> int:
    with session_scope() as session:
        return outbox.purge_sent(session=session)


async def mail_delivery() -> None:
    """Deliver due outbox mails every `MAIL_INTERVAL_S` seconds: the first attempts that the
    immediate try after an action missed (the server restarted meanwhile) and the retries."""
    rounds_per_purge = INTERVAL_S // MAIL_INTERVAL_S
    rounds = 0
    while True:
        try:
            report = await asyncio.to_thread(deliver_mail_once)
            if report.tried:
                log.info("mail worker: %d sent, %d to retry, %d failed for good",
                         report.sent, report.retrying, report.failed)
            if rounds % rounds_per_purge == 0:
                await asyncio.to_thread(purge_sent_mail)
        except Exception:  # noqa: BLE001 - a failed round is retried in 30 s
            log.exception("mail worker round failed")
        rounds += 1
        await asyncio.sleep(MAIL_INTERVAL_S)
