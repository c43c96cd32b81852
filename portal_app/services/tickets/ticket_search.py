"""Full-text search over tickets: SQLite FTS5, or a tsvector with a GIN index on PostgreSQL.

A search matches whole words, every word of the box (in any order, across title, description and
public comments); a word ending in `*` matches the words it begins ("print*" finds "printer").
Everything else the user types is a plain word, never an operator. Accents are folded on both
databases ("kayttaja" finds "käyttäjä").

On SQLite the FTS5 row of a ticket also carries *tags*: one token per value of the columns the list
filters and scopes by (`co12` company 12, `st` status, `to` assignee ...), and one for its company
and status together (`cs12new`, see `PAIR_PREFIX`). The list then answers a
search inside a scope -- "error" among one company's tickets, per status -- from the index alone,
instead of collecting every ticket containing a common word and testing each against the scope
(docs/benchmarks.md: 235 ms -> ~30 ms at a million tickets). The index is kept by the ticket
service and by triggers in the same transaction as the change it reflects. Internal notes are never
indexed, so a search can never reveal them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from sqlalchemy import Connection, text
from sqlmodel import Session

from ...models import Ticket, TicketCategory, TicketPriority, TicketStatus
from . import ticket_tally

MAX_TERMS = 8
MIN_PREFIX = 2  # "a*" would match half the dictionary: a prefix needs two characters
_WORD = re.compile(r"([^\W_]+)(\*?)", re.UNICODE)

# A ticket column the list filters or scopes by -> the prefix of its tags.
TAG_PREFIX = {"company_id": "co", "created_by_id": "by", "assignee_id": "to", "status": "st",
              "category": "ca", "severity": "se", "priority": "pr"}


# Pairs of columns whose values also get one tag per pair: "company 12 and status New" is then one
# short list in the index, where "co12 AND stnew" steps through two long ones (a company's share of
# a common word, and a status over every company: 5.8 ms against 1.6 ms per count at a million
# tickets, docs/benchmarks.md).
PAIR_PREFIX = {("company_id", "status"): "cs"}
MAX_PAIR_TAGS = 16  # a condition on more pairs of values than this keeps its two lists


def _value_sql(row: str, column: str) -> str:
    value = f"coalesce({row}.{column}, 'none')" if column == "assignee_id" else f"{row}.{column}"
    return f"lower(replace({value}, '_', ''))"


def tags_sql(row: str) -> str:
    """SQL for the tags of the ticket row `row` (the same text as `tags`)."""
    parts = [f"'{prefix}' || {_value_sql(row, column)}" for column, prefix in TAG_PREFIX.items()]
    parts += [f"'{prefix}' || " + " || ".join(_value_sql(row, column) for column in pair)
              for pair, prefix in PAIR_PREFIX.items()]
    return " || ' ' || ".join(parts)


# The FTS5 table (detail=column: the index keeps which column a word is in but not its position --
# enough for words and tags, as a search has no phrases, and half the work for common words) and
# the triggers that keep its title, description and tags in line with the ticket table, whatever
# writes to it. The comments column is the ticket service's (`index_comment`).
FTS_TABLE = "ticket_fts"
TEXT_COLUMNS = "{title description comments}"
_TAGGED = ", ".join(TAG_PREFIX)
SQLITE_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS ticket_fts USING fts5(title, description, comments, tags, "
    "tokenize='unicode61 remove_diacritics 2', detail=column)",
    "CREATE TRIGGER IF NOT EXISTS ticket_fts_insert AFTER INSERT ON ticket BEGIN "
    "INSERT INTO ticket_fts (rowid, title, description, comments, tags) "
    f"VALUES (new.id, new.title, new.description, '', {tags_sql('new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS ticket_fts_update AFTER UPDATE OF title, description, {_TAGGED} ON ticket BEGIN "
    f"UPDATE ticket_fts SET title = new.title, description = new.description, tags = {tags_sql('new')} "
    "WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS ticket_fts_delete AFTER DELETE ON ticket BEGIN "
    "DELETE FROM ticket_fts WHERE rowid = old.id; END",
    # the index's words, in order, with how many tickets hold each (`expand`)
    "CREATE VIRTUAL TABLE IF NOT EXISTS ticket_fts_words USING fts5vocab(ticket_fts, row)",
)


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def ensure_schema(session: Session) -> None:
    """Create the index, and the tally (`ticket_tally`), when missing (the migrations create them;
    tests on create_all need this)."""
    if _sqlite(session):
        for statement in SQLITE_SCHEMA:
            session.exec(text(statement))
        ticket_tally.ensure_schema(session)  # the other table derived from the tickets
    else:
        session.exec(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
        session.exec(text("CREATE TABLE IF NOT EXISTS ticket_search (ticket_id integer PRIMARY KEY "
                          "REFERENCES ticket(id) ON DELETE CASCADE, document tsvector NOT NULL)"))
        session.exec(text("CREATE INDEX IF NOT EXISTS ix_ticket_search_document ON ticket_search "
                          "USING gin (document)"))
    session.commit()


# --- words --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A word of the search box; `prefix`: it ends in `*`. A prefix `expand`ed into the words of
    the index that it begins has them in `words` (any of them matches) and is no longer a prefix."""
    word: str
    prefix: bool = False
    words: tuple[str, ...] | None = None


