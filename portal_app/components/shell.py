"""The app shell (skip link, menu, language, sign out) and the `page` decorator that registers pages.

Under 768 px the menu, the language and Sign out fold behind a "Menu" button, and every table of
a page shows its rows as cards; user-written text in <main> wraps rather than widening the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import reflex as rx

from ..i18n import DEFAULT_LANGUAGE, catalogue
from ..state import navigation
from ..state.session import SessionState
from ..http.session import LANGUAGE_COOKIE, LANGUAGE_PICKED_COOKIE, LANGUAGE_PICKED_SECONDS
from .alerts import event_alerts
from .browser_cookie import browser_cookie
from .page_language import keep_typed_fields, page_language
from .forms import native_form, pick_to_apply
from .i18n import t
from .live_tick import live_tick


@dataclass(frozen=True)
class PageSpec:
    route: str
    title: rx.Var[str]  # the tab's title in the user's language (`page_title_key`)
    component: Callable[[], rx.Component]
    on_load: list[Any]
    meta: list[dict[str, str]] | None = None


PAGES: list[PageSpec] = []
# how often a signed-in page asks whether the user's rights changed (`SessionState.follow_rights`)
RIGHTS_TICK_MS = 5000

NARROW = "@media (max-width: 767px)"  # phones: the menu collapses, tables become cards
WIDE = "@media (min-width: 768px)"
# one line, shortened with "…" (the element's `title` gives the full text on hover)
ELLIPSIS = {"overflow": "hidden", "textOverflow": "ellipsis", "whiteSpace": "nowrap", "minWidth": 0}
# On phones every table of the page shows each row as a card: cells one under another, the column
# name (a cell's `data-label`) before its value; nothing is wider than the screen. Wider, a table's
# cells keep their words whole (the page's "anywhere" would let auto-sized columns shrink to a letter
# a line): set on the table and inherited, so a cell that wraps its user-written text itself (style
# WRAP on the cell or within it) wins.
TABLES = {
    # the ticket list's rows (components/ticket_list.py): styled here once, not per cell
    "& .ticket-title": {"display": "-webkit-box", "WebkitLineClamp": "2", "WebkitBoxOrient": "vertical",
                        "overflow": "hidden", "overflowWrap": "anywhere", "minWidth": "18ch", "maxWidth": "32ch"},
    "& .ticket-name": {"display": "block", "maxWidth": "16ch", "overflowWrap": "break-word"},
    "& a.rt-Link:hover": {"color": "var(--accent-8)"},
    WIDE: {"& .rt-TableRootTable": {"overflowWrap": "normal"}}, NARROW: {
    # a card's title: three lines at most, so a long one does not push the next tickets off the screen
    "& .ticket-title": {"WebkitLineClamp": "3", "maxWidth": "none", "fontWeight": 500},
    "& .ticket-name": {"maxWidth": "none", "overflowWrap": "anywhere"},
    "& .rt-TableRootTable, & .rt-TableRootTable > tbody, & .rt-TableRootTable tr, & .rt-TableRootTable td, "
    "& .rt-TableRootTable th[scope=row], & .rt-TableRootTable th[scope=colgroup]": {"display": "block",
                                                                                   "width": "100%"},
    "& .rt-TableRoot .rt-ScrollAreaViewport, & .rt-TableRoot .rt-ScrollAreaViewport > div": {"display": "block"},
    "& .rt-TableRootTable": {"height": "auto", "overflow": "visible"},
    "& .rt-TableRootTable > thead": {"display": "none"},
    "& .rt-TableRootTable tr": {"padding": "8px 0", "borderBottom": "1px solid var(--gray-5)"},
    # a group's heading row (a profile's "Contact person") is its heading alone, edge to edge
    "& .rt-TableRootTable tr:has(> th[scope=colgroup])": {"padding": 0},
    "& .rt-TableRootTable td": {"display": "flex", "flexWrap": "wrap", "alignItems": "baseline", "gap": "2px 8px",
                                "height": "auto", "maxWidth": "none", "boxShadow": "none", "padding": "2px 12px",
                                "overflowWrap": "anywhere"},
    "& .rt-TableRootTable td > *": {"minWidth": 0, "maxWidth": "100%"},
    "& .rt-TableRootTable td[data-label]::before": {"content": "attr(data-label)", "color": "var(--gray-11)",
                                                     "fontSize": "12px"},
}}


def language_menu() -> rx.Component:
    return rx.el.select(
        rx.foreach(SessionState.languages, lambda lang: rx.el.option(lang["name"], value=lang["code"])),
        value=SessionState.lang,
        # what was typed comes back after the page loads again in the new language
        on_change=[keep_typed_fields, SessionState.choose_language],
        aria_label=t("app.language"),
        title=t("app.language"),
        # the arrow keys open the list rather than switch the page language on the way
        custom_attrs=pick_to_apply(),
        style={"padding": "4px 8px", "borderRadius": "6px", "border": "1px solid var(--gray-7)",
               "background": "white", "color": "var(--gray-12)"},
    )


def nav_link(item: rx.Var) -> rx.Component:
    return rx.cond(
        item["external"].to(bool),
        rx.link(item["label"].to(str), href=item["href"].to(str), is_external=True, color="white",
                weight="medium", rel="noopener noreferrer", lang=item["lang"].to(str)),
        rx.link(item["label"].to(str), href=item["href"].to(str), color="white", weight="medium"),
    )


def _sign_out() -> rx.Component:
    """The user's name and Sign out: a native form post, /api/session/end clears the HttpOnly cookie."""
    # a long name is shortened ("…", whole on hover), never the button: it stays on the screen
    return rx.hstack(
        rx.text(SessionState.display_name, color="white", size="2", style={**ELLIPSIS, "maxWidth": "16em"},
                title=SessionState.display_name),
        native_form(
            rx.button(t("app.sign_out"), type="submit", variant="surface", color_scheme="gray", size="2",
                      style={"whiteSpace": "nowrap"}),
            action="/api/session/end", method="post", style={"flexShrink": 0},
        ),
        align="center",
        style={"minWidth": 0, "maxWidth": "100%"},
    )


