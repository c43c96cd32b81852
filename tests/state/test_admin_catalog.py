"""Staff's catalog in the admin panel (state/admin_catalog*.py), handlers called as Reflex calls them.

- every handler, called by an anonymous visitor or a customer (a company admin with the Catalog
  module, a contact without it, another company's admin), gets nothing and changes nothing, also
  with the pages' backend vars forged to point at real rows, and uploads keep no file;
- garbage arguments and garbage forms are refused cleanly;
- staff answers a quote request ("Send quote": a missing price said next to its line, what was
  typed kept; then sent with a discount): the customer's page turns Quoted; an order moved along
  its transitions (and refused when it moved meanwhile); a product made (once per form), edited,
  archived, given a picture; a price book with a price assigned to a company changes that
  company's prices; CSV imports, good and with one bad row (nothing imported); opportunities.

Demo data (seed): quotes 1001 Acme requested (PRN-100 x2 at Acme's 449.00, SRV-200 x4 on request),
1002 Acme quoted, 1003 Acme accepted (order 1001, confirmed), 1004 Globex expired, 1005 Globex
declined; orders 1002 Acme shipped, 1003 Globex delivered; Acme's book "Acme 2026".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import update
from sqlmodel import col, select
from statekit import LONG, Portal, UploadFiles, garbage_forms, garbage_values, redirect_path, shown_address

from portal_app.db import session_scope
from portal_app.models import (
    Account, CompanyPriceBook, Opportunity, PriceBook, PriceBookEntry, Product, ProductCategory, QuoteLine, QuoteRequest,
    SalesOrder,
)
from portal_app.services import live
from portal_app.services.catalog.products import images_dir
from portal_app.state.catalog.admin import (
    AdminPriceBookListState, AdminPriceBookState, AdminProductListState, AdminProductState,
)
from portal_app.state.catalog.admin_documents import (
    AdminOrderListState, AdminOrderState, AdminQuoteListState, AdminQuoteState,
)
from portal_app.state.catalog.admin_opportunities import AdminOpportunityListState, AdminOpportunityState
from portal_app.state.catalog.browse import CatalogState, ProductState
from portal_app.state.catalog.documents import OrderPageState, QuotePageState
from portal_app.state.session import SessionState

STATES = (AdminProductListState, AdminProductState, AdminPriceBookListState, AdminPriceBookState,
          AdminQuoteListState, AdminQuoteState, AdminOrderListState, AdminOrderState, AdminOpportunityListState,
          AdminOpportunityState)
# what none but staff may receive from these states: every company's quotes, orders, books, opportunities
PRIVATE = ("Globex", "Acme 2026", "Acme 2025", "Printer fleet renewal", "Laptop refresh", "Laptops for the new sales",
           "Deliver to the reception", "Two printers for the 3rd floor", "Network upgrade")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PRODUCT = {"code": "CAB-10", "name": "Patch cable 10 m", "category_id": "", "unit": "pcs", "list_price": "12.50",
           "currency": "EUR", "vat_rate": "25.5", "orderable": "on"}
GOOD_CSV = b"code;name;category;list_price;vat_rate;orderable\nCSV-1;Cable tester;Tools;49,90;25.5;yes\n" \
           b"CSV-2;Crimping tool;Tools;29.00;25.5;no\n"
BAD_CSV = b"code,name,list_price\nCSV-3,Label maker,59.00\nCSV 4,Broken code,abc\nCSV-5,Fine,10\n"


def q(url: str | None) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url or "").query)


def last(result: Any) -> Any:
    return result[-1] if isinstance(result, list) and result else result


def product_id(code: str) -> int:
    with session_scope() as s:
        return s.exec(select(Product.id).where(Product.code == code)).one()


def book_id(name: str) -> int:
    with session_scope() as s:
        return s.exec(select(PriceBook.id).where(PriceBook.name == name)).one()


def quote(number: int) -> QuoteRequest:
    with session_scope() as s:
        return s.exec(select(QuoteRequest).where(QuoteRequest.number == number)).one()


def order(number: int) -> SalesOrder:
    with session_scope() as s:
        return s.exec(select(SalesOrder).where(SalesOrder.number == number)).one()


def first_opportunity() -> int:
    with session_scope() as s:
        return s.exec(select(Opportunity.id).where(Opportunity.name == "Printer fleet renewal")).one()


def images() -> list[str]:
    return sorted(p.name for p in images_dir().iterdir())


# --- who may -------------------------------------------------------------------------------------------

def forge_product(p: Portal, inst: Any) -> None:
    """As if staff had opened PRN-100 in this tab before."""
    inst.found, inst._product_id = True, product_id("PRN-100")
    inst.product = {"code": "PRN-100", "name": "Office printer", "description": "", "unit": "pcs", "category_id": "",
                    "list_price": "499.00", "currency": "EUR", "vat_rate": "25.5", "orderable": True}


def forge_book(p: Portal, inst: Any) -> None:
    """As if staff had opened Acme's price book, with PRN-100 listed and Globex chosen to assign to."""
    inst.found, inst._book_id = True, book_id("Acme 2026")
    inst.entries = [{"product_id": product_id("PRN-100"), "code": "PRN-100", "href": "", "name": "Office printer",
                     "list_price": "", "price": ""}]
    inst.company_value = str(p.company_id("Globex GmbH"))


def forge_quote(p: Portal, inst: Any) -> None:
    """As if staff had opened request 1001 with its answer form."""
    inst.found, inst.number, inst.may_answer, inst.status = True, 1001, True, "requested"
    inst.answer_lines = [{"key": 0, "n": 1, "product_id": product_id("PRN-100"), "code": "PRN-100", "name": "Printer",
                          "unit": "pcs", "quantity": "2", "unit_price": "1", "discount": "", "vat_rate": "25.5",
                          "removed": False}]


def forge_order(p: Portal, inst: Any) -> None:
    """As if staff had opened Acme's shipped order 1002."""
    inst.found, inst.number, inst.status = True, 1002, "shipped"
    inst.next_statuses = [{"value": "delivered", "label": "Delivered"}]


def forge_open_order(p: Portal, inst: Any) -> None:
    """As if staff had opened Acme's confirmed order 1001 (the cancel form shown)."""
    inst.found, inst.number, inst.status, inst.may_cancel = True, 1001, "confirmed", True
    inst.next_statuses = [{"value": "shipped", "label": "Shipped"}, {"value": "cancelled", "label": "Cancelled"}]


def forge_opportunity(p: Portal, inst: Any) -> None:
    inst.found, inst._opportunity_id, inst.is_new = True, first_opportunity(), False


def forge_new_opportunity(p: Portal, inst: Any) -> None:
    inst.found, inst.is_new, inst.company_value = True, True, str(p.company_id("Acme Oy"))


def forge_dialog(p: Portal, inst: Any) -> None:
    inst.new_open = True


def forge_category(p: Portal, inst: Any) -> None:
    """As if staff had opened "Rename" on the first category."""
    inst.category_rows = [{"id": 1, "name": "Printers and scanners", "count": "8"}]
    inst.category_form, inst.category_open = {"id": "1", "name": "Printers and scanners"}, True


def forge_list(p: Portal, inst: Any) -> None:
    inst.loaded, inst._seen = True, -5


