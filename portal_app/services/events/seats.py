"""Seat allocation and the waiting list: the only code that moves `event.seats_taken`.

The rule -- never more registered than the capacity -- is held by the database, not by a read
followed by a write:
- a registration first holds the event row (an UPDATE drawing its arrival number: on PostgreSQL
  the row lock until the transaction ends, on SQLite the database's single write lock), then takes
  a seat with a conditional UPDATE (`seats_taken < capacity`) decided under that lock;
- the event's CHECK (`seats_taken <= capacity`) refuses anything that would still get past;
- the seat count and the registration's status change in one transaction, so they always agree.
Every registration, seated or waiting, also draws the next arrival number from the event row
(`queue_seq`) under that same lock: numbers follow the order in which the transactions held the
row, i.e. commit order, and the waiting list is sorted by them. Whatever frees a seat (a
cancellation, a raised capacity) promotes the first on the waiting list in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from ...models import Event, EventStatus, Registration, RegistrationStatus
from ..errors import ValidationFailed

R = RegistrationStatus


def lock_event(session: Session, event_id: int) -> None:
    """Hold the event row until the transaction ends (every other seat change waits for it)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Event.id).where(Event.id == event_id).with_for_update())
    else:  # SQLite: the first write takes the database's write lock
        session.execute(update(Event).where(col(Event.id) == event_id).values(queue_seq=Event.queue_seq)
                        .execution_options(synchronize_session=False))


def take_place(session: Session, event_id: int, *, field: str = "form") -> tuple[str, int]:
    """A seat if one is free, else a place on the waiting list: (status, arrival number).

    First the arrival number, drawn by an UPDATE that holds the event row (locked until the
    transaction ends); only then the conditional UPDATE of the seat count, so the seat is decided
    under the lock: a decision "full, wait" can never be made on a count that a cancellation has
    changed meanwhile. Refuses (the caller rolls back) when the event is cancelled
    ({field: "error.event_cancelled"}) or full with its waiting list off ({field: "error.event_full"}).
    """
    drawn = session.execute(
        update(Event)
        .where(col(Event.id) == event_id, col(Event.status) == EventStatus.ACTIVE)
        .values(queue_seq=Event.queue_seq + 1)
        .returning(col(Event.queue_seq), col(Event.waitlist_enabled)).execution_options(synchronize_session=False)
    ).first()
    if drawn is None:
        raise ValidationFailed({field: "error.event_cancelled"})
    arrival, waitlist = drawn
    seated = session.execute(
        update(Event)
        .where(col(Event.id) == event_id, col(Event.seats_taken) < col(Event.capacity))
        .values(seats_taken=Event.seats_taken + 1).execution_options(synchronize_session=False)
    ).rowcount
    if seated:
        return R.REGISTERED, arrival
    if not waitlist:
        raise ValidationFailed({field: "error.event_full"})
    return R.WAITING, arrival


def fill_seats(session: Session, event_id: int, *, now: datetime) -> list[Registration]:
    """Promote the first on the waiting list into each free seat, in arrival order; the promoted.

    Call with the event row held (`lock_event`, or after an UPDATE of it in this transaction).
    """
    promoted: list[Registration] = []
    while True:
        first = session.exec(select(Registration)
                             .where(Registration.event_id == event_id, Registration.status == R.WAITING)
                             .order_by(col(Registration.queue_position)).limit(1)).first()
        if first is None:
            break
        seated = session.execute(
            update(Event)
            .where(col(Event.id) == event_id, col(Event.status) == EventStatus.ACTIVE,
                   col(Event.seats_taken) < col(Event.capacity))
            .values(seats_taken=Event.seats_taken + 1).execution_options(synchronize_session=False)
        ).rowcount
        if not seated:
            break
        first.status, first.promoted_at = R.REGISTERED, now
        session.add(first)
        session.flush()
        promoted.append(first)
    return promoted


def leave(session: Session, registration: Registration, *, now: datetime) -> tuple[str, list[Registration]]:
    """Cancel a registration and give its seat to the first waiting: (its former status, the promoted).

    Holds the event row first, then re-reads the registration, so of two cancellations of the same
    registration (a double click, the link and the portal at once) one cancels and the other is
    refused with {"form": "error.event_already_cancelled"}.
    """
    lock_event(session, registration.event_id)
    session.refresh(registration)
    was = registration.status
    if was == R.CANCELLED:
        raise ValidationFailed({"form": "error.event_already_cancelled"})
    registration.status, registration.cancelled_at = R.CANCELLED, now
    session.add(registration)
    session.flush()
    promoted: list[Registration] = []
    if was == R.REGISTERED:
        session.execute(update(Event).where(col(Event.id) == registration.event_id)
                        .values(seats_taken=Event.seats_taken - 1).execution_options(synchronize_session=False))
        promoted = fill_seats(session, registration.event_id, now=now)
    return was, promoted


def waiting_position(session: Session, registration: Registration) -> int | None:
    """1 for the first on the waiting list, ...; None when not waiting."""
    if registration.status != R.WAITING:
        return None
    return session.exec(select(func.count()).select_from(Registration).where(
        Registration.event_id == registration.event_id, Registration.status == R.WAITING,
        col(Registration.queue_position) <= registration.queue_position)).one()


def waiting_counts(session: Session, event_ids: list[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    rows = session.exec(select(Registration.event_id, func.count()).where(
        col(Registration.event_id).in_(event_ids), Registration.status == R.WAITING)
        .group_by(col(Registration.event_id))).all()
    return dict(rows)
