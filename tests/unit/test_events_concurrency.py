"""The last seats under simultaneous registrations, on SQLite (a file, as in production) and on a
real PostgreSQL: many threads, each on its own connection, register at once through the public
page's service. Exactly the capacity is registered, never more; everyone else is on the waiting
list in the order their transactions committed; a cancellation during the burst hands its seat to
the first waiting. Each registration runs as parallel websocket events or HTTP posts would."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlmodel import Session, select

from portal_app.models import Event, Registration, RegistrationStatus, utcnow
from portal_app.services.errors import ServiceError
from portal_app.services.events import admin, core
from portal_app.services.actor import build_actor
from portal_app.models import Account

from demo_people import STAFF

THREADS = 24
CAPACITY = 5


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    return request.getfixturevalue("file_engine" if request.param == "sqlite" else "seeded_postgres_engine")


def staff(session: Session):
    return build_actor(session, session.exec(select(Account).where(Account.email == STAFF)).one())


def new_event(engine, slug: str, *, capacity: int = CAPACITY, waitlist: bool = True) -> int:
    start = utcnow() + timedelta(days=5)
    with Session(engine) as session:
        event = admin.create_event(session=session, actor=staff(session), data={
            "slug": slug, "title": f"Burst {slug}", "capacity": capacity, "waitlist_enabled": waitlist,
            "public_page": True, "starts_at": start, "ends_at": start + timedelta(hours=1)})
        return event.id  # type: ignore[return-value]


class CommitOrder:
    """Proves the waiting list is in commit order, from both sides of the event row's lock:
    registration k+1 got its arrival number (its UPDATE of the event row returned: `locked`) only
    after registration k had started its COMMIT (`committing`, read before the COMMIT is sent).
    The row is held from that UPDATE to the commit, so commit(k) falls between committing(k) and
    locked(k+1): if committing(k) < locked(k+1) for every k, the commits came in arrival order."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: dict[int, tuple[float, float]] = {}

    @staticmethod
    def _statement(conn, _cursor, statement, *_rest):  # noqa: ANN001, ANN205
        if statement.lstrip().upper().startswith("UPDATE EVENT SET") and "queue_seq" in statement:
            conn.info["locked"] = time.perf_counter()

    def attach(self, engine) -> None:  # noqa: ANN001
        sa_event.listen(engine, "after_cursor_execute", self._statement)

    def detach(self, engine) -> None:  # noqa: ANN001
        sa_event.remove(engine, "after_cursor_execute", self._statement)

    def watch(self, session: Session) -> None:
        @sa_event.listens_for(session, "after_flush")
        def _flushed(s, _ctx):  # noqa: ANN001, ANN202
            for obj in s.new:
                if isinstance(obj, Registration):
                    s.info["arrival"] = (obj.queue_position, s.connection().info.pop("locked", None))

        @sa_event.listens_for(session, "before_commit")
        def _committing(s):  # noqa: ANN001, ANN202
            if "arrival" in s.info:
                arrival, locked = s.info.pop("arrival")
                with self.lock:
                    self.seen[arrival] = (locked, time.perf_counter())

    def in_arrival_order(self) -> bool:
        arrivals = sorted(self.seen)
        return all(self.seen[k][1] < self.seen[k + 1][0] for k in arrivals[:-1])


def burst(engine, slug: str, emails: list[str], order: CommitOrder) -> list[core.Enrolled | ServiceError]:
    results: list[core.Enrolled | ServiceError | None] = [None] * len(emails)
    gate = threading.Barrier(len(emails))

    def run(i: int, email: str) -> None:
        with Session(engine) as session:
            order.watch(session)
            gate.wait()
            try:
                results[i] = core.register_public(
                    session=session, slug=slug, client_address=f"198.51.100.{i}",
                    data={"first_name": "Burst", "last_name": str(i), "email": email, "consent": True})
            except ServiceError as exc:
                results[i] = exc

    threads = [threading.Thread(target=run, args=(i, e)) for i, e in enumerate(emails)]
    order.attach(engine)
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        order.detach(engine)
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


