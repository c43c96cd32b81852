"""Fields tied to a message are marked invalid with it, and no two elements share one attribute dict.

Read from the pages as compiled for the browser (`Component.render()`), and from their component
trees: a screen reader hears a refused field as invalid (`forms.field_attrs`), and
assets/focus_refused.js puts focus on the first field so marked.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import reflex as rx

import portal_app.pages  # noqa: F401  (each page module registers itself in PAGES)
from portal_app.components.shell import PAGES

from statekit import rendered_elements

# an element's props as rendered: `"aria-describedby":"name-error"` is split at the first colon
DESCRIBED = '"aria-describedby"'
INVALID = '"aria-invalid"'
# a field's message id (`field_error`): "<name>-error"; the hint ids beside it do not count
MESSAGE_ID = re.compile(r"[\w.]+-error\b")


def tied_to_a_message(page: Any) -> list[tuple[str, dict[str, str]]]:
    return [(name, props) for name, props in rendered_elements(page.render())
            if MESSAGE_ID.search(props.get(DESCRIBED, ""))]


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.route)
def test_a_field_tied_to_its_message_is_marked_invalid_with_it(spec):
    for name, props in tied_to_a_message(spec.component()):
        assert INVALID in props, f"{spec.route}: {name} {props.get('id')} names {props[DESCRIBED]} but has no aria-invalid"


# messages about a group of controls or an upload zone, not one field: an invoice's or quote's lines, a
# ticket's re-classification, an event's audience (radio buttons, company boxes), an article's readers,
# a file to share, a product's picture
GROUP_MESSAGES = {"lines", "fields", "company_ids", "visibility", "file", "image"}


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.route)
def test_every_field_message_has_its_field_marked_invalid(spec):
    """A page that can show a field's message (`field_error`, id "<name>-error") has the field tied to
    it and marked invalid (a message no field names helped no one: the settings' own fields once)."""
    rendered = rendered_elements(spec.component().render())
    messages = {props["id"].strip('"') for _, props in rendered
                if re.fullmatch(r'"[\w.]+-error"', props.get("id", ""))}
    tied = " ".join(props.get(DESCRIBED, "") for _, props in rendered if INVALID in props)
    for message in sorted(messages):
        name = message.removesuffix("-error")
        assert message in tied or name in GROUP_MESSAGES, f"{spec.route}: no field marked invalid names {message}"


def test_the_walk_sees_the_fields():
    """Not vacuous: the forms' fields are found, staff's catalog and translated fields among them."""
    seen = {spec.route: tied_to_a_message(spec.component()) for spec in PAGES}
    assert sum(map(len, seen.values())) > 150
    ids = {props.get("id") for fields in seen.values() for _, props in fields}
    assert {'"book-name"', '"product-name_fi"', '"settings-seller_iban"', '"inv-currency"', '"ticket-assignee"',
            '"reg-consent"'} <= ids


def components(root: rx.Component) -> list[rx.Component]:
    found, stack = [], [root]
    while stack:
        item = stack.pop()
        if isinstance(item, rx.Component):
            found.append(item)
            stack.extend(item.children)
            stack.extend(v for v in vars(item).values() if isinstance(v, rx.Component))
    return found


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.route)
def test_no_two_elements_share_one_attribute_dict(spec):
    """Reflex adds an element's attributes (aria-label, ...) to the `custom_attrs` dict it is given: a
    dict shared by several elements would give every one of them the last one's name (all selects of
    a page were once named "Language"). `forms.pick_to_apply()` gives each its own."""
    owners: dict[int, rx.Component] = {}
    for component in components(spec.component()):
        attrs = component.custom_attrs
        if attrs:
            other = owners.setdefault(id(attrs), component)
            assert other is component, f"{spec.route}: {type(other).__name__} and {type(component).__name__} share {attrs}"
