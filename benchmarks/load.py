"""Load benchmark of the event path (issue 10): simulated browser tabs speaking Reflex's event protocol.

    # once: a 100,000-ticket database (benchmarks/tickets.py's generator) with sign-in passwords
    .venv/bin/python benchmarks/load.py --prepare --data-dir /tmp/load-data
    # serve the app on that database elsewhere (PORTAL_DATA_DIR=/tmp/load-data, PORT=3900,
    # PORTAL_URL=http://localhost:3900, PORTAL_LOGIN_ADDRESS_LIMIT=1000000: every user signs in from 127.0.0.1)
    .venv/bin/python benchmarks/load.py --url http://localhost:3900 --data-dir /tmp/load-data \
        --mode sequential --scenario staff --duration 30 --json /tmp/seq.json
    .venv/bin/python benchmarks/load.py --url http://localhost:3900 --data-dir /tmp/load-data \
        --mode open --users 200 --duration 60 --scenario staff --json /tmp/open200.json
    # Chromium cold loads, beside a blank app of the same Reflex (`reflex init --template blank` in an
    # empty folder works offline; serve it with `reflex run --env prod --single-port` on another port),
    # with each phase's time (parsed, socket open, hydrate sent, answer, in the document, painted);
    # --blank-text names the blank app's text to wait for (one set by an on_load handler: a blank app
    # that shows a value from its server, docs/benchmarks.md, twenty-sixth round)
    .venv/bin/python benchmarks/load.py --cold --url http://localhost:3900 --blank-url http://localhost:3901 \
        --data-dir /tmp/load-data
    # memory: RSS after 50 tabs, then after each wave of 500 more (opened together, then closed) up to
    # 5,050, and once more after the server has been left idle (fresh server)
    .venv/bin/python benchmarks/load.py --tab-series 50,500,5050 --url http://localhost:3900 --data-dir /tmp/load-data

Pass `--server-log FILE` (the server's output) to count errors it logs: a handler that fails
answers nothing to the client, which otherwise shows only as a timeout. The server's RSS and CPU
are read from the process listening on the URL's port (or `--server-pid`), its state files from
`.states` in that process's working folder. Events/s are over the time from the first step due to
the last answer (or the cut-off, `--duration` + `--grace`).

Every simulated user signs in over HTTP (`POST /api/session`, its own `portal_session` cookie), opens
the event websocket (`/_event`, Socket.IO over Engine.IO 4, spoken directly over an aiohttp
websocket: the same frames python-socketio would send, but with the raw frame sizes at hand and a
fraction of the client CPU, which matters when the clients share the server's cores) with the
hydrate event in the CONNECT packet, as the browser does, then performs steps as the pages do:

- `list`: navigate to the list with a URL query (on_load_internal; `--client-storage`: update_vars_internal
  first, as the browser of a build with an rx.Cookie does)
- `filter`: `toggle_status`, one event whose reply shows the view and names its address (`view_url`;
  builds before that answered `_redirect`, then the navigation above with the new query, still followed)
- `search`: the search form's `search`, the same way
- `page`: `go_to_page`, the same way
- `open`: navigate to one ticket of the list shown (on_load of /tickets/<number>)
- `comment`: `add_comment` on the open ticket (until its `busy` flag is cleared)
- `tick`, `rights` (only with `--only`): the list's or ticket's live timer (every 2-3 s), and the
  shell's timer asking whether the user's rights changed (`follow_rights`, every 5 s on every page;
  unanswered while nothing changed, so only sent: its cost is the server CPU of a run of it alone)

A step's time runs from when it was due to the last frame of its answer (`is_hydrated` back to true
after a navigation; the click's reply; `busy` false after a comment). Open-loop: each user has its own Poisson clock
(`--rate` steps/s); a step due while the user's previous step is unanswered waits for it (one tab
sends one action at a time), but its time still counts from when it was due, so a saturated server
shows up as latency and backlog rather than as fewer requests (no coordinated omission).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shlex
import sqlite3
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Load-test-2026"
ROOT_STATE = "reflex___state____state"
SESSION_STATE = f"{ROOT_STATE}.portal_app___state___session____session_state"
LIST_STATE = f"{SESSION_STATE}.portal_app___state___ticket_list____ticket_list_state"
DETAIL_STATE = (f"{SESSION_STATE}.portal_app___state___ticket_files____staging_state"
                ".portal_app___state___ticket_detail____ticket_detail_state")
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
UPDATE_VARS = f"{ROOT_STATE}.reflex___state____update_vars_internal_state.update_vars_internal"
ON_LOAD = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
LANG_VAR = f"{SESSION_STATE}.lang_choice_rx_state_"
NS = "/_event"
HYDRATED = '"is_hydrated_rx_state_":true'
STEPS = ("hydrate", "list", "filter", "search", "page", "open", "comment", "tick", "rights")
STAFF_MIX = {"list": 25, "filter": 20, "search": 15, "page": 20, "open": 15, "comment": 5}
CUSTOMER_MIX = {"list": 25, "filter": 20, "search": 15, "page": 15, "open": 20, "comment": 5}
STATUS_VALUES = ("new", "in_progress", "waiting_customer", "waiting_support", "resolved", "closed")
SEARCH_WORDS = ("printer", "error", "invoice", "VPN", "narwhal", "login", "backup", "err*", "error narwhal")
# list queries as URLs carry them (the same kinds benchmarks/tickets.py times)
LIST_QUERIES = ({}, {"status": "New"}, {"status": "New,In progress", "priority": "High"},
                {"category": "Bug", "severity": "1,2"}, {"mine": "1"}, {"q": "error"}, {"q": "narwhal"},
                {"sort": "title"}, {"page": "100"}, {"q": "error", "status": "New"})
STAFF_ONLY_QUERIES = ({"company": "1"}, {"assignee": "none", "status": "New"})


# --- helpers -----------------------------------------------------------------------------------------

def own_delta_bytes(frame: str) -> int:
    """Bytes of the list's (or the ticket page's) own state in a reply frame, as the server writes
    it. A frame may carry other states' changes too: since a navigation is one event, its one frame
    also has the session's (`is_hydrated`, the page's ready marker)."""
    try:
        delta = json.loads(frame[frame.index(",") + 1:])[1]["delta"]
    except (ValueError, IndexError, KeyError, TypeError):
        return len(frame)
    own = {state: changes for state, changes in delta.items() if state in (LIST_STATE, DETAIL_STATE)}
    return len(json.dumps({"delta": own}, separators=(",", ":"), ensure_ascii=False)) if own else 0


def pct(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:,.1f}"


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


# --- the database ------------------------------------------------------------------------------------

def prepare(data_dir: Path, tickets: int, big_company: int) -> None:
    """Build (or reuse) benchmarks/tickets.py's database at `data_dir` and give every account the
    benchmark password (bcrypt cost 4: sign-in is not what is measured here)."""
    import bcrypt

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    os.environ["PORTAL_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    import tickets as generator  # benchmarks/tickets.py

    args = argparse.Namespace(tickets=tickets, companies=1000, big_company=big_company, seed=20261101, rebuild=False)
    meta, built = generator.ensure_database(data_dir, args)
    db = sqlite3.connect(data_dir / "portal.db")
    try:
        hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
        n = db.execute("UPDATE account SET password_hash = ? WHERE password_hash IS NULL", (hashed,)).rowcount
        db.commit()
    finally:
        db.close()
    print(f"database {data_dir / 'portal.db'}: {meta['tickets']:,} tickets ({'built now' if built else 'reused'}); "
          f"password set on {n} accounts")


def pick_accounts(db_path: Path, scenario: str) -> list[str]:
    """E-mails the users sign in with, in the order users take them (round robin)."""
    db = sqlite3.connect(db_path)
    try:
        if scenario == "staff":
            return [e for (e,) in db.execute("SELECT email FROM account WHERE kind = 'STAFF' ORDER BY id")]
        # customers: the big company's admin and contacts, interleaved with contacts of small companies
        big = [e for (e,) in db.execute(
            "SELECT a.email FROM account a JOIN contact c ON c.id = a.contact_id WHERE c.company_id = 1 "
            "ORDER BY c.portal_admin DESC, a.id")]
        small = [e for (e,) in db.execute(
            "SELECT a.email FROM account a JOIN contact c ON c.id = a.contact_id "
            "WHERE c.company_id BETWEEN 2 AND 200 AND a.kind = 'CONTACT' ORDER BY c.company_id, a.id")]
        out = []
        for i in range(max(len(big), len(small))):
            out += [x[i] for x in (big, small) if i < len(x)]
        return out
    finally:
        db.close()


# --- the server process ------------------------------------------------------------------------------

def server_processes(port: int, pid: int | None) -> list[Any]:
    """The backend: the process listening on `port` (or `pid`) and its children (granian workers)."""
    import psutil

    if pid is None:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                pid = conn.pid
                break
    if pid is None:
        return []
    proc = psutil.Process(pid)
    return [proc, *proc.children(recursive=True)]


def rss_mb(procs: list[Any]) -> float | None:
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except Exception:  # noqa: BLE001 - a worker that ended
            continue
    return round(total / 2**20, 1) if procs else None


def states_on_disk(procs: list[Any]) -> dict[str, Any] | None:
    """Reflex's per-tab state files (`.states` in the server's working folder): count and MB."""
    if not procs:
        return None
    try:
        folder = Path(procs[0].cwd()) / ".states"
    except Exception:  # noqa: BLE001
        return None
    if not folder.is_dir():
        return {"files": 0, "mb": 0.0}
    files = [f for f in folder.rglob("*") if f.is_file()]
    size = sum(f.stat().st_size for f in files)
    return {"files": len(files), "mb": round(size / 2**20, 1),
            "largest_kb": round(max((f.stat().st_size for f in files), default=0) / 1024, 1)}


def cpu_seconds(procs: list[Any]) -> float | None:
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except Exception:  # noqa: BLE001
            continue
    return total if procs else None


# --- the frontend's hydrate payload ------------------------------------------------------------------

async def frontend_hashes(http: Any, url: str) -> tuple[list[str] | None, str | None]:
    """The compiled initialState hashes and state schema the built frontend sends with hydrate,
    read from its JavaScript (so the hydrate reply is the browser's, not the full state)."""
    async with http.get(f"{url}/login") as resp:
        html = await resp.text()
    assets = set(re.findall(r'(/assets/[\w.\-]+\.js)', html))
    hashes = schema = None
    seen: set[str] = set()
    while assets and (hashes is None or schema is None) and len(seen) < 200:
        path = assets.pop()
        seen.add(path)
        async with http.get(url + path) as resp:
            js = await resp.text()
        if hashes is None and (m := re.search(r'initialStateHashes\s*=\s*[`"\']([0-9a-f.]+)[`"\']', js)):
            hashes = m.group(1).split(".")
        if schema is None and (m := re.search(r'stateSchema\s*[:=]\s*[`"\']([0-9a-f]{16,64})[`"\']', js)):
            schema = m.group(1)
        for ref in re.findall(r'["\'(/]\.?/?(?:assets/)?([\w.\-]+\.js)["\']', js):
            ref_path = f"/assets/{ref}"
            if ref_path not in seen:
                assets.add(ref_path)
    return hashes, schema


# --- one tab -----------------------------------------------------------------------------------------

class StepFailed(Exception):
    pass


@dataclass
class Sample:
    step: str
    started: float  # when it was due (open loop) or sent (sequential)
    seconds: float  # due -> done
    service: float  # sent -> done (without the wait for the user's previous step)
    received: int  # bytes of frames received for the step
    list_delta: int  # bytes of the list (or detail) state's delta in its frame, if any (own_delta_bytes)
    ok: bool
    error: str = ""


class Tab:
    """One browser tab: a signed-in session and its event websocket."""

    def __init__(self, runner: "Runner", email: str, user_no: int) -> None:
        self.r = runner
        self.email = email
        self.no = user_no
        self.rng = random.Random(runner.args.seed * 1000 + user_no)
        self.token = str(uuid.uuid4())
        self.cookie = ""
        self.ws: Any = None
        self.reader: asyncio.Task | None = None
        self.frames: asyncio.Queue[str] = asyncio.Queue()
        self.path = self.r.list_path
        self.query: dict[str, str] = {}
        self.numbers: list[str] = []
        self.pages = 1
        self.status_code = ""
        self.submission_id = ""
        self.refused = False
        self.last_list_frame = ""
        self.view_url: str | None = None  # the address a list click's reply named
        self.closed = False
        self.other_events: dict[str, int] = {}

    # -- connection --
    async def sign_in(self) -> None:
        data = {"email": self.email, "password": PASSWORD, "next": "/"}
        async with self.r.http.post(f"{self.r.url}/api/session", data=data, allow_redirects=False,
                                    headers={"Origin": self.r.url}) as resp:
            cookie = resp.cookies.get("portal_session")
            if resp.status != 303 or cookie is None:
                raise StepFailed(f"sign-in {resp.status} {resp.headers.get('location', '')}")
            self.cookie = cookie.value

    async def connect(self, path: str) -> Sample:
        """Open the websocket with the hydrate event in the CONNECT packet; done when hydrated."""
        started = time.perf_counter()
        self.path, self.query = path_and_query(path)
        ws_url = self.r.url.replace("http", "ws", 1) + f"/_event/?token={self.token}&EIO=4&transport=websocket"
        # the browser's cookies: the session's and the language's (which a sign-in sets)
        self.ws = await self.r.http.ws_connect(ws_url, headers={"Cookie": f"portal_session={self.cookie}; portal_lang=en",
                                                                "Origin": self.r.url},
                                               protocols=(self.r.reflex_version,), max_msg_size=0, autoping=True)
        opening = await self.ws.receive_str()
        if not opening.startswith("0"):
            raise StepFailed(f"engine.io open: {opening[:80]}")
        payload: dict[str, Any] = {"vars": {LANG_VAR: "en"}} if self.r.args.client_storage else {}
        if self.r.hashes:
            payload["hashes"] = self.r.hashes
        auth: dict[str, Any] = {"event": {"name": HYDRATE, "payload": payload, "router_data": self.router_data()}}
        if self.r.schema:
            auth["state_schema"] = self.r.schema
        await self.ws.send_str(f"40{NS}," + json.dumps(auth, separators=(",", ":")))
        self.reader = asyncio.create_task(self.read())
        return await self.wait(started, started, "hydrate", lambda f: HYDRATED in f)

    async def read(self) -> None:
        import aiohttp

        try:
            async for msg in self.ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = msg.data
                if data == "2":  # engine.io ping
                    await self.ws.send_str("3")
                    continue
                if data.startswith(f"44{NS}") or data.startswith(f"41{NS}"):
                    self.r.errors.append(f"socket: {data[:200]}")
                self.frames.put_nowait(data)
        except Exception as exc:  # noqa: BLE001
            self.r.errors.append(f"reader: {exc!r}")
        finally:
            self.closed = True
            self.frames.put_nowait("")

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await self.ws.send_str(f"41{NS},")
                await self.ws.close()
            except Exception:  # noqa: BLE001
                pass
        if self.reader is not None:
            self.reader.cancel()

    def router_data(self) -> dict[str, Any]:
        qs = urlencode(self.query)
        data: dict[str, Any] = {"pathname": self.path, "asPath": self.path + (f"?{qs}" if qs else "")}
        query = dict(self.query)
        if m := re.match(r".*/tickets/(\d+)$", self.path):
            query["number"] = m.group(1)
        if query:
            data["query"] = query
        return data

    async def emit(self, name: str, payload: dict[str, Any] | None = None) -> None:
        event: dict[str, Any] = {"name": name}
        if payload:
            event["payload"] = payload
        event["router_data"] = self.router_data()
        self.r.sent_events += 1
        await self.ws.send_str(f"42{NS}," + json.dumps(["event", event], separators=(",", ":")))

    async def wait(self, due: float, sent: float, step: str, done: Any, *, timeout: float | None = None) -> Sample:
        """Read frames until `done(frame)`; note what they say on the way."""
        received = delta = 0
        deadline = sent + (timeout or self.r.args.timeout)
        redirect = None
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise StepFailed(f"{step}: no answer in {self.r.args.timeout:.0f} s")
            try:
                frame = await asyncio.wait_for(self.frames.get(), left)
            except TimeoutError:
                continue
            if frame == "":
                raise StepFailed(f"{step}: socket closed")
            received += len(frame)
            self.observe(frame)
            if '"rows_rx_state_"' in frame or f'"{DETAIL_STATE}"' in frame:
                delta = max(delta, own_delta_bytes(frame))
            if '"events":[' in frame:
                redirect = redirect or self.events(frame)
            if done(frame):
                now = time.perf_counter()
                sample = Sample(step, due, now - due, now - sent, received, delta, True)
                sample.redirect = redirect  # type: ignore[attr-defined]
                return sample

    def events(self, frame: str) -> str | None:
        """The _redirect path of a frame, if any; other events are counted (errors show as such)."""
        try:
            update = json.loads(frame[frame.index(",") + 1:])[1]
        except (ValueError, IndexError, TypeError):
            return None
        target = None
        for ev in update.get("events") or []:
            name = ev.get("name", "")
            if name == "_redirect":
                target = (ev.get("payload") or {}).get("path")
            else:
                self.other_events[name] = self.other_events.get(name, 0) + 1
                if re.search(r"error|exception|alert|toast", name + json.dumps(ev.get("payload", ""))[:300], re.I):
                    self.r.errors.append(f"{self.email}: event {name} {json.dumps(ev)[:200]}")
        return target

    def observe(self, frame: str) -> None:
        """Remember what the page shows that later steps use (ticket numbers, pages, form fields)."""
        if '"rows_rx_state_"' in frame:
            self.last_list_frame = frame
            # the rows' numbers (older builds also sent each row's address)
            found = re.findall(r'\{"number":(\d+),"title"', frame) or re.findall(
                r'"href":"/(?:admin/)?tickets/(\d+)"', frame)
            if found:
                self.numbers = found
            if m := re.search(r'"pages_rx_state_":(\d+)', frame):
                self.pages = int(m.group(1))
        if m := re.search(r'"view_url_rx_state_":("(?:[^"\\]|\\.)*")', frame):
            self.view_url = json.loads(m.group(1))
        if m := re.search(r'"status_code_rx_state_":"(\w+)"', frame):
            self.status_code = m.group(1)
        if m := re.search(r'"submission_id_rx_state_":"([^"]*)"', frame):
            self.submission_id = m.group(1)
        if '"errors_rx_state_":' in frame:
            self.refused = '"errors_rx_state_":{}' not in frame

    # -- the steps --
    async def navigate(self, due: float, step: str, path: str, *, sent: float | None = None,
                       received: int = 0) -> Sample:
        """A client-side navigation: on_load_internal (after update_vars_internal with `--client-storage`);
        done when hydrated."""
        sent = time.perf_counter() if sent is None else sent
        self.path, self.query = path_and_query(path)
        if self.r.args.client_storage:  # a build with a tracked rx.Cookie: its browser sends it first
            await self.emit(UPDATE_VARS, {"vars": {LANG_VAR: "en"}})
        await self.emit(ON_LOAD)
        sample = await self.wait(due, sent, step, lambda f: HYDRATED in f)
        sample.received += received
        return sample

    async def via_click(self, due: float, step: str, handler: str, payload: dict[str, Any]) -> Sample:
        """A list's click (filter, search, page): its one reply shows the view and names its address
        (`view_url`, which the page puts in the address bar). A reply with a _redirect instead (a
        build before that, or a tab whose list the server must guard again) is followed by that
        navigation, as the browser does."""
        sent = time.perf_counter()
        self.view_url = None
        await self.emit(f"{LIST_STATE}.{handler}", payload)
        first = await self.wait(due, sent, step, lambda f: f.startswith(f"42{NS},"))
        target = first.redirect  # type: ignore[attr-defined]
        if target:
            return await self.navigate(due, step, target, sent=sent, received=first.received)
        if self.view_url:  # (absent when the view's address did not change)
            self.path, self.query = path_and_query(self.view_url)
        return first

    def list_query(self) -> dict[str, str]:
        choices = list(LIST_QUERIES) + (list(STAFF_ONLY_QUERIES) if self.r.args.scenario == "staff" else [])
        return dict(self.rng.choice(choices))

    async def step(self, name: str, due: float) -> Sample:
        on_list = not re.search(r"/tickets/\d+$", self.path)
        if name in ("filter", "search", "page") and not on_list:
            name = "list"  # back to the list first (as a user would), counted as a list load
        if name == "comment" and on_list:
            name = "open" if self.numbers else "list"
        if name == "open" and not self.numbers:
            name = "list"
        if name == "page" and self.pages < 2:
            name = "filter"
        if name == "list":
            query = self.list_query()
            return await self.navigate(due, name, self.r.list_path + (f"?{urlencode(query)}" if query else ""))
        if name == "filter":
            return await self.via_click(due, name, "toggle_status", {"value": self.rng.choice(STATUS_VALUES)})
        if name == "search":
            q = self.rng.choice(SEARCH_WORDS)
            return await self.via_click(due, name, "search", {"form_data": {"__reflex_form_data__": [["q", q]]}})
        if name == "page":
            current = int(self.query.get("page", "1") or 1)
            target = self.rng.choice([p for p in (current - 1, current + 1, self.rng.randint(1, min(self.pages, 50)))
                                      if 1 <= p <= self.pages and p != current] or [1])
            return await self.via_click(due, name, "go_to_page", {"page": target})
        if name == "open":
            return await self.navigate(due, name, f"{self.r.list_path}/{self.rng.choice(self.numbers)}")
        if name == "comment":
            sent = time.perf_counter()
            form = [["comment", f"Load test comment {self.rng.randint(1, 10**6)} from user {self.no}."],
                    ["seen_status", self.status_code]]
            if self.submission_id:
                form.append(["submission_id", self.submission_id])
            self.refused = False
            await self.emit(f"{DETAIL_STATE}.add_comment", {"form_data": {"__reflex_form_data__": form}})
            sample = await self.wait(due, sent, name, lambda f: '"busy_rx_state_":false' in f)
            if self.refused:  # the service said no (e.g. a closed ticket): answered, but no comment added
                self.other_events["comment refused"] = self.other_events.get("comment refused", 0) + 1
            return sample
        if name == "tick":
            sent = time.perf_counter()
            state = DETAIL_STATE if not on_list else LIST_STATE
            await self.emit(f"{state}.tick", {"_now": time.strftime("%a %b %d %Y %H:%M:%S GMT+0000")})
            # a tick with nothing new answers with an empty delta ({}); the reply is short either way
            return await self.wait(due, sent, name, lambda f: f.startswith(f"42{NS}"), timeout=self.r.args.timeout)
        if name == "rights":
            # while nothing changed the server answers nothing at all: sent, not timed; its cost is
            # the server's CPU over the run (run it alone: --only rights)
            sent = time.perf_counter()
            await self.emit(f"{SESSION_STATE}.follow_rights", {})
            return Sample(name, due, sent - due, 0.0, 0, 0, True)
        raise ValueError(name)


def path_and_query(path: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(path)
    return parts.path, {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=False).items()}


# --- the runs ----------------------------------------------------------------------------------------

@dataclass
class Runner:
    args: argparse.Namespace
    url: str
    http: Any = None
    hashes: list[str] | None = None
    schema: str | None = None
    reflex_version: str = "0.10.1"
    delta_parts: dict[str, int] = field(default_factory=dict)
    sent_events: int = 0  # events emitted after the tabs were open (a navigation is 2, a filter 3)
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    list_path: str = "/admin/tickets"


async def open_tab(r: Runner, email: str, no: int) -> Tab | None:
    tab = Tab(r, email, no)
    try:
        await tab.sign_in()
        sample = await tab.connect(r.list_path)
        r.samples.append(sample)
        return tab
    except Exception as exc:  # noqa: BLE001
        r.errors.append(f"user {no} ({email}) connect: {exc!r}"[:300])
        r.samples.append(Sample("hydrate", 0, 0, 0, 0, 0, False, repr(exc)[:200]))
        await tab.close()
        return None


async def user_loop(r: Runner, tab: Tab, start: float, end: float, mix: dict[str, int], rate: float,
                    pending: dict[int, int]) -> None:
    """Open loop: steps due on a Poisson clock; a step waits for the tab's previous one, timed from due.
    `pending[user]` is how many of its steps due before `end` are not answered yet (the backlog)."""
    rng = tab.rng
    names, weights = list(mix), list(mix.values())
    schedule: list[tuple[float, str]] = []
    due = start + rng.expovariate(rate)
    while due < end:
        schedule.append((due, rng.choices(names, weights)[0]))
        due += rng.expovariate(rate)
    if r.args.tick:  # the page's own timer (rx.moment interval): a tick every 3 s (2 s on a ticket page; 3 s here)
        tick = start + rng.uniform(0, 3.0)
        while tick < end:
            schedule.append((tick, "tick"))
            tick += 3.0
    schedule.sort()
    pending[tab.no] = len(schedule)
    for current, step in schedule:
        delay = current - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if tab.closed:
            r.samples.append(Sample(step, current, 0, 0, 0, 0, False, "socket closed"))
            pending[tab.no] -= 1
            continue
        try:
            r.samples.append(await tab.step(step, current))
        except Exception as exc:  # noqa: BLE001
            r.samples.append(Sample(step, current, time.perf_counter() - current, 0, 0, 0, False, repr(exc)[:200]))
            r.errors.append(f"user {tab.no} {step}: {exc!r}"[:300])
        pending[tab.no] -= 1


async def run_load(args: argparse.Namespace) -> dict[str, Any]:
    import aiohttp

    r = Runner(args, args.url.rstrip("/"))
    r.list_path = "/admin/tickets" if args.scenario == "staff" else "/tickets"
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:
        r.http = http
        r.hashes, r.schema = await frontend_hashes(http, r.url)
        accounts = pick_accounts(Path(args.data_dir) / "portal.db", args.scenario)
        procs = server_processes(urlsplit(r.url).port or 80, args.server_pid)
        log_at = Path(args.server_log).stat().st_size if args.server_log else 0
        rss_before = rss_mb(procs)
        states_before = states_on_disk(procs)
        users = 1 if args.mode == "sequential" else args.users
        # sign in and open the tabs a few at a time (not part of the steady-state numbers)
        t_open = time.perf_counter()
        sem = asyncio.Semaphore(args.connect_concurrency)

        async def opener(i: int) -> Tab | None:
            async with sem:
                return await open_tab(r, accounts[i % len(accounts)], i)

        tabs = [t for t in await asyncio.gather(*(opener(i) for i in range(users))) if t is not None]
        opened_s = time.perf_counter() - t_open
        rss_open = rss_mb(procs)
        connect_samples = list(r.samples)
        r.samples.clear()
        mix = STAFF_MIX if args.scenario == "staff" else CUSTOMER_MIX
        if args.only:  # the timers' steps are no part of the mix: named here, they run alone or beside it
            timers = {"tick": 20, "rights": 20}
            mix = {k: v for k, v in {**mix, **timers}.items() if k in args.only.split(",")}
        cpu0 = cpu_seconds(procs)
        own0 = time.process_time()
        r.sent_events = 0
        start = time.perf_counter()
        end = start + args.duration
        pending: dict[int, int] = {}
        backlog = 0
        if args.mode == "sequential":
            tab = tabs[0] if tabs else None
            names, weights = list(mix), list(mix.values())
            while tab is not None and time.perf_counter() < end and not tab.closed:
                step = tab.rng.choices(names, weights)[0]
                now = time.perf_counter()
                try:
                    r.samples.append(await tab.step(step, now))
                except Exception as exc:  # noqa: BLE001
                    r.samples.append(Sample(step, now, time.perf_counter() - now, 0, 0, 0, False, repr(exc)[:200]))
                    r.errors.append(f"{step}: {exc!r}"[:300])
            elapsed = time.perf_counter() - start
        else:
            loops = [asyncio.create_task(user_loop(r, t, start, end, mix, args.rate, pending)) for t in tabs]
            done, still = await asyncio.wait(loops, timeout=max(0.0, end - time.perf_counter()) + args.grace)
            elapsed = time.perf_counter() - start
            backlog = sum(v for v in pending.values() if v > 0)
            for task in still:
                task.cancel()
        cpu1 = cpu_seconds(procs)
        sent_events, own_cpu = r.sent_events, time.process_time() - own0
        rss_after = rss_mb(procs)
        lists = await list_vs_service(r, tabs[0], args) if (args.mode == "sequential" and tabs and args.list_repeat) else []
        for t in tabs:
            await t.close()
        await asyncio.sleep(1.0)
        rss_closed = rss_mb(procs)
        states_after = states_on_disk(procs)
    other: dict[str, int] = {}
    if args.server_log:  # errors the server logged meanwhile: a failed handler answers nothing to the client
        with open(args.server_log, errors="replace") as log:
            log.seek(log_at)
            text = log.read()
        errors = re.findall(r"^\S*(?:Error|Exception)\b.*$", text, flags=re.M)
        r.errors += [f"server log: {e[:250]}" for e in errors[:5]]
        other["server log errors"] = len(errors)
        other["server log tracebacks"] = text.count("Traceback")
    for t in tabs:
        for k, v in t.other_events.items():
            other[k] = other.get(k, 0) + v
    return summarize(args, r, connect_samples, start, elapsed, backlog, opened_s, len(tabs),
                     {"before": rss_before, "tabs_open": rss_open, "after_run": rss_after, "after_close": rss_closed,
                      "state_files_before": states_before, "state_files_after": states_after},
                     None if cpu0 is None or cpu1 is None else cpu1 - cpu0, lists, other, sent_events, own_cpu)


async def tab_series(args: argparse.Namespace) -> dict[str, Any]:
    """RSS as tabs come and go: `first` tabs, then waves of `wave` tabs (each signs in, opens the list,
    and closes once all of its wave are open) up to `total`; then RSS again after `--settle` idle s."""
    import aiohttp

    first, wave, total = (int(x) for x in args.tab_series.split(","))
    r = Runner(args, args.url.rstrip("/"))
    r.list_path = "/admin/tickets" if args.scenario == "staff" else "/tickets"
    rows: list[dict[str, Any]] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        r.http = http
        r.hashes, r.schema = await frontend_hashes(http, r.url)
        accounts = pick_accounts(Path(args.data_dir) / "portal.db", args.scenario)
        procs = server_processes(urlsplit(r.url).port or 80, args.server_pid)
        sem = asyncio.Semaphore(args.connect_concurrency)
        opened = 0

        async def opener(i: int) -> Tab | None:
            async with sem:
                return await open_tab(r, accounts[i % len(accounts)], i)

        rows.append({"tabs": 0, "rss_mb": rss_mb(procs)})
        while opened < total:
            n = first if opened == 0 else min(wave, total - opened)
            t0 = time.perf_counter()
            tabs = [t for t in await asyncio.gather(*(opener(opened + i) for i in range(n))) if t is not None]
            rss_open = rss_mb(procs)
            for t in tabs:
                await t.close()
            opened += n
            await asyncio.sleep(1.0)
            rows.append({"tabs": opened, "opened": len(tabs), "open_s": round(time.perf_counter() - t0, 1),
                         "rss_open_mb": rss_open, "rss_mb": rss_mb(procs), "states": states_on_disk(procs)})
            print(rows[-1], flush=True)
        await asyncio.sleep(args.settle)
        rows.append({"tabs": opened, "idle_s": args.settle, "rss_mb": rss_mb(procs), "states": states_on_disk(procs)})
        print(rows[-1], flush=True)
    after_first = rows[1]["rss_mb"]
    return {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(), "series": rows,
            "errors": r.errors[:20], "ratio_last_to_first": round(rows[-2]["rss_mb"] / after_first, 2),
            "ratio_idle_to_first": round(rows[-1]["rss_mb"] / after_first, 2)}


async def list_vs_service(r: Runner, tab: Tab, args: argparse.Namespace) -> list[dict[str, Any]]:
    """One client: each list query's on_load (the list event alone) against list_tickets in-process."""
    queries = list(LIST_QUERIES) + (list(STAFF_ONLY_QUERIES) if args.scenario == "staff" else [])
    service = ServiceTimer(Path(args.data_dir), tab.email) if args.service else None
    out = []
    for query in queries:
        path = r.list_path + (f"?{urlencode(query)}" if query else "")
        tab.path, tab.query = path_and_query(path)
        times, sizes = [], []
        for i in range(args.list_repeat + 1):
            sent = time.perf_counter()
            await tab.emit(ON_LOAD)
            s = await tab.wait(sent, sent, "list", lambda f: HYDRATED in f)
            if i:  # the first is a warm-up
                times.append(s.seconds)
                sizes.append(s.list_delta)
        row = {"query": urlencode(query) or "(none)", "event_p50_ms": statistics.median(times) * 1000,
               "list_delta_bytes": int(statistics.median(sizes))}
        if service is not None:
            row["service_p50_ms"] = service.p50(query, args.list_repeat) * 1000
            row["above_service_ms"] = row["event_p50_ms"] - row["service_p50_ms"]
        out.append(row)
    if tab.last_list_frame:  # what one list reply is made of: bytes per var of the last query's delta
        delta = json.loads(tab.last_list_frame[tab.last_list_frame.index(",") + 1:])[1]["delta"]
        parts = {f"{state.rsplit('.', 1)[-1].split('____')[-1]}.{var.removesuffix('_rx_state_')}":
                 len(json.dumps(value, separators=(",", ":"), ensure_ascii=False))
                 for state, changes in delta.items() for var, value in changes.items()}
        r.delta_parts = dict(sorted(parts.items(), key=lambda kv: -kv[1]))
    return out


class ServiceTimer:
    """`list_tickets` called in this process on the same database, for the same viewer and query."""

    def __init__(self, data_dir: Path, email: str) -> None:
        os.environ["PORTAL_DATA_DIR"] = str(data_dir)
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(ROOT))
        from sqlmodel import Session, select

        from portal_app.db import get_engine
        from portal_app.models import Account
        from portal_app.services.actor import build_actor

        self.engine = get_engine()
        with Session(self.engine) as session:
            self.actor = build_actor(session, session.exec(select(Account).where(Account.email == email)).one())

    def p50(self, query: dict[str, str], repeat: int) -> float:
        from sqlmodel import Session

        from portal_app.services.tickets.ticket_list import parse_filters, query_tickets

        filters = parse_filters(parse_qs(urlencode(query)))
        times = []
        for i in range(repeat + 1):
            t0 = time.perf_counter()
            with Session(self.engine) as session:
                query_tickets(session=session, actor=self.actor, filters=filters)
            if i:
                times.append(time.perf_counter() - t0)
        return statistics.median(times)


