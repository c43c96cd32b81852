"""The documents' states: a contact's list of its company's files (category, search and sort in the
address), staff's list narrowed to a company, and staff's sharing: a dropped file kept until the
form is saved, every problem next to its field, a form sent twice sharing once, the file replaced,
and the document deleted; a contact's open list follows a share and a delete without a reload (a
download moves nothing)."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import select
from statekit import Portal, redirect_path

from portal_app.db import session_scope
from portal_app.models import Company, OutboxMail, SharedDocument
from portal_app.services import live
from portal_app.services.documents import shared_files
from portal_app.services.documents.upload import DocumentUpload, PendingFile
from portal_app.state.admin_shared_documents import AdminSharedDocumentListState, AdminSharedDocumentState
from portal_app.state.shared_documents import SharedDocumentListState

ACME_TITLES = ["Offer: ten office printers", "Onboarding checklist", "Service agreement 2027"]


def _drop(editor: AdminSharedDocumentState, name: str = "Offer 2026-200.pdf", data: bytes = b"%PDF-1.4 offer") -> PendingFile:
    """What `receive_file` leaves after a drop: the file on disk, its fields on the state's back end."""
    upload = DocumentUpload(name)
    upload.write(data)
    kept = upload.keep()
    editor._pending = asdict(kept)
    editor.pending_file = kept.file_name
    return kept


def _document(title: str) -> SharedDocument | None:
    with session_scope() as s:
        return s.exec(select(SharedDocument).where(SharedDocument.title == title)).first()


def test_a_contact_lists_its_companys_documents_newest_first(portal: Portal):
    inst = portal.state(SharedDocumentListState, "acme_user", url="/documents")
    portal.call(inst, "load")
    assert sorted(r["title"] for r in inst.rows) == ACME_TITLES
    assert all(r["href"] == f"/api/documents/{r['id']}" for r in inst.rows)
    assert "Rahmenvertrag 2027" not in portal.public_text(inst)  # Globex's
    portal.call(inst, "set_status", "contract")
    assert [r["title"] for r in inst.rows] == ["Service agreement 2027"] and inst.view_url == "/documents?status=contract"
    assert inst.rows[0]["category_label"] == "Contract" and inst.rows[0]["size"].endswith("KB")
    sorted_by_title = portal.state(SharedDocumentListState, "acme_user", url="/documents?sort=title&q=o")
    portal.call(sorted_by_title, "load")
    assert [r["title"] for r in sorted_by_title.rows] == ACME_TITLES
    globex = portal.state(SharedDocumentListState, "globex_admin", url="/documents")
    portal.call(globex, "load")
    assert [r["title"] for r in globex.rows] == ["Rahmenvertrag 2027"]


def test_staff_lists_every_companys_documents_and_narrows_to_one(portal: Portal):
    listing = portal.state(AdminSharedDocumentListState, "staff", url="/admin/documents")
    portal.call(listing, "load")
    assert len(listing.rows) == 4 and {r["company"] for r in listing.rows} == {"Acme Oy", "Globex GmbH"}
    assert all(r["downloads"] == "Not downloaded yet" for r in listing.rows)
    globex = portal.company_id("Globex GmbH")
    portal.call(listing, "set_company", str(globex))
    assert [r["title"] for r in listing.rows] == ["Rahmenvertrag 2027"] and listing.company_label == "Globex GmbH"
    assert listing.view_url == f"/admin/documents?company={globex}"


def test_staff_shares_a_file_once_and_the_contacts_get_mail(portal: Portal):
    editor = portal.state(AdminSharedDocumentState, "staff", url="/admin/documents/new")
    portal.call(editor, "load")
    assert editor.found and editor.is_new and editor.submission_id
    form = {"title": "", "category": "quote", "description": "", "notify": "on", "submission_id": editor.submission_id}
    portal.call(editor, "save", form)  # nothing chosen: said next to each field, nothing written
    assert editor.errors["title"] == "This field is required." and editor.errors["company"] == "Choose the company."
    assert editor.errors["file"] == "Choose the file to share."
    kept = _drop(editor)
    portal.call(editor, "set_company", str(portal.company_id("Acme Oy")))
    assert "company" not in editor.errors and editor.company_label == "Acme Oy"
    form["title"] = "Offer: two scanners"
    path = redirect_path(portal.call(editor, "save", form))
    made = _document("Offer: two scanners")
    assert made is not None and path == f"/admin/documents/{made.id}" and made.stored_name == kept.stored_name
    assert redirect_path(portal.call(editor, "save", form)) == path  # sent twice: shared once
    with session_scope() as s:
        assert len(s.exec(select(SharedDocument).where(SharedDocument.title == "Offer: two scanners")).all()) == 1
        mailed = s.exec(select(OutboxMail.to).where(OutboxMail.subject == "New document: Offer: two scanners")).all()
    assert sorted(mailed) == ["admin@acme.example.com", "liisa.makinen@acme.example.com", "user@acme.example.com"]


