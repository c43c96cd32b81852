"""Browser end-to-end tests: the production build served by `reflex run --env prod`, a real SMTP
server (aiosmtpd) receiving the portal's mail, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import email
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DEMO_PASSWORD = "Demo-pass-2026"
BUILD_TIMEOUT_S = 900

pytestmark = pytest.mark.e2e

sys.path.insert(0, str(ROOT / "tests" / "unit"))
from localstripe_server import running_localstripe  # noqa: E402

from portal_app.i18n import available_languages, catalogue  # noqa: E402

# what shows a user is signed in, in whichever language the user reads: "Sign out", or "Menu" on a phone
SIGNED_IN_BUTTON = re.compile("^(" + "|".join(sorted({re.escape(catalogue(lang)[key]) for lang in available_languages()
                                                      for key in ("app.sign_out", "app.menu")})) + ")$")

# the portal runs with Stripe configured against localstripe (a local Stripe-compatible server)
STRIPE_SECRET_KEY = "sk_test_e2e_portal"
STRIPE_WEBHOOK_SECRET = "whsec_e2e_portal"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- mail ---------------------------------------------------------------------------------------

@dataclass
class Mailbox:
    port: int = 0
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd hook
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def wait_for(self, address: str, *, count: int = 1, timeout: float = 20.0) -> Message:
        """The newest message to `address` once at least `count` have arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found[-1]
            time.sleep(0.1)
        raise AssertionError(f"no mail #{count} to {address} within {timeout}s")

    def with_subject(self, address: str, subject: str, *, timeout: float = 20.0) -> list[Message]:
        """The mails to `address` with this subject, once there is one (waits up to `timeout`)."""
        deadline = time.monotonic() + timeout
        while not (found := [m for m in self.to(address) if m["Subject"] == subject]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert found, f"no mail {subject!r} to {address} within {timeout}s"
        return found


def link_in(message: Message) -> str:
    body = message.get_payload(decode=True).decode()
    match = re.search(r"https?://\S+/reset-password\?token=[\w-]+", body)
    assert match, body
    return match.group(0)


@pytest.fixture(scope="session")
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


# --- the portal -----------------------------------------------------------------------------------

@dataclass
class Portal:
    url: str
    data_dir: Path
    database_url: str
    log: Path
    stripe_url: str = ""  # localstripe's base: its API, and Stripe.js at /js.stripe.com/v3/

    def db(self):
        """A database session on the served portal's database, for arranging test data."""
        from sqlmodel import Session

        from portal_app.db import get_engine

        return Session(get_engine(self.database_url))


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + BUILD_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"portal exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as health, \
                    urllib.request.urlopen(f"{url}/login", timeout=5) as page:
                if health.status == 200 and page.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"portal not up after {BUILD_TIMEOUT_S}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def stripe_url() -> str:
    with running_localstripe() as url:
        yield url


def _register_webhook(stripe_url: str, portal_url: str) -> None:
    """localstripe posts its signed events to the portal's webhook route."""
    data = urllib.parse.urlencode({"url": f"{portal_url}/api/stripe/webhook", "secret": STRIPE_WEBHOOK_SECRET})
    urllib.request.urlopen(urllib.request.Request(f"{stripe_url}/_config/webhooks/portal", data=data.encode(),
                                                  headers={"Authorization": f"Bearer {STRIPE_SECRET_KEY}"}))


SOURCES = ("portal_app", "assets", "alembic", "alembic.ini", "rxconfig.py")


def copy_sources(target: Path) -> None:
    """The portal's sources (no build, no data) into `target`: a tree of its own for a server that
    must not share this one's (Reflex empties the states folder of the tree it starts in)."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)


def server_env(env: dict[str, str]) -> dict[str, str]:
    """`env` with the production bcrypt cost, and bun from .tools where the machine has none."""
    env = dict(env)
    env.pop("PORTAL_BCRYPT_ROUNDS", None)  # the production cost
    if not shutil.which("bun", path=env.get("PATH")):
        env["PATH"] = f"{ROOT / '.tools/node_modules/.bin'}{os.pathsep}{env['PATH']}"
        env["REFLEX_USE_SYSTEM_BUN"] = "1"
    return env


@contextmanager
def serving(tree: Path, env: dict[str, str], url: str, log: Path) -> Iterator[subprocess.Popen]:
    """The portal in `tree` migrated, seeded and served by `reflex run --env prod` (its own process
    group, yielded) until the block ends; then no traceback may be in its log."""
    bindir = Path(sys.executable).parent
    subprocess.run([str(bindir / "alembic"), "upgrade", "head"], cwd=tree, env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "portal_app.seed"], cwd=tree, env=env, check=True, capture_output=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(bindir / "reflex"), "run", "--env", "prod", "--single-port", "--backend-host", "127.0.0.1"],
            cwd=tree, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _wait_until_up(url, proc, log)
        yield proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    errors = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
    assert not errors, f"the portal logged errors, see {log}"


@pytest.fixture(scope="session")
def portal(mailbox, stripe_url, tmp_path_factory) -> Portal:
    data = tmp_path_factory.mktemp("portal-data")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_env({
        **os.environ, "PORTAL_DATA_DIR": str(data), "PORT": str(port), "PORTAL_URL": url,
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mailbox.port), "SMTP_FROM": "portal@example.com",
        "REFLEX_PERF_MODE": "raise", "PYTHONUNBUFFERED": "1",
        "STRIPE_SECRET_KEY": STRIPE_SECRET_KEY, "STRIPE_PUBLISHABLE_KEY": "pk_test_e2e_portal",
        "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET, "STRIPE_API_BASE": stripe_url,
        "STRIPE_JS_URL": f"{stripe_url}/js.stripe.com/v3/"})
    env.pop("DATABASE_URL", None)
    log = data / "portal.log"
    with serving(ROOT, env, url, log):
        _register_webhook(stripe_url, url)
        yield Portal(url=url, data_dir=data, database_url=f"sqlite:///{data / 'portal.db'}", log=log,
                     stripe_url=stripe_url)


# --- the browser ----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PortalPage:
    """A browser tab on the portal with the steps people take, by accessible names."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base
        # the browser's own questions ("Leave this page?" over unsaved changes, assets/unsaved_changes.js):
        # each is noted, and answered as a person going on would (leave), unless a test says otherwise
        self.dialogs: list[str] = []
        self.leave_unsaved = True
        page.on("dialog", self._answer)

    def _answer(self, dialog) -> None:  # noqa: ANN001
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        if dialog.type == "beforeunload" or self.leave_unsaved:
            dialog.accept()
        else:
            dialog.dismiss()

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path)
        self.ready()
        return self.page

    def ready(self) -> None:
        """Wait until the on_load handlers of the page shown have all run: the marker names the
        path of the page whose handlers ran last, compared with the address bar's in the browser
        (so a redirect on the way is followed)."""
        self.page.wait_for_function(
            "() => { const marker = document.getElementById('portal-ready');"
            " const trim = (p) => p.replace(/\\/+$/, '');"
            " return marker !== null && trim(marker.dataset.ready || '-') === trim(location.pathname); }",
            timeout=20000)

    def sign_in(self, email: str, password: str = DEMO_PASSWORD, *, path: str = "/login") -> Page:
        self.open(path)
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        return self.page

    def signed_in(self, email: str, password: str = DEMO_PASSWORD) -> Page:
        self.sign_in(email, password)
        # on a phone (under 768 px) Sign out is inside the menu behind "Menu"; either in the user's language
        expect(self.page.get_by_role("button", name=SIGNED_IN_BUTTON)).to_be_visible(timeout=15000)
        return self.page

    def menu(self):
        return self.page.get_by_role("navigation", name="Menu")

    def admin_user_row(self, email: str):
        """Staff: the row of `email` in the users list of the admin panel (searched for)."""
        self.open("/admin")
        self.page.get_by_label("Search users").fill(email)
        self.page.get_by_role("button", name="Search").click()
        # the search is in the address once its rows are drawn: a row found before could be drawn again
        self.page.wait_for_url(re.compile(r"[?&]q="))
        self.ready()
        return self.page.get_by_role("row").filter(has_text=email)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ANN001, ANN201
    report = yield
    if report.when == "call":
        item.call_failed = report.failed  # read by `new_tab` to describe the tabs of a failed test
    return report


def _describe(page: Page) -> str:
    """What a tab showed when its test failed: its address and the start of its text."""
    try:
        return f"{page.url}\n{page.inner_text('body', timeout=2000)[:1500]}"
    except Exception as exc:  # noqa: BLE001 - a closed or crashed tab says so
        return f"{page.url} ({exc.__class__.__name__})"


@pytest.fixture
def new_tab(request, browser, portal):
    """Factory of fresh browser contexts (separate cookies), each failing the test on a page error.
    When the test fails, each tab's address and text are printed (shown with the failure)."""
    contexts, errors = [], []

    def make(**options: object) -> PortalPage:
        """`options`: more of the context's settings (a time zone, a locale)."""
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return PortalPage(page, portal.url)

    yield make
    if getattr(request.node, "call_failed", False):
        for number, context in enumerate(contexts, 1):
            for page in context.pages:
                print(f"--- tab {number}: {_describe(page)}")
    for context in contexts:
        context.close()
    assert not errors, errors


@pytest.fixture
def tab(new_tab) -> PortalPage:
    return new_tab()
