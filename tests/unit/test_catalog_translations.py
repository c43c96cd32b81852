"""The catalog in the reader's language: product names, descriptions and units and category names staff
wrote in the other languages (services/catalog/product_texts.py), in lists, sorted by them, found
by them, on the product page, in the cart and on what the cart becomes; refused texts at their
fields; the demo's catalog in Finnish, German and Italian."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import select

from portal_app.models import Product, ProductCategory, ProductText
from portal_app.services.catalog import admin, cart, csv_import, products, quotes
from portal_app.services.errors import ValidationFailed

from catalog_world import ACME, STAFF, fill, pid


def _as(demo, email: str, lang: str):
    return dataclasses.replace(demo.actor(email), language=lang)


def _names(demo, actor, lang, **query) -> list[str]:
    return [r.name for r in products.list_products(session=demo.session, actor=actor, lang=lang, limit=200,
                                                   **query).rows]


@pytest.fixture
def furniture(demo):
    """A category of its own with five products, two of them without a Finnish name."""
    staff = demo.actor(STAFF)
    category = admin.create_category(session=demo.session, actor=staff, name="Furniture", position=9,
                                     texts={"name_fi": "Huonekalut", "name_de": "", "name_it": ""})
    rows = [("FUR-1", "Desk", "Työpöytä"), ("FUR-2", "Chair", "Tuoli"), ("FUR-3", "Bookshelf", ""),
            ("FUR-4", "Armchair", "Nojatuoli"), ("FUR-5", "Wardrobe", "")]
    for code, name, fi in rows:
        admin.create_product(session=demo.session, actor=staff, data={
            "code": code, "name": name, "list_price": "100", "category_id": category.id,
            "name_fi": fi, "description_fi": f"{fi} toimistoon." if fi else ""})
    return category


def test_a_reader_gets_the_names_of_their_language_sorted_by_them(demo, furniture):
    staff = demo.actor(STAFF)
    english = _names(demo, _as(demo, ACME, "en"), "en", category=furniture.id)
    assert english == ["Armchair", "Bookshelf", "Chair", "Desk", "Wardrobe"]
    finnish = _names(demo, _as(demo, ACME, "fi"), "fi", category=furniture.id)
    # Finnish names where staff wrote them, the default name elsewhere, all in one order
    assert finnish == ["Bookshelf", "Nojatuoli", "Tuoli", "Työpöytä", "Wardrobe"]
    assert _names(demo, _as(demo, ACME, "fi"), "fi", category=furniture.id, descending=True) == finnish[::-1]
    # pages of two walk the same order
    pages = [r.name for offset in (0, 2, 4) for r in products.list_products(
        session=demo.session, actor=_as(demo, ACME, "fi"), lang="fi", category=furniture.id, offset=offset,
        limit=2).rows]
    assert pages == finnish
    # German has no names for these: the default ones
    assert _names(demo, _as(demo, ACME, "de"), "de", category=furniture.id) == english
    # the category's name follows too; staff's own list (no language) keeps the stored texts
    rows = products.list_products(session=demo.session, actor=_as(demo, ACME, "fi"), lang="fi",
                                  category=furniture.id).rows
    assert {r.category for r in rows} == {"Huonekalut"}
    assert {(r.name, r.text_langs["name"], r.text_langs["category"]) for r in rows} == {
        ("Bookshelf", "en", "fi"), ("Nojatuoli", "fi", "fi"), ("Tuoli", "fi", "fi"), ("Työpöytä", "fi", "fi"),
        ("Wardrobe", "en", "fi")}
    assert _names(demo, staff, None, category=furniture.id) == english
    assert products.list_products(session=demo.session, actor=staff, category=furniture.id).rows[0].category == "Furniture"
    # sorting by code or price is untouched; rows still carry their Finnish names
    by_code = _names(demo, _as(demo, ACME, "fi"), "fi", category=furniture.id, sort="code")
    assert by_code == ["Työpöytä", "Tuoli", "Bookshelf", "Nojatuoli", "Wardrobe"]


def test_the_whole_catalog_in_finnish_is_in_finnish_order(demo, furniture):
    fi = _as(demo, ACME, "fi")
    names = _names(demo, fi, "fi")
    total = products.list_products(session=demo.session, actor=fi, lang="en").total
    assert len(names) == total == 35  # every product the contact sees, once
    assert names == sorted(names)
    assert "Toimistotulostin" in names and "Office printer" not in names  # the demo's Finnish names
    assert _names(demo, fi, "fi", descending=True) == sorted(names, reverse=True)


def test_a_search_finds_a_product_by_any_of_its_names(demo, furniture):
    en, fi = _as(demo, ACME, "en"), _as(demo, ACME, "fi")
    assert _names(demo, en, "en", search="nojatuoli") == ["Armchair"]  # a Finnish name, an English reader
    assert _names(demo, fi, "fi", search="armchair") == ["Nojatuoli"]
    assert _names(demo, fi, "fi", search="toimistotulostin") == ["Toimistotulostin"]
    assert _names(demo, en, "en", search="burodrucker") == ["Office printer"]  # accents folded, German name
    # a search's matches are sorted by the reader's names too
    assert _names(demo, fi, "fi", search="fur") == ["Bookshelf", "Nojatuoli", "Tuoli", "Työpöytä", "Wardrobe"]


def test_the_product_page_and_the_category_menu_in_the_readers_language(demo, furniture):
    fi = _as(demo, ACME, "fi")
    page = products.get_product(session=demo.session, actor=fi, code="FUR-4", lang="fi")
    assert (page.name, page.description, page.category) == ("Nojatuoli", "Nojatuoli toimistoon.", "Huonekalut")
    assert page.unit == ""  # none written for it in Finnish, none of its own: ''
    assert page.text_langs == {"name": "fi", "description": "fi", "unit": "en", "category": "fi"}
    printer = products.get_product(session=demo.session, actor=fi, code="PRN-100", lang="fi")
    assert (printer.name, printer.unit) == ("Toimistotulostin", "kpl")
    assert products.get_product(session=demo.session, actor=fi, code="PRN-100", lang="de").unit == "Stk."
    plain = products.get_product(session=demo.session, actor=fi, code="FUR-3", lang="fi")
    assert (plain.name, plain.description) == ("Bookshelf", "")
    # the English name on a Finnish page says it is English (a screen reader's voice, WCAG 3.1.2)
    assert plain.text_langs == {"name": "en", "description": "en", "unit": "en", "category": "fi"}
    english = products.get_product(session=demo.session, actor=fi, code="FUR-4", lang="en")
    assert (english.name, english.category) == ("Armchair", "Furniture")
    menu = {c.name for c in products.list_categories(session=demo.session, actor=fi, lang="fi")}
    assert {"Huonekalut", "Tulostimet ja skannerit", "Verkot"} <= menu
    assert "Drucker und Scanner" in {c.name for c in products.list_categories(session=demo.session, actor=fi,
                                                                               lang="de")}


def test_the_cart_and_a_quote_request_carry_the_names_the_contact_read(demo, furniture):
    fill(demo, ACME, ("FUR-4", "1"), ("FUR-3", "1"), ("PAP-500", "2"))
    fi = _as(demo, ACME, "fi")
    lines = cart.view_cart(session=demo.session, actor=fi).lines
    assert [(li.name, li.unit) for li in lines] == [("Nojatuoli", ""), ("Bookshelf", ""),
                                                   ("Kopiopaperi A4, 5 x 500 arkkia", "ltk")]
    with pytest.raises(ValidationFailed) as err:  # the unit said as the contact reads it
        cart.set_quantity(session=demo.session, actor=fi, product_id=pid(demo, "PAP-500"), quantity="1,5")
    assert err.value.fields["quantity"] == ("error.catalog_whole_units", {"unit": "ltk"})
    made = quotes.request_quote(session=demo.session, actor=fi, message="")
    quote = quotes.get_quote(session=demo.session, actor=demo.actor(STAFF), number=made.number)
    assert [(li.name, li.unit) for li in quote.lines] == [("Nojatuoli", ""), ("Bookshelf", ""),
                                                         ("Kopiopaperi A4, 5 x 500 arkkia", "ltk")]


def test_staff_writes_changes_and_removes_a_products_other_names(demo):
    staff, product_id = demo.actor(STAFF), pid(demo, "PRN-300")
    form = admin.get_product_by_code(session=demo.session, actor=staff, code="PRN-300")
    assert form.translations["fi"] == {"name": "Tarratulostin", "unit": "kpl",
                                       "description": "Tarratulostin. Toimitus ja tuki palvelutiimiltämme."}
    admin.update_product(session=demo.session, actor=staff, product_id=product_id,
                         data={"name_fi": "Etikettitulostin", "description_fi": "", "name_de": "", "name_it": "  "})
    form = admin.get_product_by_code(session=demo.session, actor=staff, code="PRN-300")
    assert form.translations == {"fi": {"name": "Etikettitulostin"}}
    stored = demo.session.get(Product, product_id)
    assert "etikettitulostin" in stored.search_text and "etikettendrucker" not in stored.search_text
    # a form without those fields leaves them; renaming the product keeps them in the search
    admin.update_product(session=demo.session, actor=staff, product_id=product_id, data={"name": "Sticker printer"})
    assert admin.get_product_by_code(session=demo.session, actor=staff, code="PRN-300").translations == {
        "fi": {"name": "Etikettitulostin"}}
    assert demo.session.get(Product, product_id).search_text == "prn-300 sticker printer etikettitulostin"


def test_refused_texts_are_said_at_their_fields_and_nothing_is_saved(demo):
    staff, product_id = demo.actor(STAFF), pid(demo, "PRN-300")
    with pytest.raises(ValidationFailed) as err:
        admin.update_product(session=demo.session, actor=staff, product_id=product_id, data={
            "name": "", "name_fi": "x" * 201, "name_de": "", "description_de": "Nur eine Beschreibung",
            "name_it": "Etichettatrice"})
    assert set(err.value.fields) == {"name", "name_fi", "name_de"}
    assert err.value.fields["name_de"] == ("error.catalog_translation_name", {})
    demo.session.rollback()
    form = admin.get_product_by_code(session=demo.session, actor=staff, code="PRN-300")
    assert form.name == "Label printer" and form.translations["it"]["name"] == "Stampante per etichette"
    with pytest.raises(ValidationFailed) as err:
        admin.create_product(session=demo.session, actor=staff, data={
            "code": "NEW-1", "name": "New", "list_price": "1", "name_fi": "Kello\x07"})
    assert set(err.value.fields) == {"name_fi"}
    assert demo.session.exec(select(Product).where(Product.code == "NEW-1")).first() is None


def test_a_category_is_renamed_in_every_language(demo, furniture):
    staff = demo.actor(STAFF)
    admin.update_category(session=demo.session, actor=staff, category_id=furniture.id, name="Office furniture",
                          texts={"name_fi": "Toimistokalusteet", "name_de": "Büromöbel", "name_it": ""})
    stored = demo.session.get(ProductCategory, furniture.id)
    assert (stored.name, stored.translations) == ("Office furniture", {"fi": {"name": "Toimistokalusteet"},
                                                                       "de": {"name": "Büromöbel"}})
    # a rename without the other languages keeps them
    admin.update_category(session=demo.session, actor=staff, category_id=furniture.id, name="Furniture")
    assert demo.session.get(ProductCategory, furniture.id).translations["de"] == {"name": "Büromöbel"}
    with pytest.raises(ValidationFailed) as err:
        admin.update_category(session=demo.session, actor=staff, category_id=furniture.id, name="",
                              texts={"name_fi": "y" * 101})
    assert set(err.value.fields) == {"name", "name_fi"}
    staff_view = {c.name: c.translations for c in products.list_categories(session=demo.session, actor=staff)}
    assert staff_view["Furniture"]["fi"] == {"name": "Toimistokalusteet"}
    customer_view = products.list_categories(session=demo.session, actor=demo.actor(ACME))
    assert all(c.translations == {} for c in customer_view)  # only staff's form reads them


def test_a_csv_import_keeps_the_other_names_in_the_search(demo):
    staff = demo.actor(STAFF)
    report = csv_import.import_products(session=demo.session, actor=staff,
                                        data=b"code,name\nPRN-100,Office printer XL\n")
    assert report.ok
    stored = demo.session.get(Product, pid(demo, "PRN-100"))
    assert stored.search_text.startswith("prn-100 office printer xl ") and "toimistotulostin" in stored.search_text
    assert demo.session.exec(select(ProductText).where(ProductText.product_id == stored.id)).all()


def test_a_csv_import_writes_the_other_languages_and_refuses_a_description_without_a_name(demo):
    staff = demo.actor(STAFF)
    bad = ("code;name;list_price;name_fi;description_de;name_it\n"
           "NEW-7;Shredder;99;Silppuri;Ein Aktenvernichter.;\n"  # no German name, none stored: refused
           "PRN-300;Label printer;;" + "x" * 201 + ";;\n").encode()
    report = csv_import.import_products(session=demo.session, actor=staff, data=bad)
    assert not report.ok and {(e.row, e.column, e.key) for e in report.errors} == {
        (2, "name_de", "error.catalog_translation_name"), (3, "name_fi", "error.too_long")}
    assert demo.session.exec(select(Product).where(Product.code == "NEW-7")).first() is None

    good = ("code;name;list_price;name_fi;description_de;name_it\n"
            "NEW-7;Shredder;99;Silppuri;;Distruggidocumenti\n"
            "PRN-300;Label printer;;;Ein Etikettendrucker für Regale.;\n").encode()  # German name stored: fine
    report = csv_import.import_products(session=demo.session, actor=staff, data=good)
    assert report.ok and (report.created, report.updated) == (1, 1)
    shredder = admin.get_product_by_code(session=demo.session, actor=staff, code="NEW-7")
    assert shredder.translations == {"fi": {"name": "Silppuri"}, "it": {"name": "Distruggidocumenti"}}
    assert "silppuri" in demo.session.get(Product, shredder.id).search_text
    label = admin.get_product_by_code(session=demo.session, actor=staff, code="PRN-300").translations
    # the empty Finnish cell left the Finnish texts; the German description joined the stored name
    assert label["fi"]["name"] == "Tarratulostin"
    assert label["de"] == {"name": "Etikettendrucker", "description": "Ein Etikettendrucker für Regale.",
                           "unit": "Stk."}
    assert _names(demo, _as(demo, ACME, "it"), "it", search="NEW-7") == ["Distruggidocumenti"]


def test_the_price_list_csv_is_in_the_contacts_language(demo):
    _, text = products.price_list_csv(session=demo.session, actor=_as(demo, ACME, "de"))
    row = next(r for r in text.splitlines() if r.startswith("PRN-100"))
    assert row.startswith("PRN-100;Bürodrucker;Drucker und Scanner;Stk.;")  # as a German spreadsheet splits a row
    assert text.splitlines()[0] == ("\ufeffCode;Name;Kategorie;Einheit;Listenpreis;Währung des Listenpreises;Ihr Preis;"
                                    "Währung;MwSt. %;Bestellbar")  # the header and its words in German too
    assert ";auf Anfrage;" in next(r for r in text.splitlines() if r.startswith("SRV-200"))
    _, staff_text = products.price_list_csv(session=demo.session, actor=_as(demo, STAFF, "de"))
    assert next(r for r in staff_text.splitlines() if r.startswith("PRN-100")).startswith(
        "PRN-100;Office printer;Printers and scanners;pcs;")
