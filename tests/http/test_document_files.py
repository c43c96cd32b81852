"""GET /api/documents/{id}: the session cookie and the company's rights are checked on every request;
anything else answers 404, like a document that does not exist."""

import pytest
from sqlmodel import Session, select

from portal_app.db import get_engine
from portal_app.models import Account, SharedDocument
from portal_app.services.actor import build_actor
from portal_app.services.documents import shared_files
from portal_app.services.documents.upload import DocumentUpload
from portal_app.services.portal.config import set_module_enabled

from http_kit import client_as, deleting_the_file, fresh_demo

PDF = b"%PDF-1.4\n% a contract\n"


@pytest.fixture
def document_id() -> int:
    with Session(get_engine()) as session:
        fresh_demo(session)
        staff = build_actor(session, session.exec(select(Account).where(Account.email == "staff@example.com")).one())
        upload = DocumentUpload('Sopimus "2027"; ä.pdf')
        upload.write(PDF)
        acme = session.exec(select(SharedDocument.company_id).where(SharedDocument.title == "Service agreement 2027")).one()
        return shared_files.share_document(session=session, actor=staff, company_id=acme, file=upload.keep(),
                                           data={"title": "Contract"}).document.id


def _count(document_id: int) -> int:
    with Session(get_engine()) as session:
        return session.get(SharedDocument, document_id).download_count


def test_the_companys_contacts_and_staff_download_with_safe_headers(document_id):
    for email in ("user@acme.example.com", "admin@acme.example.com", "staff@example.com"):
        response = client_as(email).get(f"/api/documents/{document_id}")
        assert response.status_code == 200, email
        assert response.content == PDF and response.headers["content-type"].startswith("application/pdf")
        assert response.headers["content-disposition"] == (
            "attachment; filename=\"Sopimus _2027__ _.pdf\"; filename*=UTF-8''Sopimus%20%222027%22%3B%20%C3%A4.pdf")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
        assert "no-store" in response.headers["cache-control"]
    assert _count(document_id) == 2  # the two contacts' downloads, not staff's


@pytest.mark.parametrize("email", [None, "admin@globex.example.com", "hans.mueller@globex.example.com",
                                   "partner@partner.example.com"])
def test_anyone_else_gets_404_as_for_a_missing_document(document_id, email):
    client = client_as(email)
    refused = client.get(f"/api/documents/{document_id}")
    missing = client.get("/api/documents/999999")
    assert refused.status_code == missing.status_code == 404 and refused.content == missing.content
    assert _count(document_id) == 0


@pytest.mark.parametrize("garbage", ["abc", "-1", "0", "1.5", "99999999999999999999999", "%2E%2E%2Fportal.db"])
def test_garbage_ids_answer_404(document_id, garbage):
    assert client_as("user@acme.example.com").get(f"/api/documents/{garbage}").status_code == 404


def test_the_module_switched_off_answers_404_to_contacts(document_id):
    with Session(get_engine()) as session:
        staff = build_actor(session, session.exec(select(Account).where(Account.email == "staff@example.com")).one())
        set_module_enabled(session=session, actor=staff, module="documents", enabled=False)
    assert client_as("user@acme.example.com").get(f"/api/documents/{document_id}").status_code == 404
    assert client_as("staff@example.com").get(f"/api/documents/{document_id}").status_code == 200


def test_a_document_deleted_while_it_is_asked_for_is_not_found_not_an_error(document_id, monkeypatch):
    """Staff delete the document between the route finding its file and sending it: a 404, not a
    server error."""
    monkeypatch.setattr(shared_files, "open_document", deleting_the_file(shared_files.open_document))
    assert client_as("user@acme.example.com").get(f"/api/documents/{document_id}").status_code == 404
