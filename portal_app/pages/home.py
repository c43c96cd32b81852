"""Home: welcome message and the home page text from the portal settings; for customers with the
tickets module, "New ticket", the tickets awaiting their reply and their open tickets."""

import reflex as rx

from ..components.i18n import t
from ..components.shell import ELLIPSIS, NARROW, card, page
from ..state.home import OPEN_TICKETS_HREF, HomeState
from ..components.link_button import link_button
from ..components.live_tick import live_tick


def _ticket_line(item: rx.Var) -> rx.Component:
    return rx.el.li(rx.hstack(
        rx.link("#", item["number"].to_string(), " ", item["title"].to(str), href=item["href"].to(str),
                title=item["title"].to(str),
                # a phone: two lines of the title beside its status, not a few words and "…"
                style={**ELLIPSIS, NARROW: {"display": "-webkit-box", "WebkitLineClamp": "2",
                                            "WebkitBoxOrient": "vertical", "whiteSpace": "normal",
                                            "overflowWrap": "anywhere"}}),
        rx.spacer(),
        rx.badge(item["status"].to(str), variant="soft"),
        rx.text(item["updated"].to(str), size="1", color="var(--gray-11)", white_space="nowrap",
                style={NARROW: {"display": "none"}}),  # a phone: the title and status keep the room
        align="center", spacing="2", width="100%", min_width="0",
    ), style={"padding": "6px 0", "borderBottom": "1px solid var(--gray-4)"})


def _ticket_section(title_key: str, items: rx.Var, empty_key: str, section_id: str) -> rx.Component:
    """A section of tickets, its title and empty text said of the company's (`<key>_company`) for a
    reader who sees the company's tickets."""
    company = HomeState.company_wide
    return rx.box(
        rx.heading(rx.cond(company, t(f"{title_key}_company"), t(title_key)), size="4", as_="h2", id=section_id),
        rx.cond(items.length() > 0,
                rx.el.ul(rx.foreach(items, _ticket_line), aria_labelledby=section_id,
                         style={"listStyle": "none", "padding": 0, "margin": 0}),
                rx.text(rx.cond(company, t(f"{empty_key}_company"), t(empty_key)), color="var(--gray-11)", size="2")),
        width="100%",
    )


def customer_tickets() -> rx.Component:
    return rx.cond(HomeState.show_tickets, rx.vstack(
        rx.cond(HomeState.can_create, link_button(rx.icon("plus", size=18), t("tickets.new"), href="/tickets/new",
                                                size="3")),
        _ticket_section("home.awaiting_reply", HomeState.awaiting, "home.nothing_awaiting", "home-awaiting"),
        _ticket_section("home.open_tickets", HomeState.open_tickets, "home.no_open_tickets", "home-open"),
        rx.link(HomeState.all_open_text, href=OPEN_TICKETS_HREF, size="2"),
        # live: every 3 s the server compares a change counter; the sections reload only when it moved
        live_tick(HomeState.tick, 3000),
        spacing="4", width="100%",
    ))


@page(route="/", title="Home", on_load=[HomeState.load])
def home_page() -> rx.Component:
    return card(
        rx.heading(HomeState.welcome_in[HomeState.lang].to(str), size="7", as_="h1",
                   lang=HomeState.text_lang_in[HomeState.lang]["welcome_message"].to(str)),
        rx.text(HomeState.hello, color="var(--gray-11)"),
        customer_tickets(),
        rx.foreach(HomeState.paragraphs_in[HomeState.lang].to(list[str]),
                   lambda p: rx.text(p, white_space="pre-line",
                                     lang=HomeState.text_lang_in[HomeState.lang]["home_content"].to(str))),
    )
