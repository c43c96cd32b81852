"""Calibrates `ticket_list.WALK_COST`: staff's filtered list over every company, page by page, read
both ways -- walking the sort's index and testing each ticket (`WALK_COST` forced to 0), or sorting
every match (forced to infinity) -- on the benchmark's database (run benchmarks/tickets.py first).

    .venv/bin/python benchmarks/ticket_walk_cost.py [--data-dir bench-data] [--repeat 7]

Prints a Markdown table: matches, tickets walked to reach the page, p50 of each way, and which way
the service chooses with the real `WALK_COST`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = (
    {"category": "Bug", "page": "100"}, {"category": "Bug", "page": "400"}, {"priority": "Urgent"},
    {"priority": "Urgent", "page": "20"}, {"severity": "1"}, {"category": "Work Order", "priority": "Urgent"},
    {"status": "Closed", "category": "Bug", "page": "1000"},
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench-data")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import tickets as bench

    engine, actor = bench.staff_on(args.data_dir)
    from sqlmodel import Session

    from portal_app.services.tickets import ticket_list

    with Session(engine) as session:
        everything = session.connection().execute(ticket_list.sql.tally_total()).scalar_one()
    real = ticket_list.WALK_COST
    print("| staff query | matches | walked to the page | walk | sort | chosen |\n|---|---:|---:|---:|---:|---|")
    for query in QUERIES:
        filters = ticket_list.parse_filters(query)
        p50 = []
        for cost in (0.0, float("inf")):
            ticket_list.WALK_COST = cost
            times = []
            for _ in range(args.repeat):
                with Session(engine) as session:
                    session.connection()
                    started = time.perf_counter()
                    page = ticket_list.query_tickets(session=session, actor=actor, filters=filters)
                    times.append((time.perf_counter() - started) * 1000)
            p50.append(sorted(times)[len(times) // 2])
        walked = ((page.page - 1) * filters.page_size + filters.page_size) * everything / max(page.total, 1)
        chosen = "walk" if walked * real <= page.total else "sort"
        label = "&".join(f"{k}={v}" for k, v in query.items())
        print(f"| `{label}` | {page.total:,} | {walked:,.0f} | {p50[0]:.1f} ms | {p50[1]:.1f} ms | {chosen} |")
    ticket_list.WALK_COST = real


if __name__ == "__main__":
    main()
