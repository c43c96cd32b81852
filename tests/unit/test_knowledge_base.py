"""Knowledge base (services/knowledge/articles.py): who reads which article, the list's categories
and search, and staff's writing, checked before anything is written."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import delete
from sqlmodel import select

from portal_app.models import Article, ModuleAccess
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.services.knowledge import articles
from portal_app.services.portal.modules import MODULE_KEYS

from demo_people import ADMIN, PARTNER, STAFF, USER
from migrations import run_alembic

BODY = "## Steps\n\nOpen **Settings** and choose *Printers*."


@pytest.fixture
def kb(demo):
    """The demo without its seeded articles, and a helper that writes one as staff."""
    demo.session.exec(delete(Article))
    demo.session.commit()

    def write(title: str, *, category: str = "Printing", visibility: str = "customers", language: str = "",
              published: bool = True, body: str = BODY) -> int:
        return articles.save_article(session=demo.session, actor=demo.actor(STAFF), data={
            "title": title, "category": category, "body": body, "visibility": visibility, "language": language,
            "published": published}).id

    demo.write = write
    return demo


def titles(demo, who: str | None, lang: str = "en", **query) -> list[str]:
    actor = demo.actor(who) if who else None
    page = articles.list_articles(session=demo.session, actor=actor, lang=lang, **query)
    return [row.title for row in page.rows]


def test_who_reads_which_article(kb):
    kb.write("Public guide", visibility="public")
    kb.write("Customers only")
    kb.write("A draft", published=False, visibility="public")
    kb.write("Suomeksi", language="fi", visibility="public")
    kb.write("In English", language="en")
    no_module = kb.make_profile("No knowledge base", modules={m: ModuleAccess.EDIT for m in MODULE_KEYS}
                                | {"knowledge_base": ModuleAccess.NONE})
    kb.use_profile(ADMIN, no_module)

    assert titles(kb, USER) == ["Customers only", "In English", "Public guide"]
    assert titles(kb, None) == ["Public guide"]  # a visitor
    assert titles(kb, PARTNER) == ["Public guide"]  # a collaborator
    assert titles(kb, ADMIN) == ["Public guide"]  # a contact whose profile lacks the module
    assert titles(kb, USER, lang="fi") == ["Customers only", "Public guide", "Suomeksi"]
    staff = articles.staff_articles(session=kb.session, actor=kb.actor(STAFF))
    assert sorted(r.title for r in staff.rows) == ["A draft", "Customers only", "In English", "Public guide", "Suomeksi"]
    drafts = articles.staff_articles(session=kb.session, actor=kb.actor(STAFF), status="draft")
    assert [r.title for r in drafts.rows] == ["A draft"] and drafts.total == 1
    assert articles.staff_articles(session=kb.session, actor=kb.actor(STAFF), status="published").total == 4
    with pytest.raises(ValidationFailed):
        articles.staff_articles(session=kb.session, actor=kb.actor(STAFF), status="hidden")


def test_an_article_out_of_reach_is_not_found_like_one_that_does_not_exist(kb):
    secret = kb.write("Customers only")
    draft = kb.write("A draft", published=False, visibility="public")
    finnish = kb.write("Suomeksi", language="fi", visibility="public")
    assert articles.get_article(session=kb.session, actor=kb.actor(USER), lang="en", article_id=secret).body == BODY
    for who, article_id, lang in ((None, secret, "en"), (PARTNER, secret, "en"), (USER, draft, "en"),
                                  (USER, finnish, "en"), (None, 999999, "en")):
        with pytest.raises(NotFound):
            articles.get_article(session=kb.session, actor=kb.actor(who) if who else None, lang=lang,
                                 article_id=article_id)
    with pytest.raises(ValidationFailed):
        articles.get_article(session=kb.session, actor=None, lang="en", article_id="1 OR 1=1")


def test_staff_read_every_published_article_as_a_reader(kb):
    """The editor's "Open as a reader" works for an article for customers only or in another language;
    a draft stays unpublished to everyone."""
    secret = kb.write("Customers only")
    finnish = kb.write("Suomeksi", language="fi", visibility="public")
    draft = kb.write("A draft", published=False, visibility="public")
    for article_id, title in ((secret, "Customers only"), (finnish, "Suomeksi")):
        read = articles.get_article(session=kb.session, actor=kb.actor(STAFF), lang="en", article_id=article_id)
        assert read.title == title
    with pytest.raises(NotFound):
        articles.get_article(session=kb.session, actor=kb.actor(STAFF), lang="en", article_id=draft)
    assert titles(kb, STAFF) == []  # the list at /kb is unchanged: public articles in staff's language (none here)


def test_a_script_link_reaches_readers_as_its_words(kb):
    """The browser's Markdown drops a `javascript:` address but kept an empty link (a click reloaded the
    article): readers get the words; links to the web, mail and the portal stay; staff's form keeps the text."""
    body = ("[böse](javascript:alert(1)) [Ohje](https://example.com/a_(b) \"t\") [mail](mailto:help@example.com) "
            "[new](/tickets/new) [top](#top) [x]( JavaScript:void(0) ) ![pic](data:image/png;base64,AAAA)")
    article = kb.write("Links", visibility="public", body=body)
    read = articles.get_article(session=kb.session, actor=None, lang="en", article_id=article).body
    assert read == ("böse [Ohje](https://example.com/a_(b) \"t\") [mail](mailto:help@example.com) "
                    "[new](/tickets/new) [top](#top) x pic")
    assert articles.staff_article(session=kb.session, actor=kb.actor(STAFF), article_id=article).body == body


