"""Staff's invoices in the admin panel (state/admin_invoices.py), handlers called as Reflex calls them.

- every handler, called by an anonymous visitor or a customer (a company admin with the Invoices
  module, a basic contact), gets nothing and changes nothing, also with the editor's and the invoice
  page's backend vars forged to point at real rows (the services refuse);
- garbage arguments are refused cleanly;
- the journey: a draft (a bad quantity said next to its field, what was typed kept), saved once per
  submission id, edited, issued with the next number, paid in full by a bank payment: "Paid";
- the list (drafts first-class, filters in the URL, sums, the CSV link), void, credit, review, live;
- the seller's details in the portal settings (their errors next to the fields, typing kept).

Demo invoices (seed): Acme 1001 paid, 1002 open 1,240.00, 1003 overdue 310.00; Globex 1004 open 750.00.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select
from statekit import LONG, Portal, garbage_values, redirect_path, shown_address

from portal_app import local_time
from portal_app.db import session_scope
from portal_app.models import Company, Invoice, InvoiceLine, InvoiceState, PortalSettings
from portal_app.services import live
from portal_app.services.invoices import admin as invoice_admin
from portal_app.state.admin_invoices import (
    AdminInvoiceEditorState, AdminInvoiceListState, AdminInvoiceState, staff_query,
)
from portal_app.state.admin_settings import AdminSettingsState
from portal_app.state.session import SessionState

LIST, NEW = "/admin/invoices", "/admin/invoices/new"
STAFF_STATES = (AdminInvoiceListState, AdminInvoiceEditorState, AdminInvoiceState)
# what none but staff may receive from these states: lines of every company's invoices, drafts' notes
PRIVATE = ("Portal licence", "Network maintenance", "NET-M", "LIC-12", "Support subscription", "DRAFT-SECRET",
           "Globex")
LINE = {"description": "Consulting", "product_code": "CONS-H", "quantity": "2", "unit": "h", "unit_price": "100",
        "vat_rate": "24"}


def q(url: str | None) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url or "").query)


def draft_form(inst: AdminInvoiceEditorState, lines: list[dict[str, str]], **header: str) -> dict[str, Any]:
    """The editor's form as the browser sends it: the header and each shown line's inputs by key."""
    keys = [line["key"] for line in inst.lines if not line["removed"]]
    form: dict[str, Any] = {"currency": "EUR", "due_date": "", "notes": "", "submission_id": inst.submission_id,
                            **header}
    for key, line in zip(keys, lines, strict=True):
        form.update({f"line_{key}_{name}": value for name, value in line.items()})
    return form


def acme_draft(notes: str = "DRAFT-SECRET") -> int:
    """A saved draft for Acme (two lines), through the service; its id."""
    with session_scope() as s:
        acme = s.exec(select(Company).where(Company.name == "Acme Oy")).one().id
        return invoice_admin.create_draft(session=s, actor=Portal.actor("staff"), company_id=acme, data={
            "currency": "EUR", "notes": notes, "lines": [LINE, {**LINE, "description": "Travel", "quantity": "1"}],
        }).id


def invoice(number: int) -> Invoice:
    with session_scope() as s:
        return s.exec(select(Invoice).where(Invoice.number == number)).one()


def draft_count() -> int:
    with session_scope() as s:
        return len(s.exec(select(Invoice).where(Invoice.state == InvoiceState.DRAFT)).all())


# --- who may ---------------------------------------------------------------------------------------------

def forge_editor(p: Portal, inst: Any) -> None:
    """As if staff had opened a draft in this tab before."""
    inst._draft_id = acme_draft()
    inst.editing, inst.is_new = True, False
    inst.lines = [{"key": 0, "n": 1, **LINE, "removed": False}]


def forge_invoice(p: Portal, inst: Any) -> None:
    """As if staff had opened invoice 1002 in this tab before."""
    inst.found, inst.number, inst.needs_review = True, 1002, True


CALLS: list[tuple[type, str, tuple, Any]] = [
    (AdminInvoiceListState, "load", (), None),
    (AdminInvoiceListState, "set_status", ("draft",), None),
    (AdminInvoiceListState, "search", ({"q": "1002"},), None),
    (AdminInvoiceListState, "sort_by", ("total",), None),
    (AdminInvoiceListState, "go_to_page", (1,), None),
    (AdminInvoiceListState, "set_sort", ("-total",), None),
    (AdminInvoiceListState, "follow_page", (), None),
    (AdminInvoiceListState, "set_company", ("1",), None),
    (AdminInvoiceListState, "clear", (), None),
    (AdminInvoiceListState, "tick", ("now",), None),
    (AdminInvoiceListState, "reconcile", (), None),
    (AdminInvoiceListState, "find_companies", ("Glo",), None),
    (AdminInvoiceListState, "close_company_matches", (), None),
    (AdminInvoiceEditorState, "load_new", (), None),
    (AdminInvoiceEditorState, "load_draft", (), "draft"),
    (AdminInvoiceEditorState, "add_line", (), forge_editor),
    (AdminInvoiceEditorState, "remove_line", (0,), forge_editor),
    (AdminInvoiceEditorState, "save", ({"currency": "EUR", "line_0_description": "Hacked", "line_0_quantity": "1",
                                        "line_0_unit_price": "1", "line_0_vat_rate": "0"},), forge_editor),
    (AdminInvoiceEditorState, "set_company", ("1",), forge_editor),
    (AdminInvoiceEditorState, "delete_draft", (), forge_editor),
    (AdminInvoiceEditorState, "submitting", (True,), forge_editor),
    (AdminInvoiceEditorState, "find_companies", ("Glo",), None),
    (AdminInvoiceEditorState, "close_company_matches", (), None),
    (AdminInvoiceState, "load", (), None),
    (AdminInvoiceState, "tick", ("now",), forge_invoice),
    (AdminInvoiceState, "record_payment", ({"amount": "1240", "submission_id": "s" * 22},), forge_invoice),
    (AdminInvoiceState, "record_refund", ({"refund_amount": "1", "submission_id": "s" * 22},), forge_invoice),
    (AdminInvoiceState, "void", (), forge_invoice),
    (AdminInvoiceState, "credit", (), forge_invoice),
    (AdminInvoiceState, "clear_review", (), forge_invoice),
]


def test_every_handler_is_tried():
    tried = {(cls.__name__, name) for cls, name, _, _ in CALLS}
    for cls in STAFF_STATES:
        own = {n for n in cls.event_handlers if n != "setvar" and n not in SessionState.event_handlers}
        assert {(cls.__name__, n) for n in own} <= tried


def _url(cls: type, prep: Any) -> str:
    if cls is AdminInvoiceListState:
        return f"{LIST}?status=open"
    if cls is AdminInvoiceEditorState:
        return NEW if prep != "draft" else f"{LIST}/draft-{acme_draft()}"
    return f"{LIST}/1002"


@pytest.mark.parametrize("who", [None, "acme_admin", "acme_user", "globex_admin"])
@pytest.mark.parametrize(("cls", "name", "args", "prep"), CALLS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_a_non_staff_caller_gets_nothing_and_changes_nothing(portal: Portal, who, cls, name, args, prep):
    url = _url(cls, prep)
    inst = portal.state(cls, who, url=url)
    if callable(prep):
        prep(portal, inst)
    before = portal.snapshot()
    result = portal.call(inst, name, *args)
    assert portal.snapshot() == before
    path = redirect_path(result if not isinstance(result, list) else result[-1] if result else None)
    # (the list's filters only compose its address; the list's own load refuses then)
    assert path is None or path == "/" or path.startswith("/login") or path.split("?")[0] == LIST
    portal.assert_no_markers(inst, PRIVATE)
    assert not getattr(inst, "rows", []) and not getattr(inst, "company_matches", [])
    assert not (cls is AdminInvoiceState and inst.found and name != "tick")


@pytest.mark.parametrize(("cls", "name", "args", "prep"), [c for c in CALLS if c[2]],
                         ids=lambda v: getattr(v, "__name__", str(v)))
@pytest.mark.parametrize(("label", "garbage"), garbage_values())
def test_garbage_arguments_are_refused(portal: Portal, cls, name, args, prep, label, garbage):
    inst = portal.state(cls, "staff", url=_url(cls, prep))
    if callable(prep):
        prep(portal, inst)
    before = portal.snapshot()
    result = portal.call(inst, name, garbage)
    # nothing is written, and nowhere but the same list (with valid values only) is navigated to
    assert portal.snapshot() == before
    path = redirect_path(result if not isinstance(result, list) else (result[-1] if result else None))
    if path is not None:
        assert path in (LIST, f"{LIST}?status=draft") or path.startswith(f"{LIST}?"), path
        assert LONG not in path and "etc" not in path


# --- the journey --------------------------------------------------------------------------------------------

def test_draft_bad_quantity_fix_issue_and_pay_in_full(portal: Portal):
    acme = str(portal.company_id("Acme Oy"))
    editor = portal.state(AdminInvoiceEditorState, "staff", url=NEW)
    portal.call(editor, "load_new")
    assert editor.editing and editor.is_new and editor.submission_id and len(editor.lines) == 1
    portal.call(editor, "find_companies", "acm")
    # the name, then its business ID and city (companies of like names told apart)
    assert [c["label"].split(" (")[0] for c in editor.company_matches] == ["Acme Oy"]
    portal.call(editor, "set_company", editor.company_matches[0]["value"])
    assert (editor.company_value, editor.company_label, editor.company_matches) == (acme, "Acme Oy", [])
    portal.call(editor, "find_companies", "acm")
    assert editor.company_matches[0]["label"] == "Acme Oy (1234567-1, Helsinki)"
    portal.call(editor, "find_companies", "zzz")
    assert (editor.company_matches, editor.company_searched) == ([], "zzz")  # "No company matches"
    portal.call(editor, "close_company_matches")
    assert (editor.company_matches, editor.company_searched, editor.company_value) == ([], "", acme)
    portal.call(editor, "add_line")
    assert [(line["key"], line["n"]) for line in editor.lines] == [(0, 1), (1, 2)]

    lines = [LINE, {**LINE, "description": "Travel", "quantity": "two"}]
    before = draft_count()
    portal.call(editor, "save", draft_form(editor, lines, notes="Thanks"))
    assert draft_count() == before  # nothing saved
    assert set(editor.errors) == {"line_1_quantity", "form"}  # next to the second line's quantity
    assert editor.lines[1]["quantity"] == "two" and editor.notes == "Thanks"  # what was typed is kept

    lines[1]["quantity"] = "1,5"
    result = portal.call(editor, "save", draft_form(editor, lines, notes="Thanks"))
    path = redirect_path(result[-1])
    assert path and path.startswith(f"{LIST}/draft-")
    again = portal.call(editor, "save", draft_form(editor, lines, notes="Thanks"))  # a double click
    assert redirect_path(again[-1]) == path and draft_count() == before + 1

    page = portal.state(AdminInvoiceEditorState, "staff", url=path)
    assert portal.call(page, "load_draft") is None
    assert page.editing and not page.is_new and page.company_label == "Acme Oy"
    assert [line["quantity"] for line in page.lines] == ["2", "1.5"] and page.notes == "Thanks"
    assert "Total €434.00" in page.amounts  # 200 + 150 + 24 %

    # the draft changed: the first line removed, the due date set (two months on)
    due = (local_time.today() + timedelta(days=60)).isoformat()
    portal.call(page, "remove_line", 0)
    assert [line["n"] for line in page.lines] == [0, 1]
    portal.call(page, "save", draft_form(page, [{**LINE, "description": "Travel", "quantity": "3"}],
                                         due_date=due))
    assert page.errors == {} and page.notice == "Draft saved."
    assert [line["description"] for line in page.lines] == ["Travel"] and page.due_date == due

    portal.call(page, "submitting", True)  # Confirm in the "Issue invoice" dialog sends the editor's form
    result = portal.call(page, "save", draft_form(page, [{**LINE, "description": "Travel", "quantity": "3"}],
                                                  due_date=due, issue_date="", issue_due_date=""))
    assert redirect_path(result[-1]) == f"{LIST}/1005"  # the next number after the demo's 1004
    issued = invoice(1005)
    assert issued.total_cents == 37200 and str(issued.due_date) == due

    shown = portal.state(AdminInvoiceState, "staff", url=f"{LIST}/1005")
    portal.call(shown, "load")
    assert shown.found and shown.title == "Invoice 1005" and shown.status == "open"
    assert shown.can_record and shown.can_void and shown.can_credit and shown.amount_default == "372.00"
    form = {"amount": shown.amount_default, "received_on": "", "note": "Bank", "submission_id": shown.submission_id}
    portal.call(shown, "record_payment", form)
    portal.call(shown, "record_payment", form)  # sent twice: one payment
    assert shown.errors == {} and shown.status == "paid" and shown.status_label == "Paid"
    assert len(shown.payments) == 1 and not shown.can_void and shown.can_credit
    assert shown.payments[0]["note"] == "Bank"  # staff's own note on the payment, on staff's page
    assert shown.payments_noted  # with its Note column
    assert invoice(1005).balance_cents == 0


def test_field_errors_of_the_header_and_a_missing_company(portal: Portal):
    editor = portal.state(AdminInvoiceEditorState, "staff", url=NEW)
    portal.call(editor, "load_new")
    form = draft_form(editor, [{**LINE, "description": "", "vat_rate": "101"}], currency="XXX", due_date="31.1.2099")
    portal.call(editor, "save", form)
    # every error at once: the missing company with the others (not the company first, the rest after)
    assert set(editor.errors) == {"company", "currency", "due_date", "line_0_description", "line_0_vat_rate", "form"}
    assert editor.errors["company"] == "Choose the company to invoice."
    assert editor.due_date == "31.1.2099" and editor.lines[0]["vat_rate"] == "101"
    portal.call(editor, "set_company", str(portal.company_id("Acme Oy")))
    assert "company" not in editor.errors
    portal.call(editor, "save", form)
    assert set(editor.errors) == {"currency", "due_date", "line_0_description", "line_0_vat_rate", "form"}
    assert editor.due_date == "31.1.2099" and editor.lines[0]["vat_rate"] == "101"


def test_no_lines_is_said_at_the_lines(portal: Portal):
    editor = portal.state(AdminInvoiceEditorState, "staff", url=NEW)
    portal.call(editor, "load_new")
    portal.call(editor, "set_company", str(portal.company_id("Acme Oy")))
    portal.call(editor, "remove_line", 0)
    portal.call(editor, "save", draft_form(editor, []))
    assert editor.errors["lines"] == "Add at least one line."


def test_a_draft_is_deleted(portal: Portal):
    draft = acme_draft()
    page = portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/draft-{draft}")
    portal.call(page, "load_draft")
    result = portal.call(page, "delete_draft")
    assert redirect_path(result[-1]) == f"{LIST}?status=draft" and not page.editing
    with session_scope() as s:
        assert s.get(Invoice, draft) is None


def test_a_form_left_open_on_a_deleted_draft_touches_no_newer_draft_of_its_id(portal: Portal):
    """SQLite gives a deleted draft's id to the next one: a tab still showing the deleted draft (an
    Acme one) saves, issues and deletes nothing of the colleague's new draft (a Globex one)."""
    draft = acme_draft()
    stale = portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/draft-{draft}")
    portal.call(stale, "load_draft")
    with session_scope() as s:
        invoice_admin.delete_draft(session=s, actor=portal.actor("staff"), invoice_id=draft)
        globex = s.exec(select(Company).where(Company.name == "Globex GmbH")).one().id
        newer = invoice_admin.create_draft(session=s, actor=portal.actor("staff"), company_id=globex, data={
            "currency": "EUR", "notes": "GLOBEX-DRAFT", "lines": [LINE]}).id
    assert newer == draft  # the id came back (the case this is about)
    before = portal.snapshot()
    portal.call(stale, "save", draft_form(stale, [{**LINE, "unit_price": "500"}, LINE], notes="Acme's"))
    assert stale.errors["form"].startswith("This draft was deleted meanwhile") and stale.editing
    portal.call(stale, "submitting", True)
    portal.call(stale, "save", draft_form(stale, [LINE, LINE], issue_date="", issue_due_date=""))
    assert stale.errors["form"].startswith("This draft was deleted meanwhile")
    portal.call(stale, "delete_draft")
    assert stale.errors["form"].startswith("This draft was deleted meanwhile")
    assert portal.snapshot() == before
    with session_scope() as s:
        kept = s.get(Invoice, newer)
        assert kept is not None and kept.notes == "GLOBEX-DRAFT" and kept.state == "draft"


