"""Demo data for an empty database: `python -m portal_app.seed` (does nothing when data exists).

Companies, contacts, logins and profiles, and a dozen tickets of Acme and Globex across statuses,
categories and priorities, with comments from both sides, made through the ticket services (so the
search index and the tallies stay right) and then dated over the last weeks.
"""

from __future__ import annotations

import functools
import logging
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from . import local_time
from .db import get_engine
from .models import (
    COMPANY_FIELDS, CONTACT_FIELDS, Account, AccountKind, Company, Contact, FieldAccess,
    ModuleAccess, PortalProfile, Ticket, TicketChange, TicketComment, utcnow, Event, Article, ArticleVisibility,
    MailingList, MailingOptOut, Report,
)
from .services.tickets import ticket_search
from .services.tickets import core as ticket_service
from .services.actor import build_actor
from .services.accounts.auth import create_staff
from .services.portal.modules import MODULE_KEYS
from .services.accounts.passwords import hash_password
from .services.portal.config import get_portal_settings

DEMO_PASSWORD = "Demo-pass-2026"
log = logging.getLogger("portal.seed")

HOME_CONTENT = (
    "Open support tickets, follow their progress and keep your company's details up to date.\n\n"
    "Need help? Call our service desk on +358 9 123 4567, weekdays 8-17."
)
# the same texts for Finnish, German and Italian readers (services/portal/config.py: the other
# languages' versions)
FINNISH_TEXTS = {
    "welcome_message": "Tervetuloa asiakasportaaliin",
    "home_content": (
        "Tee tukipyyntöjä, seuraa niiden etenemistä ja pidä yrityksesi tiedot ajan tasalla.\n\n"
        "Tarvitsetko apua? Soita palvelupisteeseemme numeroon +358 9 123 4567 arkisin klo 8–17."
    ),
    "link_titles": ["Palvelun tila"],
}
GERMAN_TEXTS = {
    "welcome_message": "Willkommen im Kundenportal",
    "home_content": (
        "Erstellen Sie Support-Tickets, verfolgen Sie deren Bearbeitung und halten Sie die Daten Ihrer "
        "Firma aktuell.\n\n"
        "Sie brauchen Hilfe? Unser Service-Desk ist werktags von 8 bis 17 Uhr unter +358 9 123 4567 erreichbar."
    ),
    "link_titles": ["Servicestatus"],
}
ITALIAN_TEXTS = {
    "welcome_message": "Benvenuto nel portale clienti",
    "home_content": (
        "Apri ticket di assistenza, seguine l'avanzamento e mantieni aggiornati i dati della tua azienda.\n\n"
        "Hai bisogno di aiuto? Chiama il nostro service desk al +358 9 123 4567, nei giorni feriali dalle 8 alle 17."
    ),
    "link_titles": ["Stato del servizio"],
}
TRANSLATED_TEXTS = {"fi": FINNISH_TEXTS, "de": GERMAN_TEXTS, "it": ITALIAN_TEXTS}


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
        | {"invoices": ModuleAccess.NONE, "company": ModuleAccess.VIEW, "catalog": ModuleAccess.NONE,
           "opportunities": ModuleAccess.NONE},
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


