"""The shell's alert for actions that did not get through: no silent failures.

Three cases, each a translated message with role="alert", fixed at the bottom of the window:
- the connection is down and Reflex is reconnecting (Reflex's own `connectErrors`): "app.offline",
  gone by itself once the connection is back;
- the connection dropped under an open page ("app.action_not_sent"): what happens when a message is
  refused, e.g. one over the event socket's 1 MB limit (`REFLEX_SOCKET_MAX_HTTP_BUFFER_SIZE`): the
  server closes the socket, Reflex reconnects at once and the event is lost. Stays until dismissed,
  since the reconnect takes milliseconds;
- an event failed on the server ("app.event_failed", `state/alerts.py`), until dismissed.

Reflex's frontend (0.10, `.templates/web/utils/state.js`) reports an established connection that
drops only to its instrumentation hook `window.__reflex_otel.onSocketDisconnect(reason)`; we chain
onto that hook (keeping any other instrumentation) and keep the result in a tiny store on `window`
that the alert reads with `useSyncExternalStore`. Plain functions in the bundle: no inline script
and no eval, which the pages' CSP forbids. The code only runs in the browser (the build prerenders
pages in Node, where the store reads as "ok").
"""

from __future__ import annotations

import reflex as rx
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import VarData
from reflex_components_core.core.banner import has_connection_errors

from ..state.alerts import EventFailureState
from .i18n import t

# Installed once per page load, before the socket connects (the shell renders first).
_INSTALL_STORE = """if (typeof window !== "undefined" && !window.__portalConnection) {
  const listeners = new Set();
  const store = {
    state: "ok",
    get: () => store.state,
    set: (state) => { store.state = state; listeners.forEach((notify) => notify()); },
    subscribe: (notify) => { listeners.add(notify); return () => listeners.delete(notify); },
  };
  const previous = window.__reflex_otel;
  window.__reflex_otel = Object.assign(Object.create(previous ?? null), {
    onSocketDisconnect: (reason) => {
      previous?.onSocketDisconnect?.(reason);
      if (reason !== "io client disconnect") store.set("lost");
    },
  });
  window.__portalConnection = store;
}"""
_READ_STORE = ("const portalConnection = useSyncExternalStore((notify) => window.__portalConnection.subscribe(notify), "
               '() => window.__portalConnection.get(), () => "ok");')

connection_dropped = rx.Var(
    _js_expr='(portalConnection === "lost")',
    _var_type=bool,
    _var_data=VarData(imports={"react": [ImportVar(tag="useSyncExternalStore")]},
                      hooks={_INSTALL_STORE: None, _READ_STORE: None}),
)
forget_dropped = rx.call_function(rx.Var('() => window.__portalConnection?.set("ok")'))


def _alert(message_key: str, *, on_dismiss=None, alert_id: str) -> rx.Component:  # noqa: ANN001
    dismiss = ([rx.button(t("common.close"), size="1", variant="soft", color_scheme="red", on_click=on_dismiss)]
               if on_dismiss is not None else [])
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle_alert")),
        rx.hstack(rx.callout.text(t(message_key)), *dismiss, align="center", spacing="3"),
        color_scheme="red", variant="surface", role="alert", id=alert_id,
        style={"boxShadow": "0 4px 16px rgba(0,0,0,0.15)", "background": "white"},
    )


def event_alerts() -> rx.Component:
    return rx.box(
        rx.cond(has_connection_errors, _alert("app.offline", alert_id="portal-offline"),
                rx.cond(connection_dropped,
                        _alert("app.action_not_sent", on_dismiss=forget_dropped, alert_id="portal-not-sent"))),
        rx.cond(EventFailureState.failed,
                _alert("app.event_failed", on_dismiss=EventFailureState.dismiss, alert_id="portal-event-failed")),
        style={"position": "fixed", "bottom": "16px", "left": "50%", "transform": "translateX(-50%)",
               "zIndex": 1000, "width": "min(640px, calc(100vw - 32px))", "display": "flex",
               "flexDirection": "column", "gap": "8px"},
    )
