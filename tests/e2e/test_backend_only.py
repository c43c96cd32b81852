"""The backend alone (`reflex run --env prod --backend-only`), as workers behind a frontend served
elsewhere run it: the one port that rxconfig gives frontend and backend must not stop it from
starting (Reflex refuses a frontend port when it serves no frontend)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import copy_sources, free_port, server_env


def _answer(url: str) -> tuple[int, bytes] | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status, reply.read()
    except OSError:
        return None


def test_backend_only_starts_on_its_port_and_answers(tmp_path: Path):
    tree, data = tmp_path / "tree", tmp_path / "data"
    tree.mkdir()
    data.mkdir()
    copy_sources(tree)
    port = free_port()
    env = server_env({**os.environ, "PORTAL_DATA_DIR": str(data), "PORT": "3000",
                      "PORTAL_URL": f"http://127.0.0.1:{port}", "PYTHONUNBUFFERED": "1"})
    env.pop("DATABASE_URL", None)
    bindir = Path(sys.executable).parent
    subprocess.run([str(bindir / "alembic"), "upgrade", "head"], cwd=tree, env=env, check=True, capture_output=True)
    log = data / "backend.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(bindir / "reflex"), "run", "--env", "prod", "--backend-only",
                                 "--backend-port", str(port), "--backend-host", "127.0.0.1"],
                                cwd=tree, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            if (health := _answer(f"http://127.0.0.1:{port}/api/health")) is not None:
                break
            time.sleep(0.5)
        assert health is not None and health[0] == 200, log.read_text(errors="replace")[-3000:]
        assert _answer(f"http://127.0.0.1:{port}/ping") == (200, b'"pong"')
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=15)
    assert "Traceback" not in log.read_text(errors="replace")
