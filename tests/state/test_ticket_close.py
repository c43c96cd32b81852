"""Closing a ticket with the "Close ticket" button (the page asks "Confirm" first): the creator
closes it without a comment, a second close or one on a status changed meanwhile is refused."""

from __future__ import annotations

from sqlmodel import select
from statekit import Portal

from portal_app.db import session_scope
from portal_app.models import Ticket
from portal_app.state.ticket_detail import TicketDetailState


def _status(number: int) -> str:
    with session_scope() as s:
        return s.exec(select(Ticket.status).where(Ticket.number == number)).one()


def _detail(portal: Portal, who: str, number: int) -> TicketDetailState:
    inst = portal.state(TicketDetailState, who, url=f"/tickets/{number}")
    portal.call(inst, "load")
    assert inst.found and not inst.errors, inst.errors
    return inst


def test_the_creator_closes_the_ticket_shown(portal: Portal):
    number = portal.tickets().open
    page = _detail(portal, "acme_user", number)
    assert "closed" in [t["value"] for t in page.transitions]
    portal.call(page, "close_ticket", page.status_code)
    assert _status(number) == "closed"
    assert page.closed and not page.errors and page.notice == "Status changed to Closed."
    portal.call(page, "close_ticket", "in_progress")  # sent again (another click, an old page): refused
    assert _status(number) == "closed" and "new_status" in page.errors


def test_a_status_changed_meanwhile_is_not_closed(portal: Portal):
    number = portal.tickets().open
    page = _detail(portal, "acme_user", number)
    portal.call(page, "close_ticket", "waiting_customer")
    assert _status(number) == "in_progress"
    assert "meanwhile" in page.errors["new_status"] and page.status_code == "in_progress"