def _menu_links() -> rx.Component:
    return rx.foreach(SessionState.nav_items, nav_link)


def mobile_menu() -> rx.Component:
    """Under 768 px the menu, the language and Sign out collapse behind one "Menu" button."""
    return rx.popover.root(
        rx.popover.trigger(rx.button(rx.icon("menu", size=18), t("app.menu"), variant="surface",
                                     color_scheme="gray", size="2")),
        rx.popover.content(
            rx.el.nav(
                # Home first and by itself: opened with the keyboard, the menu puts focus on it (Radix
                # would skip the links and land on the language menu)
                rx.vstack(rx.popover.close(rx.link(t("nav.home"), href="/", id="menu-home", color="white",
                                                   weight="medium")),
                          rx.foreach(SessionState.nav_items[1:], lambda item: rx.popover.close(nav_link(item))),
                          spacing="3"),
                aria_label=t("app.menu"),
                # a long link title (staff's external links) wraps inside the menu, not past it
                style={"padding": "4px 0 12px", "overflowWrap": "anywhere", "minWidth": 0},
            ),
            rx.vstack(language_menu(), _sign_out(), spacing="3",
                      style={"borderTop": "1px solid rgba(255,255,255,0.3)", "paddingTop": "12px"}),
            side="bottom", align="end", aria_label=t("app.menu"), class_name="portal-bar",
            on_open_auto_focus=[rx.prevent_default, rx.set_focus("menu-home")],
            # a long menu (many external links) scrolls inside the panel, down to Sign out
            style={"background": SessionState.menu_color, "width": "min(320px, calc(100vw - 24px))",
                   "maxHeight": "calc(var(--radix-popover-content-available-height, 100dvh) - 8px)",
                   "overflowY": "auto", "overscrollBehavior": "contain"},
        ),
        # a language chosen in the menu closes it (the menu is made anew), as a link followed does
        key=SessionState.lang,
    )


def top_bar(signed_in_shell: bool) -> rx.Component:
    brand = rx.hstack(
        # staff's logo (portal settings), else the portal's own mark (assets/logo.svg)
        # a wide one is scaled down to fit, never pushing the portal's name and Sign out off the bar
        rx.image(src=rx.cond(SessionState.logo_url != "", SessionState.logo_url, "/logo.svg"), alt="",
                 height="32px", style={"flexShrink": 0, "width": "auto", "maxWidth": "min(200px, 30vw)",
                                       "objectFit": "contain", "objectPosition": "left center"}),
        rx.text(SessionState.portal_name, weight="bold", size="4", color="white", style=ELLIPSIS,
                title=SessionState.portal_name),
        align="center",
        spacing="3",
        style={"minWidth": 0},
    )
    right: list[rx.Component] = []
    if signed_in_shell:
        right.append(rx.hstack(
            language_menu(),
            rx.cond(SessionState.signed_in, _sign_out()),
            # on a phone a signed-in user finds these behind "Menu"; a visitor (the knowledge base, a
            # page not found) has no menu, so the language stays in the bar
            align="center", spacing="4",
            style={"minWidth": 0, NARROW: {"display": rx.cond(SessionState.signed_in, "none", "flex")}},
        ))
        right.append(rx.cond(SessionState.signed_in, rx.box(mobile_menu(), style={WIDE: {"display": "none"}})))
    else:
        right.append(language_menu())
    return rx.el.header(
        rx.hstack(brand, rx.spacer(), *right, align="center", width="100%", spacing="4"),
        class_name="portal-bar",  # on the menu colour: a focus ring of its own (assets/readable.css)
        style={"background": SessionState.menu_color, "padding": "12px 24px", NARROW: {"padding": "10px 12px"}},
    )