def seed(session: Session, *, tickets: bool = True) -> bool:
    """Insert the demo data; False (and nothing written) when the database already has accounts.

    `tickets=False`: without the demo tickets (for tests that make their own).
    """
    if session.exec(select(Account)).first() is not None:
        return False
    settings_row = get_portal_settings(session)
    settings_row.portal_name = "Customer Portal"
    settings_row.welcome_message = "Welcome to the customer portal"
    settings_row.home_content = HOME_CONTENT
    settings_row.external_links = [{"title": "Service status", "url": "https://status.example.com"}]
    settings_row.translations = {lang: dict(texts) for lang, texts in TRANSLATED_TEXTS.items()}
    settings_row.seller = dict(DEMO_SELLER)
    session.add(settings_row)
    primary, basic = _profiles(session)

    acme = Company(name="Acme Oy", business_id="1234567-1", street_address="Mannerheimintie 1",
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
    seed_events(session)
    seed_invoices(session)
    seed_catalog(session)
    seed_articles(session)
    seed_newsletters(session)
    seed_reports(session, acme_id=acme.id)
    seed_documents(session)
    if tickets:
        seed_tickets(session)
    return True


# --- demo tickets --------------------------------------------------------------------------------

STAFF, PARTNER = "staff@example.com", "partner@partner.example.com"
VILLE, AINO, LIISA = "user@acme.example.com", "admin@acme.example.com", "liisa.makinen@acme.example.com"
GRETA, HANS = "admin@globex.example.com", "hans.mueller@globex.example.com"

# (days ago, creator, title, description, category, severity, priority, then the steps in order:
# ("assign", email) or (author, comment, new status or "", internal)). A customer's plain comment on
# a ticket waiting for it moves it to "Waiting for support" by the ticket rules.
DEMO_TICKETS = [
    (27, VILLE, "Printer on the 2nd floor jams on duplex",
     "The HP printer by the kitchen jams on every two-sided print. Single-sided works.", "bug", 2, "high", [
         ("assign", STAFF),
         (STAFF, "Thanks, Ville. Which tray do you print from?", "waiting_customer", False),
         (VILLE, "Tray 2, the one with the A4 paper.", "", False),
         (STAFF, "A technician will replace the duplex unit on Thursday.", "in_progress", False),
         (STAFF, "Spare part ordered, delivery Wednesday.", "", True)]),
    (24, GRETA, "Question about support hours over Christmas",
     "Is the service desk open between Christmas and New Year?", "support", 10, "low", [
         (STAFF, "Yes: weekdays 9-15, phone and portal.", "resolved", False),
         (GRETA, "Thank you!", "closed", False)]),
    (21, AINO, "Invoice PDF shows the wrong VAT rate",
     "Invoices since the 1st show 24 % VAT instead of 25.5 %.", "bug", 1, "urgent", [
         ("assign", STAFF),
         (STAFF, "Could you send the number of one invoice with the wrong rate?", "waiting_customer", False),
         (AINO, "For example invoice 2026-0142.", "", False)]),
    (18, HANS, "ERP export to CSV fails",
     "The nightly export stops with 'encoding error' since Monday.", "bug", 2, "high", [
         (STAFF, "Could you attach the export log of last night?", "waiting_customer", False)]),
    (16, LIISA, "Cannot sign in to the order system",
     "My password for the order system stopped working this morning.", "support", 10, "high", [
         (STAFF, "Your account was locked after a password change; it is open again.", "resolved", False)]),
    (14, AINO, "Website contact form returns an error",
     "Sending the contact form on our website shows 'Error 500'.", "bug", 3, "normal", [
         ("assign", PARTNER),
         (PARTNER, "I can reproduce it; the mail server refuses the sender address. Fixing today.",
          "in_progress", False),
         (AINO, "Great, thanks for the quick look.", "", False)]),
    (12, GRETA, "Set up a shared mailbox for sales",
     "Please create sales@globex.example.com for four people.", "work_order", 10, "normal", [
         ("assign", STAFF),
         (STAFF, "Mailbox created; the four people get access tomorrow.", "in_progress", False)]),
    (10, VILLE, "Two more user licences for the accounting software",
     "We have two new people in accounting from next month.", "work_order", 10, "low", [
         (STAFF, "Licences added, you will find them under Users.", "resolved", False),
         (VILLE, "Works, thanks.", "closed", False)]),
    (7, HANS, "Slow network in the Berlin office",
     "Everything is slow in the afternoons, video calls drop.", "support", 10, "urgent", [
         ("assign", PARTNER),
         (PARTNER, "Could you run a speed test at 14:00 and send the result?", "waiting_customer", False),
         (HANS, "12 Mbit/s down at 14:00, 300 in the morning.", "", False)]),
    (5, AINO, "Laptop for a new employee",
     "Anna starts on the 1st: a laptop with the standard software, please.", "work_order", 10, "normal", []),
    (3, HANS, "Label printer prints blank labels",
     "The label printer in the warehouse feeds labels but prints nothing.", "bug", 3, "normal", []),
    (1, VILLE, "Add the new office to the delivery addresses",
     "Our new office is at Aleksanterinkatu 5, 00100 Helsinki.", "support", 10, "normal", [
         (VILLE, "The office has its own reception: deliveries to the 3rd floor.", "", False)]),
]


def seed_tickets(session: Session) -> None:
    """The demo tickets, made by their people through the ticket services (mail is not sent), then
    dated: created `days ago`, each later step some hours after the one before."""
    ticket_search.ensure_schema(session)  # made by the migrations; a database from create_all needs it
    accounts = {a.email: a for a in session.exec(select(Account)).all()}

    def actor(email: str):  # noqa: ANN202
        return build_actor(session, accounts[email])

    now = utcnow()
    for days_ago, creator, title, description, category, severity, priority, steps in DEMO_TICKETS:
        data = {"title": title, "description": description, "category": category, "priority": priority,
                "severity": str(severity)}
        ticket, _mails = ticket_service.create_ticket(session=session, actor=actor(creator), data=data)
        for step in steps:
            if step[0] == "assign":
                ticket_service.assign(session=session, actor=actor(STAFF), number=ticket.number,
                               assignee_id=accounts[step[1]].id)
            else:
                author, body, status, internal = step
                ticket_service.add_comment(session=session, actor=actor(author), number=ticket.number, body=body,
                                    new_status=status or None, internal=internal)
        _date(session, ticket.id, now - timedelta(days=days_ago, hours=days_ago % 5 + 1))


def _date(session: Session, ticket_id: int, created: datetime) -> None:
    """Spread a ticket's events from `created` on: each comment and change 5 hours after the last."""
    when = created
    comments = session.exec(select(TicketComment).where(TicketComment.ticket_id == ticket_id)
                            .order_by(col(TicketComment.id))).all()
    changes = session.exec(select(TicketChange).where(TicketChange.ticket_id == ticket_id)
                           .order_by(col(TicketChange.id))).all()
    for change in changes:
        if change.field == "created":
            change.created_at = created
    step = 0
    for comment in comments:
        step += 1
        comment.created_at = created + timedelta(hours=5 * step)
        for change in changes:  # the status change a comment made is of its moment
            if change.field == "status" and change.new_value == comment.new_status and comment.new_status \
                    and change.actor_id == comment.author_id and change.old_value == comment.old_status:
                change.created_at = comment.created_at
        when = comment.created_at
    for change in changes:
        if change.field == "assignee":
            change.created_at = created + timedelta(hours=2)
            when = max(when, change.created_at)
    session.add_all([*comments, *changes])
    session.execute(update(Ticket).where(Ticket.id == ticket_id).values(created_at=created, updated_at=when))
    session.commit()


# --- demo events -----------------------------------------------------------------------------------

def seed_events(session: Session) -> None:
    """Three upcoming events without registrations (dated from today, deadlines ahead) and one
    past event with attendees. The upcoming ones through the staff service; the past one's
    registrations written directly (no mails go out for them)."""
    from .models import Registration, RegistrationSource, RegistrationStatus
    from .services.events import admin as event_admin
    from .services.events.tokens import new_nonce

    staff = build_actor(session, session.exec(select(Account).where(Account.email == STAFF)).one())
    assert staff is not None
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)

    def day(days: int, hour: int) -> str:  # a local time (Europe/Helsinki) as the staff form sends it
        return (today + timedelta(days=days)).strftime("%Y-%m-%d") + f"T{hour:02d}:00"

    for data in (
        {"slug": "portal-training", "title": "Portal training", "capacity": 3, "public_page": True,
         "starts_at": day(14, 9), "ends_at": day(14, 12), "registration_deadline": day(12, 16),
         "location": "Acme Academy, Mannerheimintie 1, Helsinki", "price_text": "Free of charge",
         "description": "Hands-on training: tickets, company details and the new events module.",
         "title_fi": "Portaalikoulutus", "price_text_fi": "Maksuton",
         "description_fi": "Käytännön koulutus: tukipyynnöt, yrityksen tiedot ja uusi tapahtumat-osio.",
         "title_de": "Portal-Schulung", "price_text_de": "Kostenlos",
         "description_de": "Praxisschulung: Tickets, Firmendaten und das neue Veranstaltungsmodul.",
         "title_it": "Formazione sul portale", "price_text_it": "Gratuito",
         "description_it": "Formazione pratica: ticket, dati aziendali e il nuovo modulo eventi."},
        {"slug": "security-webinar", "title": "Security webinar", "capacity": 5, "public_page": True,
         "starts_at": day(21, 14), "ends_at": day(21, 15), "registration_deadline": day(21, 12),
         "online_url": "https://meet.example.com/security-webinar",
         "description": "Online: passwords, phishing and what our portal does to keep your data safe."},
        {"slug": "roadmap-2027", "title": "Product roadmap 2027", "capacity": 50, "public_page": False,
         "starts_at": day(30, 13), "ends_at": day(30, 16), "registration_deadline": day(27, 16),
         "location": "Customer centre, Helsinki", "visibility": "all_customers",
         "description": "For our customers: what we build next year, and your wishes for it."},
        {"slug": "customer-day-past", "title": "Customer day", "capacity": 20, "public_page": False,
         "starts_at": day(-20, 10), "ends_at": day(-20, 15), "registration_deadline": day(-22, 16),
         "location": "Customer centre, Helsinki", "description": "Our yearly customer day."},
    ):
        data.setdefault("time_zone", "Europe/Helsinki")
        event_admin.create_event(session=session, actor=staff, data=data)
    past = session.exec(select(Event).where(Event.slug == "customer-day-past")).one()
    people = session.exec(select(Contact).where(col(Contact.email).in_(
        ["admin@acme.example.com", "user@acme.example.com", "admin@globex.example.com",
         "hans.mueller@globex.example.com"])).order_by(col(Contact.id))).all()
    companies = {c.id: c.name for c in session.exec(select(Company)).all()}
    for n, person in enumerate(people, start=1):
        cancelled = n == len(people)  # the last one cancelled, for the record
        session.add(Registration(
            event_id=past.id, contact_id=person.id, source=RegistrationSource.PORTAL, email=person.email,
            first_name=person.first_name, last_name=person.last_name, company_name=companies[person.company_id],
            status=RegistrationStatus.CANCELLED if cancelled else RegistrationStatus.REGISTERED, queue_position=n,
            checked_in=not cancelled and n != 2, cancel_nonce=new_nonce(),
            created_at=past.registration_deadline - timedelta(days=10 - n)))
    past.seats_taken, past.queue_seq = len(people) - 1, len(people)
    session.add(past)
    session.commit()


