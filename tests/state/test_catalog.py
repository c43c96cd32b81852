"""The customer catalog states for the right actors: the catalog list read from its URL query (garbage
falls back to the default view) with each company's prices, "Add to cart" on a row and on a
product's page (quantity errors next to the field, nothing written), the cart (quantities, remove,
"Request a quote", "Place order" only when every line may be ordered, one request per submission
id), a quote's Accept and Decline (refused once it has expired), the quote and order pages
following changes made elsewhere at the next tick, the company's open opportunities, and every
page for a contact without the module: lists and documents unavailable, another company's
number answering exactly like a number that does not exist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, update
from sqlmodel import select
from statekit import Portal, redirect_path, shown_address

from portal_app.db import session_scope
from portal_app.i18n import format_day
from portal_app.local_time import today as local_today
from portal_app.models import (
    CartLine, Contact, PortalProfile, Product, ProductCategory, QuoteRequest, SalesOrder, utcnow,
)
from portal_app.services.portal import profiles
from portal_app.services.accounts import auth
from portal_app.services.catalog import cart as carts
from portal_app.services.catalog import admin as catalog_admin
from portal_app.services.catalog import orders, quotes
from portal_app.state.catalog.browse import CartState, CatalogState, ProductState
from portal_app.state.catalog.documents import OrderListState, OrderPageState, QuoteListState, QuotePageState
from portal_app.state.catalog.opportunities import OpportunityListState

# --- helpers ---------------------------------------------------------------------------------------


def _loaded(portal: Portal, cls: type, who: str, url: str):  # noqa: ANN202
    inst = portal.state(cls, who, url=url)
    portal.call(inst, "load")
    return inst


def _catalog(portal: Portal, who: str, query: str = "") -> CatalogState:
    return _loaded(portal, CatalogState, who, "/catalog" + (f"?{query}" if query else ""))


def _one(statement):  # noqa: ANN001, ANN202
    """The one row a query finds, read with a fresh session."""
    with session_scope() as s:
        return s.exec(statement).one()


def _product_id(code: str) -> int:
    return _one(select(Product.id).where(Product.code == code))


def _category_id(name: str) -> int:
    return _one(select(ProductCategory.id).where(ProductCategory.name == name))


def _cart(email: str) -> list[tuple[str, int]]:
    """(code, quantity in thousandths) of the contact's cart lines, from the database."""
    with session_scope() as s:
        contact_id = s.exec(select(Contact.id).where(Contact.email == email)).one()
        return [(code, milli) for code, milli in s.exec(
            select(Product.code, CartLine.quantity_milli).join(Product, Product.id == CartLine.product_id)
            .where(CartLine.contact_id == contact_id).order_by(CartLine.id)).all()]


def _fill_cart(portal: Portal, who: str, *items: tuple[str, str]) -> None:
    with session_scope() as s:
        for code, quantity in items:
            carts.add_to_cart(session=s, actor=portal.actor(who), product_id=_product_id(code), quantity=quantity)


def _count(model: type) -> int:
    return _one(select(func.count()).select_from(model))


def _quote(number: int) -> QuoteRequest:
    return _one(select(QuoteRequest).where(QuoteRequest.number == number))


ACME_ADMIN = "admin@acme.example.com"
# what a hostile client may send for a product id (987654: no such product)
GARBAGE_IDS = ["abc", None, True, 1.0, [1], {"id": 1}, -1, 0, 987654, 10**30, 2**63, "1 OR 1=1"]

# --- the catalog list ------------------------------------------------------------------------------


def test_each_company_sees_its_own_prices(portal: Portal):
    acme = _catalog(portal, "acme_admin", "q=PRN-100")
    assert acme.price_book == "Acme 2026" and [r["code"] for r in acme.rows] == ["PRN-100"]
    assert acme.rows[0]["price"] == "€449.00" and not acme.rows[0]["on_request"]
    service = _catalog(portal, "acme_admin", "q=SRV-200").rows[0]
    assert service["price"] == "Price on request" and service["on_request"]
    globex = _catalog(portal, "globex_admin", "q=PRN-100")
    assert globex.price_book == "" and globex.rows[0]["price"] == "€499.00"
    assert _catalog(portal, "globex_admin", "q=SRV-200").rows[0]["price"] == "€95.00"


def test_the_list_reads_its_view_from_the_address(portal: Portal):
    default = _catalog(portal, "acme_admin")
    assert default.loaded and not default.unavailable and not default.filtered
    assert default.total == 30 and len(default.rows) == 25 and default.pages == 2
    assert default.page_text == "Page 1 of 2 (30 products)"
    assert [r["name"] for r in default.rows] == sorted(r["name"] for r in default.rows)
    assert {"value": str(_category_id("Networking")), "label": "Networking (6)"} in default.categories
    second = _catalog(portal, "acme_admin", "page=2")
    assert second.page == 2 and len(second.rows) == 5 and not {r["code"] for r in second.rows} & {
        r["code"] for r in default.rows}
    networking = str(_category_id("Networking"))
    narrowed = _catalog(portal, "acme_admin", f"category={networking}&sort=-price&q=net")
    assert narrowed.filtered and narrowed.category == networking and narrowed.q == "net"
    # dearest first; the rack, on request for Acme, last
    assert [r["code"] for r in narrowed.rows] == ["NET-FW1", "NET-SW24", "NET-UPS", "NET-AP6", "NET-CAB5", "NET-RACK"]
    assert next(c for c in narrowed.columns if c["key"] == "price")["arrow"] == "▼"
    nonsense = _catalog(portal, "acme_admin", "category=abc&sort=password&page=-1&q=" + "%00" * 3)
    assert [r["code"] for r in nonsense.rows] == [r["code"] for r in default.rows]
    assert nonsense.page == 1 and not nonsense.filtered and nonsense.category == ""
    assert all(c["arrow"] == "" for c in nonsense.columns if c["key"] != "name")


