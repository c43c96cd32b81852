"""`folded(text)`: a text column in lower case, for a search that ignores capitals beyond A-Z.

SQLite's own lower() folds A-Z only: "Äänekoski Oy" stays "Äänekoski oy" there, so a search for
"äänekoski" (lowered in Python, `validation.like_pattern`) never found it, nor "über" "Überall GmbH".
On SQLite `folded` is Python's `str.lower`, a function of every connection (`portal_lower`); on
PostgreSQL it is lower(), which follows Unicode already. Only for LIKE searches: a sort or an index
keeps SQLite's own lower()."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import String, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "portal_lower"


class folded(FunctionElement):  # noqa: N801 - used like func.lower
    type = String()
    name = "folded"
    inherit_cache = True


@compiles(folded)
def _lower(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _python_lower(element: folded, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


def _fold(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _register(dbapi_connection: Any, _record: Any) -> None:
    """Every SQLite connection of the process (the app's, migrations', tests') knows the function."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(SQLITE_FUNCTION, 1, _fold, deterministic=True)
