"""The knowledge base's states: what a visitor, a customer and a Finnish reader are given (the
customers-only article's text never reaches a visitor's tab), search and category through the
address, the module switched off, and staff's new article, edit, refused input and delete."""

from __future__ import annotations

from sqlmodel import select
from statekit import Portal, redirect_path

from portal_app.db import session_scope
from portal_app.models import Article, PortalProfile
from portal_app.services.portal import profiles
from portal_app.services.portal.config import set_module_enabled
from portal_app.state.admin_knowledge import AdminArticlesState, ArticleEditorState
from portal_app.state.knowledge import ArticleState, KnowledgeState

CUSTOMERS_ONLY = "What the severity levels mean"  # the demo's customers-only article
CUSTOMERS_ONLY_TEXT = "production stopped"


def _id(title: str) -> int:
    with session_scope() as s:
        return s.exec(select(Article.id).where(Article.title == title)).one()


def _list(portal: Portal, who: str | None, url: str = "/kb", lang: str = "en"):
    inst = portal.state(KnowledgeState, who, url=url)
    inst.lang = lang
    portal.call(inst, "load")
    return inst


def test_a_visitor_reads_public_articles_only(portal: Portal):
    inst = _list(portal, None)
    assert [r["title"] for r in inst.rows] == ["How to open a support ticket", "Resetting your password"]
    assert [(c["name"], c["count"]) for c in inst.categories] == [("Support tickets", 1), ("Your account", 1)]
    page = portal.state(ArticleState, None, url=f"/kb/{_id(CUSTOMERS_ONLY)}")
    portal.call(page, "load")
    assert page.loaded and not page.found and page.body == "" and page.title == ""
    assert CUSTOMERS_ONLY_TEXT not in portal.public_text(page)
    # "Sign in" comes back to this article (customers may read it), and to the list's own view
    assert page.sign_in_href == f"/login?next=%2Fkb%2F{_id(CUSTOMERS_ONLY)}"
    searched = portal.state(KnowledgeState, None, url="/kb?q=invoice&category=Billing")
    portal.call(searched, "load")
    assert searched.sign_in_href == "/login?next=%2Fkb%3Fq%3Dinvoice%26category%3DBilling"


def test_a_customer_reads_customers_articles_too(portal: Portal):
    inst = _list(portal, "acme_user")
    assert CUSTOMERS_ONLY in [r["title"] for r in inst.rows] and "Paying an invoice online" in [r["title"] for r in inst.rows]
    assert "Planned maintenance window" not in [r["title"] for r in inst.rows]  # a draft
    page = portal.state(ArticleState, "acme_user", url=f"/kb/{_id(CUSTOMERS_ONLY)}")
    portal.call(page, "load")
    assert page.found and CUSTOMERS_ONLY_TEXT in page.body and page.category == "Support tickets"
    assert page.category_href == "/kb?category=Support+tickets" and page.updated.startswith("Updated ")


def test_search_category_and_page_come_from_the_address(portal: Portal):
    inst = _list(portal, "acme_user", url="/kb?q=password")
    assert [r["title"] for r in inst.rows] == ["Resetting your password"] and inst.search == "password"
    inst = _list(portal, "acme_user", url="/kb?category=Support+tickets")
    assert [r["title"] for r in inst.rows] == ["How to open a support ticket", CUSTOMERS_ONLY]
    assert [c["current"] for c in inst.categories if c["name"] == "Support tickets"] == [True]
    assert redirect_path(portal.call(inst, "find", {"q": "  severity "})) == "/kb?q=severity&category=Support+tickets"
    inst = _list(portal, "acme_user", url="/kb?q=no+such+words+anywhere")
    assert inst.rows == [] and inst.loaded and inst.error == ""
    inst = _list(portal, None, url="/kb?q=" + "x" * 300)  # longer than the search takes: said, not raised
    assert inst.rows == [] and inst.error


def test_a_finnish_reader_gets_the_finnish_article(portal: Portal):
    finnish = [r["title"] for r in _list(portal, None, lang="fi").rows]
    english = [r["title"] for r in _list(portal, None, lang="en").rows]
    assert "Näin teet tukipyynnön" in finnish and "Näin teet tukipyynnön" not in english


def test_staff_open_another_languages_article_as_a_reader_marked_with_its_language(portal: Portal):
    page = portal.state(ArticleState, "staff", url=f"/kb/{_id('Näin teet tukipyynnön')}")
    portal.call(page, "load")
    assert page.found and page.text_lang == "fi"  # on staff's English page: lang="fi" on the article
    every_language = portal.state(ArticleState, "staff", url=f"/kb/{_id(CUSTOMERS_ONLY)}")
    portal.call(every_language, "load")
    assert every_language.found and every_language.text_lang == "en"  # written for all: the page's own


def test_the_module_switched_off_leaves_nothing_to_read(portal: Portal):
    with session_scope() as s:
        set_module_enabled(session=s, actor=portal.actor("staff"), module="knowledge_base", enabled=False)
    assert _list(portal, None).rows == [] and _list(portal, "acme_user").rows == []
    shell = _list(portal, "acme_user")
    assert "/kb" not in [item["href"] for item in shell.nav_items]
    # said in the page's place, to a visitor and a customer alike, not "no articles yet"
    assert _list(portal, None).unavailable and shell.unavailable
    article = portal.state(ArticleState, None, url=f"/kb/{_id('Resetting your password')}")
    portal.call(article, "load_public")
    portal.call(article, "load")
    assert article.unavailable and not article.found


