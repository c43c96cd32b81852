"""Who sees which events: the scope every customer and staff event query starts from.

- staff: every event, cancelled ones too;
- a contact or company admin with the Events module (view or edit): events visible to all
  customers, and those of visibility "companies" that name its company;
- collaborators, and anyone without the module: none.
An event of visibility "public only" is never listed in the portal; its public page
(`/register/<slug>`, `public_event`) is open to anyone while staff keeps the page on.
An event outside the scope answers NotFound, exactly like one that does not exist.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, or_
from sqlmodel import Session, col, select

from ...models import Account, AccountKind, Event, EventCompany, EventVisibility, ModuleAccess, PortalSettings
from ..actor import Actor, build_actor


def sees_events(actor: Actor) -> bool:
    if actor.is_staff:
        return True
    return (actor.kind == AccountKind.CONTACT and actor.company_id is not None
            and actor.can("events", ModuleAccess.VIEW))


def may_register(actor: Actor) -> bool:
    """Customers with edit rights on Events register (themselves; company admins colleagues too)."""
    return (not actor.is_staff and actor.kind == AccountKind.CONTACT and actor.contact_id is not None
            and actor.company_id is not None and actor.can("events", ModuleAccess.EDIT))


def visible_events(actor: Actor) -> Select:
    """Every event query of a signed-in actor starts here: the events it may see, nothing else."""
    if actor.is_staff:
        return select(Event)
    if not sees_events(actor):
        return select(Event).where(False)  # noqa: FBT003
    chosen = exists().where(EventCompany.event_id == Event.id, EventCompany.company_id == actor.company_id)
    return select(Event).where(or_(
        col(Event.visibility) == EventVisibility.ALL_CUSTOMERS,
        and_(col(Event.visibility) == EventVisibility.COMPANIES, chosen),
    ))


def public_events() -> Select:
    """Events anyone may reach without signing in: those whose public page is on."""
    return select(Event).where(Event.public_page == True)  # noqa: E712


def portal_shows(session: Session, event: Event, contact_id: int | None) -> bool:
    """Whether the contact can sign in and open the event's portal page (/events/<slug>): an enabled
    account whose rights see the event. Public registrants (no account) cannot. Read only: before
    the portal's settings row exists (made at the first sign-in), no account has opened the portal."""
    if contact_id is None:
        return False
    account = session.exec(select(Account).where(Account.contact_id == contact_id)).first()
    if account is None or not account.enabled or account.kind != AccountKind.CONTACT:
        return False
    if session.exec(select(PortalSettings.id).limit(1)).first() is None:
        return False  # build_actor would make the row and commit, in the middle of the caller's transaction
    actor = build_actor(session, account)
    if actor is None or not sees_events(actor):
        return False
    return session.exec(visible_events(actor).where(Event.id == event.id)).first() is not None
