"""Documents (services/documents): who sees which company's files, staff's sharing (every problem
at once, nothing half-saved, once per form), the mail to the company's contacts, the download and
its count, replacing and deleting files, and the migration."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import time
import uuid

import pytest
from sqlalchemy import delete
from sqlmodel import Session, select

from portal_app.models import ModuleAccess, OutboxMail, SharedDocument
from portal_app.services.documents import shared_files
from portal_app.services.documents import upload
from portal_app.services.documents.upload import DocumentUpload, PendingFile
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.services.portal.modules import MODULE_KEYS
from portal_app.services.submissions import new_submission_id

from demo_people import ADMIN, GLOBEX_ADMIN, HANS, LIISA, PARTNER, STAFF, USER
from migrations import run_alembic

PDF = b"%PDF-1.4\n% a contract\n"


def dropped(name: str = "contract.pdf", data: bytes = PDF) -> PendingFile:
    """A file as staff's drop on the form leaves it: on disk, named by no row yet."""
    upload = DocumentUpload(name)
    upload.write(data)
    return upload.keep()


@pytest.fixture
def docs(demo):
    """The demo without its seeded documents, and a helper that shares one as staff."""
    demo.session.exec(delete(SharedDocument))
    demo.session.commit()

    def share(company: str, title: str, *, category: str = "contract", description: str = "", notify: bool = False,
              name: str = "contract.pdf", data: bytes = PDF) -> shared_files.Shared:
        return shared_files.share_document(
            session=demo.session, actor=demo.actor(STAFF), company_id=demo.company(company).id,
            data={"title": title, "category": category, "description": description, "notify": notify},
            file=dropped(name, data), submission_id=new_submission_id())

    demo.share = share
    return demo


def titles(demo, who: str, **query) -> list[str]:
    page = shared_files.list_documents(session=demo.session, actor=demo.actor(who), **query)
    return [row.title for row in page.rows]


def test_each_company_sees_its_own_documents_and_staff_sees_all(docs):
    docs.share("Acme Oy", "Acme contract")
    docs.share("Globex GmbH", "Globex contract")
    assert titles(docs, USER) == titles(docs, ADMIN) == ["Acme contract"]
    assert titles(docs, HANS) == titles(docs, GLOBEX_ADMIN) == ["Globex contract"]
    assert titles(docs, PARTNER) == []  # a collaborator
    assert titles(docs, STAFF) == ["Globex contract", "Acme contract"]  # newest first
    no_module = docs.make_profile("No documents", modules={m: ModuleAccess.EDIT for m in MODULE_KEYS}
                                  | {"documents": ModuleAccess.NONE})
    docs.use_profile(USER, no_module)
    assert titles(docs, USER) == [] and titles(docs, ADMIN) == ["Acme contract"]


def test_the_module_switched_off_hides_every_document_from_customers_only(docs):
    made = docs.share("Acme Oy", "Acme contract").document
    row = docs.settings()
    row.enabled_modules = [m for m in MODULE_KEYS if m != "documents"]
    docs.session.add(row)
    docs.session.commit()
    assert titles(docs, ADMIN) == [] and titles(docs, STAFF) == ["Acme contract"]
    with pytest.raises(NotFound):
        shared_files.open_document(session=docs.session, actor=docs.actor(ADMIN), document_id=made.id)


def test_a_document_out_of_reach_is_not_found_like_one_that_does_not_exist(docs):
    acme = docs.share("Acme Oy", "Acme contract").document.id
    for who, document_id in ((HANS, acme), (PARTNER, acme), (USER, 999999), (USER, "1 OR 1=1"), (USER, -1),
                             (USER, None), (USER, "1e3")):
        for read in (shared_files.get_document, shared_files.open_document):
            with pytest.raises(NotFound):
                read(session=docs.session, actor=docs.actor(who), document_id=document_id)


