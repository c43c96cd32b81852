"""`page_language(code)`: the document's `lang` attribute follows the language the page is shown in
(`assets/page_language.js`); the production build prerenders every page with `lang="en"`.
`keep_typed_fields`: run by the language menu before its event, so what was typed in the page's
fields comes back once the page has loaded again in the new language (`page_language` puts it back)."""

from __future__ import annotations

import reflex as rx
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import VarData

_LIBRARY = "$/public/page_language.js"


class PageLanguage(rx.Component):
    library = _LIBRARY
    tag = "PageLanguage"

    lang: rx.Var[str]


def page_language(code: rx.Var[str]) -> rx.Component:
    return PageLanguage.create(lang=code)


keep_typed_fields = rx.call_function(rx.Var(
    _js_expr="keepTypedFields", _var_data=VarData(imports={_LIBRARY: [ImportVar(tag="keepTypedFields")]})))
