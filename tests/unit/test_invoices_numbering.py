"""Invoice numbers under concurrency, on SQLite (a file, as in production) and on a real PostgreSQL:
many threads, each on its own connection, issue drafts at once (and issue the same draft twice).
Every issued invoice gets a number, the numbers are consecutive after the last one (none skipped,
none given twice), and a draft issued twice at once is issued once."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, func, select

from portal_app.models import Account, Company, Invoice, InvoiceState
from portal_app.services.actor import build_actor
from portal_app.services.errors import ValidationFailed
from portal_app.services.invoices import admin

from demo_people import STAFF

THREADS = 12  # below the pools of the test engines (15 and 20 connections)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    return request.getfixturevalue("file_engine" if request.param == "sqlite" else "seeded_postgres_engine")


def staff(session: Session):
    return build_actor(session, session.exec(select(Account).where(Account.email == STAFF)).one())


def drafts(engine, count: int) -> list[int]:
    with Session(engine) as session:
        company = session.exec(select(Company).where(Company.name == "Acme Oy")).one()
        return [admin.create_draft(session=session, actor=staff(session), company_id=company.id, data={
            "lines": [{"description": f"Work {n}", "quantity": "1", "unit_price": "10", "vat_rate": "24"}]}).id
            for n in range(count)]


def run_at_once(engine, invoice_ids: list[int]) -> tuple[list[int], list[Exception]]:
    barrier = threading.Barrier(len(invoice_ids), timeout=60)
    numbers: list[int] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def issue(invoice_id: int) -> None:
        with Session(engine) as session:
            actor = staff(session)
            barrier.wait()
            try:
                issued = admin.issue_invoice(session=session, actor=actor, invoice_id=invoice_id)
                with lock:
                    numbers.append(issued.number)  # type: ignore[arg-type]
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(exc)

    threads = [threading.Thread(target=issue, args=(i,)) for i in invoice_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return numbers, errors


def test_concurrent_issues_get_consecutive_numbers_never_reused(engine):
    with Session(engine) as session:
        last = session.exec(select(func.max(Invoice.number))).one()
    ids = drafts(engine, THREADS)
    numbers, errors = run_at_once(engine, ids)
    assert errors == []
    assert sorted(numbers) == list(range(last + 1, last + 1 + THREADS))
    with Session(engine) as session:
        issued = session.exec(select(Invoice.number).where(Invoice.id.in_(ids))).all()  # type: ignore[union-attr]
        assert sorted(issued) == sorted(numbers)
        assert session.exec(select(func.count()).select_from(Invoice).where(
            Invoice.state == InvoiceState.DRAFT, Invoice.id.in_(ids))).one() == 0  # type: ignore[union-attr]


def test_one_draft_issued_twice_at_once_is_issued_once(engine):
    with Session(engine) as session:
        last = session.exec(select(func.max(Invoice.number))).one()
    [draft] = drafts(engine, 1)
    numbers, errors = run_at_once(engine, [draft] * 6)
    assert numbers == [last + 1]
    assert len(errors) == 5 and all(isinstance(e, ValidationFailed) for e in errors)
    assert all(e.fields == {"form": ("error.invoice_not_draft", {})} for e in errors)  # type: ignore[attr-defined]
    # the refused ones took no number: the next invoice gets the next one
    [following] = drafts(engine, 1)
    with Session(engine) as session:
        assert admin.issue_invoice(session=session, actor=staff(session), invoice_id=following).number == last + 2
