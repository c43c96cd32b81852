"""The app shell (menu, language, sign out) and the `page` decorator that registers pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from ..state.session import SessionState
from .alerts import event_alerts
from .forms import native_form
from .i18n import t


@dataclass(frozen=True)
class PageSpec:
    route: str
    title: str
    component: Callable[[], rx.Component]
    on_load: list[Any]


PAGES: list[PageSpec] = []


def language_menu() -> rx.Component:
    return rx.el.select(
        rx.foreach(SessionState.languages, lambda lang: rx.el.option(lang["name"], value=lang["code"])),
        value=SessionState.lang,
        on_change=SessionState.choose_language,
        aria_label=t("app.language"),
        title=t("app.language"),
        style={"padding": "4px 8px", "borderRadius": "6px", "border": "1px solid var(--gray-7)",
               "background": "white", "color": "var(--gray-12)"},
    )


def nav_link(item: rx.Var) -> rx.Component:
    return rx.cond(
        item["external"].to(bool),
        rx.link(item["label"].to(str), href=item["href"].to(str), is_external=True, color="white",
                weight="medium", rel="noopener noreferrer"),
        rx.link(item["label"].to(str), href=item["href"].to(str), color="white", weight="medium"),
    )


def top_bar(signed_in_shell: bool) -> rx.Component:
    brand = rx.hstack(
        rx.cond(SessionState.logo_url != "", rx.image(src=SessionState.logo_url, alt="", height="32px")),
        rx.text(SessionState.portal_name, weight="bold", size="4", color="white"),
        align="center",
        spacing="3",
    )
    right: list[rx.Component] = [language_menu()]
    if signed_in_shell:
        right.append(rx.cond(
            SessionState.signed_in,
            rx.hstack(
                rx.text(SessionState.display_name, color="white", size="2"),
                # a native form post: /api/session/end clears the HttpOnly cookie
                native_form(
                    rx.button(t("app.sign_out"), type="submit", variant="surface", color_scheme="gray", size="2"),
                    action="/api/session/end", method="post",
                ),
                align="center",
            ),
        ))
    return rx.el.header(
        rx.hstack(brand, rx.spacer(), *right, align="center", width="100%", spacing="4"),
        style={"background": SessionState.menu_color, "padding": "12px 24px"},
    )


def ready_marker() -> rx.Component:
    """The path of the page whose on_load handlers have all run over the websocket: tests wait
    for their page's path before acting (a flag would still be set by the page before)."""
    return rx.el.span(id="portal-ready", data_ready=SessionState.ready_for, hidden=True)


def app_shell(content: rx.Component) -> rx.Component:
    menu = rx.el.nav(
        rx.hstack(rx.foreach(SessionState.nav_items, nav_link), spacing="5", wrap="wrap"),
        aria_label=t("app.menu"),
        style={"background": SessionState.menu_color, "padding": "0 24px 12px",
               "borderTop": "1px solid rgba(255,255,255,0.2)", "paddingTop": "10px"},
    )
    return rx.box(
        ready_marker(),
        top_bar(True),
        menu,
        event_alerts(),
        rx.el.main(
            rx.cond(SessionState.signed_in, content, rx.center(rx.spinner(size="3"), padding="48px")),
            style={"maxWidth": "1100px", "margin": "0 auto", "padding": "24px"},
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )


def public_shell(content: rx.Component) -> rx.Component:
    return rx.box(
        ready_marker(),
        top_bar(False),
        event_alerts(),
        rx.el.main(content, style={"maxWidth": "440px", "margin": "48px auto", "padding": "0 16px"}),
        min_height="100vh",
        background="var(--gray-2)",
    )


def page(*, route: str, title: str, access: str = "user", on_load: list[Any] | None = None):
    """Register a page: `access` is "user" (login), "staff" (admin panel) or "public"."""
    guard = {"user": SessionState.guard, "staff": SessionState.guard_staff,
             "public": SessionState.load_public}[access]
    shell = public_shell if access == "public" else app_shell

    def decorator(fn: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def component() -> rx.Component:
            content = fn()
            if access == "staff":  # rendering only; every admin handler checks staff on the server
                content = rx.cond(SessionState.is_staff, content, rx.fragment())
            return shell(content)

        PAGES.append(PageSpec(route=route, title=title, component=component,
                              on_load=[guard, *(on_load or []), SessionState.page_loaded]))
        return fn

    return decorator


def card(*children: rx.Component, **props: Any) -> rx.Component:
    return rx.card(rx.vstack(*children, spacing="4", width="100%"), width="100%", size="3", **props)
