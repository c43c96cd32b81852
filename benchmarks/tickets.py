"""Ticket list benchmark: the query behind /tickets and /admin/tickets at a million tickets.

    .venv/bin/python benchmarks/tickets.py            # or: make bench  (BENCH_ARGS="--repeat 10")
    .venv/bin/python benchmarks/tickets.py --tickets 100000 --big-company 10000 --repeat 10 --no-doc

Builds (once, seeded, and reused while its size and seed match) a SQLite database of `--tickets`
tickets over `--companies` companies, company 1 having `--big-company` of them, with the schema the
Alembic migrations create and the FTS5 rows; when only the ticket indexes of the models changed, it
brings the built database's indexes in line instead of building again. Then it times
`portal_app.services.tickets.ticket_list.query_tickets` (the page's whole list call: search, counts per status
and total, one sorted page, its rows with names) for three viewers -- the big company's admin, a
contact of a small company, staff (every ticket) -- over filter combinations, every sort column
both ways and deep pages. Beside each case it times the "floor": the same statements (same WHERE,
ORDER BY, LIMIT/OFFSET and counts, chosen the same way) written by hand for the plain `sqlite3`
module, so the ratio is what SQLAlchemy/SQLModel and the service add. It prints a Markdown table and
writes it, with the machine, versions, command and date, into docs/benchmarks.md under
"Tickets list" (between markers; the rest of the file is kept).

Target (issue 3): p95 under 50 ms and within 3x of the floor's p95. `--explain` prints the query
plan of every statement of every case.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shlex
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 50.0
TARGET_RATIO = 3.0
END = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # "now" of the generated data: fixed, so builds repeat
SPAN = timedelta(days=3 * 365)
MARK_START = "<!-- tickets-bench:start (written by benchmarks/tickets.py; edits inside are replaced) -->"
MARK_END = "<!-- tickets-bench:end -->"
META_FILE = "bench.json"
LOAD_AT_START = "?"
BUILD_VERSION = 7  # bump when the generated data changes shape

# --- word lists ------------------------------------------------------------------------------------

FIRST = ["Aino", "Ville", "Liisa", "Pekka", "Sanna", "Mikko", "Anna", "Juha", "Maria", "Timo", "Laura", "Jari",
         "Greta", "Hans", "Klara", "Paul", "Emma", "Lukas", "Sofia", "Oliver", "Elin", "Erik", "Ingrid", "Lars",
         "Marta", "Piotr", "Julia", "Tomas", "Eva", "Jonas", "Nora", "Felix", "Ida", "Oskar", "Helmi", "Eino"]
LAST = ["Virtanen", "Korhonen", "Makinen", "Nieminen", "Laine", "Heikkinen", "Koskinen", "Jarvinen", "Lehtonen",
        "Schmidt", "Muller", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Andersson", "Johansson",
        "Karlsson", "Nilsson", "Larsen", "Hansen", "Nowak", "Kowalski", "Smith", "Jones", "Taylor", "Brown",
        "Novak", "Horvat", "Berg", "Lund", "Holm", "Salo", "Rantanen", "Hamalainen"]
COMPANY_A = ["Nordic", "Baltic", "Arctic", "Polar", "Coastal", "Central", "United", "Northern", "Western", "Prime",
             "Bright", "Green", "Blue", "Swift", "Solid", "Metro", "Lake", "Forest", "River", "Harbor"]
COMPANY_B = ["Timber", "Logistics", "Foods", "Engineering", "Pharma", "Retail", "Energy", "Systems", "Textiles",
             "Metals", "Media", "Dental", "Printing", "Motors", "Finance", "Packaging", "Chemicals", "Travel"]
COMPANY_C = ["Oy", "Ab", "GmbH", "AG", "Ltd", "AS", "ApS", "Sp. z o.o.", "SA", "BV"]
SUBJECTS = ["printer", "invoice", "login", "password reset", "VPN", "email", "monthly report", "dashboard",
            "CSV export", "import", "backup", "file server", "laptop", "license", "database", "portal",
            "payment", "order form", "shipment", "shipping label", "barcode scanner", "desk phone", "calendar",
            "sync", "ERP integration", "API", "certificate", "firewall", "network", "Wi-Fi", "monitor",
            "keyboard", "user account", "permission", "shared folder", "upload", "download", "search",
            "notification", "update", "installation", "configuration", "module", "product catalog",
            "price list", "contract", "delivery note", "warehouse app", "terminal", "POS till", "kiosk"]
PROBLEMS = ["not working", "fails", "is slow", "shows an error", "crashes", "times out", "is missing",
            "cannot be opened", "returns wrong totals", "stopped syncing", "does not start", "keeps logging out",
            "hangs", "rejects input", "is duplicated", "shows old data", "gives error 500", "cannot connect",
            "asks for the password again", "prints blank pages"]
BUG_PROBLEMS = ["crashes", "shows an error", "returns wrong totals", "gives error 500", "rounds prices wrongly",
                "loses the last row", "shows the wrong date", "sends the mail twice", "ignores the filter",
                "freezes on save"]
CONTEXTS = ["after the update", "since Monday", "for all users", "for one user", "in the morning",
            "at month end", "on the new laptop", "in Chrome", "on mobile", "when exporting", "in the warehouse",
            "at the Helsinki office", "for the sales team", "intermittently", "again", "after the migration",
            "since yesterday", "in production", "in the test environment", "", "", ""]
WORK = ["Install", "Set up", "Replace", "Move", "Renew", "Order", "Configure", "Remove", "Upgrade", "Check"]
WORK_FOR = ["for a new employee", "for the new office", "before Friday", "next week", "for the sales team",
            "in meeting room 2", "for the warehouse", "", ""]
SENTENCES = [
    "Since {day} the {subject} {problem} {context}.",
    "We tried restarting the {subject} but it still {problem}.",
    "The {subject} {problem} when {name} tries to use it.",
    "This blocks {count} people in our team, please have a look.",
    "The error message says: connection refused (code {code}).",
    "Nothing changed on our side as far as we know.",
    "Could you call {name} on extension {ext} when you start working on this?",
    "The same thing happened last month and was fixed by support then.",
    "Screenshots are attached, the problem is visible in the second one.",
    "It works on the old laptop but not on the new one.",
    "Our accounting needs this before the month end closing.",
    "Please also check the {subject} of the other site.",
    "Order number {order} is affected.",
    "We get a warning whenever the {subject} is opened from the portal.",
    "The logs show a timeout at {hour}:{minute}.",
    "Users report that the {subject} is very slow in the afternoon.",
    "Is there a workaround until this is fixed?",
    "Thanks in advance for your help.",
    "Priority is high because customers are waiting.",
    "Steps: open the {subject}, choose the last month, press export.",
]
# product code names: each shows up in about 1 ticket in 20,000 -- the "rare word" of a search
RARE = ["marzipan", "quetzal", "obsidian", "kestrel", "tamarind", "zeppelin", "aubergine", "gondola",
        "bergamot", "narwhal", "pangolin", "saffron", "tundra", "vellum", "wombat", "yuzu", "ziggurat",
        "axolotl", "cardamom", "dirigible"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "the weekend", "yesterday", "this morning"]
COMMON_WORD = "error"
RARE_WORD = "narwhal"

STATUSES = ("new", "in_progress", "waiting_customer", "waiting_support", "resolved", "closed")
STATUS_WEIGHTS = (  # by age of the ticket: open ones are recent, old ones closed
    (14, (30, 25, 15, 15, 10, 5)),
    (90, (3, 10, 10, 7, 20, 50)),
    (10**6, (0.2, 0.5, 0.5, 0.3, 3.5, 95)),
)
CATEGORY_CUM = list(zip((0.60, 0.85, 1.0), ("support", "bug", "work_order"), strict=True))
PRIORITIES = (("low", 1, 20), ("normal", 2, 55), ("high", 3, 20), ("urgent", 4, 5))
BUG_SEVERITY_WEIGHTS = ((1, 5), (2, 20), (3, 45), (4, 30))
STAFF_COUNT = 10
COLLABORATOR_COUNT = 3


# --- building the database -------------------------------------------------------------------------

def _ts(moment: datetime) -> str:
    """SQLAlchemy's SQLite DATETIME text (UTC, what UTCDateTime stores)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _split_exact(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` spread over `parts` companies with realistic (log-normal) sizes, summing exactly."""
    if parts <= 0:
        return []
    weights = [rng.lognormvariate(0, 0.8) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(parts), total - sum(counts)) if total - sum(counts) <= parts else []:
        counts[i] += 1
    while sum(counts) < total:  # only when parts is tiny
        counts[rng.randrange(parts)] += 1
    return counts


