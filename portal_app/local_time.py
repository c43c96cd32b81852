"""The portal's own time zone (`PORTAL_TIME_ZONE`): the day it is, and the day a moment falls on.

Moments are stored in UTC. People read them, and count their days ("today", "created on"), in the
zone of the portal: at 01:30 in Helsinki it is already tomorrow there, though not yet in UTC.
An event keeps a zone of its own (the place where it happens). A user may read moments in a zone of
its own (`Account.time_zone`, `i18n.format_when`); days are still counted in the portal's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from .settings import settings


def zone() -> ZoneInfo:
    return ZoneInfo(settings.time_zone)  # ZoneInfo keeps each zone it made: no cache of our own


# the zones of places ("Europe/Berlin"), not the aliases and offsets kept for old systems ("US/Eastern",
# "Etc/GMT+3", "EST")
_AREAS = frozenset({"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
                    "Pacific"})


@lru_cache(maxsize=1)
def readable_zones() -> tuple[str, ...]:
    """The zones a user may choose to read times in, sorted: every place's, and UTC."""
    return ("UTC", *sorted(name for name in available_timezones() if name.split("/")[0] in _AREAS))


def local(moment: datetime) -> datetime:
    """`moment` in the portal's zone (a naive one is taken as UTC, as the database returns it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())


def local_day(moment: datetime) -> date:
    return local(moment).date()


def today(now: datetime | None = None) -> date:
    """The portal's calendar day at `now` (default: this moment)."""
    return local_day(now or datetime.now(UTC))