def test_two_staff_tabs_on_one_draft_do_not_silently_undo_each_other(portal: Portal):
    """The second tab, still showing the draft as it was, saves (or issues): refused, nothing
    written, its typing kept; saving again replaces the first tab's save knowingly."""
    draft = acme_draft()
    first, second = (portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/draft-{draft}") for _ in range(2))
    portal.call(first, "load_draft")
    portal.call(second, "load_draft")
    portal.call(first, "save", draft_form(first, [{**LINE, "unit_price": "500"}, LINE], notes="First tab's"))
    assert not first.errors, first.errors
    before = portal.snapshot()
    portal.call(second, "submitting", True)  # "Issue invoice" with the lines it still shows
    portal.call(second, "save", draft_form(second, [LINE, LINE], notes="Second tab's"))
    assert second.errors["form"].startswith("Someone else saved this draft meanwhile") and second.editing
    assert portal.snapshot() == before and second.notes == "Second tab's"  # nothing written, nothing lost
    portal.call(second, "save", draft_form(second, [LINE, LINE], notes="Second tab's"))  # told: replaces
    assert not second.errors, second.errors
    with session_scope() as s:
        kept = s.get(Invoice, draft)
        assert kept.notes == "Second tab's" and kept.state == "draft"


def test_issue_saves_what_the_form_holds_first(portal: Portal):
    """The price changed and not saved, then "Issue invoice" confirmed: the invoice gets the price on
    the screen, not the draft's last saved one (the dialog's Confirm sends the editor's form)."""
    draft = acme_draft()
    page = portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/draft-{draft}")
    portal.call(page, "load_draft")
    form = draft_form(page, [{**LINE, "unit_price": "500"}, LINE], issue_date="", issue_due_date="")
    portal.call(page, "submitting", True)
    result = portal.call(page, "save", form)
    number = int(redirect_path(result[-1]).rsplit("/", 1)[1])
    issued = invoice(number)
    assert issued.state == "issued" and issued.subtotal_cents == 2 * 50000 + 2 * 10000
    # a refused issue date: the changes are saved, the invoice is not issued, the date says why
    draft = acme_draft()
    page = portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/draft-{draft}")
    portal.call(page, "load_draft")
    portal.call(page, "submitting", True)
    portal.call(page, "save", draft_form(page, [{**LINE, "unit_price": "300"}, LINE], issue_date="2099-02-01",
                                         issue_due_date="2099-01-01"))
    assert "issue_due_date" in page.errors and page.editing
    with session_scope() as s:
        kept = s.get(Invoice, draft)
        assert kept.state == "draft" and kept.subtotal_cents == 2 * 30000 + 2 * 10000
    portal.call(page, "submitting", False)  # "Save draft" (or Enter) after the refused issue: saved only
    portal.call(page, "save", draft_form(page, [LINE, LINE]))
    with session_scope() as s:
        assert s.get(Invoice, draft).state == "draft"


@pytest.mark.parametrize(("lang", "typed", "kept", "milli"), [
    ("it", "2.125", "2,125", 2125), ("en", "1,125", "1.125", 1125), ("de", "1.000.000", "1,5", 1500),
    # grouped with the decimals after the other mark: no doubt, read as written
    ("de", "1.500", "1.500,5", 1_500_500), ("en", "2,000", "2,000.25", 2_000_250)])
def test_a_number_with_the_languages_thousands_separator_is_refused_not_read_as_decimals(
        portal: Portal, lang: str, typed: str, kept: str, milli: int):
    """Italian staff typing 2.125 mean 2125: the service (which knows no language) would save 2.125
    pieces. Refused at the field; the language's decimals ("2,125" in Italian) are saved."""
    draft = acme_draft()
    page = portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/draft-{draft}")
    page.lang = lang
    portal.call(page, "load_draft")
    before = portal.snapshot()
    portal.call(page, "save", draft_form(page, [{**LINE, "quantity": typed}, LINE]))
    assert portal.snapshot() == before
    key = page.lines[0]["key"]
    assert set(page.errors) == {f"line_{key}_quantity", "form"} and page.lines[0]["quantity"] == typed
    portal.call(page, "save", draft_form(page, [{**LINE, "quantity": kept}, LINE]))
    assert not page.errors
    with session_scope() as s:
        first = s.exec(select(InvoiceLine).where(InvoiceLine.invoice_id == draft)
                       .order_by(InvoiceLine.position)).first()
        assert first.quantity_milli == milli


def test_a_thousands_separator_is_refused_with_every_other_mistake_at_once(portal: Portal):
    """The separator of one line and the missing description and bad VAT rate of another, all named
    by one "Save draft"; the draft keeps what was saved before, the form what was typed."""
    draft = acme_draft()
    page = portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/draft-{draft}")
    page.lang = "it"
    portal.call(page, "load_draft")
    before = portal.snapshot()
    portal.call(page, "save", draft_form(page, [{**LINE, "quantity": "2.125"},
                                                {**LINE, "description": "", "vat_rate": "abc"}]))
    assert portal.snapshot() == before
    first, second = (line["key"] for line in page.lines[:2])
    assert set(page.errors) == {f"line_{first}_quantity", f"line_{second}_description", f"line_{second}_vat_rate",
                                "form"}
    assert [line["quantity"] for line in page.lines[:2]] == ["2.125", "2"] and page.lines[1]["vat_rate"] == "abc"


def test_an_issued_draft_is_no_draft_any_more(portal: Portal):
    issued = acme_draft()
    with session_scope() as s:
        invoice_admin.issue_invoice(session=s, actor=portal.actor("staff"), invoice_id=issued)
    page = portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/draft-{issued}")
    assert redirect_path(portal.call(page, "load_draft")) == f"{LIST}/1005" and not page.editing


@pytest.mark.parametrize("segment", ["draft-0", "draft-01", "draft-abc", "draft-999999", "draft-", "0", "01", "x"])
def test_an_address_of_nothing_says_not_found(portal: Portal, segment):
    editor = portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/{segment}")
    shown = portal.state(AdminInvoiceState, "staff", url=f"{LIST}/{segment}")
    portal.call(editor, "load_draft")
    portal.call(shown, "load")
    assert not editor.editing and not shown.found and (editor.missing or shown.missing)


def test_issue_errors_go_next_to_the_issue_fields(portal: Portal):
    page = portal.state(AdminInvoiceEditorState, "staff", url=f"{LIST}/draft-{acme_draft()}")
    portal.call(page, "load_draft")
    portal.call(page, "submitting", True)
    portal.call(page, "save", draft_form(page, [LINE, LINE], issue_date="2099-02-01", issue_due_date="2099-01-01"))
    assert "issue_due_date" in page.errors and page.editing
    portal.call(page, "submitting", True)
    portal.call(page, "save", draft_form(page, [LINE, LINE], issue_date="yesterday", issue_due_date=""))
    assert "issue_date" in page.errors and page.editing
    portal.call(page, "submitting", True)  # a year typed wrong: ten years to pay
    far = (local_time.today() + timedelta(days=3653)).isoformat()
    portal.call(page, "save", draft_form(page, [LINE, LINE], issue_date="", issue_due_date=far))
    assert page.errors.get("issue_due_date") == "The due date can be at most 365 days after the issue date."
    assert page.editing


# --- the list -----------------------------------------------------------------------------------------------

def test_the_list_shows_drafts_filters_sums_and_the_csv_link(portal: Portal):
    acme_draft()
    inst = portal.state(AdminInvoiceListState, "staff", url=LIST)
    assert portal.call(inst, "load") is None
    assert inst.loaded and inst.total == 5 and inst.rows[0]["number"] == "1004"  # newest first, drafts last
    assert inst.rows[-1]["number"] == "Draft" and inst.rows[-1]["href"].startswith(f"{LIST}/draft-")
    assert [s["currency"] for s in inst.sums] == ["EUR"] and inst.sums[0]["has_overdue"]
    assert inst.csv_href == "/api/admin/invoices.csv" and not inst.payments_on

    acme = str(portal.company_id("Acme Oy"))
    path = shown_address(portal, inst, "set_company", acme)
    assert q(path) == {"company": [acme]}
    portal.set_url(inst, path + "&status=draft&q=&sort=total")
    portal.call(inst, "load")
    assert inst.total == 1 and inst.company_label == "Acme Oy" and inst.sel_status == "draft"
    assert q(inst.csv_href) == {"company": [acme], "status": ["draft"]}
    assert q(shown_address(portal, inst, "sort_by", "total")) == {"company": [acme], "status": ["draft"],
                                                                      "sort": ["-total"]}
    assert shown_address(portal, inst, "clear") == LIST


def test_the_list_reloads_only_when_an_invoice_changed(portal: Portal):
    inst = portal.state(AdminInvoiceListState, "staff", url=LIST)
    portal.call(inst, "load")
    inst.rows = []
    portal.call(inst, "tick", "now")
    assert inst.rows == []  # nothing moved: no query
    live.bump(live.ALL_INVOICES)
    portal.call(inst, "tick", "now")
    assert len(inst.rows) == 4


def test_reconcile_without_stripe_says_so(portal: Portal):
    inst = portal.state(AdminInvoiceListState, "staff", url=LIST)
    portal.call(inst, "load")
    portal.call(inst, "reconcile")
    assert "Online payment is not available" in inst.errors["form"] and not inst.busy


def test_staff_query_keeps_known_values_only():
    assert staff_query("status=draft&company=7&q=x&sort=-total&page=2&evil=1") == {
        "status": "draft", "company": "7", "q": "x", "sort": "-total", "page": "2"}
    assert staff_query("status=nope&company=07&sort=company&page=0") == {}


# --- an issued invoice --------------------------------------------------------------------------------------

def test_void_credit_and_review(portal: Portal):
    shown = portal.state(AdminInvoiceState, "staff", url=f"{LIST}/1004")
    portal.call(shown, "load")
    portal.call(shown, "void")
    assert shown.status == "void" and shown.notice == "Invoice voided." and not shown.can_void

    paid = portal.state(AdminInvoiceState, "staff", url=f"{LIST}/1003")
    portal.call(paid, "load")
    portal.call(paid, "record_payment", {"amount": "400", "received_on": paid.today, "note": "",
                                         "submission_id": paid.submission_id})
    assert paid.needs_review and paid.status == "paid"  # 90.00 above the total
    # staff read to whom the excess is owed (the customer's page says "Credit owed to you")
    assert "Credit owed to the customer" in [a["label"] for a in paid.amounts]
    portal.call(paid, "void")
    assert "credit it instead" in paid.errors["form"]
    result = portal.call(paid, "credit")
    assert redirect_path(result[-1]) == f"{LIST}/1005"
    note = portal.state(AdminInvoiceState, "staff", url=f"{LIST}/1005")
    portal.call(note, "load")
    assert note.title == "Credit note 1005" and not note.can_record and not note.can_credit
    # its own date, nothing due or paid: as its PDF
    assert [f["label"] for f in note.facts] == ["Credit note date", "Credits invoice"]
    assert [a["label"] for a in note.amounts] == ["Total without VAT", "VAT", "Total"]
    portal.call(paid, "load")
    assert paid.status == "credited"  # not "Paid": what was paid is owed back
    portal.call(paid, "clear_review")
    assert not paid.needs_review and paid.notice == "Marked reviewed."


def test_a_credit_owed_is_refunded_from_its_form(portal: Portal):
    paid = portal.state(AdminInvoiceState, "staff", url=f"{LIST}/1003")
    portal.call(paid, "load")
    assert not paid.can_refund
    portal.call(paid, "record_payment", {"amount": "400", "received_on": paid.today, "note": "",
                                         "submission_id": paid.submission_id})
    assert paid.can_refund and paid.refund_default == "90.00" and paid.needs_review
    form = {"refund_amount": "95", "refunded_on": paid.today, "refund_note": "",
            "submission_id": paid.refund_submission_id}
    portal.call(paid, "record_refund", form)
    assert paid.errors == {"refund_amount": "A refund can be at most the credit owed."}  # next to the amount
    portal.call(paid, "record_refund", {**form, "refund_amount": "90", "refunded_on": "2019-01-01"})
    assert set(paid.errors) == {"refunded_on"} and paid.can_refund  # before the issue date: nothing recorded
    form["refund_amount"] = paid.refund_default
    portal.call(paid, "record_refund", form)
    portal.call(paid, "record_refund", form)  # sent twice: one refund
    assert paid.errors == {} and paid.notice == "Refund recorded." and not paid.can_refund and not paid.needs_review
    assert [(p["method"], p["amount"]) for p in paid.payments] == [("Bank transfer", "€400.00"),
                                                                  ("Refund", "-€90.00")]


def test_payment_errors_go_next_to_the_fields(portal: Portal):
    shown = portal.state(AdminInvoiceState, "staff", url=f"{LIST}/1002")
    portal.call(shown, "load")
    before = portal.snapshot()
    portal.call(shown, "record_payment", {"amount": "-5", "received_on": "tomorrow", "note": "x" * 501,
                                          "submission_id": shown.submission_id})
    assert {"amount"} <= set(shown.errors) and portal.snapshot() == before


def test_the_invoice_page_follows_its_counter(portal: Portal):
    shown = portal.state(AdminInvoiceState, "staff", url=f"{LIST}/1002")
    portal.call(shown, "load")
    with session_scope() as s:
        invoice_admin.record_bank_payment(session=s, actor=portal.actor("staff"), number=1002, amount="240")
    portal.call(shown, "tick", "now")
    assert shown.status == "partly_paid" and len(shown.payments) == 1


def test_a_draft_address_is_the_editors_not_the_invoice_pages(portal: Portal):
    shown = portal.state(AdminInvoiceState, "staff", url=f"{LIST}/draft-{acme_draft()}")
    portal.call(shown, "load")
    assert not shown.found and not shown.missing


# --- the seller in the portal settings ---------------------------------------------------------------------

def test_staff_sets_the_seller_with_errors_next_to_the_fields(portal: Portal):
    inst = portal.state(AdminSettingsState, "staff", url="/admin/settings")
    portal.call(inst, "load")
    assert inst.seller["name"] == "Example Services Oy"
    form = {**inst.values, **{f"seller_{k}": v for k, v in inst.seller.items()}}
    portal.call(inst, "save", {**form, "seller_iban": "FI21 1234 5600 0007 86", "seller_bic": "NDEA"})
    assert set(inst.errors) == {"seller_iban", "seller_bic"}
    assert inst.seller["iban"] == "FI21 1234 5600 0007 86"  # what was typed is kept
    portal.call(inst, "save", {**form, "seller_iban": "fi2112345600000785", "seller_name": "Seller Oy"})
    assert inst.errors == {}
    with session_scope() as s:
        seller = s.exec(select(PortalSettings)).one().seller
    assert seller["iban"] == "FI21 1234 5600 0007 85" and seller["name"] == "Seller Oy"
    assert inst.seller["iban"] == "FI21 1234 5600 0007 85"
