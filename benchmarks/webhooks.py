"""Stripe webhook benchmark (issue 12): signed `payment_intent.succeeded` deliveries against the running app.

    # serve the app elsewhere on its own database, with an endpoint secret (make run migrates and
    # seeds an empty PORTAL_DATA_DIR; the succeeded path never calls Stripe, any sk_test_ key does):
    # PORTAL_DATA_DIR=/tmp/wh-data PORT=3900 STRIPE_WEBHOOK_SECRET=whsec_bench... \
    #   STRIPE_SECRET_KEY=sk_test_x STRIPE_PUBLISHABLE_KEY=pk_test_x make run
    # once per run: a batch of 300 issued invoices in the served database (the staff services)
    .venv/bin/python benchmarks/webhooks.py --prepare --data-dir /tmp/wh-data
    STRIPE_WEBHOOK_SECRET=whsec_bench... .venv/bin/python benchmarks/webhooks.py \
        --url http://localhost:3900 --data-dir /tmp/wh-data --json /tmp/wh.json
    # the database proof of the newest batch again, later
    .venv/bin/python benchmarks/webhooks.py --data-dir /tmp/wh-data --verify

PostgreSQL: `--database-url postgresql+psycopg://...` (the served app's DATABASE_URL) instead of
`--data-dir`.

The plan (seeded, and a function of the batch alone, so `--verify` can rebuild it): the newest
untouched batch's 300 invoices are paid in full by 700 distinct PaymentIntents -- one to six per
invoice, amounts that sum exactly to the open balance -- each reported by its own
`payment_intent.succeeded` event; 300 of those events are delivered a second time (the same event
id and body, signed again at sending, as Stripe retries), and the 1,000 deliveries are shuffled.
The events carry what Stripe's do (`evt_...`, `type`, `created`, `data.object` = the PaymentIntent
with `amount`, `amount_received`, `currency`, `status`, `metadata.invoice` and `metadata.company`;
no PaymentAttempt exists, so the invoice is found through the metadata, as for a payment made
outside "Pay now"). The `Stripe-Signature` header is Stripe's: `t=<unix time>,v1=<HMAC-SHA256 of
"<t>.<body>" with the endpoint secret>`.

20 sender threads (`--senders`), each with its own keep-alive connection (http.client), take the
next delivery from the shuffled list as soon as their previous one is answered (closed loop: the
rate is what the server sustains with 20 in flight). Before the clock starts, every connection sends
one delivery with a wrong signature (it must answer 400 and store nothing). A delivery's latency is
from its request being written to its answer read; deliveries/s is 1,000 over the time from the
first send to the last answer.

Then the proof, from the database: every invoice of the batch paid in full (balance 0, paid =
total, no credit, not flagged), one payment per PaymentIntent sent and no other, each for the
amount sent, the payments per invoice as planned, no PaymentIntent recorded twice, one stored event
per distinct event id (outcome "recorded"), none for the bad signatures; and from the answers:
every delivery 200, "recorded" exactly once per distinct event, "duplicate" for every repeat. Exit
status 1 when any of it fails.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import platform
import random
import shlex
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BATCH_NOTE = "Webhook benchmark batch "
PATH = "/api/stripe/webhook"
MAX_PARTS = 6


# --- helpers -----------------------------------------------------------------------------------------

def pct(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def machine() -> str:
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "?"
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}"


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header as Stripe makes it: t=<time>,v1=HMAC-SHA256(secret, "<t>." + body)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def use_database(data_dir: str, database_url: str) -> None:
    """Point portal_app's settings at the served database (before portal_app is imported)."""
    if data_dir:
        os.environ["PORTAL_DATA_DIR"] = str(Path(data_dir).resolve())
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))


def engine() -> Any:
    from portal_app.db import get_engine

    return get_engine()


# --- the invoices ------------------------------------------------------------------------------------

