"""The ticket list: counts per status, filters, search, sortable table, pager."""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex_components_core.react_router.dom import ReactRouterLink

from ..models import SEVERITIES
from ..services.tickets.ticket_rules import CATEGORIES, PRIORITIES, STATUSES
from ..state.ticket_list import TicketListState as S
from .company_search import company_search
from .forms import pick_to_apply
from .i18n import t
from .limits import max_length
from .shell import NARROW, WIDE
from .link_button import link_button
from .live_tick import live_tick
from .url_sync import LINK, address_put_right, url_sync

# On phones the filters fold behind a "Filters" button (kept in the browser, no server round trip),
# so the tickets come first; from 768 px they are always shown.
filters_open = ClientStateVar.create("ticket_filters_open", default=False)


def _check(value: str, label: rx.Var, checked: rx.Var, on_click, *extra: rx.Component) -> rx.Component:  # noqa: ANN001
    return rx.el.label(
        rx.el.input(type="checkbox", checked=checked, on_change=lambda _v: on_click(value)),
        rx.text(label, as_="span", size="2"),
        *extra,
        style={"display": "inline-flex", "gap": "6px", "alignItems": "center", "marginRight": "12px",
               "cursor": "pointer"},
    )


def _group(title_key: str, values: list[tuple[str, str]], selected: rx.Var, handler) -> rx.Component:  # noqa: ANN001
    """Checkboxes for one filter; labels are compiled in, so only the selection comes from the server."""
    return rx.el.fieldset(
        rx.el.legend(t(title_key), style={"fontWeight": 500, "fontSize": "13px", "marginBottom": "4px"}),
        *[_check(value, t(label_key), selected.contains(value), handler) for value, label_key in values],
        style={"border": "none", "padding": 0, "margin": 0},
    )


def status_counts() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(t("tickets.col.status"), style={"fontWeight": 500, "fontSize": "13px", "marginBottom": "4px"}),
        *[_check(s, t(f"ticket.status.{s}"), S.sel_status.contains(s), S.toggle_status,
                 rx.badge(S.status_count[s].to(int), variant="soft", radius="full"))
          for s in STATUSES],
        aria_label=t("tickets.counts"),
        style={"border": "none", "padding": 0, "margin": 0},
    )


def company_filter() -> rx.Component:
    """Staff's company filter: type a few letters, pick one of the matches (not a menu of every company)."""
    return company_search(S, input_id="filter-company", label=t("tickets.col.company"),
                          clear_label=t("tickets.company_any"))


def _sort_options(column: rx.Var) -> rx.Component:
    label, key = column["label"].to(str), column["key"].to(str)
    return rx.fragment(rx.el.option(t("list.sort_ascending").replace("{column}", label), value=key),
                       rx.el.option(t("list.sort_descending").replace("{column}", label), value="-" + key))


def sort_menu() -> rx.Component:
    """"Sort by" on phones, where the cards hide the column headers: the same sorts, each both ways
    (the options are made in the browser from the columns the list already has)."""
    return rx.el.div(
        rx.el.label(t("list.sort"), html_for="ticket-sort", style={"fontSize": "14px", "fontWeight": 500,
                                                                  "whiteSpace": "nowrap"}),
        rx.el.select(rx.foreach(S.columns, _sort_options), id="ticket-sort", value=S.sort_value,
                     on_change=S.set_sort, style={"padding": "4px 8px", "maxWidth": "100%", "minWidth": 0},
                     custom_attrs=pick_to_apply()),
        style={"display": "flex", "flexWrap": "wrap", "alignItems": "center", "gap": "8px", "maxWidth": "100%",
               WIDE: {"display": "none"}},
    )