# the seller printed on the demo invoices (staff changes it in the admin panel's settings)
DEMO_SELLER = {"name": "Example Services Oy", "address": "Esimerkkikatu 1, 00100 Helsinki, Finland",
               "business_id": "FI12345678", "iban": "FI21 1234 5600 0007 85", "bic": "NDEAFIHH", "bank": "Nordea"}


# --- demo invoices ---------------------------------------------------------------------------------

def seed_invoices(session: Session) -> None:
    """Acme Oy: 1001 (paid by bank transfer), 1002 (open, due in 10 days, 1,240.00 EUR incl. 24 %
    VAT), 1003 (overdue, 310.00 EUR); Globex GmbH: 1004 (open). Drafted, issued and paid through
    the staff service, dated back (numbers follow the issue dates); their mails are not sent."""
    from .models import OutboxMail
    from .services.invoices import admin as invoice_admin

    mails_before = session.exec(select(func.max(OutboxMail.id))).one() or 0

    staff = build_actor(session, session.exec(select(Account).where(Account.email == STAFF)).one())
    assert staff is not None
    companies = {c.name: c.id for c in session.exec(select(Company)).all()}
    today = local_time.today()
    for company, days_ago, term, lines, notes in (
        ("Acme Oy", 60, 14, [("Support subscription, 3rd quarter", "SUP-Q", "1", "500.00", "24")], ""),
        ("Acme Oy", 20, 30, [("Portal licence, 12 months", "LIC-12", "10", "70.00", "24"),
                             ("Consulting", "CONS-H", "3", "100.00", "24")], ""),
        ("Acme Oy", 18, 7, [("On-site support visit", "ONSITE-H", "2.5", "100.00", "24")], ""),
        ("Globex GmbH", 10, 14, [("Network maintenance, November", "NET-M", "1", "750.00", "0")],
         "VAT 0 %: reverse charge (Article 196, Directive 2006/112/EC)."),
    ):
        draft = invoice_admin.create_draft(session=session, actor=staff, company_id=companies[company], data={
            "currency": "EUR", "notes": notes,
            "lines": [{"description": d, "product_code": c, "quantity": q, "unit_price": p, "vat_rate": v}
                      for d, c, q, p, v in lines]})
        issued_on = today - timedelta(days=days_ago)
        invoice = invoice_admin.issue_invoice(session=session, actor=staff, invoice_id=draft.id,
                                              issue_date=issued_on, due_date=issued_on + timedelta(days=term))
        if invoice.number == 1001:
            invoice_admin.record_bank_payment(session=session, actor=staff, number=1001, amount="620.00",
                                              received_on=issued_on + timedelta(days=10), note="Bank transfer")
    session.execute(delete(OutboxMail).where(col(OutboxMail.id) > mails_before))
    session.commit()