CALLS: list[tuple[type, str, tuple, Any]] = [
    (AdminProductListState, "load", (), None),
    (AdminProductListState, "set_status", ("all",), None),
    (AdminProductListState, "search", ({"q": "printer"},), None),
    (AdminProductListState, "sort_by", ("price",), None),
    (AdminProductListState, "go_to_page", (1,), None),
    (AdminProductListState, "set_sort", ("-price",), None),
    (AdminProductListState, "follow_page", (), None),
    (AdminProductListState, "clear", (), None),
    (AdminProductListState, "set_category", ("",), None),
    (AdminProductListState, "set_company", ("1",), None),
    (AdminProductListState, "find_companies", ("Glo",), None),
    (AdminProductListState, "close_company_matches", (), None),
    (AdminProductListState, "open_new", (), None),
    (AdminProductListState, "close_new", (), forge_dialog),
    (AdminProductListState, "create", ({**PRODUCT, "submission_id": "s" * 22},), forge_dialog),
    (AdminProductListState, "add_category", ({"category_name": "Evil"},), None),
    (AdminProductListState, "delete_category", (1,), None),
    (AdminProductListState, "edit_category", (1,), forge_category),
    (AdminProductListState, "close_category", (), forge_category),
    (AdminProductListState, "save_category", ({"name": "Hacked", "name_fi": "Murrettu"},), forge_category),
    (AdminProductListState, "import_csv", (UploadFiles([("p.csv", GOOD_CSV)]),), None),
    (AdminProductState, "load", (), None),
    (AdminProductState, "save", ({**PRODUCT, "code": "PRN-100", "name": "Hacked"},), forge_product),
    (AdminProductState, "set_archived", (True,), forge_product),
    (AdminProductState, "upload_image", (UploadFiles([("evil.png", PNG)]),), forge_product),
    (AdminProductState, "remove_image", (), forge_product),
    (AdminPriceBookListState, "load", (), None),
    (AdminPriceBookListState, "set_status", ("",), None),
    (AdminPriceBookListState, "search", ({"q": "Acme"},), None),
    (AdminPriceBookListState, "sort_by", ("name",), None),
    (AdminPriceBookListState, "go_to_page", (1,), None),
    (AdminPriceBookListState, "set_sort", ("-name",), None),
    (AdminPriceBookListState, "follow_page", (), None),
    (AdminPriceBookListState, "clear", (), None),
    (AdminPriceBookListState, "open_new", (), None),
    (AdminPriceBookListState, "close_new", (), forge_dialog),
    (AdminPriceBookListState, "create", ({"name": "Evil", "currency": "EUR", "submission_id": "b" * 22},),
     forge_dialog),
    (AdminPriceBookState, "load", (), None),
    (AdminPriceBookState, "save", ({"name": "Hacked", "currency": "EUR", "active": "on"},), forge_book),
    (AdminPriceBookState, "delete_book", (), forge_book),
    (AdminPriceBookState, "search_entries", ({"entry_q": "PRN"},), forge_book),
    (AdminPriceBookState, "entries_page", (1,), forge_book),
    (AdminPriceBookState, "edit_entry", (1,), forge_book),
    (AdminPriceBookState, "set_price", ({"code": "PRN-100", "price": "1"},), forge_book),
    (AdminPriceBookState, "remove_entry", (1,), forge_book),
    (AdminPriceBookState, "find_companies", ("Glo",), forge_book),
    (AdminPriceBookState, "close_company_matches", (), forge_book),
    (AdminPriceBookState, "set_company", ("1",), forge_book),
    (AdminPriceBookState, "assign", (), forge_book),
    (AdminPriceBookState, "unassign", (1,), forge_book),
    (AdminPriceBookState, "import_csv", (UploadFiles([("p.csv", b"code,price\nPRN-100,1\n")]),), forge_book),
    (AdminQuoteListState, "load", (), None),
    (AdminQuoteListState, "tick", ("now",), forge_list),
    (AdminQuoteListState, "set_status", ("requested",), None),
    (AdminQuoteListState, "search", ({"q": "10"},), None),
    (AdminQuoteListState, "sort_by", ("total",), None),
    (AdminQuoteListState, "go_to_page", (1,), None),
    (AdminQuoteListState, "set_sort", ("-total",), None),
    (AdminQuoteListState, "follow_page", (), None),
    (AdminQuoteListState, "clear", (), None),
    (AdminQuoteListState, "set_company", ("1",), None),
    (AdminQuoteListState, "find_companies", ("Glo",), None),
    (AdminQuoteListState, "close_company_matches", (), None),
    (AdminQuoteState, "load", (), None),
    (AdminQuoteState, "tick", ("now",), forge_quote),
    (AdminQuoteState, "add_line", (), forge_quote),
    (AdminQuoteState, "remove_line", (0,), forge_quote),
    (AdminQuoteState, "send", ({"line_0_name": "Printer", "line_0_quantity": "2", "line_0_unit_price": "1",
                                "line_0_vat_rate": "25.5", "expires_on": "2099-01-01"},), forge_quote),
    (AdminOrderListState, "load", (), None),
    (AdminOrderListState, "tick", ("now",), forge_list),
    (AdminOrderListState, "set_status", ("shipped",), None),
    (AdminOrderListState, "search", ({"q": "10"},), None),
    (AdminOrderListState, "sort_by", ("total",), None),
    (AdminOrderListState, "go_to_page", (1,), None),
    (AdminOrderListState, "set_sort", ("-total",), None),
    (AdminOrderListState, "follow_page", (), None),
    (AdminOrderListState, "clear", (), None),
    (AdminOrderListState, "set_company", ("1",), None),
    (AdminOrderListState, "find_companies", ("Glo",), None),
    (AdminOrderListState, "close_company_matches", (), None),
    (AdminOrderState, "load", (), None),
    (AdminOrderState, "tick", ("now",), forge_order),
    (AdminOrderState, "set_status", ("delivered",), forge_order),
    (AdminOrderState, "cancel", ({"reason": "Hacked"},), forge_open_order),
    (AdminOpportunityListState, "load", (), None),
    (AdminOpportunityListState, "set_status", ("won",), None),
    (AdminOpportunityListState, "search", ({"q": "printer"},), None),
    (AdminOpportunityListState, "sort_by", ("amount",), None),
    (AdminOpportunityListState, "go_to_page", (1,), None),
    (AdminOpportunityListState, "set_sort", ("-amount",), None),
    (AdminOpportunityListState, "follow_page", (), None),
    (AdminOpportunityListState, "clear", (), None),
    (AdminOpportunityListState, "set_company", ("1",), None),
    (AdminOpportunityListState, "set_closed", (True,), None),
    (AdminOpportunityListState, "find_companies", ("Glo",), None),
    (AdminOpportunityListState, "close_company_matches", (), None),
    (AdminOpportunityState, "load", (), None),
    (AdminOpportunityState, "save", ({"name": "Hacked", "stage": "won", "amount": "1"},), forge_opportunity),
    (AdminOpportunityState, "save", ({"name": "Evil", "submission_id": "o" * 22},), forge_new_opportunity),
    (AdminOpportunityState, "delete", (), forge_opportunity),
    (AdminOpportunityState, "set_company", ("1",), forge_new_opportunity),
    (AdminOpportunityState, "find_companies", ("Glo",), forge_new_opportunity),
    (AdminOpportunityState, "close_company_matches", (), forge_new_opportunity),
]


