"""GET /api/admin/price-book-assignments.csv (staff's table of which company has which price book, one
book's with ?book=) and /api/catalog/price-list.csv (the caller's company's prices): the session
cookie checked each time, UTF-8 with a byte order mark, anyone else answered 404."""

import csv
import io

from sqlmodel import Session, select

from portal_app.db import get_engine
from portal_app.models import Account, Product
from portal_app.services.actor import build_actor
from portal_app.services.catalog import admin, products

from http_kit import client_as, deleting_the_file


def _rows(response) -> list[list[str]]:  # noqa: ANN001
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_staff_downloads_the_price_book_assignments(client):  # (the fixture seeds the database)
    response = client_as("staff@example.com").get("/api/admin/price-book-assignments.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = _rows(response)
    assert rows[0][:3] == ["Company", "Price book", "Currency"]
    assert {row[0] for row in rows[1:]} == {"Acme Oy"}  # the demo's books are Acme's
    one_book = _rows(client_as("staff@example.com").get("/api/admin/price-book-assignments.csv?book=1"))
    assert len({row[1] for row in one_book[1:]}) == 1
    assert _rows(client_as("staff@example.com").get("/api/admin/price-book-assignments.csv?book=999"))[1:] == []


def test_nobody_else_gets_the_assignments(client):
    for who in ("admin@acme.example.com", "user@acme.example.com", "partner@partner.example.com", None):
        caller = client_as(who) if who else client  # (a visitor: no cookie)
        assert caller.get("/api/admin/price-book-assignments.csv").status_code == 404, who
        assert caller.get("/api/admin/price-book-assignments.csv?book=1").status_code == 404, who


def test_the_price_list_is_the_callers_companys(client):
    rows = _rows(client_as("admin@acme.example.com").get("/api/catalog/price-list.csv"))
    assert rows[0][0] == "Code" and len(rows) > 10
    assert client_as("user@acme.example.com").get("/api/catalog/price-list.csv").status_code == 404  # no Catalog


def _staff_sets_a_picture(code: str, data: bytes) -> None:
    with Session(get_engine()) as session:
        staff = build_actor(session, session.exec(select(Account).where(Account.email == "staff@example.com")).one())
        product_id = session.exec(select(Product.id).where(Product.code == code)).one()
        admin.set_product_image(session=session, actor=staff, product_id=product_id, data=data)


def test_a_products_picture_is_for_those_who_see_the_catalog(client):
    picture = b"\x89PNG\r\n\x1a\n" + b"\x02" * 64
    _staff_sets_a_picture("PRN-100", picture)
    response = client_as("admin@acme.example.com").get("/api/catalog/PRN-100/image")
    assert response.status_code == 200 and response.content == picture
    assert response.headers["content-type"] == "image/png" and "inline" in response.headers["content-disposition"]
    assert "private" in response.headers["cache-control"]
    for who in ("user@acme.example.com", None):  # no Catalog module; a visitor
        caller = client_as(who) if who else client
        assert caller.get("/api/catalog/PRN-100/image").status_code == 404, who


def test_a_picture_replaced_while_it_is_asked_for_is_not_found_not_an_error(client, monkeypatch):
    """Staff replace a picture while a catalog page shows the old one: the old file is deleted between
    the route finding it and sending it. The answer is a 404, not a server error."""
    _staff_sets_a_picture("PRN-100", b"\x89PNG\r\n\x1a\n" + b"\x03" * 64)
    monkeypatch.setattr(products, "product_image", deleting_the_file(products.product_image))
    assert client_as("admin@acme.example.com").get("/api/catalog/PRN-100/image").status_code == 404
