"""Who sees and does what in the catalog, quotes, orders and opportunities: the scope every query starts from.

- staff: every product (archived too), every company's quotes, orders and opportunities; staff has
  no cart (it is no company's contact) and shops for nobody;
- a contact or company admin whose profile grants the Catalog module with **view**: the products
  (not archived) at its company's prices, its company's quotes and orders (whoever of the company
  asked or ordered), their PDFs, and its own cart read-only;
- with **edit** on Catalog also: fill its cart, request quotes, accept or decline its company's
  quotes, place orders;
- the Opportunities module with view (or edit; the portal never edits them): its company's open
  opportunities, read-only;
- collaborators, and anyone without the module: nothing.
A quote, order or opportunity outside the scope answers NotFound, exactly like one that does not
exist; an action without edit rights answers PermissionDenied before anything is looked up.
"""

from __future__ import annotations

from sqlalchemy import Select
from sqlmodel import col, select

from ...models import AccountKind, ModuleAccess, Opportunity, Product, QuoteRequest, SalesOrder
from ..actor import Actor
from ..errors import PermissionDenied
from .catalog_rules import OPEN_STAGES

CATALOG, OPPORTUNITIES = "catalog", "opportunities"


def _customer(actor: Actor, module: str, level: ModuleAccess) -> bool:
    return actor.kind == AccountKind.CONTACT and actor.company_id is not None and actor.can(module, level)


def sees_catalog(actor: Actor) -> bool:
    return actor.is_staff or _customer(actor, CATALOG, ModuleAccess.VIEW)


def may_shop(actor: Actor) -> bool:
    """Cart, quote requests, accepting and declining quotes, orders: a contact with edit on Catalog."""
    return actor.contact_id is not None and _customer(actor, CATALOG, ModuleAccess.EDIT)


def require_shopper(actor: Actor) -> None:
    if not may_shop(actor):
        raise PermissionDenied()


def sees_opportunities(actor: Actor) -> bool:
    return actor.is_staff or _customer(actor, OPPORTUNITIES, ModuleAccess.VIEW)


def visible_products(actor: Actor) -> Select:
    """The products the actor may see: customers never see archived ones."""
    if actor.is_staff:
        return select(Product)
    if not sees_catalog(actor):
        return select(Product).where(False)  # noqa: FBT003
    return select(Product).where(col(Product.archived).is_(False))


def visible_quotes(actor: Actor) -> Select:
    if actor.is_staff:
        return select(QuoteRequest)
    if not sees_catalog(actor):
        return select(QuoteRequest).where(False)  # noqa: FBT003
    return select(QuoteRequest).where(QuoteRequest.company_id == actor.company_id)


def visible_orders(actor: Actor) -> Select:
    if actor.is_staff:
        return select(SalesOrder)
    if not sees_catalog(actor):
        return select(SalesOrder).where(False)  # noqa: FBT003
    return select(SalesOrder).where(SalesOrder.company_id == actor.company_id)


def visible_opportunities(actor: Actor) -> Select:
    """Staff: all, closed too. Customers: their company's open ones."""
    if actor.is_staff:
        return select(Opportunity)
    if not sees_opportunities(actor):
        return select(Opportunity).where(False)  # noqa: FBT003
    return select(Opportunity).where(Opportunity.company_id == actor.company_id,
                                     col(Opportunity.stage).in_(OPEN_STAGES))
