"""Expired tab state files are purged on a clock, not after every write round (state/state_files.py,
issue 10): Reflex's own disk state manager in a temporary folder, with a clock the test moves."""

from __future__ import annotations

import asyncio
import os
import time
from types import SimpleNamespace

from reflex.istate.manager.disk import StateManagerDisk

from portal_app.state.state_files import (
    purge_expired_files, purge_interval, purge_on_a_clock, purge_state_files_on_a_clock,
)

HOUR = 3600.0
NOW = 2_000_000_000.0


def state_file(folder, name: str, *, age_s: float) -> str:  # noqa: ANN001
    path = folder / name
    path.write_bytes(b"state")
    os.utime(path, (NOW - age_s, NOW - age_s))
    return name


def manager_in(folder) -> StateManagerDisk:  # noqa: ANN001
    manager = StateManagerDisk(token_expiration=int(HOUR))
    manager.__dict__["states_directory"] = folder  # the cached property, here instead of .states/
    return manager


def test_only_expired_state_files_are_removed(tmp_path):
    old = state_file(tmp_path, "a" * 32 + ".pkl", age_s=HOUR + 1)
    fresh = state_file(tmp_path, "b" * 32 + ".pkl", age_s=HOUR - 60)
    other = state_file(tmp_path, "notes.txt", age_s=10 * HOUR)
    assert purge_expired_files(tmp_path, expiration_s=HOUR, now=NOW) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh, other])
    assert old not in {p.name for p in tmp_path.iterdir()}
    assert purge_expired_files(tmp_path / "gone", expiration_s=HOUR, now=NOW) == 0


def test_the_managers_purge_runs_at_most_once_per_interval(tmp_path):
    clock = [NOW]
    manager = manager_in(tmp_path)
    purge_on_a_clock(manager, interval_s=60, clock=lambda: clock[0])
    manager._purge_expired_states()  # what Reflex's write task calls after each round
    expired = state_file(tmp_path, "c" * 32 + ".pkl", age_s=HOUR + 1)
    clock[0] += 59
    manager._purge_expired_states()  # within the interval: the folder is not read again
    assert (tmp_path / expired).exists()
    clock[0] += 2
    manager._purge_expired_states()
    assert not (tmp_path / expired).exists()


def test_the_app_installs_the_clock_and_purges_without_any_write(tmp_path):
    manager = manager_in(tmp_path)
    manager.token_expiration = 60  # a purge every 2 s (set after: making a manager purges its own folder)
    expired = tmp_path / ("d" * 32 + ".pkl")
    expired.write_bytes(b"state")
    os.utime(expired, (time.time() - 120, time.time() - 120))
    fresh = tmp_path / ("e" * 32 + ".pkl")
    fresh.write_bytes(b"state")
    asyncio.run(purge_state_files_on_a_clock(SimpleNamespace(state_manager=manager), rounds=1))
    assert "_purge_expired_states" in vars(manager)  # the instance's own, not StateManagerDisk's
    assert not expired.exists() and fresh.exists()  # no write round ran: the task's own clock purged
    assert purge_interval(30 * 60) == 60 and purge_interval(60) == 2
