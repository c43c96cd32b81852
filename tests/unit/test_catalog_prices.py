"""Which price a company sees (`services/catalog/prices.py`), per company and per day, and the
catalog pages built on it: the list (search, category, sort, pages), one product, the categories,
the price list CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from portal_app.services.catalog import admin, prices, products
from portal_app.services.errors import NotFound, ValidationFailed

from catalog_world import ACME, GLOBEX, STAFF, VILLE, pid


def rows(page) -> dict[str, int | None]:
    return {r.code: r.price_cents for r in page.rows}


def test_acme_pays_its_book_globex_list_prices_and_staff_sees_either(demo):
    acme = products.list_products(session=demo.session, actor=demo.actor(ACME), limit=100)
    assert acme.total == 30 and acme.price_book == "Acme 2026"
    assert rows(acme)["PRN-100"] == 44900  # the book's price, not the list's 499.00
    assert rows(acme)["SRV-200"] is None  # Acme has a book without it: price on request
    assert {r.code for r in acme.rows if r.price_cents is None} == {"SRV-200", "PRN-900", "NET-RACK", "SRV-500"}
    assert {r.price_source for r in acme.rows} == {"book", "on_request"}
    globex = products.list_products(session=demo.session, actor=demo.actor(GLOBEX), limit=100)
    assert globex.price_book == "" and rows(globex)["PRN-100"] == 49900 and rows(globex)["SRV-200"] == 9500
    assert {r.price_source for r in globex.rows} == {"list"}
    staff = demo.actor(STAFF)
    assert rows(products.list_products(session=demo.session, actor=staff, limit=100))["PRN-100"] == 49900
    as_acme = products.list_products(session=demo.session, actor=staff, company_id=demo.company("Acme Oy").id, limit=100)
    assert rows(as_acme) == rows(acme) and as_acme.company_id == demo.company("Acme Oy").id
    # a customer cannot ask for another company's prices: its own always
    assert rows(products.list_products(session=demo.session, actor=demo.actor(GLOBEX), limit=100,
                                       company_id=demo.company("Acme Oy").id)) == rows(globex)
    with pytest.raises(ValidationFailed):
        products.list_products(session=demo.session, actor=staff, company_id=999999)


@pytest.fixture
def initech(demo):
    """A company with three books: a base book (open-ended), a spring book (2030-03-01..05-31,
    without TON-100), an inactive one; and a contact with the catalog."""
    staff = demo.actor(STAFF)
    company = demo.make_company("Initech")
    demo.make_contact(company, "Ian", "Tech", "ian@initech.example.com", profile=demo.profile("Primary contact"),
                      login=True)
    books = {}
    for name, start, end, active, entries in (
        ("Initech base", None, None, True, {"PRN-100": "450", "TON-100": "80"}),
        ("Initech spring", date(2030, 3, 1), date(2030, 5, 31), True, {"PRN-100": "400"}),
        ("Initech off", None, None, False, {"PRN-100": "1", "TON-100": "1"}),
    ):
        book = admin.create_price_book(session=demo.session, actor=staff, data={
            "name": name, "currency": "EUR", "valid_from": start, "valid_to": end, "active": active})
        for code, price in entries.items():
            admin.set_entry(session=demo.session, actor=staff, book_id=book.id, product_id=pid(demo, code), price=price)
        admin.assign_price_book(session=demo.session, actor=staff, company_id=company.id, book_id=book.id)
        books[name] = book
    return company, books


@pytest.mark.parametrize(("day", "book", "printer", "toner", "laptop"), [
    (date(2030, 1, 1), "Initech base", 45000, 8000, None),
    (date(2030, 2, 28), "Initech base", 45000, 8000, None),
    (date(2030, 3, 1), "Initech spring", 40000, None, None),  # first day included; TON-100 not in the spring book
    (date(2030, 5, 31), "Initech spring", 40000, None, None),  # last day included
    (date(2030, 6, 1), "Initech base", 45000, 8000, None),
])
def test_the_book_valid_on_the_day_sets_the_price(demo, initech, day, book, printer, toner, laptop):
    company, _books = initech
    assert prices.company_book(demo.session, company.id, day).name == book
    page = products.list_products(session=demo.session, actor=demo.actor("ian@initech.example.com"), today=day,
                                  limit=100)
    assert page.price_book == book
    assert (rows(page)["PRN-100"], rows(page)["TON-100"], rows(page)["LAP-140"]) == (printer, toner, laptop)
    detail = products.get_product(session=demo.session, actor=demo.actor("ian@initech.example.com"), code="PRN-100",
                                  today=day)
    assert detail.price_cents == printer and detail.price_source == "book"


def test_no_valid_book_means_list_prices(demo, initech):
    company, books = initech
    staff = demo.actor(STAFF)
    admin.unassign_price_book(session=demo.session, actor=staff, company_id=company.id,
                              book_id=books["Initech base"].id)
    day = date(2030, 1, 1)  # only the spring book (not yet valid) and the inactive one are left
    assert prices.company_book(demo.session, company.id, day) is None
    page = products.list_products(session=demo.session, actor=demo.actor("ian@initech.example.com"), today=day, limit=100)
    assert page.price_book == "" and rows(page)["PRN-100"] == 49900 and rows(page)["LAP-140"] == 119000
    assert prices.company_book(demo.session, company.id, date(2030, 4, 1)).name == "Initech spring"
    # the expired demo book of Acme: 2025's prices in 2025 only
    acme = demo.company("Acme Oy").id
    assert prices.company_book(demo.session, acme, date(2025, 6, 1)).name in ("Acme 2025", "Acme 2026")
    assert prices.company_book(demo.session, acme, date(2031, 6, 1)).name == "Acme 2026"


def test_a_book_in_another_currency_prices_in_it(demo):
    staff = demo.actor(STAFF)
    company = demo.make_company("Svenska AB")
    book = admin.create_price_book(session=demo.session, actor=staff, data={"name": "Sverige", "currency": "SEK"})
    admin.set_entry(session=demo.session, actor=staff, book_id=book.id, product_id=pid(demo, "PRN-100"), price="5490")
    admin.assign_price_book(session=demo.session, actor=staff, company_id=company.id, book_id=book.id)
    price = prices.prices_of(demo.session, company_id=company.id,
                             products=[demo.session.get(prices.Product, pid(demo, "PRN-100"))],
                             day=date(2030, 1, 1))[pid(demo, "PRN-100")]
    assert (price.cents, price.currency, price.source) == (549000, "SEK", "book")
    # the price list names each price's currency: the list price's own, the book's
    _, text = products.price_list_csv(session=demo.session, actor=staff, company_id=company.id, today=date(2030, 1, 1))
    row = {r["Code"]: r for r in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))}["PRN-100"]
    assert (row["List price"], row["List price currency"], row["Your price"], row["Currency"]) == (
        "499.00", "EUR", "5490.00", "SEK")
    with pytest.raises(ValidationFailed) as err:  # the currency is locked once the book has prices
        admin.update_price_book(session=demo.session, actor=staff, book_id=book.id, data={"currency": "EUR"})
    assert "currency" in err.value.fields


def test_search_category_sort_and_pages(demo):
    actor = demo.actor(ACME)
    found = products.list_products(session=demo.session, actor=actor, search="  PRINTER  office ")
    assert [r.code for r in found.rows] == ["PRN-100"]
    assert {r.code for r in products.list_products(session=demo.session, actor=actor, search="prn").rows} == {
        "PRN-100", "PRN-200", "PRN-300", "PRN-900"}
    admin.create_product(session=demo.session, actor=demo.actor(STAFF), data={
        "code": "KAH-1", "name": "Kahvinkeitin Ämpäri", "list_price": "10"})
    assert [r.code for r in products.list_products(session=demo.session, actor=actor, search="ampari").rows] == ["KAH-1"]
    assert products.list_products(session=demo.session, actor=actor, search="100%_").total == 0  # wildcards literal
    categories = products.list_categories(session=demo.session, actor=actor)
    assert [(c.name, c.products) for c in categories] == [("Printers and scanners", 8), ("Computers and accessories", 8),
                                                          ("Networking", 6), ("Services and licences", 8)]
    networking = products.list_products(session=demo.session, actor=actor, category=categories[2].id)
    assert networking.total == 6 and {r.category for r in networking.rows} == {"Networking"}
    cheap = products.list_products(session=demo.session, actor=actor, sort="price", limit=3)
    assert [r.code for r in cheap.rows] == ["NET-CAB5", "PAP-500", "LIC-200"]
    dear = products.list_products(session=demo.session, actor=actor, sort="price", descending=True, limit=40)
    assert dear.rows[0].code == "LAP-160"  # the dearest priced product first ...
    assert [r.price_cents for r in dear.rows[-4:]] == [None] * 4  # ... prices on request last, both ways
    pages = [products.list_products(session=demo.session, actor=actor, sort="code", offset=o, limit=7) for o in (0, 7, 28)]
    assert [len(p.rows) for p in pages] == [7, 7, 3] and all(p.total == 31 for p in pages)
    codes = [r.code for p in pages for r in p.rows]
    assert codes == sorted(codes)
    for bad in ({"sort": "list_price_cents"}, {"descending": "yes"}, {"category": "1 OR 1=1"}, {"offset": "0"}):
        with pytest.raises(ValidationFailed):
            products.list_products(session=demo.session, actor=actor, **bad)


def test_archived_products_are_staffs_only(demo):
    staff = demo.actor(STAFF)
    admin.set_product_archived(session=demo.session, actor=staff, product_id=pid(demo, "PRN-300"), archived=True)
    actor = demo.actor(ACME)
    assert "PRN-300" not in rows(products.list_products(session=demo.session, actor=actor, limit=100))
    with pytest.raises(NotFound):
        products.get_product(session=demo.session, actor=actor, code="PRN-300")
    assert "PRN-300" not in rows(products.list_products(session=demo.session, actor=staff, limit=100))
    assert "PRN-300" in rows(products.list_products(session=demo.session, actor=staff, limit=100,
                                                    include_archived=True))
    assert products.get_product(session=demo.session, actor=staff, code="PRN-300").archived
    for code in ("NOPE-1", "", None, "PRN-100 ", "../etc", 5):
        with pytest.raises(NotFound):
            products.get_product(session=demo.session, actor=actor, code=code)


def test_price_list_csv_has_the_companys_prices(demo):
    name, text = products.price_list_csv(session=demo.session, actor=demo.actor(ACME))
    assert name.startswith("price-list-") and name.endswith(".csv")
    assert text.startswith("\ufeff")  # UTF-8 that Excel reads as such
    table = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(table) == 30
    by_code = {r["Code"]: r for r in table}
    assert (by_code["PRN-100"]["List price"], by_code["PRN-100"]["Your price"]) == ("499.00", "449.00")
    assert by_code["SRV-200"]["Your price"] == "on request" and by_code["PRN-900"]["Orderable"] == "quote only"
    assert (by_code["PRN-100"]["List price currency"], by_code["PRN-100"]["Currency"]) == ("EUR", "EUR")
    _, globex = products.price_list_csv(session=demo.session, actor=demo.actor(GLOBEX))
    assert {r["Code"]: r["Your price"] for r in csv.DictReader(io.StringIO(globex.removeprefix("\ufeff")))}[
        "PRN-100"] == "499.00"


def test_the_company_sees_its_own_price_books(demo):
    acme = products.company_price_books(session=demo.session, actor=demo.actor(ACME), today=date(2026, 6, 1))
    assert [(b.name, b.in_force) for b in acme][0] == ("Acme 2026", True)
    assert sum(b.in_force for b in acme) == 1  # last year's book is listed, not in force
    assert all(b.currency == "EUR" for b in acme)
    assert products.company_price_books(session=demo.session, actor=demo.actor(GLOBEX)) == []  # list prices
    assert products.company_price_books(session=demo.session, actor=demo.actor(STAFF)) == []
    assert products.company_price_books(session=demo.session, actor=demo.actor(VILLE)) == []  # no Catalog