def _status_for(rng: random.Random, age_days: float) -> str:
    for limit, weights in STATUS_WEIGHTS:
        if age_days < limit:
            return rng.choices(STATUSES, weights)[0]
    return "closed"


def _fill(rng: random.Random, template: str, subject: str, problem: str, context: str) -> str:
    return template.format(
        day=rng.choice(DAYS), subject=subject, problem=problem, context=context, name=rng.choice(FIRST),
        count=rng.randint(2, 40), code=rng.randint(100, 999), ext=rng.randint(100, 999),
        order=rng.randint(10_000_000, 99_999_999), hour=rng.randint(7, 18), minute=f"{rng.randint(0, 59):02d}",
    ).replace(" .", ".").replace("  ", " ")


def _ticket_text(rng: random.Random, category: str) -> tuple[str, str]:
    subject = rng.choice(SUBJECTS)
    if category == "work_order":
        title = f"{rng.choice(WORK)} {subject} {rng.choice(WORK_FOR)}".strip()
        problem, context = "needs attention", ""
    else:
        problem = rng.choice(BUG_PROBLEMS if category == "bug" else PROBLEMS)
        context = rng.choice(CONTEXTS)
        title = f"{subject[0].upper()}{subject[1:]} {problem} {context}".strip()
    sentences = [_fill(rng, t, subject, problem, context) for t in rng.sample(SENTENCES, rng.randint(2, 6))]
    if rng.random() < 0.001:
        sentences.insert(1, f"This concerns the {rng.choice(RARE)} project.")
    sentences.append(f"Regards, {rng.choice(FIRST)}")
    return title, " ".join(sentences)


@dataclass
class People:
    staff: list[int]
    collaborators: list[int]
    by_company: dict[int, list[int]]  # company id -> its accounts, the admin first


def _insert_people(db: sqlite3.Connection, rng: random.Random, companies: int, big_company_id: int) -> People:
    from portal_app.models import AccountKind
    from portal_app.services.portal.modules import MODULE_KEYS

    created = _ts(END - SPAN - timedelta(days=30))
    db.execute("INSERT INTO portalsettings (id, enabled_modules, portal_name, logo_url, menu_color, "
               "welcome_message, home_content, external_links, lockout_threshold, lockout_minutes, "
               "customers_can_close) VALUES (1, ?, 'Customer Portal', '', '#1f4e79', '', '', '[]', 5, 15, 1)",
               (json.dumps(list(MODULE_KEYS)),))
    modules = {m: "edit" for m in MODULE_KEYS}
    db.execute("INSERT INTO portalprofile (id, name, is_default, module_access, field_access) "
               "VALUES (1, 'Primary contact', 0, ?, '{}'), (2, 'Basic', 1, ?, '{}')",
               (json.dumps(modules), json.dumps(modules | {"invoices": "none", "company": "view"})))
    company_rows = []
    for cid in range(1, companies + 2):  # the last one is the collaborators' partner company (no tickets)
        name = ("Partner Services Ltd" if cid == companies + 1 else
                f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)} {rng.choice(COMPANY_C)}")
        company_rows.append((cid, name, f"{rng.randint(1000000, 9999999)}-{rng.randint(0, 9)}", "", "", "",
                             "", "", "", 1, created, created))
    db.executemany("INSERT INTO company (id, name, business_id, street_address, postal_code, city, country, "
                   "phone, website, is_active, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                   company_rows)
    contacts, accounts = [], []
    by_company: dict[int, list[int]] = {}
    collaborators: list[int] = []
    staff: list[int] = []

    def person(company_id: int, *, admin: bool, kind: AccountKind, profile: int | None) -> int:
        cid = len(contacts) + 1
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}.{cid}@c{company_id}.example.com".lower()
        contacts.append((cid, first, last, email, "", "", "", "", company_id, 1, int(admin), profile,
                         created, created))
        aid = len(accounts) + 1
        accounts.append((aid, email, kind.name, cid, "", None, 1, "en", 0, None, 0, None, created))
        return aid

    for company_id in range(1, companies + 1):
        size = 40 if company_id == big_company_id else rng.randint(3, 7)
        ids = [person(company_id, admin=True, kind=AccountKind.CONTACT, profile=1)]
        ids += [person(company_id, admin=False, kind=AccountKind.CONTACT, profile=2) for _ in range(size - 1)]
        by_company[company_id] = ids
    for _ in range(COLLABORATOR_COUNT):
        collaborators.append(person(companies + 1, admin=False, kind=AccountKind.COLLABORATOR, profile=None))
    for n in range(1, STAFF_COUNT + 1):
        aid = len(accounts) + 1
        accounts.append((aid, f"staff{n}@example.com", AccountKind.STAFF.name, None, f"Staff Member {n}", None, 1,
                         "en", 0, None, 0, None, created))
        staff.append(aid)
    db.executemany("INSERT INTO contact (id, first_name, last_name, email, phone, mobile, job_title, department, "
                   "company_id, is_active, portal_admin, profile_id, created_at, updated_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", contacts)
    db.executemany("INSERT INTO account (id, email, kind, contact_id, full_name, password_hash, enabled, language, "
                   "failed_logins, locked_until, login_count, last_login_at, created_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", accounts)
    return People(staff=staff, collaborators=collaborators, by_company=by_company)


