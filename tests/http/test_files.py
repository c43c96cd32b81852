"""GET /files/{id}: the session cookie and the ticket's visibility are checked on every request."""

import pytest
from sqlmodel import Session, select

from portal_app.db import get_engine
from portal_app.models import Account
from portal_app.services.tickets import attachments
from portal_app.services.tickets import core as tickets
from portal_app.services.accounts import auth
from portal_app.services.actor import build_actor

from http_kit import client_as, deleting_the_file, fresh_demo

PDF = b"%PDF-1.4\n% a tiny test file\n"


@pytest.fixture
def world():
    with Session(get_engine()) as session:
        fresh_demo(session)
        user = build_actor(session, session.exec(select(Account).where(Account.email == "user@acme.example.com")).one())
        writer = attachments.AttachmentWriter('report "Q3"; ä.pdf')
        writer.write(PDF)
        staged = writer.finish(session=session, actor=user, staged_for="new")
        ticket, _ = tickets.create_ticket(session=session, actor=user, attachment_ids=[staged.id], data={
            "title": "Report", "description": "See file", "category": "support", "priority": "normal"})
        yield {"file_id": staged.id, "number": ticket.number}


_client = client_as


def test_owner_and_company_admin_download_with_safe_headers(world):
    for email in ("user@acme.example.com", "admin@acme.example.com", "staff@example.com"):
        response = _client(email).get(f"/files/{world['file_id']}")
        assert response.status_code == 200, email
        assert response.content == PDF
        assert response.headers["content-type"].startswith("application/pdf")
        assert response.headers["content-disposition"] == (
            "attachment; filename=\"report _Q3__ _.pdf\"; filename*=UTF-8''report%20%22Q3%22%3B%20%C3%A4.pdf")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
        assert "no-store" in response.headers["cache-control"]


@pytest.mark.parametrize("email", [None, "admin@globex.example.com", "hans.mueller@globex.example.com",
                                   "liisa.makinen@acme.example.com", "partner@partner.example.com"])
def test_everyone_else_gets_the_same_404_as_a_missing_file(world, email):
    client = _client(email)
    refused = client.get(f"/files/{world['file_id']}")
    missing = client.get("/files/999999")
    garbage = client.get("/files/abc")
    assert refused.status_code == missing.status_code == garbage.status_code == 404
    assert refused.content == missing.content == garbage.content


def test_a_link_is_no_bearer_token_after_sign_out(world):
    client = _client("user@acme.example.com")
    assert client.get(f"/files/{world['file_id']}").status_code == 200
    with Session(get_engine()) as session:
        auth.logout(session=session, token=client.cookies.get("portal_session"))
    assert client.get(f"/files/{world['file_id']}").status_code == 404


@pytest.mark.parametrize("spelling", ["0{id}", "00{id}", "+{id}", "{id}.0", "%20{id}", "{id}%20", "{fullwidth}",
                                      "{fullwidth_encoded}", "{id}%0A", "-{id}", "{id}e0"])
def test_only_the_canonical_id_names_a_file(world, spelling):
    """`/files/01` or a full-width digit answers exactly like a file that does not exist, even to the owner."""
    file_id = str(world["file_id"])
    fullwidth = file_id.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    path = "/files/" + spelling.format(id=file_id, fullwidth=fullwidth,
                                       fullwidth_encoded="".join(f"%{b:02X}" for b in fullwidth.encode()))
    client = _client("user@acme.example.com")
    assert client.get(f"/files/{file_id}").status_code == 200
    refused, missing = client.get(path), client.get("/files/999999")
    assert refused.status_code == missing.status_code == 404, path
    assert refused.content == missing.content
    assert {k: v for k, v in refused.headers.items() if k != "date"} == {
        k: v for k, v in missing.headers.items() if k != "date"}


@pytest.mark.parametrize("path", ["/files/01", "/files/%EF%BC%91", "/files/+1", "/files/1.0", "/files/%D9%A1"])
def test_non_canonical_spellings_of_one_are_not_found(world, path):
    client = _client("user@acme.example.com")
    assert world["file_id"] == 1 and client.get("/files/1").status_code == 200  # the owner's file is id 1
    assert client.get(path).status_code == 404


def test_a_file_deleted_while_it_is_asked_for_is_not_found_not_an_error(world, monkeypatch):
    """The file goes (its ticket erased) between the route finding it and sending it: a 404, as for any
    file that is not there, not a server error."""
    monkeypatch.setattr(attachments, "open_for_download", deleting_the_file(attachments.open_for_download))
    assert _client("user@acme.example.com").get(f"/files/{world['file_id']}").status_code == 404
