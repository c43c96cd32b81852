"""Products sold in whole units (2 pcs, not 1.5) and by measure (1.5 h): the cart refuses a part of a
whole unit at the quantity, a cart left with one (the product switched meanwhile) cannot be sent,
staff set the flag in the form and in the CSV, and migration 0019 tells earlier products apart."""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import select

from portal_app.models import Product
from portal_app.services.catalog import admin, cart, csv_import, orders, products, quotes
from portal_app.services.errors import ValidationFailed

from catalog_world import GLOBEX, STAFF, fill, pid
from migrations import run_alembic


@pytest.mark.parametrize("quantity", ["1.5", "0,5", "2.001"])
def test_a_part_of_a_whole_unit_is_refused_at_the_quantity(demo, quantity):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as err:
        fill(demo, GLOBEX, ("PRN-100", quantity))
    assert err.value.fields == {"quantity": ("error.catalog_whole_units", {"unit": "pcs"})}
    assert demo.committed_state() == before
    fill(demo, GLOBEX, ("PRN-100", "2"))
    with pytest.raises(ValidationFailed) as err:
        cart.set_quantity(session=demo.session, actor=demo.actor(GLOBEX), product_id=pid(demo, "PRN-100"),
                          quantity=quantity)
    assert err.value.fields["quantity"][0] == "error.catalog_whole_units"
    assert [li.quantity_milli for li in cart.view_cart(session=demo.session, actor=demo.actor(GLOBEX)).lines] == [2000]


def test_a_product_sold_by_measure_takes_parts(demo):
    view = fill(demo, GLOBEX, ("SRV-210", "1.5"))  # remote support hours
    assert [(li.code, li.quantity_milli) for li in view.lines] == [("SRV-210", 1500)]
    view = cart.set_quantity(session=demo.session, actor=demo.actor(GLOBEX), product_id=pid(demo, "SRV-210"),
                             quantity="0.25")
    assert view.lines[0].quantity_milli == 250


def test_the_customers_views_say_which_products_take_parts(demo):
    """The product page and the cart offer a keyboard without a decimal separator for whole units."""
    actor = demo.actor(GLOBEX)
    listed = {row.code: row.whole_units for row in products.list_products(session=demo.session, actor=actor,
                                                                          search="", limit=100).rows}
    assert listed["PRN-100"] is True and listed["SRV-210"] is False
    assert products.get_product(session=demo.session, actor=actor, code="SRV-210").whole_units is False
    view = fill(demo, GLOBEX, ("SRV-210", "1.5"), ("PRN-100", "1"))
    assert {li.code: li.whole_units for li in view.lines} == {"SRV-210": False, "PRN-100": True}


def test_a_cart_left_with_a_part_of_a_whole_unit_is_not_sent(demo):
    fill(demo, GLOBEX, ("SRV-210", "1.5"), ("PRN-100", "1"))
    admin.update_product(session=demo.session, actor=demo.actor(STAFF), product_id=pid(demo, "SRV-210"),
                         data={"whole_units": True})
    before = demo.committed_state()
    for send in (orders.place_order, quotes.request_quote):
        with pytest.raises(ValidationFailed) as err:
            send(session=demo.session, actor=demo.actor(GLOBEX))
        assert err.value.fields == {"cart": ("error.catalog_cart_whole_units", {"codes": "SRV-210"})}
    assert demo.committed_state() == before
    cart.set_quantity(session=demo.session, actor=demo.actor(GLOBEX), product_id=pid(demo, "SRV-210"), quantity="2")
    assert orders.place_order(session=demo.session, actor=demo.actor(GLOBEX)).number


