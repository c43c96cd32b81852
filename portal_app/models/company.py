"""Company: a customer organisation kept in the CRM."""

from __future__ import annotations

from datetime import datetime

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
    id: int | None = Field(default=None, primary_key=True)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


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
