"""auth.login: counting, lockout and its expiry, refusals, and server-side session tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from portal_app.models import AuthSession, utcnow
from portal_app.services.accounts import auth
from portal_app.services.companies import directory
from portal_app.services.portal import config
from portal_app.services.errors import PermissionDenied
from portal_app.settings import settings

USER = "user@acme.example.com"


_DEMO = object()


def login(demo, password=_DEMO, *, email=USER, now=None):
    """Sign in as `email`, by default with the right (demo) password."""
    return auth.login(session=demo.session, email=email, password=demo.password if password is _DEMO else password,
                      now=now)


def set_policy(demo, **values):
    config.update_portal_settings(session=demo.session, actor=demo.actor("staff@example.com"), data=values)


def test_success_counts_the_login_and_returns_a_working_token(demo):
    now = utcnow()
    result = login(demo, now=now)
    assert result.ok and result.actor is not None and result.actor.email == USER
    assert len(result.token) >= 40
    demo.session.expire_all()
    account = demo.account(USER)
    assert account.login_count == 1 and account.last_login_at == now

    later = now + timedelta(minutes=5)
    login(demo, now=later)
    demo.session.expire_all()
    assert demo.account(USER).login_count == 2 and demo.account(USER).last_login_at == later


def test_login_name_is_case_and_space_insensitive(demo):
    assert login(demo, email="  User@ACME.example.com ").ok


def test_a_domain_with_its_own_letters_signs_in_as_the_browser_sends_it(demo):
    """A browser's email field sends "müller" as "xn--mller-kva"; the account keeps what was typed."""
    account = demo.account(USER)
    account.email = "user@müller.example"
    demo.session.add(account)
    demo.session.commit()
    for typed in ("user@xn--mller-kva.example", "USER@MÜLLER.example", " user@müller.example"):
        assert login(demo, email=typed).ok, typed


def test_only_the_hash_of_the_token_is_stored(demo):
    token = login(demo).token
    rows = demo.session.exec(select(AuthSession)).all()
    assert [r.token_hash for r in rows] == [auth.token_hash(token)]
    assert token not in rows[0].token_hash


@pytest.mark.parametrize(("email", "password"), [
    (USER, "Wrong-pass-2026"),
    ("nobody@acme.example.com", "Demo-pass-2026"),
    (USER, ""),
    ("", "Demo-pass-2026"),
])
def test_failures_all_look_the_same(demo, email, password):
    result = login(demo, password, email=email)
    assert result == auth.LoginResult(ok=False)


def test_wrong_password_counts_a_failure_and_success_resets_it(demo):
    for _ in range(3):
        assert not login(demo, "Wrong-pass-2026").ok
    demo.session.expire_all()
    assert demo.account(USER).failed_logins == 3
    assert demo.account(USER).login_count == 0
    assert login(demo).ok
    demo.session.expire_all()
    assert demo.account(USER).failed_logins == 0


def test_lockout_after_threshold_refuses_even_the_right_password(demo):
    threshold = demo.settings().lockout_threshold
    assert threshold == 5  # the default
    now = utcnow()
    for _ in range(threshold - 1):
        login(demo, "Wrong-pass-2026", now=now)
    demo.session.expire_all()
    assert demo.account(USER).locked_until is None  # one attempt left

    login(demo, "Wrong-pass-2026", now=now)
    demo.session.expire_all()
    account = demo.account(USER)
    assert account.locked_until == now + timedelta(minutes=demo.settings().lockout_minutes)
    # locked: refused with the minutes left to wait
    assert login(demo, now=now + timedelta(minutes=1)) == auth.LoginResult(ok=False, locked_minutes=14)
    demo.session.expire_all()
    assert demo.account(USER).login_count == 0


def test_lock_expires_after_lockout_minutes(demo):
    set_policy(demo, lockout_threshold=2, lockout_minutes=30)
    now = utcnow()
    login(demo, "Wrong-pass-2026", now=now)
    login(demo, "Wrong-pass-2026", now=now)
    assert not login(demo, now=now + timedelta(minutes=29, seconds=59)).ok
    result = login(demo, now=now + timedelta(minutes=30, seconds=1))
    assert result.ok
    demo.session.expire_all()
    assert demo.account(USER).locked_until is None


def test_attempts_while_locked_do_not_extend_the_lock(demo):
    set_policy(demo, lockout_threshold=1, lockout_minutes=10)
    now = utcnow()
    login(demo, "Wrong-pass-2026", now=now)
    login(demo, "Wrong-pass-2026", now=now + timedelta(minutes=9))
    assert login(demo, now=now + timedelta(minutes=11)).ok


def test_threshold_zero_never_locks(demo):
    set_policy(demo, lockout_threshold=0)
    now = utcnow()
    for n in range(40):  # from many addresses (one address has its own limit)
        auth.login(session=demo.session, email=USER, password="Wrong-pass-2026", now=now,
                   client_address=f"198.51.100.{n}")
    demo.session.expire_all()
    assert demo.account(USER).locked_until is None
    assert login(demo, now=now).ok