def test_the_module_switched_off_hides_every_article(kb):
    public = kb.write("Public guide", visibility="public")
    settings_row = kb.settings()
    settings_row.enabled_modules = [m for m in MODULE_KEYS if m != "knowledge_base"]
    kb.session.add(settings_row)
    kb.session.commit()
    assert titles(kb, None) == [] and titles(kb, USER) == []
    with pytest.raises(NotFound):
        articles.get_article(session=kb.session, actor=None, lang="en", article_id=public)
    assert [r.title for r in articles.staff_articles(session=kb.session, actor=kb.actor(STAFF)).rows] == ["Public guide"]


def test_search_finds_words_in_titles_and_texts_and_counts_the_categories(kb):
    kb.write("Printer jams", category="Printing", body="Open the tray.")
    kb.write("Toner", category="Printing", body="Replace the PRINTER cartridge.")
    kb.write("Passwords", category="Accounts", body="Use a long password.")
    kb.write("100% uptime", category="Accounts", body="We aim high.")
    everything = articles.list_articles(session=kb.session, actor=kb.actor(USER), lang="en")
    assert everything.total == 4 and everything.categories == [("Accounts", 2), ("Printing", 2)]
    # by category, then title
    assert [r.title for r in everything.rows] == ["100% uptime", "Passwords", "Printer jams", "Toner"]
    found = articles.list_articles(session=kb.session, actor=kb.actor(USER), lang="en", search="printer")
    assert [r.title for r in found.rows] == ["Printer jams", "Toner"] and found.categories == [("Printing", 2)]
    assert titles(kb, USER, search="%") == ["100% uptime"]  # LIKE's wildcard taken literally
    assert titles(kb, USER, search="  PASSWORD ") == ["Passwords"]
    assert titles(kb, USER, category="Accounts") == ["100% uptime", "Passwords"]
    narrowed = articles.list_articles(session=kb.session, actor=kb.actor(USER), lang="en", category="Accounts")
    assert narrowed.categories == [("Accounts", 2), ("Printing", 2)]  # the menu keeps every category
    assert titles(kb, USER, search="nothing like this") == []
    kb.write("apple pie", category="printing")  # capitals or not: in its place by letters
    assert titles(kb, USER, category="Printing") == ["Printer jams", "Toner"]
    assert [r.title for r in articles.list_articles(session=kb.session, actor=kb.actor(USER), lang="en").rows] == [
        "100% uptime", "Passwords", "apple pie", "Printer jams", "Toner"]
    with pytest.raises(ValidationFailed):
        articles.list_articles(session=kb.session, actor=kb.actor(USER), lang="en", search=["x"])
    with pytest.raises(ValidationFailed):
        articles.list_articles(session=kb.session, actor=None, lang="en", offset="0")


def test_the_excerpt_is_the_text_on_one_line_without_markdown_marks(kb):
    kb.write("Long", body="# Heading\n\n" + "word " * 100)
    row = articles.list_articles(session=kb.session, actor=kb.actor(USER), lang="en").rows[0]
    assert row.excerpt.startswith("Heading · word word") and row.excerpt.endswith(" …")
    assert len(row.excerpt) <= articles.EXCERPT_CHARS + 2 and "#" not in row.excerpt


def test_the_excerpt_leaves_out_emphasis_without_a_space_where_it_was(kb):
    kb.write("Marks", body="> **Note:** use `lpr`, *not* _print_ in C# for snake_case names.\n\n* one\n- two\n1. three")
    row = articles.list_articles(session=kb.session, actor=kb.actor(USER), lang="en").rows[0]
    assert row.excerpt == "Note: use lpr, not print in C# for snake_case names. one · two · 1. three"


def test_the_excerpt_keeps_headings_and_list_items_apart_and_a_paragraphs_lines_together(kb):
    kb.write("Blocks", body="## What to write\n\n- A short title that names the problem\n- The steps, one a line\n"
                            "- What you expected:\n  what happened\n\nA paragraph written\nover two lines.\n\nEnd")
    row = articles.list_articles(session=kb.session, actor=kb.actor(USER), lang="en").rows[0]
    assert row.excerpt == ("What to write · A short title that names the problem · The steps, one a line · "
                           "What you expected: what happened · A paragraph written over two lines. End")


def test_the_excerpt_shows_a_links_text_not_its_address(kb):
    kb.write("Links", body="See [the guide](https://example.com/guide) and [bad](javascript:alert(1)), "
                           "![a picture](pic.png), <https://example.com/raw> and [wiki](https://w.org/Foo_(bar)).")
    row = articles.list_articles(session=kb.session, actor=kb.actor(USER), lang="en").rows[0]
    assert row.excerpt == "See the guide and bad, a picture, https://example.com/raw and wiki."


