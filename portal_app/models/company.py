"""Company: a customer organisation kept in the CRM."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from .common import utcnow

COMPANY_FIELDS: tuple[str, ...] = (
    "name", "business_id", "street_address", "postal_code", "city", "country", "phone", "website",
)


class CompanyBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    business_id: str = Field(default="", max_length=40)
    street_address: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=50)
    website: str = Field(default="", max_length=300)


class Company(CompanyBase, table=True):
    # staff's "New company" sent twice (a double click, a resent event) files one company
    __table_args__ = (Index("ux_company_submission", "submission_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submission_id: str | None = Field(default=None, max_length=64,
                                      description="the random id of the form that created it (unique; None for old rows)")


class CompanyCreate(CompanyBase):
    pass


class CompanyUpdate(SQLModel):
    """Partial update: only the fields present are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    business_id: str | None = Field(default=None, max_length=40)
    street_address: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=50)
    website: str | None = Field(default=None, max_length=300)


class CompanyPublic(CompanyBase):
    id: int
    is_active: bool
