"""Staff's catalog: products (validation, unique codes, archive, pictures in the data folder),
categories, price books (dates, names, currency), entries, assignments and their CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date

import pytest

from portal_app.services import image_size
from portal_app.services.catalog import admin, products
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed

from catalog_world import ACME, GLOBEX, STAFF, pid

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def images(monkeypatch, tmp_path):
    monkeypatch.setattr(products, "settings", dataclasses.replace(products.settings, data_dir=tmp_path))
    return tmp_path / "product-images"


def test_product_form(demo):
    staff = demo.actor(STAFF)
    made = admin.create_product(session=demo.session, actor=staff, data={
        "code": "CAM-1", "name": " Web camera ", "list_price": "79,90", "vat_rate": "24", "unit": "pcs",
        "orderable": False, "category_id": None})
    assert (made.code, made.name, made.list_price_cents, made.vat_rate_bp, made.orderable, made.currency) == (
        "CAM-1", "Web camera", 7990, 2400, False, "EUR")
    with pytest.raises(ValidationFailed) as err:
        admin.create_product(session=demo.session, actor=staff, data={
            "code": "cam-1", "name": "", "list_price": "-1", "vat_rate": "x", "currency": "EURO", "orderable": "yes",
            "category_id": 999999})
    assert set(err.value.fields) == {"name", "list_price", "vat_rate", "currency", "orderable"}  # every error at once
    with pytest.raises(ValidationFailed) as err:
        admin.create_product(session=demo.session, actor=staff, data={"code": "cam-1", "name": "X", "list_price": "1"})
    assert err.value.fields == {"code": ("error.catalog_code_taken", {})}
    with pytest.raises(ValidationFailed) as err:
        admin.create_product(session=demo.session, actor=staff, data={"code": "A B", "name": "X", "list_price": "1"})
    assert err.value.fields == {"code": ("error.catalog_code", {})}
    with pytest.raises(ValidationFailed) as err:
        admin.create_product(session=demo.session, actor=staff, data={"code": "C-2", "name": "X", "list_price": "1",
                                                                      "category_id": 999999})
    assert err.value.fields == {"category_id": ("error.invalid", {})}
    changed = admin.update_product(session=demo.session, actor=staff, product_id=made.id, data={"name": "Camera HD"})
    assert (changed.name, changed.list_price_cents) == ("Camera HD", 7990)
    with pytest.raises(NotFound):
        admin.update_product(session=demo.session, actor=staff, product_id=999999, data={"name": "X"})
    with pytest.raises(PermissionDenied):
        admin.update_product(session=demo.session, actor=demo.actor(ACME), product_id=made.id, data={"name": "X"})


def test_pictures_live_in_the_data_folder_and_only_viewers_get_them(demo, images):
    staff, code = demo.actor(STAFF), "PRN-100"
    admin.set_product_image(session=demo.session, actor=staff, product_id=pid(demo, code), data=PNG)
    first = products.product_image(session=demo.session, actor=demo.actor(ACME), code=code)
    assert first.path.parent == images and first.content_type == "image/png" and first.file_name == "PRN-100.png"
    assert first.path.read_bytes() == PNG and products.get_product(session=demo.session, actor=demo.actor(ACME),
                                                                   code=code).has_image
    admin.set_product_image(session=demo.session, actor=staff, product_id=pid(demo, code), data=JPEG)
    second = products.product_image(session=demo.session, actor=demo.actor(GLOBEX), code=code)
    assert second.content_type == "image/jpeg" and not first.path.exists()  # the old file removed
    with pytest.raises(NotFound):  # no catalog module: no picture
        products.product_image(session=demo.session, actor=demo.actor("user@acme.example.com"), code=code)
    for bad, key in ((b"GIF", "error.catalog_image_type"), (b"%PDF-1.4 ...", "error.catalog_image_type"),
                     (b"", "error.catalog_image_empty"), ("text", "error.catalog_image_empty"),
                     (PNG + b"x" * (2 * 1024 * 1024), "error.catalog_image_too_large")):
        with pytest.raises(ValidationFailed) as err:
            admin.set_product_image(session=demo.session, actor=staff, product_id=pid(demo, code), data=bad)
        assert err.value.fields["image"][0] == key
    assert sorted(p.name for p in images.iterdir()) == [second.path.name]
    admin.remove_product_image(session=demo.session, actor=staff, product_id=pid(demo, code))
    assert list(images.iterdir()) == []
    with pytest.raises(NotFound):
        products.product_image(session=demo.session, actor=demo.actor(ACME), code=code)


def test_categories(demo):
    staff = demo.actor(STAFF)
    made = admin.create_category(session=demo.session, actor=staff, name="Furniture", position=9)
    with pytest.raises(ValidationFailed):
        admin.create_category(session=demo.session, actor=staff, name="furniture")
    admin.update_category(session=demo.session, actor=staff, category_id=made.id, name="Office furniture")
    assert "Office furniture" in [c.name for c in products.list_categories(session=demo.session, actor=staff)]
    assert "Office furniture" not in [c.name for c in products.list_categories(session=demo.session,
                                                                               actor=demo.actor(ACME))]  # empty
    networking = next(c for c in products.list_categories(session=demo.session, actor=staff) if c.name == "Networking")
    with pytest.raises(ValidationFailed) as err:
        admin.delete_category(session=demo.session, actor=staff, category_id=networking.id)
    assert err.value.fields == {"category": ("error.catalog_category_in_use", {"count": 6})}
    admin.delete_category(session=demo.session, actor=staff, category_id=made.id)


def test_price_books_entries_and_assignments(demo):
    staff, s = demo.actor(STAFF), demo.session
    globex = demo.company("Globex GmbH").id
    book = admin.create_price_book(session=s, actor=staff, data={
        "name": "Globex 2030", "valid_from": "2030-01-01", "valid_to": "2030-12-31"})
    assert (book.currency, book.active, book.valid_today, book.entries, book.companies) == ("EUR", True, False, 0, 0)
    for data, field in (({"name": "globex 2030"}, "name"), ({"name": "X", "valid_from": "2030-02-01",
                                                             "valid_to": "2030-01-01"}, "valid_to"),
                        ({"name": "Y", "valid_from": "31.12.2030"}, "valid_from"), ({"name": ""}, "name"),
                        ({"name": "Z", "currency": "XYZ"}, "currency"), ({"name": "W", "active": "yes"}, "active")):
        with pytest.raises(ValidationFailed) as err:
            admin.create_price_book(session=s, actor=staff, data=data)
        assert field in err.value.fields
    entry = admin.set_entry(session=s, actor=staff, book_id=book.id, product_id=pid(demo, "PRN-100"), price="455")
    assert (entry.code, entry.price_cents, entry.list_price_cents) == ("PRN-100", 45500, 49900)
    admin.set_entry(session=s, actor=staff, book_id=book.id, product_id=pid(demo, "PRN-100"), price="450")
    admin.set_entry(session=s, actor=staff, book_id=book.id, product_id=pid(demo, "LAP-140"), price="1000")
    page = admin.list_entries(session=s, actor=staff, book_id=book.id, search="laptop")
    assert [(r.code, r.price_cents) for r in page.rows] == [("LAP-140", 100000)] and page.currency == "EUR"
    admin.assign_price_book(session=s, actor=staff, company_id=globex, book_id=book.id)
    admin.assign_price_book(session=s, actor=staff, company_id=globex, book_id=book.id)  # twice: once
    table = admin.list_assignments(session=s, actor=staff, today=date(2030, 6, 1))
    assert [(r.company_name, r.book_name, r.in_effect) for r in table.rows] == [
        ("Acme Oy", "Acme 2025", False), ("Acme Oy", "Acme 2026", True), ("Globex GmbH", "Globex 2030", True)]
    assert admin.list_assignments(session=s, actor=staff, company_id=globex, today=date(2031, 1, 1)).rows[0].in_effect \
        is False
    name, text = admin.assignments_csv(session=s, actor=staff, search="globex", today=date(2030, 6, 1))
    assert list(csv.reader(io.StringIO(text)))[1] == ["Globex GmbH", "Globex 2030", "EUR", "2030-01-01", "2030-12-31",
                                                      "yes", "yes"]
    row = admin.get_price_book(session=s, actor=staff, book_id=book.id, today=date(2030, 6, 1))
    assert (row.entries, row.companies, row.valid_today) == (2, 1, True)
    admin.update_price_book(session=s, actor=staff, book_id=book.id, data={"active": False})
    got = products.list_products(session=s, actor=demo.actor(GLOBEX), today=date(2030, 6, 1), search="PRN-100")
    assert got.price_book == "" and got.rows[0].price_cents == 49900  # inactive: list prices
    admin.unassign_price_book(session=s, actor=staff, company_id=globex, book_id=book.id)
    admin.remove_entry(session=s, actor=staff, book_id=book.id, product_id=pid(demo, "LAP-140"))
    admin.delete_price_book(session=s, actor=staff, book_id=book.id)
    with pytest.raises(NotFound):
        admin.get_price_book(session=s, actor=staff, book_id=book.id)
    assert [r.name for r in admin.list_price_books(session=s, actor=staff).rows] == ["Acme 2025", "Acme 2026"]


def _png(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x06" + b"\x00" * 40


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0\x00\x11\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big") + b"\x03" + b"\x00" * 9
    return b"\xff\xd8" + app0 + sof + b"\x00" * 20


def _webp_x(width: int, height: int) -> bytes:
    return (b"RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00"
            + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little") + b"\x00" * 20)


def test_a_pictures_size_in_pixels_is_read_from_its_header():
    assert image_size.declared_size(_png(640, 480), "image/png") == (640, 480)
    assert image_size.declared_size(_jpeg(6000, 4000), "image/jpeg") == (6000, 4000)
    assert image_size.declared_size(b"GIF89a" + (300).to_bytes(2, "little") + (200).to_bytes(2, "little") + b"\x00" * 8,
                               "image/gif") == (300, 200)
    assert image_size.declared_size(_webp_x(1024, 768), "image/webp") == (1024, 768)
    lossless = b"RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2f" + ((99) | (49 << 14)).to_bytes(4, "little")
    assert image_size.declared_size(lossless, "image/webp") == (100, 50)
    assert image_size.declared_size(PNG, "image/png") is None and image_size.declared_size(JPEG, "image/jpeg") is None


@pytest.mark.parametrize("picture", [_png(20000, 20000), _jpeg(9000, 100), _webp_x(5000, 5000)],
                         ids=["png-20000-square", "jpeg-9000-wide", "webp-25-megapixels"])
def test_a_picture_too_large_in_pixels_is_refused_however_small_its_file(demo, images, picture):
    """A few KB that declare 20,000 x 20,000 pixels would take 1.6 GB to show on a phone."""
    with pytest.raises(ValidationFailed) as err:
        admin.set_product_image(session=demo.session, actor=demo.actor(STAFF), product_id=pid(demo, "PRN-100"),
                                data=picture)
    assert err.value.fields == {"image": ("error.catalog_image_pixels", {"max": 8000})}
    assert not images.exists() or list(images.iterdir()) == []  # nothing written
    admin.set_product_image(session=demo.session, actor=demo.actor(STAFF), product_id=pid(demo, "PRN-100"),
                            data=_jpeg(6000, 4000))  # a camera's photo fits
