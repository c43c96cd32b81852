"""Test-wide set-up: a private data folder and cheap bcrypt for unit tests, set before any import of
portal_app (its settings are read once at import)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

_DATA = tempfile.mkdtemp(prefix="portal-test-")
os.environ["PORTAL_DATA_DIR"] = _DATA
os.environ.setdefault("PORTAL_BCRYPT_ROUNDS", "4")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("SMTP_HOST", None)
os.environ.pop("REDIS_URL", None)


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _no_list_pages_from_another_test():
    """Each test's database is new but the process's change counters are not: no ticket list page
    or ticket thread cached by an earlier test may answer this one's (services/tickets/page_cache.py,
    thread_cache.py)."""
    from portal_app.services.tickets.page_cache import counts, pages
    from portal_app.services.tickets.thread_cache import threads

    pages.clear()
    counts.clear()
    threads.clear()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real Redis on a free loopback port, for the tests of the multi-worker paths."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path_factory.mktemp("redis"))], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)
