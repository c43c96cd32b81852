"""The demo data's tickets (`portal_app.seed`): a dozen of Acme's and Globex's, across statuses,
categories and priorities, with comments from both sides, one assigned to the partner, dated over
the last weeks -- made through the ticket services, so the list, its counts and search agree."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlmodel import select

from portal_app.local_time import today as local_today
from portal_app.models import Account, AccountKind, Company, Ticket, TicketChange, TicketComment, utcnow
from portal_app.seed import DEMO_TICKETS, seed
from portal_app.services.tickets import ticket_list, ticket_rules
from portal_app.services.actor import build_actor
from portal_app.services.tickets.ticket_list import parse_filters

from demo_people import GLOBEX_ADMIN, PARTNER, STAFF, USER


def actor(session, email):
    return build_actor(session, session.exec(select(Account).where(Account.email == email)).one())


def test_the_demo_tickets(session):
    assert seed(session) is True
    rows = session.exec(select(Ticket).order_by(Ticket.number)).all()
    assert len(rows) == len(DEMO_TICKETS) == 12
    companies = {c.id: c.name for c in session.exec(select(Company)).all()}
    assert {companies[t.company_id] for t in rows} == {"Acme Oy", "Globex GmbH"}
    assert {t.status for t in rows} == set(ticket_rules.STATUSES)
    assert {t.category for t in rows} == set(ticket_rules.CATEGORIES)
    assert {t.priority for t in rows} == set(ticket_rules.PRIORITIES)
    assert all(t.severity in (1, 2, 3, 4) if t.category == "bug" else t.severity == 10 for t in rows)
    partner = session.exec(select(Account).where(Account.email == PARTNER)).one()
    assert any(t.assignee_id == partner.id for t in rows)
    # comments from both sides, staff's internal note among them
    kinds = {a.id: a.kind for a in session.exec(select(Account)).all()}
    authors = Counter(kinds[c.author_id] for c in session.exec(select(TicketComment)).all())
    assert authors[AccountKind.STAFF] and authors[AccountKind.COLLABORATOR] and authors[AccountKind.CONTACT]
    # spread over the last weeks, each ticket's events after its creation
    now = utcnow()
    created = sorted(t.created_at.replace(tzinfo=now.tzinfo) for t in rows)
    assert now - timedelta(days=30) < created[0] and created[-1] - created[0] > timedelta(days=14)
    for t in rows:
        assert t.updated_at >= t.created_at
        for change in session.exec(select(TicketChange).where(TicketChange.ticket_id == t.id)).all():
            assert change.created_at >= t.created_at
    # the list, its counts (the tally) and the search agree with the rows
    page = ticket_list.list_tickets(session=session, actor=actor(session, STAFF),
                                    filters=parse_filters({"size": "100"}))
    assert page.total == 12 and page.status_counts == dict(Counter(t.status for t in rows))
    found = ticket_list.list_tickets(session=session, actor=actor(session, STAFF), filters=parse_filters({"q": "printer"}))
    assert {r.title for r in found.rows} == {t.title for t in rows if "printer" in t.title.lower()}
    # everyone sees their own: a contact its tickets, the partner those assigned to it
    ville = actor(session, USER)
    mine = ticket_list.list_tickets(session=session, actor=ville, filters=parse_filters({"size": "100"}))
    assert {r.number for r in mine.rows} == {t.number for t in rows if t.created_by_id == ville.account_id}
    theirs = ticket_list.list_tickets(session=session, actor=actor(session, PARTNER), filters=parse_filters({}))
    assert {r.number for r in theirs.rows} == {t.number for t in rows if t.assignee_id == partner.id}
    globex = ticket_list.list_tickets(session=session, actor=actor(session, GLOBEX_ADMIN), filters=parse_filters({}))
    assert {r.company for r in globex.rows} == {"Globex GmbH"}
    # the rule of a customer's reply is shown: some ticket went waiting for customer -> waiting for support
    assert session.exec(select(TicketComment).where(TicketComment.old_status == "waiting_customer",
                                                    TicketComment.new_status == "waiting_support")).first()


def test_seed_without_tickets_and_only_once(session):
    assert seed(session, tickets=False) is True
    assert session.exec(select(Ticket)).first() is None
    assert seed(session) is False
    assert session.exec(select(Ticket)).first() is None


def test_the_demo_catalog(session):
    from portal_app.models import ModuleAccess, Opportunity, PriceBook, Product, QuoteRequest, SalesOrder
    from portal_app.services.catalog import opportunities, orders, products, quotes

    assert seed(session, tickets=False) is True
    assert len(session.exec(select(Product)).all()) == 30
    acme, globex = actor(session, "admin@acme.example.com"), actor(session, GLOBEX_ADMIN)
    assert acme.can("catalog", ModuleAccess.EDIT) and acme.can("opportunities")
    ville = actor(session, USER)  # the basic contact: no catalog, no opportunities
    assert not ville.can("catalog", ModuleAccess.VIEW) and not ville.can("opportunities", ModuleAccess.VIEW)
    assert products.list_products(session=session, actor=ville).rows == []
    mine = {r.code: r for r in products.list_products(session=session, actor=acme, limit=100).rows}
    listed = {r.code: r for r in products.list_products(session=session, actor=globex, limit=100).rows}
    assert (mine["PRN-100"].name, mine["PRN-100"].price_cents, listed["PRN-100"].price_cents) == (
        "Office printer", 44900, 49900)
    assert (mine["SRV-200"].name, mine["SRV-200"].price_cents, listed["SRV-200"].price_cents) == (
        "On-site service hour", None, 9500)
    assert len(products.list_categories(session=session, actor=acme)) == 4
    assert {b.name for b in session.exec(select(PriceBook)).all()} == {"Acme 2026", "Acme 2025"}
    assert products.list_products(session=session, actor=acme).price_book == "Acme 2026"
    assert products.list_products(session=session, actor=globex).price_book == ""
    # quotes and orders of both companies, across their statuses, each company seeing its own
    today = local_today()
    statuses = {q.number: quotes.status_of(q, today) for q in session.exec(select(QuoteRequest)).all()}
    assert set(statuses.values()) == {"requested", "quoted", "accepted", "declined", "expired"}
    assert {o.status for o in session.exec(select(SalesOrder)).all()} == {"confirmed", "shipped", "delivered"}
    acme_quotes = quotes.list_quotes(session=session, actor=acme).rows
    assert {r.company_name for r in acme_quotes} == {"Acme Oy"} and len(acme_quotes) == 3
    assert {r.company_name for r in orders.list_orders(session=session, actor=globex).rows} == {"Globex GmbH"}
    assert len(opportunities.list_opportunities(session=session, actor=acme).rows) == 2
    assert len(session.exec(select(Opportunity)).all()) == 5
    # the demo's mails are not sent
    from portal_app.models import OutboxMail

    assert session.exec(select(OutboxMail)).all() == []


def test_the_demo_home_texts_read_in_every_language(session):
    from portal_app.i18n import available_languages
    from portal_app.services.portal.config import get_portal_settings, localized_texts, text_languages

    assert seed(session) is True
    row = get_portal_settings(session)
    english = localized_texts(row, "en")
    # every language a reader may pick has its own welcome, home text and link titles (none falls back)
    for lang in text_languages():
        assert lang in available_languages()
        own = localized_texts(row, lang)
        assert own["welcome_message"] != english["welcome_message"], lang
        assert own["home_content"] != english["home_content"], lang
        assert [link["title"] for link in own["external_links"]] != [link["title"] for link in english["external_links"]]
    assert localized_texts(row, "fi")["welcome_message"] == "Tervetuloa asiakasportaaliin"
