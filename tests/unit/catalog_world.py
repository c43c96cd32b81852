"""Helpers for the catalog tests over the demo data (`portal_app.seed.seed_catalog`).

Demo catalog: 30 products in 4 categories; Acme Oy has the price book "Acme 2026" (PRN-100 at
449.00 EUR instead of 499.00; SRV-200 and the quote-only products PRN-900, NET-RACK, SRV-500 not
in it: "price on request" for Acme) and the expired "Acme 2025"; Globex GmbH has no book (list
prices). admin@acme.example.com and admin@globex.example.com have the Catalog and Opportunities
modules with edit rights (profile "Primary contact"); the Basic profile has neither.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import select

from portal_app import local_time
from portal_app.local_time import today as local_today
from portal_app.models import ModuleAccess, Product, utcnow
from portal_app.services.catalog import cart, quotes
from portal_app.services.portal.modules import MODULE_KEYS

STAFF = "staff@example.com"
ACME = "admin@acme.example.com"  # Acme's primary contact (Aino)
GLOBEX = "admin@globex.example.com"  # Globex's primary contact (Greta)
VILLE = "user@acme.example.com"  # Acme, Basic profile: no catalog
PARTNER = "partner@partner.example.com"  # collaborator


def pid(demo: Any, code: str) -> int:
    return demo.session.exec(select(Product.id).where(Product.code == code)).one()


def fill(demo: Any, email: str, *items: tuple[str, str]) -> cart.CartView:
    view = None
    for code, quantity in items:
        view = cart.add_to_cart(session=demo.session, actor=demo.actor(email), product_id=pid(demo, code),
                                quantity=quantity)
    assert view is not None
    return view


def answer(demo: Any, number: int, *, discounts: dict[str, str] | None = None, expires_on: date | None = None,
           prices: dict[str, str] | None = None, today: date | None = None) -> list[int]:
    """Staff answers a request: `start_answer`'s lines, with the discounts and prices given."""
    today = today or local_today()
    staff = demo.actor(STAFF)
    proposal = quotes.start_answer(session=demo.session, actor=staff, number=number, today=today)
    lines = [{"product_id": li.product_id, "code": li.code, "name": li.name, "unit": li.unit,
              "quantity": str(li.quantity_milli / 1000), "vat_rate": str(li.vat_rate_bp / 100),
              "unit_price": (prices or {}).get(li.code, f"{(li.unit_price_cents or 0) / 100:.2f}"),
              "discount": (discounts or {}).get(li.code, "")} for li in proposal.lines]
    return quotes.send_quote(session=demo.session, actor=staff, number=number,
                             now=utcnow() if today == local_today() else datetime.combine(today, time(12),
                                                                                           local_time.zone()),
                             data={"lines": lines, "expires_on": expires_on or proposal.expires_on, "answer": "Here."})


def catalog_profile(demo: Any, name: str, catalog: str, opportunities: str = ModuleAccess.NONE) -> Any:
    modules = {m: ModuleAccess.NONE for m in MODULE_KEYS} | {"catalog": catalog, "opportunities": opportunities}
    return demo.make_profile(name, modules=modules)


def days(n: int) -> date:
    return local_today() + timedelta(days=n)