def filters_panel() -> rx.Component:
    staff_filters = rx.cond(
        S.staff_view,
        rx.hstack(
            company_filter(),
            rx.el.label(t("tickets.col.assignee"), html_for="filter-assignee", style={"fontSize": "13px"}),
            rx.el.select(rx.el.option(t("tickets.any"), value=""), rx.el.option(t("tickets.mine_support"), value="me"),
                         rx.el.option(t("tickets.unassigned"), value="none"),
                         rx.foreach(S.assignee_choices, lambda c: rx.el.option(c["label"], value=c["value"])),
                         id="filter-assignee", on_change=S.set_assignee, value=S.assignee_value,
                         custom_attrs=pick_to_apply()),
            spacing="2", align="center", wrap="wrap",
        ),
    )
    toggle = rx.button(
        rx.icon("sliders_horizontal", size=16), t("tickets.filters"), variant="soft", type="button",
        aria_expanded=rx.cond(filters_open.value, "true", "false"), aria_controls="ticket-filters",
        on_click=filters_open.set_value(~filters_open.value), style={WIDE: {"display": "none"}},
    )
    return rx.box(rx.hstack(toggle, sort_menu(), spacing="3", align="center", wrap="wrap"), rx.vstack(
        status_counts(),
        _group("tickets.col.category", [(c, f"ticket.category.{c}") for c in CATEGORIES], S.sel_category,
               S.toggle_category),
        _group("tickets.col.severity", [(str(s), f"ticket.severity.{s}") for s in SEVERITIES], S.sel_severity,
               S.toggle_severity),
        _group("tickets.col.priority", [(p, f"ticket.priority.{p}") for p in PRIORITIES], S.sel_priority,
               S.toggle_priority),
        rx.hstack(
            rx.el.label(
                rx.el.input(type="checkbox", checked=S.mine, on_change=S.set_mine),
                rx.text(rx.cond(S.staff_view, t("tickets.mine_support"), t("tickets.mine")), as_="span", size="2"),
                style={"display": "inline-flex", "gap": "6px", "alignItems": "center"},
            ),
            staff_filters,
            rx.form(
                rx.hstack(
                    # its id: the box drawn anew with each search (key) keeps the keyboard focus (focus_kept.js)
                    rx.input(name="q", id="ticket-search", default_value=S.q, aria_label=t("tickets.search"),
                             placeholder=t("tickets.search"), title=t("tickets.search_hint"),
                             max_length=max_length("search", "tickets"),
                             width=rx.breakpoints(initial="100%", sm="260px"),
                             key=S.q),
                    rx.button(t("common.search"), type="submit", variant="soft"),
                    width="100%",
                ),
                on_submit=S.search,
                width=rx.breakpoints(initial="100%", sm="auto"),  # a phone's row, for a longer language's text
            ),
            rx.button(t("tickets.clear"), variant="ghost", on_click=S.clear),
            spacing="4", align="center", wrap="wrap",
        ),
        spacing="3",
        width="100%",
        id="ticket-filters",
        style={NARROW: {"display": rx.cond(filters_open.value, "flex", "none"), "paddingTop": "12px"}},
    ),
        # outside the phone's folded filters: what the list says about its search is seen with the list
        rx.cond(S.search_note != "", rx.text(S.search_note, size="2", color="var(--amber-11)", role="status",
                                             style={"overflowWrap": "anywhere", "marginTop": "12px"})),
        width="100%")


def _header(column: rx.Var) -> rx.Component:
    return rx.table.column_header_cell(
        rx.button(column["label"].to(str), rx.text(column["arrow"].to(str), as_="span", size="1"),
                  variant="ghost", size="1", on_click=S.sort_by(column["key"].to(str)),
                  aria_label=t("tickets.sort_by").replace("{column}", column["label"].to(str))),
        aria_sort=rx.cond(column["arrow"] == "▲", "ascending", rx.cond(column["arrow"] == "▼", "descending", "none")),
    )


def _cell(key: str | None, content: rx.Component | rx.Var) -> rx.Component:
    """A cell; on phones, where each row is a card, `data-label` names its column. Rows are plain
    elements with Radix's classes: the same look without a component per cell (a cold load draws
    25 rows at once)."""
    if key is None:
        return rx.el.td(content, class_name="rt-TableCell")
    return rx.el.td(content, class_name="rt-TableCell", data_label=t(f"tickets.col.{key}"))


# what rx.badge draws, as classes (rx.link's: `url_sync.LINK`)
BADGE = "rt-reset rt-Badge rt-r-size-1 rt-variant-soft"


def _link(text: rx.Var, href: rx.Var, *, extra_class: str = "", **props) -> rx.Component:  # noqa: ANN003
    """A link within the portal (React Router's: no page load), drawn as rx.link draws it."""
    return ReactRouterLink.create(text, to=href, class_name=f"{LINK} {extra_class}".strip(), data_accent_color="",
                                  **props)


def _name(value: rx.Var) -> rx.Component:
    """A name: wrapped at spaces, and anywhere once it is longer than the column's 16 characters
    (`.ticket-name` in the shell's TABLES)."""
    return rx.el.span(value, class_name="rt-Text ticket-name")


