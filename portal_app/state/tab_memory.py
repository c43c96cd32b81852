"""Idle tabs out of memory, and busy tabs not written to disk every 2 seconds (issue 10).

Without Redis, Reflex's disk state manager keeps every tab's state in memory until it expires
(`PORTAL_TAB_STATE_MINUTES`, 30 by default), so the process grows with every tab opened in that
time. This lifespan task drops a tab's state from memory once the tab has been idle for
`PORTAL_TAB_MEMORY_SECONDS`, writing it to disk first if it changed since its last write; the tab's
next event reads it back from disk (a few milliseconds, as after a restart). A tab whose socket
is gone (closed, or left for another site) leaves sooner, `CLOSED_TAB_S` after its last event: so
memory follows the tabs open now, not those of the last few seconds, and a crowd arriving while the
previous one leaves does not hold both (docs/benchmarks.md, seventeenth round). The disk copy still
expires after `PORTAL_TAB_STATE_MINUTES` (then `expired_tab` reloads the page).

Reflex writes a busy tab's changed states every 2 s (its debounce): at 200 busy tabs, some 8,000
pickles and thread hand-offs a minute, about a tenth of the server's CPU (docs/benchmarks.md,
fifteenth round). With idle tabs written here, a busy tab needs writing only as a safeguard, every
`BUSY_TAB_WRITE_S`; Reflex still writes every pending state when the server stops. A crash loses up
to that much of a busy tab's state: the tab then gets a fresh one and its page loads again.

It reads the disk manager's own bookkeeping (Reflex 0.10 `StateManagerDisk`: `states`,
`_token_last_touched`, `_write_queue`, `_write_debounce_seconds`, `_is_locked`,
`set_state_for_substate`) and its socket bookkeeping (`token_to_socket` of the event namespace's
token manager); tests/state/test_tab_memory.py pins it.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import time
from collections.abc import Callable, Container
from typing import Any

from reflex.istate.manager import _release_state_tree
from reflex.istate.manager.disk import StateManagerDisk

from ..settings import settings

log = logging.getLogger("portal.tab_memory")


BUSY_TAB_WRITE_S = 300.0
CLOSED_TAB_S = 2.0  # a closed tab's state stays this long after its last event (a reload's events)
SWEEP_S = 1.0  # how often the task looks (a look without tabs to drop costs a walk of a dict)
TRIM_EVERY_S = 5.0  # the heap handed back at most this often (a trim walks the whole heap)


async def evict_idle(manager: StateManagerDisk, *, idle_s: float, open_tabs: Container[str] | None = None,
                     closed_s: float = CLOSED_TAB_S, now: float | None = None) -> int:
    """Drop from memory every tab state untouched for `idle_s` (or for `closed_s`, when `open_tabs`
    is given and the tab is not in it: its socket is gone) and not in use (its lock is held while
    an event or a background task runs), writing its pending changes to disk first. A tab that had an
    event while it was written stays (its changes are queued again). Returns how many were dropped."""
    now = time.time() if now is None else now
    queued: dict[str, list[Any]] = {}  # the write queue's keys per tab (one per state class an event named)
    for queued_token in manager._write_queue:
        queued.setdefault(queued_token.cache_key, []).append(queued_token)
    dropped = 0
    # the tabs in memory, not every tab seen before its state expires (thousands, walked every second)
    for cache_key in list(manager.states):
        if (last := manager._token_last_touched.get(cache_key)) is None:
            continue
        touched, token = last
        idle_for = idle_s if open_tabs is None or cache_key in open_tabs else min(idle_s, closed_s)
        if now - touched < idle_for or manager._is_locked(token):
            continue
        if waiting := [t for t in queued.get(cache_key, ()) if t in manager._write_queue]:
            if any(time.time() - manager._write_queue[t].timestamp >= manager._write_debounce_seconds for t in waiting):
                continue  # due: Reflex's own writer takes it now (the next round finds it written)
            items = [manager._write_queue.pop(t) for t in waiting]
            try:
                for item in items:
                    await manager.set_state_for_substate(item.token, item.state)
            except BaseException:
                for item in items:  # not written (a full disk, a stop): back in the queue, kept in memory
                    manager._write_queue.setdefault(item.token, item)
                raise
            if (manager._token_last_touched.get(cache_key, (None,))[0] != touched or manager._is_locked(token)
                    or any(t.cache_key == cache_key for t in manager._write_queue)):
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


def _open_tabs(app: Any) -> Callable[[], Container[str] | None]:
    """The tokens of the tabs whose socket is connected to this process, read when called (None
    when Reflex has no event namespace: then every tab counts as open)."""
    def read() -> Container[str] | None:
        namespace = app.event_namespace
        return None if namespace is None else namespace._token_manager.token_to_socket
    return read


async def evict_idle_tabs(app: Any) -> None:
    """Lifespan task: every second, drop idle and closed tabs' states from memory."""
    manager = app.state_manager
    if not isinstance(manager, StateManagerDisk) or settings.tab_memory_seconds <= 0:
        return  # Redis keeps states out of the process; 0 turns this off
    manager._write_debounce_seconds = max(manager._write_debounce_seconds, BUSY_TAB_WRITE_S)
    trim = _malloc_trim()
    open_tabs = _open_tabs(app)
    untrimmed, trimmed_at = False, 0.0
    while True:
        await asyncio.sleep(SWEEP_S)
        try:
            dropped = await evict_idle(manager, idle_s=settings.tab_memory_seconds, open_tabs=open_tabs())
            untrimmed = untrimmed or bool(dropped)
            if untrimmed and trim is not None and time.monotonic() - trimmed_at >= TRIM_EVERY_S:
                trim(0)  # without it the freed states' pages stay with the process (RSS keeps its peak)
                untrimmed, trimmed_at = False, time.monotonic()
            if dropped:
                log.debug("%d idle tab states dropped from memory (%d remain)", dropped, len(manager.states))
        except Exception:  # noqa: BLE001 - the next round tries again; states stay in memory meanwhile
            log.exception("dropping idle tab states failed")
