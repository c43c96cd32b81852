"""The catalog list's page strategies (`services/catalog/product_page.py`: a search's matches as a
MATERIALIZED CTE with a window count; the book price order in two parts; the sort's index; a
reader's names merged with the default ones) on
SQLite and on a real PostgreSQL, checked against the plain definition computed in Python: every
product the viewer sees, its price by `prices.py`, sorted by the column, ties by code, prices on
request last both ways -- page by page, across the priced / on-request boundary."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portal_app.local_time import today as local_today
from portal_app.models import Account, Company, Product, utcnow
from portal_app.services.actor import build_actor
from portal_app.services.catalog import prices, products
from portal_app.services.catalog.inputs import fold

from catalog_world import ACME, GLOBEX, STAFF


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def engine(request):
    engine = request.getfixturevalue("file_engine" if request.param == "sqlite" else "seeded_postgres_engine")
    from portal_app.models import ProductText

    with Session(engine) as session:  # names in small letters, which sort among the others, not after them
        session.exec(select(Product).where(Product.code == "PRN-300")).one().name = "label printer"
        session.exec(select(ProductText).join(Product, Product.id == ProductText.product_id)
                     .where(Product.code == "PRN-200", ProductText.lang == "de")).one().name = "farblaserdrucker"
        session.commit()
    return engine


@pytest.fixture(scope="module")
def file_engine(tmp_path_factory):  # a module's own, so the PostgreSQL one's module scope fits
    from sqlalchemy import event
    from sqlmodel import SQLModel, create_engine

    from portal_app.seed import seed

    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('list') / 'portal.db'}",
                           connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        seed(session, tickets=False)
    yield engine
    engine.dispose()


def expected(session: Session, actor, *, search: str = "", sort: str, descending: bool) -> list[str]:
    company = None if actor.is_staff else actor.company_id
    every = [p for p in session.exec(select(Product)).all() if not p.archived]
    words = fold(search).split()
    every = [p for p in every if all(w in p.search_text for w in words)]
    price = prices.prices_of(session, company_id=company, products=every, day=local_today())

    def key(p: Product) -> tuple:
        value = {"name": p.name.lower(), "code": p.code, "price": price[p.id].cents}[sort]
        return (value, p.code)

    priced = sorted((p for p in every if key(p)[0] is not None), key=key, reverse=descending)
    missing = sorted((p for p in every if key(p)[0] is None), key=lambda p: p.code, reverse=descending)
    return [p.code for p in priced + missing]


@pytest.mark.parametrize("who", [ACME, GLOBEX, STAFF])
@pytest.mark.parametrize("sort", ["name", "code", "price"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("search", ["", "printer", "o", "zzz-none"])
def test_pages_follow_the_definition(engine, who, sort, descending, search):
    with Session(engine) as session:
        actor = build_actor(session, session.exec(select(Account).where(Account.email == who)).one())
        want = expected(session, actor, search=search, sort=sort, descending=descending)
        got, total = [], None
        for offset in range(0, len(want) + 7, 7):
            page = products.list_products(session=session, actor=actor, search=search, sort=sort,
                                          descending=descending, offset=offset, limit=7)
            total = page.total if total is None else total
            assert page.total == len(want) == total
            got += [r.code for r in page.rows]
        assert got == want
        beyond = products.list_products(session=session, actor=actor, search=search, offset=len(want) + 50, limit=5)
        assert (beyond.rows, beyond.total) == ([], len(want))


def test_a_category_by_book_price_on_postgres_and_sqlite(engine):
    with Session(engine) as session:
        actor = build_actor(session, session.exec(select(Account).where(Account.email == ACME)).one())
        services = [c for c in products.list_categories(session=session, actor=actor) if c.name.startswith("Services")]
        page = products.list_products(session=session, actor=actor, category=services[0].id, sort="price", limit=50)
        codes = [r.code for r in page.rows]
        assert codes[-2:] == ["SRV-200", "SRV-500"]  # on request, last, by code
        cents = [r.price_cents for r in page.rows if r.price_cents is not None]
        assert cents == sorted(cents) and page.total == 8
        assert session.exec(select(Company).where(Company.name == "Acme Oy")).one().id == actor.company_id


UNTRANSLATED = ("PRN-200", "SCN-100", "LAP-140", "MON-270", "NET-AP6", "SRV-210", "LIC-100", "TON-110")


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("search", ["", "o", "drucker"])
def test_a_readers_names_sort_the_pages_where_some_products_have_none(engine, descending, search):
    """German names for most products, none for eight: by name, a German reader's pages merge the
    two (`product_page._by_name_in`, and a search's matches by their German names)."""
    from sqlalchemy import delete

    from portal_app.models import ProductText

    with Session(engine) as session:
        ids = session.exec(select(Product.id).where(Product.code.in_(UNTRANSLATED))).all()
        session.exec(delete(ProductText).where(ProductText.lang == "de", ProductText.product_id.in_(ids)))
        session.commit()
        actor = build_actor(session, session.exec(select(Account).where(Account.email == ACME)).one())
        german = dict(session.exec(select(ProductText.product_id, ProductText.name).where(ProductText.lang == "de")).all())
        words = fold(search).split()
        every = [p for p in session.exec(select(Product)).all()
                 if not p.archived and all(w in p.search_text for w in words)]
        want = [p.code for p in sorted(every, key=lambda p: (german.get(p.id, p.name).lower(), p.code),
                                       reverse=descending)]
        got = []
        for offset in range(0, len(want) + 5, 5):
            page = products.list_products(session=session, actor=actor, search=search, sort="name",
                                          descending=descending, offset=offset, limit=5, lang="de")
            assert page.total == len(want)
            got += [r.code for r in page.rows]
        assert got == want and len(want) >= 4
        assert {r.name for r in products.list_products(session=session, actor=actor, lang="de", limit=50).rows} \
            >= {"Bürodrucker", "Colour laser printer"}  # a German name, and a default one where it has none
