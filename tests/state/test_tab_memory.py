"""Idle tab states leave memory once on disk and come back whole (state/tab_memory.py, issue 10).

Runs Reflex's own disk state manager in a temporary folder; this also pins the bookkeeping of
`StateManagerDisk` that `evict_idle` reads and writes.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import pytest

import statekit  # noqa: F401  (registers every state before the root is built)
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State
from reflex.utils.token_manager import LocalTokenManager

from portal_app.state.session import SessionState
from portal_app.state.tab_memory import BUSY_TAB_WRITE_S, CLOSED_TAB_S, _open_tabs, evict_idle
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


def busy_manager_in(folder) -> StateManagerDisk:  # noqa: ANN001
    """As the lifespan task sets it up: a busy tab is written only every BUSY_TAB_WRITE_S."""
    manager = manager_in(folder)
    manager._write_debounce_seconds = BUSY_TAB_WRITE_S
    return manager


def test_an_idle_tab_is_written_leaves_memory_and_its_next_event_finds_its_state(tmp_path):
    async def scenario() -> None:
        manager = busy_manager_in(tmp_path)
        token = BaseStateToken(ident="tab-1", cls=State).with_cls(TicketListState)
        async with manager.modify_state(token) as root:
            (await root.get_state(SessionState))._tab_seen = True
            (await root.get_state(TicketListState)).q = "printer"
        await asyncio.sleep(0.2)
        assert manager._write_queue  # busy: not written every couple of seconds
        assert not manager.token_path(token.with_cls(TicketListState)).exists()
        assert await evict_idle(manager, idle_s=60) == 0  # not idle for a minute yet
        assert await evict_idle(manager, idle_s=60, now=time.time() + HOUR) == 1  # written first, then dropped
        assert token.cache_key not in manager.states and not manager._write_queue
        assert manager.token_path(token.with_cls(TicketListState)).exists()

        async with manager.modify_state(token) as root:  # the tab's next event
            assert (await root.get_state(SessionState))._tab_seen is True  # no page reload (expired_tab)
            assert (await root.get_state(TicketListState)).q == "printer"
        assert token.cache_key in manager.states
        await manager.close()

    asyncio.run(scenario())


def test_a_tab_already_written_leaves_memory_without_writing_again(tmp_path):
    async def scenario() -> None:
        manager = manager_in(tmp_path)  # Reflex's own debounce: written within moments
        token = BaseStateToken(ident="tab-3", cls=State).with_cls(TicketListState)
        async with manager.modify_state(token) as root:
            (await root.get_state(TicketListState)).q = "written"
        await written(manager, token, TicketListState)
        path = manager.token_path(token.with_cls(TicketListState))
        stamp = path.stat().st_mtime_ns
        assert await evict_idle(manager, idle_s=60, now=time.time() + HOUR) == 1
        assert path.stat().st_mtime_ns == stamp
        async with manager.modify_state(token) as root:
            assert (await root.get_state(TicketListState)).q == "written"
        await manager.close()

    asyncio.run(scenario())


def test_a_tab_with_an_event_while_it_is_written_stays_in_memory(tmp_path):
    async def scenario() -> None:
        manager = busy_manager_in(tmp_path)
        token = BaseStateToken(ident="tab-4", cls=State).with_cls(TicketListState)
        async with manager.modify_state(token) as root:
            (await root.get_state(TicketListState)).q = "before"
        write = manager.set_state_for_substate

        async def write_while_an_event_comes(*args):  # noqa: ANN002
            async with manager.modify_state(token) as during:  # the event, between the write's steps
                (await during.get_state(TicketListState)).q = "during"
            await write(*args)

        manager.set_state_for_substate = write_while_an_event_comes  # type: ignore[method-assign]
        assert await evict_idle(manager, idle_s=60, now=time.time() + HOUR) == 0
        manager.set_state_for_substate = write  # type: ignore[method-assign]
        assert (await manager.states[token.cache_key].get_state(TicketListState)).q == "during"
        assert manager._write_queue  # the event's change waits to be written
        await manager.close()

    asyncio.run(scenario())


def test_a_tab_whose_event_is_running_stays_in_memory(tmp_path):
    async def scenario() -> None:
        manager = busy_manager_in(tmp_path)
        token = BaseStateToken(ident="tab-2", cls=State).with_cls(TicketListState)
        async with manager.modify_state(token) as root:
            (await root.get_state(TicketListState)).q = "first"
        async with manager.modify_state(token) as root:  # an event (or a background task) holds the lock
            assert await evict_idle(manager, idle_s=60, now=time.time() + HOUR) == 0
            (await root.get_state(TicketListState)).q = "second"
        assert manager.states[token.cache_key] is root
        await manager.close()

    asyncio.run(scenario())


def test_a_tab_that_cannot_be_written_stays_queued_and_in_memory(tmp_path):
    async def scenario() -> None:
        manager = busy_manager_in(tmp_path)
        token = BaseStateToken(ident="tab-5", cls=State).with_cls(TicketListState)
        async with manager.modify_state(token) as root:
            (await root.get_state(TicketListState)).q = "unsaved"

        async def disk_full(*_args):  # noqa: ANN002
            raise OSError(28, "No space left on device")

        write = manager.set_state_for_substate
        manager.set_state_for_substate = disk_full  # type: ignore[method-assign]
        with pytest.raises(OSError):
            await evict_idle(manager, idle_s=60, now=time.time() + HOUR)
        manager.set_state_for_substate = write  # type: ignore[method-assign]
        assert token.cache_key in manager.states and manager._write_queue  # the next round tries again
        assert await evict_idle(manager, idle_s=60, now=time.time() + HOUR) == 1
        async with manager.modify_state(token) as root:
            assert (await root.get_state(TicketListState)).q == "unsaved"
        await manager.close()

    asyncio.run(scenario())


def test_a_closed_tab_leaves_memory_soon_after_its_last_event_and_an_open_one_stays(tmp_path):
    """A tab whose socket is gone is not kept for the idle time: its state is written and dropped
    CLOSED_TAB_S after its last event (the same tab reloaded then reads it back from disk)."""
    async def scenario() -> None:
        manager = busy_manager_in(tmp_path)
        shown = BaseStateToken(ident="tab-open", cls=State).with_cls(TicketListState)
        closed = BaseStateToken(ident="tab-closed", cls=State).with_cls(TicketListState)
        for token in (shown, closed):
            async with manager.modify_state(token) as root:
                (await root.get_state(TicketListState)).q = token.ident
        open_tabs = {"tab-open"}
        assert await evict_idle(manager, idle_s=60, open_tabs=open_tabs) == 0  # a reload's moment
        later = time.time() + CLOSED_TAB_S + 1
        assert await evict_idle(manager, idle_s=60, open_tabs=open_tabs, now=later) == 1
        assert set(manager.states) == {"tab-open"}  # open, and idle for less than a minute: stays
        async with manager.modify_state(closed) as root:  # reopened: its state comes back from disk
            assert (await root.get_state(TicketListState)).q == "tab-closed"
        assert await evict_idle(manager, idle_s=60, open_tabs=open_tabs, now=time.time() + HOUR) == 2
        await manager.close()

    asyncio.run(scenario())


def test_the_open_tabs_are_those_with_a_socket_in_reflex_s_token_manager():
    async def scenario() -> None:
        tokens = LocalTokenManager()
        app = SimpleNamespace(event_namespace=SimpleNamespace(_token_manager=tokens))
        open_tabs = _open_tabs(app)
        await tokens.link_token_to_sid("tab-1", "sid-1")
        await tokens.link_token_to_sid("tab-2", "sid-2")
        assert "tab-1" in open_tabs() and "tab-2" in open_tabs()
        await tokens.disconnect_token("tab-1", "sid-1")
        assert "tab-1" not in open_tabs() and "tab-2" in open_tabs()
        assert _open_tabs(SimpleNamespace(event_namespace=None))() is None  # no sockets known: all open

    asyncio.run(scenario())
