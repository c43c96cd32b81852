"""Catalog page benchmark: the product list with search and the company's prices, at 100,000
products and 1,000 price books.

    .venv/bin/python benchmarks/catalog.py                 # builds once, times, writes docs/benchmarks.md
    .venv/bin/python benchmarks/catalog.py --repeat 10 --only 'book ' --no-doc
    .venv/bin/python benchmarks/catalog.py --explain --only 'q=printer' --no-doc

Builds (once, seeded, kept in `--data-dir` while its size and seed match) a SQLite database with the
schema of the Alembic migrations: `--products` products in 40 categories (1 % archived, 5 % quote
only), `--books` price books over as many companies (one book each, log-normal sizes; company 1's
book holds `--big-book` products), and `--books` more companies without a book. Then it times
`portal_app.services.catalog.products.list_products` -- the catalog page's whole call: the viewer's
price book on the day, the count of matches and one page of 25 with each product's category and
price -- for five viewers: a contact of company 1 (big book), of a company with a small book (most
products "price on request"), of a company without a book (list prices), staff, and company 1's
contact reading Finnish (half of the products have a Finnish name: sorted and searched by it). Beside each
case the "floor": the same three statements written by hand for the plain `sqlite3` module, rows
as tuples, so the ratio is what SQLAlchemy/SQLModel and the service add.

Target: p95 under 50 ms and within 3x of the floor's p95 (as the ticket list's).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shlex
import sqlite3
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tickets import TARGET_P95_MS, TARGET_RATIO, machine, pct  # the same target, percentiles and machine line
from tickets import Result as TicketResult

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 12, 1)  # the day prices are asked for: fixed, so runs compare
MARK_START = "<!-- catalog-bench:start (written by benchmarks/catalog.py; edits inside are replaced) -->"
MARK_END = "<!-- catalog-bench:end -->"
META_FILE = "bench.json"
BUILD_VERSION = 4  # 2: Finnish names for half of the products; 3: their (empty) units; 4: names' lower-case keys
PAGE = 25

ADJECTIVES = ["Compact", "Industrial", "Wireless", "Heavy-duty", "Portable", "Smart", "Silent", "Rugged", "Premium",
              "Basic", "Digital", "Modular", "Ergonomic", "Outdoor", "Professional", "Mini", "Dual", "Eco",
              "Rapid", "Secure", "Flexible", "Thermal", "Optical", "Solar", "Hybrid"]
NOUNS = ["printer", "scanner", "monitor", "laptop", "docking station", "keyboard", "mouse", "headset", "router",
         "switch", "access point", "cable", "adapter", "charger", "battery", "camera", "projector", "speaker",
         "server", "storage unit", "label printer", "barcode reader", "terminal", "tablet", "phone", "desk lamp",
         "shelf", "cabinet", "chair", "desk", "toner cartridge", "paper tray", "power supply", "fan", "sensor"]
SUFFIXES = ["100", "200", "300", "X", "Pro", "Plus", "Max", "Lite", "S", "2", "3", "4K", "HD", "Air", "Go"]
RARE = ["narwhal", "axolotl", "pangolin", "quetzal"]  # code names: about 1 product in 5,000 each
COMMON_WORD, RARE_WORD = "printer", "narwhal"
FI_NOUNS = ["tulostin", "skanneri", "näyttö", "kannettava", "telakka", "näppäimistö", "hiiri", "kuulokkeet",
            "reititin", "kytkin", "tukiasema", "kaapeli", "sovitin", "laturi", "akku", "kamera", "projektori",
            "kaiutin", "palvelin", "tallennusyksikkö", "tarratulostin", "viivakoodinlukija", "pääte", "tabletti",
            "puhelin", "pöytävalaisin", "hylly", "kaappi", "tuoli", "pöytä", "värikasetti", "paperikasetti",
            "virtalähde", "tuuletin", "anturi"]
FI_ADJECTIVES = ["Kompakti", "Teollinen", "Langaton", "Kestävä", "Kannettava", "Älykäs", "Hiljainen", "Järeä",
                 "Laadukas", "Perus", "Digitaalinen", "Modulaarinen", "Ergonominen", "Ulko", "Ammatti", "Mini",
                 "Kaksois", "Eko", "Nopea", "Turvallinen", "Joustava", "Lämpö", "Optinen", "Aurinko", "Hybridi"]
FI_SHARE = 0.5  # of the products with a Finnish name


# --- building ----------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))


def _ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _book_sizes(rng: random.Random, books: int, products: int, big: int) -> list[int]:
    sizes = [big] + [min(products, max(20, int(rng.lognormvariate(6.5, 1.0)))) for _ in range(books - 1)]
    if books > 1:
        sizes[1] = 300  # the small book's company is a viewer
    return sizes


def build(data_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    from sqlmodel import Session, create_engine

    from portal_app.models import (
        Account, AccountKind, Company, Contact, ModuleAccess, PortalProfile, PortalSettings,
    )
    from portal_app.services.portal.modules import MODULE_KEYS

    db_path = data_dir / "portal.db"
    for old in [*data_dir.glob("portal.db*"), data_dir / META_FILE]:
        old.unlink(missing_ok=True)
    started = time.perf_counter()
    migrate = [sys.executable, "-m", "alembic", "upgrade", "head"]  # the schema as the portal's migrations make it
    subprocess.run(migrate, cwd=ROOT, check=True, capture_output=True,
                   env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"PORTAL_DATA_DIR": str(data_dir)})
    migrated = time.perf_counter()
    engine = create_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:  # the few people, through the models
        session.add(PortalSettings(enabled_modules=list(MODULE_KEYS)))
        profile = PortalProfile(name="Shop", module_access={"catalog": ModuleAccess.EDIT})
        session.add(profile)
        session.add_all([Company(name=f"Company {n:05d}") for n in range(1, 2 * args.books + 1)])
        session.flush()
        for company_id in (1, 2, args.books + 1):
            contact = Contact(company_id=company_id, first_name="Buyer", last_name=str(company_id),
                              email=f"buyer{company_id}@example.com", profile_id=profile.id)
            session.add(contact)
            session.flush()
            session.add(Account(email=contact.email, kind=AccountKind.CONTACT, contact_id=contact.id))
        session.add(Account(email="staff@example.com", kind=AccountKind.STAFF, full_name="Staff"))
        session.commit()
    engine.dispose()
    rng = random.Random(args.seed)
    db = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-500000", "temp_store=MEMORY"):
        db.execute(f"PRAGMA {pragma}")
    tables = ("product", "pricebookentry", "companypricebook", "pricebook", "productcategory", "producttext")
    index_sql = [sql for (sql,) in db.execute(
        f"SELECT sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN "
        f"({','.join('?' * len(tables))})", tables)]
    db.execute("BEGIN")
    for (name,) in db.execute(f"SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN "
                              f"({','.join('?' * len(tables))})", tables).fetchall():
        db.execute(f'DROP INDEX "{name}"')  # made once at the end: much faster
    now = _ts(datetime(2026, 11, 1, tzinfo=UTC))
    db.executemany("INSERT INTO productcategory (id, name, position, created_at) VALUES (?,?,?,?)",
                   [(n, f"Category {n:02d}", n, now) for n in range(1, 41)])

    finnish = random.Random(args.seed + 1)  # its own stream: the other columns stay as before
    fi_rows: list[tuple] = []

    def products() -> Any:
        for n in range(1, args.products + 1):
            name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(SUFFIXES)}"
            if rng.random() < 1 / 5000:
                name += f" {rng.choice(RARE)}"
            code = f"P-{n:06d}"
            fi = f"{finnish.choice(FI_ADJECTIVES)} {finnish.choice(FI_NOUNS)} {name.rsplit(' ', 1)[-1]}" \
                if finnish.random() < FI_SHARE else ""
            if fi:
                fi_rows.append((n, "fi", fi, f"{fi}: tekniset tiedot ja toimitus."))
            yield (n, code, name, f"{name}: specifications and delivery.", rng.choice(("pcs", "box", "set", "h")),
                   rng.randint(1, 40), rng.randint(100, 500_000), "EUR", 2550, int(rng.random() >= 0.05),
                   _fold(" ".join(filter(None, (code, name, fi)))), "", "", int(rng.random() < 0.01), now, now)

    db.executemany("INSERT INTO product (id, code, name, description, unit, category_id, list_price_cents, currency, "
                   "vat_rate_bp, orderable, search_text, image_name, image_type, archived, created_at, updated_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", products())
    db.executemany("INSERT INTO producttext (product_id, lang, name, description, unit) VALUES (?,?,?,?,'')",
                   fi_rows)  # (no unit of its own: the product's)
    sizes = _book_sizes(rng, args.books, args.products, min(args.big_book, args.products))
    db.executemany("INSERT INTO pricebook (id, name, currency, valid_from, valid_to, active, created_at, updated_at) "
                   "VALUES (?,?,?,?,?,?,?,?)",
                   [(n, f"Book {n:04d}", "EUR", "2026-01-01", None, 1, now, now) for n in range(1, args.books + 1)])
    db.executemany("INSERT INTO companypricebook (id, company_id, price_book_id, created_at) VALUES (?,?,?,?)",
                   [(n, n, n, now) for n in range(1, args.books + 1)])
    everything = range(1, args.products + 1)

    def entries() -> Any:
        for book, size in enumerate(sizes, start=1):
            for product in rng.sample(everything, size):
                yield book, product, rng.randint(100, 450_000)

    db.executemany("INSERT INTO pricebookentry (price_book_id, product_id, price_cents) VALUES (?,?,?)", entries())
    rows_done = time.perf_counter()
    for sql in index_sql:
        db.execute(sql)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    done = time.perf_counter()
    meta = {"version": BUILD_VERSION, "products": args.products, "books": args.books, "big_book": args.big_book,
            "seed": args.seed, "entries": sum(sizes), "build_seconds": round(done - started, 1),
            "phases": {"migrate": round(migrated - started, 1), "rows": round(rows_done - migrated, 1),
                       "indexes": round(done - rows_done, 1)},
            "built_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    (data_dir / META_FILE).write_text(json.dumps(meta, indent=2))
    return meta


def model_indexes(db_path: Path) -> list[str]:
    """Bring the built database's catalog indexes in line with the models' (made by create_all's
    DDL), so an index change is measured without building again; what was done."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex
    from sqlmodel import SQLModel

    import portal_app.models  # noqa: F401 - registers the tables

    wanted = {index.name: str(CreateIndex(index).compile(dialect=sqlite.dialect()))
              for name in ("product", "pricebookentry", "companypricebook", "pricebook")
              for index in SQLModel.metadata.tables[name].indexes}
    db = sqlite3.connect(db_path)
    changes = []

    def norm(sql: str) -> str:
        return re.sub(r"[\s\"]+", "", sql).lower()

    try:
        have = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND "
                               "tbl_name IN ('product','pricebookentry','companypricebook','pricebook')").fetchall())
        for name, sql in sorted(have.items()):
            if name not in wanted or norm(sql) != norm(wanted[name]):
                db.execute(f'DROP INDEX "{name}"')
                changes.append(f"dropped {name}")
        for name, sql in sorted(wanted.items()):
            if name not in have or norm(have[name]) != norm(sql):
                db.execute(sql)
                changes.append(f"made {name}")
        if changes:
            db.execute("ANALYZE")
            db.commit()
    finally:
        db.close()
    return changes