def test_every_problem_of_an_article_is_said_at_once_and_nothing_is_written(kb):
    with pytest.raises(ValidationFailed) as refused:
        articles.save_article(session=kb.session, actor=kb.actor(STAFF), data={
            "title": " ", "category": "", "body": "", "visibility": "everyone", "language": "xx", "published": "maybe"})
    required, invalid = ("error.required", {}), ("error.invalid", {})
    assert refused.value.fields == {"title": required, "category": required, "body": required,
                                    "visibility": invalid, "language": invalid, "published": invalid}
    with pytest.raises(ValidationFailed) as refused:
        articles.save_article(session=kb.session, actor=kb.actor(STAFF), data={
            "title": "x" * 201, "category": "Bad\x07", "body": "y" * 20001})
    assert refused.value.fields == {"title": ("error.too_long", {"max": 200}), "category": ("error.control_chars", {}),
                                    "body": ("error.too_long", {"max": 20000})}
    with pytest.raises(ValidationFailed):
        articles.save_article(session=kb.session, actor=kb.actor(STAFF), data=["title"])  # type: ignore[arg-type]
    for garbage in ({}, ["a"], 1, True):  # a hostile client's values, in each choice
        with pytest.raises(ValidationFailed) as refused:
            articles.save_article(session=kb.session, actor=kb.actor(STAFF), data={
                "title": "T", "category": "C", "body": "B", "visibility": garbage, "language": garbage})
        assert set(refused.value.fields) == {"visibility", "language"}
    assert kb.session.exec(select(Article)).all() == []


def test_only_staff_writes_edits_and_deletes(kb):
    article_id = kb.write("Printer jams")
    data = {"title": "Hacked", "category": "X", "body": "Y"}
    for who in (USER, ADMIN, PARTNER):
        with pytest.raises(PermissionDenied):
            articles.save_article(session=kb.session, actor=kb.actor(who), data=data)
        with pytest.raises(PermissionDenied):
            articles.save_article(session=kb.session, actor=kb.actor(who), article_id=article_id, data=data)
        with pytest.raises(PermissionDenied):
            articles.delete_article(session=kb.session, actor=kb.actor(who), article_id=article_id)
        with pytest.raises(PermissionDenied):
            articles.staff_articles(session=kb.session, actor=kb.actor(who))
    assert titles(kb, USER) == ["Printer jams"]


def test_staff_edits_and_deletes_an_article(kb):
    article_id = kb.write("Printer jams")
    before = articles.staff_article(session=kb.session, actor=kb.actor(STAFF), article_id=article_id)
    changed = articles.save_article(session=kb.session, actor=kb.actor(STAFF), article_id=article_id, data={
        "title": " Paper jams ", "category": "Printing", "body": "Pull the tray out.\n\nThen push.",
        "visibility": "public", "language": "en", "published": "on"})
    assert (changed.title, changed.body, changed.visibility, changed.language, changed.published) == (
        "Paper jams", "Pull the tray out.\n\nThen push.", "public", "en", True)
    assert changed.updated_at >= before.updated_at
    assert titles(kb, None) == ["Paper jams"]
    articles.delete_article(session=kb.session, actor=kb.actor(STAFF), article_id=article_id)
    assert titles(kb, None) == []
    for call in (articles.delete_article, articles.staff_article):
        with pytest.raises(NotFound):
            call(session=kb.session, actor=kb.actor(STAFF), article_id=article_id)
    with pytest.raises(NotFound):
        articles.save_article(session=kb.session, actor=kb.actor(STAFF), article_id=article_id,
                              data={"title": "a", "category": "b", "body": "c"})


def test_a_new_article_form_sent_twice_creates_one_article(kb):
    data = {"title": "Printer jams", "category": "Printing", "body": BODY, "published": True}
    first = articles.save_article(session=kb.session, actor=kb.actor(STAFF), data=data, submission_id="s" * 22)
    again = articles.save_article(session=kb.session, actor=kb.actor(STAFF), data=data, submission_id="s" * 22)
    assert first.id == again.id and len(kb.session.exec(select(Article)).all()) == 1
    with pytest.raises(ValidationFailed):
        articles.save_article(session=kb.session, actor=kb.actor(STAFF), data=data, submission_id="bad id")


def test_the_migration_makes_the_table_and_takes_it_away(tmp_path):
    run_alembic(tmp_path, "upgrade", "head")
    db = tmp_path / "portal.db"
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(article)")]
        conn.execute("INSERT INTO article (title, body, category, created_at, updated_at) VALUES"
                     " ('T', 'B', 'C', '2026-12-05 07:00:00', '2026-12-05 07:00:00')")
        assert conn.execute("SELECT visibility, language, published FROM article").fetchall() == [("customers", "", 1)]
    assert {"title", "body", "category", "visibility", "language", "published", "author_id",
            "submission_id"} <= set(columns)
    run_alembic(tmp_path, "downgrade", "0021_attempt_error_code")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'article'").fetchall() == []
