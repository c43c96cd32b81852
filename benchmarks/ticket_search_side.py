"""What counting a search's open statuses on a second connection (`side_query`) does under load:
staff's `q=error` over a million tickets, asked by 1, 2 and 4 clients at once (threads, each with
its own session, as a server's requests), with the second connection and without it (`available`
forced off), on the benchmark's database (run benchmarks/tickets.py first).

    .venv/bin/python benchmarks/ticket_search_side.py [--data-dir bench-data] [--calls 20]

Prints a Markdown table: clients, way, calls per second over all clients, p50 and p95 of a call.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERY = {"q": "error"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench-data")
    parser.add_argument("--calls", type=int, default=20, help="calls per client")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import tickets as bench

    engine, actor = bench.staff_on(args.data_dir)
    from sqlmodel import Session

    from portal_app.services import side_query
    from portal_app.services.tickets import ticket_list

    filters = ticket_list.parse_filters(QUERY)
    real_available = side_query.available

    def client(times: list[float]) -> None:
        for _ in range(args.calls):
            with Session(engine) as session:
                session.connection()
                started = time.perf_counter()
                ticket_list.query_tickets(session=session, actor=actor, filters=filters)
                times.append((time.perf_counter() - started) * 1000)

    print(f"staff `{'&'.join(f'{k}={v}' for k, v in QUERY.items())}`, {args.calls} calls per client\n")
    print("| clients | way | calls/s | p50 ms | p95 ms |\n|---:|---|---:|---:|---:|")
    for clients in (1, 2, 4):
        for way, available in (("beside", real_available), ("one connection", lambda conn: False)):
            side_query.available = available
            client([])  # warm
            times: list[float] = []
            threads = [threading.Thread(target=client, args=(times,)) for _ in range(clients)]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            ordered = sorted(times)
            print(f"| {clients} | {way} | {len(times) / elapsed:.1f} | {ordered[len(ordered) // 2]:.1f} | "
                  f"{ordered[max(0, int(len(ordered) * 0.95) - 1)]:.1f} |")
    side_query.available = real_available


if __name__ == "__main__":
    main()
