"""SessionState (guards, language, sign-out), sign-in, forgotten password and reset, for the right actor."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import func, update
from sqlmodel import select
from statekit import EMAILS, GLOBEX_PRIVATE, STAFF_PRIVATE, Portal, redirect_path

from portal_app.db import session_scope
from portal_app.models import Account, AuthSession, PasswordToken, utcnow
from portal_app.seed import DEMO_PASSWORD
from portal_app.services import auth
from portal_app.state.auth import ForgotPasswordState, LoginState, ResetPasswordState
from portal_app.state.session import SessionState


def _account(email: str) -> Account:
    with session_scope() as s:
        return s.exec(select(Account).where(Account.email == email)).one()


def _sessions() -> int:
    with session_scope() as s:
        return s.exec(select(func.count()).select_from(AuthSession)).one()


def _actor(token: str):
    with session_scope() as s:
        return auth.actor_for_token(session=s, token=token)


# --- guards and the shell ------------------------------------------------------------------------


def test_guard_signed_in_builds_the_shell(portal: Portal):
    inst = portal.state(SessionState, "acme_user", url="/me")
    assert portal.call(inst, "guard") is None
    assert inst.signed_in and inst.display_name == "Ville Korhonen" and not inst.is_staff
    hrefs = [i["href"] for i in inst.nav_items]
    assert hrefs[:4] == ["/", "/company", "/tickets", "/me"] and "/admin" not in hrefs
    assert {"label": "Service status", "href": "https://status.example.com", "external": True} in inst.nav_items
    portal.assert_no_markers(inst, GLOBEX_PRIVATE + STAFF_PRIVATE)


def test_guard_keeps_the_page_to_come_back_to(portal: Portal):
    inst = portal.state(SessionState, None, url="/admin/company?id=2&x=%26")
    path = redirect_path(portal.call(inst, "guard"))
    assert path == "/login?next=" + quote("/admin/company?id=2&x=%26", safe="")


def test_guard_with_a_forged_or_expired_token(portal: Portal):
    for token in ("x" * 43, "abc", "y" * 5000, "' OR 1=1 --" * 3):
        inst = portal.state(SessionState, None)
        inst.session_token = token
        assert redirect_path(portal.call(inst, "guard")).startswith("/login")
        assert not inst.signed_in
    token = portal.token("acme_admin")
    with session_scope() as s:
        s.exec(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        s.commit()
    inst = portal.state(SessionState, "acme_admin")
    assert redirect_path(portal.call(inst, "guard")).startswith("/login")
    assert _actor(token) is None and _sessions() == 0  # the expired row is gone


def test_guard_staff(portal: Portal):
    staff = portal.state(SessionState, "staff", url="/admin")
    assert portal.call(staff, "guard_staff") is None
    assert staff.is_staff and "/admin" in [i["href"] for i in staff.nav_items]
    user = portal.state(SessionState, "acme_admin", url="/admin")
    assert redirect_path(portal.call(user, "guard_staff")) == "/"
    assert not user.is_staff


def test_disabled_account_is_signed_out_on_next_guard(portal: Portal):
    inst = portal.state(SessionState, "acme_user")
    portal.call(inst, "guard")
    assert inst.signed_in
    with session_scope() as s:
        s.exec(update(Account).where(Account.email == EMAILS["acme_user"]).values(enabled=False))
        s.commit()
    assert redirect_path(portal.call(inst, "guard")).startswith("/login")
    assert not inst.signed_in and inst.nav_items == [] and inst.display_name == ""


def test_choose_language(portal: Portal):
    inst = portal.state(SessionState, "acme_user")
    portal.call(inst, "choose_language", "en")
    assert inst.lang == "en" and inst.lang_choice == "en" and _account(EMAILS["acme_user"]).language == "en"
    before = portal.snapshot()
    for code in ("xx", "EN", "en ", "../en", "", None, 1, ["en"], {"en": 1}):
        portal.call(inst, "choose_language", code)
    assert portal.snapshot() == before and inst.lang == "en"


def test_choose_language_anonymous_sets_only_the_cookie(portal: Portal):
    inst = portal.state(SessionState, None)
    before = portal.snapshot()
    portal.call(inst, "choose_language", "en")
    assert inst.lang_choice == "en" and portal.snapshot() == before


def test_sign_out_ends_the_session(portal: Portal):
    token = portal.token("acme_admin")
    inst = portal.state(SessionState, "acme_admin")
    portal.call(inst, "guard")
    result = portal.call(inst, "sign_out")
    assert redirect_path(result) == "/login"
    assert inst.session_token == "" and not inst.signed_in
    assert _actor(token) is None
    # the old token, replayed by a client that kept it, no longer works
    again = portal.state(SessionState, None)
    again.session_token = token
    assert redirect_path(portal.call(again, "guard")).startswith("/login")


def test_setvar_cannot_set_any_var(portal: Portal):
    """Reflex's built-in `setvar` event needs a setter; with auto setters off it sets nothing.

    (Reflex reports the AttributeError through its backend exception handler; no var changes.)
    """
    inst = portal.state(SessionState, None)
    for name, value in (("session_token", "x" * 43), ("is_staff", True), ("signed_in", True),
                        ("nav_items", [{"label": "a", "href": "/admin", "external": False}])):
        with pytest.raises(AttributeError):
            portal.call(inst, "setvar", name, value)
    assert inst.session_token == "" and not inst.is_staff and not inst.signed_in and inst.nav_items == []


# --- sign-in -------------------------------------------------------------------------------------


def test_login_success_sets_the_token_and_follows_next(portal: Portal):
    inst = portal.state(LoginState, None, url="/login?next=%2Fcompany%3Ftab%3D1")
    result = portal.call(inst, "submit", {"email": "  Admin@Acme.Example.com ", "password": DEMO_PASSWORD})
    assert redirect_path(result) == "/company?tab=1"
    assert inst.error == "" and not inst.busy and inst.signed_in
    assert inst.display_name == "Aino Virtanen"
    actor = _actor(inst.session_token)
    assert actor is not None and actor.email == EMAILS["acme_admin"]
    assert _account(EMAILS["acme_admin"]).login_count == 1


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example", "evil",
                                    "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(portal: Portal, target: str):
    inst = portal.state(LoginState, None, url="/login?next=" + quote(target, safe=""))
    result = portal.call(inst, "submit", {"email": EMAILS["acme_user"], "password": DEMO_PASSWORD})
    assert redirect_path(result) == "/"


def test_login_load_redirects_a_signed_in_user(portal: Portal):
    inst = portal.state(LoginState, "acme_user", url="/login?next=%2F%2Fevil.example")
    portal.call(inst, "guard")
    assert redirect_path(portal.call(inst, "load")) == "/"
    anon = portal.state(LoginState, None, url="/login?signed_out=1")
    assert portal.call(anon, "load") is None and anon.notice == ""  # a URL cannot fake the notice


def test_login_page_says_signed_out_in_the_tab_that_signed_out(portal: Portal):
    inst = portal.state(LoginState, "acme_user")
    portal.call(inst, "guard")
    portal.call(inst, "sign_out")
    portal.call(inst, "load_public")
    portal.call(inst, "load")
    portal.call(inst, "load")  # loaders may run twice per visit; the notice stays
    assert inst.notice == "You have signed out."


def test_login_wrong_password(portal: Portal):
    inst = portal.state(LoginState, None)
    result = portal.call(inst, "submit", {"email": EMAILS["acme_user"], "password": "wrong-password"})
    assert result == [] and inst.error and inst.session_token == "" and not inst.signed_in
    assert _account(EMAILS["acme_user"]).failed_logins == 1 and _sessions() == 0


def test_login_unknown_email_answers_the_same(portal: Portal):
    a = portal.state(LoginState, None)
    portal.call(a, "submit", {"email": EMAILS["acme_user"], "password": "wrong-password"})
    b = portal.state(LoginState, None)
    before = portal.snapshot()
    portal.call(b, "submit", {"email": "nobody@example.com", "password": "wrong-password"})
    assert a.error == b.error and portal.snapshot() == before


def test_login_locked_account_is_refused_even_with_the_right_password(portal: Portal):
    with session_scope() as s:
        s.exec(update(Account).where(Account.email == EMAILS["acme_user"])
               .values(locked_until=utcnow() + timedelta(minutes=5)))
        s.commit()
    inst = portal.state(LoginState, None)
    portal.call(inst, "submit", {"email": EMAILS["acme_user"], "password": DEMO_PASSWORD})
    assert inst.error and inst.session_token == "" and _sessions() == 0


def test_login_garbage_password_for_a_real_account(portal: Portal):
    for password in ({}, [], None, 12345678901, "x" * 100_000, "ä" * 73):
        inst = portal.state(LoginState, None)
        result = portal.call(inst, "submit", {"email": EMAILS["acme_user"], "password": password})
        assert result == [] and inst.error and inst.session_token == ""
    assert _sessions() == 0


# --- forgotten password and reset ----------------------------------------------------------------


def test_forgot_password_known_and_unknown_answer_alike(portal: Portal):
    known = portal.state(ForgotPasswordState, None)
    portal.call(known, "submit", {"email": EMAILS["acme_user"]})
    mails = portal.outbox()
    assert len(mails) == 1 and "reset-password?token=" in mails[0] and EMAILS["acme_user"] in mails[0]
    before = portal.snapshot()
    unknown = portal.state(ForgotPasswordState, None)
    portal.call(unknown, "submit", {"email": "nobody@example.com"})
    assert portal.snapshot() == before and len(portal.outbox()) == 1
    assert known.sent and unknown.sent and known.sent_message == unknown.sent_message and not unknown.errors


def test_forgot_password_empty(portal: Portal):
    inst = portal.state(ForgotPasswordState, None)
    portal.call(inst, "submit", {"email": "   "})
    assert inst.errors.get("email") and not inst.sent


def _reset_token(email: str) -> str:
    with session_scope() as s:
        mail = auth.request_password_reset(session=s, email=email)
    return mail["body"].split("token=")[1].split()[0]


def test_reset_password_flow(portal: Portal):
    old_session = portal.token("acme_user")
    token = _reset_token(EMAILS["acme_user"])
    inst = portal.state(ResetPasswordState, None, url=f"/reset-password?token={token}")
    portal.call(inst, "load")
    assert inst.token_ok and not inst.done
    portal.call(inst, "submit", {"password": "New-pass-2027!", "confirm": "Other-pass-2027!"})
    assert "confirm" in inst.errors and inst.token_ok and not inst.done
    portal.call(inst, "submit", {"password": "short", "confirm": "short"})
    assert "password" in inst.errors
    portal.call(inst, "submit", {"password": "New-pass-2027!", "confirm": "New-pass-2027!"})
    assert inst.done and not inst.errors
    assert _actor(old_session) is None  # every session of the account ended
    with session_scope() as s:
        assert auth.login(session=s, email=EMAILS["acme_user"], password="New-pass-2027!").ok
        assert not auth.login(session=s, email=EMAILS["acme_user"], password=DEMO_PASSWORD).ok
    # the link is single use
    again = portal.state(ResetPasswordState, None, url=f"/reset-password?token={token}")
    portal.call(again, "load")
    assert not again.token_ok
    portal.call(again, "submit", {"password": "Third-pass-2028!", "confirm": "Third-pass-2028!"})
    assert "form" in again.errors and not again.done


def test_reset_password_without_or_with_a_bad_token(portal: Portal):
    for url in ("/reset-password", "/reset-password?token=abc", "/reset-password?token=" + "a" * 43,
                "/reset-password?token=" + "a" * 100_000):
        inst = portal.state(ResetPasswordState, None, url=url)
        portal.call(inst, "load")
        assert not inst.token_ok
        before = portal.snapshot()
        portal.call(inst, "submit", {"password": "New-pass-2027!", "confirm": "New-pass-2027!"})
        assert "form" in inst.errors and not inst.done and portal.snapshot() == before


def test_reset_token_of_an_expired_link(portal: Portal):
    token = _reset_token(EMAILS["acme_user"])
    with session_scope() as s:
        s.exec(update(PasswordToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        s.commit()
    inst = portal.state(ResetPasswordState, None, url=f"/reset-password?token={token}")
    portal.call(inst, "load")
    assert not inst.token_ok
