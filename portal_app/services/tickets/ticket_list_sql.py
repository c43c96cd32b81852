"""The statements behind the ticket list, built once per *shape* and executed with bound values.

A list call is two short statements (counts per status; the page, its ids chosen in a subquery and
joined with the names). On a small list, building them with SQLAlchemy and running them through
the ORM took five times as long as the SQL itself (docs/benchmarks.md). So each statement is built
once per shape -- which columns are filtered and by how many values, the sort, the direction, how
a search is tested -- cached, and run on the session's connection (Core, no ORM) with the values
bound; SQLAlchemy then finds its compiled form in its own cache at once. Values are single bound
parameters, one per value, not "expanding" ones (which are rewritten on every execution).

Everything here is SQL of the `ticket` table, its full-text index and its tally; which tickets an
actor may see, and what the filters mean, is the list service's (`ticket_list._conditions`): it
hands over the conditions as (column, values) pairs, which `bind` splits into a shape and values.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Integer, Select, String, TableClause, bindparam, case, func, literal, literal_column, select, table, text,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql import column as table_column
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from ...models import Account, Company, Contact, Ticket

# a condition's column ("+column": `unindexed`) and how many values it takes (0: none, IS NULL)
Shape = tuple[tuple[str, int], ...]
Condition = tuple[str, tuple[Any, ...]]

# How a search restricts the tickets to the matches of `:match`: not at all; to the matches
# collected from the FTS5 index; by looking each ticket up in it; to the matches of a PostgreSQL
# text query.
NO_TEST, COLLECT, PROBE, TSQUERY = "", "collect", "probe", "tsquery"
_SEARCH_TESTS = {
    COLLECT: "ticket.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH :match)",
    PROBE: "EXISTS (SELECT 1 FROM ticket_fts WHERE ticket_fts MATCH :match AND ticket_fts.rowid = ticket.id)",
    TSQUERY: "ticket.id IN (SELECT ticket_id FROM ticket_search "
             "WHERE document @@ to_tsquery('simple', unaccent(:match)))",
}

_CACHE = 1024


def bind(conditions: Sequence[Condition]) -> tuple[Shape, dict[str, Any]]:
    """The shape of `conditions` and the values to bind to it."""
    shape: list[tuple[str, int]] = []
    values: dict[str, Any] = {}
    for k, (column, allowed) in enumerate(conditions):
        if tuple(allowed) == (None,):
            shape.append((column, 0))
            continue
        shape.append((column, len(allowed)))
        values.update({f"c{k}_{i}": v for i, v in enumerate(allowed)})
    return tuple(shape), values


def unindexed(column: str) -> str:
    """A condition's column written `+ticket.column`: the same test, but SQLite will not pick an index
    of that column for it (so it walks the sort's index instead, testing each ticket)."""
    return f"+{column}"


def _field(column: str, on: TableClause | None) -> Any:
    if on is not None:
        return on.c[column]
    if column.startswith("+"):
        name = column.removeprefix("+")
        return literal_column(f"+ticket.{name}", type_=getattr(Ticket, name).type)
    return col(getattr(Ticket, column))


def _where(shape: Shape, test: str = NO_TEST, on: TableClause | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses of `shape` on the ticket table (or the table `on`), and the search `test`."""
    clauses: list[ColumnElement[bool]] = [text(_SEARCH_TESTS[test])] if test else []
    for k, (column, n) in enumerate(shape):
        field = _field(column, on)
        if n == 0:
            clauses.append(field.is_(None))
        elif n == 1:
            clauses.append(field == bindparam(f"c{k}_0"))
        else:
            clauses.append(field.in_([bindparam(f"c{k}_{i}") for i in range(n)]))
    return clauses


# --- counts per status ---------------------------------------------------------------------------

@lru_cache(maxsize=_CACHE)
def status_counts(shape: Shape, test: str = NO_TEST) -> Select:
    """(status, count) of the tickets of `shape` (and `test`), per status."""
    return select(Ticket.status, func.count()).where(*_where(shape, test)).group_by(Ticket.status)


_TALLY = table("ticket_tally", table_column("status", String), table_column("category", String),
               table_column("severity", Integer), table_column("priority", String),
               table_column("unassigned", Integer), table_column("n", Integer))


@lru_cache(maxsize=_CACHE)
def tally_counts(shape: Shape) -> Select:
    """(status, count) of the tickets of `shape` (conditions on the tally's columns) from the tally."""
    return select(_TALLY.c.status, func.sum(_TALLY.c.n)).where(*_where(shape, on=_TALLY)).group_by(_TALLY.c.status)


@lru_cache(maxsize=1)
def tally_total() -> Select:
    """Every ticket, from the tally."""
    return select(func.coalesce(func.sum(_TALLY.c.n), 0))


@lru_cache(maxsize=1)
def count_all() -> Select:
    return select(func.count()).select_from(Ticket)


# --- the page ------------------------------------------------------------------------------------

@lru_cache(maxsize=_CACHE)
def page(shape: Shape, column_name: str, *, descending: bool, backwards: bool = False, by_index: bool = True,
         test: str = NO_TEST) -> Select:
    """A page of the tickets of `shape` sorted by the ticket column `column_name`, the id breaking
    ties: `:limit` tickets from `:offset`; `test` restricts them to the matches of `:match`. One
    row per ticket, with the names of its company, creator and assignee (`_row_columns`).

    The page is chosen by ids in a subquery, which walks an index and stops after the page; only
    the page's rows are then joined with the names, and put in the order shown (the subquery's
    turned round when `backwards`). `by_index=False` keeps SQLite from walking a sort index in
    search of a few matches spread over it: they are read first, then sorted (`+column` is the same
    value but no index column).
    """
    column: Any = col(getattr(Ticket, column_name))
    tie: Any = col(Ticket.id)
    if by_index:
        order = (column.desc(), tie.desc()) if descending else (column.asc(), tie.asc())
    else:
        plain, plain_tie = literal_column(f"+ticket.{column_name}"), literal_column("+ticket.id")
        order = (plain.desc(), plain_tie.desc()) if descending else (plain.asc(), plain_tie.asc())
    ids = (select(Ticket.id).where(*_where(shape, test)).order_by(*order)
           .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
           .subquery("page"))
    shown_descending = descending != backwards
    return (_with_names(select(*_row_columns()).select_from(ids).join(Ticket, col(Ticket.id) == ids.c.id))
            .order_by(*((column.desc(), tie.desc()) if shown_descending else (column.asc(), tie.asc()))))


_CREATOR, _ASSIGNEE = aliased(Account, name="creator"), aliased(Account, name="assignee")
_CREATOR_CONTACT = aliased(Contact, name="creator_contact")
_ASSIGNEE_CONTACT = aliased(Contact, name="assignee_contact")


def _row_columns() -> tuple[Any, ...]:
    """A row of the list: the ticket's columns shown, its company's name, its creator's and
    assignee's account id, full name, email and contact first and last name."""
    return (Ticket.number, Ticket.title, Ticket.category, Ticket.severity, Ticket.priority, Ticket.status,
            Ticket.created_at, Ticket.updated_at, Company.name,
            _CREATOR.id, _CREATOR.full_name, _CREATOR.email, _CREATOR_CONTACT.first_name, _CREATOR_CONTACT.last_name,
            _ASSIGNEE.id, _ASSIGNEE.full_name, _ASSIGNEE.email, _ASSIGNEE_CONTACT.first_name,
            _ASSIGNEE_CONTACT.last_name)


def _with_names(stmt: Select) -> Select:
    return (stmt.join(Company, col(Company.id) == Ticket.company_id, isouter=True)
            .join(_CREATOR, col(_CREATOR.id) == Ticket.created_by_id, isouter=True)
            .join(_CREATOR_CONTACT, col(_CREATOR_CONTACT.id) == _CREATOR.contact_id, isouter=True)
            .join(_ASSIGNEE, col(_ASSIGNEE.id) == Ticket.assignee_id, isouter=True)
            .join(_ASSIGNEE_CONTACT, col(_ASSIGNEE_CONTACT.id) == _ASSIGNEE.contact_id, isouter=True))


@lru_cache(maxsize=_CACHE)
def named_group_counts(shape: Shape, column_name: str, dialect: str, test: str = NO_TEST) -> Select:
    """(value, count, sort key of the name it refers to) of the tickets of `shape` (and `test`) per
    value of the ticket column `column_name` (a creator, assignee or company)."""
    column = col(getattr(Ticket, column_name))
    key, ident, source = _key(column_name, dialect)
    name = select(key).select_from(source).where(ident == column).scalar_subquery()
    return select(column, func.count(), name).where(*_where(shape, test)).group_by(column)


@lru_cache(maxsize=_CACHE)
def capped_counts(shape: Shape, column_name: str, unassigned: tuple[bool, ...], test: str = NO_TEST) -> Select:
    """One row: for each group `:g0`, `:g1` ... (or "none" where `unassigned` says so), the number of
    tickets of `shape` (and `test`) with that value of the ticket column `column_name`, counted up
    to `:cap`."""
    column = col(getattr(Ticket, column_name))
    cap = bindparam("cap", type_=Integer)
    counts = []
    for j, none in enumerate(unassigned):
        match = column.is_(None) if none else column == bindparam(f"g{j}")
        rows = select(literal(1)).select_from(Ticket).where(*_where(shape, test), match).limit(cap).subquery()
        counts.append(select(func.count()).select_from(rows).scalar_subquery())
    return select(*counts)


# --- names in sort order ----------------------------------------------------------------------------
# A person's or company's place in a sort by name is the lower-cased name shown, compared byte by
# byte ("C" order, whatever the database's locale): the same in SQL (`in_name_order`) and in Python
# (sorting the keys `named_group_counts` gives), so the two ways `ticket_list` pages a sort by name agree.

def _person_name() -> Any:
    """The name the list shows for an account: its contact's first and last name, else its full
    name, else its email (as `scope.display_name`)."""
    return case((func.coalesce(Contact.first_name, "") != "", Contact.first_name + " " + Contact.last_name),
                else_=func.coalesce(func.nullif(Account.full_name, ""), Account.email))


def _key(column_name: str, dialect: str) -> tuple[Any, Any, Any]:
    """(sort key, id, FROM) of the companies or the accounts."""
    if column_name == "company_id":
        key, ident, source = func.lower(Company.name), col(Company.id), Company.__table__
    else:
        key, ident = func.lower(_person_name()), col(Account.id)
        source = Account.__table__.outerjoin(Contact.__table__, col(Account.contact_id) == Contact.id)
    return (key.collate("C") if dialect == "postgresql" else key), ident, source


@lru_cache(maxsize=8)
def in_name_order(column_name: str, dialect: str, *, descending: bool) -> Select:
    """The ids of the companies or accounts `column_name` refers to in name order (then id),
    `:limit` from `:offset`."""
    key, ident, source = _key(column_name, dialect)
    order = (key.desc(), ident.desc()) if descending else (key.asc(), ident.asc())
    return (select(ident).select_from(source).order_by(*order)
            .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))


# --- full-text counts ----------------------------------------------------------------------------

@lru_cache(maxsize=16)
def fts_counts(n: int) -> Select:
    """One row: the number of matches of each of `n` FTS5 expressions `:e0` ... (SQLite)."""
    return select(*(text(f"(SELECT count(*) FROM ticket_fts WHERE ticket_fts MATCH :e{i})") for i in range(n)))


_NAMED = None  # SQLite's dialect writing :name parameters (EXPLAIN takes the page's values by name)


def sorts_after_reading(conn: Any, page_statement: Select, values: dict[str, Any]) -> bool:
    """Whether SQLite reads every ticket of `page_statement`'s page subquery and then sorts them (a
    temporary B-tree for its ORDER BY), rather than walking an index in the page's order and
    stopping after the page (SQLite's EXPLAIN QUERY PLAN: the subquery's steps)."""
    global _NAMED
    if _NAMED is None:
        from sqlalchemy.dialects import sqlite
        _NAMED = sqlite.dialect(paramstyle="named")
    plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {page_statement.compile(dialect=_NAMED)}", values).all()
    inner = {step for step, _parent, _, detail in plan if detail.startswith(("MATERIALIZE page", "CO-ROUTINE page"))}
    for step, parent, _, detail in plan:  # the plan lists a step after its parent
        if parent in inner:
            inner.add(step)
            if "TEMP B-TREE" in detail and "ORDER BY" in detail:
                return True
    return False