def _ticket_rows(rng: random.Random, n: int, companies: int, big: int, people: People):  # noqa: ANN202
    """Tickets in id order (ids and numbers grow with the creation time), as tuples for executemany."""
    big_company_id = 1
    counts = [min(big, n)] + _split_exact(rng, n - min(big, n), companies - 1)
    owners = [cid for cid, count in enumerate(counts, start=1) for _ in range(count)]
    rng.shuffle(owners)
    start = (END - SPAN).timestamp()
    span = SPAN.total_seconds()
    moments = sorted(start + rng.random() * span for _ in range(n))
    end = END.timestamp()
    prio_names = [p[0] for p in PRIORITIES]
    prio_rank = {p[0]: p[1] for p in PRIORITIES}
    prio_weights = [p[2] for p in PRIORITIES]
    sev_values = [s for s, _ in BUG_SEVERITY_WEIGHTS]
    sev_weights = [w for _, w in BUG_SEVERITY_WEIGHTS]
    big_accounts = people.by_company[big_company_id]
    big_weights = [0.10] + [0.90 / (len(big_accounts) - 1)] * (len(big_accounts) - 1)
    for i in range(n):
        tid = i + 1
        company_id = owners[i]
        accounts = people.by_company[company_id]
        creator = (rng.choices(big_accounts, big_weights)[0] if company_id == big_company_id
                   else rng.choice(accounts))
        created = moments[i]
        age_days = (end - created) / 86400
        status = _status_for(rng, age_days)
        roll = rng.random()
        category = next(c for limit, c in CATEGORY_CUM if roll <= limit)
        severity = rng.choices(sev_values, sev_weights)[0] if category == "bug" else 10
        priority = rng.choices(prio_names, prio_weights)[0]
        updated = min(end, created + rng.expovariate(1 / (6 * 86400)))
        if status in ("new", "in_progress", "waiting_customer", "waiting_support"):
            updated = min(end, created + rng.random() * (end - created))
        assignee = None
        roll = rng.random()
        if status == "new":
            if roll < 0.10:
                assignee = rng.choice(people.staff)
        elif roll < 0.60:
            assignee = rng.choice(people.staff)
        elif roll < 0.68:
            assignee = rng.choice(people.collaborators)
        title, description = _ticket_text(rng, category)
        yield (tid, 10000 + tid, company_id, creator, assignee, None, title, description, category, severity,
               priority, prio_rank[priority], status,
               _ts(datetime.fromtimestamp(created, UTC)), _ts(datetime.fromtimestamp(updated, UTC)))