# --- demo catalog, quotes, orders and opportunities ------------------------------------------------

# (category, [(code, name, unit, list price, orderable, Acme 2026 price or None: not in Acme's book)])
DEMO_PRODUCTS = [
    ("Printers and scanners", [
        ("PRN-100", "Office printer", "pcs", "499.00", True, "449.00"),
        ("PRN-200", "Colour laser printer", "pcs", "899.00", True, "809.00"),
        ("PRN-300", "Label printer", "pcs", "249.00", True, "229.00"),
        ("SCN-100", "Document scanner", "pcs", "379.00", True, "349.00"),
        ("TON-100", "Toner cartridge, black", "pcs", "89.00", True, "79.00"),
        ("TON-110", "Toner cartridges, colour set", "set", "239.00", True, "219.00"),
        ("PAP-500", "Copy paper A4, 5 x 500 sheets", "box", "29.90", True, "26.90"),
        ("PRN-900", "Production printer", "pcs", "12900.00", False, None),
    ]),
    ("Computers and accessories", [
        ("LAP-140", "Laptop 14\"", "pcs", "1190.00", True, "1090.00"),
        ("LAP-160", "Laptop 16\", workstation", "pcs", "2390.00", True, "2190.00"),
        ("DSK-100", "Desktop computer", "pcs", "890.00", True, "820.00"),
        ("MON-240", "Monitor 24\"", "pcs", "229.00", True, "209.00"),
        ("MON-270", "Monitor 27\" 4K", "pcs", "419.00", True, "389.00"),
        ("DCK-100", "Docking station", "pcs", "189.00", True, "169.00"),
        ("KEY-100", "Keyboard and mouse set", "set", "59.00", True, "59.00"),
        ("HDS-100", "Headset", "pcs", "129.00", True, "119.00"),
    ]),
    ("Networking", [
        ("NET-SW24", "Network switch, 24 ports", "pcs", "649.00", True, "599.00"),
        ("NET-AP6", "Wi-Fi access point", "pcs", "279.00", True, "259.00"),
        ("NET-FW1", "Firewall appliance", "pcs", "1490.00", True, "1390.00"),
        ("NET-CAB5", "Network cable, 5 m", "pcs", "9.90", True, "8.90"),
        ("NET-UPS", "UPS 1500 VA", "pcs", "459.00", True, "429.00"),
        ("NET-RACK", "Server rack 42U, installed", "pcs", "3900.00", False, None),
    ]),
    ("Services and licences", [
        ("SRV-200", "On-site service hour", "h", "95.00", True, None),
        ("SRV-210", "Remote support hour", "h", "75.00", True, "69.00"),
        ("SRV-300", "Installation and set-up", "pcs", "350.00", True, "320.00"),
        ("SRV-400", "Support subscription", "month", "290.00", True, "260.00"),
        ("SRV-500", "Network audit", "pcs", "2400.00", False, None),
        ("SRV-600", "Training day", "day", "1200.00", True, "1100.00"),
        ("LIC-100", "Office software licence", "year", "129.00", True, "119.00"),
        ("LIC-200", "Security software licence", "year", "49.00", True, "45.00"),
    ]),
]

