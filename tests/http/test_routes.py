"""The plain HTTP routes, through Starlette's TestClient on the mounted app alone."""

from sqlmodel import Session

from portal_app.db import get_engine
from portal_app.services.accounts import auth

from http_kit import deleting_the_file


def _token(email: str) -> str:
    with Session(get_engine()) as session:
        result = auth.login(session=session, email=email, password="Demo-pass-2026")
    assert result.ok
    return result.token


def test_health_answers_when_the_database_does(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_me_needs_a_valid_session_cookie(client):
    assert client.get("/api/me").status_code == 401
    client.cookies.set("portal_session", "made-up-token-that-is-long-enough")
    assert client.get("/api/me").status_code == 401


def test_me_follows_the_session_until_sign_out(client):
    token = _token("user@acme.example.com")
    client.cookies.set("portal_session", token)
    response = client.get("/api/me")
    assert response.status_code == 200
    assert response.json()["email"] == "user@acme.example.com"
    assert response.headers["cache-control"] == "no-store"

    with Session(get_engine()) as session:
        auth.logout(session=session, token=token)
    assert client.get("/api/me").status_code == 401


def test_the_uploaded_logo_is_served_to_anyone_by_its_name_only(client):
    """The sign-in page shows the logo: no session needed; its random name may be cached for good."""
    from portal_app.services.actor import build_actor
    from portal_app.services.portal import branding
    from portal_app.models import Account
    from sqlmodel import select

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with Session(get_engine()) as session:
        staff = build_actor(session, session.exec(select(Account).where(Account.email == "staff@example.com")).one())
        address = branding.set_logo(session=session, actor=staff, data=png).logo_url
    response = client.get(address)
    assert response.status_code == 200 and response.content == png
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in response.headers["cache-control"]
    for other in ("/api/branding/..%2Fportal.db", "/api/branding/secret.key", "/api/branding/" + "0" * 32 + ".png"):
        assert client.get(other).status_code == 404


def test_a_logo_replaced_while_it_is_asked_for_is_not_found_not_an_error(client, monkeypatch):
    """A new logo deletes the old file: a page still showing the old one may ask for it just after the
    route found it. The answer is a 404 (the browser shows the new logo on its next page)."""
    from portal_app.services.actor import build_actor
    from portal_app.services.portal import branding
    from portal_app.models import Account
    from sqlmodel import select

    with Session(get_engine()) as session:
        staff = build_actor(session, session.exec(select(Account).where(Account.email == "staff@example.com")).one())
        address = branding.set_logo(session=session, actor=staff, data=b"\x89PNG\r\n\x1a\n" + b"\x01" * 64).logo_url
    monkeypatch.setattr(branding, "logo_file", deleting_the_file(branding.logo_file))  # what set_logo does
    assert client.get(address).status_code == 404
