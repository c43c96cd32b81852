"""PortalProfile: what a contact may see and change, per module and per field."""

from __future__ import annotations

from sqlalchemy import JSON, Column, text
from sqlmodel import Field, SQLModel


class PortalProfileBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)
    # module key -> ModuleAccess value; a module missing from the map means no access.
    module_access: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # "contact.<field>" / "company.<field>" -> FieldAccess value; missing means hidden.
    field_access: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class PortalProfile(PortalProfileBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(min_length=1, max_length=100, unique=True)
    is_default: bool = Field(default=False, description="given to contacts a company admin activates")
    # the name in the other languages, for company admins reading theirs: {"fi": {"name": ...}}
    translations: dict[str, dict] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))


class PortalProfileCreate(PortalProfileBase):
    pass


class PortalProfilePublic(PortalProfileBase):
    id: int
    is_default: bool
