"""Lists whose view lives in the URL (state/url_list.py), through some of the states that use it:

- a page past the end (an old link, a list that shrank) shows the last page, not an empty table,
  and its address then replaces the one asked for (`follow_page`, no new history entry), keeping
  the filters and the sort; the customer lists, staff's invoices and staff's catalog lists alike;
- the phones' "Sort by" menu: each sortable column both ways, the view's sort chosen, and a choice
  goes to the same address the column header would;
- a click that changes the view shows it in the same event and names its address for the page's
  `url_sync`; who may see the list is checked again, and where the click cannot show it, the
  browser navigates to the address for the page's on_load to guard.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from statekit import Portal, redirect_path, shown_address

from reflex_base.event import EventSpec

from portal_app.db import session_scope
from portal_app.models import Company
from portal_app.services.accounts import auth
from portal_app.services.portal import config
from portal_app.services.invoices import admin as invoice_admin
from portal_app.state.admin_invoices import AdminInvoiceListState
from portal_app.state.catalog.admin import AdminProductListState
from portal_app.state.catalog.documents import QuoteListState
from portal_app.state.invoices import InvoiceListState

LINE = {"description": "Work", "quantity": "1", "unit_price": "10", "vat_rate": "24"}


def replaces(result: Any) -> bool:
    """Whether an rx.redirect replaces the address instead of adding a history entry."""
    assert isinstance(result, EventSpec)
    return dict((k._js_expr, getattr(v, "_var_value", None)) for k, v in result.args)["replace"] is True


def drafts(count: int) -> list[int]:
    with session_scope() as s:
        acme = s.exec(select(Company).where(Company.name == "Acme Oy")).one().id
        return [invoice_admin.create_draft(session=s, actor=Portal.actor("staff"), company_id=acme,
                                           data={"currency": "EUR", "lines": [LINE]}).id for _ in range(count)]


def opened(portal: Portal, cls: type, who: str, url: str) -> Any:
    inst = portal.state(cls, who, url=url)
    assert portal.call(inst, "load") is None
    return inst


def test_a_customer_list_past_its_end_shows_its_last_page_at_its_own_address(portal: Portal):
    inst = opened(portal, InvoiceListState, "acme_admin", "/invoices?status=open&sort=total&page=99")
    assert [r["number"] for r in inst.rows] == [1002] and inst.total == 1  # not an empty table
    assert (inst.page, inst.pages, inst.page_text) == (1, 1, "Page 1 of 1 (1 invoice)")
    assert inst.moved_to == "/invoices?status=open&sort=total" and inst.filtered and inst.sel_status == "open"
    # the page's element calls this at once: the address bar gets the page shown, no history entry
    result = portal.call(inst, "follow_page")
    assert redirect_path(result) == "/invoices?status=open&sort=total" and replaces(result)
    assert inst.moved_to == ""
    assert portal.call(inst, "follow_page") is None  # once
    # then the list is loaded at that address: nothing to replace
    portal.set_url(inst, "/invoices?status=open&sort=total")
    portal.call(inst, "load")
    assert inst.moved_to == "" and [r["number"] for r in inst.rows] == [1002]


def test_the_address_is_not_replaced_once_the_browser_moved_on(portal: Portal):
    inst = opened(portal, QuoteListState, "acme_admin", "/quotes?page=7")
    assert inst.rows and inst.page == 1 and inst.moved_to == "/quotes"
    portal.set_url(inst, "/quotes?status=quoted")  # another view was asked for meanwhile
    assert portal.call(inst, "follow_page") is None and inst.moved_to == ""


def test_an_empty_view_past_its_end_says_nothing_matches(portal: Portal):
    inst = opened(portal, InvoiceListState, "acme_admin", "/invoices?q=nothing-like-it&page=3")
    assert inst.rows == [] and inst.total == 0 and inst.page == 1 and inst.filtered  # "No invoices match"
    assert inst.moved_to == "/invoices?q=nothing-like-it"


def test_staffs_lists_past_their_end_show_the_last_page(portal: Portal):
    drafts(30)  # 34 invoices with the demo's four: two pages
    inst = opened(portal, AdminInvoiceListState, "staff", "/admin/invoices?sort=total&page=99")
    assert (inst.page, inst.pages, inst.total, len(inst.rows)) == (2, 2, 34, 9)
    assert inst.moved_to == "/admin/invoices?sort=total&page=2"
    result = portal.call(inst, "follow_page")
    assert redirect_path(result) == "/admin/invoices?sort=total&page=2" and replaces(result)
    # the pager goes on from the page shown, not from the one asked for
    assert shown_address(portal, inst, "go_to_page", 1) == "/admin/invoices?sort=total"
    # a page within the list is left as it is
    second = opened(portal, AdminInvoiceListState, "staff", "/admin/invoices?page=2")
    assert second.page == 2 and len(second.rows) == 9 and second.moved_to == ""
    # staff's catalog lists (their own on_load) too
    products = opened(portal, AdminProductListState, "staff", "/admin/products?page=50")
    assert products.rows and products.page == products.pages < 50
    assert products.moved_to == (f"/admin/products?page={products.pages}" if products.pages > 1 else "/admin/products")


def test_values_a_list_ignores_leave_its_address(portal: Portal):
    inst = opened(portal, InvoiceListState, "acme_admin", "/invoices?page=-1&sort=foo&status=open&utm=x")
    assert inst.sel_status == "open" and inst.moved_to == "/invoices?status=open"
    result = portal.call(inst, "follow_page")
    assert redirect_path(result) == "/invoices?status=open" and replaces(result)
    # the same view in another spelling is left as it is: the order of the values, a blank search, "+"
    for same in ("/invoices?sort=total&status=open", "/invoices?status=open&q=", "/invoices?q=big+order"):
        assert opened(portal, InvoiceListState, "acme_admin", same).moved_to == ""
    assert opened(portal, InvoiceListState, "acme_admin", "/invoices?q=+big++").moved_to == "/invoices?q=big"
    staff = opened(portal, AdminInvoiceListState, "staff", "/admin/invoices?company=007&sort=-foo")
    assert staff.moved_to == "/admin/invoices"
    products = opened(portal, AdminProductListState, "staff", "/admin/products?status=nope")
    assert products.moved_to == "/admin/products"


def test_a_list_that_shrank_under_its_last_page_moves_to_the_new_last_page(portal: Portal):
    ids = drafts(30)
    inst = opened(portal, AdminInvoiceListState, "staff", "/admin/invoices?page=2")
    assert inst.page == 2 and inst.moved_to == ""
    with session_scope() as s:
        for draft in ids[:20]:
            invoice_admin.delete_draft(session=s, actor=Portal.actor("staff"), invoice_id=draft)
    inst._seen = -5  # (as if another tab had changed an invoice: the tick reloads)
    portal.call(inst, "tick", "now")
    assert (inst.page, inst.pages, inst.total) == (1, 1, 14) and len(inst.rows) == 14
    assert inst.moved_to == "/admin/invoices"


def test_the_phones_sort_menu_offers_each_sortable_column_both_ways(portal: Portal):
    inst = opened(portal, InvoiceListState, "acme_admin", "/invoices?status=open")
    sortable = [c["key"] for c in inst.columns if c["sortable"]]
    assert [c["value"] for c in inst.sort_choices] == [v for k in sortable for v in (k, f"-{k}")]
    assert inst.sort_value == "-number"  # the default: the newest first
    assert next(c for c in inst.sort_choices if c["value"] == "-total")["label"] == "Total, descending"
    assert next(c for c in inst.sort_choices if c["value"] == "due_date")["label"] == "Due date, ascending"
    # the same addresses as the column headers'
    assert shown_address(portal, inst, "set_sort", "due_date") == "/invoices?status=open&sort=due_date"
    assert shown_address(portal, inst, "set_sort", "-total") == "/invoices?status=open&sort=-total"
    assert shown_address(portal, inst, "set_sort", "-number") == "/invoices?status=open"
    for garbage in ("password_hash", "--total", "total-", "", None, 3, {}, "-" * 1000):
        assert portal.call(inst, "set_sort", garbage) is None
    ascending = opened(portal, InvoiceListState, "acme_admin", "/invoices?sort=total")
    assert ascending.sort_value == "total"



def test_a_click_shows_its_view_at_once_and_a_page_past_the_end_as_its_last_page(portal: Portal):
    drafts(30)
    inst = opened(portal, AdminInvoiceListState, "staff", "/admin/invoices?status=draft")
    assert inst.view_url == "" and inst.pages == 2
    assert shown_address(portal, inst, "go_to_page", 2) == "/admin/invoices?status=draft&page=2"
    assert inst.page == 2 and inst.rows and inst.moved_to == ""
    # the list shrank meanwhile: the click shows the last page there is, at that page's address
    inst.pages = 9
    assert shown_address(portal, inst, "go_to_page", 9) == "/admin/invoices?status=draft&page=2"
    assert inst.page == 2 and inst.moved_to == ""


def test_a_click_on_a_list_no_longer_allowed_navigates_for_the_guard(portal: Portal):
    inst = opened(portal, InvoiceListState, "acme_admin", "/invoices")
    shown = list(inst.rows)
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=portal.actor("staff"), module="invoices", enabled=False)
    assert redirect_path(portal.call(inst, "set_status", "open")) == "/invoices?status=open"
    assert inst.rows == shown and inst.view_url == "" and inst.sel_status == ""
    with session_scope() as s:
        config.set_module_enabled(session=s, actor=portal.actor("staff"), module="invoices", enabled=True)
    assert shown_address(portal, inst, "set_status", "open") == "/invoices?status=open"
    with session_scope() as s:
        auth.logout(session=s, token=portal.token("acme_admin"))
    assert redirect_path(portal.call(inst, "set_status", "")) == "/invoices"
    # a tab whose list was never shown (the page's on_load did not run) navigates as well
    fresh = portal.state(AdminInvoiceListState, "staff", url="/admin/invoices")
    assert redirect_path(portal.call(fresh, "set_status", "draft")) == "/admin/invoices?status=draft"
    assert fresh.rows == [] and fresh.view_url == ""
