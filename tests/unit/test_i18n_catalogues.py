"""Message catalogues: every language has every English key, and every key the services raise exists.

Written over whatever files are in portal_app/i18n/catalogues, so a new language is checked as soon as
its file is added.
"""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

from portal_app.i18n import CATALOGUE_DIR, DEFAULT_LANGUAGE, available_languages, translate

SERVICES_DIR = Path(__file__).resolve().parents[2] / "portal_app" / "services"
CATALOGUES = sorted(CATALOGUE_DIR.glob("*.json"))
OTHER_CATALOGUES = [p for p in CATALOGUES if p.stem != DEFAULT_LANGUAGE]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def service_keys(prefix: str) -> dict[str, list[str]]:
    """String literals in services/**/*.py that start with `prefix`, with where they occur."""
    found: dict[str, list[str]] = {}
    for path in sorted(SERVICES_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(prefix):
                found.setdefault(node.value, []).append(f"{path.name}:{node.lineno}")
    return found


ENGLISH = load(CATALOGUE_DIR / f"{DEFAULT_LANGUAGE}.json")


def test_english_catalogue_is_there():
    assert (CATALOGUE_DIR / f"{DEFAULT_LANGUAGE}.json") in CATALOGUES
    assert ENGLISH.get("_language_name") == "English"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_catalogue_is_a_flat_map_of_strings(path):
    data = load(path)
    assert isinstance(data, dict)
    bad = [k for k, v in data.items() if not isinstance(k, str) or not isinstance(v, str) or not v.strip()]
    assert not bad, f"{path.name}: empty or non-text messages: {bad}"
    assert data.get("_language_name"), f"{path.name} has no _language_name"


@pytest.mark.parametrize("path", OTHER_CATALOGUES, ids=lambda p: p.name)
def test_every_english_key_is_translated(path):
    missing = sorted(set(ENGLISH) - set(load(path)))
    assert not missing, f"{path.name} lacks {len(missing)} keys: {missing}"


@pytest.mark.parametrize("path", OTHER_CATALOGUES, ids=lambda p: p.name)
def test_translations_use_the_same_placeholders(path):
    """A placeholder the code does not pass would raise KeyError in translate()."""
    data = load(path)
    wrong = {key: (sorted(placeholders(data[key])), sorted(placeholders(text)))
             for key, text in ENGLISH.items() if key in data and placeholders(data[key]) != placeholders(text)}
    assert not wrong, f"{path.name}: placeholders differ from English (theirs, English): {wrong}"


def test_every_catalogue_file_is_offered_as_a_language():
    assert list(available_languages())[0] == DEFAULT_LANGUAGE
    assert set(available_languages()) == {p.stem for p in CATALOGUES}


def test_services_raise_only_known_error_keys():
    keys = service_keys("error.")
    assert "error.not_found" in keys and "error.link_invalid" in keys  # the scan finds them
    missing = {key: where for key, where in keys.items() if key not in ENGLISH}
    assert not missing, f"error keys missing from {DEFAULT_LANGUAGE}.json: {missing}"


def test_services_mail_keys_exist():
    keys = service_keys("mail.")
    assert keys
    missing = {key: where for key, where in keys.items() if key not in ENGLISH}
    assert not missing, f"mail keys missing from {DEFAULT_LANGUAGE}.json: {missing}"


@pytest.mark.parametrize("lang", sorted(p.stem for p in CATALOGUES))
def test_service_mails_render_in_every_language(lang):
    """The mails the services build format cleanly with the parameters they pass."""
    link = "https://portal.example.com/reset-password?token=abc"
    greeting = translate(lang, "mail.greeting_named", name="Aino")
    reset = translate(lang, "mail.reset.body", greeting=greeting, link=link, minutes=60)
    activate = translate(lang, "mail.activate.body", greeting=greeting, link=link, email="a@example.com", hours=72)
    assert link in reset and link in activate and "a@example.com" in activate
    assert reset.startswith(greeting) and activate.startswith(greeting) and "Aino" in greeting


def test_page_texts_follow_the_language_in_the_browser_not_a_catalogue_in_each_tabs_state():
    from portal_app.components.i18n import t
    from portal_app.state.session import SessionState

    compiled = str(t("nav.home"))
    assert '"Etusivu"' in compiled and '"Home"' in compiled and "lang_rx_state_" in compiled
    assert "messages" not in SessionState.get_fields()  # 57 KB per tab before
    with pytest.raises(TypeError):
        t(SessionState.lang)  # a key is known when the page is compiled


def test_every_module_with_pages_has_its_menu_label_and_its_name():
    """The menu labels a module's entry "nav.<module>" (state/session.py), and the profile editor
    names it "module.<module>": keys made at run time, so no scan of the code finds them."""
    from portal_app.services.portal.modules import MODULES

    english = json.loads((CATALOGUE_DIR / f"{DEFAULT_LANGUAGE}.json").read_text(encoding="utf-8"))
    missing = [key for module in MODULES for key in (f"module.{module.key}",) + ((f"nav.{module.key}",)
               if module.route else ()) + tuple(label for label, _ in module.more) if key not in english]
    assert not missing


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_a_singular_form_belongs_to_a_message_and_keeps_its_placeholders(path):
    data = load(path)
    ones = [key for key in data if key.endswith("|one")]
    assert ones
    orphans = [key for key in ones if key.removesuffix("|one") not in data]
    assert not orphans, f"{path.name}: singular forms without their message: {orphans}"
    wrong = [key for key in ones if placeholders(data[key]) != placeholders(data[key.removesuffix("|one")])]
    assert not wrong, f"{path.name}: singular forms with other placeholders: {wrong}"


@pytest.mark.parametrize(("lang", "total", "expected"), [
    ("en", 1, "Page 1 of 1, 1 ticket"), ("en", 2, "Page 1 of 1, 2 tickets"), ("en", 0, "Page 1 of 1, 0 tickets"),
    ("de", 1, "Seite 1 von 1, 1 Ticket"), ("de", 21, "Seite 1 von 1, 21 Tickets"),
])
def test_a_count_of_one_takes_the_singular(lang, total, expected):
    assert translate(lang, "tickets.page_of", page=1, pages=1, total=total) == expected


def test_only_a_count_chooses_the_form():
    """A total that is an amount of money ("€1.00"), or True, is no count."""
    assert translate("en", "invoices.page_of", page=1, pages=1, total="1") == "Page 1 of 1 (1 invoices)"
    assert translate("en", "error.rate_limited", minutes=1).endswith("in 1 minute.")
    assert translate("en", "error.rate_limited", minutes=True).endswith("in True minutes.")
    assert translate("en", "invoices.page_of", page=1, pages=1, total=1) == "Page 1 of 1 (1 invoice)"
