"""PortalSettings: the single row of settings staff edits in the admin panel."""

from __future__ import annotations

from sqlalchemy import JSON, Column, text
from sqlmodel import Field, SQLModel

DEFAULT_MENU_COLOR = "#1f4e79"


class PortalSettings(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    enabled_modules: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    portal_name: str = Field(default="Customer Portal", max_length=100)
    logo_url: str = Field(default="", max_length=500)
    menu_color: str = Field(default=DEFAULT_MENU_COLOR, max_length=7)
    welcome_message: str = Field(default="", max_length=500)
    home_content: str = Field(default="", max_length=20000)
    # [{"title": ..., "url": ...}]
    external_links: list[dict[str, str]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    lockout_threshold: int = Field(default=5, ge=0, le=100)
    lockout_minutes: int = Field(default=15, ge=1, le=10080)
    # texts per UI language other than the default one (the columns above are the default
    # language's): {"fi": {"welcome_message": str, "home_content": str, "link_titles": [str, ...]}},
    # link_titles by the index of external_links; a missing or empty text falls back to the default
    translations: dict[str, dict] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))
    # the seller printed on invoices: {"name", "address", "business_id", "iban", "bic", "bank"}
    seller: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))
    customers_can_close: bool = Field(default=True, description="customers may close their own tickets")
