"""Garbage arguments to the shop's services: every one answers with a ServiceError (or, for CSV
imports, a report that imported nothing), never a crash; ids, numbers, quantities, prices, flags
and forms refuse such values; a refused call leaves the database as it was (as
`test_garbage_inputs.py` does for the other services)."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from portal_app.services.catalog import admin, cart, csv_import, opportunities, orders, products, quotes
from portal_app.services.errors import ServiceError

from catalog_world import ACME, STAFF, fill, pid
from test_garbage_inputs import GARBAGE, Call, S

FORM_KEYS = ("code", "name", "list_price", "vat_rate", "currency", "orderable", "category_id", "description", "unit",
             "valid_from", "valid_to", "active", "lines", "expires_on", "answer", "stage", "amount", "probability",
             "expected_close", "owner_name")
FORM_GARBAGE = {f"form_of_{name}": dict.fromkeys(FORM_KEYS, value) for name, value in GARBAGE.items()
                if name not in ("none", "empty")}


def _ids(d: Any) -> dict[str, Any]:
    return {"acme": d.company("Acme Oy").id, "printer": pid(d, "PRN-100"), "book": admin.list_price_books(
        session=d.session, actor=d.actor(STAFF)).rows[1].id}


CALLS: dict[str, Call] = {
    "list_products": Call(products.list_products, ACME, lambda d: {"search": "", "category": None, "sort": "name",
                                                                    "descending": False, "offset": 0, "limit": 25,
                                                                    "company_id": None, "include_archived": False},
                          strict=S("sort", "descending", "offset", "limit", "include_archived", "category"),
                          blank_ok=S("search", "category", "company_id")),
    "list_products/staff": Call(products.list_products, STAFF, lambda d: {"company_id": d.ids["acme"]},
                                strict=S("company_id"), blank_ok=S("company_id")),
    "get_product": Call(products.get_product, ACME, lambda d: {"code": "PRN-100"}, strict=S("code")),
    "add_to_cart": Call(cart.add_to_cart, ACME, lambda d: {"product_id": d.ids["printer"], "quantity": "1"},
                        strict=S("product_id", "quantity")),
    "set_quantity": Call(cart.set_quantity, ACME, lambda d: {"product_id": d.ids["printer"], "quantity": "2"},
                         strict=S("product_id", "quantity")),
    "remove_from_cart": Call(cart.remove_from_cart, ACME, lambda d: {"product_id": d.ids["printer"]},
                             strict=S("product_id")),
    "request_quote": Call(quotes.request_quote, ACME, lambda d: {"message": "", "wanted_delivery_date": None,
                                                                  "submission_id": None},
                          strict=S("wanted_delivery_date", "submission_id"),
                          blank_ok=S("message", "wanted_delivery_date", "submission_id")),
    "place_order": Call(orders.place_order, ACME, lambda d: {"message": "", "wanted_delivery_date": None,
                                                              "submission_id": None},
                        strict=S("wanted_delivery_date", "submission_id"),
                        blank_ok=S("message", "wanted_delivery_date", "submission_id")),
    "list_quotes": Call(quotes.list_quotes, STAFF, lambda d: {"status": None, "search": "", "sort": "number",
                                                              "descending": True, "offset": 0, "limit": 25,
                                                              "company_id": None},
                        strict=S("status", "sort", "descending", "offset", "limit", "company_id"),
                        blank_ok=S("status", "search", "company_id")),
    "get_quote": Call(quotes.get_quote, ACME, lambda d: {"number": 1002}, strict=S("number")),
    "accept_quote": Call(quotes.accept_quote, ACME, lambda d: {"number": 1002}, strict=S("number")),
    "decline_quote": Call(quotes.decline_quote, ACME, lambda d: {"number": 1002, "reason": ""}, strict=S("number"),
                          blank_ok=S("reason")),
    "send_quote": Call(quotes.send_quote, STAFF, lambda d: {"number": 1001, "data": {}}, strict=S("number", "data")),
    "list_orders": Call(orders.list_orders, STAFF, lambda d: {"status": None, "sort": "number", "offset": 0,
                                                              "limit": 25},
                        strict=S("status", "sort", "offset", "limit"), blank_ok=S("status")),
    "set_order_status": Call(orders.set_order_status, STAFF, lambda d: {"number": 1001, "status": "shipped"},
                             strict=S("number", "status")),
    "create_product": Call(admin.create_product, STAFF, lambda d: {"data": {"code": "G-1", "name": "G",
                                                                            "list_price": "1"}}, strict=S("data")),
    "update_product": Call(admin.update_product, STAFF, lambda d: {"product_id": d.ids["printer"],
                                                                    "data": {"name": "Printer"}},
                           strict=S("product_id", "data")),
    "set_product_archived": Call(admin.set_product_archived, STAFF, lambda d: {"product_id": d.ids["printer"],
                                                                                "archived": True},
                                 strict=S("product_id", "archived")),
    "set_product_image": Call(admin.set_product_image, STAFF, lambda d: {"product_id": d.ids["printer"],
                                                                          "data": b"GIF89a" + b"\0" * 20},
                              strict=S("product_id", "data")),
    "create_price_book": Call(admin.create_price_book, STAFF, lambda d: {"data": {"name": "Garbage"}},
                              strict=S("data")),
    "set_entry": Call(admin.set_entry, STAFF, lambda d: {"book_id": d.ids["book"], "product_id": d.ids["printer"],
                                                         "price": "1"}, strict=S("book_id", "product_id", "price")),
    "assign_price_book": Call(admin.assign_price_book, STAFF, lambda d: {"company_id": d.ids["acme"],
                                                                          "book_id": d.ids["book"]},
                              strict=S("company_id", "book_id")),
    "create_opportunity": Call(opportunities.create_opportunity, STAFF, lambda d: {"company_id": d.ids["acme"],
                                                                                    "data": {"name": "G"}},
                               strict=S("company_id", "data")),
    "import_products": Call(csv_import.import_products, STAFF, lambda d: {"data": "code,name,list_price\nG-2,G,1\n"},
                            strict=S("data")),
    "import_price_entries": Call(csv_import.import_price_entries, STAFF, lambda d: {
        "book_id": d.ids["book"], "data": "code,price\nPRN-100,1\n"}, strict=S("book_id", "data")),
}


def slots(call: Call) -> list[str]:
    return [n for n in inspect.signature(call.fn).parameters if n not in ("session", "actor", "now", "today")]


CASES = [pytest.param(name, slot, id=f"{name}-{slot}") for name, call in CALLS.items() for slot in slots(call)]


def attempt(demo: Any, call: Call, kwargs: dict[str, Any]) -> tuple[str, Any]:
    """("refused", error), ("crashed", what), or ("accepted", the result); the session rolled back."""
    try:
        result = call.fn(session=demo.session, actor=demo.actor(call.actor), **kwargs)
    except ServiceError as exc:
        return "refused", exc
    except Exception as exc:  # noqa: BLE001 - what this test is looking for
        return "crashed", f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        demo.session.rollback()
    if isinstance(result, csv_import.ImportReport) and not result.ok:
        return "refused", result  # an import answers with its report: nothing imported
    return "accepted", result


def must_refuse(name: str, call: Call, slot: str, label: str, value: Any) -> bool:
    if slot not in call.strict or (slot in call.blank_ok and value in (None, "")):
        return False
    if slot == "data" and isinstance(value, dict):
        return False  # a form with no known or no changed fields may be a no-op
    if slot in ("offset", "limit") and type(value) is int:
        return False  # whole numbers are clamped into range
    return (name, slot, label) != ("set_entry", "price", "zero")  # a price of 0.00 (free of charge) is a price


@pytest.mark.parametrize(("name", "slot"), CASES)
def test_bad_argument_gives_service_error(demo, name, slot, monkeypatch, tmp_path):
    monkeypatch.setattr(products, "settings", dataclasses.replace(products.settings, data_dir=tmp_path))
    demo.ids = _ids(demo)
    fill(demo, ACME, ("PRN-100", "1"))
    call = CALLS[name]
    values = dict(GARBAGE) | (FORM_GARBAGE if slot == "data" else {})
    problems = []
    for label, value in values.items():
        before = demo.committed_state()
        outcome, detail = attempt(demo, call, call.args(demo) | {slot: value})
        if outcome == "refused" and demo.committed_state() != before:
            problems.append(f"{label}: refused but the database changed")
        elif outcome == "crashed":
            problems.append(f"{label}: {detail}")
        elif outcome == "accepted" and must_refuse(name, call, slot, label, value):
            problems.append(f"{label}: accepted ({detail!r:.100})")
    assert not problems, "\n".join(problems)