def rows(engine, event_id: int) -> tuple[Event, list[Registration]]:
    with Session(engine) as session:
        event = session.get(Event, event_id)
        found = session.exec(select(Registration).where(Registration.event_id == event_id)
                             .order_by(Registration.queue_position)).all()
        session.expunge_all()
        return event, list(found)  # type: ignore[return-value]


def test_the_last_seats_go_to_exactly_the_capacity_and_the_rest_wait_in_commit_order(engine):
    slug = f"last-seats-{engine.dialect.name}"
    event_id = new_event(engine, slug)
    order = CommitOrder()
    # two seats taken before the burst: the burst competes for the last three
    burst(engine, slug, ["early1@example.org", "early2@example.org"], order)
    results = burst(engine, slug, [f"burst{i}@example.org" for i in range(THREADS)], order)
    assert all(isinstance(r, core.Enrolled) for r in results), [r for r in results if not isinstance(r, core.Enrolled)]
    event, regs = rows(engine, event_id)
    registered = [r for r in regs if r.status == RegistrationStatus.REGISTERED]
    waiting = [r for r in regs if r.status == RegistrationStatus.WAITING]
    assert len(registered) == event.seats_taken == CAPACITY
    assert len(waiting) == THREADS + 2 - CAPACITY
    # arrival numbers: one each, no gaps; every seat went before any waiting place
    assert [r.queue_position for r in regs] == list(range(1, THREADS + 3))
    assert max(r.queue_position for r in registered) < min(r.queue_position for r in waiting)
    # the waiting list is the commit order, and each was told its place
    assert sorted(order.seen) == list(range(1, THREADS + 3)) and order.in_arrival_order()
    positions = {r.registration_id: r.position for r in results if isinstance(r, core.Enrolled)}
    assert [positions[w.id] for w in waiting if w.id in positions] == list(range(1, len(waiting) + 1))


def test_full_without_waiting_list_refuses_the_rest(engine):
    slug = f"no-list-{engine.dialect.name}"
    event_id = new_event(engine, slug, capacity=3, waitlist=False)
    results = burst(engine, slug, [f"nolist{i}@example.org" for i in range(THREADS)], CommitOrder())
    ok = [r for r in results if isinstance(r, core.Enrolled)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(ok) == 3 and len(refused) == THREADS - 3
    assert {e.fields["form"][0] for e in refused} == {"error.event_full"}
    event, regs = rows(engine, event_id)
    assert event.seats_taken == 3 and len(regs) == 3


def test_the_same_email_at_once_gets_one_place(engine):
    slug = f"same-email-{engine.dialect.name}"
    event_id = new_event(engine, slug)
    results = burst(engine, slug, ["twin@example.org"] * 8, CommitOrder())
    # each is answered as a registration (a refusal would tell anyone who attends), all with the one place
    assert all(isinstance(r, core.Enrolled) for r in results), results
    assert len({r.registration_id for r in results}) == 1
    event, regs = rows(engine, event_id)
    assert event.seats_taken == 1 and len(regs) == 1


def test_cancellations_during_a_burst_promote_in_order_and_never_overbook(engine):
    slug = f"churn-{engine.dialect.name}"
    event_id = new_event(engine, slug, capacity=3)
    first = burst(engine, slug, [f"seat{i}@example.org" for i in range(3)], CommitOrder())
    errors: list[Exception] = []

    def cancel(registration_id: int) -> None:
        with Session(engine) as session:
            try:
                core.cancel_registration(session=session, actor=staff(session), registration_id=registration_id)
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

    cancellers = [threading.Thread(target=cancel, args=(r.registration_id,)) for r in first[:2]]  # type: ignore[union-attr]
    for t in cancellers:
        t.start()
    burst(engine, slug, [f"churn{i}@example.org" for i in range(THREADS)], CommitOrder())
    for t in cancellers:
        t.join(60)
    assert not errors
    event, regs = rows(engine, event_id)
    registered = [r for r in regs if r.status == RegistrationStatus.REGISTERED]
    waiting = [r for r in regs if r.status == RegistrationStatus.WAITING]
    assert len(registered) == event.seats_taken == 3
    # whoever holds a seat arrived before everyone still waiting (promotion takes the first waiting)
    assert max(r.queue_position for r in registered) < min(r.queue_position for r in waiting)
