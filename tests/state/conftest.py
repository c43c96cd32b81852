"""State tests: event handlers called directly, as Reflex would call them, against a seeded SQLite file.

tests/conftest.py (loaded first) points PORTAL_DATA_DIR at a temp folder, so the engine that every
state reaches through `run_service` -> `session_scope()` is a throw-away SQLite database. Each test
starts from a freshly created and seeded schema (the `portal` fixture is autouse).

Under pytest Reflex lets a test build `rx.State()` directly (it checks PYTEST_CURRENT_TEST); the
feature state is then taken with `root.get_substate(...)`. A client is signed in the way the
websocket handshake signs it in (`Portal.connect`: the session cookie's hash in the handshake
headers, as `http/middleware.py` passes it to Reflex); the page URL (`?id=`, `?token=`) and those
headers are set on the root through `RouterData.from_router_data`, which the per-field router
vars of 0.10.1 decompose.
"""

from __future__ import annotations

import os

os.environ.setdefault("REFLEX_PERF_MODE", "raise")

import pytest  # noqa: E402
from statekit import Portal, fresh_database  # noqa: E402


@pytest.fixture(autouse=True)
def portal() -> Portal:
    """A clean, seeded database for every test, and the helper to drive states against it."""
    fresh_database()
    return Portal()
