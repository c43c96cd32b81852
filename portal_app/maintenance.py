"""Hourly housekeeping, run as a lifespan task of every worker (the deletes are idempotent)."""

from __future__ import annotations

import asyncio
import logging

from .db import session_scope
from .services import attachments, auth, ticket_search

log = logging.getLogger("portal.maintenance")
INTERVAL_S = 3600


def run_once() -> tuple[int, int, int]:
    """Expired sessions and old reset links, files uploaded but never sent (older than a day), and
    the ticket search index merged (see `ticket_search.merge_index`)."""
    with session_scope() as session:
        sessions = auth.purge_expired(session=session)
        files = attachments.purge_stale_staged(session=session)
        merges = ticket_search.merge_index(session)
    return sessions, files, merges


async def housekeeping() -> None:
    while True:
        try:
            sessions, files, merges = await asyncio.to_thread(run_once)
            if sessions or files or merges:
                log.info("housekeeping: %d expired sessions, %d unsent files removed, %d search index merge steps",
                         sessions, files, merges)
        except Exception:  # noqa: BLE001 - a failed round is retried next hour
            log.exception("housekeeping failed")
        await asyncio.sleep(INTERVAL_S)
