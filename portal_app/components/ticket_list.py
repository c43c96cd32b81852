"""The ticket list: counts per status, filters, search, sortable table, pager."""

from __future__ import annotations

import reflex as rx

from ..state.ticket_list import TicketListState as S
from .i18n import t
from .limits import max_length


def _chip(choice: rx.Var, on_click) -> rx.Component:  # noqa: ANN001
    return rx.el.label(
        rx.el.input(type="checkbox", checked=choice["selected"].to(bool), on_change=lambda _v: on_click(choice["value"])),
        rx.text(choice["label"].to(str), as_="span", size="2"),
        style={"display": "inline-flex", "gap": "6px", "alignItems": "center", "marginRight": "12px",
               "cursor": "pointer"},
    )


def _group(title_key: str, choices: rx.Var, handler) -> rx.Component:  # noqa: ANN001
    return rx.el.fieldset(
        rx.el.legend(t(title_key), style={"fontWeight": 500, "fontSize": "13px", "marginBottom": "4px"}),
        rx.foreach(choices, lambda c: _chip(c, handler)),
        style={"border": "none", "padding": 0, "margin": 0},
    )


def status_counts() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(t("tickets.col.status"), style={"fontWeight": 500, "fontSize": "13px", "marginBottom": "4px"}),
        rx.foreach(S.status_counts, lambda c: rx.el.label(
            rx.el.input(type="checkbox", checked=c["selected"].to(bool),
                        on_change=lambda _v: S.toggle_status(c["value"].to(str))),
            rx.text(c["label"].to(str), as_="span", size="2"),
            rx.badge(c["count"].to(int), variant="soft", radius="full"),
            style={"display": "inline-flex", "gap": "6px", "alignItems": "center", "marginRight": "12px",
                   "cursor": "pointer"},
        )),
        aria_label=t("tickets.counts"),
        style={"border": "none", "padding": 0, "margin": 0},
    )


def filters_panel() -> rx.Component:
    staff_filters = rx.cond(
        S.staff_view,
        rx.hstack(
            rx.el.label(t("tickets.col.company"), html_for="filter-company", style={"fontSize": "13px"}),
            rx.el.select(rx.el.option(t("tickets.any"), value=""),
                         rx.foreach(S.company_choices, lambda c: rx.el.option(c["label"], value=c["value"])),
                         id="filter-company", on_change=S.set_company, value=S.company_value),
            rx.el.label(t("tickets.col.assignee"), html_for="filter-assignee", style={"fontSize": "13px"}),
            rx.el.select(rx.el.option(t("tickets.any"), value=""), rx.el.option(t("tickets.mine_support"), value="me"),
                         rx.el.option(t("tickets.unassigned"), value="none"),
                         rx.foreach(S.assignee_choices, lambda c: rx.el.option(c["label"], value=c["value"])),
                         id="filter-assignee", on_change=S.set_assignee, value=S.assignee_value),
            spacing="2", align="center", wrap="wrap",
        ),
    )
    return rx.vstack(
        status_counts(),
        _group("tickets.col.category", S.category_choices, S.toggle_category),
        _group("tickets.col.severity", S.severity_choices, S.toggle_severity),
        _group("tickets.col.priority", S.priority_choices, S.toggle_priority),
        rx.hstack(
            rx.el.label(
                rx.el.input(type="checkbox", checked=S.mine, on_change=S.set_mine),
                rx.text(rx.cond(S.staff_view, t("tickets.mine_support"), t("tickets.mine")), as_="span", size="2"),
                style={"display": "inline-flex", "gap": "6px", "alignItems": "center"},
            ),
            staff_filters,
            rx.form(
                rx.hstack(
                    rx.input(name="q", default_value=S.q, aria_label=t("tickets.search"),
                             placeholder=t("tickets.search"), title=t("tickets.search_hint"),
                             max_length=max_length("search", "tickets"), width="260px", key=S.q),
                    rx.button(t("common.search"), type="submit", variant="soft"),
                ),
                on_submit=S.search,
            ),
            rx.button(t("tickets.clear"), variant="ghost", on_click=S.clear),
            spacing="4", align="center", wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


def _header(column: rx.Var) -> rx.Component:
    return rx.table.column_header_cell(
        rx.button(column["label"].to(str), rx.text(column["arrow"].to(str), as_="span", size="1"),
                  variant="ghost", size="1", on_click=S.sort_by(column["key"].to(str)),
                  aria_label=t("tickets.sort_by").replace("{column}", column["label"].to(str))),
        aria_sort=rx.cond(column["arrow"] == "▲", "ascending", rx.cond(column["arrow"] == "▼", "descending", "none")),
    )


def _row(row: rx.Var) -> rx.Component:
    cells = [
        rx.table.cell(rx.link(row["number"].to_string(), href=row["href"].to(str))),
        rx.table.cell(rx.link(row["title"].to(str), href=row["href"].to(str))),
        rx.table.cell(row["category"].to(str)),
        rx.table.cell(row["severity"].to(str)),
        rx.table.cell(row["priority"].to(str)),
        rx.table.cell(rx.badge(row["status"].to(str), variant="soft")),
    ]
    staff_cells = [rx.table.cell(row["company"].to(str)), rx.table.cell(row["assignee"].to(str))]
    tail = [rx.table.cell(row["created_by"].to(str)), rx.table.cell(row["created"].to(str)),
            rx.table.cell(row["updated"].to(str))]
    return rx.cond(
        S.staff_view,
        rx.table.row(*cells, *staff_cells, *tail),
        rx.table.row(*cells, *tail),
    )


def pager() -> rx.Component:
    return rx.hstack(
        rx.button(t("common.previous"), variant="soft", size="1", disabled=S.page <= 1,
                  on_click=S.go_to_page(S.page - 1)),
        rx.text(S.page_text, size="2"),
        rx.button(t("common.next"), variant="soft", size="1", disabled=S.page >= S.pages,
                  on_click=S.go_to_page(S.page + 1)),
        rx.el.label(t("tickets.page_size"), html_for="page-size", style={"fontSize": "13px", "marginLeft": "16px"}),
        rx.el.select(*[rx.el.option(str(n), value=str(n)) for n in (10, 25, 50, 100)], id="page-size",
                     value=S.page_size, on_change=S.set_page_size),
        align="center",
        wrap="wrap",
    )


def ticket_table() -> rx.Component:
    return rx.vstack(
        rx.table.root(
            rx.table.header(rx.table.row(rx.foreach(S.columns, _header))),
            rx.table.body(rx.foreach(S.rows, _row)),
            width="100%",
            variant="surface",
            size="1",
        ),
        rx.cond(S.loaded & (S.total == 0), rx.text(t("tickets.empty"), color="var(--gray-11)")),
        pager(),
        # live: every 3 s the server compares a change counter; the list reloads only when it moved
        rx.moment(interval=3000, on_change=S.tick, display="none"),
        width="100%",
        spacing="3",
    )
