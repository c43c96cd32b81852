"""Texts staff wrote are marked with the language they are in (WCAG 3.1.2): a Finnish page showing an
event title written only in English says `lang="en"` on it, so a screen reader reads it with an
English voice. The services say each text's language (`translations.text_language`; tested with
each module); this checks that every page showing such texts puts it on them, as compiled for the
browser (`Component.render()`)."""

from __future__ import annotations

import pytest

import portal_app.pages  # noqa: F401  (each page module registers itself in PAGES)
from portal_app.components.shell import PAGES

from statekit import rendered_elements

# a page's staff-written texts, by the state var (or row key) that holds their languages
MARKED = {
    "/": ("text_lang_in",) * 2,  # the welcome and the home page's text
    "/events": ("title_lang",) * 3,  # upcoming and past cards, my and my company's registrations
    "/events/[slug]": ("text_lang",) * 3,  # title, description, price
    "/register/[slug]": ("text_lang",) * 3,
    "/events/cancel/[token]": ("title_lang",),
    "/newsletters": ("text_lang",) * 2,
    "/newsletters/[token]": ("text_lang",) * 2,
    "/reports": ("text_lang",) * 2,
    "/reports/[id]": ("text_lang",) * 3,  # title, description, the table's caption
    "/documents": ("text_lang",) * 2,
    "/catalog": ("text_lang",) * 3,  # name, category, unit
    "/catalog/[code]": ("text_lang",) * 4,  # name, category, unit, description
}


@pytest.mark.parametrize("route", sorted(MARKED))
def test_staff_written_texts_carry_their_language(route):
    spec = next(spec for spec in PAGES if spec.route == route)
    marked = [props["lang"] for _, props in rendered_elements(spec.component().render())
              if any(key in props.get("lang", "") for key in set(MARKED[route]))]
    assert len(marked) >= len(MARKED[route]), (route, marked)


def test_the_shell_marks_staff_link_titles():
    spec = next(spec for spec in PAGES if spec.route == "/")
    assert any('["lang"]' in props.get("lang", "") for _, props in rendered_elements(spec.component().render()))
