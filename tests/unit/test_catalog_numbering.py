"""Quote and order numbers under concurrency, on SQLite (a file, as in production) and on a real
PostgreSQL: many threads, each on its own connection, request quotes and place orders at once
(and accept one quote several times). Every quote and order gets a number, the numbers are
consecutive after the last one (none skipped, none given twice), and a quote accepted several
times at once becomes one order."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from sqlmodel import Session, func, select

from portal_app.models import Account, Company, PortalProfile, QuoteRequest, SalesOrder
from portal_app.services.actor import build_actor
from portal_app.services.catalog import cart, orders, quotes
from portal_app.services.errors import ValidationFailed

from catalog_world import STAFF, answer, pid

THREADS = 10  # below the pools of the test engines (15 and 20 connections)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    return request.getfixturevalue("file_engine" if request.param == "sqlite" else "seeded_postgres_engine")


def actor(session: Session, email: str):
    return build_actor(session, session.exec(select(Account).where(Account.email == email)).one())


def shoppers(engine, demo_class, count: int) -> list[str]:
    """`count` new Acme contacts with the catalog, each with a product in its cart."""
    emails = []
    with Session(engine) as session:
        demo = demo_class(session)
        acme = session.exec(select(Company).where(Company.name == "Acme Oy")).one()
        profile = session.exec(select(PortalProfile).where(PortalProfile.name == "Primary contact")).one()
        for n in range(count):
            email = f"buyer{n}-{uuid.uuid4().hex[:6]}@acme.example.com"
            demo.make_contact(acme, "Buyer", str(n), email, profile=profile, login=True, password=None)
            cart.add_to_cart(session=session, actor=actor(session, email), product_id=pid(demo, "PRN-100"),
                             quantity=str(n + 1))
            emails.append(email)
    return emails


def at_once(engine, calls: list[tuple[str, Callable]]) -> tuple[list, list[Exception]]:
    barrier = threading.Barrier(len(calls), timeout=60)
    results: list = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def run(email: str, call: Callable) -> None:
        with Session(engine) as session:
            who = actor(session, email)
            barrier.wait()
            try:
                result = call(session, who)
                with lock:
                    results.append(result)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(exc)

    threads = [threading.Thread(target=run, args=c) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def highest(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.max(model.number))).one()


def test_concurrent_requests_and_orders_get_consecutive_numbers(engine, demo_class):
    people = shoppers(engine, demo_class, THREADS)
    last_quote, last_order = highest(engine, QuoteRequest), highest(engine, SalesOrder)
    half = THREADS // 2
    calls = [(e, lambda s, a: ("quote", quotes.request_quote(session=s, actor=a).number)) for e in people[:half]]
    calls += [(e, lambda s, a: ("order", orders.place_order(session=s, actor=a).number)) for e in people[half:]]
    results, errors = at_once(engine, calls)
    assert errors == []
    assert sorted(n for kind, n in results if kind == "quote") == list(range(last_quote + 1, last_quote + 1 + half))
    assert sorted(n for kind, n in results if kind == "order") == list(
        range(last_order + 1, last_order + 1 + THREADS - half))
    with Session(engine) as session:  # each cart became exactly one document, and is empty now
        for email in people:
            assert cart.view_cart(session=session, actor=actor(session, email)).lines == []


def test_one_quote_accepted_at_once_becomes_one_order(engine, demo_class):
    [buyer] = shoppers(engine, demo_class, 1)
    with Session(engine) as session:
        number = quotes.request_quote(session=session, actor=actor(session, buyer)).number
        answer(demo_class(session), number)
        assert actor(session, STAFF) is not None
    last_order = highest(engine, SalesOrder)
    results, errors = at_once(engine, [(buyer, lambda s, a: quotes.accept_quote(session=s, actor=a, number=number)
                                        .order_number)] * 6)
    assert results == [last_order + 1]
    assert len(errors) == 5 and all(isinstance(e, ValidationFailed) for e in errors)
    assert all(e.fields == {"form": ("error.quote_not_open", {})} for e in errors)  # type: ignore[attr-defined]
    with Session(engine) as session:
        quote = session.exec(select(QuoteRequest).where(QuoteRequest.number == number)).one()
        assert session.exec(select(func.count()).select_from(SalesOrder)
                            .where(SalesOrder.quote_id == quote.id)).one() == 1
        # the refused ones took no number: the next order gets the next one
        [later] = shoppers(engine, demo_class, 1)
        assert orders.place_order(session=session, actor=actor(session, later)).number == last_order + 2
