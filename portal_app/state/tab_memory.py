"""Idle tabs out of memory (issue 10, memory).

Without Redis, Reflex's disk state manager keeps every tab's state in memory until it expires
(`PORTAL_TAB_STATE_MINUTES`, 30 by default), so the process grows with every tab opened in that
time. This lifespan task drops a tab's state from memory once the tab has been idle for
`PORTAL_TAB_MEMORY_SECONDS` and its state is on disk; the tab's next event reads it back from disk
(a few milliseconds, as after a restart). The disk copy still expires after
`PORTAL_TAB_STATE_MINUTES` (then `expired_tab` reloads the page).

It reads the disk manager's own bookkeeping (Reflex 0.10 `StateManagerDisk`: `states`,
`_token_last_touched`, `_write_queue`, `_is_locked`); tests/state/test_tab_memory.py pins it.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import time
from typing import Any

from reflex.istate.manager import _release_state_tree
from reflex.istate.manager.disk import StateManagerDisk

from ..settings import settings

log = logging.getLogger("portal.tab_memory")


def evict_idle(manager: StateManagerDisk, *, idle_s: float, now: float | None = None) -> int:
    """Drop from memory every tab state untouched for `idle_s` that is on disk and not in use.
    Written to disk: not waiting in the write queue (which writes within its debounce of 2 s, and
    takes an item off before writing it: `idle_s` must be far longer than a write). In use: its lock is held (an event or a background task runs).
    Returns how many were dropped."""
    now = time.time() if now is None else now
    pending = {token.cache_key for token in manager._write_queue}
    dropped = 0
    for cache_key, (touched, token) in list(manager._token_last_touched.items()):
        if now - touched < idle_s or cache_key in pending or manager._is_locked(token):
            continue
        state = manager.states.pop(cache_key, None)
        if state is None:
            continue
        _release_state_tree(state)
        dropped += 1
    return dropped


def _malloc_trim() -> Any:
    """glibc's `malloc_trim`, which hands the heap's free pages back to the system; None elsewhere."""
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), "malloc_trim", None)
    except OSError:
        return None


async def evict_idle_tabs(app: Any) -> None:
    """Lifespan task: every quarter of the idle time, drop idle tabs' states from memory."""
    manager = app.state_manager
    if not isinstance(manager, StateManagerDisk) or settings.tab_memory_seconds <= 0:
        return  # Redis keeps states out of the process; 0 turns this off
    trim = _malloc_trim()
    while True:
        await asyncio.sleep(max(1.0, settings.tab_memory_seconds / 4))
        try:
            dropped = evict_idle(manager, idle_s=settings.tab_memory_seconds)
            if dropped and trim is not None:
                trim(0)  # without it the freed states' pages stay with the process (RSS keeps its peak)
            if dropped:
                log.debug("%d idle tab states dropped from memory (%d remain)", dropped, len(manager.states))
        except Exception:  # noqa: BLE001 - the next round tries again; states stay in memory meanwhile
            log.exception("dropping idle tab states failed")