def test_staff_writes_edits_and_deletes_an_article(portal: Portal):
    editor = portal.state(ArticleEditorState, "staff", url="/admin/kb/new")
    portal.call(editor, "load")
    assert editor.found and editor.article_id == 0 and editor.submission_id
    form = {"title": "Toner levels", "category": "Printing", "body": "Check the **toner**.", "visibility": "public",
            "language": "", "published": "on", "submission_id": editor.submission_id}
    path = redirect_path(portal.call(editor, "save", form))
    article_id = _id("Toner levels")
    assert path == f"/admin/kb/{article_id}"
    assert redirect_path(portal.call(editor, "save", form)) == path  # sent twice: one article
    with session_scope() as s:
        assert len(s.exec(select(Article).where(Article.title == "Toner levels")).all()) == 1

    editor = portal.state(ArticleEditorState, "staff", url=path)
    portal.call(editor, "load")
    assert editor.values["title"] == "Toner levels" and editor.published
    portal.call(editor, "save", {**form, "title": "", "visibility": "everyone"})  # refused: said next to the fields
    assert set(editor.errors) == {"title", "visibility"} and editor.notice == ""
    assert _id("Toner levels") == article_id  # nothing written
    portal.call(editor, "save", {k: v for k, v in form.items() if k != "published"})  # unticked: a draft
    assert editor.notice == "Article saved." and not editor.published and editor.errors == {}
    assert "Toner levels" not in [r["title"] for r in _list(portal, None).rows]

    listing = portal.state(AdminArticlesState, "staff", url="/admin/kb?q=toner")
    portal.call(listing, "load")
    assert [(r["title"], r["published"]) for r in listing.rows] == [("Toner levels", False)]
    portal.call(listing, "set_status", "published")  # the search stays, the draft goes
    assert listing.view_url == "/admin/kb?status=published&q=toner" and listing.rows == []

    assert redirect_path(portal.call(editor, "delete")) == "/admin/kb"
    with session_scope() as s:
        assert s.get(Article, article_id) is None


def test_a_long_list_comes_in_pages_with_links_between_them(portal: Portal):
    with session_scope() as s:
        s.add_all(Article(title=f"Guide {n:02}", category="Guides", body="Text.", visibility="public")
                  for n in range(30))
        s.commit()
    first = _list(portal, None, url="/kb?category=Guides")
    assert len(first.rows) == 25 and first.rows[0]["title"] == "Guide 00" and first.total == 30
    assert first.page_text == "Page 1 of 2, 30 articles" and first.previous_href == ""
    assert first.next_href == "/kb?category=Guides&page=2"
    second = _list(portal, None, url=first.next_href)
    assert [r["title"] for r in second.rows] == [f"Guide {n}" for n in range(25, 30)]
    assert second.previous_href == "/kb?category=Guides" and second.next_href == ""
    past_the_end = _list(portal, None, url="/kb?category=Guides&page=9")  # an old link: the last page
    assert [r["title"] for r in past_the_end.rows] == [r["title"] for r in second.rows]
    assert past_the_end.page_text == "Page 2 of 2, 30 articles" and past_the_end.next_href == ""
    staff = portal.state(AdminArticlesState, "staff", url="/admin/kb?q=guide&page=2")  # staff's list too
    portal.call(staff, "load")
    assert [r["title"] for r in staff.rows] == [f"Guide {n}" for n in range(25, 30)]
    assert staff.page_text == "Page 2 of 2, 30 articles"


def test_an_open_article_stays_when_the_readers_rights_change(portal: Portal):
    """Public articles are anyone's: the shell's rights timer does not replace the page with "not
    available" when the reader's profile loses the module, as it does for the other modules' pages;
    when staff switches the module off, it does (and the page loads again when it is back)."""
    address = f"/kb/{_id('Resetting your password')}"
    page = portal.state(ArticleState, "acme_user", url=address)
    portal.call(page, "load_public")
    portal.call(page, "load")
    staff = portal.actor("staff")
    with session_scope() as s:
        profile = s.get(PortalProfile, portal.profile_id("Basic"))  # the reader's
        profiles.save_profile(session=s, actor=staff, profile_id=profile.id, data={
            "name": profile.name, "module_access": {**profile.module_access, "knowledge_base": "none"},
            "field_access": profile.field_access})
    portal.call(page, "follow_rights")
    assert not page.unavailable and "/kb" not in [item["href"] for item in page.nav_items]
    with session_scope() as s:
        set_module_enabled(session=s, actor=staff, module="knowledge_base", enabled=False)
    portal.call(page, "follow_rights")
    assert page.unavailable
    with session_scope() as s:
        set_module_enabled(session=s, actor=staff, module="knowledge_base", enabled=True)
    assert redirect_path(portal.call(page, "follow_rights")) == address
