"""The pieces of a list whose view lives in the URL (`state.url_list.UrlList`): the status filter
and search box, sortable column headers (on phones, where the card layout hides them, a "Sort by"
menu), the pager, and the empty message."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import reflex as rx

from .forms import pick_to_apply
from .i18n import t
from .shell import WIDE
from .url_sync import address_put_right, url_sync


def filter_bar(S, *, statuses: Sequence[str], status_key: str, search_key: str,  # noqa: ANN001
               extra: rx.Component | None = None, label_key: str = "list.status",
               any_key: str = "list.any_status") -> rx.Component:
    """"Status" (any, or one of `statuses`, labelled `<status_key>.<value>`), a search box named
    by the message `search_key`, "Clear filters" while a filter is on, and on phones "Sort by"."""
    select_id = f"{S.__name__.lower()}-status"
    parts = []
    if statuses:
        parts += [
            rx.el.label(t(label_key), html_for=select_id, style={"fontSize": "14px", "fontWeight": 500}),
            rx.el.select(rx.el.option(t(any_key), value=""),
                         *[rx.el.option(t(f"{status_key}.{s}"), value=s) for s in statuses],
                         id=select_id, value=S.sel_status, on_change=S.set_status, style={"padding": "4px 8px"},
                         custom_attrs=pick_to_apply()),
        ]
    if extra is not None:
        parts.append(extra)
    parts += [
        rx.form(
            rx.hstack(
                # the box gives way to the button (a long placeholder must not push "Suchen" off a phone)
                rx.input(name="q", default_value=S.q, key=S.q, aria_label=t(search_key), placeholder=t(search_key),
                         max_length=100, width=rx.breakpoints(initial="auto", sm="240px"), min_width="0",
                         flex=rx.breakpoints(initial="1 1 0%", sm="0 0 auto")),
                rx.button(t("common.search"), type="submit", variant="soft", flex_shrink="0"),
                width="100%",
            ),
            on_submit=S.search,
            # on a phone the box takes the row, so that a longer language's placeholder is not cut
            width=rx.breakpoints(initial="100%", sm="auto"),
        ),
        rx.cond(S.filtered & (S.total > 0), rx.button(t("list.clear"), variant="ghost", on_click=S.clear)),
        sort_menu(S),
    ]
    return rx.hstack(*parts, spacing="3", align="center", wrap="wrap", width="100%")


def sort_menu(S) -> rx.Component:  # noqa: ANN001
    """"Sort by" a column, ascending or descending: the same sort as the column headers, for phones,
    where the card layout hides the headers (shown under 768 px only, as the cards are); none for a
    list with one fixed order (price books by name)."""
    select_id = f"{S.__name__.lower()}-sort"
    return rx.cond(S.sort_choices.length() > 0, rx.el.div(
        rx.el.label(t("list.sort"), html_for=select_id, style={"fontSize": "14px", "fontWeight": 500,
                                                               "whiteSpace": "nowrap"}),
        rx.el.select(rx.foreach(S.sort_choices, lambda c: rx.el.option(c["label"].to(str), value=c["value"].to(str))),
                     id=select_id, value=S.sort_value, on_change=S.set_sort, custom_attrs=pick_to_apply(),
                     style={"padding": "4px 8px", "width": "100%", "minWidth": 0}),
        # the row's width on a phone (shown only there): a long choice ("Voraussichtlicher Abschluss,
        # aufsteigend") shortens inside it instead of widening the bar past the card
        style={"display": "flex", "flexWrap": "wrap", "alignItems": "center", "gap": "8px", "width": "100%",
               "minWidth": 0, WIDE: {"display": "none"}},
    ))


def sort_header(S) -> Callable[[rx.Var], rx.Component]:  # noqa: ANN001
    """A column header of `S.columns`: a button that sorts (and turns the order round) where it may."""
    def header(column: rx.Var) -> rx.Component:
        label = column["label"].to(str)
        return rx.table.column_header_cell(
            rx.cond(
                column["sortable"].to(bool),
                rx.button(label, rx.text(column["arrow"].to(str), as_="span", size="1"), variant="ghost", size="1",
                          on_click=S.sort_by(column["key"].to(str)),
                          aria_label=t("list.sort_by").replace("{column}", label)),
                label,
            ),
            aria_sort=rx.cond(column["arrow"] == "▲", "ascending",
                              rx.cond(column["arrow"] == "▼", "descending", "none")),
        )

    return header


def list_table(S, row: Callable[[rx.Var], rx.Component], *, none_key: str, none_match_key: str,  # noqa: ANN001
               empty_action: rx.Component | None = None,
               extra_header: rx.Component | None = None) -> rx.Component:
    """The rows of `S.rows` under sortable headers, the empty message, and the pager. `extra_header`:
    the header of a last column the rows have beyond `S.columns` (their actions)."""
    empty = rx.cond(
        S.filtered,
        rx.hstack(rx.text(t(none_match_key), color="var(--gray-11)", role="status"),
                  rx.button(t("list.clear"), variant="soft", size="1", on_click=S.clear), spacing="3", wrap="wrap",
                  align="center"),
        rx.hstack(rx.text(t(none_key), color="var(--gray-11)", role="status"),
                  *([empty_action] if empty_action is not None else []), spacing="3", wrap="wrap", align="center"),
    )
    return rx.vstack(
        rx.table.root(
            rx.table.header(rx.table.row(rx.foreach(S.columns, sort_header(S)),
                                         *([extra_header] if extra_header is not None else []))),
            rx.table.body(rx.foreach(S.rows, row)),
            width="100%", variant="surface", size="1",
        ),
        rx.cond(S.loaded & (S.total == 0), empty),
        address_put_right(S),  # the address says the view shown
        # a click's view is shown without navigating: its address goes into the address bar here
        url_sync(S.view_url),
        rx.cond(S.pages > 1, rx.hstack(
            rx.button(t("common.previous"), variant="soft", size="1", disabled=S.page <= 1,
                      on_click=S.go_to_page(S.page - 1)),
            rx.text(S.page_text, size="2"),
            rx.button(t("common.next"), variant="soft", size="1", disabled=S.page >= S.pages,
                      on_click=S.go_to_page(S.page + 1)),
            align="center", wrap="wrap",
        )),
        spacing="3", width="100%",
    )
