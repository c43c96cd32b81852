"""The page for unknown URLs: the portal's shell, what happened, and a way home."""

import reflex as rx

from ..components.i18n import t
from ..components.shell import card, page


@page(route="404", title="Page not found", access="any")
def not_found_page() -> rx.Component:
    return card(
        rx.heading(t("notfound.title"), size="6", as_="h1"),
        rx.text(t("notfound.body")),
        rx.link(t("notfound.home"), href="/"),
    )