# the demo catalog's names in Finnish, German and Italian (staff's "In other languages")
DEMO_CATEGORY_NAMES = {
    "Printers and scanners": ("Tulostimet ja skannerit", "Drucker und Scanner", "Stampanti e scanner"),
    "Computers and accessories": ("Tietokoneet ja tarvikkeet", "Computer und Zubehör", "Computer e accessori"),
    "Networking": ("Verkot", "Netzwerk", "Rete"),
    "Services and licences": ("Palvelut ja lisenssit", "Dienste und Lizenzen", "Servizi e licenze"),
}
DEMO_PRODUCT_NAMES = {
    "PRN-100": ("Toimistotulostin", "Bürodrucker", "Stampante da ufficio"),
    "PRN-200": ("Värilasertulostin", "Farblaserdrucker", "Stampante laser a colori"),
    "PRN-300": ("Tarratulostin", "Etikettendrucker", "Stampante per etichette"),
    "SCN-100": ("Asiakirjaskanneri", "Dokumentenscanner", "Scanner per documenti"),
    "TON-100": ("Värikasetti, musta", "Tonerkartusche, schwarz", "Cartuccia toner, nero"),
    "TON-110": ("Värikasetit, värisarja", "Tonerkartuschen, Farbset", "Cartucce toner, set colori"),
    "PAP-500": ("Kopiopaperi A4, 5 x 500 arkkia", "Kopierpapier A4, 5 x 500 Blatt", "Carta per fotocopie A4, 5 x 500 fogli"),
    "PRN-900": ("Tuotantotulostin", "Produktionsdrucker", "Stampante di produzione"),
    "LAP-140": ("Kannettava 14\"", "Laptop 14\"", "Portatile 14\""),
    "LAP-160": ("Kannettava 16\", työasema", "Laptop 16\", Workstation", "Portatile 16\", workstation"),
    "DSK-100": ("Pöytätietokone", "Desktop-Computer", "Computer fisso"),
    "MON-240": ("Näyttö 24\"", "Monitor 24\"", "Monitor 24\""),
    "MON-270": ("Näyttö 27\" 4K", "Monitor 27\" 4K", "Monitor 27\" 4K"),
    "DCK-100": ("Telakka", "Dockingstation", "Docking station"),
    "KEY-100": ("Näppäimistö ja hiiri", "Tastatur und Maus", "Tastiera e mouse"),
    "HDS-100": ("Kuulokkeet", "Headset", "Cuffie con microfono"),
    "NET-SW24": ("Verkkokytkin, 24 porttia", "Netzwerk-Switch, 24 Ports", "Switch di rete, 24 porte"),
    "NET-AP6": ("Wi-Fi-tukiasema", "WLAN-Access-Point", "Access point Wi-Fi"),
    "NET-FW1": ("Palomuurilaite", "Firewall-Appliance", "Firewall"),
    "NET-CAB5": ("Verkkokaapeli, 5 m", "Netzwerkkabel, 5 m", "Cavo di rete, 5 m"),
    "NET-UPS": ("UPS 1500 VA", "USV 1500 VA", "UPS 1500 VA"),
    "NET-RACK": ("Palvelinkaappi 42U, asennettuna", "Serverschrank 42U, installiert", "Armadio rack 42U, installato"),
    "SRV-200": ("Huoltotunti paikan päällä", "Servicestunde vor Ort", "Ora di assistenza in sede"),
    "SRV-210": ("Etätukitunti", "Fernsupport-Stunde", "Ora di assistenza remota"),
    "SRV-300": ("Asennus ja käyttöönotto", "Installation und Einrichtung", "Installazione e configurazione"),
    "SRV-400": ("Tukipalvelun tilaus", "Support-Abonnement", "Abbonamento di assistenza"),
    "SRV-500": ("Verkkoauditointi", "Netzwerk-Audit", "Audit di rete"),
    "SRV-600": ("Koulutuspäivä", "Schulungstag", "Giornata di formazione"),
    "LIC-100": ("Toimisto-ohjelmiston lisenssi", "Office-Softwarelizenz", "Licenza software per ufficio"),
    "LIC-200": ("Tietoturvaohjelmiston lisenssi", "Sicherheitssoftware-Lizenz", "Licenza software di sicurezza"),
}
DEMO_UNITS = {"pcs": ("kpl", "Stk.", "pz"), "set": ("sarja", "Set", "set"), "box": ("ltk", "Karton", "scatola"),
              "h": ("h", "Std.", "h"), "month": ("kk", "Monat", "mese"), "year": ("vuosi", "Jahr", "anno"),
              "day": ("pv", "Tag", "giorno")}
DEMO_DESCRIPTION = {"en": "{name}. Delivered and supported by our service team.",
                    "fi": "{name}. Toimitus ja tuki palvelutiimiltämme.",
                    "de": "{name}. Geliefert und betreut von unserem Serviceteam.",
                    "it": "{name}. Consegnato e assistito dal nostro team di assistenza."}

# (who, "quote" or "order", cart, days ago, message, staff's answer (days ago, discounts, note) or None,
# then: ("accept" | "decline" | an order status, days ago, decline reason)), in number order
DEMO_DOCUMENTS = [
    # Acme: a request waiting for an answer (SRV-200 is "price on request" for Acme)
    (AINO, "quote", [("PRN-100", "2"), ("SRV-200", "4")], 2, "Two printers for the 3rd floor, installed and set up.",
     None, []),
    # Acme: quoted with discounts, may be accepted
    (AINO, "quote", [("LAP-140", "5"), ("DCK-100", "5"), ("MON-240", "5")], 8, "Laptops for the new sales team.",
     (6, {"LAP-140": "5", "DCK-100": "10"}, "5 % off the laptops and 10 % off the docks."), []),
    # Acme: accepted; the order it became is confirmed
    (AINO, "quote", [("NET-SW24", "2"), ("NET-AP6", "6"), ("SRV-300", "1")], 30, "",
     (28, {"NET-AP6": "10"}, "Installation included as agreed on the phone."),
     [("accept", 25, ""), ("confirmed", 24, "")]),
    # Globex: quoted long ago, expired
    (GRETA, "quote", [("PRN-200", "3")], 70, "", (68, {}, ""), []),
    # Globex: declined
    (GRETA, "quote", [("SRV-600", "2")], 15, "Training for 12 people.", (14, {"SRV-600": "5"}, ""),
     [("decline", 12, "We postponed the training.")]),
    # Acme: ordered from the cart, shipped; Globex: delivered
    (AINO, "order", [("TON-100", "4"), ("PAP-500", "10")], 5, "Deliver to the reception, please.", None,
     [("confirmed", 4, ""), ("shipped", 4, "")]),
    (GRETA, "order", [("MON-270", "8"), ("KEY-100", "8")], 20, "", None,
     [("confirmed", 18, ""), ("shipped", 18, ""), ("delivered", 18, "")]),
]

