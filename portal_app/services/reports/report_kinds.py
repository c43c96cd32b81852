"""The kinds of report, defined here once: each one's series and how to count them for ONE company,
month by month (calendar months where the portal is, `PORTAL_TIME_ZONE`).

Counting is done in SQL, grouped by month and series, so only (month, series, number) rows come back
however many tickets a company has: the WHERE on (company_id, created_at) walks the index
`ix_ticket_company_created`; invoices use `ix_invoice_company_id`. A row's month is found by a CASE
over the months' first moments (for a time: local midnight of the 1st, in UTC as stored), the same
SQL on SQLite and PostgreSQL, neither of which needs to know the zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from ...local_time import zone
from ...models import Invoice, InvoiceKind, InvoiceState, Ticket
from ..tickets.ticket_rules import CATEGORIES, STATUSES

# (month's position in the window, series key, number) rows of one company, given the window's
# month starts (oldest first)
Tally = Callable[[Session, int, list[date]], Iterable[tuple[int, str, int]]]


@dataclass(frozen=True)
class ReportKind:
    key: str
    series: tuple[str, ...]  # in the chart's order
    label_prefix: str  # a series' message key is label_prefix + its key
    money: bool  # numbers are whole cents of EUR (else counts)
    tally: Tally
    # a module whose data it shows that a reader must be granted too: invoice sums only for those who
    # see the invoices (profiles decide that, e.g. primary contacts only); None: counts staff share as they are
    module: str | None


def local_midnight(day: date) -> datetime:
    """The moment `day` begins where the portal is, in UTC (as times are stored)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone()).astimezone(UTC)


def month_position(column: Any, bounds: list[Any]) -> Any:
    """SQL for the position of a row's month: `bounds` are the window's month starts after the first,
    then its end, in the column's own kind (times or days); rows are taken from the first start on."""
    return case(*[(column < bound, i) for i, bound in enumerate(bounds[:-1])], else_=len(bounds) - 1)


def _tickets_by(column: Any) -> Tally:
    """Tickets created per month, split by `column`'s value now (their current status, category)."""
    def tally(session: Session, company_id: int, starts: list[date]) -> Iterable[tuple[int, str, int]]:
        begin, *bounds = [local_midnight(d) for d in [*starts, next_month(starts[-1])]]
        month = month_position(col(Ticket.created_at), bounds)
        rows = session.exec(select(month, column, func.count()).where(
            Ticket.company_id == company_id, col(Ticket.created_at) >= begin, col(Ticket.created_at) < bounds[-1],
        ).group_by(month, column)).all()
        return [(int(m), s, int(n)) for m, s, n in rows]
    return tally


def _invoiced_and_paid(session: Session, company_id: int, starts: list[date]) -> Iterable[tuple[int, str, int]]:
    """Issued invoices (not credit notes, not voided; in EUR) by the month of their date (a day, already
    the portal's): their totals, and what has been paid of them."""
    bounds = [*starts[1:], next_month(starts[-1])]
    month = month_position(col(Invoice.issue_date), bounds)
    rows = session.exec(select(month, func.sum(Invoice.total_cents), func.sum(Invoice.paid_cents)).where(
        Invoice.company_id == company_id, Invoice.state == InvoiceState.ISSUED, Invoice.kind == InvoiceKind.INVOICE,
        Invoice.currency == "EUR", col(Invoice.issue_date) >= starts[0], col(Invoice.issue_date) < bounds[-1],
    ).group_by(month)).all()
    out: list[tuple[int, str, int]] = []
    for m, invoiced, paid in rows:
        out += [(int(m), "invoiced", int(invoiced or 0)), (int(m), "paid", int(paid or 0))]
    return out


KINDS: tuple[ReportKind, ...] = (
    ReportKind("tickets_by_status", STATUSES, "ticket.status.", False, _tickets_by(Ticket.status), None),
    ReportKind("tickets_by_category", CATEGORIES, "ticket.category.", False, _tickets_by(Ticket.category), None),
    ReportKind("invoiced_and_paid", ("invoiced", "paid"), "reports.series.", True, _invoiced_and_paid, "invoices"),
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
    values = {s: [0] * len(starts) for s in kind.series}
    for position, series, n in kind.tally(session, company_id, starts):
        if series in values:
            values[series][position] += n
    return ReportNumbers(kind=kind, months=starts, values=values)
