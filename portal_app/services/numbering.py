"""Sequential document numbers without gaps: invoices, quote requests, sales orders.

A number is drawn by one UPDATE ... RETURNING on the sequence's counter row, inside the transaction
that makes the numbered row. The counter row stays held until that transaction ends (a row lock on
PostgreSQL, the write lock on SQLite), so concurrent writers get consecutive numbers, and a
transaction that fails rolls its number back with it: no gaps, no number given twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select


def next_number(session: Session, counter: type[SQLModel], key: int | str, *, numbered: Any, start: int = 1000) -> int:
    """The next number of the sequence `key` of the counter table `counter` (a primary key and a
    `value`). The first draw makes the counter row, from the highest `numbered` value there is (or
    `start`); if another transaction made it at the same moment, the draw goes through that row."""
    table = counter.__table__  # type: ignore[attr-defined]
    key_column = next(iter(table.primary_key.columns))
    advance = (update(table).where(key_column == key).values(value=table.c.value + 1)
               .returning(table.c.value))
    row = session.execute(advance).first()
    if row is not None:
        return int(row[0])
    first = (session.exec(select(func.max(numbered))).one() or start) + 1
    try:
        with session.begin_nested():
            session.execute(insert(table).values({key_column.name: key, "value": first}))
    except IntegrityError:
        return int(session.execute(advance).one()[0])
    return first