DEMO_OPPORTUNITIES = [  # (company, name, stage, amount, probability, closes in days, owner)
    ("Acme Oy", "Printer fleet renewal", "proposal", "24000.00", 60, 45, "Sam Staff"),
    ("Acme Oy", "Network upgrade, Tampere office", "qualification", "18500.00", 30, 90, "Sam Staff"),
    ("Acme Oy", "Support subscription 2027", "won", "3480.00", 100, -10, "Sam Staff"),
    ("Globex GmbH", "Laptop refresh 2027", "negotiation", "62000.00", 75, 20, "Sam Staff"),
    ("Globex GmbH", "Security audit", "lost", "9600.00", 0, -30, "Sam Staff"),
]


def seed_catalog(session: Session) -> None:
    """About 30 products in 4 categories (PRN-100 "Office printer" 499.00 EUR, SRV-200 "On-site
    service hour" 95.00 EUR); Acme Oy's own price book "Acme 2026" (PRN-100 at 449.00, lower prices
    on most others, SRV-200 and the quote-only products left out: "price on request") and last
    year's, expired; Globex GmbH has no book (list prices). Then quotes and orders of both companies
    across their statuses, made through the cart, quote and order services by their primary
    contacts and staff, dated back (their mails are not kept), and a few opportunities. Does
    nothing when products exist."""
    from .models import OutboxMail, PriceBook, PriceBookEntry, Product, ProductCategory
    from .services.catalog import admin as catalog_admin
    from .services.catalog import cart, opportunities, orders, quotes
    from .services.catalog.product_texts import search_text
    from .services.money import parse_cents

    if session.exec(select(Product)).first() is not None:
        return
    accounts = {a.email: a for a in session.exec(select(Account)).all()}

    def actor(email: str):  # noqa: ANN202
        return build_actor(session, accounts[email])

    staff = actor(STAFF)
    companies = {c.name: c.id for c in session.exec(select(Company)).all()}
    today = local_time.today()
    categories = [ProductCategory(name=name, position=n) for n, (name, _) in enumerate(DEMO_PRODUCTS)]
    session.add_all(categories)
    session.flush()
    made = [(Product(code=code, name=name, unit=unit, whole_units=unit != "h",  # service hours by the quarter
                     list_price_cents=parse_cents(price, field="price"), currency="EUR",
                     vat_rate_bp=2550, orderable=orderable, category_id=category.id, search_text=search_text(code, name),
                     description=DEMO_DESCRIPTION["en"].format(name=name)), acme)
            for category, (_, products) in zip(categories, DEMO_PRODUCTS, strict=True)
            for code, name, unit, price, orderable, acme in products]
    this_year = PriceBook(name="Acme 2026", currency="EUR", valid_from=min(date(2026, 1, 1), today))
    last_year = PriceBook(name="Acme 2025", currency="EUR", valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31))
    session.add_all([*(p for p, _ in made), this_year, last_year])
    session.flush()
    codes = {p.code: p.id for p, _ in made}
    catalog = [p for p, _ in made]
    session.add_all([PriceBookEntry(price_book_id=this_year.id, product_id=p.id, price_cents=parse_cents(acme, field="price"))
                     for p, acme in made if acme])
    session.add(PriceBookEntry(price_book_id=last_year.id, product_id=codes["PRN-100"], price_cents=46900))
    session.commit()
    for book in (this_year, last_year):
        catalog_admin.assign_price_book(session=session, actor=staff, company_id=companies["Acme Oy"], book_id=book.id)

    mail_ids: list[int] = []
    now = utcnow()

    def fill(email: str, *items: tuple[str, str]) -> None:
        for code, quantity in items:
            cart.add_to_cart(session=session, actor=actor(email), product_id=codes[code], quantity=quantity)

    def answer(number: int, days_ago: int, discounts: dict[str, str], note: str) -> None:
        when = now - timedelta(days=days_ago)
        proposal = quotes.start_answer(session=session, actor=staff, number=number, today=local_time.local_day(when))
        lines = [{"product_id": li.product_id, "code": li.code, "name": li.name, "unit": li.unit,
                  "quantity": str(li.quantity_milli / 1000), "vat_rate": str(li.vat_rate_bp / 100),
                  "unit_price": f"{li.unit_price_cents / 100:.2f}", "discount": discounts.get(li.code, "")}
                 for li in proposal.lines]
        mail_ids.extend(quotes.send_quote(session=session, actor=staff, number=number, now=when, data={
            "lines": lines, "expires_on": proposal.expires_on, "answer": note}))

    for email, kind, items, days_ago, message, answered, then in DEMO_DOCUMENTS:
        fill(email, *items)
        make = quotes.request_quote if kind == "quote" else orders.place_order
        made = make(session=session, actor=actor(email), message=message, now=now - timedelta(days=days_ago),
                    wanted_delivery_date=today + timedelta(days=21) if message else None)
        mail_ids.extend(made.mail_ids)
        number = made.number
        if answered:
            answer(number, *answered)
        for step, step_days, reason in then:
            when = now - timedelta(days=step_days)
            if step == "accept":
                accepted = quotes.accept_quote(session=session, actor=actor(email), number=number, now=when)
                mail_ids.extend(accepted.mail_ids)
                number = accepted.order_number  # the order's statuses follow
            elif step == "decline":
                mail_ids.extend(quotes.decline_quote(session=session, actor=actor(email), number=number,
                                                     reason=reason, now=when))
            else:
                mail_ids.extend(orders.set_order_status(session=session, actor=staff, number=number, status=step,
                                                        now=when).mail_ids)
    session.execute(delete(OutboxMail).where(col(OutboxMail.id).in_(mail_ids)))  # demo mails are not sent
    session.commit()

    _translate_demo_catalog(session, catalog, categories)  # after the documents: they keep English

    for company, name, stage, amount, probability, days, owner in DEMO_OPPORTUNITIES:
        opportunities.create_opportunity(session=session, actor=staff, company_id=companies[company], data={
            "name": name, "stage": stage, "amount": amount, "probability": probability,
            "expected_close": today + timedelta(days=days), "owner_name": owner})


