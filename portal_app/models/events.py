"""Events: trainings and other events customers register for, with a capacity and a waiting list.

Seats are counted on the event row itself (`seats_taken`), moved only by conditional UPDATEs in
the transaction that changes a registration (`services/events/seats.py`), and a CHECK keeps the
count within the capacity: the database, not the code, makes overbooking impossible.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index, text
from sqlmodel import Field, SQLModel

from .common import utcnow


class EventVisibility(StrEnum):
    ALL_CUSTOMERS = "all_customers"  # every customer with the Events module
    COMPANIES = "companies"  # customers of the companies chosen (EventCompany)
    PUBLIC_ONLY = "public_only"  # not listed in the portal; reached through its public page


class EventStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class RegistrationSource(StrEnum):
    PORTAL = "portal"  # a signed-in contact (itself, or a company admin for a colleague)
    PUBLIC = "public"  # the public registration page, no login
    STAFF = "staff"  # added by hand in the admin panel


class EventBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20000)
    starts_at: datetime = Field(description="UTC")
    ends_at: datetime = Field(description="UTC")
    time_zone: str = Field(default="Europe/Helsinki", max_length=64, description="IANA name the times are shown in")
    location: str = Field(default="", max_length=300)
    online_url: str = Field(default="", max_length=500)
    capacity: int = Field(ge=1, le=100_000)
    registration_deadline: datetime = Field(description="UTC; registrations close then")
    waitlist_enabled: bool = Field(default=True)
    price_text: str = Field(default="", max_length=100, description="free text, e.g. 'EUR 120 + VAT'; '' = free")
    public_page: bool = Field(default=False, description="open to anyone at /register/<slug>")
    visibility: str = Field(default=EventVisibility.ALL_CUSTOMERS, max_length=20)


class Event(EventBase, table=True):
    __table_args__ = (
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="ck_event_seats"),
        Index("ix_event_starts", "starts_at"),
        # "Create event" sent twice (a double click, a resent event) files one event
        Index("ux_event_submission", "submission_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    status: str = Field(default=EventStatus.ACTIVE, max_length=20)
    seats_taken: int = Field(default=0, description="registrations with status registered")
    queue_seq: int = Field(default=0, description="the last arrival number given (registration.queue_position)")
    created_by_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    cancelled_at: datetime | None = Field(default=None)
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the random id of the form that created it (unique; None for old rows)")
    deadline_is_start: bool = Field(default=False, description="no deadline of its own: registration_deadline "
                                                               "is the start and moves with it")
    # the title and description in the other languages: {"fi": {"title": ..., "description": ...}}
    translations: dict[str, dict] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))


class EventCreate(EventBase):
    slug: str = Field(default="", max_length=80)


class EventUpdate(SQLModel):
    """Partial update: only the fields present are changed."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20000)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    time_zone: str | None = Field(default=None, max_length=64)
    location: str | None = Field(default=None, max_length=300)
    online_url: str | None = Field(default=None, max_length=500)
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    registration_deadline: datetime | None = None
    waitlist_enabled: bool | None = None
    price_text: str | None = Field(default=None, max_length=100)
    public_page: bool | None = None
    visibility: str | None = Field(default=None, max_length=20)


class EventPublic(EventBase):
    id: int
    slug: str
    status: str
    seats_taken: int


class EventCompany(SQLModel, table=True):
    """A company whose customers see an event of visibility `companies`."""

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    company_id: int = Field(foreign_key="company.id", primary_key=True, index=True)


class Registration(SQLModel, table=True):
    """One person on an event: registered, on the waiting list, or cancelled.

    `queue_position` is the arrival number handed out by the event's counter under its row lock,
    so it is the order in which registrations committed; the waiting list is sorted by it.
    An email registers once per event among the rows not cancelled (a partial unique index).
    """

    __table_args__ = (
        Index("ux_registration_event_email", "event_id", "email", unique=True,
              sqlite_where=text("status != 'cancelled'"), postgresql_where=text("status != 'cancelled'")),
        Index("ix_registration_event_status_queue", "event_id", "status", "queue_position"),
        Index("ix_registration_contact", "contact_id"),
        Index("ux_registration_submission", "submission_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id")
    contact_id: int = Field(foreign_key="contact.id", description="the CRM contact (public registrants become one)")
    registered_by_id: int | None = Field(default=None, foreign_key="account.id",
                                         description="the account that registered it; None from the public page")
    source: str = Field(default=RegistrationSource.PORTAL, max_length=10)
    email: str = Field(max_length=254, description="lower-case")
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    company_name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    status: str = Field(default=RegistrationStatus.REGISTERED, max_length=20)
    queue_position: int = Field(description="arrival order within the event (commit order)")
    checked_in: bool = Field(default=False)
    checked_in_at: datetime | None = Field(default=None)
    consent_at: datetime | None = Field(default=None, description="when the public form's consent was given")
    language: str = Field(default="en", max_length=8, description="the language its mails are written in")
    cancel_nonce: str = Field(max_length=32, description="random; part of the signed cancel link")
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the random id of the form that created it (unique)")
    created_at: datetime = Field(default_factory=utcnow)
    promoted_at: datetime | None = Field(default=None)
    cancelled_at: datetime | None = Field(default=None)