def test_filters_show_their_view_at_a_new_address(portal: Portal):
    inst = _catalog(portal, "acme_admin", "q=printer")
    networking = str(_category_id("Networking"))
    assert shown_address(portal, inst, "set_category", networking) == f"/catalog?category={networking}&q=printer"
    assert inst.category == networking
    assert shown_address(portal, inst, "set_category", "") == "/catalog?q=printer"
    assert shown_address(portal, inst, "sort_by", "price") == "/catalog?q=printer&sort=price"
    assert shown_address(portal, inst, "search", {"q": "  toner "}) == "/catalog?q=toner&sort=price"
    assert [r["name"] for r in inst.rows] == [r["name"] for r in _catalog(portal, "acme_admin", "q=toner").rows]
    assert shown_address(portal, inst, "clear") == "/catalog"
    for garbage in ("987654", None, {}, "1 OR 1=1", 5):
        assert portal.call(inst, "set_category", garbage) is None
    assert portal.call(inst, "sort_by", "list_price_cents") is None
    assert portal.call(inst, "set_status", "archived") is None  # the catalog has no statuses
    assert portal.call(inst, "go_to_page", 2) is None  # the search found one page
    whole = _catalog(portal, "acme_admin")
    assert shown_address(portal, whole, "go_to_page", 2) == "/catalog?page=2" and whole.page == 2


def test_add_to_cart_on_a_row(portal: Portal):
    inst = _catalog(portal, "acme_admin", "q=PRN-100")
    assert inst.cart_count == 0 and inst.may_shop
    portal.call(inst, "add", _product_id("PRN-100"))
    assert not inst.errors and inst.added == "PRN-100" and inst.cart_count == 1
    portal.call(inst, "add", _product_id("PRN-100"))
    assert inst.cart_count == 1 and _cart(ACME_ADMIN) == [("PRN-100", 2000)]
    portal.call(inst, "add", _product_id("SRV-200"))  # on request: it may still go in, for a quote
    assert inst.cart_count == 2 and _cart(ACME_ADMIN) == [("PRN-100", 2000), ("SRV-200", 1000)]


def test_a_double_click_on_a_rows_add_adds_one(portal: Portal):
    inst = _catalog(portal, "acme_admin", "q=PRN-100")
    pid, click = _product_id("PRN-100"), inst.rows[0]["submission_id"]
    assert click
    portal.call(inst, "add", pid, click)
    portal.call(inst, "add", pid, click)  # the second click, sent before the first one's answer
    assert _cart(ACME_ADMIN) == [("PRN-100", 1000)] and inst.added == "PRN-100" and not inst.errors
    assert inst.rows[0]["submission_id"] not in ("", click)  # the row's next click adds again
    portal.call(inst, "add", pid, inst.rows[0]["submission_id"])
    assert _cart(ACME_ADMIN) == [("PRN-100", 2000)]
    before = portal.snapshot()
    for bad in (None, 1, ["x" * 20], "short", "x" * 65, "not an id!" * 3):
        portal.call(inst, "add", pid, bad)
        assert portal.snapshot() == before, bad


@pytest.mark.parametrize("product_id", GARBAGE_IDS)
def test_add_refuses_garbage_ids_and_writes_nothing(portal: Portal, product_id: object):
    inst = _catalog(portal, "acme_admin")
    before = portal.snapshot()
    portal.call(inst, "add", product_id)
    assert portal.snapshot() == before
    assert inst.added == "" and inst.cart_count == 0
    if isinstance(product_id, int) and not isinstance(product_id, bool):
        assert inst.errors.get("form")  # an id that is no product the contact may see


def test_a_contact_with_view_rights_only_sees_prices_but_cannot_add(portal: Portal):
    with session_scope() as s:  # staff gives the Primary contact profile view rights on the catalog only
        profile = s.exec(select(PortalProfile).where(PortalProfile.name == "Primary contact")).one()
        profiles.save_profile(session=s, actor=portal.actor("staff"), profile_id=profile.id, data={
            "name": profile.name, "module_access": {**profile.module_access, "catalog": "view"},
            "field_access": dict(profile.field_access)})
    inst = _catalog(portal, "acme_admin", "q=PRN-100")
    assert inst.rows and inst.rows[0]["price"] == "€449.00" and not inst.may_shop
    before = portal.snapshot()
    portal.call(inst, "add", _product_id("PRN-100"))
    assert inst.errors.get("form") and inst.added == "" and portal.snapshot() == before


# --- a product -------------------------------------------------------------------------------------


def _product(portal: Portal, who: str, code: str = "PRN-100") -> ProductState:
    return _loaded(portal, ProductState, who, f"/catalog/{code}")


def test_the_product_page_shows_the_companys_price(portal: Portal):
    inst = _product(portal, "acme_admin")
    assert inst.found and not inst.missing and inst.product["name"] == "Office printer"
    assert inst.product["price"] == "€449.00" and inst.product["vat"] == "25.5 %" and inst.in_cart == ""
    assert inst.description.startswith("Office printer.")
    assert _product(portal, "globex_admin").product["price"] == "€499.00"
    for code in ("prn-100", "NO-SUCH", "PRN-100%00", "..%2F..%2Fetc"):  # one spelling per product
        other = _product(portal, "acme_admin", code)
        assert other.missing and not other.found and other.product == {}


def test_add_from_the_product_page(portal: Portal):
    inst = _product(portal, "acme_admin")
    results = portal.call(inst, "add", {"quantity": "2"})
    assert not any(redirect_path(r) for r in results) and not inst.busy
    assert not inst.errors and inst.notice == "Office printer is in your cart."
    assert inst.in_cart == "2 pcs in your cart" and inst.cart_count == 1
    portal.call(inst, "add", {"quantity": "1,5"})  # a printer is sold whole: the message at the field
    assert inst.errors == {"quantity": "This product is sold in whole units (pcs): enter a whole number, like 2."}
    assert inst.in_cart == "2 pcs in your cart" and _cart(ACME_ADMIN) == [("PRN-100", 2000)]
    hours = _product(portal, "acme_admin", "SRV-210")  # remote support, by the hour
    portal.call(hours, "add", {"quantity": "1,5"})
    assert not hours.errors and hours.in_cart == "1.5 h in your cart"