def terms(query: str) -> list[Term]:
    """The words of a search box, lower-cased; punctuation and operators are dropped."""
    if not isinstance(query, str):
        return []
    return [Term(word.lower(), bool(star) and len(word) >= MIN_PREFIX)
            for word, star in _WORD.findall(query)][:MAX_TERMS]


def short_prefixes(query: str) -> list[str]:
    """The words ending in * too short to be prefixes ("p*"): searched as the word itself, which
    the page says, rather than seem to have found nothing that begins with them."""
    if not isinstance(query, str):
        return []
    return [word for word, star in _WORD.findall(query)[:MAX_TERMS] if star and len(word) < MIN_PREFIX]


def _phrase(t: Term) -> str:
    if t.words is not None:
        return "(" + " OR ".join(f'"{w}"' for w in t.words) + ")"
    return f'"{t.word}"*' if t.prefix else f'"{t.word}"'


def text_expression(words: Sequence[Term]) -> str:
    """An FTS5 expression: every word, in the text columns only (never in the tags)."""
    return f"{TEXT_COLUMNS} : ({' AND '.join(_phrase(t) for t in words)})"


# --- tags ---------------------------------------------------------------------------------------

def _token(value: Any) -> str:
    return ("none" if value is None else str(value)).replace("_", "").lower()


def tag(column: str, value: Any) -> str:
    """The token standing for `column = value` ("none" for no value), as `tags_sql` writes it."""
    return TAG_PREFIX[column] + _token(value)


def pair_tag(pair: tuple[str, str], values: tuple[Any, Any]) -> str:
    """The token standing for both columns of `pair` having `values`."""
    return PAIR_PREFIX[pair] + "".join(_token(v) for v in values)


def tags(ticket: Ticket) -> str:
    """The tags of a ticket, as the triggers write them (for tests and checks)."""
    single = [tag(column, getattr(ticket, column)) for column in TAG_PREFIX]
    pairs = [pair_tag(pair, tuple(getattr(ticket, c) for c in pair)) for pair in PAIR_PREFIX]
    return " ".join(single + pairs)


Condition = tuple[str, tuple[Any, ...]]  # a Ticket column and the values it may take (None: no value)


def _tokens(conditions: Iterable[Condition]) -> list[list[str]]:
    """The tokens of each condition, a pair of conditions as one of pair tags where it can."""
    conditions = list(conditions)
    merged: list[list[str]] = []
    for pair in PAIR_PREFIX:
        found = [k for k, (column, _) in enumerate(conditions) if column in pair]
        if len(found) != 2 or {conditions[k][0] for k in found} != set(pair):
            continue
        by_column = {conditions[k][0]: dict.fromkeys(conditions[k][1]) for k in found}
        combos = list(product(*(by_column[column] for column in pair)))
        if len(combos) <= MAX_PAIR_TAGS:
            merged.append([pair_tag(pair, combo) for combo in combos])
            conditions = [c for k, c in enumerate(conditions) if k not in found]
    return merged + [[tag(column, v) for v in dict.fromkeys(values)] for column, values in conditions]


def tag_expression(conditions: Iterable[Condition]) -> str:
    """An FTS5 expression of `conditions` ANDed; "" for none."""
    return " AND ".join(f"tags : ({' OR '.join(tokens)})" for tokens in _tokens(conditions))


def expression(words: Sequence[Term], conditions: Iterable[Condition]) -> str:
    """The tickets containing `words` that meet `conditions`."""
    scoped = tag_expression(conditions)
    return f"{text_expression(words)} AND {scoped}" if scoped else text_expression(words)


# --- prefixes ------------------------------------------------------------------------------------