def test_a_contacts_download_is_the_file_and_is_counted_but_staffs_is_not(docs):
    made = docs.share("Acme Oy", "Acme contract", name="Sopimus 2027.pdf").document
    got = shared_files.open_document(session=docs.session, actor=docs.actor(USER), document_id=made.id)
    assert got.path.read_bytes() == PDF and got.file_name == "Sopimus 2027.pdf"
    assert got.content_type == "application/pdf"
    shared_files.open_document(session=docs.session, actor=docs.actor(ADMIN), document_id=made.id)
    shared_files.open_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id)
    row = shared_files.get_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id)
    assert row.download_count == 2 and row.last_downloaded_at is not None


def test_every_problem_of_the_form_is_said_at_once_and_nothing_is_written(docs):
    before = docs.committed_state()
    with pytest.raises(ValidationFailed) as refused:
        shared_files.share_document(session=docs.session, actor=docs.actor(STAFF), company_id=None,
                                    data={"title": "  ", "category": "secret", "description": "x" * 2001},
                                    file=None, submission_id=new_submission_id())
    assert set(refused.value.fields) == {"company", "title", "category", "description", "file"}
    with pytest.raises(ValidationFailed) as refused:
        shared_files.share_document(session=docs.session, actor=docs.actor(STAFF), company_id="999999",
                                    data={"title": "Fine", "notify": "maybe"}, file=dropped(),
                                    submission_id=new_submission_id())
    assert set(refused.value.fields) == {"company", "notify"}
    with pytest.raises(ValidationFailed):
        shared_files.share_document(session=docs.session, actor=docs.actor(STAFF), company_id=docs.company("Acme Oy").id,
                                    data=["not", "a", "form"], file=dropped(), submission_id=new_submission_id())
    assert docs.committed_state() == before


def test_a_file_housekeeping_swept_meanwhile_is_asked_for_again(docs):
    pending = dropped()
    pending.path.unlink()
    with pytest.raises(ValidationFailed) as refused:
        shared_files.share_document(session=docs.session, actor=docs.actor(STAFF), company_id=docs.company("Acme Oy").id,
                                    data={"title": "Contract"}, file=pending, submission_id=new_submission_id())
    assert refused.value.fields == {"file": ("documents.file_gone", {})}
    forged = PendingFile(stored_name="../portal.db", file_name="x", size=1, content_type="text/plain", sha256="")
    with pytest.raises(ValidationFailed):
        shared_files.share_document(session=docs.session, actor=docs.actor(STAFF), company_id=docs.company("Acme Oy").id,
                                    data={"title": "Contract"}, file=forged, submission_id=new_submission_id())


def test_only_staff_shares_changes_and_deletes(docs):
    made = docs.share("Acme Oy", "Acme contract").document
    for who in (ADMIN, USER, PARTNER):
        with pytest.raises(PermissionDenied):
            shared_files.share_document(session=docs.session, actor=docs.actor(who), company_id=made.company_id,
                                        data={"title": "Mine"}, file=dropped(), submission_id=new_submission_id())
        with pytest.raises(PermissionDenied):
            shared_files.update_document(session=docs.session, actor=docs.actor(who), document_id=made.id,
                                         data={"title": "Mine"})
        with pytest.raises(PermissionDenied):
            shared_files.delete_document(session=docs.session, actor=docs.actor(who), document_id=made.id)
    assert titles(docs, STAFF) == ["Acme contract"]


def test_the_same_form_sent_twice_shares_once(docs):
    submission, company = new_submission_id(), docs.company("Acme Oy").id
    pending = dropped()
    first, again = (shared_files.share_document(session=docs.session, actor=docs.actor(STAFF), company_id=company,
                                                data={"title": "Contract", "notify": True}, file=pending,
                                                submission_id=submission) for _ in range(2))
    assert first.document.id == again.document.id and again.mail_ids == [] and first.mail_ids
    assert len(docs.session.exec(select(SharedDocument)).all()) == 1


