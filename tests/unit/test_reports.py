"""Reports (services/reports/): who reads which report, each kind's numbers for the reader's own
company month by month, and staff's writing, checked before anything is written."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete
from sqlmodel import Session, create_engine, select

from portal_app import local_time
from portal_app.models import Invoice, ModuleAccess, Report, Ticket
from portal_app.seed import seed
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.services.portal.modules import MODULE_KEYS
from portal_app.services.reports import report_kinds, reports

from demo_people import ADMIN, PARTNER, STAFF, USER
from migrations import run_alembic
from postgres_server import create_database

GLOBEX_ADMIN = "admin@globex.example.com"
TODAY = date(2026, 3, 15)  # the windows below end with March 2026


def with_helpers(demo):
    """`demo` without its seeded reports, and helpers that write a report, a ticket, an invoice."""
    demo.session.exec(delete(Report))
    demo.session.commit()
    numbers = iter(range(90000, 99999))

    def write(title: str, *, kind: str = "tickets_by_status", months: int = 3, company: str | None = None,
              published: bool = True) -> int:
        company_id = str(demo.company(company).id) if company else ""
        return reports.save_report(session=demo.session, actor=demo.actor(STAFF), data={
            "title": title, "description": "", "kind": kind, "months": str(months), "company": company_id,
            "published": published}).id

    def ticket(company: str, when: datetime, *, status: str = "new", category: str = "support") -> None:
        demo.session.add(Ticket(number=next(numbers), company_id=demo.company(company).id,
                                created_by_id=demo.account(USER).id, title="T", description="D", category=category,
                                severity=10, priority="normal", priority_rank=2, status=status, created_at=when,
                                updated_at=when))
        demo.session.commit()

    def invoice(company: str, day: date, total: int, paid: int = 0, **values) -> None:
        demo.session.add(Invoice(**{"company_id": demo.company(company).id, "number": next(numbers),
                                    "state": "issued", "issue_date": day, "total_cents": total, "paid_cents": paid,
                                    **values}))
        demo.session.commit()

    demo.write, demo.ticket, demo.invoice = write, ticket, invoice
    return demo


@pytest.fixture(params=["sqlite", "postgresql"])
def rp(request, tmp_path, demo_class):
    """The demo with the helpers, on SQLite, and on PostgreSQL migrated to head (where `alembic check`
    finds the models' schema): the months are counted by each database's own SQL."""
    if request.param == "sqlite":
        yield with_helpers(request.getfixturevalue("demo"))
        return
    url = create_database(request.getfixturevalue("postgres_server"), f"portal_{uuid.uuid4().hex[:8]}")
    run_alembic(tmp_path, "upgrade", "head", database_url=url)
    run_alembic(tmp_path, "check", database_url=url)
    engine = create_engine(url)
    with Session(engine) as session:
        assert seed(session, tickets=False) is True
        yield with_helpers(demo_class(session))
    engine.dispose()


def titles(demo, who: str | None) -> list[str]:
    return [r.title for r in reports.list_reports(session=demo.session, actor=demo.actor(who) if who else None)]


def chart(demo, who: str, report_id: int, today: date = TODAY):
    return reports.get_report(session=demo.session, actor=demo.actor(who), report_id=report_id, today=today)


def test_who_reads_which_report(rp):
    rp.write("For everyone")
    rp.write("For Acme", company="Acme Oy")
    rp.write("For Globex", company="Globex GmbH")
    rp.write("A draft", published=False)
    assert titles(rp, USER) == ["For Acme", "For everyone"]
    assert titles(rp, ADMIN) == ["For Acme", "For everyone"]
    assert titles(rp, GLOBEX_ADMIN) == ["For everyone", "For Globex"]  # by title, capitals or not
    assert titles(rp, None) == [] and titles(rp, PARTNER) == [] and titles(rp, STAFF) == []
    no_module = rp.make_profile("No reports", modules={m: ModuleAccess.EDIT for m in MODULE_KEYS}
                                | {"reports": ModuleAccess.NONE})
    rp.use_profile(ADMIN, no_module)
    assert titles(rp, ADMIN) == []
    viewer = rp.make_profile("Reports view", modules={"reports": ModuleAccess.VIEW})
    rp.use_profile(ADMIN, viewer)
    assert titles(rp, ADMIN) == ["For Acme", "For everyone"]
    staff = reports.staff_reports(session=rp.session, actor=rp.actor(STAFF)).rows
    assert sorted((r.title, r.company_name) for r in staff) == [
        ("A draft", ""), ("For Acme", "Acme Oy"), ("For Globex", "Globex GmbH"), ("For everyone", "")]


def test_a_report_out_of_reach_is_not_found_like_one_that_does_not_exist(rp):
    globex = rp.write("For Globex", company="Globex GmbH")
    draft = rp.write("A draft", published=False)
    shared = rp.write("For everyone")
    assert chart(rp, USER, shared).report.title == "For everyone"
    for who, report_id in ((USER, globex), (USER, draft), (USER, 999999), (PARTNER, shared), (STAFF, shared)):
        with pytest.raises(NotFound):
            chart(rp, who, report_id)
    with pytest.raises(NotFound):
        reports.get_report(session=rp.session, actor=None, report_id=shared)
    with pytest.raises(ValidationFailed):
        reports.get_report(session=rp.session, actor=rp.actor(USER), report_id="1 OR 1=1")


def test_invoice_sums_are_for_those_who_see_the_invoices(rp):
    """A report of invoiced and paid amounts is listed and opened only by a reader whose profile has
    Invoices (Acme's basic contact has not): the same rule as the invoices themselves."""
    sums = rp.write("Acme invoicing", kind="invoiced_and_paid", company="Acme Oy")
    rp.write("Tickets", company="Acme Oy")
    assert not rp.actor(USER).can("invoices") and rp.actor(ADMIN).can("invoices")
    assert titles(rp, USER) == ["Tickets"] and titles(rp, ADMIN) == ["Acme invoicing", "Tickets"]
    with pytest.raises(NotFound):
        chart(rp, USER, sums)
    assert chart(rp, ADMIN, sums).report.title == "Acme invoicing"
    settings_row = rp.settings()  # the Invoices module switched off: nobody reads the sums
    settings_row.enabled_modules = [m for m in MODULE_KEYS if m != "invoices"]
    rp.session.add(settings_row)
    rp.session.commit()
    assert titles(rp, ADMIN) == ["Tickets"]


def test_the_module_switched_off_hides_every_report(rp):
    shared = rp.write("For everyone")
    settings_row = rp.settings()
    settings_row.enabled_modules = [m for m in MODULE_KEYS if m != "reports"]
    rp.session.add(settings_row)
    rp.session.commit()
    assert titles(rp, USER) == []
    with pytest.raises(NotFound):
        chart(rp, USER, shared)
    assert [r.title for r in reports.staff_reports(session=rp.session, actor=rp.actor(STAFF)).rows] == ["For everyone"]


def test_staff_finds_reports_by_status_words_and_company_a_page_at_a_time(rp):
    for n in range(30):
        rp.write(f"Monthly {n:02d}", published=n % 3 != 0, company="Acme Oy" if n < 5 else None)
    rp.write("Tickets 100%_done", company="Globex GmbH")

    def titles_of(**view):
        page = reports.staff_reports(session=rp.session, actor=rp.actor(STAFF), **view)
        return [r.title for r in page.rows], page.total

    first, total = titles_of()
    assert total == 31 and len(first) == 25 and first[0] == "Tickets 100%_done"  # the newest change first
    rest, _ = titles_of(offset=25)
    assert len(rest) == 6 and not set(first) & set(rest)
    assert titles_of(sort="title", descending=False, limit=3)[0] == ["Monthly 00", "Monthly 01", "Monthly 02"]
    assert titles_of(status="draft", limit=100)[1] == 10
    assert titles_of(status="published", limit=100)[1] == 21
    assert titles_of(search="100%_")[0] == ["Tickets 100%_done"]  # wildcards taken literally
    assert titles_of(search="100__")[1] == 0
    # a company's filter: the reports its readers get, its own and those for every company
    acme, total = titles_of(company_id=rp.company("Acme Oy").id, sort="title", descending=False, limit=100)
    assert acme == [f"Monthly {n:02d}" for n in range(30)] and total == 30
    assert titles_of(company_id=rp.company("Globex GmbH").id, limit=100)[1] == 26  # not Acme's own five
    for bad in ({"status": "hidden"}, {"sort": "kind"}, {"descending": "yes"}, {"company_id": "1 OR 1=1"},
                {"search": "x" * 101}, {"limit": "25"}):
        with pytest.raises(ValidationFailed):
            titles_of(**bad)


def test_a_report_reads_in_the_readers_language_where_staff_wrote_it(rp):
    staff = rp.actor(STAFF)
    form = {"title": "Tickets by status", "description": "Every month.", "kind": "tickets_by_status",
            "months": "3", "company": "", "published": True, "title_fi": "  Tiketit tiloittain ",
            "description_fi": "Joka kuukausi.\nToinen rivi.", "title_de": "Tickets nach Status", "description_de": ""}
    report_id = reports.save_report(session=rp.session, actor=staff, data=form).id

    def read(lang: str) -> tuple[str, str, str]:
        listed = reports.list_reports(session=rp.session, actor=rp.actor(USER), lang=lang)[0]
        shown = reports.get_report(session=rp.session, actor=rp.actor(USER), report_id=report_id, today=TODAY,
                                   lang=lang).report
        assert (listed.title, listed.description) == (shown.title, shown.description)
        return shown.title, shown.description, listed.title

    assert read("fi")[:2] == ("Tiketit tiloittain", "Joka kuukausi.\nToinen rivi.")
    assert read("de")[:2] == ("Tickets nach Status", "Every month.")  # no German description: the English one
    assert read("it")[:2] == read("en")[:2] == ("Tickets by status", "Every month.")
    stored = reports.staff_report(session=rp.session, actor=staff, report_id=report_id)
    assert stored.title == "Tickets by status"  # staff's own columns stay the default language's
    assert stored.translations == {"fi": {"title": "Tiketit tiloittain", "description": "Joka kuukausi.\nToinen rivi."},
                                   "de": {"title": "Tickets nach Status"}}

    # every problem at once, a translation's at its own field; nothing written
    with pytest.raises(ValidationFailed) as refused:
        reports.save_report(session=rp.session, actor=staff, report_id=report_id, data={
            **form, "title": "", "title_fi": "x" * (reports.TITLE_MAX + 1), "title_it": "line\x00"})
    assert set(refused.value.fields) == {"title", "title_fi", "title_it"}
    rp.session.rollback()
    assert read("fi")[0] == "Tiketit tiloittain"
    # a form without the other languages' fields keeps them; one that empties them takes them away
    reports.save_report(session=rp.session, actor=staff, report_id=report_id, data={
        k: v for k, v in form.items() if "_" not in k or k == "title" or k == "description"})
    assert read("fi")[0] == "Tiketit tiloittain"
    reports.save_report(session=rp.session, actor=staff, report_id=report_id, data={**form, "title_fi": "",
                                                                                     "description_fi": ""})
    assert read("fi")[:2] == ("Tickets by status", "Every month.")


def at(y: int, m: int, d: int, h: int = 12, minute: int = 0, s: int = 0, zone: str = "Europe/Helsinki") -> datetime:
    """A moment on the portal's clock (Helsinki by default), stored in UTC as the portal stores it."""
    return datetime(y, m, d, h, minute, s, tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.fixture
def portal_zone(monkeypatch):
    def use(name: str) -> None:
        monkeypatch.setattr(local_time, "settings", replace(local_time.settings, time_zone=name))
    use("Europe/Helsinki")
    return use


def test_tickets_by_status_count_the_readers_own_company_month_by_month(rp, portal_zone):
    shared = rp.write("For everyone", months=4)
    rp.ticket("Acme Oy", at(2025, 11, 30, 23, 59, 59))  # before the window (Dec .. Mar)
    rp.ticket("Acme Oy", at(2025, 12, 1, 0, 0, 0))  # its first second
    rp.ticket("Acme Oy", at(2025, 12, 31, 23, 59, 59), status="closed")
    rp.ticket("Acme Oy", at(2026, 2, 1, 0, 0, 0), status="closed")  # January: none
    rp.ticket("Acme Oy", at(2026, 2, 28, 23), status="resolved")
    rp.ticket("Acme Oy", at(2026, 3, 31, 23, 59, 59))  # later this month
    rp.ticket("Acme Oy", at(2026, 4, 1, 0, 0, 0))  # after the window
    rp.ticket("Globex GmbH", at(2026, 2, 10), status="closed")  # another company's
    acme = chart(rp, USER, shared).numbers
    assert acme.months == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert list(acme.values) == ["new", "in_progress", "waiting_customer", "waiting_support", "resolved", "closed"]
    assert acme.values["new"] == [1, 0, 0, 1]
    assert acme.values["closed"] == [1, 0, 1, 0]
    assert acme.values["resolved"] == [0, 0, 1, 0]
    assert acme.values["in_progress"] == [0, 0, 0, 0] and not acme.empty
    globex = chart(rp, GLOBEX_ADMIN, shared).numbers
    assert globex.values["closed"] == [0, 0, 1, 0] and sum(map(sum, globex.values.values())) == 1


def test_months_are_the_portals_own_not_utcs(rp, portal_zone):
    """23:30 UTC on the last day of February is already March 1st in Helsinki (and still February in
    New York): each counts it in its own month; April begins at 21:00 UTC in Helsinki (summer time)."""
    shared = rp.write("Months", months=3)
    rp.ticket("Acme Oy", datetime(2026, 2, 28, 23, 30, tzinfo=UTC))
    rp.ticket("Acme Oy", datetime(2026, 3, 31, 20, 59, 59, tzinfo=UTC))  # 23:59:59 on 31 March (summer time)
    rp.ticket("Acme Oy", datetime(2026, 3, 31, 21, 0, 0, tzinfo=UTC))  # 1 April, after the window
    assert chart(rp, USER, shared).numbers.values["new"] == [0, 0, 2]
    portal_zone("America/New_York")
    assert chart(rp, USER, shared).numbers.values["new"] == [0, 1, 2]  # the April one is 17:00 on 31 March


def test_tickets_by_category_and_an_empty_report(rp):
    shared = rp.write("By category", kind="tickets_by_category", months=3)
    rp.ticket("Acme Oy", at(2026, 1, 5), category="bug")
    rp.ticket("Acme Oy", at(2026, 3, 5), category="bug")
    rp.ticket("Acme Oy", at(2026, 3, 6), category="work_order")
    numbers = chart(rp, USER, shared).numbers
    assert numbers.values == {"support": [0, 0, 0], "bug": [1, 0, 1], "work_order": [0, 0, 1]}
    empty = chart(rp, GLOBEX_ADMIN, shared).numbers
    assert empty.empty and empty.values == {"support": [0, 0, 0], "bug": [0, 0, 0], "work_order": [0, 0, 0]}


def test_invoiced_and_paid_sum_issued_invoices_by_their_month(rp):
    shared = rp.write("Invoices", kind="invoiced_and_paid", months=3)
    today = date(2020, 3, 15)  # years before the demo's own invoices
    rp.invoice("Acme Oy", date(2019, 12, 31), 99999, 99999)  # before the window
    rp.invoice("Acme Oy", date(2020, 1, 1), 10000, 10000)
    rp.invoice("Acme Oy", date(2020, 1, 31), 2550, 0)
    rp.invoice("Acme Oy", date(2020, 3, 31), 5000, 1000)
    rp.invoice("Acme Oy", date(2020, 4, 1), 8000, 0)  # after the window
    rp.invoice("Acme Oy", date(2020, 3, 2), 7000, 0, state="void")  # voided: not counted
    rp.invoice("Acme Oy", date(2020, 3, 2), -2000, 0, kind="credit_note")  # a credit note: not counted
    rp.invoice("Acme Oy", date(2020, 3, 3), 3000, 0, currency="USD")  # not EUR: not counted
    rp.invoice("Globex GmbH", date(2020, 2, 2), 123400, 123400)
    numbers = chart(rp, ADMIN, shared, today).numbers  # Acme's primary contact: the invoices are hers to see
    assert numbers.kind.money and numbers.values == {"invoiced": [12550, 0, 5000], "paid": [10000, 0, 1000]}
    assert chart(rp, GLOBEX_ADMIN, shared, today).numbers.values == {"invoiced": [0, 123400, 0],
                                                                     "paid": [0, 123400, 0]}


def test_the_months_of_a_window_cross_the_year():
    assert report_kinds.month_starts(date(2026, 2, 28), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert len(report_kinds.month_starts(date(2026, 1, 1), 24)) == 24
    assert report_kinds.next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert set(report_kinds.KIND_KEYS) >= {"tickets_by_status", "tickets_by_category", "invoiced_and_paid"}


def test_staff_previews_a_report_for_any_company(rp):
    draft = rp.write("A draft", published=False, months=3)
    rp.ticket("Globex GmbH", at(2026, 3, 1))
    seen = reports.preview(session=rp.session, actor=rp.actor(STAFF), report_id=draft,
                           company_id=rp.company("Globex GmbH").id, today=TODAY)
    assert seen.numbers.values["new"] == [0, 0, 1]
    with pytest.raises(ValidationFailed):
        reports.preview(session=rp.session, actor=rp.actor(STAFF), report_id=draft, company_id=999999)
    with pytest.raises(PermissionDenied):
        reports.preview(session=rp.session, actor=rp.actor(ADMIN), report_id=draft, company_id=rp.company("Acme Oy").id)


def test_every_problem_of_a_report_is_said_at_once_and_nothing_is_written(rp):
    with pytest.raises(ValidationFailed) as refused:
        reports.save_report(session=rp.session, actor=rp.actor(STAFF), data={
            "title": " ", "description": "x" * 2001, "kind": "", "months": "2", "company": "999999",
            "published": "maybe"})
    assert refused.value.fields == {
        "title": ("error.required", {}), "description": ("error.too_long", {"max": 2000}),
        "kind": ("error.required", {}), "months": ("error.report_months", {"min": 3, "max": 24}),
        "company": ("error.invalid", {}), "published": ("error.invalid", {})}
    for garbage in ({}, ["a"], 1.5, True, "25", "03", "tickets_by_nothing"):
        with pytest.raises(ValidationFailed) as refused:
            reports.save_report(session=rp.session, actor=rp.actor(STAFF), data={
                "title": "T", "kind": garbage, "months": garbage, "company": garbage})
        assert set(refused.value.fields) == {"kind", "months", "company"}
    with pytest.raises(ValidationFailed):
        reports.save_report(session=rp.session, actor=rp.actor(STAFF), data=["title"])  # type: ignore[arg-type]
    assert rp.session.exec(select(Report)).all() == []


def test_only_staff_writes_edits_and_deletes(rp):
    report_id = rp.write("For everyone")
    data = {"title": "Hacked", "kind": "tickets_by_status", "months": "12"}
    for who in (USER, ADMIN, PARTNER):
        with pytest.raises(PermissionDenied):
            reports.save_report(session=rp.session, actor=rp.actor(who), data=data)
        with pytest.raises(PermissionDenied):
            reports.save_report(session=rp.session, actor=rp.actor(who), report_id=report_id, data=data)
        with pytest.raises(PermissionDenied):
            reports.delete_report(session=rp.session, actor=rp.actor(who), report_id=report_id)
        with pytest.raises(PermissionDenied):
            reports.staff_reports(session=rp.session, actor=rp.actor(who))
    assert titles(rp, USER) == ["For everyone"]


def test_staff_edits_and_deletes_a_report(rp):
    report_id = rp.write("For everyone")
    changed = reports.save_report(session=rp.session, actor=rp.actor(STAFF), report_id=report_id, data={
        "title": " Tickets ", "description": "Line one\nLine two", "kind": "tickets_by_category", "months": 24,
        "company": str(rp.company("Globex GmbH").id), "published": "on"})
    assert (changed.title, changed.description, changed.kind, changed.months, changed.company_name) == (
        "Tickets", "Line one\nLine two", "tickets_by_category", 24, "Globex GmbH")
    assert titles(rp, USER) == [] and titles(rp, GLOBEX_ADMIN) == ["Tickets"]
    reports.delete_report(session=rp.session, actor=rp.actor(STAFF), report_id=report_id)
    assert titles(rp, GLOBEX_ADMIN) == []
    for call in (reports.delete_report, reports.staff_report):
        with pytest.raises(NotFound):
            call(session=rp.session, actor=rp.actor(STAFF), report_id=report_id)


def test_a_new_report_form_sent_twice_creates_one_report(rp):
    data = {"title": "Tickets", "kind": "tickets_by_status", "months": "12", "published": True}
    first = reports.save_report(session=rp.session, actor=rp.actor(STAFF), data=data, submission_id="r" * 22)
    again = reports.save_report(session=rp.session, actor=rp.actor(STAFF), data=data, submission_id="r" * 22)
    assert first.id == again.id and len(rp.session.exec(select(Report)).all()) == 1
    with pytest.raises(ValidationFailed):
        reports.save_report(session=rp.session, actor=rp.actor(STAFF), data=data, submission_id="bad id")


def test_the_migration_makes_the_table_and_takes_it_away(tmp_path):
    run_alembic(tmp_path, "upgrade", "head")
    db = tmp_path / "portal.db"
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(report)")]
        conn.execute("INSERT INTO report (title, kind, created_at, updated_at) VALUES"
                     " ('T', 'tickets_by_status', '2026-12-05 07:00:00', '2026-12-05 07:00:00')")
        assert conn.execute("SELECT description, months, company_id, published FROM report").fetchall() == [
            ("", 12, None, 0)]
    assert {"title", "description", "kind", "months", "company_id", "published", "author_id",
            "submission_id", "created_at", "updated_at"} <= set(columns)
    run_alembic(tmp_path, "downgrade", "0023_newsletters")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'report'").fetchall() == []
