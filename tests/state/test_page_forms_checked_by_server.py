"""A form the browser would check itself (a web address, an email, a number, a date, a required
field) leaves the checking to the server (`no_validate`): its messages then come all at once, each at
its field and in the page's language, rather than the browser's bubble about the first one only, in
the browser's language. What the browser cannot read at all (a date typed in part) still stops the
form, in assets/form_sent.js, so nothing is saved as empty. Read from the pages as compiled."""

from __future__ import annotations

from typing import Any

import pytest

import portal_app.pages  # noqa: F401  (each page module registers itself in PAGES)
from portal_app.components.shell import PAGES

FORMS = ("RadixFormRoot", '"form"')
FIELDS = ('"input"', '"textarea"', '"select"', "RadixThemesTextField.Root", "RadixThemesTextArea")
CHECKED_TYPES = ('"url"', '"email"', '"number"', '"date"', '"datetime-local"', '"time"')
CHECKED_PROPS = ("required", "min", "max", "pattern")


def _props(node: dict) -> dict[str, str]:
    return dict(p.split(":", 1) for p in node.get("props", []) if ":" in p)


def checked_fields_of_unchecked_forms(node: Any, form: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The fields the browser would check, in forms that let it."""
    found: list[dict[str, str]] = []
    if isinstance(node, dict):
        name = node.get("name")
        props = _props(node) if isinstance(name, str) else {}
        if name in FORMS:
            form = props
        elif form is not None and "noValidate" not in form and name in FIELDS and (
                props.get("type") in CHECKED_TYPES or any(p in props for p in CHECKED_PROPS)):
            found.append(props)
        for value in node.values():
            found += checked_fields_of_unchecked_forms(value, form)
    elif isinstance(node, (list, tuple)):
        for value in node:
            found += checked_fields_of_unchecked_forms(value, form)
    return found


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.route)
def test_a_form_with_fields_the_browser_would_check_leaves_it_to_the_server(spec):
    assert checked_fields_of_unchecked_forms(spec.component().render()) == []


def test_the_walk_sees_checked_fields():
    """The events form has its link, capacity, times and title: were it left to the browser, all show."""
    (events,) = [spec for spec in PAGES if spec.route == "/admin/events"]
    rendered = events.component().render()

    def without_no_validate(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: without_no_validate(v) for k, v in node.items()}
            if isinstance(node.get("props"), list):
                out["props"] = [p for p in node["props"] if not p.startswith("noValidate:")]
            return out
        return [without_no_validate(v) for v in node] if isinstance(node, (list, tuple)) else node

    names = {props.get("name") for props in checked_fields_of_unchecked_forms(without_no_validate(rendered))}
    assert {'"online_url"', '"capacity"', '"starts_at"', '"title"'} <= names
