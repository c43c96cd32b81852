"""Who sees which tickets: the scope every ticket query starts from, and how a person's name is shown.

Below the ticket services (core, list, attachments, mails all import it), so none of them needs another.
"""

from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ...models import AccountKind, ModuleAccess, Ticket, TicketComment
from ..actor import Actor
from . import ticket_search

def is_support(actor: Actor) -> bool:
    """Staff and collaborators answer tickets; everyone else is the customer side."""
    return actor.is_staff or actor.kind == AccountKind.COLLABORATOR


Condition = ticket_search.Condition


def visibility(actor: Actor) -> list[Condition] | None:
    """The tickets the actor may see, as conditions on ticket columns; None: none at all.

    Conditions, not a WHERE clause, because both the SQL of the list and the tags of the full-text
    index are built from them: the one description of the scope, so the two cannot disagree.
    """
    if not actor.is_staff and not actor.can("tickets", ModuleAccess.VIEW):
        return None  # module off or not granted
    if actor.is_staff:
        return []
    if actor.kind == AccountKind.COLLABORATOR:
        return [("assignee_id", (actor.account_id,))]
    if actor.is_company_admin and actor.company_id is not None:
        return [("company_id", (actor.company_id,))]
    # its own tickets, of the company it belongs to now (a contact moved elsewhere takes none along)
    return [("created_by_id", (actor.account_id,)), ("company_id", (actor.company_id,))]


def where_clauses(conditions: list[Condition]) -> list[ColumnElement[bool]]:
    clauses = []
    for column, values in conditions:
        field = col(getattr(Ticket, column))
        clauses.append(field.is_(None) if values == (None,) else field.in_(values))
    return clauses


def visible_tickets(actor: Actor) -> Select:
    """Every ticket query starts here: the tickets this actor may see, and nothing else."""
    scope = visibility(actor)
    if scope is None:
        return select(Ticket).where(False)  # noqa: FBT003
    return select(Ticket).where(*where_clauses(scope))


def comment_visible(*, session: Session, actor: Actor, comment_id: int | None) -> bool:
    """Internal notes are for staff only."""
    if comment_id is None or actor.is_staff:
        return True
    comment = session.get(TicketComment, comment_id)
    return comment is not None and not comment.internal


def display_name(account_id: int | None, full: str | None, email: str | None, first: str | None,
                 last: str | None) -> str:
    """A person's name as the pages show it; "" when there is no such account."""
    if account_id is None:
        return ""
    return f"{first} {last}" if first else full or email
