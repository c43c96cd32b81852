"""Lists sorted by a name or title put one written in small letters among the others, not after
every capital (the byte order of "Zebra" < "apple"): staff's opportunities, reports, documents,
companies and contacts, a reader's reports and mailing lists. (The ticket list's titles:
test_tickets_list.py.)"""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal_app.models import Company, Contact, MailingList, Opportunity, Report, SharedDocument
from portal_app.services.companies import directory
from portal_app.services.catalog import opportunities
from portal_app.services.documents import shared_files
from portal_app.services.newsletters import lists
from portal_app.services.reports import reports

from demo_people import ADMIN, STAFF

# given to the demo's rows in this order: byte order would put the small-letter ones last (the
# first two already: "Charlie" < "beta")
NAMES = ("beta", "Charlie", "alpha", "Delta", "echo")


def rename(demo, model, field: str, **where) -> list[str]:
    """The demo's rows of `model` (those matching `where`) named from NAMES; returns the names given."""
    rows = demo.session.exec(select(model).filter_by(**where).order_by(model.id)).all()
    assert len(rows) >= 2, model
    given = []
    for row, name in zip(rows, NAMES):
        setattr(row, field, name)
        given.append(name)
    demo.session.commit()
    return given


def in_order(names: list[str]) -> list[str]:
    return sorted(names, key=str.lower)


@pytest.mark.parametrize("descending", [False, True])
def test_staff_opportunities_by_name(demo, descending):
    given = rename(demo, Opportunity, "name")
    page = opportunities.list_opportunities(session=demo.session, actor=demo.actor(STAFF), sort="name",
                                            descending=descending, include_closed=True, limit=100)
    shown = [r.name for r in page.rows if r.name in given]
    assert shown == (in_order(given)[::-1] if descending else in_order(given))


@pytest.mark.parametrize("descending", [False, True])
def test_staff_reports_by_title(demo, descending):
    given = rename(demo, Report, "title")
    page = reports.staff_reports(session=demo.session, actor=demo.actor(STAFF), sort="title", descending=descending,
                                 limit=100)
    shown = [r.title for r in page.rows if r.title in given]
    assert shown == (in_order(given)[::-1] if descending else in_order(given))


def test_a_readers_reports_by_title(demo):
    rename(demo, Report, "title")
    shown = [r.title for r in reports.list_reports(session=demo.session, actor=demo.actor(ADMIN))]
    assert len(shown) >= 2 and shown == in_order(shown)


@pytest.mark.parametrize("descending", [False, True])
def test_staff_documents_by_title(demo, descending):
    given = rename(demo, SharedDocument, "title")
    page = shared_files.list_documents(session=demo.session, actor=demo.actor(STAFF), sort="title",
                                       descending=descending, limit=100)
    shown = [r.title for r in page.rows if r.title in given]
    assert shown == (in_order(given)[::-1] if descending else in_order(given))


def test_staff_companies_by_name(demo):
    given = rename(demo, Company, "name")
    rows, _ = directory.list_companies(session=demo.session, actor=demo.actor(STAFF), limit=100)
    shown = [c.name for c in rows if c.name in given]
    assert shown == in_order(given)


def test_a_companys_contacts_by_last_name(demo):
    acme = demo.company("Acme Oy")
    given = rename(demo, Contact, "last_name", company_id=acme.id)
    rows = directory.list_contacts(session=demo.session, actor=demo.actor(STAFF), company_id=acme.id)
    assert [r.last_name for r in rows if r.last_name in given] == in_order(given)


def test_a_readers_mailing_lists_by_name(demo):
    given = rename(demo, MailingList, "name")
    shown = [c.name for c in lists.my_lists(session=demo.session, actor=demo.actor(ADMIN))]
    assert shown == in_order(given)
