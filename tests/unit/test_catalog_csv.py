"""Staff's CSV imports: products and a price book's prices. All or nothing: one bad row and nothing
is written, and the report names every bad row, its column and the message."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal_app.i18n import translate
from portal_app.models import PriceBookEntry, Product, ProductCategory
from portal_app.services.catalog import admin, csv_import, products
from portal_app.services.errors import NotFound, PermissionDenied

from catalog_world import ACME, STAFF, pid


def errors(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.key) for e in report.errors]


def test_products_import_creates_and_updates(demo):
    staff = demo.actor(STAFF)
    text = ("\ufeffCode;Name;Category;Unit;List price;Currency;VAT %;Orderable;Description\r\n"
            "USB-C1;USB-C cable, 1 m;Cables;pcs;12,90;EUR;25,5;yes;Braided.\r\n"
            "USB-C2;\"USB-C cable; 2 m\";Cables;pcs;14.90;;;;\r\n"
            "prn-100;Office printer, 2nd gen;;;479;;;no;\r\n"  # an existing code (case ignored): updated
            "\r\n")
    report = csv_import.import_products(session=demo.session, actor=staff, data=text.encode("utf-8"))
    assert (report.ok, report.rows, report.created, report.updated, report.errors) == (True, 3, 2, 1, [])
    cable = demo.session.exec(select(Product).where(Product.code == "USB-C2")).one()
    assert (cable.name, cable.list_price_cents, cable.vat_rate_bp, cable.orderable, cable.currency) == (
        "USB-C cable; 2 m", 1490, 2550, True, "EUR")
    category = demo.session.get(ProductCategory, cable.category_id)
    assert category.name == "Cables"
    printer = demo.session.get(Product, pid(demo, "PRN-100"))
    assert (printer.code, printer.name, printer.list_price_cents, printer.orderable, printer.unit) == (
        "PRN-100", "Office printer, 2nd gen", 47900, False, "pcs")  # empty cells left as they were
    found = products.list_products(session=demo.session, actor=demo.actor(ACME), search="2nd gen")
    assert [r.code for r in found.rows] == ["PRN-100"]  # the search text follows the new name


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(demo):
    staff = demo.actor(STAFF)
    text = ("code,name,list_price,vat_rate,orderable,currency\n"
            "OK-1,Fine product,10,24,yes,EUR\n"
            "OK-2,,10,24,yes,EUR\n"  # no name
            "bad code,Thing,abc,101,maybe,XXX\n"  # every cell wrong
            "OK-1,Again,10,24,yes,EUR\n"  # the same code twice
            "NEW-9,No price,,24,yes,EUR\n"  # a new product needs its price
            "OK-3,Too,1,0,1,EUR,extra\n")
    before = demo.committed_state()
    report = csv_import.import_products(session=demo.session, actor=staff, data=text)
    assert not report.ok and (report.created, report.updated, report.rows) == (0, 0, 6)
    assert errors(report) == [
        (3, "name", "error.required"),
        (4, "orderable", "error.invalid"), (4, "code", "error.catalog_code"),
        (4, "list_price", "admin.invoices.error_number"),  # a price takes decimals: not "a whole number"
        (4, "currency", "error.invalid"), (4, "vat_rate", "error.vat_rate_range"),
        (5, "code", "error.catalog_csv_duplicate"),
        (6, "list_price", "admin.invoices.error_number"),
        (7, "", "error.catalog_csv_extra_cells"),
    ]
    assert next(e for e in report.errors if e.row == 5).params == {"code": "OK-1", "row": 2}
    assert demo.committed_state() == before


def test_every_cell_error_of_a_row(demo):
    report = csv_import.import_products(session=demo.session, actor=demo.actor(STAFF),
                                        data="code,name,list_price,vat_rate,currency\nX-1,Thing,abc,101,XXX\n")
    assert sorted(errors(report)) == [(2, "currency", "error.invalid"), (2, "list_price", "admin.invoices.error_number"),
                                      (2, "vat_rate", "error.vat_rate_range")]


@pytest.mark.parametrize(("data", "key", "column"), [
    ("", "error.catalog_csv_empty", ""),
    ("code,name\n", "error.catalog_csv_empty", ""),
    ("code,name,colour\nA-1,x,red\n", "error.catalog_csv_unknown_column", "colour"),
    ("name,list_price\nx,1\n", "error.catalog_csv_missing_column", "code"),
    ("code,name,code\nA,b,c\n", "error.catalog_csv_repeated_column", ""),
    (b"code,name\n\xff\xfe\x00\x00", "error.catalog_csv_unreadable", ""),
    (12345, "error.catalog_csv_unreadable", ""),
    (b"x" * (5 * 1024 * 1024 + 1), "error.catalog_csv_too_large", ""),
])
def test_a_file_that_is_no_such_table(demo, data, key, column):
    """Said on line 1; the Column cell names the column concerned, never the form's field ("file")."""
    before = demo.committed_state()
    report = csv_import.import_products(session=demo.session, actor=demo.actor(STAFF), data=data)
    assert not report.ok and [(e.row, e.column, e.key) for e in report.errors] == [(1, column, key)]
    assert demo.committed_state() == before


