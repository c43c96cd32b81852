"""A tab whose state the server forgot (idle past PORTAL_TAB_STATE_MINUTES) works on as before.

What the server sees then is an event for a token it has no state for, on a socket that did not
hydrate. These tests speak Reflex's socket protocol directly (a browser cannot be made to skip its
hydrate): they sign in, connect with a new token and no hydrate, and send the tab's next event.
The page's on_load handlers must run first (state/expired_tab.py), so the event acts on the page
the user sees: the comment is recorded, the filter keeps the list's other filters."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
from sqlmodel import select

from portal_app.models import TicketComment

from .people import make_ticket, make_user

ROOT = "reflex___state____state"
SESSION = f"{ROOT}.portal_app___state___session____session_state"
LIST = f"{SESSION}.portal_app___state___ticket_list____ticket_list_state"
DETAIL = (f"{SESSION}.portal_app___state___ticket_files____staging_state"
          ".portal_app___state___ticket_detail____ticket_detail_state")
NS = "/_event"
PASSWORD = "Demo-pass-2026"


async def _expired_tab_sends(url: str, email: str, path: str, name: str, payload: dict[str, Any],
                             done: str) -> list[dict[str, Any]]:
    """Sign in, open a socket whose state is gone, send one event; the updates until `done` is seen."""
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/api/session", data={"email": email, "password": PASSWORD, "next": "/"},
                             allow_redirects=False, headers={"Origin": url}) as response:
            assert response.status == 303, await response.text()
            cookie = response.cookies["portal_session"].value
        token = str(uuid.uuid4())
        ws = await http.ws_connect(url.replace("http", "ws", 1) + f"/_event/?token={token}&EIO=4&transport=websocket",
                                   headers={"Cookie": f"portal_session={cookie}", "Origin": url}, max_msg_size=0)
        try:
            assert (await ws.receive_str()).startswith("0")
            await ws.send_str(f"40{NS},{{}}")  # connected, but no hydrate: the state for this token is gone
            parts = urlsplit(path)
            query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
            if parts.path.startswith("/tickets/"):
                query["number"] = parts.path.rsplit("/", 1)[1]
            event = {"name": name, "payload": payload,
                     "router_data": {"pathname": parts.path, "asPath": path, "query": query}}
            await ws.send_str(f"42{NS}," + json.dumps(["event", event]))
            updates: list[dict[str, Any]] = []
            async with asyncio.timeout(30):
                while True:
                    frame = (await ws.receive()).data
                    if frame == "2":  # engine.io ping
                        await ws.send_str("3")
                    elif isinstance(frame, str) and frame.startswith(f"42{NS},"):
                        updates.append(json.loads(frame[len(NS) + 3:])[1])
                        if done in frame:
                            return updates
        finally:
            await ws.close()


def _run(coroutine) -> Any:  # noqa: ANN001
    """Run `coroutine` to its end on a thread of its own (Playwright's sync API keeps a loop on this one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _values(updates: list[dict[str, Any]], state: str, var: str) -> list[Any]:
    return [u["delta"][state][f"{var}_rx_state_"] for u in updates
            if f"{var}_rx_state_" in u.get("delta", {}).get(state, {})]


def _events(updates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for u in updates for e in u.get("events") or []]


def test_a_comment_sent_from_an_expired_tab_is_recorded_on_the_reloaded_ticket(portal):
    email = make_user(portal, first="Lunch", profile="Primary contact")
    ticket = make_ticket(portal, email, "Printer jams after lunch")
    number, ticket_id = ticket.number, ticket.id
    body = f"Typed before lunch, sent after {uuid.uuid4().hex[:6]}"
    updates = _run(_expired_tab_sends(
        portal.url, email, f"/tickets/{number}", f"{DETAIL}.add_comment",
        {"form_data": {"__reflex_form_data__": [["comment", body]]}}, done=body))

    # the ticket was loaded (the page's on_load) before the comment was handled, and nothing failed
    assert _values(updates, DETAIL, "title")[:1] == ["Printer jams after lunch"]
    assert f"/tickets/{number}" in _values(updates, SESSION, "ready_for")
    assert not [e for e in _events(updates) if "alert" in json.dumps(e) or "toast" in json.dumps(e)]
    with portal.db() as session:
        recorded = session.exec(select(TicketComment.body).where(TicketComment.ticket_id == ticket_id)).all()
    assert recorded == [body]


def test_a_filter_clicked_in_an_expired_tab_keeps_the_lists_other_filters(portal):
    email = make_user(portal, first="Idle", profile="Primary contact")
    updates = _run(_expired_tab_sends(
        portal.url, email, "/tickets?priority=High&q=printer", f"{LIST}.toggle_status", {"value": "new"},
        done='"view_url_rx_state_"'))
    # the click's view, shown at once, and its address for the address bar: without the page's
    # reload, the list would have forgotten its priority and its search
    shown = [urlsplit(address) for address in _values(updates, LIST, "view_url") if address]
    assert [(r.path, parse_qs(r.query)) for r in shown] == [
        ("/tickets", {"status": ["New"], "priority": ["High"], "q": ["printer"]})]
    assert _values(updates, LIST, "sel_status")[-1] == ["new"]
    assert not [e for e in _events(updates) if e["name"] == "_redirect"]
