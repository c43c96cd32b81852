"""Demo data for an empty database: `python -m portal_app.seed` (does nothing when data exists)."""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from .db import get_engine
from .models import (
    COMPANY_FIELDS, CONTACT_FIELDS, Account, AccountKind, Company, Contact, FieldAccess,
    ModuleAccess, PortalProfile,
)
from .services.auth import create_staff
from .services.modules import MODULE_KEYS
from .services.passwords import hash_password
from .services.portal_config import get_portal_settings

DEMO_PASSWORD = "Demo-pass-2026"
log = logging.getLogger("portal.seed")

HOME_CONTENT = (
    "Open support tickets, follow their progress and keep your company's details up to date.\n\n"
    "Need help? Call our service desk on +358 9 123 4567, weekdays 8-17."
)


def _profiles(session: Session) -> tuple[PortalProfile, PortalProfile]:
    every_field = {f"contact.{n}": FieldAccess.EDIT for n in CONTACT_FIELDS} | {
        f"company.{n}": FieldAccess.EDIT for n in COMPANY_FIELDS
    }
    primary = PortalProfile(
        name="Primary contact",
        module_access={m: ModuleAccess.EDIT for m in MODULE_KEYS},
        field_access=every_field | {"contact.email": FieldAccess.READ},
    )
    basic_fields = {f"contact.{n}": FieldAccess.EDIT for n in CONTACT_FIELDS} | {
        f"company.{n}": FieldAccess.READ for n in COMPANY_FIELDS
    }
    basic_fields |= {"contact.email": FieldAccess.READ, "company.business_id": FieldAccess.HIDDEN}
    basic = PortalProfile(
        name="Basic",
        is_default=True,
        module_access={m: ModuleAccess.EDIT for m in MODULE_KEYS}
        | {"invoices": ModuleAccess.NONE, "company": ModuleAccess.VIEW},
        field_access=basic_fields,
    )
    session.add_all([primary, basic])
    session.flush()
    return primary, basic


def _contact(session: Session, company: Company, first: str, last: str, email: str, *,
             title: str = "", phone: str = "", profile: PortalProfile | None = None,
             admin: bool = False, login: bool = False, kind: AccountKind = AccountKind.CONTACT) -> Contact:
    contact = Contact(company_id=company.id, first_name=first, last_name=last, email=email,
                      job_title=title, phone=phone, portal_admin=admin,
                      profile_id=profile.id if profile else None)
    session.add(contact)
    session.flush()
    if login:
        session.add(Account(email=email, kind=kind, contact_id=contact.id,
                            password_hash=hash_password(DEMO_PASSWORD)))
    return contact


def seed(session: Session) -> bool:
    """Insert the demo data; False (and nothing written) when the database already has accounts."""
    if session.exec(select(Account)).first() is not None:
        return False
    settings_row = get_portal_settings(session)
    settings_row.portal_name = "Customer Portal"
    settings_row.welcome_message = "Welcome to the customer portal"
    settings_row.home_content = HOME_CONTENT
    settings_row.external_links = [{"title": "Service status", "url": "https://status.example.com"}]
    session.add(settings_row)
    primary, basic = _profiles(session)

    acme = Company(name="Acme Oy", business_id="1234567-8", street_address="Mannerheimintie 1",
                   postal_code="00100", city="Helsinki", country="Finland", phone="+358 9 123 456",
                   website="https://acme.example.com")
    globex = Company(name="Globex GmbH", business_id="DE123456789", street_address="Hauptstrasse 5",
                     postal_code="10115", city="Berlin", country="Germany", phone="+49 30 1234567",
                     website="https://globex.example.com")
    partner = Company(name="Partner Ltd", business_id="GB987654321", street_address="1 High Street",
                      postal_code="EC1A 1BB", city="London", country="United Kingdom")
    session.add_all([acme, globex, partner])
    session.flush()

    _contact(session, acme, "Aino", "Virtanen", "admin@acme.example.com", title="IT Manager",
             phone="+358 40 111 2222", profile=primary, admin=True, login=True)
    _contact(session, acme, "Ville", "Korhonen", "user@acme.example.com", title="Controller",
             profile=basic, login=True)
    _contact(session, acme, "Liisa", "Mäkinen", "liisa.makinen@acme.example.com", title="Buyer", profile=basic,
             login=True)
    _contact(session, acme, "Pekka", "Nieminen", "pekka.nieminen@acme.example.com", title="Warehouse lead")
    _contact(session, acme, "Sanna", "Laine", "", title="Receptionist")
    _contact(session, globex, "Greta", "Schmidt", "admin@globex.example.com", title="Head of IT",
             profile=primary, admin=True, login=True)
    _contact(session, globex, "Hans", "Müller", "hans.mueller@globex.example.com", title="Engineer",
             profile=basic, login=True)
    _contact(session, globex, "Klara", "Weber", "klara.weber@globex.example.com", title="Assistant")
    _contact(session, partner, "Paul", "Partner", "partner@partner.example.com", title="Consultant",
             login=True, kind=AccountKind.COLLABORATOR)
    session.commit()
    create_staff(session=session, email="staff@example.com", full_name="Sam Staff", password=DEMO_PASSWORD)
    return True


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with Session(get_engine()) as session:
        done = seed(session)
    print("demo data seeded" if done else "database already has data; seed skipped")


if __name__ == "__main__":
    main()