def test_windows_1252_and_tabs(demo):
    data = "Code\tName\tList price\nKAH-2\tKahvinkeitin, pieni \u00e4\t19,90\n".encode("cp1252")
    report = csv_import.import_products(session=demo.session, actor=demo.actor(STAFF), data=data)
    assert report.ok and demo.session.exec(select(Product.name).where(Product.code == "KAH-2")).one() == \
        "Kahvinkeitin, pieni \u00e4"


@pytest.mark.parametrize(("lang", "price", "vat"), [
    ("en", "Enter a number, like 2, 1.5 or 1240.50.", "Enter a VAT rate from 0 to 100 (percent, like 25.5)."),
    ("fi", "Anna luku, esimerkiksi 2, 1,5 tai 1 240,50.", "Anna ALV-kanta väliltä 0–100 (prosentteina, esim. 25,5)."),
])
def test_a_bad_price_asks_for_a_decimal_number_and_a_bad_vat_rate_names_its_range(demo, lang, price, vat):
    staff = demo.actor(STAFF)
    report = csv_import.import_products(session=demo.session, actor=staff,
                                        data="code,name,list_price,vat_rate\nX-1,Thing,abc,250\nX-2,Other,12.50,24\n")
    said = {(e.row, e.column): translate(lang, e.key, **e.params) for e in report.errors}
    assert said == {(2, "list_price"): price, (2, "vat_rate"): vat}
    book = admin.create_price_book(session=demo.session, actor=staff, data={"name": "Globex 2027"})
    bad = csv_import.import_price_entries(session=demo.session, actor=staff, book_id=book.id,
                                          data="code;price\nPRN-100;12 euros\n")
    assert [translate(lang, e.key, **e.params) for e in bad.errors] == [price]


def test_price_entries_import(demo):
    staff = demo.actor(STAFF)
    book = admin.create_price_book(session=demo.session, actor=staff, data={"name": "Globex 2027"})
    admin.set_entry(session=demo.session, actor=staff, book_id=book.id, product_id=pid(demo, "PRN-100"), price="470")
    before = demo.committed_state()
    bad = csv_import.import_price_entries(session=demo.session, actor=staff, book_id=book.id,
                                          data="Code;Price\nPRN-100;460\nNOPE-1;10\nLAP-140;-5\nprn-100;450\n")
    assert not bad.ok and errors(bad) == [(3, "code", "error.catalog_csv_unknown_product"),
                                          (4, "price", "error.amount_range"),
                                          (5, "code", "error.catalog_csv_duplicate")]
    assert demo.committed_state() == before
    good = csv_import.import_price_entries(session=demo.session, actor=staff, book_id=book.id,
                                           data="Code;Price\nPRN-100;460\nlap-140;1 050,00\n")
    assert (good.ok, good.created, good.updated) == (True, 1, 1)
    entries = {e.product_id: e.price_cents for e in demo.session.exec(
        select(PriceBookEntry).where(PriceBookEntry.price_book_id == book.id)).all()}
    assert entries == {pid(demo, "PRN-100"): 46000, pid(demo, "LAP-140"): 105000}
    with pytest.raises(NotFound):
        csv_import.import_price_entries(session=demo.session, actor=staff, book_id=999999, data="code,price\n")


def test_imports_are_staffs(demo):
    for call, kwargs in ((csv_import.import_products, {}), (csv_import.import_price_entries, {"book_id": 1})):
        with pytest.raises(PermissionDenied):
            call(session=demo.session, actor=demo.actor(ACME), data="code,name\nA-1,x\n", **kwargs)