def _row(row: rx.Var) -> rx.Component:
    title = row["title"].to(str)
    # the link is made in the browser: the reply carries numbers, not addresses
    href = rx.cond(S.staff_view, "/admin/tickets/", "/tickets/") + row["number"].to_string()
    cells = [
        _cell("number", _link(row["number"].to_string(), href)),
        # a title: at most two lines of the column, then "…" (in full on hover); on phones three
        _cell(None, _link(title, href, title=title, extra_class="ticket-title")),
        _cell("category", row["category"].to(str)),
        _cell("severity", row["severity"].to(str)),
        _cell("priority", row["priority"].to(str)),
        _cell("status", rx.el.span(row["status"].to(str), class_name=BADGE, data_accent_color="")),
    ]
    company = _cell("company", _name(row["company"].to(str)))
    assignee = _cell("assignee", _name(row["assignee"].to(str)))
    tail = [_cell("created_by", _name(row["created_by"].to(str))), _cell("created", row["created"].to(str)),
            _cell("updated", row["updated"].to(str))]
    # the columns as the state's `columns` name them: staff's, a collaborator's (company), a customer's
    return rx.cond(
        S.staff_view,
        rx.el.tr(*cells, company, assignee, *tail, class_name="rt-TableRow"),
        rx.cond(S.company_column,
                rx.el.tr(*cells, company, *tail, class_name="rt-TableRow"),
                rx.el.tr(*cells, *tail, class_name="rt-TableRow")),
    )


def pager() -> rx.Component:
    """Previous, "page 1 of 4", Next on one line (a long text wraps between the buttons, never one of
    them under the other), the page size beside them or, on a narrow screen, below."""
    return rx.hstack(
        rx.hstack(
            rx.button(t("common.previous"), variant="soft", size="1", disabled=S.page <= 1,
                      on_click=S.go_to_page(S.page - 1)),
            # said again when a filter, a search or a page changes it ("Page 1 of 1, 3 tickets")
            rx.text(S.page_text, size="2", aria_live="polite", style={"minWidth": 0, "textAlign": "center"}),
            rx.button(t("common.next"), variant="soft", size="1", disabled=S.page >= S.pages,
                      on_click=S.go_to_page(S.page + 1)),
            align="center", wrap="nowrap",
        ),
        rx.hstack(
            rx.el.label(t("tickets.page_size"), html_for="page-size", style={"fontSize": "13px"}),
            rx.el.select(*[rx.el.option(str(n), value=str(n)) for n in (10, 25, 50, 100)], id="page-size",
                         value=S.page_size, on_change=S.set_page_size, custom_attrs=pick_to_apply()),
            align="center", wrap="nowrap",
        ),
        align="center",
        wrap="wrap",
        column_gap="16px",
    )


def empty_list() -> rx.Component:
    """No ticket to show: with a filter or a search, a way back to every ticket; without, there are
    none yet (and, for those who may open one, "New ticket")."""
    return rx.box(rx.cond(
        S.filtered,
        rx.hstack(
            rx.text(t("tickets.empty"), color="var(--gray-11)"),
            rx.link(t("tickets.clear"), href=rx.cond(S.staff_view, "/admin/tickets", "/tickets")),
            spacing="3", align="baseline", wrap="wrap",
        ),
        rx.vstack(
            rx.text(t("tickets.none_yet"), weight="medium"),
            rx.cond(S.can_create, rx.fragment(
                rx.text(t("tickets.none_yet_hint"), color="var(--gray-11)"),
                link_button(t("tickets.new"), href="/tickets/new"),
            )),
            spacing="2", align="start",
        ),
    ), role="status", width="100%")


def ticket_table() -> rx.Component:
    return rx.vstack(
        rx.table.root(
            rx.table.header(rx.table.row(rx.foreach(S.columns, _header))),
            rx.table.body(rx.foreach(S.rows, _row)),
            width="100%",
            variant="surface",
            size="1",
        ),
        rx.cond(S.loaded & (S.total == 0), empty_list()),
        address_put_right(S),  # the address says the view shown
        # a click's view is shown without navigating: its address goes into the address bar here
        url_sync(S.view_url),
        pager(),
        # live: every 3 s the server compares a change counter; the list reloads only when it moved
        live_tick(S.tick, 3000),
        width="100%",
        spacing="3",
    )
