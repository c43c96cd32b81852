"""The kinds of report, defined here once: each one's series and how to count them for ONE company,
month by month (calendar months in UTC).

Counting is done in SQL, grouped by month and series, so only (month, series, number) rows come back
however many tickets a company has: the WHERE on (company_id, created_at) walks the index
`ix_ticket_company_created`; invoices use `ix_invoice_company_id`. The month of a row is spelled
"YYYY-MM" by the database's own function (`strftime` on SQLite, `to_char` on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ...models import Invoice, InvoiceKind, InvoiceState, Ticket
from ..tickets.ticket_rules import CATEGORIES, STATUSES

# (month "YYYY-MM", series key, number) rows of one company between two month starts
Tally = Callable[[Session, int, date, date], Iterable[tuple[str, str, int]]]


@dataclass(frozen=True)
class ReportKind:
    key: str
    series: tuple[str, ...]  # in the chart's order
    label_prefix: str  # a series' message key is label_prefix + its key
    money: bool  # numbers are whole cents of EUR (else counts)
    tally: Tally


def month_of(session: Session, column: Any) -> Any:
    """SQL for the "YYYY-MM" of a date or time column, in this database's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _tickets_by(column: Any) -> Tally:
    """Tickets created per month, split by `column`'s value now (their current status, category)."""
    def tally(session: Session, company_id: int, start: date, end: date) -> Iterable[tuple[str, str, int]]:
        month = month_of(session, Ticket.created_at)
        rows = session.exec(select(month, column, func.count()).where(
            Ticket.company_id == company_id, col(Ticket.created_at) >= _at(start), col(Ticket.created_at) < _at(end),
        ).group_by(month, column)).all()
        return [(m, s, int(n)) for m, s, n in rows]
    return tally


def _invoiced_and_paid(session: Session, company_id: int, start: date, end: date) -> Iterable[tuple[str, str, int]]:
    """Issued invoices (not credit notes, not voided; in EUR) by the month of their date: their
    totals, and what has been paid of them."""
    month = month_of(session, Invoice.issue_date)
    rows = session.exec(select(month, func.sum(Invoice.total_cents), func.sum(Invoice.paid_cents)).where(
        Invoice.company_id == company_id, Invoice.state == InvoiceState.ISSUED, Invoice.kind == InvoiceKind.INVOICE,
        Invoice.currency == "EUR", col(Invoice.issue_date) >= start, col(Invoice.issue_date) < end,
    ).group_by(month)).all()
    out: list[tuple[str, str, int]] = []
    for m, invoiced, paid in rows:
        out += [(m, "invoiced", int(invoiced or 0)), (m, "paid", int(paid or 0))]
    return out


KINDS: tuple[ReportKind, ...] = (
    ReportKind("tickets_by_status", STATUSES, "ticket.status.", False, _tickets_by(Ticket.status)),
    ReportKind("tickets_by_category", CATEGORIES, "ticket.category.", False, _tickets_by(Ticket.category)),
    ReportKind("invoiced_and_paid", ("invoiced", "paid"), "reports.series.", True, _invoiced_and_paid),
)
BY_KEY: dict[str, ReportKind] = {k.key: k for k in KINDS}
KIND_KEYS: tuple[str, ...] = tuple(BY_KEY)


def month_starts(today: date, months: int) -> list[date]:
    """The first days of the last `months` calendar months, this one last."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class ReportNumbers:
    kind: ReportKind
    months: list[date]  # first days, oldest first
    values: dict[str, list[int]]  # series -> one number per month (0 for a month without data)

    @property
    def empty(self) -> bool:
        return not any(any(v) for v in self.values.values())


def numbers(session: Session, kind: ReportKind, *, company_id: int, months: int, today: date) -> ReportNumbers:
    """The kind's numbers for one company over the last `months` calendar months up to `today`'s."""
    starts = month_starts(today, months)
    position = {f"{d.year:04d}-{d.month:02d}": i for i, d in enumerate(starts)}
    values = {s: [0] * len(starts) for s in kind.series}
    for month, series, n in kind.tally(session, company_id, starts[0], next_month(starts[-1])):
        if month in position and series in values:
            values[series][position[month]] += n
    return ReportNumbers(kind=kind, months=starts, values=values)