def test_sharing_mails_the_companys_contacts_who_see_documents_in_their_language(docs):
    liisa = docs.account(LIISA)
    liisa.language = "fi"
    docs.session.add(liisa)
    no_module = docs.make_profile("No documents", modules={m: ModuleAccess.EDIT for m in MODULE_KEYS}
                                  | {"documents": ModuleAccess.NONE})
    docs.use_profile(USER, no_module)
    shared = docs.share("Acme Oy", "Service agreement 2027", description="Signed copy.", notify=True)
    mails = docs.session.exec(select(OutboxMail).where(OutboxMail.id.in_(shared.mail_ids))).all()
    assert sorted(m.to for m in mails) == [ADMIN, LIISA]  # not Ville (no module), nobody at Globex
    finnish = next(m for m in mails if m.to == LIISA)
    assert finnish.subject == "Uusi dokumentti: Service agreement 2027"
    english = next(m for m in mails if m.to == ADMIN)
    assert "Acme Oy" in english.body and "Signed copy." in english.body and "/documents" in english.body
    assert "contract.pdf" in english.body
    quiet = docs.share("Acme Oy", "No mail about this")
    assert quiet.mail_ids == []


def test_staff_changes_replaces_and_deletes_a_document(docs):
    made = docs.share("Acme Oy", "Draft contract").document
    old_path = shared_files.open_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id).path
    changed = shared_files.update_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id,
                                           data={"title": "Signed contract", "category": "contract",
                                                 "description": "Both signatures."})
    assert (changed.title, changed.file_name) == ("Signed contract", "contract.pdf") and old_path.exists()
    with pytest.raises(ValidationFailed) as refused:
        shared_files.update_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id,
                                     data={"title": ""}, file=dropped("signed.pdf"))
    assert set(refused.value.fields) == {"title"}
    replaced = shared_files.update_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id,
                                            data={"title": "Signed contract"}, file=dropped("signed.pdf", b"%PDF-2"))
    assert replaced.file_name == "signed.pdf" and replaced.size == 6 and not old_path.exists()
    new_path = shared_files.open_document(session=docs.session, actor=docs.actor(USER), document_id=made.id).path
    assert new_path.read_bytes() == b"%PDF-2"
    shared_files.delete_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id)
    assert not new_path.exists() and titles(docs, STAFF) == []
    with pytest.raises(NotFound):
        shared_files.delete_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id)


FINNISH = {"title_fi": "Palvelusopimus 2027", "description_fi": "Allekirjoitettu kappale."}


def test_a_title_and_description_in_other_languages_are_read_searched_and_sorted_in_them(docs):
    """A reader gets staff's Finnish texts in Finnish and the default ones elsewhere; the Finnish
    reader's search and sort use what it reads; staff's list keeps the stored texts."""
    shared = shared_files.share_document(
        session=docs.session, actor=docs.actor(STAFF), company_id=docs.company("Acme Oy").id,
        data={"title": "Service agreement 2027", "category": "contract", "description": "Signed copy.", **FINNISH},
        file=dropped(), submission_id=new_submission_id())
    docs.share("Acme Oy", "Onboarding checklist", category="other")  # no Finnish texts: the default ones

    def read(lang: str | None, who: str = USER, **query) -> list[tuple[str, str]]:
        page = shared_files.list_documents(session=docs.session, actor=docs.actor(who), lang=lang, **query)
        return [(r.title, r.description) for r in page.rows]

    assert read("fi", sort="title", descending=False) == [("Onboarding checklist", ""),
                                                          ("Palvelusopimus 2027", "Allekirjoitettu kappale.")]
    assert read("en", sort="title", descending=False) == [("Onboarding checklist", ""),
                                                          ("Service agreement 2027", "Signed copy.")]
    assert read("de", sort="title") == [("Service agreement 2027", "Signed copy."), ("Onboarding checklist", "")]
    assert read("fi", search="palvelu") == [("Palvelusopimus 2027", "Allekirjoitettu kappale.")]
    assert read("fi", search="service") == [] and read("en", search="palvelu") == []
    assert read(None, STAFF, search="service") == [("Service agreement 2027", "Signed copy.")]
    row = shared_files.get_document(session=docs.session, actor=docs.actor(USER), document_id=shared.document.id,
                                    lang="fi")
    assert (row.title, row.translations["fi"]) == ("Palvelusopimus 2027", {"title": "Palvelusopimus 2027",
                                                                           "description": "Allekirjoitettu kappale."})