# "Skip to main content": the first thing Tab reaches, shown only when focused. It moves the focus
# to <main> in the browser (no URL change, which would run the page's on_load again).
_FOCUS_MAIN = rx.call_function(rx.Var(
    '() => { const main = document.getElementById("main"); main?.focus(); main?.scrollIntoView(); }'))


def skip_link() -> rx.Component:
    return rx.el.a(
        t("app.skip_to_main"), href="#main", on_click=[rx.prevent_default, _FOCUS_MAIN],
        style={"position": "absolute", "left": "-10000px", "top": "8px", "zIndex": 2000, "padding": "8px 16px",
               "background": "white", "color": "var(--indigo-11)", "borderRadius": "6px", "fontWeight": 500,
               "&:focus": {"left": "8px", "outline": "2px solid var(--indigo-9)"}},
    )


def ready_marker() -> rx.Component:
    """The path of the page whose on_load handlers have all run over the websocket: tests wait
    for their page's path before acting (a flag would still be set by the page before). It also
    carries the words of a full field's note (`assets/field_limit.js`) in the reader's language, and
    whose drafts this tab may keep and show (`data-owner`: `session.draft_owner`, '' signed out)."""
    return rx.el.span(id="portal-ready", data_ready=SessionState.ready_for, hidden=True,
                      custom_attrs={"data-limit-text": t("common.field_limit"), "data-owner": SessionState.draft_owner})


def language_cookie() -> rx.Component:
    """The language chosen in this tab, kept in the browser for the next visit (and, chosen while
    signed out, for the next sign-in); and the page's `<html lang>` set to the language shown."""
    return rx.fragment(browser_cookie(LANGUAGE_COOKIE, SessionState.lang_choice),
                       # taken by the sign-in (`http/session.py`), and never again: gone while signed in
                       browser_cookie(LANGUAGE_PICKED_COOKIE, SessionState.lang_picked,
                                      max_age=LANGUAGE_PICKED_SECONDS, gone=SessionState.signed_in),
                       page_language(SessionState.lang))


def unavailable_notice() -> rx.Component:
    """In place of a page whose module is switched off or not in the user's profile, or of an admin
    panel's page opened by a customer (its on_load loaded nothing of it), at the URL that was asked for."""
    return rx.card(rx.vstack(
        rx.heading(t("unavailable.title"), size="6", as_="h1"),
        rx.text(rx.cond(SessionState.staff_only, t("unavailable.staff_only"), t("unavailable.body"))),
        rx.link(t("unavailable.home"), href="/"),
        spacing="4", width="100%",
    ), width="100%", size=rx.breakpoints(initial="2", sm="3"), role="status", id="section-unavailable")


def _main_menu() -> rx.Component:
    return rx.el.nav(
        rx.hstack(_menu_links(), spacing="5", wrap="wrap", style={"& > *": {"minWidth": 0, "maxWidth": "100%"}}),
        aria_label=t("app.menu"), class_name="portal-bar",
        # a long link title (staff's external links) wraps inside the bar, not past the page's edge
        style={"background": SessionState.menu_color, "padding": "0 24px 12px", "overflowWrap": "anywhere",
               "borderTop": "1px solid rgba(255,255,255,0.2)", "paddingTop": "10px", NARROW: {"display": "none"}},
    )


def app_shell(content: rx.Component, *, for_anyone: bool = False, wide: bool = False) -> rx.Component:
    """The signed-in portal's frame: top bar, menu, the page. `for_anyone`: a page a visitor may
    see too (not found): its content at once, the menu when the visitor is signed in. `wide`: a
    page of many columns (the ticket lists) may use a large screen's width."""
    shown = rx.cond(SessionState.unavailable, unavailable_notice(), content) if for_anyone else rx.cond(
        SessionState.signed_in, rx.cond(SessionState.unavailable, unavailable_notice(), content),
        rx.center(rx.spinner(size="3"),
                  # a page that lost its session after it loaded: to sign-in (SessionState.session_ended)
                  rx.cond(rx.State.is_hydrated, rx.el.span(hidden=True, on_mount=SessionState.session_ended)),
                  padding="48px"))
    return rx.box(
        skip_link(),
        ready_marker(),
        language_cookie(),
        top_bar(True),
        rx.cond(SessionState.signed_in, _main_menu()) if for_anyone else _main_menu(),
        rx.cond(SessionState.signed_in, live_tick(SessionState.follow_rights, RIGHTS_TICK_MS)),
        event_alerts(),
        rx.el.main(
            shown,
            id="main", tab_index=-1,
            # user-written text (a 200-character unbroken title, a file name) wraps instead of widening the page
            style={"maxWidth": "1440px" if wide else "1100px", "margin": "0 auto", "padding": "24px",
                   "overflowWrap": "anywhere",
                   "&:focus": {"outline": "none"}, NARROW: {"padding": "12px 8px"}},
        ),
        min_height="100vh",
        background="var(--gray-2)",
        style=TABLES,
    )


