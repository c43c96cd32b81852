"""Idle tab states leave memory once on disk and come back whole (state/tab_memory.py, issue 10).

Runs Reflex's own disk state manager in a temporary folder; this also pins the bookkeeping of
`StateManagerDisk` that `evict_idle` reads.
"""

from __future__ import annotations

import asyncio
import time

import statekit  # noqa: F401  (registers every state before the root is built)
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State

from portal_app.state.session import SessionState
from portal_app.state.tab_memory import evict_idle
from portal_app.state.ticket_list import TicketListState

HOUR = 3600.0


def manager_in(folder) -> StateManagerDisk:  # noqa: ANN001
    manager = StateManagerDisk(token_expiration=int(HOUR), _write_debounce_seconds=0.05)
    manager.__dict__["states_directory"] = folder  # the cached property, here instead of .states/
    return manager


async def written(manager: StateManagerDisk, token: BaseStateToken, *states: type) -> None:
    """Until the write queue has written the states: out of the queue, and each file in place (the
    writer takes an item off the queue before it writes it)."""
    for _ in range(200):
        if not manager._write_queue and all(manager.token_path(token.with_cls(s)).exists() for s in states):
            await asyncio.sleep(0.05)  # the last file's bytes
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the write queue did not write the state")


def test_an_idle_tab_leaves_memory_and_its_next_event_finds_its_state(tmp_path):
    async def scenario() -> None:
        manager = manager_in(tmp_path)
        token = BaseStateToken(ident="tab-1", cls=State).with_cls(TicketListState)
        async with manager.modify_state(token) as root:
            (await root.get_state(SessionState))._tab_seen = True
            (await root.get_state(TicketListState)).q = "printer"
        later = time.time() + HOUR
        assert evict_idle(manager, idle_s=60, now=later) == 0  # still waiting to be written: kept
        await written(manager, token, SessionState, TicketListState)
        assert evict_idle(manager, idle_s=60) == 0  # written, but not idle for a minute yet
        assert evict_idle(manager, idle_s=60, now=later) == 1
        assert token.cache_key not in manager.states

        async with manager.modify_state(token) as root:  # the tab's next event
            assert (await root.get_state(SessionState))._tab_seen is True  # no page reload (expired_tab)
            assert (await root.get_state(TicketListState)).q == "printer"
        assert token.cache_key in manager.states
        await manager.close()

    asyncio.run(scenario())


def test_a_tab_whose_event_is_running_stays_in_memory(tmp_path):
    async def scenario() -> None:
        manager = manager_in(tmp_path)
        token = BaseStateToken(ident="tab-2", cls=State).with_cls(TicketListState)
        async with manager.modify_state(token) as root:
            (await root.get_state(TicketListState)).q = "first"
        await written(manager, token, TicketListState)
        async with manager.modify_state(token) as root:  # an event (or a background task) holds the lock
            assert evict_idle(manager, idle_s=60, now=time.time() + HOUR) == 0
            (await root.get_state(TicketListState)).q = "second"
        assert manager.states[token.cache_key] is root
        await manager.close()

    asyncio.run(scenario())
