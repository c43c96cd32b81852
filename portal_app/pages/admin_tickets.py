"""Admin panel: the staff ticket inbox and a ticket seen by staff."""

import reflex as rx

from ..components.admin_nav import admin_nav, panel_title
from ..components.i18n import t
from ..components.shell import card, numbered_title, page
from ..components.ticket_detail import ticket_view
from ..components.ticket_list import filters_panel, ticket_table
from ..state.ticket_detail import TicketDetailState
from ..state.ticket_list import AWAITING_US_HREF, TicketListState
from ..components.link_button import link_button


@page(route="/admin/tickets", title="Ticket inbox", access="staff", on_load=[TicketListState.load_staff],
      self_guarded=True, wide=True)
def admin_tickets_page() -> rx.Component:
    return card(
        panel_title(),
        admin_nav("/admin/tickets"),
        rx.hstack(
            rx.heading(t("tickets.inbox_title"), size="5", as_="h1"),
            rx.spacer(),
            link_button(rx.icon("inbox", size=16), t("tickets.awaiting_us"), href=AWAITING_US_HREF, variant="soft"),
            width="100%", align="center", wrap="wrap",
        ),
        filters_panel(),
        ticket_table(),
    )


@page(route="/admin/tickets/[number]", title="Ticket", access="staff", on_load=[TicketDetailState.load_staff],
      self_guarded=True, tab_title=numbered_title("page_title.ticket", rx.cond(TicketDetailState.found,
                                                                               TicketDetailState.number, 0),
                                                  TicketDetailState.title))
def admin_ticket_page() -> rx.Component:
    return card(admin_nav("/admin/tickets"), ticket_view("/admin/tickets"))