def _translate_demo_catalog(session: Session, products: list, categories: list) -> None:
    from .services.catalog.product_texts import store_texts

    langs = ("fi", "de", "it")
    for category in categories:
        category.translations = {lang: {"name": name}
                                 for lang, name in zip(langs, DEMO_CATEGORY_NAMES[category.name], strict=True)}
        session.add(category)
    for product in products:
        names, units = DEMO_PRODUCT_NAMES[product.code], DEMO_UNITS[product.unit]
        store_texts(session, product, {lang: {"name": name, "unit": unit,
                                              "description": DEMO_DESCRIPTION[lang].format(name=name)}
                                       for lang, name, unit in zip(langs, names, units, strict=True)})
        session.add(product)
    session.commit()


# --- demo knowledge base -------------------------------------------------------------------------

DEMO_ARTICLES = (
    # (title, category, visibility, language, published, body)
    ("How to open a support ticket", "Support tickets", ArticleVisibility.PUBLIC, "", True,
     "Sign in and choose **New ticket** on the home page or in *Support tickets*.\n\n"
     "## What to write\n\n- A short title that names the problem\n- The steps that lead to it\n"
     "- What you expected to happen\n\nAttach screenshots or log files: up to 10 MB each."),
    ("What the severity levels mean", "Support tickets", ArticleVisibility.CUSTOMERS, "", True,
     "Severity is chosen for bugs only.\n\n1. **Critical**: production stopped\n"
     "2. **Major**: an important function fails, no workaround\n3. **Minor**: a workaround exists\n"
     "4. **Cosmetic** or a question\n\nSupport requests and work orders are outside the SLA."),
    ("Paying an invoice online", "Invoices", ArticleVisibility.CUSTOMERS, "", True,
     "Open the invoice in *Invoices* and choose **Pay now**. The invoice is marked paid as soon as the "
     "card payment goes through; the bank transfer details stay on the invoice for other ways to pay."),
    ("Resetting your password", "Your account", ArticleVisibility.PUBLIC, "", True,
     "Choose **Forgot password?** on the sign-in page and type your email. The link in the mail works "
     "once, for an hour."),
    ("Näin teet tukipyynnön", "Tukipyynnöt", ArticleVisibility.PUBLIC, "fi", True,
     "Kirjaudu sisään ja valitse **Uusi tukipyyntö**.\n\n- Lyhyt otsikko\n- Vaiheet, jotka johtavat ongelmaan\n"
     "- Mitä odotit tapahtuvan"),
    ("Planned maintenance window", "Announcements", ArticleVisibility.PUBLIC, "", False,
     "A draft: the portal is down for maintenance on Sunday night."),
)


def seed_articles(session: Session) -> None:
    staff = session.exec(select(Account).where(Account.email == "staff@example.com")).one()
    session.add_all(Article(title=title, category=category, visibility=visibility, language=language,
                            published=published, body=body, author_id=staff.id)
                    for title, category, visibility, language, published, body in DEMO_ARTICLES)
    session.commit()


# --- demo newsletters -----------------------------------------------------------------------------

def seed_newsletters(session: Session) -> None:
    """Two list types; Liisa has stopped the marketing mail."""
    marketing = MailingList(name="Marketing and offers", description="News of our products, offers and events.",
                            translations={
                                "fi": {"name": "Markkinointi ja tarjoukset",
                                       "description": "Uutiset tuotteistamme, tarjouksistamme ja tapahtumistamme."},
                                "de": {"name": "Marketing und Angebote",
                                       "description": "Neuigkeiten zu Produkten, Angeboten und Veranstaltungen."},
                                "it": {"name": "Marketing e offerte",
                                       "description": "Novità sui nostri prodotti, offerte ed eventi."}})
    critical = MailingList(name="Critical notices", description="Service breaks, security notices and changes "
                           "to your contract.", translations={
                               "fi": {"name": "Tärkeät tiedotteet",
                                      "description": "Palvelukatkot, tietoturvatiedotteet ja sopimuksenne muutokset."},
                               "de": {"name": "Wichtige Mitteilungen",
                                      "description": "Serviceunterbrechungen, Sicherheitshinweise und Vertragsänderungen."},
                               "it": {"name": "Avvisi importanti",
                                      "description": "Interruzioni del servizio, avvisi di sicurezza e modifiche al contratto."}})
    session.add_all([marketing, critical])
    session.flush()
    session.add(MailingOptOut(mailing_list_id=marketing.id, email="liisa.makinen@acme.example.com", source="portal"))
    session.commit()


