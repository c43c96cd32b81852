"""Running the project's Alembic migrations against a data folder, as `make run` does (for tests
of a migration on a real SQLite file, or of a PostgreSQL database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_alembic(data_dir: Path, *args: str, database_url: str | None = None) -> None:
    """`alembic <args>` on the database of `data_dir` (the SQLite file there), or on `database_url`."""
    env = os.environ | {"PORTAL_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    subprocess.run([sys.executable, "-m", "alembic", *args], cwd=ROOT, env=env, check=True, capture_output=True)