def test_texts_in_other_languages_are_changed_kept_or_refused_like_the_others(docs):
    made = docs.share("Acme Oy", "Draft contract").document

    def update(**data) -> shared_files.DocumentRow:
        return shared_files.update_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id,
                                            data={"title": "Draft contract", "category": "contract", **data})

    assert update(**FINNISH).translations == {"fi": {"title": "Palvelusopimus 2027",
                                                     "description": "Allekirjoitettu kappale."}}
    assert update().translations["fi"]["title"] == "Palvelusopimus 2027"  # a form without them keeps them
    with pytest.raises(ValidationFailed) as refused:
        update(title="", title_de="x" * (shared_files.TITLE_MAX + 1), title_fi="Uusi")
    assert set(refused.value.fields) == {"title", "title_de"}
    docs.session.rollback()
    kept = shared_files.get_document(session=docs.session, actor=docs.actor(STAFF), document_id=made.id)
    assert kept.title == "Draft contract" and kept.translations["fi"]["title"] == "Palvelusopimus 2027"
    assert update(title_fi="", description_fi="").translations == {}  # emptied: the default texts again


def test_the_shared_mail_says_the_title_in_each_readers_language(docs):
    liisa = docs.account(LIISA)
    liisa.language = "fi"
    docs.session.add(liisa)
    docs.session.commit()
    shared = shared_files.share_document(
        session=docs.session, actor=docs.actor(STAFF), company_id=docs.company("Acme Oy").id,
        data={"title": "Service agreement 2027", "description": "Signed copy.", "notify": True, **FINNISH},
        file=dropped(), submission_id=new_submission_id())
    mails = {m.to: m for m in docs.session.exec(select(OutboxMail).where(OutboxMail.id.in_(shared.mail_ids))).all()}
    assert mails[LIISA].subject == "Uusi dokumentti: Palvelusopimus 2027"
    assert "Allekirjoitettu kappale." in mails[LIISA].body and "Signed copy." not in mails[LIISA].body
    assert mails[ADMIN].subject == "New document: Service agreement 2027" and "Signed copy." in mails[ADMIN].body


def test_a_readers_language_is_searched_and_sorted_on_postgresql_too(racing_engine, demo_class):
    """The JSON path of the reader's texts is SQL of each database's own (SQLite, PostgreSQL)."""
    marker = uuid.uuid4().hex[:8]
    with Session(racing_engine) as session:
        demo = demo_class(session)
        for title, finnish in ((f"B {marker}", f"A {marker} sopimus"), (f"A {marker}", "")):
            shared_files.share_document(session=session, actor=demo.actor(STAFF), company_id=demo.company("Acme Oy").id,
                                        data={"title": title, "title_fi": finnish}, file=dropped(),
                                        submission_id=new_submission_id())
        page = shared_files.list_documents(session=session, actor=demo.actor(USER), lang="fi", search=marker,
                                           sort="title", descending=False)
        assert [r.title for r in page.rows] == [f"A {marker}", f"A {marker} sopimus"]
        page = shared_files.list_documents(session=session, actor=demo.actor(USER), lang="fi", search="sopimus")
        assert f"A {marker} sopimus" in [r.title for r in page.rows]


