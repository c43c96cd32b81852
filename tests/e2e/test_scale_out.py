"""The portal scaled out as the README's "Scaling out" says: PostgreSQL, Redis and two worker
processes behind one port, each tab's state in Redis (held by the worker its socket is on, Reflex's
opportunistic lock) and the change counters there. A customer and staff, each in their own tab,
work on one ticket: a file uploaded over HTTP (which either worker may take), a new ticket, staff's
reply shown live on the customer's open page, and a reload that finds everything where it was.

It serves a copy of the source tree (its own build: the build's addresses carry the port), after
the session's single-process portal has built once, so that its compiled packages are copied too."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect

from .conftest import ROOT, PortalPage, copy_sources, server_env, free_port, serving
from .test_tickets import open_new_ticket

@dataclass
class ScaledPortal:
    url: str
    log: Path
    pid: int  # of `reflex run`, whose children are the workers


def _copy_tree(target: Path) -> None:
    copy_sources(target)
    # the session's portal has installed the frontend's packages: reused, the build is the copy's own
    web = ROOT / ".web"
    shutil.copytree(web, target / ".web", symlinks=True,
                    ignore=lambda folder, names: {"build", ".react-router", "backend"} if Path(folder) == web else set())


@pytest.fixture(scope="module")
def scaled(portal, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaledPortal]:
    from postgres_server import binaries, create_database, running_postgres

    if binaries() is None:
        pytest.skip("PostgreSQL is not installed (.ci/run installs it)")
    tree, data = tmp_path_factory.mktemp("scaled-tree"), tmp_path_factory.mktemp("scaled-data")
    _copy_tree(tree)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_postgres() as server:
        env = server_env({**os.environ, "PORTAL_DATA_DIR": str(data), "PORT": str(port), "PORTAL_URL": url,
                          "DATABASE_URL": create_database(server, "scaled"), "REDIS_URL": redis_url,
                          "GRANIAN_WORKERS": "2", "REFLEX_PERF_MODE": "raise", "PYTHONUNBUFFERED": "1"})
        for name in ("SMTP_HOST", "STRIPE_SECRET_KEY"):  # mail to the outbox folder; no card payments
            env.pop(name, None)
        log = data / "portal.log"
        with serving(tree, env, url, log) as proc:
            yield ScaledPortal(url=url, log=log, pid=proc.pid)


def test_two_workers_share_tabs_files_and_live_changes_through_redis(scaled, browser):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    errors: list[str] = []
    try:
        customer, staff = (PortalPage(context.new_page(), scaled.url) for context in contexts)
        for tab in (customer, staff):
            tab.page.set_default_timeout(15000)
            tab.page.on("pageerror", lambda exc: errors.append(str(exc)))

        page = customer.signed_in("user@acme.example.com")
        title = f"Scanner offline {uuid.uuid4().hex[:6]}"
        note = {"name": "scanner.txt", "mimeType": "text/plain", "buffer": b"model DS2208, port 3"}
        number = open_new_ticket(customer, title, category="Support", severity=None, priority="Normal", files=[note])
        expect(page.get_by_role("heading", name=re.compile(title))).to_be_visible()
        expect(page.get_by_role("link", name="scanner.txt")).to_be_visible()
        customer.ready()

        inbox = staff.signed_in("staff@example.com")
        staff.open(f"/admin/tickets/{number}")
        expect(inbox.get_by_role("heading", name=re.compile(title))).to_be_visible()
        inbox.get_by_label("Comment").fill("Please unplug it for ten seconds.")
        inbox.get_by_role("button", name="Add comment").click()
        expect(inbox.get_by_role("article").first).to_contain_text("Please unplug it for ten seconds.")

        # the customer's open page shows the reply without a reload, whichever worker either tab is on
        expect(page.get_by_text("Please unplug it for ten seconds.")).to_be_visible(timeout=8000)

        page.reload()
        customer.ready()
        expect(page.get_by_role("heading", name=re.compile(title))).to_be_visible()
        expect(page.get_by_role("link", name="scanner.txt")).to_be_visible()
        expect(page.get_by_text("Please unplug it for ten seconds.")).to_be_visible()

        customer.open("/tickets")
        expect(page.get_by_role("link", name=title)).to_be_visible()
    finally:
        for context in contexts:
            context.close()
    assert not errors, errors
    workers = [p for p in psutil.Process(scaled.pid).children() if "python" in Path(p.cmdline()[0]).name]
    assert len(workers) == 2
