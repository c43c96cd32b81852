"""Staff-written texts in the other languages (services/translations.py): what a form's fields give,
what a reader of each language gets, and what is refused."""

from __future__ import annotations

from portal_app.services.translations import (
    TranslatedText, form_values, localized, parse_translations, refused_in, sent, text_language, text_languages_of,
)

TEXTS = (TranslatedText("title", 10), TranslatedText("body", 20, multi_line=True))


def test_the_other_languages_texts_are_cleaned_and_the_empty_ones_left_out():
    errors: dict = {}
    found = parse_translations({"title_fi": "  Otsikko\n", "body_fi": "Rivi 1\nRivi 2 ", "title_de": "",
                                "title_it": "Titolo", "title_xx": "ignored", "title": "not another language"},
                               TEXTS, errors)
    assert errors == {}
    assert found == {"fi": {"title": "Otsikko", "body": "Rivi 1\nRivi 2"}, "it": {"title": "Titolo"}}


def test_every_refused_text_is_said_at_its_own_field():
    errors: dict = {}
    found = parse_translations({"title_fi": "x" * 11, "body_de": {"a": 1}, "title_it": "bad\x00", "body_it": "ok"},
                               TEXTS, errors)
    assert set(errors) == {"title_fi", "body_de", "title_it"}
    assert errors["title_fi"] == ("error.too_long", {"max": 10}) and errors["body_de"] == ("error.invalid", {})
    assert found == {"it": {"body": "ok"}}


def test_a_reader_gets_its_languages_text_or_the_default_languages():
    stored = {"fi": {"title": "Otsikko", "body": ""}, "de": "not a mapping"}
    assert localized(stored, "fi", "title", "Title") == "Otsikko"
    assert localized(stored, "fi", "body", "Body") == "Body"  # empty: the default language's
    assert localized(stored, "de", "title", "Title") == "Title"
    assert localized(None, "it", "title", "Title") == "Title"
    assert localized(stored, "en", "title", "Title") == "Title"


def test_each_text_says_the_language_a_reader_gets_it_in():
    """A page marks a text not in its own language (WCAG 3.1.2): the default language's where staff
    wrote none in the reader's."""
    stored = {"fi": {"title": "Otsikko", "body": ""}, "de": "not a mapping"}
    assert text_language(stored, "fi", "title") == "fi"
    assert text_language(stored, "fi", "body") == "en"  # empty: the default language's text, and language
    assert text_language(stored, "de", "title") == "en"
    assert text_language(None, "it", "title") == "en" and text_language(stored, None, "title") == "en"

    class Row:
        translations = stored

    assert text_languages_of(Row(), "fi", TEXTS) == {"title": "fi", "body": "en"}
    assert text_languages_of(Row(), "fi", ["title"]) == {"title": "fi"}


def test_the_forms_fields_and_whether_a_form_sent_them():
    values = form_values({"fi": {"title": "Otsikko"}}, TEXTS)
    assert values["title_fi"] == "Otsikko" and values["body_fi"] == "" and values["title_de"] == ""
    assert "title_en" not in values  # the default language is the row's own columns
    assert sent({"title": "x", "body_it": ""}, TEXTS) and not sent({"title": "x", "body": "y"}, TEXTS)


def test_a_message_about_a_text_in_another_language_is_told_apart():
    assert refused_in({"title_fi": "Too long."}, TEXTS) and refused_in({"body_it": "x", "form": "y"}, TEXTS)
    assert not refused_in({"title": "Required.", "form": "x", "title_en": "?"}, TEXTS)
