"""/newsletters: the contact's own choice of list types; /newsletters/<token>: a list's landing
page from the signed link in its mails, without signing in."""

import reflex as rx

from ..components.forms import form_alert, notice
from ..components.i18n import t
from ..components.shell import card, page
from ..state.newsletters import LandingState as P
from ..state.newsletters import NewslettersState as N

MUTED = "var(--gray-11)"


def _status(receiving: rx.Var) -> rx.Component:
    return rx.cond(receiving, rx.badge(t("news.receiving"), color_scheme="green", variant="soft"),
                   rx.badge(t("news.stopped"), color_scheme="gray", variant="soft"))


def _list(item: rx.Var) -> rx.Component:
    receiving = item["receiving"].to(bool)
    return rx.el.section(
        rx.vstack(
            rx.heading(item["name"].to(str), size="4", as_="h2", lang=item["text_lang"]["name"].to(str)),
            rx.cond(item["description"].to(str) != "", rx.text(item["description"].to(str), size="2", color=MUTED,
                                                              lang=item["text_lang"]["description"].to(str))),
            _status(receiving),
            rx.button(rx.cond(receiving, t("news.stop"), t("news.restart")), variant=rx.cond(receiving, "soft", "solid"),
                      disabled=N.busy, on_click=N.set_receiving(item["id"].to(int), ~receiving)),
            spacing="2", align="start",
        ),
        aria_label=item["name"].to(str),
        style={"padding": "12px 0", "borderBottom": "1px solid var(--gray-4)"},
    )


@page(route="/newsletters", title="Newsletters", on_load=[N.load])
def newsletters_page() -> rx.Component:
    return card(
        rx.heading(t("news.title"), size="6", as_="h1"),
        rx.text(N.intro, color=MUTED),
        notice(N.notice, N.busy),
        form_alert(N.errors),
        rx.cond(N.items.length() > 0, rx.vstack(rx.foreach(N.items, _list), spacing="0", width="100%"),
                rx.cond(N.loaded, rx.text(t("news.none"), color=MUTED, role="status"))),
    )


@page(route="/newsletters/[token]", title="Email preferences", access="public", on_load=[P.load])
def landing_page() -> rx.Component:
    return card(
        rx.heading(t("news.landing_title"), size="6", as_="h1"),
        rx.cond(
            P.found,
            rx.vstack(
                rx.heading(P.name, size="4", as_="h2", lang=P.text_lang["name"].to(str)),
                rx.cond(P.description != "", rx.text(P.description, size="2", color=MUTED,
                                                     lang=P.text_lang["description"].to(str))),
                rx.text(P.address, size="2"),
                notice(P.notice, P.busy),
                _status(P.receiving),
                rx.button(rx.cond(P.receiving, t("news.stop"), t("news.restart")), disabled=P.busy,
                          on_click=P.set_receiving(~P.receiving)),
                spacing="3", align="start",
            ),
            rx.cond(P.loaded, rx.vstack(rx.text(t("news.landing_invalid"), role="alert"),
                                        rx.link(t("login.title"), href="/login?next=%2Fnewsletters"),
                                        spacing="3", align="start")),
        ),
    )
