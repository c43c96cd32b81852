"""Event registration burst: 1,000 simultaneous public registrations for 100 seats, on SQLite and PostgreSQL.

Every registration goes through `portal_app.services.events.core.register_public` -- the same call
the public page makes: the per-address limit (a throttle hit), the duplicate check, the seat (a
conditional UPDATE of the event row) or a waiting place, the registration row, the contact, the
confirmation mail stored in the outbox -- each on its own thread and database session. All of
them are released at once by a barrier; `--workers` threads (each with its own connection) run
them, so that many are always in flight. The output proves the rule: exactly the capacity is
registered (rows and the event's counter), the arrival numbers are 1..N without gaps, every seat
went before any waiting place, and the waiting list is in commit order (registration k+1 took its arrival number only after
registration k had started its COMMIT, timed on both sides of the event row's lock; see `run_one`).

    .venv/bin/python benchmarks/registration_burst.py                    # both databases, writes the doc
    .venv/bin/python benchmarks/registration_burst.py --only sqlite --no-doc
    .venv/bin/python benchmarks/registration_burst.py --registrations 300 --seats 30 --no-doc

PostgreSQL: a throwaway server from the Debian packages (tests/unit/postgres_server.py), or
`--postgres-url postgresql+psycopg://...` (an empty database).
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- registration-burst:start", "<!-- registration-burst:end -->"


def run_one(kind: str, url: str, *, registrations: int, seats: int, workers: int, engine_factory) -> dict:  # noqa: ANN001
    from sqlalchemy import event as sa_event
    from sqlmodel import Session, SQLModel, select

    from portal_app.models import Account, Event, Registration, RegistrationStatus, utcnow
    from portal_app.seed import seed
    from portal_app.services.actor import build_actor
    from portal_app.services.errors import ServiceError
    from portal_app.services.events import admin, core

    engine = engine_factory(url)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        seed(session, tickets=False)
        staff = build_actor(session, session.exec(select(Account).where(Account.email == "staff@example.com")).one())
        start = utcnow() + timedelta(days=10)
        event = admin.create_event(session=session, actor=staff, data={
            "slug": "burst", "title": "Burst", "capacity": seats, "public_page": True, "waitlist_enabled": True,
            "starts_at": start, "ends_at": start + timedelta(hours=2)})
        event_id = event.id

    # Commit order, proved from both sides of the event row's lock: registration k+1 got its arrival
    # number (its UPDATE of the event row returned: `locked`) only after registration k had started
    # its COMMIT (`committing`, read before the COMMIT is sent). The row is held from that UPDATE to
    # the commit, so commit(k) falls between committing(k) and locked(k+1): if committing(k) <
    # locked(k+1) for every k, the commits happened in arrival order -- the waiting list's order.
    seen: dict[int, tuple[float, float]] = {}
    order_lock = threading.Lock()

    @sa_event.listens_for(engine, "after_cursor_execute")
    def _statement(conn, _cursor, statement, *_rest):  # noqa: ANN001, ANN202
        if statement.lstrip().upper().startswith("UPDATE EVENT SET") and "queue_seq" in statement:
            conn.info["locked"] = time.perf_counter()
    latencies: list[float] = [0.0] * registrations
    outcomes: list[object] = [None] * registrations
    gate = threading.Event()

    def register(i: int) -> None:
        with Session(engine) as session:
            @sa_event.listens_for(session, "after_flush")
            def _flushed(s, _ctx):  # noqa: ANN001, ANN202
                for obj in s.new:
                    if isinstance(obj, Registration):
                        s.info["arrival"] = (obj.queue_position, s.connection().info.pop("locked", None))

            @sa_event.listens_for(session, "before_commit")
            def _committing(s):  # noqa: ANN001, ANN202
                if "arrival" in s.info:
                    arrival, locked = s.info.pop("arrival")
                    with order_lock:
                        seen[arrival] = (locked, time.perf_counter())

            gate.wait()
            t0 = time.perf_counter()
            try:
                outcomes[i] = core.register_public(
                    session=session, slug="burst", client_address=f"10.{i // 65536}.{i // 256 % 256}.{i % 256}",
                    data={"first_name": "Burst", "last_name": f"No{i}", "email": f"burst{i}@example.org",
                          "consent": True})
            except ServiceError as exc:
                outcomes[i] = exc
            latencies[i] = time.perf_counter() - t0

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(register, i) for i in range(registrations)]
        time.sleep(0.2)
        t0 = time.perf_counter()
        gate.set()
        for f in futures:
            f.result()
        wall = time.perf_counter() - t0

    with Session(engine) as session:
        event = session.get(Event, event_id)
        rows = session.exec(select(Registration).where(Registration.event_id == event_id)
                            .order_by(Registration.queue_position)).all()
        registered = [r for r in rows if r.status == RegistrationStatus.REGISTERED]
        waiting = [r for r in rows if r.status == RegistrationStatus.WAITING]
        taken = event.seats_taken
    engine.dispose()
    errors = [o for o in outcomes if not isinstance(o, core.Enrolled)]
    told = sorted(o.position for o in outcomes if isinstance(o, core.Enrolled) and o.position)
    arrivals = sorted(seen)
    in_order = arrivals == list(range(1, len(rows) + 1)) and all(
        seen[k][1] < seen[k + 1][0] for k in arrivals[:-1])
    lat = sorted(latencies)
    return {
        "db": kind, "registrations": registrations, "seats": seats, "workers": workers, "wall_s": wall,
        "per_s": registrations / wall, "p50_ms": statistics.median(lat) * 1000,
        "p95_ms": lat[int(0.95 * (len(lat) - 1))] * 1000, "max_ms": lat[-1] * 1000,
        "registered": len(registered), "counter": taken, "waiting": len(waiting), "errors": len(errors),
        "arrivals_ok": [r.queue_position for r in rows] == list(range(1, len(rows) + 1)),
        "seats_first": bool(registered and waiting) and max(r.queue_position for r in registered)
        < min(r.queue_position for r in waiting),
        "commit_order_ok": in_order,
        "positions_ok": told == list(range(1, len(waiting) + 1)),
    }


def table(results: list[dict]) -> str:
    head = ("| database | registrations / seats | threads | registrations/s | p50 ms | p95 ms | max ms | "
            "registered (rows / counter) | waiting | refused | arrivals 1..N | seats before waiting | "
            "waiting list = commit order | positions told 1..W |")
    sep = "|" + "---|" * 14
    lines = [head, sep]
    yes = {True: "yes", False: "**NO**"}
    for r in results:
        lines.append(
            f"| {r['db']} | {r['registrations']} / {r['seats']} | {r['workers']} | {r['per_s']:.0f} | "
            f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['max_ms']:.0f} | {r['registered']} / {r['counter']} | "
            f"{r['waiting']} | {r['errors']} | {yes[r['arrivals_ok']]} | {yes[r['seats_first']]} | "
            f"{yes[r['commit_order_ok']]} | {yes[r['positions_ok']]} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=50, help="threads (and connections) in flight")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database (default: a throwaway server)")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "unit")]
    import logging

    logging.disable(logging.WARNING)
    from sqlmodel import create_engine

    results = []
    with ExitStack() as stack:
        if args.only in (None, "sqlite"):
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="burst-")))
            from portal_app.db import get_engine

            # the production engine: WAL, busy timeout 30 s, foreign keys (portal_app/db.py)
            results.append(run_one("SQLite (file, WAL)", f"sqlite:///{folder / 'portal.db'}",
                                   registrations=args.registrations, seats=args.seats, workers=args.workers,
                                   engine_factory=get_engine))
        if args.only in (None, "postgresql"):
            url = args.postgres_url
            if url is None:
                from postgres_server import create_database, running_postgres

                server = stack.enter_context(running_postgres())
                url = create_database(server, f"burst_{uuid.uuid4().hex[:8]}")
            results.append(run_one("PostgreSQL", url, registrations=args.registrations, seats=args.seats,
                                   workers=args.workers,
                                   engine_factory=lambda u: create_engine(u, pool_size=args.workers, max_overflow=0)))
    out = table(results)
    print(out)
    if not args.no_doc:
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        block = (f"{START} (written by benchmarks/registration_burst.py; edits inside are replaced) -->\n"
                 f"- Date: {stamp}; machine: {platform.machine()}, Python {platform.python_version()}\n\n"
                 f"{out}\n{END}")
        text = DOC.read_text(encoding="utf-8")
        if START in text:
            text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
            DOC.write_text(text, encoding="utf-8")
        else:
            print("docs/benchmarks.md has no registration-burst section; table not written", file=sys.stderr)


if __name__ == "__main__":
    main()
