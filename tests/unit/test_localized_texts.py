"""Staff-written texts per UI language (issue 9, item 15): the welcome message, the home page text
and the link titles have a version per language, checked as the default language's texts are; a
language without a text of its own reads the default language's."""

from __future__ import annotations

import pytest

from portal_app.i18n import DEFAULT_LANGUAGE, available_languages
from portal_app.services.portal import config
from portal_app.services.errors import PermissionDenied, ValidationFailed
from portal_app.services.portal.config import localized_texts, text_languages

STAFF = "staff@example.com"
LINKS = [{"title": "Service status", "url": "https://status.example.com"},
         {"title": "Docs", "url": "https://docs.example.com"}]


def update(demo, data, who=STAFF):
    return config.update_portal_settings(session=demo.session, actor=demo.actor(who), data=data)


def refused(demo, data) -> dict:
    before = demo.settings().model_dump()
    with pytest.raises(ValidationFailed) as caught:
        update(demo, data)
    demo.session.expire_all()
    assert demo.settings().model_dump() == before  # nothing saved
    return {name: key for name, (key, _) in caught.value.fields.items()}


def test_the_languages_are_the_catalogues_but_the_default():
    assert text_languages() == [code for code in available_languages() if code != DEFAULT_LANGUAGE]
    assert "fi" in text_languages() and DEFAULT_LANGUAGE not in text_languages()


def test_a_finnish_welcome_is_read_in_finnish_and_english_keeps_its_own(demo):
    row = update(demo, {"welcome_message": "Welcome", "home_content": "News\n\nMore news",
                        "translations": {"fi": {"welcome_message": " Tervetuloa\nportaaliin ",
                                                "home_content": "Uutisia"}}})
    assert row.translations == {"fi": {"welcome_message": "Tervetuloa\nportaaliin", "home_content": "Uutisia"}}
    fi = localized_texts(row, "fi")
    assert (fi["welcome_message"], fi["home_content"]) == ("Tervetuloa\nportaaliin", "Uutisia")
    en = localized_texts(row, "en")
    assert (en["welcome_message"], en["home_content"]) == ("Welcome", "News\n\nMore news")
    assert localized_texts(row.model_dump(), "fi") == fi  # the same from a model_dump()


def test_an_empty_or_missing_text_falls_back_to_the_default_language(demo):
    row = update(demo, {"welcome_message": "Welcome", "home_content": "News", "external_links": LINKS,
                        "translations": {"fi": {"welcome_message": "", "home_content": "Uutisia",
                                                "link_titles": ["", "Ohjeet"]}}})
    assert row.translations == {"fi": {"home_content": "Uutisia", "link_titles": ["", "Ohjeet"]}}
    fi = localized_texts(row, "fi")
    assert fi["welcome_message"] == "Welcome" and fi["home_content"] == "Uutisia"
    # each text says its language: a Finnish page marks the English ones (lang="en") for screen readers
    assert fi["text_langs"] == {"welcome_message": "en", "home_content": "fi"}
    assert fi["external_links"] == [{**LINKS[0], "lang": "en"},
                                    {"title": "Ohjeet", "url": "https://docs.example.com", "lang": "fi"}]
    for unknown in ("sv", "", None, DEFAULT_LANGUAGE):  # no such language, or the default: the columns
        texts = localized_texts(row, unknown)
        assert texts["welcome_message"] == "Welcome" and texts["external_links"] == [
            {**link, "lang": DEFAULT_LANGUAGE} for link in LINKS]
        assert set(texts["text_langs"].values()) == {DEFAULT_LANGUAGE}
    # emptying every Finnish text leaves no Finnish version at all
    row = update(demo, {"translations": {"fi": {"welcome_message": " ", "home_content": "", "link_titles": ["", ""]}}})
    assert row.translations == {}
    assert localized_texts(row, "fi")["home_content"] == "News"


def test_link_titles_follow_their_links(demo):
    # sent with the links: an empty row left out takes its translated title with it
    row = update(demo, {"external_links": [LINKS[0], {"title": "", "url": ""}, LINKS[1]],
                        "translations": {"fi": {"link_titles": ["Tila", "Hukassa", "Ohjeet"]}}})
    assert row.external_links == LINKS and row.translations == {"fi": {"link_titles": ["Tila", "Ohjeet"]}}
    # links changed without their titles: each translated title stays with its own link
    row = update(demo, {"external_links": [LINKS[1], {"title": "New", "url": "https://new.example.com"}]})
    assert row.translations == {"fi": {"link_titles": ["Ohjeet"]}}
    assert [link["title"] for link in localized_texts(row, "fi")["external_links"]] == ["Ohjeet", "New"]
    # titles alone, for the links stored
    row = update(demo, {"translations": {"fi": {"link_titles": ["Ohjeet", "Uusi"]}}})
    assert [link["title"] for link in localized_texts(row, "fi")["external_links"]] == ["Ohjeet", "Uusi"]


