"""`page_language(code)`: the document's `lang` attribute follows the language the page is shown in
(`assets/page_language.js`); the production build prerenders every page with `lang="en"`."""

from __future__ import annotations

import reflex as rx


class PageLanguage(rx.Component):
    library = "$/public/page_language.js"
    tag = "PageLanguage"

    lang: rx.Var[str]


def page_language(code: rx.Var[str]) -> rx.Component:
    return PageLanguage.create(lang=code)