def prepare(args: argparse.Namespace) -> int:
    """A new batch of `--invoices` issued invoices (drafted and issued by a staff account through
    the services, as `seed_invoices` does), spread over the active companies, 1-3 lines each."""
    use_database(args.data_dir, args.database_url)
    from sqlmodel import Session, col, select

    from portal_app.models import Account, AccountKind, Company
    from portal_app.services.actor import build_actor
    from portal_app.services.invoices import admin as invoice_admin

    batch = time.strftime("%Y%m%d%H%M%S", time.gmtime()) + f"{random.randrange(16**4):04x}"
    rng = random.Random(f"{args.seed}-{batch}")
    started = time.perf_counter()
    with Session(engine()) as session:
        staff_account = session.exec(select(Account).where(Account.kind == AccountKind.STAFF, col(Account.enabled))
                                     .order_by(col(Account.id))).first()
        if staff_account is None:
            print("no enabled staff account in the database (seed it first: python -m portal_app.seed)")
            return 2
        staff = build_actor(session, staff_account)
        companies = [c for (c,) in session.execute(select(Company.id).where(col(Company.is_active))
                                                   .order_by(col(Company.id)))]
        if not companies:
            print("no active company in the database")
            return 2
        numbers = []
        for i in range(args.invoices):
            lines = [{"description": f"Benchmark service {i + 1}.{k + 1}", "product_code": f"WB-{k + 1}",
                      "quantity": str(rng.randint(1, 5)), "unit_price": f"{rng.randint(2000, 90000) / 100:.2f}",
                      "vat_rate": rng.choice(("24", "25.5", "0"))} for k in range(rng.randint(1, 3))]
            draft = invoice_admin.create_draft(session=session, actor=staff, company_id=companies[i % len(companies)],
                                               data={"currency": "EUR", "notes": BATCH_NOTE + batch, "lines": lines})
            issued = invoice_admin.issue_invoice(session=session, actor=staff, invoice_id=draft.id)
            numbers.append(issued.number)
    print(f"batch {batch}: {len(numbers)} issued invoices, numbers {min(numbers)}-{max(numbers)}, "
          f"in {time.perf_counter() - started:.1f} s ({where()})")
    return 0


