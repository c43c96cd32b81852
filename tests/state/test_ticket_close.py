"""Closing a ticket with the "Close ticket" button (the page asks first): the creator
closes it without a comment, a second close or one on a status changed meanwhile is refused."""

from __future__ import annotations

from sqlmodel import select
from statekit import Portal

from portal_app.db import session_scope
from portal_app.models import Ticket, TicketComment
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


def _comments(number: int) -> list[str]:
    with session_scope() as s:
        ticket = s.exec(select(Ticket).where(Ticket.number == number)).one()
        return list(s.exec(select(TicketComment.body).where(TicketComment.ticket_id == ticket.id)).all())


def test_a_comment_typed_before_closing_is_added_with_the_close(portal: Portal):
    number = portal.tickets().open
    page = _detail(portal, "acme_user", number)
    before = _comments(number)
    portal.call(page, "close_ticket", page.status_code, "Solved it myself, thanks.")
    assert _status(number) == "closed" and page.notice == "Status changed to Closed."
    assert _comments(number) == [*before, "Solved it myself, thanks."] and page.draft == ""


def test_a_refused_close_keeps_the_comment_typed(portal: Portal):
    number = portal.tickets().open
    page = _detail(portal, "acme_user", number)
    before = _comments(number)
    portal.call(page, "close_ticket", "waiting_customer", "Please close, solved.")  # the status changed meanwhile
    assert _status(number) == "in_progress" and _comments(number) == before
    assert "meanwhile" in page.errors["new_status"] and page.draft == "Please close, solved."


def test_a_ticket_closed_elsewhere_says_so_to_the_open_page_and_its_own_close_does_not(portal: Portal):
    number = portal.tickets().open
    page, other_tab = _detail(portal, "acme_user", number), _detail(portal, "acme_user", number)
    portal.call(page, "tick")
    assert not page.closed_meanwhile
    portal.call(other_tab, "close_ticket", other_tab.status_code)  # the other tab closes it
    assert other_tab.closed and not other_tab.closed_meanwhile  # its own close: its text went with it
    portal.call(page, "tick")  # this page learns it: its comment box goes, what was typed is kept
    assert page.closed and page.closed_meanwhile and not page.can_comment
    portal.call(page, "tick")  # nothing new: still said
    assert page.closed_meanwhile
    portal.call(page, "load")  # opened again: a closed ticket, nothing typed since
    assert page.closed and not page.closed_meanwhile