def summarize(args: argparse.Namespace, r: Runner, connect: list[Sample], start: float, elapsed: float,
              backlog: int, opened_s: float, tabs: int, rss: dict[str, Any], cpu: float | None,
              lists: list[dict[str, Any]], other: dict[str, int], sent_events: int = 0,
              own_cpu: float = 0.0) -> dict[str, Any]:
    steps = {}
    for name in STEPS:
        group = [s for s in (connect if name == "hydrate" else r.samples) if s.step == name]
        if not group:
            continue
        ok = [s for s in group if s.ok]
        lat = [s.seconds for s in ok]
        svc = [s.service for s in ok]
        steps[name] = {
            "count": len(group), "errors": len(group) - len(ok),
            "p50_ms": pct(lat, 50) and pct(lat, 50) * 1000, "p95_ms": pct(lat, 95) and pct(lat, 95) * 1000,
            "p99_ms": pct(lat, 99) and pct(lat, 99) * 1000, "max_ms": max(lat) * 1000 if lat else None,
            "sent_to_done_p50_ms": pct(svc, 50) and pct(svc, 50) * 1000,
            "reply_bytes_p50": int(statistics.median([s.received for s in ok])) if ok else None,
            "delta_bytes_p50": int(statistics.median([s.list_delta for s in ok if s.list_delta] or [0])) if ok else None,
        }
    done = [s for s in r.samples if s.ok]
    all_lat = [s.seconds for s in done if s.step != "tick"]
    list_like = [s for s in done if s.step in ("list", "filter", "search", "page")]
    t0 = min((s.started for s in done if s.started), default=0.0)
    # the slowest steps, when they were due (s from the first) and how long the server took once sent:
    # stalls that hit every tab at once show as one moment
    slowest = [{"step": s.step, "due_s": round(s.started - t0, 2), "ms": round(s.seconds * 1000, 1),
                "after_send_ms": round(s.service * 1000, 1)}
               for s in sorted(done, key=lambda s: s.seconds, reverse=True)[:20] if s.started]
    # p50 / p95 per 10 s of the run, by when the steps were due: a queue left by the start (sign-ins,
    # hydrates, tabs read back from disk) drains or not, where one number for the run cannot tell
    windows: dict[int, list[float]] = {}
    for s in done:
        if s.started and s.step != "tick":
            windows.setdefault(int((s.started - t0) // 10), []).append(s.seconds)
    timeline = [{"from_s": k * 10, "steps": len(v), "p50_ms": round(pct(v, 50) * 1000, 1),
                 "p95_ms": round(pct(v, 95) * 1000, 1)} for k, v in sorted(windows.items())]
    return {
        "slowest": slowest, "timeline": timeline,
        "command": "python benchmarks/load.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "url": r.url, "mode": args.mode, "scenario": args.scenario, "users": tabs, "rate_per_user": args.rate,
        "duration_s": round(elapsed, 1), "tabs_opened_in_s": round(opened_s, 1),
        "events_done": len(done), "events_per_s": round(len(done) / elapsed, 1) if elapsed else None,
        "list_navigations_per_s": round(len(list_like) / elapsed, 1) if elapsed else None,
        "socket_events_sent": sent_events,
        "socket_events_per_s": round(sent_events / elapsed, 1) if elapsed else None,
        "load_tool_cpu_s": round(own_cpu, 1),
        "p50_ms": pct(all_lat, 50) and pct(all_lat, 50) * 1000, "p95_ms": pct(all_lat, 95) and pct(all_lat, 95) * 1000,
        "p99_ms": pct(all_lat, 99) and pct(all_lat, 99) * 1000,
        "errors": len([s for s in r.samples if not s.ok]) + len([s for s in connect if not s.ok]),
        "error_examples": r.errors[:8], "backlog_at_end": backlog,
        "server_rss_mb": rss, "server_cpu_s": None if cpu is None else round(cpu, 1),
        "hydrate_hashes": bool(r.hashes), "list_delta_bytes_by_var": r.delta_parts, "other_events": other, "steps": steps, "list_vs_service": lists,
    }


def print_report(res: dict[str, Any]) -> None:
    print(f"\n{res['mode']} / {res['scenario']}: {res['users']} user(s), {res['duration_s']} s "
          f"(tabs opened in {res['tabs_opened_in_s']} s), {res['events_done']} steps done = "
          f"{res['events_per_s']}/s ({res['list_navigations_per_s']}/s list loads; {res['socket_events_per_s']} socket "
          f"events/s), errors {res['errors']}, "
          f"backlog {res['backlog_at_end']}")
    print(f"all steps: p50 {res['p50_ms'] and round(res['p50_ms'], 1)} ms, p95 {res['p95_ms'] and round(res['p95_ms'], 1)} ms, "
          f"p99 {res['p99_ms'] and round(res['p99_ms'], 1)} ms; server RSS MB {res['server_rss_mb']}; "
          f"server CPU {res['server_cpu_s']} s, this tool's CPU {res['load_tool_cpu_s']} s; "
          f"load avg {res['load_average_at_end']}")
    if len(res.get("timeline", [])) > 1:
        print("by 10 s of the run (due from): " + ", ".join(
            f"{w['from_s']} s: p50 {w['p50_ms']:,.0f} / p95 {w['p95_ms']:,.0f} ms" for w in res["timeline"]))
    print("\n| step | n | err | p50 ms | p95 ms | p99 ms | max ms | reply bytes p50 | list/detail delta bytes p50 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, s in res["steps"].items():
        f = lambda v: "-" if v is None else f"{v:,.1f}"  # noqa: E731
        print(f"| {name} | {s['count']} | {s['errors']} | {f(s['p50_ms'])} | {f(s['p95_ms'])} | {f(s['p99_ms'])} | "
              f"{f(s['max_ms'])} | {s['reply_bytes_p50'] or 0:,} | {s['delta_bytes_p50'] or 0:,} |")
    if res["list_vs_service"]:
        print("\n| list query (one client) | on_load event p50 ms | list_tickets p50 ms | above service ms | delta bytes |")
        print("|---|---:|---:|---:|---:|")
        for row in res["list_vs_service"]:
            print(f"| {row['query']} | {row['event_p50_ms']:.1f} | {row.get('service_p50_ms', float('nan')):.1f} | "
                  f"{row.get('above_service_ms', float('nan')):.1f} | {row['list_delta_bytes']:,} |")
    if res["list_delta_bytes_by_var"]:
        print("\nlist delta (last query above), bytes by var: " + ", ".join(
            f"{k} {v:,}" for k, v in list(res["list_delta_bytes_by_var"].items())[:10]))
    if res["error_examples"]:
        print("\nerrors, first few:\n  " + "\n  ".join(res["error_examples"]))
    if res["other_events"]:
        print(f"\nother events received: {res['other_events']}")


# --- cold load in Chromium ---------------------------------------------------------------------------

# Marks a cold load's phases in the page (performance.now(), ms from navigation): the document
# parsed, the websocket open, the hydrate sent (in Socket.IO's CONNECT packet, once React has
# mounted), its first answer, the awaited element in the document (`SHOWN`, a JavaScript test) and
# the first frame painted after that ("painted": the frame's requestAnimationFrame, then a task,
# which runs once the frame is drawn). "seen" is when Playwright's wait for the element returned:
# the earlier rounds' measure, later than "painted" by however long the page keeps the browser busy
# after the frame (the portal's page goes on working after its rows are drawn; the blank app's
# does not need the hydrate for its text, which is in its HTML).
PHASES_SCRIPT = """
window.__phases = {};
const mark = (name) => { if (!(name in window.__phases)) window.__phases[name] = performance.now(); };
document.addEventListener("DOMContentLoaded", () => mark("parsed"));
const PageSocket = window.WebSocket;
window.WebSocket = class extends PageSocket {
  constructor(url, protocols) {
    super(url, protocols);
    this.addEventListener("open", () => mark("socket_open"));
    this.addEventListener("message", (m) => { if (String(m.data).startsWith("42")) mark("answer"); });
  }
  send(data) { if (String(data).startsWith("40")) mark("hydrate_sent"); super.send(data); }
};
const shownNow = () => SHOWN;
const watch = new MutationObserver(() => {
  if (!shownNow()) return;
  watch.disconnect();
  mark("in_document");
  requestAnimationFrame(() => setTimeout(() => mark("painted"), 0));
});
watch.observe(document, {subtree: true, childList: true, characterData: true});
"""
PHASES = ("parsed", "socket_open", "hydrate_sent", "answer", "in_document", "painted", "seen")


async def cold(args: argparse.Namespace) -> dict[str, Any]:
    """Navigation -> first ticket row on the list for a signed-in user in a fresh tab (p50 of N),
    beside a blank Reflex app's first paint of its text and our /login's sign-in form; with the
    median time of each phase (PHASES_SCRIPT), which shows what the rows wait for that the blank
    app's prerendered text does not."""
    from playwright.async_api import async_playwright

    url = args.url.rstrip("/")
    email = pick_accounts(Path(args.data_dir) / "portal.db", args.scenario)[0]
    list_path = "/admin/tickets" if args.scenario == "staff" else "/tickets"
    out: dict[str, Any] = {"machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M:%S"), "runs": args.cold_runs}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])

        async def measure(target: str, selector: str, shown_js: str, context: Any) -> tuple[list[float], dict]:
            """`selector` for Playwright's wait, `shown_js` the same test in the page (PHASES_SCRIPT)."""
            times, phases = [], {name: [] for name in PHASES}
            await context.add_init_script(PHASES_SCRIPT.replace("SHOWN", shown_js))
            for i in range(args.cold_runs + 1):
                page = await context.new_page()
                await page.goto(target, wait_until="commit")
                await page.wait_for_selector(selector, state="visible", timeout=30000)
                # the browser's own clock: navigation start -> now
                elapsed = await page.evaluate("performance.now()")
                while "painted" not in await page.evaluate("window.__phases"):  # not wait_for_function: the CSP refuses its eval
                    await asyncio.sleep(0.02)
                marks = await page.evaluate("window.__phases")
                await page.close()
                if i:  # the first one warms the server's caches and the browser's
                    times.append(elapsed / 1000)
                    marks["seen"] = elapsed
                    for name in PHASES:
                        if name in marks:
                            phases[name].append(marks[name])
            return times, {name: round(statistics.median(v)) if v else None for name, v in phases.items()}

        signed = await browser.new_context()
        page = await signed.new_page()
        await page.goto(f"{url}/login")
        await page.fill("input[name=email]", email)
        await page.fill("input[name=password]", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_url(lambda u: "/login" not in u, timeout=30000)
        await page.close()
        rows, out["tickets_phases_ms"] = await measure(
            f"{url}{list_path}", "a[href*='/tickets/1']", "document.querySelector(\"a[href*='/tickets/1']\")", signed)
        anonymous = await browser.new_context()
        login, out["login_phases_ms"] = await measure(f"{url}/login", "input[name=email]",
                                                      "document.querySelector('input[name=email]')", anonymous)
        out["tickets_first_rows_ms"] = statistics.median(rows) * 1000
        out["tickets_all_ms"] = [round(t * 1000) for t in rows]
        out["login_form_ms"] = statistics.median(login) * 1000
        out["login_all_ms"] = [round(t * 1000) for t in login]
        if args.blank_url:
            blank_ctx = await browser.new_context()
            blank, out["blank_phases_ms"] = await measure(
                args.blank_url.rstrip("/") + "/", f"text={args.blank_text}",
                f"document.body && document.body.textContent.includes({json.dumps(args.blank_text)})", blank_ctx)
            out["blank_app_ms"] = statistics.median(blank) * 1000
            out["blank_all_ms"] = [round(t * 1000) for t in blank]
        await browser.close()
    return out


def print_phases(label: str, phases: dict[str, float]) -> None:
    print(f"    {label:<16}" + "  ".join(f"{name} {phases[name]}" for name in PHASES))


# --- main ----------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:3000", help="the running portal")
    parser.add_argument("--data-dir", default=str(ROOT / "bench-data-load"),
                        help="the served database's folder (accounts to sign in with; --service, --prepare)")
    parser.add_argument("--mode", choices=("sequential", "open"), default="sequential")
    parser.add_argument("--scenario", choices=("staff", "customer"), default="staff")
    parser.add_argument("--users", type=int, default=20, help="open loop: simulated users (tabs)")
    parser.add_argument("--rate", type=float, default=1.0, help="open loop: steps per second per user (Poisson)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of steps after all tabs are open")
    parser.add_argument("--grace", type=float, default=10.0, help="open loop: seconds to let late answers arrive")
    parser.add_argument("--timeout", type=float, default=30.0, help="a step without an answer this long is an error")
    parser.add_argument("--only", default="", help="steps to run, comma separated (default: the whole mix)")
    parser.add_argument("--tick", action="store_true",
                        help="also send the pages' timer events (every 3 s on a list, 2 s on a ticket)")
    parser.add_argument("--list-repeat", type=int, default=10,
                        help="sequential: times each list query's on_load is timed alone (0: skip)")
    parser.add_argument("--no-service", dest="service", action="store_false",
                        help="do not time list_tickets in-process beside the list events")
    parser.add_argument("--client-storage", action="store_true",
                        help="builds before 2026-12-03 kept the language in an rx.Cookie, which their browser sends "
                             "with every navigation (update_vars_internal): send it as they did")
    parser.add_argument("--connect-concurrency", type=int, default=10)
    parser.add_argument("--server-log", default="", help="the server's output file: errors it logs are counted")
    parser.add_argument("--server-pid", type=int, default=None, help="the backend's pid (default: found by port)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default="", help="write the results here as JSON")
    parser.add_argument("--prepare", action="store_true", help="build the database at --data-dir and exit")
    parser.add_argument("--tickets", type=int, default=100_000, help="--prepare: tickets")
    parser.add_argument("--big-company", type=int, default=10_000, help="--prepare: tickets of company 1")
    parser.add_argument("--cold", action="store_true", help="Chromium cold loads instead of the event load")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--blank-url", default="", help="--cold: a blank Reflex app of the same version")
    parser.add_argument("--blank-text", default="Welcome to Reflex", help="--cold: the blank app's text to wait for")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--tab-series", default="", help="FIRST,WAVE,TOTAL: RSS as tabs open and close (memory)")
    parser.add_argument("--settle", type=float, default=100.0, help="--tab-series: idle seconds before the last RSS")
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(Path(args.data_dir).resolve(), args.tickets, args.big_company)
        return 0
    if args.tab_series:
        res = asyncio.run(tab_series(args))
        print(f"RSS after {res['series'][-2]['tabs']} tabs / after the first wave: {res['ratio_last_to_first']}x; "
              f"after {args.settle:.0f} s idle: {res['ratio_idle_to_first']}x; errors: {len(res['errors'])}")
    elif args.cold:
        res = asyncio.run(cold(args))
        print(f"cold loads, p50 of {args.cold_runs} (after one warm-up), {res['when']}, {res['machine']}")
        print(f"  {'/admin/tickets' if args.scenario == 'staff' else '/tickets'} first rows: "
              f"{res['tickets_first_rows_ms']:.0f} ms {res['tickets_all_ms']}")
        print(f"  /login form: {res['login_form_ms']:.0f} ms {res['login_all_ms']}")
        if "blank_app_ms" in res:
            print(f"  blank Reflex app: {res['blank_app_ms']:.0f} ms {res['blank_all_ms']}; target for the list: "
                  f"<= {res['blank_app_ms'] + 150:.0f} ms")
        print("  phases, p50 (ms from navigation; 'seen' is the figure above):")
        print_phases("list", res["tickets_phases_ms"])
        print_phases("/login", res["login_phases_ms"])
        if "blank_phases_ms" in res:
            print_phases("blank app", res["blank_phases_ms"])
            painted, blank_painted = res["tickets_phases_ms"]["painted"], res["blank_phases_ms"]["painted"]
            print(f"  painted in the page: list {painted} ms, blank app {blank_painted} ms; target for the list: "
                  f"<= {blank_painted + 150} ms")
    else:
        res = asyncio.run(run_load(args))
        print_report(res)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
        print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