def test_staff_set_it_in_the_form_and_the_csv(demo):
    staff = demo.actor(STAFF)
    made = admin.create_product(session=demo.session, actor=staff, data={
        "code": "CAB-M", "name": "Cable by the metre", "unit": "m", "list_price": "1.20", "whole_units": False})
    assert made.whole_units is False
    default = admin.create_product(session=demo.session, actor=staff, data={
        "code": "MUG-1", "name": "Mug", "unit": "pcs", "list_price": "5"})
    assert default.whole_units is True  # a new product is sold in whole units unless staff says otherwise
    with pytest.raises(ValidationFailed) as err:
        admin.update_product(session=demo.session, actor=staff, product_id=default.id, data={"whole_units": "maybe"})
    assert "whole_units" in err.value.fields
    text = "Code;Name;Unit;List price;Whole units\r\nROPE-1;Rope;m;2,50;no\r\nmug-1;Mug;;;;\r\nCAB-M;;;;yes\r\n"
    report = csv_import.import_products(session=demo.session, actor=staff, data=text.encode())
    assert report.ok, report.errors
    flags = dict(demo.session.exec(select(Product.code, Product.whole_units)
                                   .where(Product.code.in_(["ROPE-1", "MUG-1", "CAB-M"]))).all())
    assert flags == {"ROPE-1": False, "MUG-1": True, "CAB-M": True}


def test_migration_tells_earlier_products_apart(tmp_path):
    run_alembic(tmp_path, "upgrade", "0018_quote_withdrawn")
    db = tmp_path / "portal.db"
    with sqlite3.connect(db) as conn:
        conn.executemany("INSERT INTO product (code, name, description, unit, list_price_cents, currency, vat_rate_bp, "
                         "orderable, search_text, image_name, image_type, archived, created_at, updated_at) "
                         "VALUES (?, ?, '', ?, 100, 'EUR', 2550, 1, '', '', '', 0, '2026-01-01', '2026-01-01')",
                         [("A", "Hours", "h"), ("B", "Pieces", "pcs"), ("C", "Metres", " M "), ("D", "No unit", ""),
                          ("E", "Licence", "year")])
        # a cart line refers to a product (a migration that copied the table could not drop the old one)
        conn.execute("INSERT INTO cartline (contact_id, product_id, quantity_milli, created_at, updated_at) "
                     "VALUES (1, 1, 1500, '2026-01-01', '2026-01-01')")
    run_alembic(tmp_path, "upgrade", "head")
    with sqlite3.connect(db) as conn:
        found = dict(conn.execute("SELECT code, whole_units FROM product").fetchall())
    assert found == {"A": 0, "B": 1, "C": 0, "D": 1, "E": 1}


def test_staff_quotes_whole_units_of_a_product_sold_so(demo):
    """Staff's answer keeps the cart's rule: a catalog line sold in whole units takes a whole quantity;
    a free line, or a product sold by measure, takes parts."""
    fill(demo, GLOBEX, ("PRN-100", "2"), ("SRV-210", "1.5"))
    number = quotes.request_quote(session=demo.session, actor=demo.actor(GLOBEX)).number
    staff = demo.actor(STAFF)
    proposal = quotes.start_answer(session=demo.session, actor=staff, number=number)

    def send(quantities: dict[str, str], extra: list[dict] | None = None) -> list[int]:
        lines = [{"product_id": li.product_id, "code": li.code, "name": li.name, "unit": li.unit,
                  "quantity": quantities.get(li.code, "1"), "unit_price": "10", "vat_rate": "24", "discount": ""}
                 for li in proposal.lines] + (extra or [])
        return quotes.send_quote(session=demo.session, actor=staff, number=number,
                                 data={"lines": lines, "expires_on": proposal.expires_on, "answer": ""})

    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as err:
        send({"PRN-100": "2,5", "SRV-210": "1.25"})
    assert err.value.fields == {"lines.0.quantity": ("error.catalog_whole_units", {"unit": "pcs"})}
    assert demo.committed_state() == before
    send({"PRN-100": "3", "SRV-210": "1.25"}, extra=[{"code": "", "name": "Travel", "unit": "km",
                                                      "quantity": "12.5", "unit_price": "0.5", "vat_rate": "24"}])
    detail = quotes.get_quote(session=demo.session, actor=demo.actor(GLOBEX), number=number)
    assert [(li.code, li.quantity_milli) for li in detail.lines] == [("PRN-100", 3000), ("SRV-210", 1250),
                                                                     ("", 12500)]
