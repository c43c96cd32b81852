"""Tabs of the admin panel, and the table and pager of its lists."""

from collections.abc import Callable, Sequence

import reflex as rx

from .forms import form_alert, notice
from .i18n import t
from .shell import NARROW
from .url_sync import address_put_right, url_sync

ADMIN_TABS = (("admin.users", "/admin"), ("admin.tickets", "/admin/tickets"), ("admin.companies", "/admin/companies"),
              ("admin.profiles", "/admin/profiles"), ("admin.events", "/admin/events"),
              ("admin.invoices", "/admin/invoices"), ("admin.products", "/admin/products"),
              ("admin.price_books", "/admin/price-books"), ("admin.quotes", "/admin/quotes"),
              ("admin.orders", "/admin/orders"), ("admin.opportunities", "/admin/opportunities"),
              ("admin.kb", "/admin/kb"), ("admin.documents", "/admin/documents"),
              ("admin.newsletters", "/admin/newsletters"), ("admin.reports", "/admin/reports"),
              ("admin.settings", "/admin/settings"), ("admin.mail", "/admin/mail"))


_TAB_OF_SECTION = dict(ADMIN_TABS)
CURRENT_TAB = {"textDecoration": "underline", "textUnderlineOffset": "4px", "textDecorationThickness": "2px"}


def admin_nav(current: str) -> rx.Component:
    """The panel's tabs, the one at `current` (its address) marked as the page's. They wrap on a wide
    screen; on a phone they stay on one line that scrolls sideways (seven lines of tabs would fill the
    first screen of every admin page)."""
    def tab(key: str, href: str) -> rx.Component:
        here = href == current
        return rx.link(t(key), href=href, weight="bold" if here else "medium",
                       style={"whiteSpace": "nowrap", **(CURRENT_TAB if here else {})},
                       **({"aria_current": "page"} if here else {}))

    assert current in _TAB_OF_SECTION.values(), current
    return rx.el.nav(
        rx.flex(*[tab(key, href) for key, href in ADMIN_TABS],
                wrap="wrap", style={"columnGap": "clamp(12px, 2.5vw, 24px)", "rowGap": "6px",
                                    NARROW: {"flexWrap": "nowrap", "overflowX": "auto", "paddingBottom": "8px",
                                             "scrollbarWidth": "thin", "overscrollBehaviorX": "contain",
                                             "maxWidth": "100%", "minWidth": 0}}),
        aria_label=t("admin.title"),
        # as wide as the card, not as its tabs: the page's column would let it grow to the tabs' width,
        # and the card would cut them off where the row should scroll
        style={"marginBottom": "16px", "width": "100%", "maxWidth": "100%", "minWidth": 0},
    )


def panel_title() -> rx.Component:
    """"Admin panel" over each of its pages, drawn as a title but not a heading: the page's h1 is its
    own (the section, or the record shown), which is what a screen reader's list of headings names."""
    return rx.text(t("admin.title"), as_="p", size="6", weight="bold",  # a heading's look (Radix's Heading is
                   style={"fontFamily": "var(--heading-font-family)",  # always one of h1-h6)
                          "lineHeight": "var(--heading-line-height-6)",
                          "letterSpacing": "var(--heading-letter-spacing-6)"})


def admin_top(section_key: str, intro_key: str, state: type) -> tuple[rx.Component, ...]:
    """The top of an admin panel page: the panel's title and tabs, the section's heading (the page's
    h1) and intro, and the state's `notice` and `errors`."""
    return (
        panel_title(),
        admin_nav(_TAB_OF_SECTION[section_key]),
        rx.heading(t(section_key), size="4", as_="h1"),
        rx.text(t(intro_key), color="var(--gray-11)"),
        notice(state.notice, getattr(state, "busy", None)),
        form_alert(state.errors),
    )


def list_table(header_keys: Sequence[str], rows: rx.Var, row: Callable[[rx.Var], rx.Component]) -> rx.Component:
    """One page of rows as a table: a column per message key in `header_keys`, `row(item)` per row."""
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(key)) for key in header_keys])),
        rx.table.body(rx.foreach(rows, row)),
        width="100%",
        variant="surface",
    )


def pager(state: type) -> rx.Component:
    """Previous / next for a `PagedRows` state (page, page_count, total, go_to_page), and its view's
    address put in the address bar (state.view_url)."""
    return rx.hstack(
        url_sync(state.view_url),
        address_put_right(state),  # the address says the view shown
        rx.button(t("common.previous"), on_click=state.go_to_page(state.page - 1), disabled=state.page <= 1,
                  variant="soft", size="1"),
        # "Page 1 of 2 (30 in all)", read out when a search or a page changes it
        rx.text(t("list.page_of").replace("{page}", state.page.to_string())
                .replace("{pages}", state.page_count.to_string()).replace("{total}", state.total.to_string()),
                size="2", aria_live="polite"),
        rx.button(t("common.next"), on_click=state.go_to_page(state.page + 1),
                  disabled=state.page >= state.page_count, variant="soft", size="1"),
        align="center",
    )


def no_match(state: type, message_key: str, clear_href: str) -> rx.Component:
    """Under a staff list searched with `state.query` that found nothing: says so, with the way back
    to the whole list (its address without the search)."""
    return rx.cond((state.rows.length() == 0) & (state.query != ""), rx.hstack(
        rx.text(t(message_key), color="var(--gray-11)"),
        rx.link(t("admin.clear_search"), href=clear_href),
        role="status", spacing="3", wrap="wrap",
    ))
