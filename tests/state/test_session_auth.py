"""SessionState (guards, language, sign-out), sign-in, forgotten password and reset, for the right actor."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlalchemy import func, update
from sqlmodel import select
from statekit import EMAILS, GLOBEX_PRIVATE, STAFF_PRIVATE, Portal, redirect_path

from portal_app.db import session_scope
from portal_app.models import Account, AuthSession, PasswordToken, utcnow
from portal_app.seed import DEMO_PASSWORD
from portal_app.services.accounts import auth
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
    # the Basic profile's modules, in the menu's order (no invoices, catalog nor opportunities)
    assert hrefs[:9] == ["/", "/company", "/tickets", "/events", "/kb", "/documents", "/newsletters", "/reports",
                         "/me"]
    assert "/admin" not in hrefs
    assert {"label": "Service status", "href": "https://status.example.com", "external": True, "lang": "en"} in inst.nav_items
    portal.assert_no_markers(inst, GLOBEX_PRIVATE + STAFF_PRIVATE)


def test_guard_keeps_the_page_to_come_back_to(portal: Portal):
    inst = portal.state(SessionState, None, url="/admin/company?id=2&x=%26")
    path = redirect_path(portal.call(inst, "guard"))
    assert path == "/login?next=" + quote("/admin/company?id=2&x=%26", safe="")


def test_no_page_state_shadows_a_helper_of_the_shell():
    """Every page's state inherits SessionState: a page method named like one of the shell's
    (`_page_address`, `_enter`, `_actor`) would silently replace it for that page (a list's own
    `_address` once dropped the query from the sign-in return of /tickets)."""
    import portal_app.pages  # noqa: F401 - registers the pages' states

    def descendants(cls: type) -> list[type]:
        return [d for sub in cls.__subclasses__() for d in (sub, *descendants(sub))]

    shell = {name for name, value in vars(SessionState).items()
             if not name.startswith("__") and (callable(value) or isinstance(value, (staticmethod, classmethod, property)))}
    shell.discard("setvar")  # Reflex gives every state its own
    shadowed = sorted(f"{cls.__name__}.{name}" for cls in descendants(SessionState) for name in vars(cls) if name in shell)
    assert len(descendants(SessionState)) > 20 and not shadowed


def test_guard_with_a_forged_or_expired_token(portal: Portal):
    for token in ("x" * 43, "abc", "y" * 5000, "' OR 1=1 --" * 3):
        inst = portal.state(SessionState, None)
        portal.connect(inst, token)
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
    assert portal.call(user, "guard_staff") is None  # no redirect: the page says it is staff's, at its address
    assert user.unavailable and user.staff_only and "/admin" not in [i["href"] for i in user.nav_items]
    assert portal.call(staff, "guard_staff") is None and not staff.unavailable and not staff.staff_only
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


@pytest.mark.parametrize("url", ["/tickets/10003", "/tickets?status=New,In%20progress&sort=-updated", "/login"])
def test_choosing_a_language_loads_the_page_again_at_its_address(portal: Portal, url: str):
    # what the page's handlers formatted (dates, statuses, a ticket's fields) was in the old language
    inst = portal.state(SessionState, "acme_user", url=url)
    assert redirect_path(portal.call(inst, "choose_language", "fi")) == url
    anonymous = portal.state(SessionState, None, url=url)
    assert redirect_path(portal.call(anonymous, "choose_language", "en")) == url


def test_choose_language_anonymous_sets_only_the_cookie(portal: Portal):
    inst = portal.state(SessionState, None)
    before = portal.snapshot()
    portal.call(inst, "choose_language", "en")
    assert inst.lang_choice == "en" and portal.snapshot() == before


def _visitor_with_cookie(portal: Portal, cookie: str) -> SessionState:
    """A visitor's tab whose socket handshake carried `cookie` (as the browser sends it)."""
    inst = portal.state(SessionState, None, url="/login")
    root = portal._root(inst)
    root.router = RouterData.from_router_data(
        {"asPath": "/login", "pathname": "/login", "headers": {**root.router.headers.raw_headers, "cookie": cookie}})
    return inst


def test_a_visitor_sees_the_language_of_the_browser_cookie_until_choosing_another(portal: Portal):
    inst = _visitor_with_cookie(portal, "other=1; portal_lang=fi")
    portal.call(inst, "load_public")
    assert inst.lang == "fi" and inst.lang_choice == ""  # nothing to write back to the browser
    portal.call(inst, "choose_language", "en")  # the tab's choice wins over what the socket carried
    assert inst.lang == inst.lang_choice == inst.lang_picked == "en"  # a visitor's pick: the next sign-in's
    portal.call(inst, "load_public")
    assert inst.lang == "en"
    for cookie in ("portal_lang=xx", "portal_lang=", "portal_lang", "", "xportal_lang=fi"):
        other = _visitor_with_cookie(portal, cookie)
        portal.call(other, "load_public")
        assert other.lang == "en", cookie


