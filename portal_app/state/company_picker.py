"""Staff's company box (`components/company_search.py`), shared by the ticket inbox's filter and the
staff forms that choose a company (invoices, products' price books, quotes and opportunities): a few
matches while typing, "no company matches" when there are none, closed by Escape or leaving the box."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..services.companies import directory
from ..services.errors import ServiceError
from ..services.validation import is_id
from .base import run_service, search_text

COMPANY_MATCHES = 8
# the box's suggestions closed, for `_put(**CLOSED_MATCHES)` (the empty list is shared: a state replaces its
# matches, never changes them in place)
CLOSED_MATCHES = {"company_matches": [], "company_searched": ""}


class CompanyChoice(TypedDict):
    value: str
    label: str


class CompanyMatches(rx.State, mixin=True):
    """The box's suggestions: a few companies matching what staff typed (name, business id or city)."""

    company_matches: list[CompanyChoice] = []
    company_searched: str = ""  # what the matches are for ('' while closed): "no match" is said for it
    _closed_for: str = ""  # the text the box was closed at (Escape, focus gone): it does not open again for it

    @rx.event
    def find_companies(self, text: str):
        if not isinstance(text, str):
            return
        text = search_text(text, 100).strip()
        if text and text == self._closed_for:  # the typing's last search, arriving after the box was closed
            return
        self._closed_for = ""
        found: list[CompanyChoice] = []
        if text:
            try:
                actor = self._require_actor()  # type: ignore[attr-defined]  (SessionState's)
                companies, _ = run_service(directory.list_companies, actor=actor, query=text, limit=COMPANY_MATCHES)
                found = [{"value": str(c.id), "label": directory.company_choice_label(c)} for c in companies]
            except ServiceError:
                text = ""
        self._put(company_matches=found, company_searched=text)  # type: ignore[attr-defined]

    @rx.event
    def close_company_matches(self, text: str = ""):
        """Escape in the box, or focus leaving it (`text`: what the box holds): the suggestions close,
        what was typed stays, and a search for it still on its way (typing debounced) opens nothing."""
        self._closed_for = search_text(text, 100).strip() if isinstance(text, str) else ""
        if self.company_matches or self.company_searched:
            self._put(**CLOSED_MATCHES)  # type: ignore[attr-defined]


class CompanyPicker(CompanyMatches, mixin=True):
    """Staff's search-as-you-type company box (`components/company_search.py`): a few matches
    while typing a name, business id or city, then the one chosen."""

    company_label: str = ""
    company_value: str = ""

    @staticmethod
    def _company_arg(company_id: object) -> str | None:
        """A `set_company` argument: a company id as text ('' for none), or None when it is no such thing."""
        if isinstance(company_id, str) and (company_id == "" or (is_id(company_id) and len(company_id) < 10)):
            return company_id
        return None

    def _company_name(self, actor, company_id: str) -> str:  # noqa: ANN001
        """The chosen company's name ('' when there is none by that id)."""
        if company_id == self.company_value and self.company_label:
            return self.company_label
        try:
            return run_service(directory.get_company, actor=actor, company_id=company_id).name
        except ServiceError:
            return ""

    def _pick_company(self, chosen: str) -> None:
        """Show the company picked (a `_company_arg`; '' to choose again), or nothing when there is no such
        company; its field's message goes."""
        try:
            actor = self._require_actor()  # type: ignore[attr-defined]  (SessionState's)
            name = self._company_name(actor, chosen) if chosen else ""
        except ServiceError:
            return
        errors = {k: v for k, v in self.errors.items() if k != "company"}  # type: ignore[attr-defined]
        self._put(company_value=chosen if name else "", company_label=name,  # type: ignore[attr-defined]
                  **CLOSED_MATCHES, errors=errors)
