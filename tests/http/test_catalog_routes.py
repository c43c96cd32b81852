"""GET /api/admin/price-book-assignments.csv (staff's table of which company has which price book, one
book's with ?book=) and /api/catalog/price-list.csv (the caller's company's prices): the session
cookie checked each time, UTF-8 with a byte order mark, anyone else answered 404."""

import csv
import io

from http_kit import client_as


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
