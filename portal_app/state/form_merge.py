"""A staff form's save merged into its record as it is now (`services.edits.edited_part`). Such a
state keeps `_shown` (the form as drawn, as texts) and `_told` (values a refused save said were
changed meanwhile). `merged` turns the form's data into the fields it changed, for services that
change only the fields present (an event, a product, a price book); `merged_whole` gives the whole
form with the fields it did not change as they are now, for services that take a whole form (a
mailing list, a shared document)."""

from __future__ import annotations

from typing import Any

from ..services.edits import EditClash, edited_part


def merged(state: Any, *, now: dict[str, str], data: dict[str, Any], together: tuple[str, ...] = (),
           unsaid: tuple[str, ...] = ()) -> dict[str, Any]:
    """`data` without what the form sent as shown; a clash (someone else changed that field) is
    refused, and remembered, so that saving again replaces it."""
    try:
        return edited_part(current=now, sent=data, seen={**state._shown, **state._told}, together=together,
                           unsaid=unsaid)
    except EditClash as exc:
        state._told = {**state._told, **exc.current}
        raise


def merged_whole(state: Any, *, now: dict[str, str], data: dict[str, Any], together: tuple[str, ...] = (),
                 unsaid: tuple[str, ...] = ()) -> dict[str, Any]:
    """`data` with each field it sent as shown replaced by its value now; a clash refused as in `merged`."""
    changed = merged(state, now=now, data=data, together=together, unsaid=unsaid)
    return {name: changed[name] if name in changed else now.get(name, value) for name, value in data.items()}