def test_every_handler_is_tried():
    tried = {(cls.__name__, name) for cls, name, _, _ in CALLS}
    for cls in STATES:
        own = {n for n in cls.event_handlers if n != "setvar" and n not in SessionState.event_handlers}
        assert {(cls.__name__, n) for n in own} <= tried, {(cls.__name__, n) for n in own} - tried


LISTS = {AdminProductListState: "/admin/products", AdminPriceBookListState: "/admin/price-books",
         AdminQuoteListState: "/admin/quotes", AdminOrderListState: "/admin/orders",
         AdminOpportunityListState: "/admin/opportunities"}


def url_of(cls: type, p: Portal) -> str:
    if cls in LISTS:
        return LISTS[cls]
    return {AdminProductState: "/admin/products/PRN-100",
            AdminPriceBookState: f"/admin/price-books/{book_id('Acme 2026')}",
            AdminQuoteState: "/admin/quotes/1001", AdminOrderState: "/admin/orders/1002",
            AdminOpportunityState: f"/admin/opportunities/{first_opportunity()}"}[cls]


@pytest.mark.parametrize("who", [None, "acme_admin", "acme_user", "globex_admin"])
@pytest.mark.parametrize(("cls", "name", "args", "prep"), CALLS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_a_non_staff_caller_gets_nothing_and_changes_nothing(portal: Portal, who, cls, name, args, prep):
    inst = portal.state(cls, who, url=url_of(cls, portal))
    if callable(prep):
        prep(portal, inst)
    before, pictures = portal.snapshot(), images()
    result = portal.call(inst, name, *args)
    assert portal.snapshot() == before and images() == pictures
    path = redirect_path(last(result))
    # (a list's filters only compose its own address; the list's load refuses then)
    assert path is None or path == "/" or path.startswith("/login") or path.split("?")[0] == LISTS.get(cls)
    portal.assert_no_markers(inst, PRIVATE)
    # (what the tab was made to show before)
    forged = {"entries"} if prep is forge_book else {"category_rows"} if prep is forge_category else set()
    for var in {"rows", "company_matches", "entries", "assigned", "report", "categories", "category_rows",
                "lines"} - forged:
        assert not getattr(inst, var, []), var
    assert not getattr(inst, "report_ok", False) and not getattr(inst, "importing", False)
    if cls in (AdminQuoteState, AdminOrderState, AdminPriceBookState, AdminProductState) and not prep:
        assert not inst.found


# --- garbage -------------------------------------------------------------------------------------------

def staff_page(portal: Portal, cls: type, prep: Any = None) -> Any:
    inst = portal.state(cls, "staff", url=url_of(cls, portal))
    portal.call(inst, "load")
    if callable(prep):
        prep(portal, inst)
    return inst


ARGUMENTS = [c for c in CALLS if c[2] and not isinstance(c[2][0], UploadFiles | dict)]


@pytest.mark.parametrize(("cls", "name", "args", "prep"), ARGUMENTS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_garbage_arguments_are_refused(portal: Portal, cls, name, args, prep):
    failures = []
    for label, garbage in garbage_values():
        inst = staff_page(portal, cls, prep)
        before = portal.snapshot()
        try:
            result = portal.call(inst, name, garbage)
        except Exception as exc:  # noqa: BLE001 - the point of the test
            failures.append(f"{label}: {type(exc).__name__}: {exc}"[:300])
            continue
        if portal.snapshot() != before:
            failures.append(f"{label}: the database changed")
        path = redirect_path(last(result))
        if path is not None and (path.split("?")[0] != LISTS.get(cls) or LONG in path):
            failures.append(f"{label}: went to {path[:80]}")
    assert not failures, "\n".join(failures)


def _quote_form(inst: AdminQuoteState, **changes: Any) -> dict[str, Any]:
    """The answer form as the browser sends it, from the lines the form was started with."""
    form: dict[str, Any] = {"expires_on": inst.expires_on, "answer": inst.answer_text}
    for line in inst.answer_lines:
        if not line["removed"]:
            form.update({f"line_{line['key']}_{f}": line[f] for f in
                         ("name", "code", "unit", "quantity", "unit_price", "discount", "vat_rate")})
    return {**form, **changes}


FORMS = [
    (AdminProductListState, "create", ("code", "name", "category_id", "unit", "list_price", "currency", "vat_rate",
                                       "submission_id"), lambda p, i: {**PRODUCT, "submission_id": i.submission_id}),
    (AdminProductState, "save", ("code", "name", "description", "category_id", "unit", "list_price", "currency",
                                 "vat_rate"), lambda p, i: {**PRODUCT, "code": "PRN-100", "name": "Office printer"}),
    (AdminPriceBookListState, "create", ("name", "currency", "valid_from", "valid_to", "submission_id"),
     lambda p, i: {"name": "Partners", "currency": "EUR", "active": "on", "submission_id": i.submission_id}),
    (AdminPriceBookState, "save", ("name", "currency", "valid_from", "valid_to"),
     lambda p, i: {"name": "Acme 2026", "currency": "EUR", "valid_from": "2026-01-01", "active": "on"}),
    (AdminPriceBookState, "set_price", ("code", "price"), lambda p, i: {"code": "PRN-100", "price": "399"}),
    (AdminPriceBookState, "search_entries", ("entry_q",), lambda p, i: {"entry_q": "PRN"}),
    (AdminProductListState, "add_category", ("category_name",), lambda p, i: {"category_name": "Tools"}),
    (AdminProductListState, "save_category", ("name", "name_fi", "name_de"),
     lambda p, i: {"name": "Networking", "name_fi": "Verkot", "name_de": "Netzwerk", "name_it": "Rete"}),
    (AdminProductState, "save", ("name_fi", "description_fi", "name_it"),
     lambda p, i: {**PRODUCT, "code": "PRN-100", "name": "Office printer", "name_fi": "Toimistotulostin",
                   "description_fi": "Tulostin toimistoon.", "name_de": "", "name_it": "Stampante"}),
    (AdminQuoteState, "send", ("expires_on", "answer", "line_0_name", "line_0_quantity", "line_0_unit_price",
                               "line_0_discount", "line_0_vat_rate", "line_1_unit_price"),
     lambda p, i: _quote_form(i, line_1_unit_price="85")),
    (AdminOpportunityState, "save", ("name", "stage", "amount", "currency", "probability", "expected_close",
                                     "owner_name", "description"),
     lambda p, i: {"name": "Renewal", "stage": "proposal", "amount": "100", "currency": "EUR", "probability": "50",
                   "expected_close": "", "owner_name": "Sam", "description": ""}),
]


def _opened(portal: Portal, cls: type, name: str) -> Any:
    inst = staff_page(portal, cls)
    if name == "create":
        portal.call(inst, "open_new")
    if name == "save_category":  # "Rename" on the third category (Networking, unless a form renamed it)
        portal.call(inst, "edit_category", inst.category_rows[2]["id"])
    return inst


@pytest.mark.parametrize(("cls", "name", "fields", "base"), FORMS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_garbage_forms_are_refused(portal: Portal, cls, name, fields, base):
    """Each field of a valid form replaced by garbage (and forms that are no forms): nothing
    written, no exception, and a message for a form the service refused."""
    failures = []
    for label, form in garbage_forms(fields, base(portal, _opened(portal, cls, name))):
        inst = _opened(portal, cls, name)
        before = portal.snapshot(ignore=("updated_at",))
        try:
            portal.call(inst, name, form)
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{label}: {type(exc).__name__}: {exc}"[:300])
            continue
        if portal.snapshot(ignore=("updated_at",)) != before and name != "search_entries" \
                and (name, label) not in {("add_category", "all-negative"), ("save_category", "all-negative")}:
            # (numbers are text: a category named "-1")
            failures.append(f"{label}: the database changed")
        if LONG in portal.public_text(inst):
            failures.append(f"{label}: the long value was copied into a public var")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("cls", "name", "fields", "base"), [f for f in FORMS if f[1] != "search_entries"],
                         ids=lambda v: getattr(v, "__name__", str(v)))
def test_the_valid_form_is_accepted(portal: Portal, cls, name, fields, base):
    inst = _opened(portal, cls, name)
    portal.call(inst, name, base(portal, inst))
    assert not inst.errors, inst.errors


# --- quotes --------------------------------------------------------------------------------------------

def test_staff_answers_a_request_and_the_customers_page_turns_quoted(portal: Portal):
    customer = portal.state(QuotePageState, "acme_admin", url="/quotes/1001")
    portal.call(customer, "load")
    assert customer.status == "requested"

    inbox = portal.state(AdminQuoteListState, "staff", url="/admin/quotes")
    portal.call(inbox, "load")
    path = shown_address(portal, inbox, "set_status", "requested")
    assert q(path) == {"status": ["requested"]}
    portal.set_url(inbox, path)
    portal.call(inbox, "load")
    assert [r["number"] for r in inbox.rows] == [1001] and inbox.rows[0]["company"] == "Acme Oy"

    page = portal.state(AdminQuoteState, "staff", url="/admin/quotes/1001")
    portal.call(page, "load")
    assert page.found and page.may_answer and page.status == "requested"
    # the requested lines at Acme's prices today, the last day 30 days ahead
    assert [(li["code"], li["quantity"], li["unit_price"]) for li in page.answer_lines] == [
        ("PRN-100", "2", "449.00"), ("SRV-200", "4", "")]
    assert page.expires_on and "Acme 2026" in page.price_note

    before = portal.snapshot()
    portal.call(page, "send", _quote_form(page, line_1_unit_price="", line_0_discount="10"))
    assert portal.snapshot() == before  # SRV-200 has no price: nothing sent
    assert set(page.errors) == {"line_1_unit_price", "form"} and page.may_answer
    assert page.errors["line_1_unit_price"] == "This field is required."
    portal.call(page, "send", _quote_form(page, line_1_unit_price="85", line_0_quantity="0"))
    assert portal.snapshot() == before  # a quantity's own message, not "the amount is out of range"
    assert page.errors["line_0_quantity"] == "Enter a quantity above 0, at most 1,000,000."
    portal.call(page, "send", _quote_form(page, line_1_unit_price="1,085"))  # English: 1085, not 1.085
    assert portal.snapshot() == before and set(page.errors) == {"line_1_unit_price", "form"}
    # each number within its limit, the line not: a million at a billion each is no quote to send
    portal.call(page, "send", _quote_form(page, line_1_unit_price="999999999", line_1_quantity="1000000"))
    assert portal.snapshot() == before
    assert page.errors["line_1_quantity"] == ("This line would come to more than 100,000,000,000: check the "
                                              "quantity and the unit price.")

    portal.call(page, "add_line")
    portal.call(page, "remove_line", 2)  # added and taken away again: not sent
    result = portal.call(page, "send", _quote_form(page, line_1_unit_price="85", line_0_discount="10",
                                                   answer="Installation included."))
    assert not redirect_path(last(result))
    assert page.errors == {} and page.notice == "Quote 1001 sent to the customer." and page.status == "quoted"
    sent = quote(1001)
    assert sent.status == "quoted" and sent.answer == "Installation included."
    with session_scope() as s:
        lines = s.exec(select(QuoteLine).where(QuoteLine.quote_id == sent.id).order_by(QuoteLine.position)).all()
    assert [(li.code, li.unit_price_cents, li.discount_bp) for li in lines] == [("PRN-100", 44900, 1000),
                                                                               ("SRV-200", 8500, 0)]
    assert sent.subtotal_cents == 2 * 44900 * 9 // 10 + 4 * 8500

    portal.call(customer, "tick", "now")  # the customer's open page, live
    assert customer.status == "quoted" and customer.may_decide and customer.has_discounts
    # staff's page still offers a revision (the quote's own lines)
    assert page.may_answer and [li["discount"] for li in page.answer_lines] == ["10", ""]


def test_a_quote_a_colleague_sent_meanwhile_is_not_replaced_unseen(portal: Portal):
    first = portal.state(AdminQuoteState, "staff", url="/admin/quotes/1001")
    second = portal.state(AdminQuoteState, "staff", url="/admin/quotes/1001")
    portal.call(first, "load")
    portal.call(second, "load")
    portal.call(first, "send", _quote_form(first, line_1_unit_price="85", answer="From the first tab."))
    assert not first.errors and quote(1001).revision == 1
    mails = len(portal.outbox())

    before, form_key = portal.snapshot(), second.form_key
    portal.call(second, "send", _quote_form(second, line_1_unit_price="90", answer="From the second tab."))
    assert portal.snapshot() == before and len(portal.outbox()) == mails  # nothing replaced, no second mail
    assert second.errors == {"form": second._t("error.quote_sent_meanwhile")}
    assert second.status == "quoted" and [li["unit_price"] for li in second.lines][-1] == "€85.00"  # the colleague's
    assert second.form_key == form_key  # the form is not drawn anew: what was typed stays

    # told and shown, the second tab's answer is sent when sent again: a revision of the first
    portal.call(second, "send", _quote_form(second, line_1_unit_price="90", answer="From the second tab."))
    assert not second.errors and quote(1001).revision == 2 and quote(1001).answer == "From the second tab."


def test_a_thousands_separator_is_refused_with_every_other_mistake_at_once(portal: Portal):
    """One sending names all that is wrong: the thousands separator of one line, the missing price of
    another and a last day out of range, each at its field; nothing is sent."""
    page = portal.state(AdminQuoteState, "staff", url="/admin/quotes/1001")
    portal.call(page, "load")
    before = portal.snapshot()
    portal.call(page, "send", _quote_form(page, line_0_quantity="2,000", line_1_unit_price="", expires_on="2001-01-01",
                                          line_1_discount="150"))
    assert portal.snapshot() == before
    assert set(page.errors) == {"line_0_quantity", "line_1_unit_price", "line_1_discount", "expires_on", "form"}
    assert page.errors["line_0_quantity"].startswith("Write the number without a comma or point between its thousands")
    assert page.errors["line_1_unit_price"] == "This field is required."
    assert page.may_answer and quote(1001).status == "requested"


def test_a_decided_quote_has_no_answer_form_and_shows_the_reason(portal: Portal):
    page = portal.state(AdminQuoteState, "staff", url="/admin/quotes/1005")
    portal.call(page, "load")
    assert page.found and page.status == "declined" and not page.may_answer and page.answer_lines == []
    assert page.decline_reason == "We postponed the training."
    forged = portal.state(AdminQuoteState, "staff", url="/admin/quotes/1005")
    portal.call(forged, "load")
    forge_quote(portal, forged)
    forged.number = 1005
    before = portal.snapshot()
    portal.call(forged, "send", _quote_form(forged))
    assert portal.snapshot() == before and forged.errors["form"] and not forged.may_answer


def test_the_customer_withdrawing_meanwhile_hides_the_form(portal: Portal):
    page = portal.state(AdminQuoteState, "staff", url="/admin/quotes/1001")
    portal.call(page, "load")
    customer = portal.state(QuotePageState, "acme_admin", url="/quotes/1001")
    portal.call(customer, "load")
    portal.call(customer, "decline", {"reason": "Bought elsewhere"})
    portal.call(page, "tick", "now")
    assert page.status == "withdrawn" and not page.may_answer and page.decline_reason == "Bought elsewhere"


def test_a_withdraw_dialog_open_while_sales_answers_declines_nothing(portal: Portal):
    customer = portal.state(QuotePageState, "acme_admin", url="/quotes/1001")
    portal.call(customer, "load")
    assert customer.withdrawable
    portal.call(customer, "begin_decline", True)  # "Withdraw request" opened its dialog
    page = portal.state(AdminQuoteState, "staff", url="/admin/quotes/1001")
    portal.call(page, "load")
    portal.call(page, "send", _quote_form(page, line_1_unit_price="85"))  # sales answers meanwhile
    assert page.status == "quoted", page.errors
    portal.call(customer, "tick", "now")  # the page turns into the quote, the dialog still says withdraw
    assert not customer.withdrawable and customer.decline_meant == "withdraw"
    portal.call(customer, "decline", {"reason": ""})
    assert customer.status == "quoted" and customer.may_decide and customer.errors["form"].startswith(
        "Sales answered your request meanwhile")
    assert customer.decline_meant == ""  # opened again, the dialog is the quote's decline


@pytest.mark.parametrize("segment", ["0", "01", "abc", "999999", "-1", "1001x"])
def test_an_address_of_nothing_says_not_found(portal: Portal, segment):
    for cls, base in ((AdminQuoteState, "/admin/quotes"), (AdminOrderState, "/admin/orders"),
                      (AdminPriceBookState, "/admin/price-books"), (AdminOpportunityState, "/admin/opportunities"),
                      (AdminProductState, "/admin/products")):
        inst = portal.state(cls, "staff", url=f"{base}/{segment}")
        portal.call(inst, "load")
        assert not inst.found and inst.missing, cls


# --- orders --------------------------------------------------------------------------------------------

def test_staff_moves_an_order_and_the_customer_sees_it(portal: Portal):
    customer = portal.state(OrderPageState, "acme_admin", url="/orders/1001")
    portal.call(customer, "load")
    assert customer.status == "confirmed"
    page = portal.state(AdminOrderState, "staff", url="/admin/orders/1001")
    portal.call(page, "load")
    assert [c["value"] for c in page.next_statuses] == ["shipped", "cancelled"]
    assert page.answer == customer.answer == "Installation included as agreed on the phone."  # the quote's
    portal.call(page, "set_status", "received")  # not a next status: nothing
    assert order(1001).status == "confirmed"
    portal.call(page, "set_status", "shipped")
    assert order(1001).status == "shipped" and page.status == "shipped" and page.notice == "The order is now Shipped."
    assert [c["value"] for c in page.next_statuses] == ["delivered"]
    portal.call(customer, "tick", "now")
    assert customer.status == "shipped"


def test_an_order_moved_meanwhile_is_not_moved_again(portal: Portal):
    first = portal.state(AdminOrderState, "staff", url="/admin/orders/1001")
    second = portal.state(AdminOrderState, "staff", url="/admin/orders/1001")
    portal.call(first, "load")
    portal.call(second, "load")
    portal.call(first, "set_status", "shipped")
    portal.call(second, "set_status", "cancelled")  # its page still shows "confirmed"
    assert order(1001).status == "shipped"
    assert "changed this order" in second.errors["form"] and second.status == "shipped"


def _cancel_mails(number: int) -> list[Any]:
    from portal_app.models import OutboxMail
    with session_scope() as s:
        return list(s.exec(select(OutboxMail).where(OutboxMail.subject == f"Order {number} cancelled")).all())


def test_staff_cancels_with_a_reason_the_contact_is_mailed_once_and_the_customer_sees_it(portal: Portal,
                                                                                           monkeypatch):
    import portal_app.state.catalog.admin_documents as admin_documents
    handed: list[list[int]] = []
    monkeypatch.setattr(admin_documents, "deliver_soon", handed.append)
    customer = portal.state(OrderPageState, "acme_admin", url="/orders/1001")
    portal.call(customer, "load")
    assert customer.status == "confirmed" and customer.cancel_reason == ""
    page = portal.state(AdminOrderState, "staff", url="/admin/orders/1001")
    portal.call(page, "load")
    assert page.may_cancel and page.cancel_reason == ""
    form = {"reason": "Out of stock until May."}
    portal.call(page, "cancel", form)
    assert order(1001).status == "cancelled" and order(1001).cancel_reason == "Out of stock until May."
    assert page.notice == "The order is now Cancelled. The customer gets an email about it." and page.errors == {}
    assert page.status == "cancelled" and not page.may_cancel and page.cancel_reason == "Out of stock until May."
    mails = _cancel_mails(1001)
    assert [m.to for m in mails] == ["admin@acme.example.com"] and handed == [[mails[0].id]]
    assert "Reason: Out of stock until May." in mails[0].body and "/orders/1001" in mails[0].body
    portal.call(page, "cancel", form)  # the double click's second event: nothing, no message, no mail
    assert len(_cancel_mails(1001)) == 1 and len(handed) == 1 and page.errors == {}
    portal.call(customer, "tick", "now")  # the customer's open page follows, with the reason
    assert customer.status == "cancelled" and customer.cancel_reason == "Out of stock until May."


def test_a_bad_cancel_reason_cancels_nothing(portal: Portal):
    page = portal.state(AdminOrderState, "staff", url="/admin/orders/1001")
    portal.call(page, "load")
    before = portal.snapshot()
    portal.call(page, "cancel", {"reason": "x" * 501})
    assert "reason" in page.errors and page.may_cancel and LONG not in portal.public_text(page)
    for garbage in ([], True, ["a"], {"reason": ["a"]}, {"reason": {"a": 1}}, {"reason": "a\x00b"},
                    {"reason": LONG}):
        portal.call(page, "cancel", garbage)
    assert portal.snapshot() == before and _cancel_mails(1001) == [] and order(1001).status == "confirmed"
    assert LONG not in portal.public_text(page)


def test_the_order_list_filters_by_company_and_follows_changes(portal: Portal):
    inst = portal.state(AdminOrderListState, "staff", url="/admin/orders")
    portal.call(inst, "load")
    assert {r["number"] for r in inst.rows} == {1001, 1002, 1003}
    globex = str(portal.company_id("Globex GmbH"))
    path = shown_address(portal, inst, "set_company", globex)
    portal.set_url(inst, path)
    portal.call(inst, "load")
    assert [r["number"] for r in inst.rows] == [1003] and inst.company_label == "Globex GmbH"
    inst.rows = []
    portal.call(inst, "tick", "now")
    assert inst.rows == []  # nothing moved: no query
    live.bump(live.ALL_ORDERS)
    portal.call(inst, "tick", "now")
    assert [r["number"] for r in inst.rows] == [1003]


# --- products ------------------------------------------------------------------------------------------

def test_create_edit_archive_and_restore_a_product(portal: Portal):
    listing = staff_page(portal, AdminProductListState)
    assert listing.total == 30 and listing.rows[0]["name"] and "List prices" in listing.price_note
    portal.call(listing, "open_new")
    assert listing.new_open and listing.submission_id
    form = {**PRODUCT, "code": "bad code", "list_price": "abc", "submission_id": listing.submission_id}
    portal.call(listing, "create", form)
    assert {"code", "list_price", "form"} <= set(listing.errors) and listing.new_open

    form = {**PRODUCT, "submission_id": listing.submission_id}
    path = redirect_path(last(portal.call(listing, "create", form)))
    assert path == "/admin/products/CAB-10"
    again = portal.call(listing, "create", {**form})  # a double click: the same page, one product
    assert redirect_path(last(again)) == path
    listing.new_open = True  # (the dialog is open again in another click)
    assert redirect_path(last(portal.call(listing, "create", {**form}))) == path
    with session_scope() as s:
        assert len(s.exec(select(Product).where(Product.code == "CAB-10")).all()) == 1

    page = portal.state(AdminProductState, "staff", url=path)
    portal.call(page, "load")
    assert page.found and page.product["list_price"] == "12.50" and page.product["orderable"]
    portal.call(page, "save", {**PRODUCT, "name": "", "vat_rate": "200"})
    assert set(page.errors) == {"name", "vat_rate", "form"}
    tools = portal.state(AdminProductListState, "staff", url="/admin/products")
    portal.call(tools, "load")
    portal.call(tools, "add_category", {"category_name": "Tools"})
    assert "Tools" in [c["label"] for c in tools.categories]
    tools_id = next(c["value"] for c in tools.categories if c["label"] == "Tools")
    portal.call(page, "save", {**PRODUCT, "name": "Patch cable, 10 m", "category_id": tools_id,
                               "description": "Cat 6.", "orderable": None})
    assert page.errors == {} and page.notice == "Product saved." and page.title == "Patch cable, 10 m"
    assert not page.product["orderable"] and page.product["category_id"] == tools_id

    shopper = portal.state(CatalogState, "globex_admin", url="/catalog?q=patch")  # list prices
    portal.call(shopper, "load")
    assert [r["code"] for r in shopper.rows] == ["CAB-10"] and shopper.rows[0]["price"] == "€12.50"

    portal.call(page, "set_archived", True)
    assert page.archived and page.notice == "Product archived."
    portal.call(shopper, "load")
    assert shopper.rows == []
    portal.call(listing, "load")
    assert "CAB-10" not in [r["code"] for r in listing.rows]
    portal.set_url(listing, shown_address(portal, listing, "set_status", "all") + "&q=patch")
    portal.call(listing, "load")
    assert [(r["code"], r["archived"]) for r in listing.rows] == [("CAB-10", True)]
    portal.call(page, "set_archived", False)
    portal.call(shopper, "load")
    assert [r["code"] for r in shopper.rows] == ["CAB-10"]

    # a new code: the page moves to the product's new address
    result = portal.call(page, "save", {**PRODUCT, "code": "CAB-10M", "category_id": tools_id})
    assert redirect_path(last(result)) == "/admin/products/CAB-10M"
    # a category with products is not deleted
    portal.call(tools, "delete_category", int(tools_id))
    assert "form" in tools.errors and tools.notice_at == "categories"


def test_finnish_staff_see_decimal_commas_in_the_form_and_save_them(portal: Portal):
    with session_scope() as s:  # staff's own language: Finnish
        s.exec(update(Account).where(Account.email == "staff@example.com").values(language="fi"))
        s.commit()
    page = portal.state(AdminProductState, "staff", url="/admin/products/PRN-100")
    portal.call(page, "load")
    assert page.lang == "fi" and (page.product["list_price"], page.product["vat_rate"]) == ("499,00", "25,5")
    portal.call(page, "save", {**page.product, "list_price": "479,50", "orderable": "on", "whole_units": "on"})
    assert not page.errors, page.errors
    assert page.product["list_price"] == "479,50"
    with session_scope() as s:
        assert s.exec(select(Product.list_price_cents).where(Product.code == "PRN-100")).one() == 47950
    with session_scope() as s:
        s.exec(update(Account).where(Account.email == "staff@example.com").values(language="en"))
        s.commit()
    english = portal.state(AdminProductState, "staff", url="/admin/products/PRN-100")
    portal.call(english, "load")
    assert (english.product["list_price"], english.product["vat_rate"]) == ("479.50", "25.5")


def test_a_product_picture_is_checked_and_stored_privately(portal: Portal, tmp_path):
    page = portal.state(AdminProductState, "staff", url="/admin/products/PRN-100")
    portal.call(page, "load")
    assert page.image == ""
    # a file the drop zone let none of through (a .pdf): said, and the zone is not left "Uploading…"
    portal.call(page, "upload_image", UploadFiles([]))
    assert page.image_error == "Use a PNG, JPEG, WebP or GIF picture." and not page.image_busy
    portal.call(page, "upload_image", UploadFiles([("notes.png", b"not a picture at all")]))
    assert page.image_error == "Use a PNG, JPEG, WebP or GIF picture." and images() == []
    portal.call(page, "upload_image", UploadFiles([("huge.png", PNG + b"\x00" * (2 * 2**20))], chunk_size=65536))
    assert "larger than 2 MB" in page.image_error and images() == []
    portal.call(page, "upload_image", UploadFiles([("printer.png", PNG)]))
    assert page.image_error == "" and page.notice == "Picture saved."
    assert page.image.startswith("/api/catalog/PRN-100/image?v=")
    stored = images()
    assert len(stored) == 1 and stored[0].endswith(".png") and "printer" not in stored[0]
    from reflex_base.environment import environment

    upload_dir = environment.REFLEX_UPLOADED_FILES_DIR.get()
    assert not any(p.name.endswith(".png") for p in upload_dir.rglob("*")) if upload_dir.exists() else True
    portal.call(page, "remove_image")
    assert page.image == "" and images() == []


# --- price books ---------------------------------------------------------------------------------------

def test_a_price_book_assigned_to_a_company_changes_its_prices(portal: Portal):
    globex = portal.company_id("Globex GmbH")
    shopper = portal.state(ProductState, "globex_admin", url="/catalog/PRN-100")
    portal.call(shopper, "load")
    assert shopper.product["price"] == "€499.00"  # Globex has no book: list prices

    books = staff_page(portal, AdminPriceBookListState)
    assert {r["name"] for r in books.rows} == {"Acme 2025", "Acme 2026"}
    assert next(r for r in books.rows if r["name"] == "Acme 2025")["state"] == "not_now"
    portal.call(books, "open_new")
    form = {"name": "Globex 2026", "currency": "EUR", "valid_from": "", "valid_to": "", "active": "on",
            "submission_id": books.submission_id}
    path = redirect_path(last(portal.call(books, "create", form)))
    assert path == f"/admin/price-books/{book_id('Globex 2026')}"

    page = portal.state(AdminPriceBookState, "staff", url=path)
    portal.call(page, "load")
    assert page.found and page.entries == [] and page.assigned == [] and page.state == "in_effect"
    portal.call(page, "set_price", {"code": "NOPE-1", "price": "x"})
    assert set(page.errors) == {"code", "price", "form"} and page.entry_code == "NOPE-1"
    portal.call(page, "set_price", {"code": "prn-100", "price": "399,00"})  # the code in any case
    assert page.errors == {} and [(e["code"], e["price"]) for e in page.entries] == [("PRN-100", "€399.00")]
    portal.call(page, "find_companies", "glob")
    # the name, then its business ID and city (companies of like names told apart)
    assert [c["label"].split(" (")[0] for c in page.company_matches] == ["Globex GmbH"]
    portal.call(page, "set_company", page.company_matches[0]["value"])
    portal.call(page, "assign")
    assert [(a["name"], a["in_effect"]) for a in page.assigned] == [("Globex GmbH", True)]

    portal.call(shopper, "load")
    assert shopper.product["price"] == "€399.00"
    listing = portal.state(AdminProductListState, "staff", url=f"/admin/products?company={globex}&q=PRN-100")
    portal.call(listing, "load")
    assert listing.rows[0]["price"] == "€399.00" and "Globex 2026" in listing.price_note
    assert listing.company_label == "Globex GmbH"

    # a product missing from the book is priced on request for Globex; taking the book away: list prices
    shopper_srv = portal.state(ProductState, "globex_admin", url="/catalog/SRV-200")
    portal.call(shopper_srv, "load")
    assert shopper_srv.product["on_request"]
    portal.call(page, "unassign", globex)
    assert page.assigned == []
    portal.call(shopper, "load")
    assert shopper.product["price"] == "€499.00"

    portal.call(page, "remove_entry", product_id("PRN-100"))
    assert page.entries == []
    result = portal.call(page, "delete_book")
    assert redirect_path(last(result)) == "/admin/price-books"
    with session_scope() as s:
        assert s.exec(select(PriceBook).where(PriceBook.name == "Globex 2026")).first() is None
        assert s.exec(select(CompanyPriceBook).where(CompanyPriceBook.company_id == globex)).first() is None


# --- CSV imports ---------------------------------------------------------------------------------------

def test_a_good_products_csv_is_imported(portal: Portal):
    listing = staff_page(portal, AdminProductListState)
    portal.call(listing, "import_csv", UploadFiles([("products.csv", GOOD_CSV)]))
    assert listing.report_ok and listing.report == [] and listing.report_text == (
        "Imported 2 rows: 2 new, 0 updated.")
    assert listing.total == 32 and "Tools" in [c["label"] for c in listing.categories]
    with session_scope() as s:
        tester = s.exec(select(Product).where(Product.code == "CSV-2")).one()
        assert not tester.orderable and tester.list_price_cents == 2900
        assert s.exec(select(ProductCategory).where(ProductCategory.name == "Tools")).one()


def test_a_products_csv_with_a_bad_row_imports_nothing(portal: Portal):
    listing = staff_page(portal, AdminProductListState)
    before = portal.snapshot()
    portal.call(listing, "import_csv", UploadFiles([("products.csv", BAD_CSV)]))
    assert portal.snapshot() == before
    assert not listing.report_ok
    assert listing.report_text.startswith("Nothing was imported. Problems found in the file: 2.")
    assert [(r["row"], r["column"]) for r in listing.report] == [(3, "code"), (3, "list_price")]
    assert listing.report[0]["message"] == "Use letters, digits and . _ / - only."
    assert listing.report[1]["message"] == "Enter a number, like 2, 1.5 or 1240.50."  # prices take decimals
    # no file let through (an .xlsx dropped on the zone that takes .csv): said
    portal.call(listing, "import_csv", UploadFiles([]))
    assert not listing.report_ok and not listing.importing and listing.report_text.startswith("Choose a CSV file")
    # not a table at all: one problem for the whole file
    portal.call(listing, "import_csv", UploadFiles([("x.csv", b"\x00\x01\x02")]))
    assert not listing.report_ok and listing.report and listing.report[0]["row"] == 1
    portal.call(listing, "import_csv", UploadFiles([("big.csv", b"code,name\n" + b"A,B\n" * (2 * 2**20))],
                                                   chunk_size=2**20))
    assert not listing.report_ok and "larger than 5 MB" in listing.report[0]["message"]
    assert portal.snapshot() == before


def test_one_row_is_said_in_the_singular_and_a_vat_rate_names_its_range(portal: Portal):
    listing = staff_page(portal, AdminProductListState)
    portal.call(listing, "import_csv", UploadFiles([("p.csv", b"code,name,list_price,vat_rate\nCSV-7,Probe,12.50,250\n")]))
    assert [r["message"] for r in listing.report] == ["Enter a VAT rate from 0 to 100 (percent, like 25.5)."]
    portal.call(listing, "import_csv", UploadFiles([("p.csv", b"code,name,list_price,vat_rate\nCSV-7,Probe,12.50,24\n")]))
    assert listing.report_ok and listing.report_text == "Imported 1 row: 1 new, 0 updated."
    listing.lang = "fi"
    portal.call(listing, "import_csv", UploadFiles([("p.csv", b"code;name;list_price\nCSV-7;Probe;12,75\n")]))
    assert listing.report_ok and listing.report_text == "Tuotiin 1 rivi: uusia 0, päivitettyjä 1."
    portal.call(listing, "import_csv", UploadFiles([("p.csv", b"code;name;list_price;vat_rate\nCSV-8;X;1 240,5 e;250\n")]))
    assert [r["message"] for r in listing.report] == ["Anna luku, esimerkiksi 2, 1,5 tai 1 240,50.",
                                                      "Anna ALV-kanta väliltä 0–100 (prosentteina, esim. 25,5)."]


def test_a_price_books_csv(portal: Portal):
    acme = book_id("Acme 2026")
    page = portal.state(AdminPriceBookState, "staff", url=f"/admin/price-books/{acme}")
    portal.call(page, "load")
    before = portal.snapshot()
    portal.call(page, "import_csv", UploadFiles([("p.csv", b"code,price\nPRN-100,400\nNOPE,1\n")]))
    assert portal.snapshot() == before and not page.report_ok
    assert [(r["row"], r["column"], r["message"]) for r in page.report] == [
        (3, "code", "No product has the code NOPE.")]
    portal.call(page, "import_csv", UploadFiles([("p.csv", b"code,price\nPRN-100,400\nSRV-200,88.50\n")]))
    assert page.report_ok and page.report_text == "Imported 2 rows: 1 new, 1 updated."
    with session_scope() as s:
        prices = dict(s.exec(select(PriceBookEntry.product_id, PriceBookEntry.price_cents)
                             .where(PriceBookEntry.price_book_id == acme)).all())
    assert prices[product_id("PRN-100")] == 40000 and prices[product_id("SRV-200")] == 8850


# --- opportunities -------------------------------------------------------------------------------------

def test_opportunities_created_edited_and_deleted(portal: Portal):
    listing = staff_page(portal, AdminOpportunityListState)
    assert {r["name"] for r in listing.rows} == {"Printer fleet renewal", "Network upgrade, Tampere office",
                                                 "Laptop refresh 2027"}  # open ones
    portal.set_url(listing, shown_address(portal, listing, "set_closed", True))
    portal.call(listing, "load")
    assert listing.total == 5 and listing.show_closed

    new = portal.state(AdminOpportunityState, "staff", url="/admin/opportunities/new")
    portal.call(new, "load")
    assert new.found and new.is_new and new.submission_id and new.opportunity["owner_name"] == "Sam Staff"
    form = {"name": "Scanner rollout", "stage": "proposal", "amount": "8 400,00", "currency": "EUR",
            "probability": "40", "expected_close": "2099-06-30", "owner_name": "Sam Staff", "description": "",
            "submission_id": new.submission_id}
    portal.call(new, "save", form)
    assert new.errors["company"] == "Choose the company."
    portal.call(new, "set_company", str(portal.company_id("Acme Oy")))
    path = redirect_path(last(portal.call(new, "save", form)))
    assert path and path.startswith("/admin/opportunities/")
    assert redirect_path(last(portal.call(new, "save", form))) == path  # a double click: one
    with session_scope() as s:
        assert len(s.exec(select(Opportunity).where(Opportunity.name == "Scanner rollout")).all()) == 1

    page = portal.state(AdminOpportunityState, "staff", url=path)
    portal.call(page, "load")
    assert page.found and page.company_label == "Acme Oy" and page.opportunity["amount"] == "8400.00"
    portal.call(page, "save", {**form, "probability": "140"})
    assert set(page.errors) == {"probability", "form"}
    portal.call(page, "save", {**form, "stage": "won", "probability": "100"})
    assert page.errors == {} and page.opportunity["stage"] == "won"
    assert redirect_path(last(portal.call(page, "delete"))) == "/admin/opportunities"
    with session_scope() as s:
        assert s.exec(select(Opportunity).where(Opportunity.name == "Scanner rollout")).first() is None


# --- double clicks, prefilled forms, every error at once ---------------------------------------------

def _quote_mails(number: int) -> int:
    from portal_app.models import OutboxMail
    with session_scope() as s:
        return len(s.exec(select(OutboxMail).where(
            col(OutboxMail.subject).in_([f"Your quote {number}", f"Revised quote {number}"]))).all())


def test_send_quote_twice_from_one_form_sends_one_mail(portal: Portal):
    page = portal.state(AdminQuoteState, "staff", url="/admin/quotes/1001")
    portal.call(page, "load")
    shown = page.submission_id
    assert shown and _quote_mails(1001) == 0
    form = _quote_form(page, line_1_unit_price="85", submission_id=shown)
    portal.call(page, "send", form)
    answered = quote(1001)
    assert answered.status == "quoted" and page.notice == "Quote 1001 sent to the customer." and _quote_mails(1001) == 1
    assert page.submission_id not in ("", shown)  # the form shown again: a new one
    portal.call(page, "send", form)  # the double click's second event, queued with the first form's id
    assert _quote_mails(1001) == 1 and page.errors == {}
    assert quote(1001).quoted_at == answered.quoted_at
    assert page.price_note == "The lines start as this quote was sent: its prices and discounts."
    portal.call(page, "send", _quote_form(page, line_1_unit_price="80", submission_id=page.submission_id))
    assert _quote_mails(1001) == 2 and quote(1001).total_cents != answered.total_cents  # a revision: sent


def test_change_on_a_price_row_fills_the_price_form(portal: Portal):
    page = portal.state(AdminPriceBookState, "staff", url=f"/admin/price-books/{book_id('Acme 2026')}")
    portal.call(page, "load")
    row = next(e for e in page.entries if e["code"] == "PRN-100")
    key = page.entry_key
    assert row["price"] == "€449.00" and not page.entry_editing
    # (its companies download as CSV: http/catalog.py's route, this book's rows)
    assert page.csv_href == f"/api/admin/price-book-assignments.csv?book={book_id('Acme 2026')}"
    portal.call(page, "edit_entry", row["product_id"])
    assert (page.entry_code, page.entry_price) == ("PRN-100", "449.00")  # as the field takes it back
    assert page.entry_editing and page.entry_key == key + 1  # the form anew, its price field focused
    portal.call(page, "set_price", {"code": page.entry_code, "price": "439"})
    assert page.errors == {} and (page.entry_code, page.entry_price, page.entry_editing) == ("", "", False)
    assert next(e for e in page.entries if e["code"] == "PRN-100")["amount"] == "439.00"


def test_a_new_opportunity_reports_every_error_at_once(portal: Portal):
    new = portal.state(AdminOpportunityState, "staff", url="/admin/opportunities/new")
    portal.call(new, "load")
    before = portal.snapshot()
    form = {"name": "", "stage": "proposal", "amount": "-100", "currency": "EUR", "probability": "abc",
            "expected_close": "", "owner_name": "", "description": "", "submission_id": new.submission_id}
    portal.call(new, "save", form)
    assert portal.snapshot() == before
    assert set(new.errors) == {"company", "name", "amount", "probability", "form"}
    assert new.errors["company"] == "Choose the company." and new.errors["name"] == "This field is required."
    portal.call(new, "set_company", str(portal.company_id("Acme Oy")))
    portal.call(new, "save", {**form, "name": "Scanners"})
    assert set(new.errors) == {"amount", "probability", "form"}


def test_staff_names_a_product_and_a_category_in_finnish_and_a_finnish_contact_reads_them(portal: Portal):
    page = portal.state(AdminProductState, "staff", url="/admin/products/PRN-300")
    portal.call(page, "load")
    assert page.texts["name_fi"] == "Tarratulostin" and page.texts["name"] == "Label printer" and page.texts_open
    form = {**PRODUCT, "code": "PRN-300", "name": "Label printer", "name_fi": "x" * 201, "name_de": "",
            "description_de": "Nur eine Beschreibung", "name_it": "Etichettatrice"}
    portal.call(page, "save", form)
    assert set(page.errors) == {"name_fi", "name_de", "form"} and page.texts_open
    assert "Write the name in this language too" in page.errors["name_de"]
    portal.call(page, "save", {**form, "name_fi": "Etikettitulostin", "description_de": ""})
    assert page.errors == {} and page.notice == "Product saved."
    assert page.texts["name_fi"] == "Etikettitulostin" and page.texts["name_de"] == ""

    listing = staff_page(portal, AdminProductListState)
    networking = next(r for r in listing.category_rows if r["name"] == "Networking")
    portal.call(listing, "edit_category", networking["id"])
    assert listing.category_open and listing.category_form["name_fi"] == "Verkot"
    portal.call(listing, "save_category", {"name": "Networking", "name_fi": "y" * 101, "name_de": "", "name_it": ""})
    assert "name_fi" in listing.errors and listing.category_open
    portal.call(listing, "save_category", {"name": "Networking", "name_fi": "Tietoverkot", "name_de": "",
                                           "name_it": ""})
    assert not listing.category_open and listing.notice == "Category saved." and listing.notice_at == "categories"

    with session_scope() as s:  # Aino reads Finnish
        s.exec(update(Account).where(Account.email == "admin@acme.example.com").values(language="fi"))
        s.commit()
    shopper = portal.state(CatalogState, "acme_admin", url="/catalog?q=PRN-300")
    portal.call(shopper, "load")
    assert [r["name"] for r in shopper.rows] == ["Etikettitulostin"]
    assert "Tietoverkot" in [c["label"].rsplit(" (", 1)[0] for c in shopper.categories]
    product = portal.state(ProductState, "acme_admin", url="/catalog/PRN-300")
    portal.call(product, "load")
    assert product.product["name"] == "Etikettitulostin"
    printer = portal.state(ProductState, "acme_admin", url="/catalog/PRN-100")
    portal.call(printer, "load")
    assert (printer.product["name"], printer.product["category"], printer.product["unit"]) == (
        "Toimistotulostin", "Tulostimet ja skannerit", "kpl")
    assert printer.description == "Toimistotulostin. Toimitus ja tuki palvelutiimiltämme."
