"""Every text input and textarea of every page has a `maxlength`, and it is the limit that
`components/limits.py` registers for that field (tests/unit/test_field_limits.py checks those
against the services). Read from the pages as compiled for the browser (`Component.render()`).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import portal_app.pages  # noqa: F401  (each page module registers itself in PAGES)
from portal_app.components.limits import MAX_LENGTH
from portal_app.components.shell import PAGES
from portal_app.services.portal.config import text_languages

from statekit import rendered_props

TEXT_ELEMENTS = ('RadixThemesTextField.Root', 'RadixThemesTextArea', '"input"', '"textarea"')
NOT_TEXT = ('"hidden"', '"checkbox"', '"radio"', '"file"', '"submit"', '"button"', '"color"')
# the form whose limits a page's fixed-name fields take
PAGE_FORM = {"/login": "account", "/forgot-password": "account", "/reset-password": "account", "/me": "account",
             "/admin/profiles": "profile", "/admin/settings": "settings", "/tickets/new": "ticket",
             "/tickets/[number]": "ticket", "/admin/tickets/[number]": "ticket", "/register/[slug]": "event_public",
             "/admin/events": "event", "/admin/events/[slug]": "event", "/admin/invoices/new": "invoice",
             "/admin/invoices/[number]": "invoice", "/catalog/[code]": "catalog", "/cart": "catalog",
             "/quotes/[number]": "catalog", "/admin/orders/[number]": "catalog",  # (staff's cancel reason)
             "/admin/products": "product", "/admin/products/[code]": "product",
             "/admin/price-books": "price_book", "/admin/price-books/[id]": "price_book",
             "/admin/quotes/[number]": "quote_answer", "/admin/opportunities/[id]": "opportunity",
             "/admin/kb/[id]": "article", "/admin/newsletters": "newsletter", "/admin/newsletters/[id]": "newsletter",
             "/admin/reports/[id]": "report", "/admin/documents/[id]": "document"}
# a staff-written text in another language than the default (`welcome_message_fi`, `link_title_0_fi`)
# has the limit of the default language's field
LANGUAGE_SUFFIX = re.compile("_(?:" + "|".join(map(re.escape, text_languages())) + ')"$')
# rows of a field form: the id's prefix says which form
ROW_FORM = {"me-": "contact", "contact-": "contact", "company-": "company", "admin-company-": "company",
            "new-company-": "company"}


def text_inputs(node: Any) -> list[dict[str, str]]:
    return [props for props in rendered_props(node, TEXT_ELEMENTS) if props.get("type") not in NOT_TEXT]


def expected(route: str, props: dict[str, str]) -> int | dict[str, int]:
    name = LANGUAGE_SUFFIX.sub('"', props.get("name", ""))
    if props.get("id", "").startswith('"category-edit-'):  # /admin/products' "Rename category" dialog
        return MAX_LENGTH["category"][name.strip('"')]
    if name == '"q"':
        return MAX_LENGTH["search"]["tickets" if "tickets" in route else "articles" if route.startswith("/kb") else "people"]
    if name in ('', '""') and props.get("id", "").endswith('-company"'):  # staff's company boxes search companies
        return MAX_LENGTH["search"]["people"]
    if line := re.fullmatch(r'\(\("line_"\+.*\)\+"_(\w+)"\)', name):  # a line of staff's invoice editor
        return MAX_LENGTH[PAGE_FORM[route]][line.group(1)]
    if "link_title_" in name or "link_url_" in name:
        return MAX_LENGTH["settings"]["link_title" if "link_title_" in name else "link_url"]
    if name.startswith('"'):
        return MAX_LENGTH[PAGE_FORM[route]][name.strip('"')]
    prefix = re.match(r'\("([a-z-]+-)"\+', props.get("id", ""))
    assert prefix, f"{route}: a field without a known name: {props}"
    return MAX_LENGTH[ROW_FORM[prefix.group(1)]]


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.route)
def test_every_text_field_has_the_services_limit(spec):
    for props in text_inputs(spec.component().render()):
        assert "maxLength" in props, f"{spec.route}: no maxlength on {props}"
        want = expected(spec.route, props)
        if isinstance(want, int):
            assert props["maxLength"] == str(want), (spec.route, props)
        else:  # looked up by the row's name in the browser
            table = {k: int(v) for k, v in re.findall(r'\["(\w+)"\] : (\d+)', props["maxLength"])}
            assert table == want, (spec.route, props)


def test_the_forms_that_matter_are_covered():
    """The walk above really sees the fields (a change in how pages render must not make it vacuous)."""
    seen = {spec.route: text_inputs(spec.component().render()) for spec in PAGES}
    assert {p["maxLength"] for p in seen["/tickets/new"]} == {"200", "20000"}
    # the password inputs take more than bcrypt's 72 bytes: a longer one is refused with a message, not cut
    assert [p["maxLength"] for p in seen["/login"]] == ["254", "256"]
    assert [p["maxLength"] for p in seen["/reset-password"]] == ["256", "256"]
    assert [p["maxLength"] for p in seen["/me"]].count("256") == 3
    # 9 fields, and in each other language the welcome message, the home page text and a link title
    # (and the 6 fields of the seller printed on invoices)
    assert len(seen["/admin/settings"]) == 15 + 3 * len(text_languages()) and len(seen["/reset-password"]) == 2
    assert any("first_name" in p["maxLength"] for p in seen["/me"])
