"""Hourly housekeeping, run as a lifespan task of every worker (the deletes are idempotent)."""

from __future__ import annotations

import asyncio
import logging

from .db import session_scope
from .services import attachments, auth

log = logging.getLogger("portal.maintenance")
INTERVAL_S = 3600


def run_once() -> tuple[int, int]:
    """Expired sessions and old reset links, and files uploaded but never sent (older than a day)."""
    with session_scope() as session:
        sessions = auth.purge_expired(session=session)
        files = attachments.purge_stale_staged(session=session)
    return sessions, files


async def housekeeping() -> None:
    while True:
        try:
            sessions, files = await asyncio.to_thread(run_once)
            if sessions or files:
                log.info("housekeeping: %d expired sessions, %d unsent files removed", sessions, files)
        except Exception:  # noqa: BLE001 - a failed round is retried next hour
            log.exception("housekeeping failed")
        await asyncio.sleep(INTERVAL_S)