def test_staff_replaces_the_file_and_deletes_the_document(portal: Portal):
    made = _document("Onboarding checklist")
    editor = portal.state(AdminSharedDocumentState, "staff", url=f"/admin/documents/{made.id}")
    portal.call(editor, "load")
    assert editor.document["title"] == "Onboarding checklist" and editor.current_file.startswith("Onboarding checklist.pdf")
    assert editor.company_label == "Acme Oy" and editor.download_href == f"/api/documents/{made.id}"
    old = PendingFile(stored_name=made.stored_name, file_name="", size=0, content_type="", sha256="").path
    kept = _drop(editor, "Checklist v2.pdf")
    portal.call(editor, "save", {"title": "", "category": "other", "description": ""})
    assert set(editor.errors) == {"title", "form"} and old.exists() and editor.pending_file  # kept for the next try
    portal.call(editor, "save", {"title": "Onboarding checklist v2", "category": "other", "description": ""})
    assert editor.notice == "Document saved." and editor.current_file.startswith("Checklist v2.pdf")
    assert not old.exists() and kept.path.exists() and editor.pending_file == ""
    assert redirect_path(portal.call(editor, "delete")) == "/admin/documents"
    assert _document("Onboarding checklist v2") is None and not kept.path.exists()


def test_a_dropped_file_goes_when_it_is_removed_or_the_page_is_opened_again(portal: Portal):
    editor = portal.state(AdminSharedDocumentState, "staff", url="/admin/documents/new")
    portal.call(editor, "load")
    first = _drop(editor)
    portal.call(editor, "remove_file")
    assert not first.path.exists() and editor.pending_file == "" and editor._pending == {}
    second = _drop(editor)
    portal.call(editor, "load")
    assert not second.path.exists() and editor._pending == {}
    with session_scope() as s:
        assert s.exec(select(Company.id)).first() is not None  # (the demo is there: nothing else changed)


def test_a_contacts_open_list_follows_a_share_and_a_delete(portal: Portal):
    page = portal.state(SharedDocumentListState, "acme_user", url="/documents")
    portal.call(page, "load")
    portal.call(page, "tick")  # nothing changed: the same rows
    assert sorted(r["title"] for r in page.rows) == ACME_TITLES
    upload = DocumentUpload("Price list 2027.pdf")
    upload.write(b"%PDF-1.4 prices")
    with session_scope() as s:
        shared = shared_files.share_document(session=s, actor=portal.actor("staff"),
                                             company_id=portal.company_id("Acme Oy"), file=upload.keep(),
                                             data={"title": "Price list 2027", "category": "other"})
    portal.call(page, "tick")
    assert page.rows[0]["title"] == "Price list 2027" and page.total == 4  # newest first, no reload
    before = live.versions(live.ALL_DOCUMENTS)
    with session_scope() as s:  # a contact's download is counted, and the lists are not read again for it
        shared_files.open_document(session=s, actor=portal.actor("acme_user"), document_id=shared.document.id)
        assert s.get(SharedDocument, shared.document.id).download_count == 1
    assert live.versions(live.ALL_DOCUMENTS) == before
    with session_scope() as s:
        shared_files.delete_document(session=s, actor=portal.actor("staff"), document_id=shared.document.id)
    portal.call(page, "tick")
    assert sorted(r["title"] for r in page.rows) == ACME_TITLES and page.total == 3


def test_a_contact_reads_the_titles_in_its_language_and_staff_writes_them(portal: Portal):
    """The demo's agreement has a Finnish title: a Finnish reader lists, searches and sorts by it; staff's
    form shows it under "In other languages" (opened), saves a change, and a refused text opens it."""
    finnish = portal.state(SharedDocumentListState, "acme_user", url="/documents?q=sopimus")
    portal.call(finnish, "choose_language", "fi")
    portal.call(finnish, "load")
    assert [r["title"] for r in finnish.rows] == ["Palvelusopimus 2027"]
    assert finnish.rows[0]["text_lang"]["title"] == "fi"
    english = portal.state(SharedDocumentListState, "acme_admin", url="/documents?q=sopimus")
    portal.call(english, "load")
    assert english.rows == []

    made = _document("Service agreement 2027")
    editor = portal.state(AdminSharedDocumentState, "staff", url=f"/admin/documents/{made.id}")
    portal.call(editor, "load")
    assert editor.document["title_fi"] == "Palvelusopimus 2027" and editor.texts_open
    form = {**editor.document, "title_fi": "Huoltosopimus 2027"}
    portal.call(editor, "save", form)
    assert editor.notice == "Document saved." and editor.document["title_fi"] == "Huoltosopimus 2027"
    portal.call(finnish, "tick")  # the open list follows staff's change
    assert [r["title"] for r in finnish.rows] == ["Huoltosopimus 2027"]

    checklist = _document("Onboarding checklist")
    other = portal.state(AdminSharedDocumentState, "staff", url=f"/admin/documents/{checklist.id}")
    portal.call(other, "load")
    assert not other.texts_open and other.document["title_de"] == ""
    portal.call(other, "save", {**other.document, "title_de": "x" * (shared_files.TITLE_MAX + 1)})
    assert "title_de" in other.errors and other.texts_open
    with session_scope() as s:
        assert s.get(SharedDocument, checklist.id).translations == {}
