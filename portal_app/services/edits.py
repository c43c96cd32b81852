"""An edit sent from a form shown some time ago: the fields it changed, merged into the record as it
is now, defined once for every form of named fields (companies, contacts and articles through their
services' `seen`; events, products and price books, whose services change the fields present,
through `edited_part` in their states, `state/form_merge.py`).

Two people may have one record's form open at once (two staff tabs; staff and the company's admin).
Compared with the record as it is *now*, every value a form still shows from before looks like a
change, and the later save silently put back what the earlier one changed. So the form's state
keeps what it showed (`seen`): a field sent as it was shown is not this person's change and stays as
it is now; a field this person changed is saved, unless someone else changed that same field
meanwhile to another value. Then nothing is saved (`EditClash`): the field says what it holds now,
and the form, told that value, saves the person's own on the next try.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import Enum
from typing import Any

from .errors import ValidationFailed


class EditClash(ValidationFailed):
    """Fields someone else changed meanwhile; `current` holds their values now (said, except for
    those `unsaid`: a tick, a choice of several, whose text means nothing to a reader)."""

    def __init__(self, current: dict[str, str], unsaid: Collection[str] = ()) -> None:
        super().__init__({name: "error.changed_meanwhile_field" if name in unsaid
                          else ("error.changed_meanwhile_to", {"value": value}) if value
                          else "error.emptied_meanwhile" for name, value in current.items()})
        self.current = current


def edited(*, current: Mapping[str, str], sent: Mapping[str, str],
           seen: Mapping[str, str] | None, unsaid: Collection[str] = ()) -> dict[str, str]:
    """The fields to save (name -> value sent). Without `seen` (no form: a script, an import), those
    that differ from now. A field the form did not show is compared with now."""
    if not isinstance(seen, Mapping):
        seen = None
    changes: dict[str, str] = {}
    clashes: dict[str, str] = {}
    for name, value in sent.items():
        now = current.get(name, "")
        shown = now if seen is None or name not in seen else seen[name]
        if value == shown or value == now:
            continue
        if now != shown:
            clashes[name] = now
        else:
            changes[name] = value
    if clashes:
        raise EditClash(clashes, unsaid)
    return changes


def texts_of(values: Mapping[str, Any]) -> dict[str, str]:
    """Field values as a form's texts, to compare with `edited`: a flag "1" or "", a choice its value,
    several chosen ids one text."""
    return {name: _text(value) for name, value in values.items()}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(sorted(str(item) for item in value))  # chosen ids: in any order, the same choice
    return "" if value is None else str(value)


def edited_part(*, current: Mapping[str, str], sent: Mapping[str, Any], seen: Mapping[str, str] | None,
                together: tuple[str, ...] = (), unsaid: Collection[str] = ()) -> dict[str, Any]:
    """`sent` (a form's data, for a service that changes the fields present) without the fields the
    form sent as it showed them; the fields of `together` (the texts in other languages, which the
    service reads as one) stay whole when one of them changed. Refuses a clash as `edited` does;
    `unsaid` are also the fields that hold no text (a tick, chosen ids)."""
    # a value no form sends for a text (a list, a flag, a number: crafted) is never taken for "as
    # shown": the service gets it, and refuses it
    odd = {name for name, value in sent.items() if not isinstance(value, str) and name not in unsaid}
    changed = odd | set(edited(current=current, sent=texts_of({n: v for n, v in sent.items() if n not in odd}),
                               seen=seen, unsaid=unsaid))
    if changed & set(together):
        changed |= set(together)
    return {name: value for name, value in sent.items() if name in changed}