def test_the_product_form_sent_twice_adds_once(portal: Portal):
    inst = _product(portal, "acme_admin")
    form = {"quantity": "1", "submission_id": inst.submission_id}
    assert inst.submission_id
    portal.call(inst, "add", form)
    portal.call(inst, "add", form)  # a double click: the same form twice
    assert _cart(ACME_ADMIN) == [("PRN-100", 1000)] and inst.notice and inst.in_cart == "1 pcs in your cart"
    assert inst.submission_id not in ("", form["submission_id"])
    portal.call(inst, "add", {"quantity": "1", "submission_id": inst.submission_id})  # clicked again later
    assert _cart(ACME_ADMIN) == [("PRN-100", 2000)]


@pytest.mark.parametrize(("quantity", "message"), [
    # the printer is sold in whole units: what is no number is told what it takes, not "like 1.5",
    # nor about parts of a unit ("1e6" has none)
    ("abc", "Enter a whole number, like 2."), ("1e6", "Enter a whole number, like 2."),
    ("1.5", "This product is sold in whole units (pcs): enter a whole number, like 2."),
    ("1.0001", "Too many decimals."),
    ("0", "Enter a quantity above 0, at most 1,000,000."), ("-1", "Enter a quantity above 0, at most 1,000,000."),
    ("1000001", "Enter a quantity above 0, at most 1,000,000.")])
def test_quantity_messages_say_what_a_quantity_takes(portal: Portal, quantity: str, message: str):
    """What the field takes, said for the product: the printer whole units only."""
    page = _product(portal, "acme_admin")
    portal.call(page, "add", {"quantity": quantity})
    assert page.errors == {"quantity": message}
    _fill_cart(portal, "acme_admin", ("PRN-100", "2"))
    cart = _cart_page(portal)
    portal.call(cart, "set_quantity", _product_id("PRN-100"), quantity)
    assert cart.line_errors == {str(_product_id("PRN-100")): message} and _cart(ACME_ADMIN) == [("PRN-100", 2000)]


def test_a_product_sold_by_measure_asks_for_a_number_with_decimals(portal: Portal):
    """Hours take decimals ("1,5" goes in as 1.5), so its message does not say "a whole number"."""
    page = _product(portal, "acme_admin", "SRV-200")
    portal.call(page, "add", {"quantity": "abc"})
    assert page.errors == {"quantity": "Enter a number, like 2, 1.5 or 1240.50."}


@pytest.mark.parametrize("quantity", ["abc", "0", "-1", "", "1.0001", "1000001", "9" * 40, "1e3", "NaN"])
def test_quantity_errors_come_back_next_to_the_field(portal: Portal, quantity: str):
    inst = _product(portal, "acme_admin")
    before = portal.snapshot()
    portal.call(inst, "add", {"quantity": quantity})
    assert portal.snapshot() == before
    assert set(inst.errors) == {"quantity"} and inst.errors["quantity"] and inst.notice == ""
    assert inst.cart_count == 0 and inst.in_cart == ""


def test_the_product_form_refuses_garbage(portal: Portal):
    inst = _product(portal, "acme_admin")
    before = portal.snapshot()
    for form in (None, "2", ["2"], {"quantity": 2}, {"quantity": ["2"]}, {"quantity": {"x": 1}}):
        portal.call(inst, "add", form)
        assert portal.snapshot() == before and inst.notice == "", form


def test_after_signing_out_elsewhere_add_says_nothing_went_in(portal: Portal):
    page = _product(portal, "acme_admin")
    listing = _catalog(portal, "acme_admin", "q=PRN-100")
    with session_scope() as s:  # signed out in another tab
        auth.logout(session=s, token=portal.token("acme_admin"))
    before = portal.snapshot()
    portal.call(page, "add", {"quantity": "2"})
    portal.call(listing, "add", _product_id("PRN-100"))
    assert portal.snapshot() == before
    assert page.notice == "" and listing.added == "" and not page.signed_in and not listing.signed_in


# --- the cart --------------------------------------------------------------------------------------


def _cart_page(portal: Portal, who: str = "acme_admin") -> CartState:
    return _loaded(portal, CartState, who, "/cart")


def test_the_cart_shows_lines_and_totals(portal: Portal):
    _fill_cart(portal, "acme_admin", ("PRN-100", "2"), ("SRV-200", "3"))
    inst = _cart_page(portal)
    assert inst.loaded and inst.may_shop and inst.price_book == "Acme 2026"
    assert [(li["code"], li["quantity"], li["unit_price"], li["net"]) for li in inst.lines] == [
        ("PRN-100", "2", "€449.00", "€898.00"), ("SRV-200", "3", "Price on request", "Price on request")]
    assert inst.amounts == [{"label": "Total excl. VAT", "value": "€898.00", "strong": False},
                            {"label": "VAT 25.5 %", "value": "€228.99", "strong": False},
                            {"label": "Total of the priced lines", "value": "€1,126.99", "strong": True}]
    assert inst.on_request and inst.quote_only == "SRV-200" and inst.may_request_quote and not inst.may_order


def test_set_quantity_and_remove(portal: Portal):
    _fill_cart(portal, "acme_admin", ("PRN-100", "2"), ("TON-100", "1"))
    inst = _cart_page(portal)
    printer, toner = _product_id("PRN-100"), _product_id("TON-100")
    portal.call(inst, "set_quantity", printer, "5")
    assert inst.lines[0]["quantity"] == "5" and inst.line_errors == {}
    assert _cart(ACME_ADMIN) == [("PRN-100", 5000), ("TON-100", 1000)]
    before = portal.snapshot()
    portal.call(inst, "set_quantity", printer, "0")
    assert inst.line_errors == {str(printer): inst.line_errors[str(printer)]} and inst.line_errors[str(printer)]
    assert inst.lines[0]["quantity"] == "5" and portal.snapshot() == before
    portal.call(inst, "remove", toner)
    assert [li["code"] for li in inst.lines] == ["PRN-100"] and _cart(ACME_ADMIN) == [("PRN-100", 5000)]
    assert inst.line_errors == {}


