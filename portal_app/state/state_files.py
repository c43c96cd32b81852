"""Expired tab state files purged on a clock, not after every write round (issue 10).

Without Redis, Reflex's disk state manager writes each tab's states to one file per state class
(`.states/`), and after every write round (every couple of seconds while anyone is active) it lists
the folder and reads every file's time to remove the expired ones (`_purge_expired_states`). With
30 minutes of tabs kept, that is tens of thousands of files: 200 ms of the process's CPU per round
at 40,000 files, taken from the events meanwhile (one client's throughput halved,
docs/benchmarks.md). Here the manager's purge is replaced by one that runs at most every
`interval_s` (a thirtieth of the expiry, 2-60 s) and reads the folder with `os.scandir`.

An expired file is thus removed up to `interval_s` late. Until then its tab still finds its state
(the expiry is of idle tabs, not a deadline); `expired_tab` reloads a page only when its state is gone.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reflex.istate.manager.disk import StateManagerDisk


def purge_expired_files(directory: Path, *, expiration_s: float, now: float) -> int:
    """Remove the state files (`*.pkl`) of `directory` unchanged for longer than `expiration_s`;
    how many were removed."""
    removed = 0
    try:
        entries = os.scandir(directory)
    except FileNotFoundError:
        return 0
    with entries:
        for entry in entries:
            if not entry.name.endswith(".pkl"):
                continue
            try:
                if now - entry.stat().st_mtime > expiration_s:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:  # removed meanwhile (another worker, or rewritten and replaced)
                continue
    return removed


def purge_interval(expiration_s: float) -> float:
    return min(60.0, max(2.0, expiration_s / 30))


def purge_on_a_clock(manager: StateManagerDisk, *, interval_s: float,
                     clock: Callable[[], float] = time.time) -> None:
    """Make `manager`'s purge of expired files run at most every `interval_s` (Reflex calls it from
    its write task, on a worker thread; one call at a time)."""
    last = [float("-inf")]
    directory, expiration = manager.states_directory, manager.token_expiration

    def purge() -> None:
        now = clock()
        if now - last[0] < interval_s:
            return
        last[0] = now
        purge_expired_files(directory, expiration_s=expiration, now=now)

    manager._purge_expired_states = purge  # type: ignore[method-assign]


async def purge_state_files_on_a_clock(app: Any, *, rounds: int | None = None) -> None:
    """Lifespan task: installs the clock on the app's disk state manager (Redis expires its own keys),
    then purges every `interval_s` itself: Reflex's write task, which also calls it, may sleep for
    minutes now that busy tabs are written rarely (`tab_memory.BUSY_TAB_WRITE_S`). `rounds`: for tests."""
    manager = app.state_manager
    if not isinstance(manager, StateManagerDisk):
        return
    interval_s = purge_interval(manager.token_expiration)
    purge_on_a_clock(manager, interval_s=interval_s)
    while rounds is None or rounds > 0:
        await asyncio.sleep(interval_s)
        await asyncio.to_thread(manager._purge_expired_states)
        rounds = None if rounds is None else rounds - 1