def test_only_the_keys_sent_are_touched(demo):
    update(demo, {"translations": {"fi": {"welcome_message": "Tervetuloa"}}})
    row = update(demo, {"welcome_message": "Hello"})
    assert row.translations == {"fi": {"welcome_message": "Tervetuloa"}} and row.welcome_message == "Hello"


@pytest.mark.parametrize(("translations", "field", "key"), [
    ({"fi": {"welcome_message": "x" * 501}}, "welcome_message_fi", "error.too_long"),
    ({"fi": {"home_content": "x" * 20001}}, "home_content_fi", "error.too_long"),
    ({"fi": {"welcome_message": "Hei\x1b[5m"}}, "welcome_message_fi", "error.control_chars"),
    ({"fi": {"home_content": {"a": "b"}}}, "home_content_fi", "error.invalid"),
    ({"fi": {"link_titles": ["x" * 101]}}, "link_title_0_fi", "error.too_long"),
    ({"fi": {"link_titles": ["Tila", "Evil\x07"]}}, "link_title_1_fi", "error.control_chars"),
    ({"fi": {"link_titles": ["Tila", ["a"]]}}, "link_title_1_fi", "error.invalid"),
    ({"fi": {"link_titles": "Tila"}}, "translations", "error.invalid"),
    ({"fi": {"link_titles": ["a", "b", "c"]}}, "translations", "error.invalid"),  # two links only
    ({"fi": {"portal_name": "Hacked"}}, "translations", "error.invalid"),
    ({"fi": "Tervetuloa"}, "translations", "error.invalid"),
    ({DEFAULT_LANGUAGE: {"welcome_message": "Hi"}}, "translations", "error.invalid"),  # that is the columns
    ({"xx": {"welcome_message": "Hi"}}, "translations", "error.invalid"),
    (["fi"], "translations", "error.invalid"),
    ("fi", "translations", "error.invalid"),
])
def test_bad_translations_are_refused_with_the_field_key(demo, translations, field, key):
    update(demo, {"external_links": LINKS})
    assert refused(demo, {"translations": translations})[field] == key


def test_link_titles_are_single_line_and_texts_keep_their_line_breaks(demo):
    row = update(demo, {"external_links": LINKS, "translations": {"fi": {
        "welcome_message": "Hei,\r\ntervetuloa!", "home_content": "# Uutiset\n\n\tKohta",
        "link_titles": ["Palvelun\r\ntila", "Oh\tjeet"]}}})
    fi = row.translations["fi"]
    assert fi["welcome_message"] == "Hei,\r\ntervetuloa!" and fi["home_content"] == "# Uutiset\n\n\tKohta"
    assert fi["link_titles"] == ["Palvelun tila", "Oh jeet"]


def test_one_bad_text_saves_nothing(demo):
    errors = refused(demo, {"welcome_message": "Hello", "translations": {"fi": {
        "welcome_message": "Tervetuloa", "home_content": "y" * 20001}}})
    assert errors == {"home_content_fi": "error.too_long"}


def test_only_staff_writes_the_texts(demo):
    with pytest.raises(PermissionDenied):
        update(demo, {"translations": {"fi": {"welcome_message": "Hacked"}}}, who="admin@acme.example.com")


# --- migration 0009 ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migration_0009_gives_the_settings_row_no_translations_and_goes_down_and_up(kind, tmp_path, request):
    import json
    import uuid

    from sqlalchemy import inspect, text
    from sqlmodel import create_engine

    from migrations import run_alembic
    from postgres_server import create_database

    url = None
    if kind == "postgresql":
        url = create_database(request.getfixturevalue("postgres_server"), f"portal_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url or f"sqlite:///{tmp_path / 'portal.db'}")
    try:
        run_alembic(tmp_path, "upgrade", "0008_submission_ids", database_url=url)
        with engine.begin() as connection:  # a settings row made before the column
            connection.execute(text(
                "INSERT INTO portalsettings (enabled_modules, portal_name, logo_url, menu_color, welcome_message, "
                "home_content, external_links, lockout_threshold, lockout_minutes, customers_can_close) "
                "VALUES ('[]', 'Old portal', '', '#1f4e79', 'Hello', '', '[]', 5, 15, true)"))
        run_alembic(tmp_path, "upgrade", "0009_localized_texts", database_url=url)
        with engine.connect() as connection:
            value = connection.execute(text("SELECT translations, welcome_message FROM portalsettings")).one()
        assert (json.loads(value[0]) if isinstance(value[0], str) else value[0]) == {} and value[1] == "Hello"
        run_alembic(tmp_path, "upgrade", "head", database_url=url)
        run_alembic(tmp_path, "check", database_url=url)  # the models' schema
        run_alembic(tmp_path, "downgrade", "0008_submission_ids", database_url=url)
        engine.dispose()
        assert "translations" not in {c["name"] for c in inspect(engine).get_columns("portalsettings")}
        run_alembic(tmp_path, "upgrade", "head", database_url=url)
        engine.dispose()
        assert "translations" in {c["name"] for c in inspect(engine).get_columns("portalsettings")}
    finally:
        engine.dispose()
