"""Who may do what in the shop: a permission matrix of role (no module / view / edit / staff /
collaborator / module switched off) x action, and another company's quotes, orders, carts and
opportunities answering exactly like missing ones. A refused call changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from portal_app.models import CartLine, ModuleAccess
from portal_app.services.portal import config
from portal_app.services.catalog import admin, cart, opportunities, orders, products, quotes
from portal_app.services.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed

from catalog_world import ACME, GLOBEX, PARTNER, STAFF, VILLE, catalog_profile, fill, pid

OK, DENIED, MISSING, EMPTY = "ok", "denied", "not found", "empty"

# action -> (call(demo, actor), what "empty" means is checked by the call's result)
ACTIONS: dict[str, Callable[[Any, Any], Any]] = {
    "list_products": lambda d, a: products.list_products(session=d.session, actor=a).rows,
    "get_product": lambda d, a: products.get_product(session=d.session, actor=a, code="PRN-100"),
    "categories": lambda d, a: products.list_categories(session=d.session, actor=a),
    "price_list_csv": lambda d, a: products.price_list_csv(session=d.session, actor=a),
    "view_cart": lambda d, a: cart.view_cart(session=d.session, actor=a).lines,
    "add_to_cart": lambda d, a: cart.add_to_cart(session=d.session, actor=a, product_id=pid(d, "PRN-100")),
    "remove_from_cart": lambda d, a: cart.remove_from_cart(session=d.session, actor=a, product_id=pid(d, "PRN-100")),
    "request_quote": lambda d, a: quotes.request_quote(session=d.session, actor=a),
    "list_quotes": lambda d, a: quotes.list_quotes(session=d.session, actor=a).rows,
    "get_quote": lambda d, a: quotes.get_quote(session=d.session, actor=a, number=1002),
    "quote_pdf": lambda d, a: quotes.quote_pdf(session=d.session, actor=a, number=1002),
    "accept_quote": lambda d, a: quotes.accept_quote(session=d.session, actor=a, number=1002),
    "decline_quote": lambda d, a: quotes.decline_quote(session=d.session, actor=a, number=1001),
    "place_order": lambda d, a: orders.place_order(session=d.session, actor=a),
    "list_orders": lambda d, a: orders.list_orders(session=d.session, actor=a).rows,
    "get_order": lambda d, a: orders.get_order(session=d.session, actor=a, number=1002),
    "order_pdf": lambda d, a: orders.order_pdf(session=d.session, actor=a, number=1002),
    "start_answer": lambda d, a: quotes.start_answer(session=d.session, actor=a, number=1001),
    "set_order_status": lambda d, a: orders.set_order_status(session=d.session, actor=a, number=1002,
                                                             status="delivered"),
    "create_product": lambda d, a: admin.create_product(session=d.session, actor=a, data={
        "code": "NEW-1", "name": "New", "list_price": "1"}),
    "list_price_books": lambda d, a: admin.list_price_books(session=d.session, actor=a),
}
CUSTOMER_READS = ("list_products", "get_product", "categories", "price_list_csv", "list_quotes", "get_quote",
                  "quote_pdf", "list_orders", "get_order", "order_pdf")
CUSTOMER_WRITES = ("add_to_cart", "remove_from_cart", "request_quote", "accept_quote", "decline_quote", "place_order")
STAFF_ONLY = ("start_answer", "set_order_status", "create_product", "list_price_books")


def expected(role: str, action: str) -> str:
    if action in STAFF_ONLY:
        return OK if role == "staff" else DENIED
    if role == "staff":
        return DENIED if action in CUSTOMER_WRITES else (EMPTY if action == "view_cart" else OK)
    if action in CUSTOMER_WRITES:
        return OK if role == "edit" else DENIED
    if role in ("view", "edit"):
        return OK
    if action in ("list_products", "categories", "list_quotes", "list_orders", "view_cart"):
        return EMPTY
    return MISSING  # one product, quote, order or PDF: as if it did not exist


ROLES = ("none", "view", "edit", "staff", "collaborator", "switched_off")


@pytest.fixture
def shop(demo):
    """Acme's Ville (Basic: no catalog) gets the role's profile; his cart holds something to act on."""
    profiles = {level: catalog_profile(demo, f"Catalog {level}", level) for level in ModuleAccess}
    demo.use_profile(VILLE, profiles[ModuleAccess.EDIT])
    fill(demo, VILLE, ("PRN-100", "1"), ("TON-100", "1"))
    return profiles


def actor_for(demo, shop, role: str):
    if role == "staff":
        return demo.actor(STAFF)
    if role == "collaborator":
        return demo.actor(PARTNER)
    if role == "switched_off":
        config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module="catalog",
                                         enabled=False)
        demo.use_profile(VILLE, shop[ModuleAccess.EDIT])
        return demo.actor(VILLE)
    demo.use_profile(VILLE, shop[{"none": ModuleAccess.NONE, "view": ModuleAccess.VIEW,
                                  "edit": ModuleAccess.EDIT}[role]])
    return demo.actor(VILLE)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(demo, shop, role, action):
    actor = actor_for(demo, shop, role)
    want = expected("none" if role in ("collaborator", "switched_off") else role, action)
    before = demo.committed_state()
    try:
        result = ACTIONS[action](demo, actor)
    except PermissionDenied:
        got = DENIED
    except NotFound:
        got = MISSING
    else:
        got = EMPTY if result in ([], ()) else OK
    if got != OK:
        assert demo.committed_state() == before, "a refused call changed the database"
    assert got == want


def test_other_companies_quotes_orders_and_carts_are_unreachable(demo):
    s, greta = demo.session, demo.actor(GLOBEX)
    acme_quotes = [r.number for r in quotes.list_quotes(session=s, actor=demo.actor(ACME)).rows]
    acme_orders = [r.number for r in orders.list_orders(session=s, actor=demo.actor(ACME)).rows]
    assert acme_quotes == [1003, 1002, 1001] and acme_orders == [1002, 1001]
    assert {r.number for r in quotes.list_quotes(session=s, actor=greta).rows} == {1004, 1005}
    before = demo.committed_state()
    for number in (*acme_quotes, 999999):
        for call in (quotes.get_quote, quotes.quote_pdf, quotes.accept_quote, quotes.quote_state):
            with pytest.raises(NotFound) as err:
                call(session=s, actor=greta, number=number)
            assert err.value.key == "error.not_found"
        with pytest.raises(NotFound):
            quotes.decline_quote(session=s, actor=greta, number=number, reason="no")
    for number in (*acme_orders, 999999):
        for call in (orders.get_order, orders.order_pdf, orders.order_state):
            with pytest.raises(NotFound):
                call(session=s, actor=greta, number=number)
    # a search cannot reach them either
    assert quotes.list_quotes(session=s, actor=greta, search="1002").rows == []
    assert orders.list_orders(session=s, actor=greta, search="Acme").rows == []
    assert demo.committed_state() == before
    # carts are per contact: Greta's actions never touch Aino's cart
    fill(demo, ACME, ("PRN-100", "2"))
    cart.remove_from_cart(session=s, actor=greta, product_id=pid(demo, "PRN-100"))
    cart.clear_cart(session=s, actor=greta)
    with pytest.raises(NotFound):
        cart.set_quantity(session=s, actor=greta, product_id=pid(demo, "PRN-100"), quantity="9")
    aino_line = s.exec(select(CartLine).where(CartLine.contact_id == demo.contact(ACME).id)).one()
    assert aino_line.quantity_milli == 2000
    assert cart.view_cart(session=s, actor=greta).lines == []
    # and staff's company filter is staff's alone
    assert {r.company_name for r in quotes.list_quotes(session=s, actor=greta,
                                                       company_id=demo.company("Acme Oy").id).rows} == {"Globex GmbH"}


@pytest.mark.parametrize("number", ["1002 ", "01002", "+1002", "1002.0", "", None, True, -1, 0, 2**63, "1e3", "١٠٠٢"])
def test_odd_numbers_are_missing_numbers(demo, number):
    with pytest.raises(NotFound):
        quotes.get_quote(session=demo.session, actor=demo.actor(ACME), number=number)
    with pytest.raises(NotFound):
        orders.get_order(session=demo.session, actor=demo.actor(ACME), number=number)


def test_opportunities_open_ones_of_the_own_company_read_only(demo):
    s, staff = demo.session, demo.actor(STAFF)
    acme = opportunities.list_opportunities(session=s, actor=demo.actor(ACME))
    assert [r.name for r in acme.rows] == ["Printer fleet renewal", "Network upgrade, Tampere office"]
    assert all(r.is_open and r.company_name == "Acme Oy" for r in acme.rows)
    globex = opportunities.list_opportunities(session=s, actor=demo.actor(GLOBEX))
    assert [r.name for r in globex.rows] == ["Laptop refresh 2027"]
    every = opportunities.list_opportunities(session=s, actor=staff, include_closed=True, limit=50)
    closed = {r.id for r in every.rows if not r.is_open}
    assert every.total == 5 and len(closed) == 2
    for oid in (*closed, *(r.id for r in globex.rows), 999999, "1 ", None):
        with pytest.raises(NotFound):
            opportunities.get_opportunity(session=s, actor=demo.actor(ACME), opportunity_id=oid)
    assert opportunities.list_opportunities(session=s, actor=demo.actor(VILLE)).rows == []  # Basic: no module
    view_only = catalog_profile(demo, "Opportunities view", ModuleAccess.NONE, ModuleAccess.VIEW)
    demo.use_profile(VILLE, view_only)
    assert len(opportunities.list_opportunities(session=s, actor=demo.actor(VILLE)).rows) == 2
    for call, kwargs in ((opportunities.create_opportunity, {"company_id": demo.company("Acme Oy").id,
                                                             "data": {"name": "Mine"}}),
                         (opportunities.update_opportunity, {"opportunity_id": acme.rows[0].id,
                                                             "data": {"stage": "won"}}),
                         (opportunities.delete_opportunity, {"opportunity_id": acme.rows[0].id})):
        with pytest.raises(PermissionDenied):
            call(session=s, actor=demo.actor(ACME), **kwargs)
    # staff keeps them: closing one takes it off the customer's list
    made = opportunities.create_opportunity(session=s, actor=staff, company_id=demo.company("Acme Oy").id,
                                            data={"name": "Docking stations", "amount": "1 900,50",
                                                  "expected_close": "2031-01-31"})
    assert (made.stage, made.amount_cents, made.owner_name, made.probability) == ("prospecting", 190050, "Sam Staff", 10)
    opportunities.update_opportunity(session=s, actor=staff, opportunity_id=made.id, data={"stage": "lost"})
    assert made.id not in [r.id for r in opportunities.list_opportunities(session=s, actor=demo.actor(ACME)).rows]
    with pytest.raises(ServiceError):
        opportunities.update_opportunity(session=s, actor=staff, opportunity_id=made.id, data={"stage": "closed"})
    # a new one without its company: that error with the fields' errors, every one at once
    bad = {"name": "", "amount": "-100", "probability": "abc"}
    for company, said in ((None, "error.required"), ("", "error.required"), ("abc", "error.invalid"),
                          (987654, "error.invalid")):
        with pytest.raises(ValidationFailed) as err:
            opportunities.create_opportunity(session=s, actor=staff, company_id=company, data=bad)
        assert set(err.value.fields) == {"company", "name", "amount", "probability"}
        assert err.value.fields["company"][0] == said
        assert err.value.fields["probability"][0] == "error.probability"  # says what it takes