def test_a_signed_in_users_choice_is_saved_at_once_and_left_to_no_later_sign_in(portal: Portal):
    inst = portal.state(SessionState, "acme_user", url="/")
    portal.call(inst, "choose_language", "de")
    assert inst.lang == inst.lang_choice == "de" and inst.lang_picked == ""
    assert portal.actor("acme_user").language == "de"


def test_a_language_chosen_before_someone_else_signed_in_is_not_their_sign_out_pages(portal: Portal):
    """One person picked Finnish on the sign-in page of this tab; the next one, reading English, signs
    in on it: the tab forgets the pick, so its sign-out page reads the cookie the sign-in set
    (English), not the pick."""
    inst = _visitor_with_cookie(portal, "portal_lang=en")
    portal.call(inst, "choose_language", "fi")
    assert inst.lang_choice == "fi"
    portal.connect(inst, portal.token("acme_user"), url="/")  # (acme_user reads English)
    portal.call(inst, "load_public")
    assert inst.signed_in and inst.lang == "en" and inst.lang_choice == ""
    assert inst._browser_language() == ""  # signed out next: the browser's cookie decides
    # the pick made the first person's own language (kept while they are signed in); once they sign
    # out the tab forgets it too, so the next person's first page cannot write it back to the cookie
    picked = _visitor_with_cookie(portal, "portal_lang=en")
    portal.call(picked, "choose_language", "fi")
    picked.signed_in = True  # (as after that person's sign-in, whose language the pick became)
    portal.call(picked, "load_public")  # signed out now (this tab's handshake has no session)
    assert not picked.signed_in and picked.lang_choice == "" and picked.lang == "en"


def test_no_state_var_is_kept_in_browser_storage_so_a_navigation_is_one_event():
    """Reflex sends every rx.Cookie / rx.LocalStorage var set in the browser back with each page
    navigation, as an event of its own before the page's on_load (issue 10); the language cookie is
    read from the handshake and written by the shell's `browser_cookie` instead."""
    def states(cls: type[rx.State]):
        yield cls
        for sub in cls.get_substates():
            yield from states(sub)

    every = list(states(rx.State))
    assert SessionState in every and len(every) > 20  # the app's states, not Reflex's alone
    tracked = [f"{cls.__name__}.{name}" for cls in every for name in cls.get_fields() if cls._is_client_storage(name)]
    assert tracked == []


def test_the_state_holds_no_session_token(portal: Portal):
    """Reflex persists each tab's state (disk or Redis): neither the token nor the cookie may be in
    it, only the hash the handshake carried, which no client can present itself."""
    token = portal.token("acme_admin")
    inst = portal.state(SessionState, "acme_admin")
    portal.call(inst, "guard")
    assert inst.signed_in
    root = portal._root(inst)
    pickled = b"".join(state._serialize() for state in (root, *root.substates.values(), inst))
    assert token.encode() not in pickled and auth.token_hash(token).encode() in pickled
    assert token not in portal.public_text(inst) and auth.token_hash(token) not in portal.public_text(inst)


def test_signing_out_elsewhere_ends_the_session_at_once(portal: Portal):
    token = portal.token("acme_admin")
    inst = portal.state(SessionState, "acme_admin")
    portal.call(inst, "guard")
    with session_scope() as s:
        auth.logout(session=s, token=token)
    assert redirect_path(portal.call(inst, "guard")).startswith("/login") and not inst.signed_in


def test_setvar_cannot_set_any_var(portal: Portal):
    """Reflex's built-in `setvar` event needs a setter; with auto setters off it sets nothing.

    (Reflex reports the AttributeError through its backend exception handler; no var changes.)
    """
    inst = portal.state(SessionState, None)
    for name, value in (("is_staff", True), ("signed_in", True),
                        ("nav_items", [{"label": "a", "href": "/admin", "external": False}])):
        with pytest.raises(AttributeError):
            portal.call(inst, "setvar", name, value)
    assert not inst.is_staff and not inst.signed_in and inst.nav_items == []


# --- sign-in -------------------------------------------------------------------------------------


# (the form posts to /api/session: tests/http/test_session_routes.py)


