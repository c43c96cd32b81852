"""Contact: a person of a customer company in the CRM; may or may not have portal access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from .common import utcnow

CONTACT_FIELDS: tuple[str, ...] = (
    "first_name", "last_name", "email", "phone", "mobile", "job_title", "department",
)


class ContactBase(SQLModel):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=50)
    mobile: str = Field(default="", max_length=50)
    job_title: str = Field(default="", max_length=100)
    department: str = Field(default="", max_length=100)


class Contact(ContactBase, table=True):
    __table_args__ = (Index("ix_contact_company_last_name", "company_id", "last_name"),
                      # "Add contact" sent twice (a double click, a resent event) files one contact
                      Index("ux_contact_submission", "submission_id", unique=True))

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    is_active: bool = Field(default=True, description="False once deactivated in the CRM")
    portal_admin: bool = Field(default=False)
    profile_id: int | None = Field(default=None, foreign_key="portalprofile.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the random id of the form that created it (unique; None for old rows)")
    access_submission_id: str | None = Field(default=None, max_length=64,
                                             description="the id of the last click that gave portal access "
                                                         "(services/companies/directory.py set_portal_access)")


class ContactCreate(ContactBase):
    pass


class ContactUpdate(SQLModel):
    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=50)
    mobile: str | None = Field(default=None, max_length=50)
    job_title: str | None = Field(default=None, max_length=100)
    department: str | None = Field(default=None, max_length=100)


class ContactPublic(ContactBase):
    id: int
    company_id: int
    is_active: bool
    portal_admin: bool
    profile_id: int | None


