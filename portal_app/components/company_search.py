"""Staff's search-as-you-type company box: type a few letters of a name (or business id, or city),
pick one of the matches; once chosen it shows the company with a button to choose again. Not a menu
of every company (there may be thousands). The ticket inbox's company filter and the invoices' (the
list's filter and a new draft's company) use it."""

from __future__ import annotations

import reflex as rx

from .i18n import t
from .limits import max_length


def company_search(state, *, input_id: str, label: rx.Var, clear_label: rx.Var) -> rx.Component:  # noqa: ANN001
    """`state` has `company_label`, `company_value` ('' while none is chosen), `company_matches`
    ({value, label} rows), `find_companies(text)` and `set_company(company_id)` ('' to choose again)."""
    chosen = rx.hstack(
        rx.badge(state.company_label, variant="soft", size="2", title=state.company_label,
                 style={"maxWidth": "240px", "overflow": "hidden", "textOverflow": "ellipsis"}),
        rx.button(clear_label, variant="ghost", size="1", type="button", on_click=state.set_company("")),
        spacing="1", align="center",
    )
    search = rx.box(
        rx.input(id=input_id, placeholder=t("tickets.company_search"), on_change=state.find_companies.debounce(250),
                 max_length=max_length("search", "people"), width="220px", auto_complete="off"),
        rx.cond(state.company_matches.length() > 0, rx.el.ul(
            rx.foreach(state.company_matches, lambda c: rx.el.li(rx.button(
                c["label"], variant="ghost", size="1", type="button", on_click=state.set_company(c["value"]),
                title=c["label"],
                style={"width": "100%", "justifyContent": "flex-start", "overflow": "hidden",
                       "textOverflow": "ellipsis", "whiteSpace": "nowrap"}))),
            id=f"{input_id}-matches", aria_label=t("tickets.company_matches"),
            style={"listStyle": "none", "margin": 0, "padding": "4px", "position": "absolute", "zIndex": 10,
                   "background": "var(--color-panel-solid)", "border": "1px solid var(--gray-6)",
                   "borderRadius": "6px", "width": "240px", "maxHeight": "260px", "overflowY": "auto"},
        )),
        position="relative",
    )
    return rx.hstack(
        rx.el.label(label, html_for=input_id, style={"fontSize": "13px"}),
        rx.cond(state.company_value != "", chosen, search),
        spacing="2", align="center",
    )
