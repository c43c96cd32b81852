"""`page_language(code)`: the document's `lang` attribute follows the language the page is shown in
(`assets/page_language.js`); the production build prerenders every page with `lang="en"`.
`LANGUAGE_PENDING_HEAD`: a visitor whose language cookie names another language sees the page
only once it is drawn in that language, not its prerendered English first (the page's first frames
are blank instead; after 3 s it shows in any case).
`keep_typed_fields`: run by the language menu before its event, so what was typed in the page's
fields comes back once the page has loaded again in the new language (`page_language` puts it back)."""

from __future__ import annotations

import json

import reflex as rx
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import VarData

from ..http.session import LANGUAGE_COOKIE
from ..i18n import DEFAULT_LANGUAGE

_LIBRARY = "$/public/page_language.js"
PENDING = "data-lang-pending"

# In <head>, before the body is parsed: the language the server will show (a signed-out visitor's
# cookie; a sign-in sets it to the user's), marked on <html> when it is not the prerendered one.
# PageLanguage removes the mark once the page is drawn in it, or once the page has loaded (the
# server chose another); the animation shows the page after 3 s should neither happen.
LANGUAGE_PENDING_HEAD = [
    rx.el.script(
        "(function(){try{var m=document.cookie.match(/(?:^|; )" + LANGUAGE_COOKIE + "=([^;]*)/);"
        "var want=m?decodeURIComponent(m[1]):'';"
        f"if(/^[a-z]{{2}}$/.test(want)&&want!=={json.dumps(DEFAULT_LANGUAGE)})"
        f"document.documentElement.setAttribute({json.dumps(PENDING)},want);}}catch(e){{}}}})();"),
    rx.el.style(f"html[{PENDING}] body{{visibility:hidden;animation:portal-language-shown 0s linear 3s forwards}}"
                "@keyframes portal-language-shown{to{visibility:visible}}"),
]


class PageLanguage(rx.Component):
    library = _LIBRARY
    tag = "PageLanguage"

    lang: rx.Var[str]
    hydrated: rx.Var[bool]


def page_language(code: rx.Var[str]) -> rx.Component:
    return PageLanguage.create(lang=code, hydrated=rx.State.is_hydrated)


keep_typed_fields = rx.call_function(rx.Var(
    _js_expr="keepTypedFields", _var_data=VarData(imports={_LIBRARY: [ImportVar(tag="keepTypedFields")]})))
