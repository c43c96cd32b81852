"""No silent failures: an event that fails on the server shows the tab a translated alert.

The failure goes through Reflex's own event processor (the one the server runs), with the app's
`backend_exception_handler`; and when the alert's own event fails too, it is not answered again
(no loop). The shell renders the three alerts (`components/alerts.py`): what the browser shows
when the connection is down, when it dropped under the page (a refused message), and after a
server failure.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
import reflex as rx
from reflex_base.event import Event
from reflex_base.utils.format import format_event_handler
from statekit import Portal, event_processor

import portal_app.portal_app as served  # registers the app with Reflex, as the server does
from portal_app.components.shell import app_shell, public_shell
from portal_app.i18n import CATALOGUE_DIR, available_languages, catalogue
from portal_app.state import alerts
from portal_app.state.alerts import EventFailureState, event_failed

ALERT_KEYS = ("app.offline", "app.action_not_sent", "app.event_failed")


def run_events(events: list[tuple[Any, dict]], *, wait_for: Any = None) -> EventFailureState:
    """Process events for one tab through Reflex's event processor; the tab's EventFailureState after."""
    async def run() -> EventFailureState:
        manager, processor = event_processor(served.app.backend_exception_handler)
        token = "tab-under-test"
        async with processor:
            for handler, payload in events:
                future = await processor.enqueue(token, Event(name=format_event_handler(handler), payload=payload,
                                                              router_data={"pathname": "/", "asPath": "/"}))
                try:
                    await future
                except Exception:  # noqa: BLE001 - the failure under test
                    pass
            for _ in range(40):  # the alert's event is queued after the failure
                await asyncio.sleep(0.05)
                root = await manager.get_state(rx.BaseStateToken(ident=token, cls=EventFailureState))
                state = await root.get_state(EventFailureState)
                if wait_for is None or wait_for(state):
                    break
            return state

    return asyncio.run(run())


def test_the_app_answers_failures_itself():
    assert served.app.backend_exception_handler is event_failed
    served.app._validate_exception_handlers()  # Reflex accepts its signature
    assert (5, "Overlay") not in served.app.app_wraps  # no English connection toast beside ours


def test_a_failing_event_shows_the_alert_and_is_logged(portal: Portal, caplog):
    with caplog.at_level(logging.ERROR, logger="portal.events"):
        # a handler called with an argument it does not take: a TypeError inside the processor
        state = run_events([(EventFailureState.dismiss, {"bogus": 1})], wait_for=lambda s: s.failed)
    assert state.failed is True
    assert [r.exc_info[0] for r in caplog.records if r.name == "portal.events"] == [TypeError]
    # dismissing hides it again
    state = run_events([(EventFailureState.show, {}), (EventFailureState.dismiss, {})])
    assert state.failed is False


def test_when_the_alert_itself_fails_it_is_not_answered_again(portal: Portal, monkeypatch, caplog):
    """E.g. a tab whose state cannot be saved at all: every event fails, the alert's too."""
    calls: list[Exception] = []

    def counting(exception: Exception):
        calls.append(exception)
        return event_failed(exception)

    monkeypatch.setattr(served.app, "backend_exception_handler", counting)
    handler = EventFailureState.event_handlers["show"]
    original = handler.fn

    def show(self):
        raise RuntimeError("state cannot be saved")

    show.__qualname__ = original.__qualname__  # the same event name
    object.__setattr__(handler, "fn", show)
    try:
        with caplog.at_level(logging.ERROR, logger="portal.events"):
            state = run_events([(EventFailureState.dismiss, {"bogus": 1})], wait_for=lambda s: len(calls) >= 3)
    finally:
        object.__setattr__(handler, "fn", original)
    assert [type(c) for c in calls] == [TypeError, RuntimeError]  # the failure, the alert's: then silence
    assert state.failed is False


def test_a_failure_outside_an_event_is_only_logged(caplog):
    with caplog.at_level(logging.ERROR, logger="portal.events"):
        assert event_failed(RuntimeError("no event")) is None
    assert caplog.records


def test_the_window_of_answered_events_stays_small(monkeypatch):
    monkeypatch.setattr(alerts, "_ANSWERED_KEPT", 3)
    monkeypatch.setattr(alerts, "_ANSWERED", type(alerts._ANSWERED)())
    for _ in range(5):
        run_events([(EventFailureState.dismiss, {"bogus": 1})], wait_for=lambda s: s.failed)
    assert len(alerts._ANSWERED) == 3


@pytest.mark.parametrize("shell", [app_shell, public_shell])
def test_the_shell_renders_the_alerts(shell):
    component = shell(rx.text("page"))
    rendered = str(component.render())
    hooks = "\n".join(component._get_all_hooks())
    for alert_id in ("portal-offline", "portal-not-sent", "portal-event-failed"):
        assert f'id:"{alert_id}"' in rendered
    assert rendered.count('role:"alert"') >= 3
    for key in ALERT_KEYS:  # each alert's text, in every language (the user's picked in the browser)
        for lang in available_languages():
            compiled = json.dumps(catalogue(lang)[key])[1:-1].replace("\\", "\\\\")  # as the repr shows it
            assert compiled[:30] in rendered, (key, lang)
    assert "connectErrors" in rendered and "portalConnection" in rendered
    assert "window.__reflex_otel" in hooks  # where Reflex reports a connection that dropped
    assert "useSyncExternalStore" in hooks and "eval(" not in hooks + rendered  # nothing the CSP blocks


def test_the_alerts_are_translated():
    for path in sorted(CATALOGUE_DIR.glob("*.json")):
        catalogue = json.loads(path.read_text(encoding="utf-8"))
        for key in (*ALERT_KEYS, "common.close"):
            assert catalogue.get(key), (path.name, key)
