"""Support tickets: the ticket, its comments, its history of changes, attachments and followers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Computed, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from .common import utcnow


class TicketStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_CUSTOMER = "waiting_customer"
    WAITING_SUPPORT = "waiting_support"
    RESOLVED = "resolved"
    CLOSED = "closed"


class TicketCategory(StrEnum):
    SUPPORT = "support"
    BUG = "bug"
    WORK_ORDER = "work_order"


class TicketPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


BUG_SEVERITIES: tuple[int, ...] = (1, 2, 3, 4)
NOT_IN_SLA = 10
SEVERITIES: tuple[int, ...] = (*BUG_SEVERITIES, NOT_IN_SLA)
PRIORITY_RANK = {TicketPriority.LOW: 1, TicketPriority.NORMAL: 2, TicketPriority.HIGH: 3, TicketPriority.URGENT: 4}


class Ticket(SQLModel, table=True):
    # Indexes for the list (services/tickets.py `list_tickets`; measured by benchmarks/tickets.py at a
    # million tickets, results and reasons in docs/benchmarks.md). The list sorts by any column, both
    # ways, with the id as tie-break, and pages with LIMIT/OFFSET: an index (scope, column) keeps its
    # entries in (scope, column, id) order, so a page is 25 entries walked instead of a whole company
    # (or every ticket) sorted. Hence one index per sortable column and scope -- company first for
    # company admins and staff's company filter, the bare column for staff over every company. The
    # counts per status (and the total, their sum) must not visit the rows either: the status-led
    # and filter-led indexes below carry the filter columns, so a filtered count is read from one
    # index. Cost: about 600 bytes of index per ticket (580 MB more at a million tickets, where the
    # table itself is 370 MB) and, measured there, a ticket created in 0.63 ms instead of 0.40 ms
    # and a status change in 0.41 ms instead of 0.28 ms (p50, WAL). A comment only touches the
    # *_updated indexes.
    __table_args__ = (
        # the default view (-updated) per scope, and per status inside a scope
        Index("ix_ticket_company_updated", "company_id", "updated_at"),
        Index("ix_ticket_company_status_updated", "company_id", "status", "updated_at"),
        Index("ix_ticket_creator_updated", "created_by_id", "updated_at"),
        Index("ix_ticket_assignee_updated", "assignee_id", "updated_at"),
        Index("ix_ticket_updated", "updated_at"),
        Index("ix_ticket_status_updated", "status", "updated_at"),
        Index("ix_ticket_assignee_status_updated", "assignee_id", "status", "updated_at"),
        # inside a company: sort by status (status, id), and the counts per status with every
        # customer filter read from the index
        Index("ix_ticket_company_status", "company_id", "status", "id", "category", "severity", "priority",
              "created_by_id"),
        Index("ix_ticket_status", "status"),
        # over every company (staff): the filters, counted per status from the index alone
        Index("ix_ticket_category_severity", "category", "severity", "status", "updated_at", "priority"),
        Index("ix_ticket_priority_status", "priority", "status", "updated_at", "category", "severity"),
        # the other sort columns inside a company ...
        Index("ix_ticket_company", "company_id"),
        Index("ix_ticket_company_number", "company_id", "number"),
        Index("ix_ticket_company_title", "company_id", "title_key"),
        Index("ix_ticket_company_category", "company_id", "category"),
        Index("ix_ticket_company_severity", "company_id", "severity"),
        Index("ix_ticket_company_priority", "company_id", "priority_rank"),
        Index("ix_ticket_company_creator", "company_id", "created_by_id"),
        Index("ix_ticket_company_created", "company_id", "created_at"),
        Index("ix_ticket_company_assignee", "company_id", "assignee_id"),
        # ... and over every company (staff); number has its unique index, created_by sorts well
        # enough on ix_ticket_creator_updated (a few hundred tickets per person)
        Index("ix_ticket_title", "title_key"),
        Index("ix_ticket_category", "category"),
        Index("ix_ticket_severity", "severity", "id", "status", "updated_at"),  # + a severity filter's counts
        Index("ix_ticket_priority", "priority_rank"),
        Index("ix_ticket_created", "created_at"),
        Index("ix_ticket_assignee", "assignee_id"),
        # a form sent twice (a double click, a resent event) creates one ticket: see create_ticket
        Index("ux_ticket_submission", "submission_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True, description="readable sequential number shown everywhere")
    company_id: int = Field(foreign_key="company.id")
    created_by_id: int = Field(foreign_key="account.id")
    assignee_id: int | None = Field(default=None, foreign_key="account.id")
    reference_id: int | None = Field(default=None, foreign_key="ticket.id",
                                     description="the closed ticket this one continues")
    title: str = Field(max_length=200)
    # what the list sorts titles by: "printer jams" between "Password reset" and "VPN down", not after
    # every capital; written by the database itself, so every way a ticket is written keeps it
    # (SQLite's lower() folds A-Z only: an "Ä" still sorts after "z", as Finnish has it)
    title_key: str | None = Field(default=None, sa_column=Column(String(200), Computed("lower(title)")))
    description: str = Field(max_length=20000)
    category: str = Field(max_length=20)
    severity: int
    priority: str = Field(max_length=10)
    priority_rank: int = Field(description="sorts Low < Normal < High < Urgent")
    status: str = Field(default=TicketStatus.NEW, max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the random id of the form that created it (unique; None for old rows)")


class TicketComment(SQLModel, table=True):
    __table_args__ = (Index("ix_ticketcomment_ticket_created", "ticket_id", "created_at"),
                      Index("ux_ticketcomment_submission", "submission_id", unique=True))

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    author_id: int = Field(foreign_key="account.id")
    body: str = Field(default="", max_length=20000)
    internal: bool = Field(default=False, description="staff note; customers never see it")
    old_status: str = Field(default="", max_length=20, description="set when the comment changed the status")
    new_status: str = Field(default="", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the random id of the form that sent it (unique; None for old rows)")


class TicketChange(SQLModel, table=True):
    """One line of a ticket's history: what changed, from what to what, by whom."""

    __table_args__ = (Index("ix_ticketchange_ticket_created", "ticket_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    actor_id: int = Field(foreign_key="account.id")
    field: str = Field(max_length=20)
    old_value: str = Field(default="", max_length=200)
    new_value: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class Attachment(SQLModel, table=True):
    """A file stored under a random name in the data folder; `ticket_id` is empty while staged."""

    __table_args__ = (Index("ix_attachment_ticket", "ticket_id"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    comment_id: int | None = Field(default=None, foreign_key="ticketcomment.id")
    uploaded_by_id: int = Field(foreign_key="account.id", index=True)
    # while staged: the form it was dropped on ("new", "ticket:<number>"; '' from before forms were told apart)
    staged_for: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    stored_name: str = Field(max_length=64, unique=True)
    file_name: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class TicketFollower(SQLModel, table=True):
    """Customers who get mail about a ticket: its creator, and company admins who follow it."""

    __table_args__ = (UniqueConstraint("ticket_id", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    account_id: int = Field(foreign_key="account.id")


class TicketCounter(SQLModel, table=True):
    """The last ticket number given; one row, advanced with an atomic UPDATE ... RETURNING."""

    id: int | None = Field(default=None, primary_key=True)
    value: int = Field(default=10000)