def test_enter_in_a_quantity_saves_it(portal: Portal):
    """The quantity field's own form (Enter) sends the same as leaving the field."""
    _fill_cart(portal, "acme_admin", ("PRN-100", "2"))
    inst = _cart_page(portal)
    portal.call(inst, "save_quantity", {"product_id": str(_product_id("PRN-100")), "quantity": "3"})
    assert inst.lines[0]["quantity"] == "3" and _cart(ACME_ADMIN) == [("PRN-100", 3000)]


def test_a_quantity_in_the_thousands_goes_back_as_it_came(portal: Portal):
    """The field holds "2500", not "2,500": leaving it unchanged, or pressing Enter, keeps 2,500
    (Babel's "2,500" read back was 2.5, then refused as a thousands separator)."""
    _fill_cart(portal, "acme_admin", ("TON-100", "2500"))
    inst = _cart_page(portal)
    assert inst.lines[0]["quantity"] == "2500"
    portal.call(inst, "save_quantity", {"product_id": str(_product_id("TON-100")), "quantity": inst.lines[0]["quantity"]})
    assert inst.line_errors == {} and _cart(ACME_ADMIN) == [("TON-100", 2_500_000)]
    portal.call(inst, "set_quantity", _product_id("TON-100"), "2,000")
    assert inst.line_errors[str(_product_id("TON-100"))].startswith("Write the number without a comma or point between its thousands")
    assert _cart(ACME_ADMIN) == [("TON-100", 2_500_000)]


@pytest.mark.parametrize("quantity", ["abc", "-1", "0", "1000001", None, 3, ["2"], {"q": 2}, "9" * 21])
def test_set_quantity_refuses_garbage(portal: Portal, quantity: object):
    _fill_cart(portal, "acme_admin", ("PRN-100", "2"))
    inst = _cart_page(portal)
    before = portal.snapshot()
    portal.call(inst, "set_quantity", _product_id("PRN-100"), quantity)
    portal.call(inst, "save_quantity", {"product_id": str(_product_id("PRN-100")), "quantity": quantity})
    portal.call(inst, "save_quantity", quantity)
    assert portal.snapshot() == before
    assert [(li["code"], li["quantity"]) for li in inst.lines] == [("PRN-100", "2")]


@pytest.mark.parametrize("product_id", GARBAGE_IDS)
def test_set_quantity_and_remove_refuse_garbage_ids(portal: Portal, product_id: object):
    _fill_cart(portal, "acme_admin", ("PRN-100", "2"))
    inst = _cart_page(portal)
    before = portal.snapshot()
    portal.call(inst, "set_quantity", product_id, "5")
    portal.call(inst, "save_quantity", {"product_id": product_id, "quantity": "5"})
    portal.call(inst, "remove", product_id)
    assert portal.snapshot() == before
    assert [(li["code"], li["quantity"]) for li in inst.lines] == [("PRN-100", "2")]


def test_a_quote_request_from_the_cart(portal: Portal):
    _fill_cart(portal, "acme_admin", ("PRN-100", "2"), ("SRV-200", "3"))
    inst = _cart_page(portal)
    first_id = inst.submission_id
    portal.call(inst, "choose", "quote")
    results = portal.call(inst, "send", {"submission_id": first_id, "message": "For the 4th floor",
                                         "wanted_delivery_date": ""})
    assert not inst.errors, inst.errors
    assert redirect_path(results[-1]) == "/quotes/1006"
    assert _cart(ACME_ADMIN) == [] and inst.submission_id != first_id
    quote = _quote(1006)
    assert (quote.status, quote.message, quote.total_cents) == ("requested", "For the 4th floor", 112699)
    page = _loaded(portal, QuotePageState, "acme_admin", "/quotes/1006")
    assert [li["code"] for li in page.lines] == ["PRN-100", "SRV-200"] and page.status_label == "Requested"


def test_the_same_submission_twice_makes_one_request(portal: Portal):
    _fill_cart(portal, "acme_admin", ("PRN-100", "1"))
    inst = _cart_page(portal)
    form = {"submission_id": inst.submission_id, "message": "Once"}
    quotes_before = _count(QuoteRequest)
    first = portal.call(inst, "send", form)
    _fill_cart(portal, "acme_admin", ("TON-100", "1"))  # the next cart, already started
    second = portal.call(inst, "send", form)
    assert redirect_path(first[-1]) == redirect_path(second[-1]) == "/quotes/1006"
    assert _count(QuoteRequest) == quotes_before + 1
    assert _cart(ACME_ADMIN) == [("TON-100", 1000)]


def test_an_order_needs_every_line_orderable_and_priced(portal: Portal):
    _fill_cart(portal, "acme_admin", ("PRN-100", "1"), ("SRV-200", "2"))
    inst = _cart_page(portal)
    assert not inst.may_order
    before = portal.snapshot()
    portal.call(inst, "choose", "order")
    results = portal.call(inst, "send", {"submission_id": inst.submission_id})
    assert not any(redirect_path(r) for r in results)
    assert inst.errors == {"form": "These can be requested as a quote only: SRV-200."}
    assert portal.snapshot() == before
    portal.call(inst, "remove", _product_id("SRV-200"))
    assert inst.may_order and inst.errors == {}
    # a quantity typed and refused (German "2.500"): the cart still holds 1, so nothing is sent
    printer = _product_id("PRN-100")
    portal.call(inst, "set_quantity", printer, "2.500")
    assert str(printer) in inst.line_errors
    portal.call(inst, "choose", "order")
    results = portal.call(inst, "send", {"submission_id": inst.submission_id, "message": "Ship it"})
    assert not any(redirect_path(r) for r in results)
    assert inst.errors["form"].startswith("A quantity above is not accepted yet")
    portal.call(inst, "set_quantity", printer, "1")  # put back: sent as shown
    assert inst.line_errors == {}
    portal.call(inst, "choose", "order")
    results = portal.call(inst, "send", {"submission_id": inst.submission_id, "message": "Ship it"})
    assert redirect_path(results[-1]) == "/orders/1004"
    order = _one(select(SalesOrder).where(SalesOrder.number == 1004))
    assert (order.status, order.message, order.total_cents) == ("received", "Ship it", 56350)
    assert _cart(ACME_ADMIN) == []