def test_login_load_redirects_a_signed_in_user(portal: Portal):
    inst = portal.state(LoginState, "acme_user", url="/login?next=%2F%2Fevil.example")
    portal.call(inst, "guard")
    assert redirect_path(portal.call(inst, "load")) == "/"
    inst = portal.state(LoginState, "acme_user", url="/login?next=%2Fcompany%3Ftab%3D1")
    portal.call(inst, "guard")
    assert redirect_path(portal.call(inst, "load")) == "/company?tab=1"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example", "evil",
                                    "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)"])
def test_login_form_never_carries_an_off_site_next(portal: Portal, target: str):
    inst = portal.state(LoginState, None, url="/login?next=" + quote(target, safe=""))
    assert portal.call(inst, "load") is None and inst.next_path == "/"


@pytest.mark.parametrize(("query", "expected"), [
    ("", ""),
    ("?error=failed", "Sign-in failed"),
    ("?error=anything", "Sign-in failed"),
    ("?error=required", "Enter your email and password."),
    ("?error=throttled&minutes=7", "Try again in 7 minutes."),
    ("?error=throttled&minutes=%EF%BC%97", "Sign-in failed"),
    ("?error=throttled&minutes=99999999", "Sign-in failed"),
    ("?error=locked&minutes=12", "Try again in 12 minutes."),
    ("?error=locked&minutes=abc", "Sign-in failed"),
    ("?error=locked&minutes=15", "Try again in 15 minutes."),  # the demo's lockout period
    ("?error=locked&minutes=16", "Sign-in failed"),  # longer than the portal ever locks: a crafted link
    ("?error=locked&minutes=9999", "Sign-in failed"),
    ("?error=throttled&minutes=16", "Sign-in failed"),
])
def test_login_page_shows_the_reason_it_was_sent_back(portal: Portal, query: str, expected: str):
    inst = portal.state(LoginState, None, url="/login" + query)
    portal.call(inst, "load")
    assert (inst.error.startswith(expected) or inst.error.endswith(expected)) if expected else inst.error == ""
    assert inst.notice == ""


@pytest.mark.parametrize(("field", "expected"), [
    ("email", {"email": "Enter your email address."}),
    ("password", {"password": "Enter your password."}),
    ("email,password", {"email": "Enter your email address.", "password": "Enter your password."}),
])
def test_login_page_puts_required_messages_under_the_empty_fields(portal: Portal, field: str, expected: dict):
    inst = portal.state(LoginState, None, url=f"/login?error=required&field={quote(field)}")
    portal.call(inst, "load")
    assert inst.errors == expected and inst.error == ""
    portal.set_url(inst, "/login")
    portal.call(inst, "load")  # a later visit starts clean
    assert inst.errors == {} and inst.error == ""


def test_login_page_says_signed_out_after_signing_out(portal: Portal):
    inst = portal.state(LoginState, None, url="/login?signed_out=1")
    portal.call(inst, "load_public")
    portal.call(inst, "load")
    portal.call(inst, "load")  # loaders may run twice per visit; the notice stays
    assert inst.notice == "You have signed out." and inst.error == ""


# --- forgotten password and reset ----------------------------------------------------------------


def _without_rate_limits(snapshot: dict) -> dict:
    """Every request is counted (known address or not, so counting reveals nothing)."""
    return {table: rows for table, rows in snapshot.items() if table != "throttlehit"}


def test_forgot_password_known_and_unknown_answer_alike(portal: Portal):
    known = portal.state(ForgotPasswordState, None)
    portal.call(known, "submit", {"email": EMAILS["acme_user"]})
    mails = portal.outbox()
    assert len(mails) == 1 and "reset-password?token=" in mails[0] and EMAILS["acme_user"] in mails[0]
    before = _without_rate_limits(portal.snapshot())
    unknown = portal.state(ForgotPasswordState, None)
    portal.call(unknown, "submit", {"email": "nobody@example.com"})
    assert _without_rate_limits(portal.snapshot()) == before and len(portal.outbox()) == 1
    assert known.sent and unknown.sent and known.sent_message == unknown.sent_message and not unknown.errors


def test_forgot_password_is_limited_per_client_address(portal: Portal, monkeypatch):
    monkeypatch.setattr(auth, "settings", replace(auth.settings, reset_address_limit=2, reset_email_limit=1))
    for n in range(2):
        inst = portal.state(ForgotPasswordState, None)
        portal.call(inst, "submit", {"email": EMAILS["acme_user"] if n == 0 else f"other{n}@example.com"})
        assert inst.sent and not inst.errors
    inst = portal.state(ForgotPasswordState, None)
    portal.call(inst, "submit", {"email": EMAILS["acme_admin"]})
    assert not inst.sent and inst.errors["email"] == "Too many attempts from your network. Try again in 60 minutes."
    # a second request for the same address sends nothing more, silently (per-address limit of 1)
    assert len(portal.outbox()) == 1


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


