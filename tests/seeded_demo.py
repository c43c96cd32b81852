"""The demo seed, made once per test process and copied into every later test's database.

Seeding takes about half a second (the catalog, the price books, the documents); five thousand
tests seeding their own database spent most of CI's time there. The first seed of each kind (the
unit tests' in-memory database, the state tests' file with the tickets' search index) is kept in an
in-memory SQLite database, with the documents' files it wrote, and SQLite's backup API copies it
over a test's database in milliseconds: the same rows, ids and files as a new seed.

A copy writes past the ORM, so the change counters that a seed's commits moved (services/live.py)
are moved here instead: no cache filled by an earlier test answers for the copied database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from portal_app.services import live
from portal_app.services.documents.upload import documents_dir


@dataclass
class _Seeded:
    database: sqlite3.Connection
    files: dict[str, bytes] = field(default_factory=dict)


_seeded: dict[str, _Seeded] = {}


def seed_or_copy(database: sqlite3.Connection, make_seed: Callable[[], None], *, kind: str) -> None:
    """Fill `database` (a raw SQLite connection with no open transaction) with the demo: run
    `make_seed` the first time for this `kind` of seed and keep its result; copy it every later time."""
    kept = _seeded.get(kind)
    if kept is None:
        make_seed()
        kept = _seeded[kind] = _Seeded(sqlite3.connect(":memory:", check_same_thread=False))
        database.backup(kept.database)
        kept.files.update({p.name: p.read_bytes() for p in documents_dir().iterdir() if p.is_file()})
        return
    kept.database.backup(database)
    for name, content in kept.files.items():
        (documents_dir() / name).write_bytes(content)
    live.everything_changed()
