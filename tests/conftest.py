"""Test-wide set-up: a private data folder and cheap bcrypt for unit tests, set before any import of
portal_app (its settings are read once at import)."""

import os
import tempfile

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
