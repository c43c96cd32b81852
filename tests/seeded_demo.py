"""The demo seed, made once per test process and copied into every later test's database.

Seeding takes about half a second (the catalog, the price books, the documents); five thousand
tests seeding their own database spent most of CI's time there. The first seed of the process is
kept in an in-memory SQLite database, with the documents' files it wrote, and SQLite's backup API
copies it over a test's database in milliseconds: the same rows, ids and files as a new seed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from portal_app.services.documents.upload import documents_dir

_seeded: sqlite3.Connection | None = None
_seeded_files: dict[str, bytes] = {}


def seed_or_copy(database: sqlite3.Connection, make_seed: Callable[[], None]) -> None:
    """Fill `database` (a raw SQLite connection with no open transaction) with the demo: run
    `make_seed` the first time and keep its result; copy the kept one every later time."""
    global _seeded
    if _seeded is None:
        make_seed()
        _seeded = sqlite3.connect(":memory:", check_same_thread=False)
        database.backup(_seeded)
        _seeded_files.update({p.name: p.read_bytes() for p in documents_dir().iterdir() if p.is_file()})
        return
    _seeded.backup(database)
    for name, content in _seeded_files.items():
        (documents_dir() / name).write_bytes(content)
