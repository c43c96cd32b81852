"""Arranging people directly in the served portal's database (through the services' models)."""

from __future__ import annotations

import uuid

from sqlmodel import select

from portal_app.models import Account, AccountKind, Company, Contact, PortalProfile, Ticket
from portal_app.services.accounts.passwords import hash_password
from portal_app.services.actor import build_actor
from portal_app.services.tickets import core as tickets


def make_user(portal, *, company: str = "Acme Oy", profile: str = "Basic", admin: bool = False,
              password: str = "Demo-pass-2026", first: str = "Test", language: str = "en") -> str:
    """A contact with portal access and a password; returns its (unique) email."""
    tag = uuid.uuid4().hex[:8]
    email = f"{first.lower()}.{tag}@example.org"
    with portal.db() as session:
        company_row = session.exec(select(Company).where(Company.name == company)).one()
        profile_row = session.exec(select(PortalProfile).where(PortalProfile.name == profile)).one()
        contact = Contact(company_id=company_row.id, first_name=first, last_name=f"User {tag}", email=email,
                          profile_id=profile_row.id, portal_admin=admin)
        session.add(contact)
        session.flush()
        session.add(Account(email=email, kind=AccountKind.CONTACT, contact_id=contact.id, language=language,
                            password_hash=hash_password(password)))
        session.commit()
    return email


def make_staff(portal, *, language: str = "en", password: str = "Demo-pass-2026", first: str = "Staff") -> str:
    """A CRM staff login of its own (a test may change its language without touching the demo's)."""
    email = f"{first.lower()}.{uuid.uuid4().hex[:8]}@example.com"
    with portal.db() as session:
        session.add(Account(email=email, kind=AccountKind.STAFF, full_name=f"{first} Tester", language=language,
                            password_hash=hash_password(password)))
        session.commit()
    return email


def make_ticket(portal, email: str, title: str) -> Ticket:
    """A support ticket `email` opened, through the ticket service (its number, id and times)."""
    with portal.db() as session:
        actor = build_actor(session, session.exec(select(Account).where(Account.email == email)).one())
        ticket, _ = tickets.create_ticket(session=session, actor=actor, data={
            "title": title, "description": "Tray 2", "category": "support", "priority": "normal"})
        session.commit()
        session.refresh(ticket)
        session.expunge(ticket)
    return ticket