def public_shell(content: rx.Component) -> rx.Component:
    return rx.box(
        skip_link(),
        ready_marker(),
        language_cookie(),
        top_bar(False),
        event_alerts(),
        rx.el.main(content, id="main", tab_index=-1,
                   # padding, not margin: a margin of the last child would leave the page's foot unpainted
                   style={"maxWidth": "440px", "margin": "0 auto", "padding": "48px 16px",
                          "overflowWrap": "anywhere", "&:focus": {"outline": "none"}}),
        min_height="100vh",
        background="var(--gray-2)",
    )


def page_title_key(title: str) -> str:
    """The catalogue key of a page's tab title ("Portal settings" -> "page_title.portal_settings"):
    every page's title is in each language's catalogue, or the page is not registered."""
    key = "page_title." + re.sub(r"\W+", "_", title.lower()).strip("_")
    if catalogue(DEFAULT_LANGUAGE).get(key) != title:
        raise ValueError(f"page title {title!r}: add {key!r} to the catalogues")
    return key


def numbered_title(title_key: str, number: rx.Var, name: rx.Var | str = "") -> rx.Var[str]:
    """A tab title naming the thing shown: "Ticket 10001: Printer jams" ("Quote 1001"); `number` 0
    while nothing is shown (the page's own title then)."""
    text = t(title_key) + " " + number.to_string()
    if isinstance(name, rx.Var):
        text = rx.cond(name != "", text + ": " + name, text).to(str)
    return rx.cond(number != 0, text, "").to(str)


def page(*, route: str, title: str, access: str = "user", on_load: list[Any] | None = None,
         meta: list[dict[str, str]] | None = None, self_guarded: bool = False, wide: bool = False,
         tab_title: rx.Var | None = None):
    """Register a page: `access` is "user" (login), "staff" (admin panel), "public", or "any" (a
    public page in the signed-in frame when the visitor is signed in: not found); `meta`: its
    <meta> tags (Open Graph of public pages). `self_guarded`: the page's one on_load handler does
    the guard and the ready marker itself (`SessionState._enter` / `_loaded`), so the page loads in
    one event instead of three (busy lists). `wide`: up to 1440 px instead of 1100 (many columns).
    `tab_title`: what the tab says while the page shows one thing (its name, `numbered_title`); the
    page's `title` while that is empty, so tabs of two tickets are told apart."""
    guard = {"user": SessionState.guard, "staff": SessionState.guard_staff,
             "public": SessionState.load_public, "any": SessionState.load_public}[access]
    shell = {"public": public_shell, "any": partial(app_shell, for_anyone=True)}.get(
        access, partial(app_shell, wide=wide))

    def decorator(fn: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def component() -> rx.Component:
            content = fn()
            if access == "staff":  # rendering only; every admin handler checks staff on the server
                content = rx.cond(SessionState.is_staff, content, rx.fragment())
            return shell(content)

        # Reflex compiles a page's memoized parts into one module per `component.__module__`: named
        # after the page's own module, each page loads its own parts, not every page's (one chunk
        # of 835 KB when all of them were named after this module).
        component.__module__ = fn.__module__
        handlers = list(on_load or []) if self_guarded else [guard, *(on_load or []), SessionState.page_loaded]
        if self_guarded:
            if len(handlers) != 1:
                raise ValueError(f"{route}: a self-guarded page has one on_load handler")
            navigation.self_guarded(handlers[0])
        shown = t(page_title_key(title))
        if tab_title is not None:
            shown = rx.cond(tab_title != "", tab_title, shown).to(str)
        PAGES.append(PageSpec(route=route, title=shown, component=component, on_load=handlers, meta=meta))
        return fn

    return decorator


def card(*children: rx.Component, **props: Any) -> rx.Component:
    return rx.card(rx.vstack(*children, spacing="4", width="100%"), width="100%", size=rx.breakpoints(initial="2", sm="3"),
                   style={"minWidth": 0}, **props)