def test_staff_unlock_clears_the_lock(demo):
    set_policy(demo, lockout_threshold=1)
    login(demo, "Wrong-pass-2026")
    assert not login(demo).ok
    account_id = demo.account(USER).id
    with pytest.raises(PermissionDenied):
        auth.unlock(session=demo.session, actor=demo.actor("admin@acme.example.com"), account_id=account_id)
    assert not login(demo).ok

    auth.unlock(session=demo.session, actor=demo.actor("staff@example.com"), account_id=account_id)
    assert login(demo).ok


def test_staff_unlock_contact_clears_the_lock(demo):
    set_policy(demo, lockout_threshold=1)
    login(demo, "Wrong-pass-2026")
    directory.unlock_contact(session=demo.session, actor=demo.actor("staff@example.com"),
                             contact_id=demo.contact(USER).id)
    assert login(demo).ok


def test_lock_shows_in_contact_list_and_login_statistics(demo):
    set_policy(demo, lockout_threshold=1)
    login(demo, "Wrong-pass-2026")
    rows = {r.email: r for r in directory.list_contacts(session=demo.session,
                                                         actor=demo.actor("admin@acme.example.com"))}
    assert rows[USER].locked and not rows["liisa.makinen@acme.example.com"].locked
    stats, _ = auth.login_statistics(session=demo.session, actor=demo.actor("staff@example.com"), query="korhonen")
    assert [(s.email, s.locked) for s in stats] == [(USER, True)]


def test_disabled_account_cannot_log_in(demo):
    account = demo.account(USER)
    account.enabled = False
    demo.session.add(account)
    demo.session.commit()
    assert login(demo) == auth.LoginResult(ok=False)


def test_deactivated_contact_cannot_log_in_even_with_enabled_account(demo):
    contact = demo.contact(USER)
    contact.is_active = False
    demo.session.add(contact)
    demo.session.commit()
    assert demo.account(USER).enabled
    assert login(demo) == auth.LoginResult(ok=False)


@pytest.mark.parametrize("password", ["x" * 73, "ä" * 37, "€" * 100, "A" * 100_000])
def test_password_over_72_bytes_is_refused_without_error(demo, password):
    assert login(demo, password) == auth.LoginResult(ok=False)


def test_72_byte_prefix_of_a_longer_password_is_not_enough(demo):
    """bcrypt reads only 72 bytes; a longer secret must not match a hash of its first 72 bytes."""
    password = "P" * 72
    demo.make_contact(demo.company("Acme Oy"), "Long", "Pass", "long@acme.example.com", login=True,
                      password=password)
    assert login(demo, password, email="long@acme.example.com").ok
    assert not login(demo, password + "extra", email="long@acme.example.com").ok


@pytest.mark.parametrize("password", [None, 12345678901, {"$ne": ""}, ["Demo-pass-2026"], b"Demo-pass-2026"])
def test_password_of_another_type_is_refused(demo, password):
    assert login(demo, password) == auth.LoginResult(ok=False)


def test_token_resolves_until_logout(demo):
    token = login(demo).token
    actor = auth.actor_for_token(session=demo.session, token=token)
    assert actor is not None and actor.email == USER
    auth.logout(session=demo.session, token=token)
    assert auth.actor_for_token(session=demo.session, token=token) is None


def test_logout_ends_only_that_session(demo):
    first, second = login(demo).token, login(demo).token
    auth.logout(session=demo.session, token=first)
    assert auth.actor_for_token(session=demo.session, token=second) is not None


def test_token_stops_resolving_after_expiry(demo):
    now = utcnow()
    token = login(demo, now=now).token
    just_before = now + timedelta(hours=settings.session_hours) - timedelta(seconds=1)
    assert auth.actor_for_token(session=demo.session, token=token, now=just_before) is not None
    expired = now + timedelta(hours=settings.session_hours)
    assert auth.actor_for_token(session=demo.session, token=token, now=expired) is None
    # and the row is gone: the token does not come back in the past either
    assert auth.actor_for_token(session=demo.session, token=token, now=now) is None


def test_token_stops_resolving_when_account_is_disabled(demo):
    token = login(demo).token
    directory.set_portal_access(session=demo.session, actor=demo.actor("admin@acme.example.com"),
                                contact_id=demo.contact(USER).id, enabled=False)
    assert auth.actor_for_token(session=demo.session, token=token) is None


@pytest.mark.parametrize("token", [None, "", "short", "x" * 10_000, 123, {"token": "x"}, ["a" * 40]])
def test_garbage_tokens_resolve_to_nobody(demo, token):
    login(demo)
    assert auth.actor_for_token(session=demo.session, token=token) is None
    auth.logout(session=demo.session, token=token)  # no error either


def test_staff_and_collaborator_can_log_in(demo):
    staff = login(demo, email="staff@example.com")
    assert staff.ok and staff.actor.is_staff
    partner = login(demo, email="partner@partner.example.com")
    assert partner.ok and partner.actor.can("tickets") and not partner.actor.can("company")