def test_search_category_sort_and_pages(docs):
    docs.share("Acme Oy", "Price list 2027", category="other", name="prices.csv", data=b"code;price\n")
    docs.share("Acme Oy", "Offer for printers", category="quote", description="Ten office printers.")
    docs.share("Acme Oy", "Frame agreement", category="contract", name="frame_100%.pdf")
    assert titles(docs, USER, search="printers") == ["Offer for printers"]
    assert titles(docs, USER, search="office") == ["Offer for printers"]  # in the description
    assert titles(docs, USER, search="prices.csv") == ["Price list 2027"]  # the file's name
    assert titles(docs, USER, search="100%") == ["Frame agreement"]  # a wildcard taken literally
    assert titles(docs, USER, category="quote") == ["Offer for printers"]
    assert titles(docs, USER, sort="title", descending=False) == ["Frame agreement", "Offer for printers",
                                                                  "Price list 2027"]
    page = shared_files.list_documents(session=docs.session, actor=docs.actor(USER), offset=1, limit=1)
    assert page.total == 3 and [r.title for r in page.rows] == ["Offer for printers"]
    assert titles(docs, STAFF, company_id=docs.company("Globex GmbH").id) == []
    for bad in ({"category": "secret"}, {"sort": "stored_name"}, {"descending": "yes"}):
        with pytest.raises(ValidationFailed):
            shared_files.list_documents(session=docs.session, actor=docs.actor(USER), **bad)


def test_a_dropped_file_past_the_limit_or_empty_is_refused_and_not_kept(docs):
    too_big = DocumentUpload("big.pdf", limit=10)
    too_big.write(b"x" * 11)
    with pytest.raises(ValidationFailed) as refused:
        too_big.keep()
    assert refused.value.fields["file"][0] == "error.file_too_large"
    assert not too_big.path.exists() and not too_big.temp_path.exists()
    empty = DocumentUpload("empty.pdf")
    with pytest.raises(ValidationFailed) as refused:
        empty.keep()
    assert refused.value.fields["file"][0] == "error.file_empty"


def test_housekeeping_sweeps_a_dropped_file_no_document_names_and_keeps_shared_ones(docs, monkeypatch, tmp_path):
    # a documents folder of this test alone (the shared one holds other tests' files, whose rows are elsewhere)
    monkeypatch.setattr(upload, "settings", dataclasses.replace(upload.settings, data_dir=tmp_path))
    kept = docs.share("Acme Oy", "Acme contract").document
    kept_path = shared_files.open_document(session=docs.session, actor=docs.actor(STAFF), document_id=kept.id).path
    left_behind = dropped("forgotten.pdf")
    an_hour_ago = time.time() - 7200
    for path in (kept_path, left_behind.path):
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert upload.sweep_unshared_files(session=docs.session) == 1
    assert kept_path.exists() and not left_behind.path.exists()


def one_document_at(tmp_path, revision: str):
    """A database migrated to `revision` with one company and one document written by SQL; its path."""
    run_alembic(tmp_path, "upgrade", revision)
    db = tmp_path / "portal.db"
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO company (name, business_id, street_address, postal_code, city, country, phone,"
                     " website, is_active, created_at, updated_at) VALUES ('C', '', '', '', '', '', '', '', 1,"
                     " '2026-12-05 07:00:00', '2026-12-05 07:00:00')")
        conn.execute("INSERT INTO shareddocument (title, company_id, file_name, stored_name, content_type, size,"
                     " sha256, created_at, updated_at) VALUES ('T', 1, 'f.pdf', 'abc', 'application/pdf', 3, '',"
                     " '2026-12-05 07:00:00', '2026-12-05 07:00:00')")
    return db


def test_the_migration_makes_the_table_and_takes_it_away(tmp_path):
    db = one_document_at(tmp_path, "head")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT category, description, download_count FROM shareddocument").fetchall() == [
            ("other", "", 0)]
    run_alembic(tmp_path, "downgrade", "0024_reports")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'shareddocument'").fetchall() == []


def test_migration_0031_gives_every_document_no_texts_of_other_languages_and_goes_down(tmp_path):
    db = one_document_at(tmp_path, "0030_failed_login_at")
    run_alembic(tmp_path, "upgrade", "0031_document_texts")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT title, translations FROM shareddocument").fetchall() == [("T", "{}")]
    run_alembic(tmp_path, "downgrade", "0030_failed_login_at")
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(shareddocument)")]
        assert "translations" not in columns and conn.execute("SELECT title FROM shareddocument").fetchall() == [("T",)]