def test_a_quote_only_product_cannot_be_ordered_either(portal: Portal):
    _fill_cart(portal, "globex_admin", ("PRN-900", "1"))  # Globex pays list prices; PRN-900 is quote only
    inst = _cart_page(portal, "globex_admin")
    assert inst.lines[0]["unit_price"] == "€12,900.00" and inst.quote_only == "PRN-900" and not inst.may_order
    before = portal.snapshot()
    portal.call(inst, "choose", "order")
    portal.call(inst, "send", {"submission_id": inst.submission_id})
    assert inst.errors == {"form": "These can be requested as a quote only: PRN-900."}
    assert portal.snapshot() == before
    # the intent does not stick: the next send asks for a quote
    results = portal.call(inst, "send", {"submission_id": inst.submission_id})
    assert redirect_path(results[-1]) == "/quotes/1006"


def test_an_open_cart_follows_a_product_staff_withdraws(portal: Portal):
    _fill_cart(portal, "acme_admin", ("PRN-100", "1"), ("TON-100", "2"))
    inst = _cart_page(portal)
    assert inst.may_order and all(li["available"] for li in inst.lines)
    with session_scope() as s:
        catalog_admin.set_product_archived(session=s, actor=portal.actor("staff"), product_id=_product_id("PRN-100"),
                                           archived=True)
    portal.call(inst, "tick")  # the open page, live
    assert {li["code"]: li["available"] for li in inst.lines} == {"PRN-100": False, "TON-100": True}
    assert not inst.may_order
    assert not inst.may_request_quote  # "these lines stop the cart from being sent"


def test_an_empty_cart_or_a_past_date_sends_nothing(portal: Portal):
    inst = _cart_page(portal)
    assert inst.lines == [] and inst.amounts == [] and not inst.may_request_quote
    before = portal.snapshot()
    portal.call(inst, "send", {"submission_id": inst.submission_id})
    assert inst.errors == {"form": "Your cart is empty."} and portal.snapshot() == before
    _fill_cart(portal, "acme_admin", ("PRN-100", "1"))
    portal.call(inst, "tick")
    assert [li["code"] for li in inst.lines] == ["PRN-100"]  # the cart changed in another tab
    before = portal.snapshot()
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    for form in ({"wanted_delivery_date": yesterday}, {"wanted_delivery_date": "tomorrow"},
                 {"message": "x" * 5000}, {"message": {"x": 1}}, None, "quote", ["x"]):
        portal.call(inst, "send", {"submission_id": inst.submission_id, **form} if isinstance(form, dict) else form)
        assert portal.snapshot() == before, form
    portal.call(inst, "send", {"submission_id": inst.submission_id, "wanted_delivery_date": yesterday})
    assert set(inst.errors) == {"wanted_delivery_date"}
    portal.call(inst, "send", {"submission_id": inst.submission_id, "message": ["not", "text"]})
    assert set(inst.errors) == {"message"} and portal.snapshot() == before
    portal.call(inst, "choose", {"intent": "order"})  # garbage: still a quote
    portal.call(inst, "choose", None)
    results = portal.call(inst, "send", {"submission_id": inst.submission_id})
    assert redirect_path(results[-1]) == "/quotes/1006"


# --- quotes ----------------------------------------------------------------------------------------


def _quote_page(portal: Portal, who: str = "acme_admin", number: int | str = 1002) -> QuotePageState:
    return _loaded(portal, QuotePageState, who, f"/quotes/{number}")


def test_the_quote_page_shows_the_quote(portal: Portal):
    inst = _quote_page(portal)
    assert inst.found and inst.number == 1002 and inst.status == "quoted" and inst.status_label == "Quoted"
    assert inst.may_decide and not inst.withdrawable and inst.has_discounts
    assert [li["code"] for li in inst.lines] == ["LAP-140", "DCK-100", "MON-240"]
    assert inst.lines[0]["discount"] == "5 %" and inst.party == ["Acme Oy", "Aino Virtanen"]
    assert inst.amounts[-1] == {"label": "Total", "value": "€8,763.67", "strong": True}
    assert inst.amounts[0]["label"] == "Discounts"
    request = _quote_page(portal, number=1001)
    assert request.status == "requested" and request.withdrawable and not request.may_decide


