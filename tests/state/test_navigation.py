"""A navigation through Reflex's own event processor and the app's middleware (state/navigation.py): a
self-guarded page loads within `on_load_internal`, one event, and its handler marks the tab hydrated
in every outcome; a tab whose state is gone is rehydrated by Reflex first, as before; pages with the
guard's chain keep Reflex's trailing `set_is_hydrated`."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx
from reflex.state import OnLoadInternalState
from reflex_base.event import Event
from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor
from reflex_base.utils.format import format_event_handler
from statekit import Portal, event_processor, router_data

import portal_app.portal_app as served  # registers the app and its pages with Reflex, as the server does
from portal_app.state import navigation
from portal_app.state.expired_tab import ReloadExpiredTab
from portal_app.state.session import SessionState
from portal_app.state.ticket_list import TicketListState


def navigate(path: str, token: str = "", *, hydrate: bool = True) -> tuple[list[str], Any]:
    """A tab opened at `path` (Reflex's `hydrate_and_load`), then a navigation to it again
    (`on_load_internal`), signed in with `token`: the events the processor ran for the navigation,
    in order, and the tab's root state afterwards. `hydrate=False`: the navigation comes to a tab
    whose state is gone (expired), as Reflex then rehydrates it first."""
    router = router_data(path, token)
    ran: list[str] = []

    class Recording(BaseStateEventProcessor):
        async def _process_event_queue_entry(self, *, entry: Any, registered_handler: Any) -> None:
            ran.append(entry.event.name.rpartition(".")[2])
            await super()._process_event_queue_entry(entry=entry, registered_handler=registered_handler)

    async def run() -> Any:
        manager, processor = event_processor(served.app.backend_exception_handler, Recording, middleware=served.app)
        tab = "tab-under-test"
        async with processor:
            if hydrate:
                await (await processor.enqueue(tab, Event(
                    name=format_event_handler(rx.State.hydrate_and_load), payload={}, router_data=router)))
                ran.clear()
            await (await processor.enqueue(tab, Event(
                name=format_event_handler(OnLoadInternalState.on_load_internal), payload={}, router_data=router)))
            await asyncio.sleep(0.3)  # the chain runs on after the first event's future: let it finish
            return await manager.get_state(rx.BaseStateToken(ident=tab, cls=OnLoadInternalState))

    return ran, asyncio.run(run())


def test_the_replacement_is_what_reflex_calls():
    import reflex.state

    assert reflex.state._load_events_for_page is navigation._load_events_for_page


def test_the_inline_load_comes_before_the_expired_tab_middleware():
    """Only a state this tab has sent events to loads inline; ReloadExpiredTab marks that."""
    kinds = [type(m) for m in served.app._middlewares]
    assert kinds.index(navigation.RunLoadInline) < kinds.index(ReloadExpiredTab)


def list_state(root: Any) -> Any:
    return root.get_substate(TicketListState.get_full_name().split(".")[1:])


def test_a_self_guarded_list_loads_in_one_event_and_is_hydrated(portal: Portal):
    portal.tickets()
    ran, root = navigate("/admin/tickets", portal.token("staff"))
    assert ran == ["on_load_internal"]
    assert root.is_hydrated is True
    inst = list_state(root)
    assert inst.loaded and inst.rows and inst.ready_for == "/admin/tickets"


def test_a_self_guarded_page_sending_someone_away_is_hydrated_too(portal: Portal):
    """Signed out: the handler redirects to the sign-in page, and the tab is not left unhydrated."""
    ran, root = navigate("/tickets")
    assert ran == ["on_load_internal"]
    assert root.is_hydrated is True
    assert list_state(root).loaded is False


def test_a_tab_whose_state_is_gone_is_rehydrated_first(portal: Portal):
    """Reflex sends such a tab a fresh snapshot and runs the page's handler; that path is Reflex's."""
    portal.tickets()
    ran, root = navigate("/admin/tickets", portal.token("staff"), hydrate=False)
    assert ran[0] == "on_load_internal" and "load_staff" in ran and "set_is_hydrated" not in ran
    assert root.is_hydrated is True
    assert list_state(root).loaded and list_state(root).rows


def test_a_page_with_the_guard_chain_keeps_reflexs_last_event(portal: Portal):
    """The new-ticket page restores a draft once `is_hydrated` says its handlers have run: it is set
    after them, by Reflex's own event, as before."""
    ran, root = navigate("/tickets/new", portal.token("acme_user"))
    assert ran[0] == "on_load_internal" and ran[1] == "guard" and ran[-1] == "set_is_hydrated"
    assert root.is_hydrated is True
    assert root.get_substate(SessionState.get_full_name().split(".")[1:]).ready_for == "/tickets/new"