def test_a_link_opened_where_a_colleague_is_signed_in_says_so_and_signs_them_out_there(portal: Portal):
    """An admin gave access and opened the set-password link on its own browser: the page names who
    is signed in; setting the password ends that browser's session (not the admin's other ones), so
    "Sign in" opens the sign-in form, not the admin's home."""
    admin_elsewhere = portal.token("acme_admin")
    with session_scope() as s:
        here = auth.login(session=s, email=EMAILS["acme_admin"], password=DEMO_PASSWORD).token
    url = f"/reset-password?token={_reset_token(EMAILS['acme_user'])}"
    inst = portal.state(ResetPasswordState, None, url=url)
    portal.connect(inst, here, url=url)
    portal.call(inst, "load")
    assert inst.token_ok and inst.signed_in_as == "Aino Virtanen is signed in on this browser. " \
        "Setting this password signs Aino Virtanen out here."
    portal.call(inst, "submit", {"password": "New-pass-2027!", "confirm": "New-pass-2027!"})
    assert inst.done and inst.signed_in_as == ""
    assert _actor(here) is None and _actor(admin_elsewhere) is not None
    # nobody signed in: nothing to say
    fresh = portal.state(ResetPasswordState, None, url=f"/reset-password?token={_reset_token(EMAILS['acme_user'])}")
    portal.call(fresh, "load")
    assert fresh.token_ok and fresh.signed_in_as == ""


def test_a_reset_link_opens_in_the_language_of_its_mail(portal: Portal):
    """The account reads Italian (its mail was Italian): a browser with no language chosen opens the
    page in Italian; the visitor's own choice (the language cookie) still wins."""
    with session_scope() as s:
        s.exec(update(Account).where(Account.email == EMAILS["acme_user"]).values(language="it"))
        s.commit()
    token = _reset_token(EMAILS["acme_user"])
    inst = portal.state(ResetPasswordState, None, url=f"/reset-password?token={token}")
    portal.call(inst, "load")
    assert inst.token_ok and inst.lang == "it" and inst.intro.startswith("Scegli una password")
    portal.call(inst, "choose_language", "en")
    portal.call(inst, "load")
    assert inst.lang == "en"


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


def test_the_sign_in_page_says_an_open_pages_session_ended(portal: Portal):
    inst = portal.state(LoginState, None, url="/login?next=%2Ftickets&ended=1")
    portal.call(inst, "load")
    # said apart from the success notices (an amber callout, not the green "Signed out")
    assert inst.ended == inst._t("login.session_ended") and inst.notice == "" and inst.next_path == "/tickets"
    plain = portal.state(LoginState, None, url="/login?next=%2Ftickets")
    portal.call(plain, "load")
    assert plain.notice == "" and plain.ended == ""


def test_back_after_signing_out_is_not_called_a_session_that_ended(portal: Portal):
    """Signed out by the person's own click, the tab's earlier page (the back button) goes to the
    sign-in page as any signed-out visit does, not with "Your session ended (signed out elsewhere...)"."""
    inst = portal.state(LoginState, "acme_user", url="/tickets")
    portal.call(inst, "guard")
    assert inst.signed_in
    portal.connect(inst, "", url="/login?signed_out=1")  # the sign-out's cookie is gone
    portal.call(inst, "load_public")
    portal.call(inst, "load")
    assert inst.notice == inst._t("login.signed_out") and not inst.signed_in
    portal.connect(inst, "", url="/tickets")  # back
    assert portal.call(inst, "session_ended") is None
    found = redirect_path(portal.call(inst, "guard"))
    assert found is not None and found.startswith("/login?next=%2Ftickets") and "ended=1" not in found


def test_a_link_whose_login_was_disabled_since_says_so_before_a_password_is_typed(portal: Portal):
    """Portal access removed after the set-password mail went: the page says the link is invalid at
    once, not after the password was typed twice."""
    token = _reset_token(EMAILS["acme_user"])
    with session_scope() as s:
        s.exec(update(Account).where(Account.email == EMAILS["acme_user"]).values(enabled=False))
        s.commit()
    inst = portal.state(ResetPasswordState, None, url=f"/reset-password?token={token}")
    portal.call(inst, "load")
    assert not inst.token_ok