def _model_indexes() -> dict[str, tuple[list[str], str]]:
    """The ticket table's indexes as the models declare them: name -> (columns, CREATE INDEX for SQLite)."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex

    from portal_app.models import Ticket

    return {ix.name: ([c.name for c in ix.columns],
                      str(CreateIndex(ix).compile(dialect=sqlite_dialect.dialect())).strip())
            for ix in Ticket.__table__.indexes}


def _db_index_names(db: sqlite3.Connection) -> set[str]:
    return {name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='ticket' AND sql IS NOT NULL")}


def _db_indexes(db: sqlite3.Connection) -> dict[str, list[str]]:
    return {name: [row[2] for row in db.execute(f"PRAGMA index_info('{name}')")] for name in _db_index_names(db)}


def sync_indexes(db_path: Path) -> list[str]:
    """Make the built database's ticket indexes those of the models (after a migration's indexes
    changed), without building the data again. Returns what it did."""
    wanted = _model_indexes()
    db = sqlite3.connect(db_path, isolation_level=None)
    try:
        have = _db_indexes(db)
        done = []
        for name, columns in have.items():
            if name not in wanted or wanted[name][0] != columns:
                db.execute(f'DROP INDEX "{name}"')
                done.append(f"dropped {name}")
        for name, (columns, sql) in wanted.items():
            if have.get(name) != columns:
                db.execute(sql)
                done.append(f"created {name}({', '.join(columns)})")
        return done
    finally:
        db.close()


def _migrate(data_dir: Path) -> None:
    """The Alembic migrations up to head on the database in `data_dir` (the embedded default's)."""
    env = os.environ | {"PORTAL_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def build(data_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    from sqlmodel import Session, create_engine

    from portal_app.services.tickets import ticket_search, ticket_tally

    db_path = data_dir / "portal.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    (data_dir / META_FILE).unlink(missing_ok=True)
    started = time.perf_counter()
    _migrate(data_dir)
    migrated = time.perf_counter()
    rng = random.Random(args.seed)
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-1000000")
    db.execute("PRAGMA temp_store=MEMORY")
    index_sql = [sql for (sql,) in db.execute(
        "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='ticket' AND sql IS NOT NULL")]
    db.execute("BEGIN")
    for name in _db_index_names(db):  # built once at the end: much faster than row by row
        db.execute(f'DROP INDEX "{name}"')
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f'DROP TRIGGER "{name}"')  # the index is filled in one statement, the triggers made after
    people = _insert_people(db, rng, args.companies, 1)
    db.executemany(
        "INSERT INTO ticket (id, number, company_id, created_by_id, assignee_id, reference_id, title, description, "
        "category, severity, priority, priority_rank, status, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        _ticket_rows(rng, args.tickets, args.companies, args.big_company, people))
    rows_done = time.perf_counter()
    db.execute("INSERT INTO ticket_fts (rowid, title, description, comments, tags) "
               f"SELECT id, title, description, '', {ticket_search.tags_sql('ticket')} FROM ticket ORDER BY id")
    fts_done = time.perf_counter()
    for sql in index_sql:
        db.execute(sql)
    for sql in ticket_search.SQLITE_SCHEMA:
        db.execute(sql)
    db.execute("DELETE FROM ticket_tally")
    db.execute(ticket_tally.FILL)
    for sql in ticket_tally.TRIGGERS:
        db.execute(sql)
    db.execute("UPDATE ticketcounter SET value = (SELECT coalesce(max(number), 10000) FROM ticket) WHERE id = 1")
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode=WAL")  # as the portal runs it (portal_app/db.py)
    db.close()
    indexed = time.perf_counter()
    engine = create_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:  # as the hourly housekeeping leaves it
        ticket_search.merge_index(session, budget_s=600)
    engine.dispose()
    done = time.perf_counter()
    meta = {
        "version": BUILD_VERSION, "tickets": args.tickets, "companies": args.companies,
        "big_company": args.big_company, "seed": args.seed, "build_seconds": round(done - started, 1),
        "phases": {"migrate": round(migrated - started, 1), "people+tickets": round(rows_done - migrated, 1),
                   "fts": round(fts_done - rows_done, 1), "indexes": round(indexed - fts_done, 1),
                   "fts merge": round(done - indexed, 1)},
        "built_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    (data_dir / META_FILE).write_text(json.dumps(meta, indent=2))
    return meta


def ensure_database(data_dir: Path, args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
    """The built database's metadata, and whether it was (re)built now."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = data_dir / "portal.db"
    meta_path = data_dir / META_FILE
    reason = "--rebuild" if args.rebuild else ""
    if not reason:
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, ValueError):
            meta = None
        wanted = {"version": BUILD_VERSION, "tickets": args.tickets, "companies": args.companies,
                  "big_company": args.big_company, "seed": args.seed}
        if meta is None or not db_path.exists():
            reason = "no database yet"
        elif any(meta.get(k) != v for k, v in wanted.items()):
            reason = "size or seed differs"
        else:
            db = sqlite3.connect(db_path)
            try:
                count = db.execute("SELECT count(*) FROM ticket").fetchone()[0]
            finally:
                db.close()
            if count != args.tickets:
                reason = f"database holds {count} tickets"
            else:
                _migrate(data_dir)  # a later migration's columns and indexes, on the data already built
                changes = sync_indexes(db_path)
                if changes:
                    print("ticket indexes brought in line with the models: " + "; ".join(changes), flush=True)
                return meta, False
    print(f"building {args.tickets:,} tickets in {db_path} ({reason}) ...", flush=True)
    meta = build(data_dir, args)
    print(f"built in {meta['build_seconds']} s {meta['phases']}", flush=True)
    return meta, True


# --- the cases -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    section: str
    actor: str  # "admin" (big company), "contact" (small company), "staff"
    query: dict[str, str]

    @property
    def label(self) -> str:
        return "&".join(f"{k}={v}" for k, v in self.query.items()) or "(no filter)"


SORT_KEYS = ("number", "title", "category", "severity", "priority", "status", "created_by", "created",
             "updated", "company", "assignee")
ACTORS = ("admin", "contact", "staff")


def all_cases() -> list[Case]:
    cases: list[Case] = []
    filters = [
        {}, {"status": "New"}, {"status": "New,In progress", "priority": "High"},
        {"category": "Bug", "severity": "1,2"}, {"mine": "1"}, {"q": COMMON_WORD}, {"q": RARE_WORD},
        {"q": COMMON_WORD, "status": "New"},
    ]
    for actor in ACTORS:
        cases += [Case("Filters (sort -updated, page 1)", actor, q) for q in filters]
    for actor in ACTORS:
        for key in SORT_KEYS:
            for sort in (key, f"-{key}"):
                if sort != "-updated":  # that one is the "(no filter)" case above
                    cases.append(Case("Sort columns (no filter, page 1)", actor, {"sort": sort}))
    for actor in ACTORS:
        for sort in ("-updated", "title"):
            for page in ("100", "last"):
                query = {"page": page} if sort == "-updated" else {"sort": sort, "page": page}
                cases.append(Case("Deep pages (size 25)", actor, query))
    cases.append(Case("Deep pages (size 25)", "admin", {"status": "Closed", "page": "last"}))
    cases.append(Case("Deep pages (size 25)", "staff", {"q": COMMON_WORD, "page": "last"}))
    # a sort by a person's name, down the list (the people walked in name order, then every one counted)
    for actor in ("admin", "staff"):
        for page in ("100", "last"):
            cases.append(Case("Deep pages (size 25)", actor, {"sort": "created_by", "page": page}))
    cases.append(Case("More searches (page 1 unless said)", "staff", {"q": COMMON_WORD, "sort": "assignee"}))
    # searches beyond the issue's list: a prefix, two words, a common word sorted by another column
    for actor in ("admin", "staff"):
        for query in ({"q": f"{COMMON_WORD[:3]}*"}, {"q": f"{COMMON_WORD} {RARE_WORD}"},
                      {"q": COMMON_WORD, "sort": "title"}, {"q": COMMON_WORD, "page": "100"}):
            cases.append(Case("More searches (page 1 unless said)", actor, query))
    # beyond the issue's list: single broad filters over every company, staff's own filters
    for query in ({"category": "Bug"}, {"severity": "10"}, {"priority": "Urgent"}, {"company": "1"},
                  {"company": "1", "status": "New", "sort": "title"}, {"assignee": "none"},
                  {"assignee": "none", "status": "New"}):
        cases.append(Case("More staff filters (sort -updated, page 1)", "staff", query))
    return cases


# --- the floor: the same statements in plain sqlite3 -----------------------------------------------

SQL_SORT = {"number": "number", "title": "title_key", "category": "category", "severity": "severity",
            "priority": "priority_rank", "status": "status", "created_by": "created_by_id",
            "created": "created_at", "updated": "updated_at", "company": "company_id", "assignee": "assignee_id"}
# a search's test of one ticket: looked up in the full-text index
PROBE_SQL = "EXISTS (SELECT 1 FROM ticket_fts WHERE ticket_fts MATCH ? AND ticket_fts.rowid = ticket.id)"
# sorts by the name of the person or company the column refers to
NAMED_SORT = {"created_by": "created_by_id", "assignee": "assignee_id", "company": "company_id"}


class Floor:
    """`query_tickets` by hand: the same statements as literal SQL on sqlite3 connections, rows as tuples.

    Same strategy as the service: counts per status first (and the total from them), from the tally
    for staff over every company filtered by its columns only; then the page in one statement: its
    ids in a subquery with ORDER BY column, id and LIMIT/OFFSET (read from the other end past the
    middle; dense filters over every company as `+column`, so the sort's index is walked), joined
    with the people's and company's names. A sort by a person's or company's name: the people or
    companies in name order with their tickets (walked with capped counts, or one GROUP BY), then
    the page group by group. A search: the FTS5 count of its matches, and of the open statuses among
    them in one statement on a second connection meanwhile (as `side_query`), then the page the way
    the service picks (by id / walk and look up / walk and collect), with the same MATCH strings
    (built by `ticket_search`, plain strings) and the same cost constants.
    """

    BULK = "closed"

    def __init__(self, db_path: Path) -> None:
        self.db, self.side = (self.connect(db_path) for _ in range(2))
        self.worker = ThreadPoolExecutor(max_workers=1)  # the second connection's, as `side_query`'s

    @staticmethod
    def connect(db_path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(db_path, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=30000")
        return db

    @staticmethod
    def conditions(actor: Any, f: Any, *, with_status: bool = True) -> list[tuple[str, tuple[Any, ...]]]:
        """Scope and filters as (column, values): as the service, written out again."""
        from portal_app.models import AccountKind

        support = actor.is_staff or actor.kind == AccountKind.COLLABORATOR
        if actor.is_staff:
            out = []
        elif actor.kind == AccountKind.COLLABORATOR:
            out = [("assignee_id", (actor.account_id,))]
        elif actor.is_company_admin and actor.company_id is not None:
            out = [("company_id", (actor.company_id,))]
        else:  # its own tickets, of its company
            out = [("created_by_id", (actor.account_id,)), ("company_id", (actor.company_id,))]
        if with_status and f.statuses:
            out.append(("status", f.statuses))
        for column, values in (("category", f.categories), ("severity", f.severities), ("priority", f.priorities)):
            if values:
                out.append((column, values))
        if f.mine:
            out.append(("assignee_id" if support else "created_by_id", (actor.account_id,)))
        if actor.is_staff and f.company_id:
            out.append(("company_id", (f.company_id,)))
        if actor.is_staff and f.assignee:
            out.append(("assignee_id", (None if f.assignee == "none" else
                                        actor.account_id if f.assignee == "me" else int(f.assignee),)))
        return out

    @staticmethod
    def where(conditions: list[tuple[str, tuple[Any, ...]]], *extra: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        for column, values in conditions:
            if values == (None,):
                parts.append(f"{column} IS NULL")
            else:
                parts.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        for sql, values in extra:
            parts.append(sql)
            params.extend(values)
        return (" WHERE " + " AND ".join(parts)) if parts else "", params

    def counts_statement(self, actor: Any, f: Any) -> tuple[str, list[Any]]:
        from portal_app.services.tickets.ticket_tally import tally_conditions

        conditions = self.conditions(actor, f, with_status=False)
        tally = tally_conditions(conditions)
        if tally is not None:  # staff over every company: from the tally
            where, params = self.where(tally)
            return f"SELECT status, sum(n) FROM ticket_tally{where} GROUP BY status", params
        where, params = self.where(conditions)
        return f"SELECT status, count(*) FROM ticket{where} GROUP BY status", params

    def walks_sort_index(self, f: Any, total: int) -> bool:
        """As the service: dense filters over every company walk the sort's index."""
        from portal_app.services.tickets import ticket_list as service

        everything = self.db.execute("SELECT coalesce(sum(n), 0) FROM ticket_tally").fetchone()[0]
        offset, limit, _, _ = self.window(f, total)
        return (offset + limit) * everything / max(total, 1) * service.WALK_COST <= total

    @staticmethod
    def window(f: Any, total: int) -> tuple[int, int, bool, bool]:
        page = min(f.page, max(1, -(-total // f.page_size)))
        return Floor.slice(total, (page - 1) * f.page_size, f.page_size, f.sort.startswith("-"))

    @staticmethod
    def slice(total: int, offset: int, limit: int, descending: bool) -> tuple[int, int, bool, bool]:
        after = total - offset - limit
        backwards = offset > 0 and after < offset
        if backwards:
            descending, offset, limit = not descending, max(after, 0), limit + min(after, 0)
        return offset, limit, descending, backwards

    def page_statement(self, f: Any, total: int, where: str, params: list[Any], *,
                       by_index: bool = True) -> tuple[str, list[Any]]:
        return self.slice_statement(SQL_SORT[f.sort.lstrip("-")], self.window(f, total), where, params,
                                    by_index=by_index)

    @staticmethod
    def slice_statement(column: str, window: tuple[int, int, bool, bool], where: str, params: list[Any], *,
                        by_index: bool = True) -> tuple[str, list[Any]]:
        """The page's ids in a subquery (the window read forwards or backwards), joined with the
        names and put in the order shown: as the service, one statement."""
        offset, limit, descending, backwards = window
        inner, tie = (column, "id") if by_index else (f"+ticket.{column}", "+ticket.id")
        direction = "DESC" if descending else "ASC"
        shown = "DESC" if descending != backwards else "ASC"
        return (f"SELECT t.number, t.title, t.category, t.severity, t.priority, t.status, t.created_at, "
                "t.updated_at, co.name, coalesce(cc.first_name || ' ' || cc.last_name, nullif(ca.full_name, ''), "
                "ca.email), coalesce(ac.first_name || ' ' || ac.last_name, nullif(aa.full_name, ''), aa.email) "
                f"FROM (SELECT id FROM ticket{where} ORDER BY {inner} {direction}, {tie} {direction} "
                "LIMIT ? OFFSET ?) AS page JOIN ticket t ON t.id = page.id "
                "LEFT JOIN company co ON co.id = t.company_id "
                "LEFT JOIN account ca ON ca.id = t.created_by_id LEFT JOIN contact cc ON cc.id = ca.contact_id "
                "LEFT JOIN account aa ON aa.id = t.assignee_id LEFT JOIN contact ac ON ac.id = aa.contact_id "
                f"ORDER BY t.{column} {shown}, t.id {shown}", [*params, limit, offset])

    def page_rows(self, f: Any, total: int, conditions: list[Any], tests: list[tuple[str, list[Any]]], *,
                  by_index: bool = True, probe: str = "") -> list[tuple]:
        """The page's rows; a sort by a person's or company's name as the service: the people or
        companies in name order with their tickets (walked or counted at once), the page read group
        by group, from the nearer end."""
        _, limit, _, _ = self.window(f, total)
        if limit <= 0:
            return []
        key = f.sort.lstrip("-")
        if key not in NAMED_SORT:
            return self.db.execute(*self.page_statement(f, total, *self.where(conditions, *tests),
                                                        by_index=by_index)).fetchall()
        column = NAMED_SORT[key]
        descending = f.sort.startswith("-")
        page = min(f.page, max(1, -(-total // f.page_size)))
        offset = (page - 1) * f.page_size
        wanted = min(f.page_size, total - offset)
        from_end = total - offset - wanted < offset
        if from_end:
            descending, offset = not descending, total - offset - wanted
        groups, exact, tests = self.named_groups(column, conditions, tests, descending, offset + wanted, total, probe)
        rows: list[tuple] = []
        for group, n in groups:
            if len(rows) >= wanted:
                break
            if offset >= n:
                offset -= n
                continue
            take = min(wanted - len(rows), n - offset)
            window = self.slice(n, offset, take, descending) if exact else (offset, take, descending, False)
            rows += self.db.execute(*self.slice_statement(
                "id", window, *self.where([*conditions, (column, (group,))], *tests), by_index=by_index)).fetchall()
            offset = 0
        return rows[::-1] if from_end else rows

    def named_groups(self, column: str, conditions: list[Any], tests: list[Any], descending: bool, needed: int,
                     total: int, probe: str) -> tuple[list[tuple[Any, int]], bool, list[Any]]:
        """As the service: a long list (or a long search, looking tickets up) walks everyone in name
        order, counting no further than needed; else a GROUP BY."""
        from portal_app.services.tickets import ticket_list as service

        if probe or (total > service.NAME_WALK_FROM and not tests):
            walk_tests = [(PROBE_SQL, [probe])] if probe else []
            walked, covered = [], 0
            for batch in self.in_name_order(column, descending):
                parts, params = [], []
                for group in batch:
                    where, values = self.where([*conditions, (column, (group,))], *walk_tests)
                    parts.append(f"(SELECT count(*) FROM (SELECT 1 FROM ticket{where} LIMIT ?))")
                    params += [*values, needed - covered]
                for group, n in zip(batch, self.db.execute("SELECT " + ", ".join(parts), params).fetchone()):
                    if n:
                        walked.append((group, n))
                        covered += n
                    if covered >= needed:
                        return walked, False, walk_tests
        where, params = self.where(conditions, *tests)
        name = f"(SELECT key FROM ({self.NAME_SOURCE[column]}) WHERE id = ticket.{column})"
        groups = self.db.execute(f"SELECT {column}, count(*), {name} FROM ticket{where} GROUP BY {column}",
                                 params).fetchall()
        ordered = sorted(groups, key=lambda g: (g[0] is not None, g[2] or "", g[0] or 0), reverse=descending)
        return [(group, n) for group, n, _ in ordered], True, tests

    def in_name_order(self, column: str, descending: bool) -> Any:
        """As the service: batches in SQL order of the lower-cased name, read NAME_WALK_READ at a time
        as the walk goes."""
        from portal_app.services.tickets import ticket_list as service

        direction = "DESC" if descending else "ASC"
        unassigned = [None] if column == "assignee_id" else []
        batch: list[Any] = [] if descending else list(unassigned)
        for offset in range(0, service.NAME_WALK_MAX, service.NAME_WALK_READ):
            limit = min(service.NAME_WALK_READ, service.NAME_WALK_MAX - offset)
            ids = [row[0] for row in self.db.execute(
                f"SELECT id FROM ({self.NAME_SOURCE[column]}) ORDER BY key {direction}, id {direction} "
                "LIMIT ? OFFSET ?",
                [limit, offset])]
            for group in ids:
                batch.append(group)
                if len(batch) == service.NAME_WALK_BATCH:
                    yield batch
                    batch = []
            if len(ids) < limit:
                break
        batch += unassigned if descending else []
        while batch:
            yield batch[:service.NAME_WALK_BATCH]
            batch = batch[service.NAME_WALK_BATCH:]

    # (id, key) of every company or account: the lower-cased name shown
    NAME_SOURCE = {
        "company_id": "SELECT id, lower(name) AS key FROM company",
        "created_by_id": "SELECT a.id AS id, lower(CASE WHEN coalesce(c.first_name, '') <> '' THEN "
                         "c.first_name || ' ' || c.last_name ELSE coalesce(nullif(a.full_name, ''), a.email) END) "
                         "AS key FROM account a LEFT JOIN contact c ON c.id = a.contact_id",
    }
    NAME_SOURCE["assignee_id"] = NAME_SOURCE["created_by_id"]

    def search_statements(self, actor: Any, f: Any, words: list[Any]) -> tuple[tuple[str, list[Any]], Any]:
        """The search's counts statement, and a function of its counts giving the page statement:
        as the service, the counts from the index's tags, then the cheapest of its three ways."""
        from portal_app.services.tickets import ticket_search as ts
        from portal_app.services.tickets import ticket_list as service

        conditions = self.conditions(actor, f, with_status=False)
        others = [s for s in ("new", "in_progress", "waiting_customer", "waiting_support", "resolved", "closed")
                  if s != self.BULK]
        per_status = [ts.expression(words, [*conditions, ("status", (s,))]) for s in others]
        count = "(SELECT count(*) FROM ticket_fts WHERE ticket_fts MATCH ?)"
        counts_sql = (("SELECT " + count, [ts.expression(words, conditions)]),
                      ("SELECT " + ", ".join(count for _ in per_status), per_status))
        if f.statuses:
            conditions = [*conditions, ("status", f.statuses)]
        match = ts.expression(words, conditions)

        def page(total: int) -> tuple[list[Any], list[tuple[str, list[Any]]], bool, str]:
            """The page's selection: conditions, search test, whether the sort index is walked, and
            the words a sort by name may look up ticket by ticket."""
            collect = ("id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?)", [match])
            if total <= service.SMALL_SEARCH:
                return [], [collect], False, ""
            offset, limit, _, _ = self.window(f, total)
            prefix = any(t.prefix for t in words)
            if f.sort.lstrip("-") in NAMED_SORT:
                return conditions, [collect], True, "" if prefix else ts.text_expression(words)

            def pays(size: int) -> bool:
                return (offset + limit) * size / total * service.PROBE_COST <= total * service.COLLECT_COST

            def scope_size() -> int:  # counted only when every ticket there is leaves it in doubt
                if conditions:
                    return self.db.execute("SELECT count(*) FROM ticket_fts WHERE ticket_fts MATCH ?",
                                           [ts.tag_expression(conditions)]).fetchone()[0]
                return self.db.execute("SELECT count(*) FROM ticket").fetchone()[0]

            everything = self.db.execute("SELECT coalesce(sum(n), 0) FROM ticket_tally").fetchone()[0]
            if not prefix and (pays(everything) or pays(scope_size())):
                test = (PROBE_SQL, [ts.text_expression(words)])
            else:
                test = collect
            return conditions, [test], True, ""

        return counts_sql, page

    def expand(self, words: list[Any]) -> list[Any]:
        """A prefix that begins a few of the index's words becomes those words (as the service)."""
        from portal_app.services.tickets import ticket_search as ts

        out = []
        for t in words:
            if not t.prefix or not t.word.isascii() or ts.may_begin_a_tag(t.word):
                out.append(t)
                continue
            found = [row[0] for row in self.db.execute(
                "SELECT term FROM ticket_fts_words WHERE term >= ? AND term < ? AND doc > 0 LIMIT ?",
                (t.word, t.word[:-1] + chr(ord(t.word[-1]) + 1), ts.MAX_EXPANSION + 1))]
            out.append(t if len(found) > ts.MAX_EXPANSION else ts.Term(t.word, words=tuple(found)))
        return out

    def run(self, actor: Any, f: Any) -> tuple[int, list[tuple], dict[str, int]]:
        from portal_app.services.tickets.ticket_search import terms
        from portal_app.services.tickets.ticket_tally import tally_conditions

        words = self.expand(terms(f.q))
        counts: dict[str, int] = {}
        if any(t.words == () for t in words):
            return 0, [], {}
        if words:
            (everything_sql, per_status_sql), page_of = self.search_statements(actor, f, words)
            beside = self.worker.submit(lambda: self.side.execute(*per_status_sql).fetchone())
            everything = self.db.execute(*everything_sql).fetchone()[0]
            per_status = self.db.execute(*per_status_sql).fetchone() if beside.cancel() else beside.result()
            others = [s for s in ("new", "in_progress", "waiting_customer", "waiting_support", "resolved")]
            counts = {s: n for s, n in zip(others, per_status) if n}
        else:
            everything = None
            counts = {status: n for status, n in self.db.execute(*self.counts_statement(actor, f)) if n}
        if everything is not None and everything - sum(counts.values()) > 0:
            counts[self.BULK] = everything - sum(counts.values())
        counts = dict(sorted(counts.items()))
        total = sum(n for s, n in counts.items() if not f.statuses or s in f.statuses)
        if words:
            conditions, tests, by_index, probe = page_of(total)
        else:
            conditions, tests, by_index, probe = self.conditions(actor, f), [], True, ""
            if conditions and tally_conditions(conditions) is not None and self.walks_sort_index(f, total):
                conditions = [(f"+{column}", values) for column, values in conditions]
        return total, self.page_rows(f, total, conditions, tests, by_index=by_index, probe=probe), counts

    def explain(self, actor: Any, f: Any) -> list[str]:
        from portal_app.services.tickets.ticket_search import terms

        total = self.run(actor, f)[0]
        words = self.expand(terms(f.q))
        if words:
            counts_sql, page_of = self.search_statements(actor, f, words)
            conditions, tests, by_index, _ = page_of(total)
            statements = (("count", counts_sql[0]), ("counts per status (beside)", counts_sql[1]),
                          ("page", self.page_statement(f, total, *self.where(conditions, *tests), by_index=by_index)))
        else:
            statements = (("counts", self.counts_statement(actor, f)),
                          ("page", self.page_statement(f, total, *self.where(self.conditions(actor, f)))))
        lines = []
        for name, (sql, values) in statements:
            lines.append(f"  [{name}] {sql}")
            lines += [f"      {row[3]}" for row in self.db.execute(f"EXPLAIN QUERY PLAN {sql}", values)]
        return lines


# --- timing ----------------------------------------------------------------------------------------

def pct(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (p95 of 30 runs is the 29th fastest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Result:
    case: Case
    total: int
    service: list[float]
    floor: list[float]

    @property
    def ratio(self) -> float:
        return pct(self.service, 0.95) / max(pct(self.floor, 0.95), 1e-9)

    @property
    def ok(self) -> bool:
        return pct(self.service, 0.95) < TARGET_P95_MS and self.ratio <= TARGET_RATIO


def staff_on(data_dir: Path) -> tuple[Any, Any]:
    """The portal's engine on the benchmark's database in `data_dir` and the staff viewer's actor:
    the set-up of the smaller benchmarks (ticket_walk_cost.py, ticket_search_side.py)."""
    db = data_dir / "portal.db"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    from sqlmodel import Session, select

    from portal_app.db import get_engine
    from portal_app.models import Account
    from portal_app.services.actor import build_actor

    engine = get_engine()
    with Session(engine) as session:
        staff = pick_actors(db)["staff"][0]
        return engine, build_actor(session, session.exec(select(Account).where(Account.id == staff)).one())


def pick_actors(db_path: Path) -> dict[str, tuple[int, str]]:
    """Account ids of the three viewers, chosen the same way on every run."""
    db = sqlite3.connect(db_path)
    try:
        admin = db.execute("SELECT a.id FROM account a JOIN contact c ON c.id = a.contact_id "
                           "WHERE c.company_id = 1 AND c.portal_admin = 1 ORDER BY a.id LIMIT 1").fetchone()[0]
        sizes = db.execute("SELECT company_id, count(*) FROM ticket WHERE company_id <> 1 "
                           "GROUP BY company_id ORDER BY 2, 1").fetchall()
        small_company = sizes[len(sizes) // 4][0] if sizes else 1  # a smaller than median company
        contact = db.execute(
            "SELECT a.id FROM account a JOIN contact c ON c.id = a.contact_id LEFT JOIN ticket t "
            "ON t.created_by_id = a.id WHERE c.company_id = ? AND c.portal_admin = 0 GROUP BY a.id "
            "ORDER BY count(t.id) DESC, a.id LIMIT 1", (small_company,)).fetchone()[0]
        staff = db.execute("SELECT id FROM account WHERE kind = 'STAFF' ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        db.close()
    return {"admin": (admin, "big company's admin"), "contact": (contact, "small company's contact"),
            "staff": (staff, "staff")}


def run_cases(cases: list[Case], args: argparse.Namespace, db_path: Path) -> tuple[list[Result], dict[str, str]]:
    from sqlmodel import Session, select

    from portal_app.db import get_engine
    from portal_app.models import Account
    from portal_app.services.actor import build_actor
    from portal_app.services.tickets.ticket_list import parse_filters, query_tickets

    engine = get_engine()
    floor = Floor(db_path)
    ids = pick_actors(db_path)
    actors = {}
    descriptions = {}
    with Session(engine) as session:
        for key, (account_id, what) in ids.items():
            actor = build_actor(session, session.exec(select(Account).where(Account.id == account_id)).one())
            assert actor is not None and (actor.is_staff or actor.can("tickets")), key
            actors[key] = actor
            visible = query_tickets(session=session, actor=actor, filters=parse_filters({})).total
            descriptions[key] = f"{what}: account {account_id}, sees {visible:,} tickets"
    statements: list[str] = []
    if args.explain:
        from sqlalchemy import event

        @event.listens_for(engine, "before_cursor_execute")
        def _record(_conn, _cursor, statement, parameters, _context, _many):  # noqa: ANN001
            statements.append((statement, parameters))

    results = []
    for n, case in enumerate(cases, start=1):
        actor = actors[case.actor]
        query = dict(case.query)
        if query.get("page") == "last":
            query["page"] = str(10**5)  # the service clamps it to the last page, as the pager's "last" link does
        filters = parse_filters(query)

        def service() -> Any:
            with Session(engine) as session:
                return query_tickets(session=session, actor=actor, filters=filters)

        statements.clear()
        page = service()  # warm-up, and the answer to check the floor against
        total, rows, counts = floor.run(actor, filters)
        if (page.total, [r.number for r in page.rows], page.status_counts) != (total, [r[0] for r in rows], counts):
            raise SystemExit(f"floor and service disagree on {case.actor} {case.label}")
        if args.explain:
            print(f"\n### {case.actor} {case.label}  (total {total:,})")
            print("service statements:")
            for sql, params in list(statements):
                print("  " + " ".join(sql.split()), params)
                with engine.connect() as conn:
                    for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params):
                        print(f"      {row[3]}")
            print("floor:")
            print("\n".join(floor.explain(actor, filters)))
        for _ in range(args.warmup):
            service()
            floor.run(actor, filters)
        s_times, f_times = [], []
        for _ in range(args.repeat):  # interleaved, so drift hits both sides alike
            with Session(engine) as session:
                session.connection()  # open before the clock starts, as the floor's connection is
                t0 = time.perf_counter()
                query_tickets(session=session, actor=actor, filters=filters)
                t1 = time.perf_counter()
            t2 = time.perf_counter()
            floor.run(actor, filters)
            t3 = time.perf_counter()
            s_times.append((t1 - t0) * 1000)
            f_times.append((t3 - t2) * 1000)
        result = Result(case, total, s_times, f_times)
        results.append(result)
        print(f"[{n:3}/{len(cases)}] {case.actor:7} {case.label:40} total {total:>9,}  service p50 "
              f"{pct(s_times, .5):7.2f} p95 {pct(s_times, .95):7.2f}  floor p50 {pct(f_times, .5):7.2f} "
              f"p95 {pct(f_times, .95):7.2f}  x{result.ratio:5.2f} {'ok' if result.ok else 'MISS'}", flush=True)
    return results, descriptions


# --- report ----------------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        mem = ""
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}"


def table(results: list[Result]) -> str:
    lines = []
    section = None
    head = ("| viewer | query | matching | service p50 | service p95 | floor p50 | floor p95 | ratio p95 | target |\n"
            "|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        if r.case.section != section:
            section = r.case.section
            lines += ["", f"**{section}**", "", head]
        lines.append(
            f"| {r.case.actor} | `{r.case.label}` | {r.total:,} | {pct(r.service, .5):.2f} | "
            f"{pct(r.service, .95):.2f} | {pct(r.floor, .5):.2f} | {pct(r.floor, .95):.2f} | "
            f"{r.ratio:.1f}x | {'ok' if r.ok else '**MISS**'} |")
    return "\n".join(lines).strip()


def report(results: list[Result], descriptions: dict[str, str], meta: dict[str, Any], built_now: bool,
           args: argparse.Namespace, db_path: Path) -> str:
    import sqlalchemy

    misses = [r for r in results if not r.ok]
    size = sum(Path(f"{db_path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db_path}{s}").exists())
    command = shlex.join([os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT))
                          else "python", os.path.relpath(Path(__file__).resolve(), ROOT), *sys.argv[1:]])
    build_line = (f"built in {meta['build_seconds']} s ({', '.join(f'{k} {v} s' for k, v in meta['phases'].items())})"
                  f"{' by this run' if built_now else ', reused from ' + meta['built_at']}")
    out = [
        MARK_START,
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}` (`make bench` runs it with the defaults)",
        f"- Machine: {machine()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}"
        f"; load average when the cases started: {LOAD_AT_START}",
        f"- Data: {meta['tickets']:,} tickets over {meta['companies']:,} companies (company 1 has "
        f"{min(meta['big_company'], meta['tickets']):,}), seed {meta['seed']}; database {size / 2**20:,.0f} MB; "
        f"{build_line}",
        "- Viewers: " + "; ".join(descriptions.values()),
        f"- Each case: {args.warmup} warm-up run(s), then {args.repeat} runs, service and floor interleaved; "
        "times in ms per whole `query_tickets` call (search, counts per status and total, the page with "
        "its names), on a session whose connection is open before the clock starts, as the floor's is; "
        "p95 is the nearest-rank 95th percentile. "
        f"`page=last` asks for page {10**5:,}, which the service clamps to the last page.",
        f"- Target: p95 < {TARGET_P95_MS:.0f} ms and service p95 <= {TARGET_RATIO:.0f}x floor p95. "
        f"Met by {len(results) - len(misses)} of {len(results)} cases"
        + (f"; missed (marked **MISS** below) by {', '.join(f'{m.case.actor} `{m.case.label}`' for m in misses[:12])}"
           + (f" and {len(misses) - 12} more" if len(misses) > 12 else "") + "." if misses else "."),
        "",
        table(results),
        MARK_END,
    ]
    return "\n".join(out)


def write_doc(doc: Path, block: str) -> None:
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    if MARK_START in text and MARK_END in text:
        before, rest = text.split(MARK_START, 1)
        after = rest.split(MARK_END, 1)[1]
        text = before + block + after
    elif re.search(r"^## Tickets list\s*$", text, flags=re.M):
        match = re.search(r"^## Tickets list\s*$", text, flags=re.M)
        nxt = re.search(r"^## ", text[match.end():], flags=re.M)
        cut = match.end() + (nxt.start() if nxt else len(text) - match.end())
        text = text[:match.end()] + "\n\n" + block + "\n\n" + text[cut:].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n## Tickets list\n\n" + block + "\n"
    doc.write_text(text if text.endswith("\n") else text + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench-data",
                        help="where the database is built and kept (default ./bench-data, git-ignored)")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--big-company", type=int, default=100_000, help="tickets of company 1")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case (after the warm-up)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261101)
    parser.add_argument("--rebuild", action="store_true", help="build the database even when one matches")
    parser.add_argument("--only", default="", help="regex: run only cases whose 'viewer query' matches")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN QUERY PLAN of every statement")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-doc", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    if args.companies < 2 or args.tickets < 1 or args.repeat < 1:
        parser.error("need at least 2 companies, 1 ticket and 1 repeat")
    data_dir = args.data_dir.resolve()
    os.environ["PORTAL_DATA_DIR"] = str(data_dir)  # before portal_app reads its settings
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))

    meta, built_now = ensure_database(data_dir, args)
    global LOAD_AT_START  # noqa: PLW0603 - reported with the table
    LOAD_AT_START = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    cases = [c for c in all_cases() if re.search(args.only, f"{c.actor} {c.label}")]
    results, descriptions = run_cases(cases, args, data_dir / "portal.db")
    block = report(results, descriptions, meta, built_now, args, data_dir / "portal.db")
    print("\n" + block)
    if not args.no_doc and not args.only:
        args.doc.parent.mkdir(parents=True, exist_ok=True)
        write_doc(args.doc, block)
        print(f"\nwritten to {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
