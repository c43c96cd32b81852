"""Sliding-window rate limits kept in the database, so they hold across workers and restarts.

A guarded attempt is *counted before the guarded work runs*: `take()` inserts its hit and then
counts the bucket's hits in the window, inside one transaction that holds the write lock
(SQLite serialises writers; on PostgreSQL an advisory lock on the bucket does it), so attempts
running in parallel see each other and can never all pass. A refused attempt leaves no hit (a
client that keeps knocking does not extend its own wait). `release()` takes a hit back, for
limits that count failures only: the caller counts first and releases on success.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, text
from sqlmodel import Session, col, select

from ..models import ThrottleHit, utcnow


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `window` for one bucket prefix (count <= 0: no limit)."""

    prefix: str
    count: int
    window: timedelta


@dataclass(frozen=True)
class Taken:
    ok: bool
    hit_id: int | None = None
    retry_minutes: int = 0  # when refused: whole minutes until the oldest hit leaves the window
    count: int = 0  # when taken: the hits in the window, this one included


def bucket(limit: Limit, key: object) -> str:
    """The bucket of `key` (an address, an email) under `limit`; long, odd or personal keys are hashed."""
    key = key.strip().lower() if isinstance(key, str) else repr(key)
    if len(key) > 60 or "@" in key or not key.isprintable():
        key = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:40]
    return f"{limit.prefix}:{key}"


def take(*, session: Session, limit: Limit, key: object, now: datetime | None = None) -> Taken:
    """Count one attempt for `key`; refuse it (and keep nothing) when the window is full. Commits."""
    if limit.count <= 0:
        return Taken(ok=True)
    now = now or utcnow()
    name = bucket(limit, key)
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(hashtext(:b))").bindparams(b=name))
    hit = ThrottleHit(bucket=name, created_at=now)
    session.add(hit)
    session.flush()
    since = now - limit.window
    in_window = select(ThrottleHit.created_at).where(ThrottleHit.bucket == name, ThrottleHit.created_at > since)
    count = session.exec(select(func.count()).select_from(in_window.subquery())).one()
    if count <= limit.count:
        hit_id = hit.id
        session.commit()
        return Taken(ok=True, hit_id=hit_id, count=count)
    oldest = session.exec(in_window.order_by(col(ThrottleHit.created_at)).limit(1)).first() or now
    session.rollback()
    wait = (oldest + limit.window - now).total_seconds()
    return Taken(ok=False, retry_minutes=max(1, math.ceil(wait / 60)))


def release(*, session: Session, taken: Taken) -> None:
    """Take a counted attempt back (it succeeded, and the limit counts failures). Commits."""
    if taken.hit_id is not None:
        session.exec(delete(ThrottleHit).where(ThrottleHit.id == taken.hit_id))
        session.commit()


def newest(*, session: Session, limit: Limit, key: object, now: datetime | None = None) -> datetime | None:
    """When the latest hit of `key` still inside the window was counted, or None."""
    since = (now or utcnow()) - limit.window
    return session.exec(select(func.max(ThrottleHit.created_at))
                        .where(ThrottleHit.bucket == bucket(limit, key), ThrottleHit.created_at > since)).one()


def forget(*, session: Session, limit: Limit, key: object) -> None:
    """Drop every hit of `key` under `limit` (a count that starts over). Commits."""
    session.exec(delete(ThrottleHit).where(ThrottleHit.bucket == bucket(limit, key)))
    session.commit()


def purge(*, session: Session, older_than: timedelta, now: datetime | None = None) -> int:
    """Forget hits older than the longest window (housekeeping). Commits."""
    cutoff = (now or utcnow()) - older_than
    gone = session.exec(delete(ThrottleHit).where(ThrottleHit.created_at <= cutoff)).rowcount
    session.commit()
    return gone
