"""Ticket vocabularies and the status transitions each side may make: defined here, once."""

from __future__ import annotations

from ...models import TicketCategory, TicketPriority, TicketStatus

S = TicketStatus
OPEN_STATUSES = (S.NEW, S.IN_PROGRESS, S.WAITING_CUSTOMER, S.WAITING_SUPPORT)
AWAITING_SUPPORT = (S.NEW, S.WAITING_SUPPORT)  # the staff inbox's "Awaiting us": support's move next

# Customers: answer support (-> waiting for support), reopen a resolved ticket, close their own.
CUSTOMER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NEW: (S.CLOSED,),
    S.IN_PROGRESS: (S.WAITING_SUPPORT, S.CLOSED),
    S.WAITING_CUSTOMER: (S.WAITING_SUPPORT, S.CLOSED),
    S.WAITING_SUPPORT: (S.CLOSED,),
    S.RESOLVED: (S.WAITING_SUPPORT, S.CLOSED),
    S.CLOSED: (),
}

# Staff and the assigned collaborator: any move between open states, resolve, close; reopen a closed one.
SUPPORT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NEW: (S.IN_PROGRESS, S.WAITING_CUSTOMER, S.WAITING_SUPPORT, S.RESOLVED, S.CLOSED),
    S.IN_PROGRESS: (S.WAITING_CUSTOMER, S.WAITING_SUPPORT, S.RESOLVED, S.CLOSED),
    S.WAITING_CUSTOMER: (S.IN_PROGRESS, S.WAITING_SUPPORT, S.RESOLVED, S.CLOSED),
    S.WAITING_SUPPORT: (S.IN_PROGRESS, S.WAITING_CUSTOMER, S.RESOLVED, S.CLOSED),
    S.RESOLVED: (S.IN_PROGRESS, S.WAITING_CUSTOMER, S.CLOSED),
    S.CLOSED: (S.IN_PROGRESS,),
}


# A comment that chooses no status may move the ticket on by itself: (support side?, status) -> status.
# A customer's reply to a ticket waiting for the customer hands it back to support (an internal note,
# staff's, never moves anything). Recorded in the history and mailed like a status change by hand.
STATUS_AFTER_COMMENT: dict[tuple[bool, str], str] = {(False, S.WAITING_CUSTOMER): S.WAITING_SUPPORT}


def status_after_comment(*, support_side: bool, status: str) -> str | None:
    """The status a comment without a chosen status moves the ticket to; None: it stays."""
    return STATUS_AFTER_COMMENT.get((support_side, status))


def allowed_transitions(*, support_side: bool, status: str, customers_can_close: bool) -> tuple[str, ...]:
    if support_side:
        return SUPPORT_TRANSITIONS.get(status, ())
    targets = CUSTOMER_TRANSITIONS.get(status, ())
    return tuple(t for t in targets if customers_can_close or t != S.CLOSED)


STATUSES: tuple[str, ...] = tuple(TicketStatus)
CATEGORIES: tuple[str, ...] = tuple(TicketCategory)
PRIORITIES: tuple[str, ...] = tuple(TicketPriority)
DEFAULT_PRIORITY = TicketPriority.NORMAL  # the new-ticket form's choice on every visit, and the service's

# English names, used in URLs (?status=New&category=Work%20Order) and matched case-insensitively.
STATUS_NAMES = {S.NEW: "New", S.IN_PROGRESS: "In progress", S.WAITING_CUSTOMER: "Waiting for customer",
                S.WAITING_SUPPORT: "Waiting for support", S.RESOLVED: "Resolved", S.CLOSED: "Closed"}
CATEGORY_NAMES = {TicketCategory.SUPPORT: "Support", TicketCategory.BUG: "Bug",
                  TicketCategory.WORK_ORDER: "Work Order"}
PRIORITY_NAMES = {TicketPriority.LOW: "Low", TicketPriority.NORMAL: "Normal", TicketPriority.HIGH: "High",
                  TicketPriority.URGENT: "Urgent"}