def where() -> str:
    """The database in use, without its password."""
    from sqlalchemy.engine import make_url

    from portal_app.settings import settings

    return make_url(settings.database_url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class Inv:
    id: int
    number: int
    company_id: int
    total: int
    balance: int
    paid: int
    currency: str


def load_batch(batch: str) -> tuple[str, list[Inv], bool]:
    """The batch's invoices (the newest batch when `batch` is empty) and whether it is untouched."""
    from sqlmodel import Session, col, func, select

    from portal_app.models import Invoice, Payment

    with Session(engine()) as session:
        if not batch:
            tags = session.exec(select(Invoice.notes, func.max(Invoice.id)).where(
                col(Invoice.notes).startswith(BATCH_NOTE)).group_by(Invoice.notes)
                .order_by(func.max(Invoice.id).desc())).all()
            if not tags:
                raise SystemExit("no benchmark batch in the database: run with --prepare first")
            batch = tags[0][0][len(BATCH_NOTE):]
        rows = session.exec(select(Invoice).where(Invoice.notes == BATCH_NOTE + batch)
                            .order_by(col(Invoice.number))).all()
        if not rows:
            raise SystemExit(f"no invoice of batch {batch}")
        invs = [Inv(r.id, r.number, r.company_id, r.total_cents,  # type: ignore[arg-type]
                    r.balance_cents, r.paid_cents, r.currency) for r in rows]
        paid_rows = session.exec(select(func.count()).select_from(Payment)
                                 .where(col(Payment.invoice_id).in_([i.id for i in invs]))).one()
    untouched = paid_rows == 0 and all(i.balance == i.total and i.paid == 0 for i in invs)
    return batch, invs, untouched


# --- the plan ----------------------------------------------------------------------------------------

@dataclass
class Intent:
    id: str
    event_id: str
    invoice: Inv
    amount: int
    body: bytes = b""


@dataclass
class Plan:
    intents: list[Intent]
    deliveries: list[int]  # indexes into intents, shuffled; repeats are the duplicates
    parts: dict[int, int]  # invoice number -> PaymentIntents paying it


def split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`parts` positive amounts summing to `total` (cuts at random cents)."""
    parts = max(1, min(parts, total))
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    edges = [0, *cuts, total]
    return [b - a for a, b in zip(edges, edges[1:])]


def event_body(intent: Intent, batch: str, created: int) -> bytes:
    """A `payment_intent.succeeded` event as Stripe sends it (the fields a webhook handler sees)."""
    inv = intent.invoice
    tag = intent.id.removeprefix("pi_")
    pi = {
        "id": intent.id, "object": "payment_intent", "amount": intent.amount, "amount_capturable": 0,
        "amount_details": {"tip": {}}, "amount_received": intent.amount, "application": None,
        "application_fee_amount": None, "automatic_payment_methods": None, "canceled_at": None,
        "cancellation_reason": None, "capture_method": "automatic", "client_secret": f"{intent.id}_secret_{tag[-12:]}",
        "confirmation_method": "automatic", "created": created - 30, "currency": inv.currency.lower(),
        "customer": None, "description": None, "last_payment_error": None, "latest_charge": f"ch_{tag}",
        "livemode": False,
        "metadata": {"invoice": str(inv.number), "company": str(inv.company_id), "benchmark_batch": batch},
        "next_action": None, "on_behalf_of": None, "payment_method": f"pm_{tag}",
        "payment_method_options": {"card": {"installments": None, "mandate_options": None, "network": None,
                                            "request_three_d_secure": "automatic"}},
        "payment_method_types": ["card"], "processing": None, "receipt_email": None, "review": None,
        "setup_future_usage": None, "shipping": None, "source": None, "statement_descriptor": None,
        "statement_descriptor_suffix": None, "status": "succeeded", "transfer_data": None, "transfer_group": None,
    }
    event = {"id": intent.event_id, "object": "event", "api_version": "2024-06-20", "created": created,
             "data": {"object": pi}, "livemode": False, "pending_webhooks": 1,
             "request": {"id": None, "idempotency_key": None}, "type": "payment_intent.succeeded"}
    return json.dumps(event, indent=2).encode()  # Stripe's bodies are pretty-printed


def build_plan(batch: str, invs: list[Inv], deliveries: int, duplicate_share: float, seed: int) -> Plan:
    """Distinct PaymentIntents over the invoices (each 1..MAX_PARTS, amounts summing to the total),
    one event each, then repeats of randomly chosen events, all shuffled. Deterministic per batch."""
    rng = random.Random(f"{seed}-{batch}-plan")
    duplicates = round(deliveries * duplicate_share)
    distinct = deliveries - duplicates
    if distinct < len(invs):
        raise SystemExit(f"{distinct} distinct events cannot pay {len(invs)} invoices")
    counts = [1] * len(invs)
    spare = distinct - len(invs)
    room = [i for i, inv in enumerate(invs) if inv.total >= MAX_PARTS]
    if spare > len(room) * (MAX_PARTS - 1):
        raise SystemExit(f"{distinct} distinct events are more than {MAX_PARTS} per invoice")
    while spare:
        i = rng.choice(room)
        if counts[i] < MAX_PARTS:
            counts[i] += 1
            spare -= 1
    intents: list[Intent] = []
    created = int(time.time())
    for inv, n in zip(invs, counts):
        for amount in split(inv.total, n, rng):
            k = len(intents)
            token = hashlib.sha256(f"{batch}-{k}".encode()).hexdigest()[:14]
            intents.append(Intent(id=f"pi_3WB{batch[-4:]}{token}{k:04d}", event_id=f"evt_3WB{batch[-4:]}{token}{k:04d}",
                                  invoice=inv, amount=amount))
    for it in intents:
        it.body = event_body(it, batch, created)
    order = list(range(len(intents)))
    order += rng.sample(range(len(intents)), duplicates) if duplicates <= len(intents) \
        else rng.choices(range(len(intents)), k=duplicates)
    rng.shuffle(order)
    return Plan(intents=intents, deliveries=order, parts={inv.number: n for inv, n in zip(invs, counts)})


# --- sending -----------------------------------------------------------------------------------------

@dataclass
class Result:
    index: int  # position in the shuffled list
    intent: int
    sent: float = 0.0
    done: float = 0.0
    status: int = 0
    outcome: str = ""
    error: str = ""
    attempts: int = 0


@dataclass
class Sender:
    host: str
    port: int
    timeout: float
    conn: http.client.HTTPConnection | None = None
    reconnects: int = 0
    errors: list[str] = field(default_factory=list)

    def post(self, body: bytes, signature: str) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.reconnects += 1
        self.conn.request("POST", PATH, body=body, headers={
            "Content-Type": "application/json; charset=utf-8", "Stripe-Signature": signature,
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)", "Accept": "*/*; q=0.5, application/xml"})
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.getheader("connection", "").lower() == "close":
            self.close()
        return resp.status, data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def send_all(args: argparse.Namespace, plan: Plan, secret: str) -> dict[str, Any]:
    url = urlsplit(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    results = [Result(index=i, intent=k) for i, k in enumerate(plan.deliveries)]
    next_index = iter(range(len(results)))
    take = threading.Lock()
    senders = [Sender(host, port, args.timeout) for _ in range(args.senders)]
    warmup: list[tuple[int, str]] = []
    ready = threading.Barrier(args.senders + 1)
    bad_ids = [f"evt_badsig_{os.getpid()}_{n}" for n in range(args.senders)]

    def work(n: int) -> None:
        sender = senders[n]
        # the warm-up: a wrong signature on the connection the sender keeps (answered 400, nothing stored)
        bad = json.dumps({"id": bad_ids[n], "object": "event", "type": "payment_intent.succeeded",
                          "data": {"object": {"id": f"pi_badsig_{n}", "object": "payment_intent"}}}).encode()
        try:
            status, data = sender.post(bad, sign(bad, secret + "-wrong"))
            warmup.append((status, data.decode(errors="replace")[:80]))
        except Exception as exc:  # noqa: BLE001
            warmup.append((0, repr(exc)))
            sender.close()
        ready.wait()
        while True:
            with take:
                i = next(next_index, None)
            if i is None:
                break
            r = results[i]
            body = plan.intents[r.intent].body
            for attempt in range(1, args.retries + 2):
                r.attempts = attempt
                r.sent = time.perf_counter()
                try:
                    status, data = sender.post(body, sign(body, secret))
                except Exception as exc:  # noqa: BLE001 - a dropped connection: reconnect and resend (as Stripe would)
                    r.done, r.error = time.perf_counter(), f"{type(exc).__name__}: {exc}"
                    sender.errors.append(r.error)
                    sender.close()
                    continue
                r.done, r.status, r.error = time.perf_counter(), status, ""
                try:
                    r.outcome = str(json.loads(data).get("outcome", ""))
                except (ValueError, AttributeError):
                    r.outcome = data.decode(errors="replace")[:60]
                break
        sender.close()

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(args.senders)]
    procs = server_processes(port, args.server_pid)
    for t in threads:
        t.start()
    ready.wait()  # every connection open and warmed up: the clock starts
    start = time.perf_counter()
    own0 = time.process_time()
    cpu0 = cpu_seconds(procs)
    for t in threads:
        t.join()
    end = max((r.done for r in results), default=start)
    cpu1 = cpu_seconds(procs)
    return {"results": results, "start": start, "elapsed": end - start, "warmup": warmup, "bad_ids": bad_ids,
            "reconnects": sum(max(0, s.reconnects - 1) for s in senders),
            "server_cpu_s": None if cpu0 is None or cpu1 is None else cpu1 - cpu0,
            "server_rss_mb": rss_mb(procs), "own_cpu_s": time.process_time() - own0}


# --- the server process ------------------------------------------------------------------------------

def server_processes(port: int, pid: int | None) -> list[Any]:
    """The backend: the process listening on `port` (or `pid`) and its children."""
    try:
        import psutil
    except ImportError:
        return []
    try:
        if pid is None:
            for conn in psutil.net_connections(kind="tcp"):
                if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                    pid = conn.pid
                    break
        if pid is None:
            return []
        proc = psutil.Process(pid)
        return [proc, *proc.children(recursive=True)]
    except Exception:  # noqa: BLE001 - no permission to look: no server figures
        return []


def cpu_seconds(procs: list[Any]) -> float | None:
    if not procs:
        return None
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except Exception:  # noqa: BLE001
            continue
    return total


def rss_mb(procs: list[Any]) -> float | None:
    if not procs:
        return None
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except Exception:  # noqa: BLE001
            continue
    return round(total / 2**20, 1)


def server_log_errors(path: str, offset: int) -> dict[str, Any] | None:
    if not path or not Path(path).exists():
        return None
    with open(path, "rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    lines = text.splitlines()
    bad = [ln for ln in lines if "Traceback" in ln or " ERROR " in ln or ln.startswith("ERROR")
           or "database is locked" in ln]
    return {"tracebacks": sum("Traceback" in ln for ln in lines), "error_lines": len(bad), "examples": bad[:5]}


# --- the proof ---------------------------------------------------------------------------------------

def proof(batch: str, plan: Plan, answers: list[Result] | None, bad_ids: list[str]) -> list[tuple[str, bool, str]]:
    """(check, passed, detail) from the database, and from the answers when given."""
    from sqlmodel import Session, col, func, select

    from portal_app.models import Invoice, InvoiceState, Payment, StripeEvent
    from portal_app.services.invoices.core import status_of

    checks: list[tuple[str, bool, str]] = []
    intents = {it.id: it for it in plan.intents}
    events = {it.event_id: it for it in plan.intents}
    if answers is not None:
        statuses = Counter(r.status for r in answers)
        checks.append(("every delivery answered 200", statuses.get(200, 0) == len(answers),
                       f"{statuses.get(200, 0)} of {len(answers)} ({dict(sorted(statuses.items()))})"))
        recorded = Counter(plan.intents[r.intent].event_id for r in answers if r.outcome == "recorded")
        outcomes = Counter(r.outcome for r in answers)
        twice = [e for e, n in recorded.items() if n > 1]
        checks.append(("answered \"recorded\" once per distinct event, never twice",
                       len(recorded) == len(events) and not twice,
                       f"{sum(recorded.values())} recorded for {len(events)} distinct events; twice: {len(twice)}"))
        repeats = len(answers) - len(events)
        checks.append(("answered \"duplicate\" for every repeat", outcomes.get("duplicate", 0) == repeats,
                       f"{outcomes.get('duplicate', 0)} of {repeats} ({dict(outcomes)})"))
    today = time.gmtime()
    from datetime import date
    today_d = date(today.tm_year, today.tm_mon, today.tm_mday)
    with Session(engine()) as session:
        rows = session.exec(select(Invoice).where(Invoice.notes == BATCH_NOTE + batch)).all()
        by_id = {r.id: r for r in rows}
        unpaid = [r.number for r in rows if not (r.state == InvoiceState.ISSUED and r.balance_cents == 0
                                                  and r.paid_cents == r.total_cents and r.credit_cents == 0
                                                  and not r.needs_review and status_of(r, today_d) == "paid")]
        checks.append(("every invoice of the batch paid in full (balance 0, paid = total, no credit, not flagged)",
                       not unpaid and len(rows) == len(plan.parts),
                       f"{len(rows) - len(unpaid)} of {len(rows)} paid" + (f"; not: {unpaid[:10]}" if unpaid else "")))
        pays = session.exec(select(Payment).where(col(Payment.invoice_id).in_(list(by_id)))).all()
        ids = [p.stripe_payment_intent_id for p in pays]
        extra = [i for i in ids if i not in intents]
        missing = set(intents) - set(ids)
        checks.append(("payments == distinct PaymentIntents sent (no other payment on the batch)",
                       len(pays) == len(intents) and not extra and not missing,
                       f"{len(pays)} payments, {len(intents)} PaymentIntents; "
                       f"missing {len(missing)}, other {len(extra)}"))
        dup = session.exec(select(Payment.stripe_payment_intent_id, func.count()).where(
            col(Payment.stripe_payment_intent_id).in_(list(intents)))
            .group_by(Payment.stripe_payment_intent_id).having(func.count() > 1)).all()
        checks.append(("no PaymentIntent recorded twice", not dup and len(set(ids)) == len(ids),
                       f"{len(dup)} recorded more than once"))
        wrong = [p.stripe_payment_intent_id for p in pays if p.stripe_payment_intent_id in intents and not (
            p.amount_cents == p.applied_cents == intents[p.stripe_payment_intent_id].amount and p.excess_cents == 0
            and by_id[p.invoice_id].number == intents[p.stripe_payment_intent_id].invoice.number
            and p.method == "stripe" and p.source == "webhook")]
        checks.append(("each payment: the amount sent, applied in full, to its invoice, by the webhook", not wrong,
                       f"{len(pays) - len(wrong)} of {len(pays)}" + (f"; wrong: {wrong[:5]}" if wrong else "")))
        per: dict[int, list[int]] = defaultdict(list)
        for p in pays:
            per[by_id[p.invoice_id].number].append(p.applied_cents)  # type: ignore[index]
        off = [r.number for r in rows if len(per[r.number]) != plan.parts.get(r.number)  # type: ignore[index]
               or sum(per[r.number]) != r.total_cents]  # type: ignore[index]
        checks.append(("per invoice: payments == its PaymentIntents, applied sum == total", not off,
                       f"{len(rows) - len(off)} of {len(rows)}; payments per invoice "
                       f"{dict(sorted(Counter(len(v) for v in per.values()).items()))}"))
        stored = session.exec(select(StripeEvent).where(col(StripeEvent.id).in_(list(events)))).all()
        bad_outcome = [e.id for e in stored if e.outcome != "recorded"
                       or e.payment_intent_id != events[e.id].id]
        checks.append(("stripe events stored == distinct event ids, each \"recorded\" for its PaymentIntent",
                       len(stored) == len(events) and not bad_outcome,
                       f"{len(stored)} stored, {len(events)} distinct ids; other outcome {len(bad_outcome)}"))
        if bad_ids:
            leaked = session.exec(select(func.count()).select_from(StripeEvent)
                                  .where(col(StripeEvent.id).in_(bad_ids))).one()
            checks.append(("wrong signatures stored nothing", leaked == 0, f"{leaked} of {len(bad_ids)} stored"))
    return checks


# --- main ----------------------------------------------------------------------------------------------

def overlapping_repeats(plan: Plan, results: list[Result]) -> int:
    """Events whose deliveries were in flight at the same time (the repeat's insert meets an uncommitted twin)."""
    by_event: dict[int, list[Result]] = defaultdict(list)
    for r in results:
        by_event[r.intent].append(r)
    n = 0
    for group in by_event.values():
        if len(group) > 1:
            group.sort(key=lambda r: r.sent)
            n += any(b.sent < a.done for a, b in zip(group, group[1:]))
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:3000", help="the running portal")
    parser.add_argument("--data-dir", default=os.environ.get("PORTAL_DATA_DIR", str(ROOT / "data")),
                        help="the served app's PORTAL_DATA_DIR (its SQLite database, unless --database-url)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="the served app's DATABASE_URL (PostgreSQL)")
    parser.add_argument("--prepare", action="store_true", help="add a batch of --invoices issued invoices and exit")
    parser.add_argument("--invoices", type=int, default=300, help="--prepare: invoices in the batch")
    parser.add_argument("--batch", default="", help="the batch to pay (default: the newest one)")
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--duplicates", type=float, default=0.30, help="share of the deliveries that are repeats")
    parser.add_argument("--senders", type=int, default=20, help="concurrent senders (keep-alive connections)")
    parser.add_argument("--secret", default=os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
                        help="the endpoint secret the app verifies with (default: $STRIPE_WEBHOOK_SECRET)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds without an answer: a failed delivery")
    parser.add_argument("--retries", type=int, default=2, help="resends of a delivery whose connection failed")
    parser.add_argument("--server-pid", type=int, default=None, help="the backend's pid (default: found by port)")
    parser.add_argument("--server-log", default="", help="the server's output: errors it logs during the run")
    parser.add_argument("--verify", action="store_true",
                        help="only the database proof of --batch (after a run; same --deliveries/--duplicates/--seed)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", default="", help="write the results here as JSON")
    args = parser.parse_args(argv)
    if args.prepare:
        return prepare(args)
    use_database(args.data_dir, args.database_url)
    batch, invs, untouched = load_batch(args.batch)
    if args.verify:
        plan = build_plan(batch, invs, args.deliveries, args.duplicates, args.seed)
        checks = proof(batch, plan, None, [])
        for name, ok, detail in checks:
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
        return 0 if all(ok for _, ok, _ in checks) else 1
    if not args.secret:
        print("no endpoint secret: set STRIPE_WEBHOOK_SECRET (the served app's) or pass --secret")
        return 2
    if not untouched:
        print(f"batch {batch} has payments already: run --prepare for a fresh one (or --verify to check it)")
        return 2
    plan = build_plan(batch, invs, args.deliveries, args.duplicates, args.seed)
    log_offset = Path(args.server_log).stat().st_size if args.server_log and Path(args.server_log).exists() else 0
    print(f"batch {batch} in {where()}: {len(invs)} invoices ({sum(i.total for i in invs) / 100:,.2f} EUR open), "
          f"{len(plan.intents)} PaymentIntents/events, {len(plan.deliveries)} deliveries "
          f"({len(plan.deliveries) - len(plan.intents)} repeats), {args.senders} senders -> {args.url}{PATH}")
    sent = send_all(args, plan, args.secret)
    results: list[Result] = sent["results"]
    lat = [r.done - r.sent for r in results if r.status == 200]
    statuses = Counter(r.status for r in results)
    outcomes = Counter(r.outcome for r in results)
    elapsed = sent["elapsed"]
    checks = proof(batch, plan, results, sent["bad_ids"])
    warm = Counter(s for s, _ in sent["warmup"])
    checks.insert(0, ("warm-up: every wrong signature answered 400", warm.get(400, 0) == args.senders,
                      f"{dict(warm)}"))
    log_errors = server_log_errors(args.server_log, log_offset)
    f = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    res = {
        "command": "python benchmarks/webhooks.py " + " ".join(
            shlex.quote("***" if args.secret and a in (args.secret, f"--secret={args.secret}") else a)
            for a in sys.argv[1:]),
        "database": where(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "machine": machine(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "url": args.url, "batch": batch, "invoices": len(invs), "payment_intents": len(plan.intents),
        "deliveries": len(results), "repeats": len(results) - len(plan.intents), "senders": args.senders,
        "payments_per_invoice": dict(sorted(Counter(plan.parts.values()).items())),
        "repeats_in_flight_with_their_twin": overlapping_repeats(plan, results),
        "elapsed_s": round(elapsed, 3), "deliveries_per_s": round(len(results) / elapsed, 1) if elapsed else None,
        "p50_ms": f(pct(lat, 50)), "p95_ms": f(pct(lat, 95)), "p99_ms": f(pct(lat, 99)),
        "max_ms": f(max(lat) if lat else None),
        "p95_ms_first_deliveries": f(pct([r.done - r.sent for r in results if r.status == 200
                                          and r.outcome == "recorded"], 95)),
        "p95_ms_repeats": f(pct([r.done - r.sent for r in results if r.status == 200
                                 and r.outcome == "duplicate"], 95)),
        "status_counts": {str(k): v for k, v in sorted(statuses.items())}, "outcomes": dict(outcomes),
        "resent_after_connection_error": sum(r.attempts - 1 for r in results),
        "connection_errors": [r.error for r in results if r.error][:5], "reconnects": sent["reconnects"],
        "server_cpu_s": None if sent["server_cpu_s"] is None else round(sent["server_cpu_s"], 2),
        "server_cpu_ms_per_delivery": None if not sent["server_cpu_s"]
        else round(sent["server_cpu_s"] * 1000 / len(results), 2),
        "server_rss_mb": sent["server_rss_mb"], "sender_cpu_s": round(sent["own_cpu_s"], 2),
        "server_log": log_errors,
        "proof": [{"check": c, "ok": ok, "detail": d} for c, ok, d in checks],
        "proof_ok": all(ok for _, ok, _ in checks),
    }
    print(f"\n{res['deliveries']} deliveries ({res['payment_intents']} events + {res['repeats']} repeats, "
          f"{res['repeats_in_flight_with_their_twin']} repeats in flight beside their twin) from {args.senders} "
          f"senders in {res['elapsed_s']} s; {res['when']}; {res['machine']}; load avg {res['load_average_at_end']}")
    print("\n| deliveries/s | p50 ms | p95 ms | p99 ms | max ms | p95 recorded / duplicate ms | status codes | "
          "outcomes | server CPU ms/delivery |")
    print("|---:|---:|---:|---:|---:|---|---|---|---:|")
    print(f"| {res['deliveries_per_s']} | {res['p50_ms']} | {res['p95_ms']} | {res['p99_ms']} | {res['max_ms']} | "
          f"{res['p95_ms_first_deliveries']} / {res['p95_ms_repeats']} | "
          f"{', '.join(f'{k}: {v}' for k, v in res['status_counts'].items())} | "
          f"{', '.join(f'{k}: {v}' for k, v in sorted(outcomes.items()))} | {res['server_cpu_ms_per_delivery']} |")
    print(f"\nserver CPU {res['server_cpu_s']} s, RSS {res['server_rss_mb']} MB; senders' CPU {res['sender_cpu_s']} s; "
          f"resent after a connection error {res['resent_after_connection_error']}; payments per invoice "
          f"{res['payments_per_invoice']}")
    if log_errors is not None:
        print(f"server log during the run: {log_errors['tracebacks']} tracebacks, "
              f"{log_errors['error_lines']} error lines" + "".join(f"\n  {x}" for x in log_errors["examples"]))
    print("\nproof:")
    for name, ok, detail in checks:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
        print(f"\nwritten to {args.json}")
    return 0 if res["proof_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