def _kept(data_dir: Path, args: argparse.Namespace) -> tuple[dict[str, Any] | None, str]:
    """The kept database's metadata if it can be reused, else None and why not."""
    wanted = {"version": BUILD_VERSION, "products": args.products, "books": args.books, "big_book": args.big_book,
              "seed": args.seed}
    if args.rebuild:
        return None, "--rebuild"
    try:
        meta = json.loads((data_dir / META_FILE).read_text())
    except (OSError, ValueError):
        return None, "no database yet"
    if not (data_dir / "portal.db").exists():
        return None, "no database yet"
    return (None, "size or seed differs") if any(meta.get(k) != v for k, v in wanted.items()) else (meta, "")


def ensure_database(data_dir: Path, args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = data_dir / "portal.db"
    meta, reason = _kept(data_dir, args)
    if meta is not None:
        changes = model_indexes(db_path)
        if changes:
            print("indexes brought in line with the models: " + "; ".join(changes), flush=True)
        return meta, False
    print(f"building {args.products:,} products and {args.books:,} price books in {db_path} ({reason}) ...",
          flush=True)
    meta = build(data_dir, args)
    print(f"built in {meta['build_seconds']} s {meta['phases']}", flush=True)
    return meta, True


# --- cases and the floor ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    viewer: str  # "book", "small", "list", "staff", "fi" (company 1's contact reading Finnish)
    query: dict[str, Any]

    @property
    def label(self) -> str:
        return "&".join(f"{k}={v}" for k, v in self.query.items()) or "(default: by name, page 1)"


VIEWERS = ("book", "small", "list", "staff", "fi")
QUERIES: tuple[dict[str, Any], ...] = (
    {},
    {"q": COMMON_WORD},
    {"q": RARE_WORD},
    {"q": "wireless printer"},
    {"q": "p-01234"},
    {"category": 7},
    {"category": 7, "q": COMMON_WORD},
    {"sort": "price"},
    {"sort": "price", "desc": 1},
    {"q": COMMON_WORD, "sort": "price"},
    {"sort": "code", "page": 100},
)


def all_cases() -> list[Case]:
    return [Case(v, q) for v in VIEWERS for q in QUERIES]


def service_kwargs(case: Case) -> dict[str, Any]:
    q = case.query
    return {"search": q.get("q", ""), "category": q.get("category"), "sort": q.get("sort", "name"),
            "descending": bool(q.get("desc")), "offset": (q.get("page", 1) - 1) * PAGE, "limit": PAGE,
            "today": TODAY, "lang": "fi" if case.viewer == "fi" else None}


class Floor:
    """`list_products` by hand: the same statements as literal SQL (`product_page`'s three ways to
    find a page, then the page's rows with categories and prices), rows as tuples."""

    def __init__(self, db_path: Path) -> None:
        self.db = sqlite3.connect(db_path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.log: list[tuple[str, list]] | None = None

    def q(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        if self.log is not None:
            self.log.append((sql, list(params)))
        return self.db.execute(sql, params).fetchall()

    def run(self, company_id: int | None, case: Case) -> tuple[int, list[str]]:
        kw = service_kwargs(case)
        book = None
        if company_id is not None:
            found = self.q("SELECT b.id FROM pricebook b JOIN companypricebook cb ON cb.price_book_id = b.id "
                           "WHERE cb.company_id = ? AND b.active = 1 AND (b.valid_from IS NULL OR b.valid_from <= ?) "
                           "AND (b.valid_to IS NULL OR b.valid_to >= ?) "
                           "ORDER BY b.valid_from DESC NULLS LAST, b.id DESC LIMIT 1",
                           (company_id, TODAY.isoformat(), TODAY.isoformat()))
            book = found[0][0] if found else None
        where, params = ["p.archived = 0"], []
        if kw["category"] is not None:
            where.append("p.category_id = ?")
            params.append(kw["category"])
        words = _fold(kw["search"]).split()
        for word in words:
            where.append("p.search_text LIKE ? ESCAPE '\\'")
            params.append(f"%{word}%")
        clause, way, sort = " AND ".join(where), "DESC" if kw["descending"] else "ASC", kw["sort"]
        limit, offset = kw["limit"], kw["offset"]
        lang = kw["lang"] if kw["lang"] and self.q("SELECT EXISTS (SELECT * FROM producttext WHERE lang = ?)",
                                                   [kw["lang"]])[0][0] else None
        if words:  # the matches once, from the narrow search index, sorted and counted there
            price = ", p.list_price_cents" if sort == "price" and book is None else ""
            name = ("lower(coalesce((SELECT t.name FROM producttext t WHERE t.product_id = p.id AND t.lang = ?), "
                    "p.name)) AS name" if lang and sort == "name" else "lower(p.name) AS name")
            join = ("LEFT JOIN pricebookentry e ON e.product_id = m.id AND e.price_book_id = ?"
                    if sort == "price" and book is not None else "")
            keys = {"name": ["m.name", "m.code"], "code": ["m.code"],
                    "price": ["e.price_cents" if book is not None else "m.list_price_cents", "m.code"]}[sort]
            rows = self.q(f"WITH m AS MATERIALIZED (SELECT p.id, {name}, p.code{price} FROM product p WHERE {clause}) "
                          f"SELECT m.id, count(*) OVER () FROM m {join} "
                          f"ORDER BY {', '.join(f'{k} {way} NULLS LAST' for k in keys)} LIMIT ? OFFSET ?",
                          ([lang] if name != "lower(p.name) AS name" else []) + params + ([book] if join else []) + [limit, offset])
            ids, total = [r[0] for r in rows], rows[0][1] if rows else 0
        else:
            total = self.q(f"SELECT count(*) FROM product p WHERE {clause}", params)[0][0]
            if sort == "price" and book is not None:  # the book's prices in price order, then those on request
                ids = [r[0] for r in self.q(
                    f"SELECT p.id FROM product p JOIN pricebookentry e ON e.product_id = p.id AND e.price_book_id = ? "
                    f"WHERE {clause} ORDER BY e.price_cents {way} NULLS LAST, p.code {way} NULLS LAST "
                    "LIMIT ? OFFSET ?", [book, *params, limit, offset])]
                if len(ids) < limit:
                    priced = self.q(f"SELECT count(*) FROM product p JOIN pricebookentry e ON e.product_id = p.id "
                                    f"AND e.price_book_id = ? WHERE {clause}", [book, *params])[0][0]
                    ids += [r[0] for r in self.q(
                        f"SELECT p.id FROM product p WHERE {clause} AND NOT EXISTS (SELECT 1 FROM pricebookentry e "
                        f"WHERE e.price_book_id = ? AND e.product_id = p.id) ORDER BY p.code {way} NULLS LAST "
                        "LIMIT ? OFFSET ?", [*params, book, limit - len(ids), max(0, offset - priced)])]
            elif sort == "name" and lang:  # the names in Finnish in order merged with the others' in order
                ids = [r[2] for r in self.q(
                    f"SELECT t.name_key AS sort_name, p.code AS code, p.id AS id FROM producttext t "
                    f"JOIN product p ON p.id = t.product_id WHERE t.lang = ? AND {clause} "
                    f"UNION ALL SELECT p.name_key, p.code, p.id FROM product p WHERE {clause} AND NOT EXISTS "
                    "(SELECT 1 FROM producttext t WHERE t.product_id = p.id AND t.lang = ?) "
                    f"ORDER BY sort_name {way}, code {way} LIMIT ? OFFSET ?", [lang, *params, *params, lang, limit, offset])]
            else:
                keys = {"name": ["p.name_key", "p.code"], "code": ["p.code"], "price": ["p.list_price_cents", "p.code"]}[sort]
                ids = [r[0] for r in self.q(
                    f"SELECT p.id FROM product p WHERE {clause} "
                    f"ORDER BY {', '.join(f'{k} {way} NULLS LAST' for k in keys)} LIMIT ? OFFSET ?",
                    [*params, limit, offset])]
        if not ids:
            return total, []
        rows = self.q("SELECT p.id, p.code, p.name, p.unit, p.list_price_cents, p.vat_rate_bp, p.orderable, c.name, "
                      f"{'e.price_cents' if book is not None else 'NULL'} FROM product p "
                      "LEFT JOIN productcategory c ON c.id = p.category_id "
                      + ("LEFT JOIN pricebookentry e ON e.product_id = p.id AND e.price_book_id = ? "
                         if book is not None else "")
                      + f"WHERE p.id IN ({','.join('?' * len(ids))})", ([book] if book is not None else []) + ids)
        if lang:
            self.q(f"SELECT product_id, name, unit FROM producttext WHERE lang = ? AND product_id IN "
                   f"({','.join('?' * len(ids))})", [lang, *ids])
        by_id = {r[0]: r for r in rows}
        return total, [by_id[i][1] for i in ids]

    def explain(self, company_id: int | None, case: Case) -> list[str]:
        self.log = []
        try:
            self.run(company_id, case)
            statements = list(self.log)
        finally:
            self.log = None
        out = []
        for sql, params in statements:
            out.append("  " + sql)
            out += [f"      {r[3]}" for r in self.db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
        return out


# --- timing ----------------------------------------------------------------------------------------

@dataclass
class Result(TicketResult):  # the ticket benchmark's percentiles, ratio and target, for a catalog case
    case: Case  # type: ignore[assignment]


def viewers(db_path: Path, books: int) -> dict[str, tuple[str, int | None]]:
    """viewer -> (login, company id whose prices it sees)."""
    return {"book": ("buyer1@example.com", 1), "small": ("buyer2@example.com", 2),
            "list": (f"buyer{books + 1}@example.com", books + 1), "staff": ("staff@example.com", None),
            "fi": ("buyer1@example.com", 1)}


def _both(engine: Any, service: Any, hand: Any, runs: int) -> tuple[list[float], list[float]]:
    """ms of `runs` calls of each, interleaved (drift hits both alike); the service's session is
    connected before its clock starts, as the floor's connection is."""
    from sqlmodel import Session

    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        with Session(engine) as session:
            session.connection()
            start = time.perf_counter()
            service(session)
            times[0].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        hand()
        times[1].append((time.perf_counter() - start) * 1000)
    return times


def _recorded(engine: Any) -> list[tuple[str, Any]]:
    """The statements `engine` runs from now on, with their parameters (for --explain)."""
    from sqlalchemy import event

    seen: list[tuple[str, Any]] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, params, _ctx, _many: seen.append((sql, params)))
    return seen


def run_cases(cases: list[Case], args: argparse.Namespace, db_path: Path) -> tuple[list[Result], dict[str, str]]:
    from sqlmodel import Session, select

    from portal_app.db import get_engine
    from portal_app.models import Account
    from portal_app.services.actor import build_actor
    from portal_app.services.catalog.products import list_products

    engine = get_engine()
    floor = Floor(db_path)
    who = viewers(db_path, args.books)
    actors, descriptions = {}, {}
    with Session(engine) as session:
        for key, (email, company) in who.items():
            actor = build_actor(session, session.exec(select(Account).where(Account.email == email)).one())
            assert actor is not None and (actor.is_staff or actor.can("catalog")), key
            actors[key] = actor
            page = list_products(session=session, actor=actor, today=TODAY)
            priced = floor.db.execute(
                "SELECT count(*) FROM pricebookentry e JOIN companypricebook cb ON cb.price_book_id = e.price_book_id "
                "WHERE cb.company_id = ?", (company,)).fetchone()[0] if company else 0
            descriptions[key] = (f"{key}: {email}{' reading Finnish' if key == 'fi' else ''}, sees {page.total:,} products, "
                                 + (f"book \"{page.price_book}\" with {priced:,} prices" if page.price_book
                                    else "list prices"))
    statements = _recorded(engine) if args.explain else []
    results = []
    for n, case in enumerate(cases, start=1):
        actor, (_, company) = actors[case.viewer], who[case.viewer]
        kwargs = service_kwargs(case)
        staff = case.viewer == "staff"
        statements.clear()
        with Session(engine) as session:
            page = list_products(session=session, actor=actor, **kwargs)
        total, codes = floor.run(None if staff else company, case)
        if (page.total, [r.code for r in page.rows]) != (total, codes):
            raise SystemExit(f"floor and service disagree on {case.viewer} {case.label}: "
                             f"{page.total} {[r.code for r in page.rows][:5]} / {total} {codes[:5]}")
        if args.explain:
            print(f"\n### {case.viewer} {case.label} (total {total:,})\nservice statements:")
            for sql, params in list(statements):
                print("  " + " ".join(sql.split()), params)
                with engine.connect() as conn:
                    for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params):
                        print(f"      {row[3]}")
            print("floor:\n" + "\n".join(floor.explain(None if staff else company, case)))
        def service(session: Session, actor: Any = actor, kwargs: dict = kwargs) -> None:
            list_products(session=session, actor=actor, **kwargs)

        def hand(case: Case = case, company: int | None = None if staff else company) -> None:
            floor.run(company, case)

        _both(engine, service, hand, args.warmup)
        s_times, f_times = _both(engine, service, hand, args.repeat)
        result = Result(case, total, s_times, f_times)
        results.append(result)
        print(f"[{n:2}/{len(cases)}] {case.viewer:5} {case.label:42} total {total:>7,}  service p50 "
              f"{pct(s_times, .5):7.2f} p95 {pct(s_times, .95):7.2f}  floor p50 {pct(f_times, .5):7.2f} "
              f"p95 {pct(f_times, .95):7.2f}  x{result.ratio:5.2f} {'ok' if result.ok else 'MISS'}", flush=True)
    return results, descriptions


# --- report ----------------------------------------------------------------------------------------

def report(results: list[Result], descriptions: dict[str, str], meta: dict[str, Any], built_now: bool,
           args: argparse.Namespace, db_path: Path, load: str) -> str:
    import sqlalchemy

    misses = [r for r in results if not r.ok]
    size = sum(p.stat().st_size for p in db_path.parent.glob("portal.db*"))
    python = ".venv/bin/python" if Path(sys.executable).is_relative_to(ROOT) else "python"
    command = shlex.join([python, "benchmarks/catalog.py", *sys.argv[1:]])
    phases = ", ".join(f"{k} {v} s" for k, v in meta["phases"].items())
    build_line = f"built in {meta['build_seconds']} s ({phases}) " + (
        "by this run" if built_now else f"on {meta['built_at']}, kept")
    lines = [
        MARK_START,
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        f"- Machine: {machine()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}; "
        f"load average when the cases started: {load}",
        f"- Data: {meta['products']:,} products in 40 categories, {meta['books']:,} price books with "
        f"{meta['entries']:,} prices (company 1's book {meta['big_book']:,}), {2 * meta['books']:,} companies, "
        f"seed {meta['seed']}; database {size / 2**20:,.0f} MB; {build_line}",
        "- Viewers: " + "; ".join(descriptions.values()),
        f"- Each case: {args.warmup} warm-up run(s), then {args.repeat} runs, service and floor interleaved; ms per "
        f"whole `list_products` call (book look-up, count, a page of {PAGE} with categories and prices) on a session "
        "whose connection is open before the clock starts; p95 is the nearest-rank 95th percentile.",
        f"- Target: p95 < {TARGET_P95_MS:.0f} ms and service p95 <= {TARGET_RATIO:.0f}x floor p95. Met by "
        f"{len(results) - len(misses)} of {len(results)} cases"
        + (f"; missed (**MISS**) by {', '.join(f'{m.case.viewer} `{m.case.label}`' for m in misses)}." if misses
           else "."),
        "",
        "| viewer | query | matching | service p50 | service p95 | floor p50 | floor p95 | ratio p95 | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(f"| {r.case.viewer} | `{r.case.label}` | {r.total:,} | {pct(r.service, .5):.2f} | "
                     f"{pct(r.service, .95):.2f} | {pct(r.floor, .5):.2f} | {pct(r.floor, .95):.2f} | "
                     f"{r.ratio:.1f}x | {'ok' if r.ok else '**MISS**'} |")
    lines.append(MARK_END)
    return "\n".join(lines)


def write_doc(doc: Path, block: str) -> None:
    """Replace the block between the markers; the first time, the results go at the end of the
    "Catalog page" section (which must exist)."""
    text = doc.read_text()
    if MARK_START in text and MARK_END in text:
        before, rest = text.split(MARK_START, 1)
        text = before + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n### Latest run\n\n" + block + "\n"
    doc.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench-data" / "catalog")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--books", type=int, default=1000)
    parser.add_argument("--big-book", type=int, default=60_000, help="prices in company 1's book")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--only", default="", help="regex: run only cases whose 'viewer query' matches")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN QUERY PLAN of every statement")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    if args.books < 2 or args.products < 1000 or args.repeat < 1:
        parser.error("need at least 2 books, 1,000 products and 1 repeat")
    data_dir = args.data_dir.resolve()
    os.environ["PORTAL_DATA_DIR"] = str(data_dir)  # before portal_app reads its settings
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    meta, built_now = ensure_database(data_dir, args)
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    cases = [c for c in all_cases() if re.search(args.only, f"{c.viewer} {c.label}")]
    results, descriptions = run_cases(cases, args, data_dir / "portal.db")
    block = report(results, descriptions, meta, built_now, args, data_dir / "portal.db", load)
    print("\n" + block)
    if not args.no_doc and not args.only:
        write_doc(args.doc, block)
        print(f"\nwritten to {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
