"""Home page content from the portal settings; for customers also their open tickets, those
awaiting their reply, and the way to a new ticket; those follow changes live (a counter, as the lists)."""

from __future__ import annotations

from typing import TypedDict
from urllib.parse import urlencode

import reflex as rx

from ..i18n import available_languages
from ..services import live
from ..services.errors import NotAuthenticated, ServiceError
from ..services.tickets import ticket_list
from ..services.tickets.core import status_counts_key
from ..services.portal.config import get_portal_settings, localized_texts
from ..services.tickets.ticket_rules import OPEN_STATUSES
from .base import run_service
from .session import SessionState


# the customer's list of open tickets, from the home page's "All open tickets" link
OPEN_TICKETS_HREF = "/tickets?" + urlencode(ticket_list.TicketFilters(statuses=OPEN_STATUSES).to_query())


class HomeTicket(TypedDict):
    number: int
    title: str
    status: str
    updated: str
    href: str


class HomeState(SessionState):
    # the welcome message and the home page text in every UI language (each language's own, or the
    # default language's): the page shows the one of `lang`, and follows a change of language at once
    welcome_in: dict[str, str] = {}
    paragraphs_in: dict[str, list[str]] = {}
    text_lang_in: dict[str, dict[str, str]] = {}  # per page language: the language each text is in
    hello: str = ""
    show_tickets: bool = False  # a customer with the tickets module
    can_create: bool = False
    company_wide: bool = False  # the sections hold the company's tickets (a company admin's), not only one's own
    open_tickets: list[HomeTicket] = []
    all_open_text: str = ""
    awaiting: list[HomeTicket] = []
    _seen: int = -1  # the tickets' change counter when they were read

    @rx.event
    def load(self):
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            return
        row = run_service(lambda session: get_portal_settings(session).model_dump())
        texts = {lang: localized_texts(row, lang) for lang in available_languages()}
        self.welcome_in = {lang: text["welcome_message"] for lang, text in texts.items()}
        self.paragraphs_in = {lang: [p.strip() for p in text["home_content"].split("\n\n") if p.strip()]
                              for lang, text in texts.items()}
        self.text_lang_in = {lang: text["text_langs"] for lang, text in texts.items()}
        self.hello = self._t("home.hello", name=actor.name)
        self._tickets(actor)

    @rx.event
    def tick(self, _now: str = ""):
        """Every few seconds: the ticket sections again, only when a ticket of this company changed."""
        if not self.show_tickets:
            return
        try:
            actor = self._require_actor()
            if live.versions(status_counts_key(actor))[0] != self._seen:
                self._tickets(actor)
        except ServiceError:
            self.show_tickets, self.open_tickets, self.awaiting = False, [], []

    def _tickets(self, actor) -> None:  # noqa: ANN001
        self._seen = live.versions(status_counts_key(actor))[0]
        home = run_service(ticket_list.customer_home, actor=actor)
        self.show_tickets = home is not None
        self.can_create = home is not None and home.can_create
        self.all_open_text = self._t("home.all_open_tickets", count=home.open_total) if home else ""
        self.open_tickets = self._items(home.open) if home else []
        self.awaiting = self._items(home.awaiting) if home else []
        self.company_wide = bool(home and home.company_wide)

    def _items(self, rows: list[ticket_list.TicketRow]) -> list[HomeTicket]:
        return [{"number": r.number, "title": r.title, "status": self._t(f"ticket.status.{r.status}"),
                 "updated": self._when(r.updated_at), "href": f"/tickets/{r.number}"} for r in rows]