def test_a_quote_revised_while_the_customer_decides_is_not_accepted_unseen(portal: Portal):
    inst = _quote_page(portal)
    with session_scope() as s:  # staff sends a new version (another price) while the page is open
        proposal = quotes.start_answer(session=s, actor=portal.actor("staff"), number=1002)
        lines = [{"product_id": li.product_id, "code": li.code, "name": li.name, "unit": li.unit,
                  "quantity": str(li.quantity_milli // 1000), "unit_price": "5000",
                  "discount": "0", "vat_rate": "25.5"} for li in proposal.lines]
        quotes.send_quote(session=s, actor=portal.actor("staff"), number=1002,
                          data={"lines": lines, "expires_on": proposal.expires_on.isoformat(), "answer": ""})
    before = portal.snapshot()
    results = portal.call(inst, "accept")
    assert not any(redirect_path(r) for r in results) and portal.snapshot() == before
    assert inst.errors == {"form": "Sales sent a new version of this quote while you were deciding: check its lines "
                                   "and total below, then accept again."}
    assert inst.lines[0]["unit_price"] == "€5,000.00" and inst.may_decide
    results = portal.call(inst, "accept")  # the version now shown
    assert redirect_path(results[-1]) == "/orders/1004" and _quote(1002).status == "accepted"


def _send_new_prices(portal: Portal, number: int, unit_price: str) -> None:
    with session_scope() as s:  # staff sends a new version (another price)
        proposal = quotes.start_answer(session=s, actor=portal.actor("staff"), number=number)
        lines = [{"product_id": li.product_id, "code": li.code, "name": li.name, "unit": li.unit,
                  "quantity": str(li.quantity_milli // 1000), "unit_price": unit_price,
                  "discount": "0", "vat_rate": "25.5"} for li in proposal.lines]
        quotes.send_quote(session=s, actor=portal.actor("staff"), number=number,
                          data={"lines": lines, "expires_on": proposal.expires_on.isoformat(), "answer": ""})


def test_confirm_accepts_the_version_shown_when_the_dialog_opened(portal: Portal):
    inst = _quote_page(portal)
    assert inst.accept_text == "It becomes an order at the quoted prices, €8,763.67 in all."
    portal.call(inst, "begin_accept", True)  # "Accept quote": the dialog opens
    _send_new_prices(portal, 1002, "5000")
    portal.call(inst, "tick")  # the page behind the dialog shows the new version, live
    assert inst.lines[0]["unit_price"] == "€5,000.00"
    # the open dialog still asks about the total it was opened with: the version Confirm sends
    assert inst.accept_text == "It becomes an order at the quoted prices, €8,763.67 in all."
    before = portal.snapshot()
    results = portal.call(inst, "accept")  # Confirm, on the dialog opened before the new prices
    assert not any(redirect_path(r) for r in results) and portal.snapshot() == before
    assert inst.errors["form"].startswith("Sales sent a new version of this quote")
    portal.call(inst, "begin_accept", True)  # opened again, on the new version, and saying its total
    assert "8,763.67" not in inst.accept_text and "€" in inst.accept_text
    results = portal.call(inst, "accept")
    assert redirect_path(results[-1]) == "/orders/1004" and _quote(1002).status == "accepted"


def test_a_dialog_that_names_no_version_accepts_the_one_shown(portal: Portal):
    for garbage in ("1", None, -1, 2**70, 1.0, False, [1]):  # not an opening: nothing noted
        inst = _quote_page(portal)
        portal.call(inst, "begin_accept", garbage)
        assert inst._accept_revision == -1, garbage
    _send_new_prices(portal, 1002, "5000")
    before = portal.snapshot()
    portal.call(inst, "accept")  # the page still shows the old version: refused
    assert inst.errors.get("form") and portal.snapshot() == before
    results = portal.call(inst, "accept")  # the page refreshed with the refusal: this one
    assert redirect_path(results[-1]) == "/orders/1004"


def test_accepting_a_quote_makes_an_order(portal: Portal):
    inst = _quote_page(portal)
    results = portal.call(inst, "accept")
    assert not inst.errors, inst.errors
    assert redirect_path(results[-1]) == "/orders/1004"
    assert _quote(1002).status == "accepted"
    order = _loaded(portal, OrderPageState, "acme_admin", "/orders/1004")
    assert order.found and order.status == "received" and order.quote_number == 1002
    assert order.answer == _quote(1002).answer != ""  # sales' message with the quote, shown with the order
    assert [li["code"] for li in order.lines] == ["LAP-140", "DCK-100", "MON-240"]
    assert order.amounts[-1]["value"] == "€8,763.67"
    again = portal.call(inst, "accept")  # the same tab, once more: already decided
    assert not any(redirect_path(r) for r in again) and inst.errors.get("form")
    assert _count(SalesOrder) == 4 and inst.status == "accepted" and inst.order_number == 1004


def test_declining_a_quote_with_a_reason(portal: Portal):
    inst = _quote_page(portal)
    before = portal.snapshot()
    for reason in ("x" * 501, {"x": 1}, ["late"], True):
        portal.call(inst, "decline", {"reason": reason})
        assert set(inst.errors) == {"reason"} and portal.snapshot() == before, reason
        assert inst.status == "quoted" and inst.notice == ""
    portal.call(inst, "decline", {"reason": "Too expensive for us this year."})
    assert not inst.errors and inst.notice == "The quote was declined."
    assert inst.status == "declined" and inst.decline_reason == "Too expensive for us this year."
    assert not inst.may_decide
    quote = _quote(1002)
    assert (quote.status, quote.decline_reason) == ("declined", "Too expensive for us this year.")
    before = portal.snapshot()
    portal.call(inst, "accept")
    assert inst.errors.get("form") and portal.snapshot() == before


def test_an_unanswered_request_may_be_withdrawn(portal: Portal):
    inst = _quote_page(portal, number=1001)
    portal.call(inst, "decline", {})
    assert not inst.errors and inst.status == "withdrawn" and _quote(1001).status == "withdrawn"
    assert inst.notice == "The request was withdrawn." and inst.status_label == "Withdrawn"
    portal.call(inst, "decline", {})  # the same click again (a double click on Confirm): no error
    assert not inst.errors and inst.notice == "The request was withdrawn."
    other_tab = _quote_page(portal, number=1001)  # a page showing it decided already: refused, said why
    other_tab.status, other_tab.notice = "requested", ""
    portal.call(other_tab, "decline", {})
    assert other_tab.errors.get("form")


def test_an_expired_quote_cannot_be_accepted(portal: Portal):
    inst = _quote_page(portal)
    assert inst.may_decide
    with session_scope() as s:  # its last day passed while the page was open
        s.exec(update(QuoteRequest).where(QuoteRequest.number == 1002)
               .values(expires_on=local_today() - timedelta(days=1)))
        s.commit()
    before = portal.snapshot()
    results = portal.call(inst, "accept")
    assert not any(redirect_path(r) for r in results) and portal.snapshot() == before
    # one message, which agrees with "Valid until" (the last day is included), its date as the user reads dates
    last_day = format_day(local_today() - timedelta(days=1), "en")
    assert inst.errors == {} and inst.expired_note == (
        f"This quote was valid until {last_day}. Ask for a new one from the catalog.")
    assert inst.status == "expired" and not inst.may_decide
    portal.call(inst, "decline", {"reason": "late"})
    assert inst.errors == {} and inst.expired_note and portal.snapshot() == before
    reloaded = _quote_page(portal)
    assert reloaded.status_label == "Expired" and not reloaded.may_decide
    finnish = _quote_page(portal)
    finnish.lang = "fi"
    portal.call(finnish, "accept")
    assert finnish.errors == {} and finnish.expired_note == (
        f"Tarjous oli voimassa {format_day(local_today() - timedelta(days=1), 'fi')} asti. "
        "Pyydä uusi tarjous Tuotteet-sivulta.")


def test_the_quote_page_follows_staffs_answer_at_the_next_tick(portal: Portal, monkeypatch):
    inst = _quote_page(portal, number=1001)
    assert inst.status == "requested" and inst.lines[1]["unit_price"] == "Price on request"
    calls: list[int] = []
    real = quotes.get_quote
    monkeypatch.setattr(quotes, "get_quote", lambda **kw: calls.append(1) or real(**kw))
    portal.call(inst, "tick")
    assert calls == []  # nothing moved: no query
    staff = portal.actor("staff")
    with session_scope() as s:
        proposal = quotes.start_answer(session=s, actor=staff, number=1001)
        lines = [{"product_id": li.product_id, "code": li.code, "name": li.name, "unit": li.unit,
                  "quantity": str(li.quantity_milli // 1000), "vat_rate": "25.5",
                  "unit_price": "449.00" if li.code == "PRN-100" else "90.00"} for li in proposal.lines]
        quotes.send_quote(session=s, actor=staff, number=1001, data={
            "lines": lines, "expires_on": proposal.expires_on, "answer": "Installation included."})
    portal.call(inst, "tick")
    assert calls == [1] and inst.status == "quoted" and inst.may_decide and inst.answer == "Installation included."
    assert inst.lines[1]["unit_price"] == "€90.00"
    listing = _loaded(portal, QuoteListState, "acme_admin", "/quotes?status=quoted")
    assert [r["number"] for r in listing.rows] == [1002, 1001]


def test_the_quote_and_order_lists(portal: Portal):
    acme = _loaded(portal, QuoteListState, "acme_admin", "/quotes")
    assert [(r["number"], r["status"]) for r in acme.rows] == [(1003, "accepted"), (1002, "quoted"),
                                                                 (1001, "requested")]
    assert acme.rows[2]["total"] == "€1,126.99"  # the priced lines of a request, with VAT
    globex = _loaded(portal, QuoteListState, "globex_admin", "/quotes?status=expired&sort=number")
    assert [(r["number"], r["status_label"]) for r in globex.rows] == [(1004, "Expired")] and globex.filtered
    nonsense = _loaded(portal, QuoteListState, "globex_admin", "/quotes?status=paid&sort=-total;drop&page=x")
    assert [r["number"] for r in nonsense.rows] == [1005, 1004] and not nonsense.filtered
    orders_ = _loaded(portal, OrderListState, "acme_admin", "/orders")
    assert [(r["number"], r["status"], r["extra"]) for r in orders_.rows] == [(1002, "shipped", ""),
                                                                             (1001, "confirmed", "1003")]
    assert shown_address(portal, orders_, "set_status", "shipped") == "/orders?status=shipped"
    assert [r["number"] for r in orders_.rows] == [1002]
    assert shown_address(portal, orders_, "sort_by", "number") == "/orders?status=shipped&sort=number"
    assert portal.call(orders_, "set_status", "lost") is None
    shipped = _loaded(portal, OrderListState, "acme_admin", "/orders?status=shipped")
    assert [r["number"] for r in shipped.rows] == [1002]


# --- orders ----------------------------------------------------------------------------------------


def test_the_order_page_follows_its_status(portal: Portal):
    inst = _loaded(portal, OrderPageState, "acme_admin", "/orders/1002")
    assert inst.found and inst.status == "shipped" and inst.status_label == "Shipped"
    assert [li["code"] for li in inst.lines] == ["TON-100", "PAP-500"] and inst.quote_number == 0
    assert inst.answer == ""  # ordered from the cart: no message of sales
    assert inst.message == "Deliver to the reception, please."
    listing = _loaded(portal, OrderListState, "acme_admin", "/orders")
    with session_scope() as s:
        orders.set_order_status(session=s, actor=portal.actor("staff"), number=1002, status="delivered")
    portal.call(inst, "tick")
    assert inst.status == "delivered" and inst.status_label == "Delivered"
    portal.call(listing, "tick")
    assert listing.rows[0]["status"] == "delivered"


# --- opportunities ---------------------------------------------------------------------------------


def test_the_companys_open_opportunities_only(portal: Portal):
    acme = _loaded(portal, OpportunityListState, "acme_admin", "/opportunities")
    assert acme.loaded and [r["name"] for r in acme.rows] == ["Printer fleet renewal",
                                                              "Network upgrade, Tampere office"]
    assert acme.rows[0]["stage_label"] == "Proposal" and acme.rows[0]["amount"] == "€24,000.00"
    assert acme.rows[0]["probability"] == "60 %"
    globex = _loaded(portal, OpportunityListState, "globex_admin", "/opportunities")
    assert [r["name"] for r in globex.rows] == ["Laptop refresh 2027"]  # not the lost audit
    proposal = _loaded(portal, OpportunityListState, "acme_admin", "/opportunities?status=proposal&sort=-amount")
    assert [r["name"] for r in proposal.rows] == ["Printer fleet renewal"] and proposal.filtered
    won = _loaded(portal, OpportunityListState, "acme_admin", "/opportunities?status=won")
    assert not won.filtered and len(won.rows) == 2  # a closed stage is no filter of this list
    assert shown_address(portal, acme, "set_status", "negotiation") == "/opportunities?status=negotiation"
    assert portal.call(acme, "set_status", "won") is None


# --- without the module ----------------------------------------------------------------------------

LISTS = [(CatalogState, "/catalog"), (CartState, "/cart"), (QuoteListState, "/quotes"), (OrderListState, "/orders"),
         (OpportunityListState, "/opportunities")]
DOCUMENTS = [(ProductState, "/catalog/PRN-100"), (QuotePageState, "/quotes/1002"), (OrderPageState, "/orders/1002")]


@pytest.mark.parametrize("cls,url", LISTS, ids=[u for _, u in LISTS])
def test_a_list_without_the_module_is_unavailable(portal: Portal, cls: type, url: str):
    for who in ("acme_user", "partner"):
        inst = _loaded(portal, cls, who, url)
        assert inst.unavailable and not inst.loaded, who
        assert getattr(inst, "rows", getattr(inst, "lines", None)) == [], who


@pytest.mark.parametrize("cls,url", DOCUMENTS, ids=[u for _, u in DOCUMENTS])
def test_a_document_without_the_module_is_unavailable_whatever_its_number(portal: Portal, cls: type, url: str):
    """As its list says it (a bookmark of a product or a quote explains itself), and the same for an
    address of nothing, so the answer tells nothing about what is there."""
    for who in ("acme_user", "partner"):
        for address in (url, url.rsplit("/", 1)[0] + "/987654"):
            inst = _loaded(portal, cls, who, address)
            assert inst.unavailable and not inst.missing and not inst.found, (who, address)
            assert getattr(inst, "lines", []) == [] and getattr(inst, "product", {}) == {}, (who, address)


def _document_vars(inst) -> dict:  # noqa: ANN001
    """What the page shows of a document (not the address it was asked at)."""
    return {k: v for k, v in inst.dict()[inst.get_full_name()].items() if not k.startswith("rx_router")}


@pytest.mark.parametrize("cls,url", DOCUMENTS[1:], ids=[u for _, u in DOCUMENTS[1:]])
def test_another_companys_number_answers_like_a_missing_one(portal: Portal, cls: type, url: str):
    theirs = _loaded(portal, cls, "globex_admin", url)
    missing = _loaded(portal, cls, "globex_admin", url.rsplit("/", 1)[0] + "/987654")
    assert theirs.missing and theirs.lines == [] and theirs.amounts == [] and theirs.party == []
    assert _document_vars(theirs) == _document_vars(missing)
    own = _loaded(portal, cls, "globex_admin", url.rsplit("/", 1)[0] + ("/1004" if cls is QuotePageState else "/1003"))
    assert own.found and own.party[0] == "Globex GmbH"


def test_staff_are_sent_to_the_admin_pages(portal: Portal):
    for cls, url, admin in [(CatalogState, "/catalog", "/admin/products"), (CartState, "/cart", "/admin/products"),
                            (ProductState, "/catalog/PRN-100", "/admin/products"),
                            (QuoteListState, "/quotes", "/admin/quotes"), (OrderListState, "/orders", "/admin/orders"),
                            (QuotePageState, "/quotes/1002", "/admin/quotes/1002"),
                            (OrderPageState, "/orders/1002", "/admin/orders/1002"),
                            (OpportunityListState, "/opportunities", "/admin/opportunities")]:
        inst = portal.state(cls, "staff", url=url)
        assert redirect_path(portal.call(inst, "load")) == admin, url


def test_the_catalog_lists_the_companys_price_books(portal: Portal):
    acme = _catalog(portal, "acme_admin")
    assert [b["name"] for b in acme.books if b["in_force"]] == ["Acme 2026"]
    assert all(b["currency"] == "EUR" and " – " in b["valid"] for b in acme.books)
    assert _catalog(portal, "globex_admin").books == []  # no book: list prices


def test_an_order_is_not_placed_at_a_price_the_customer_did_not_see(portal: Portal):
    """Staff changes the price while the cart is open: "Place order" is refused above the buttons,
    the cart shows the new price, and the next "Place order" orders at it."""
    from portal_app.models import PriceBook, PriceBookEntry

    _fill_cart(portal, "acme_admin", ("PRN-100", "2"))
    inst = _cart_page(portal)
    assert inst.amounts[-1]["value"] == "€1,126.99"
    with session_scope() as s:
        book = s.exec(select(PriceBook).where(PriceBook.name == "Acme 2026")).one()
        entry = s.exec(select(PriceBookEntry).where(PriceBookEntry.price_book_id == book.id,
                                                    PriceBookEntry.product_id == _product_id("PRN-100"))).one()
        entry.price_cents = 50000
        s.add(entry)
        s.commit()
    before = portal.snapshot()
    portal.call(inst, "choose", "order")
    results = portal.call(inst, "send", {"submission_id": inst.submission_id})
    assert not any(redirect_path(r) for r in results) and portal.snapshot() == before
    assert inst.errors == {"form": "The cart changed since this page showed it (a price, the price book or a "
                                   "product): check the lines and the total below, then send again."}
    assert inst.lines[0]["unit_price"] == "€500.00" and inst.amounts[-1]["value"] == "€1,255.00"
    portal.call(inst, "choose", "order")
    results = portal.call(inst, "send", {"submission_id": inst.submission_id})
    number = int(redirect_path(results[-1]).rsplit("/", 1)[1])
    assert _one(select(SalesOrder.total_cents).where(SalesOrder.number == number)) == 125500


def test_a_code_with_a_slash_links_to_its_own_page(portal: Portal):
    """Codes may hold "/" (and ".."): each link and picture escapes the code as one path segment, and
    the product's page at that address is the product's."""
    from portal_app.services.catalog import admin as catalog_admin

    with session_scope() as s:
        catalog_admin.create_product(session=s, actor=portal.actor("staff"), data={
            "code": "QA/../x", "name": "Slash product", "list_price": "10", "currency": "EUR", "vat_rate": "25.5"})
    listed = next(p for p in _catalog(portal, "globex_admin", "q=Slash").rows if p["code"] == "QA/../x")
    assert listed["href"] == "/catalog/QA%2F..%2Fx" and listed["image"] == "/api/catalog/QA%2F..%2Fx/image"
    page = _loaded(portal, ProductState, "globex_admin", listed["href"])
    assert page.found and page.product["name"] == "Slash product"
    _fill_cart(portal, "globex_admin", ("QA/../x", "1"))
    assert _cart_page(portal, "globex_admin").lines[0]["href"] == "/catalog/QA%2F..%2Fx"
