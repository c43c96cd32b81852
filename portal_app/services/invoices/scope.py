"""Who sees which invoices: the scope every customer and staff invoice query starts from.

- staff: every invoice, drafts too;
- a contact or company admin whose profile grants the Invoices module (view or edit): its own
  company's issued and void invoices, never drafts;
- collaborators, and anyone without the module: none.
Paying ("Pay now") takes edit rights on the module. An invoice outside the scope answers
NotFound, exactly like one that does not exist (the PDF route included).
"""

from __future__ import annotations

from sqlalchemy import Select
from sqlmodel import col, select

from ...models import AccountKind, Invoice, InvoiceState, ModuleAccess
from ..actor import Actor


def sees_invoices(actor: Actor) -> bool:
    if actor.is_staff:
        return True
    return (actor.kind == AccountKind.CONTACT and actor.company_id is not None
            and actor.can("invoices", ModuleAccess.VIEW))


def may_pay(actor: Actor) -> bool:
    """Customers with edit rights on Invoices pay their company's invoices online."""
    return (not actor.is_staff and actor.kind == AccountKind.CONTACT and actor.company_id is not None
            and actor.can("invoices", ModuleAccess.EDIT))


def visible_invoices(actor: Actor) -> Select:
    """Every invoice query of a signed-in actor starts here: the invoices it may see, nothing else."""
    if actor.is_staff:
        return select(Invoice)
    if not sees_invoices(actor):
        return select(Invoice).where(False)  # noqa: FBT003
    return select(Invoice).where(Invoice.company_id == actor.company_id,
                                 col(Invoice.state) != InvoiceState.DRAFT)