# A prefix in an FTS5 query makes it gather the lists of every word with that beginning into one
# before anything else, with no skipping -- again in each of the list's counts (a common prefix
# inside a company: 22 ms per count, against 1.5 ms for its word). When the index holds only a few
# words with that beginning, the query asks for them instead ("err*" -> "error"), each list then
# skipped through like any word's. Looking them up costs a pass through their lists (12 ms for
# "error" at a million tickets), so a prefix of many words keeps FTS5's own way.
MAX_EXPANSION = 8
_TAG_HEADS = frozenset([*TAG_PREFIX.values(), *PAIR_PREFIX.values()])
# the words after a tag's head (the others are numbers: ids, severities, a company's id then a status)
_TAG_WORDS = {TAG_PREFIX[column]: tuple(_token(v) for v in values) for column, values in (
    ("status", TicketStatus), ("category", TicketCategory), ("priority", TicketPriority), ("assignee_id", (None,)))}


def may_begin_a_tag(prefix: str) -> bool:
    """Whether some tag could begin with `prefix` (the index's words are the tags' too)."""
    head, rest = prefix[:2], prefix[2:]
    return head in _TAG_HEADS and (not rest or rest[0].isdigit()
                                   or any(w.startswith(rest) for w in _TAG_WORDS.get(head, ())))


def expand(conn: Connection, words: Sequence[Term]) -> list[Term]:
    """`words` with each prefix that begins at most `MAX_EXPANSION` words of the index replaced by
    those words (none: nothing can match). Only plain ASCII prefixes, which the tokenizer keeps as
    they are, and none that could begin a tag (SQLite)."""
    out = []
    for t in words:
        if not t.prefix or not t.word.isascii() or may_begin_a_tag(t.word):
            out.append(t)
            continue
        end = t.word[:-1] + chr(ord(t.word[-1]) + 1)
        found = conn.execute(text("SELECT term FROM ticket_fts_words WHERE term >= :start AND term < :end "
                                  "AND doc > 0 LIMIT :n"),
                             {"start": t.word, "end": end, "n": MAX_EXPANSION + 1}).scalars().all()
        out.append(t if len(found) > MAX_EXPANSION else Term(t.word, words=tuple(found)))
    return out


# --- keeping the index ----------------------------------------------------------------------------

def index_ticket(session: Session, ticket: Ticket) -> None:
    """Index a new ticket (on SQLite the insert trigger has done it)."""
    if not _sqlite(session):
        session.exec(text("INSERT INTO ticket_search (ticket_id, document) VALUES "
                          "(:id, to_tsvector('simple', unaccent(:title || ' ' || :description)))"),
                     params={"id": ticket.id, "title": ticket.title, "description": ticket.description})


def index_comment(session: Session, ticket_id: int, body: str) -> None:
    if not body:
        return
    if _sqlite(session):
        session.exec(text("UPDATE ticket_fts SET comments = comments || ' ' || :body WHERE rowid = :id"),
                     params={"id": ticket_id, "body": body})
    else:
        session.exec(text("UPDATE ticket_search SET document = document || "
                          "to_tsvector('simple', unaccent(:body)) "
                          "WHERE ticket_id = :id"), params={"id": ticket_id, "body": body})


def merge_index(session: Session, *, budget_s: float = 30.0, pages: int = 2000) -> int:
    """Merge the index's segments into one, in steps of about `pages` pages, each its own short
    transaction; stops when done or after `budget_s` (the next round goes on). Returns the steps.

    FTS5 adds a segment per transaction and merges them only now and then; a search tests every
    segment, and a page that tests its tickets one by one pays that per ticket (measured at a
    million tickets: 430 ms with the segments of a bulk load, 78 ms merged). Run by the hourly
    housekeeping (SQLite only).
    """
    if not _sqlite(session):
        return 0
    started, steps = time.monotonic(), 0
    while time.monotonic() - started < budget_s:
        before = session.exec(text("SELECT total_changes()")).one()[0]
        session.exec(text("INSERT INTO ticket_fts (ticket_fts, rank) VALUES ('merge', :pages)"),
                     params={"pages": -pages})
        worked = session.exec(text("SELECT total_changes()")).one()[0] - before >= 2
        session.commit()
        if not worked:
            break
        steps += 1
    return steps


# --- querying ------------------------------------------------------------------------------------

def tagged(session: Session) -> bool:
    """Whether the index answers scoped searches itself (SQLite FTS5 with tags)."""
    return _sqlite(session)


def matching(conn: Connection, expression: str, ids: Sequence[int]) -> set[int]:
    """Those of the tickets `ids` whose text matches the FTS5 `expression` (`text_expression`)."""
    listed = ", ".join(str(int(i)) for i in ids)
    found = conn.execute(text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :expression "
                              f"AND rowid IN ({listed})"), {"expression": expression})
    return set(found.scalars())


def tsquery(words: Sequence[Term]) -> str:
    """A PostgreSQL text query (`to_tsquery('simple', unaccent(...))`): every word; a prefix as `word:*`."""
    return " & ".join(f"{t.word}:*" if t.prefix else t.word for t in words)