# --- demo reports -------------------------------------------------------------------------------

def seed_reports(session: Session, *, acme_id: int | None) -> None:
    """Two published reports for every company (each sees its own numbers), one for Acme, one draft."""
    staff = session.exec(select(Account).where(Account.email == "staff@example.com")).one()
    session.add_all([
        Report(title="Support tickets by status", kind="tickets_by_status", months=12, published=True,
               description="Tickets your company opened each month, by where they are now.", author_id=staff.id,
               translations={
                   "fi": {"title": "Tukipyynnöt tiloittain",
                          "description": "Kunakin kuukautena avatut tukipyyntönne sen mukaan, missä ne ovat nyt."},
                   "de": {"title": "Support-Tickets nach Status",
                          "description": "Die jeden Monat eröffneten Tickets Ihrer Firma, nach ihrem jetzigen Stand."},
                   "it": {"title": "Ticket di assistenza per stato",
                          "description": "I ticket aperti ogni mese dalla tua azienda, per stato attuale."}}),
        Report(title="Support tickets by category", kind="tickets_by_category", months=6, published=True,
               author_id=staff.id, translations={"fi": {"title": "Tukipyynnöt luokittain"},
                                                 "de": {"title": "Support-Tickets nach Kategorie"},
                                                 "it": {"title": "Ticket di assistenza per categoria"}}),
        Report(title="Acme invoicing", kind="invoiced_and_paid", months=12, company_id=acme_id, published=True,
               description="Invoiced and paid per month, for Acme's finance team.", author_id=staff.id),
        Report(title="Quarterly review (draft)", kind="tickets_by_status", months=3, published=False,
               author_id=staff.id),
    ])
    session.commit()


# --- demo documents --------------------------------------------------------------------------------

# a demo document's title and description in the other languages (the rest are in one language)
DEMO_DOCUMENT_TEXTS = {
    "Service agreement 2027": {
        "title_fi": "Palvelusopimus 2027",
        "description_fi": "Allekirjoitettu tuki- ja huoltosopimus, voimassa 1.1.2027 alkaen.",
        "title_de": "Servicevertrag 2027",
        "description_de": "Der unterzeichnete Support- und Wartungsvertrag, gültig ab 1.1.2027.",
        "title_it": "Contratto di servizio 2027",
        "description_it": "Il contratto firmato di assistenza e manutenzione, valido dal 1° gennaio 2027."},
}
DEMO_SHARED_FILES = (  # company, title, category, file name, description, the PDF's text
    ("Acme Oy", "Service agreement 2027", "contract", "Service agreement 2027 - Acme Oy.pdf",
     "The signed agreement for support and maintenance, valid from 1 January 2027.",
     "Support and maintenance of the office printers and network.\nResponse time: 4 hours on working days.\n"
     "Valid from 1 January 2027 for two years."),
    ("Acme Oy", "Offer: ten office printers", "quote", "Offer 2026-118.pdf", "",
     "10 x Office printer P-200, installation included.\nThe offer is valid for 30 days."),
    ("Acme Oy", "Onboarding checklist", "other", "Onboarding checklist.pdf",
     "What to prepare before our technician visits.",
     "1. A network port for each printer.\n2. A contact person on site.\n3. The administrator password."),
    ("Globex GmbH", "Rahmenvertrag 2027", "contract", "Rahmenvertrag 2027.pdf", "",
     "Wartung und Support der Büroausstattung, gültig ab 1. Januar 2027."),
)


@functools.lru_cache(maxsize=None)
def _demo_pdf(title: str, text: str) -> bytes:
    """A demo document's PDF, made once per process (loading the fonts takes a third of a second, and
    the tests seed a fresh database for each test)."""
    from .services.pdf_doc import Doc

    doc = Doc(title=title, author=DEMO_SELLER["name"])
    doc.add_page()
    doc.heading(DEMO_SELLER["name"], title, "")
    doc.notes("", text)
    return bytes(doc.output())


def seed_documents(session: Session) -> None:
    """A contract, an offer and a checklist shared with Acme, a contract with Globex (files written
    to the data folder as staff's upload writes them)."""
    from .services.documents import shared_files
    from .services.documents.upload import DocumentUpload

    staff = build_actor(session, session.exec(select(Account).where(Account.email == "staff@example.com")).one())
    for company_name, title, category, file_name, description, text in DEMO_SHARED_FILES:
        upload = DocumentUpload(file_name)
        upload.write(_demo_pdf(title, text))
        company = session.exec(select(Company).where(Company.name == company_name)).one()
        shared_files.share_document(session=session, actor=staff, company_id=company.id, file=upload.keep(),
                                    data={"title": title, "category": category, "description": description,
                                          **DEMO_DOCUMENT_TEXTS.get(title, {})})


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # the demo PDFs' font subsetting, line by line
    with Session(get_engine()) as session:
        done = seed(session)
    print("demo data seeded" if done else "database already has data; seed skipped")


if __name__ == "__main__":
    main()

