"""Tabs of the admin panel."""

import reflex as rx

from .i18n import t

ADMIN_TABS = (("admin.users", "/admin"), ("admin.tickets", "/admin/tickets"), ("admin.companies", "/admin/companies"),
              ("admin.profiles", "/admin/profiles"), ("admin.settings", "/admin/settings"))


def admin_nav() -> rx.Component:
    return rx.el.nav(
        rx.hstack(*[rx.link(t(key), href=href, weight="medium") for key, href in ADMIN_TABS], spacing="5"),
        aria_label=t("admin.title"),
        style={"marginBottom": "16px"},
    )


def pager(state: type) -> rx.Component:
    """Previous / next for a state with page, page_count, total and go_to_page."""
    return rx.hstack(
        rx.button(t("common.previous"), on_click=state.go_to_page(state.page - 1), disabled=state.page <= 1,
                  variant="soft", size="1"),
        rx.text(state.page.to_string() + " / " + state.page_count.to_string() + " (" + state.total.to_string() + ")",
                size="2"),
        rx.button(t("common.next"), on_click=state.go_to_page(state.page + 1),
                  disabled=state.page >= state.page_count, variant="soft", size="1"),
        align="center",
    )
