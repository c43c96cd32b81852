"""Password links: request_password_reset and reset_password (single use, expiring, rules)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select

from portal_app.models import Contact, PasswordToken, TokenPurpose, utcnow
from portal_app.services.accounts import auth
from portal_app.services.portal import config
from portal_app.services.errors import NotFound, RateLimited, ValidationFailed
from portal_app.settings import settings

USER = "user@acme.example.com"
NEW = "Fresh-secret-42"


def request(demo, email=USER):
    return auth.request_password_reset(session=demo.session, email=email)


def reset(demo, token, password=NEW, confirm=None, now=None):
    return auth.reset_password(session=demo.session, token=token, password=password,
                               confirm=password if confirm is None else confirm, now=now)


def can_login(demo, password, email=USER) -> bool:
    return auth.login(session=demo.session, email=email, password=password).ok


def test_request_returns_a_mail_with_a_link_for_an_enabled_account(demo):
    mail = request(demo, " User@Acme.Example.com ")
    assert mail is not None and mail["to"] == USER
    assert f"{settings.portal_url}/reset-password?token=" in mail["body"]
    assert mail["subject"]
    contact = demo.session.get(Contact, demo.account(USER).contact_id)
    assert mail["body"].startswith(f"Hello {contact.first_name},\n")  # greeted by name, as the other mails do
    token = demo.token_in(mail)
    row = demo.session.exec(select(PasswordToken)).one()
    assert row.purpose == TokenPurpose.RESET and row.token_hash == auth.token_hash(token)
    assert auth.password_token_valid(session=demo.session, token=token)


def test_request_for_unknown_email_returns_none_and_writes_nothing(demo):
    """Nothing but the request's own count (every request is counted, known address or not)."""
    before = demo.committed_state()
    assert request(demo, "nobody@acme.example.com") is None
    after = demo.committed_state()
    assert {k: v for k, v in after.items() if k != "throttlehit"} == {
        k: v for k, v in before.items() if k != "throttlehit"}


@pytest.mark.parametrize("email", ["", None, "x" * 300, "no-at-sign", USER + "\x00", {"email": USER}, [USER]])
def test_a_malformed_address_is_told_so_and_nothing_is_written(demo, email):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as refused:
        request(demo, email)
    assert refused.value.fields == {"email": ("error.email", {})}
    assert demo.committed_state() == before


def test_requests_are_limited_per_email_silently_and_per_address_with_a_message(demo, monkeypatch):
    monkeypatch.setattr(auth, "settings", replace(auth.settings, reset_email_limit=2, reset_address_limit=4))
    later = [utcnow() + timedelta(minutes=2 * i) for i in range(3)]  # beyond the repeat window
    sent = [auth.request_password_reset(session=demo.session, email=USER, client_address="203.0.113.9", now=when)
            for when in later]
    assert [m is not None for m in sent] == [True, True, False]  # the third: the same answer, no mail
    assert auth.request_password_reset(session=demo.session, email="nobody@example.com",
                                       client_address="203.0.113.9") is None
    with pytest.raises(RateLimited) as limited:
        auth.request_password_reset(session=demo.session, email="admin@acme.example.com",
                                    client_address="203.0.113.9")
    assert limited.value.params == {"minutes": 60}
    assert auth.request_password_reset(session=demo.session, email="admin@acme.example.com",
                                       client_address="203.0.113.10") is not None


def test_a_request_repeated_within_a_minute_sends_nothing_and_keeps_the_first_link(demo):
    """A double click on "Send reset link": one mail, and its link still works (a second link would
    have ended it); nor does the repeat count toward the hourly limit."""
    first = request(demo)
    assert request(demo) is None
    token = demo.token_in(first)
    assert auth.password_token_valid(session=demo.session, token=token)
    assert len(demo.session.exec(select(PasswordToken)).all()) == 1
    a_minute_later = utcnow() + auth.RESET_REPEAT_WINDOW + timedelta(seconds=1)
    second = auth.request_password_reset(session=demo.session, email=USER, now=a_minute_later)
    assert second is not None and demo.token_in(second) != token
    assert not auth.password_token_valid(session=demo.session, token=token)  # the newer link replaces it


def test_a_used_link_does_not_hold_back_the_next_request(demo):
    reset(demo, demo.token_in(request(demo)))
    assert request(demo) is not None


def test_request_for_disabled_account_returns_none(demo):
    account = demo.account(USER)
    account.enabled = False
    demo.session.add(account)
    demo.session.commit()
    assert request(demo) is None


def test_reset_sets_the_password_once(demo):
    token = demo.token_in(request(demo))
    account = reset(demo, token)
    assert account.email == USER
    assert can_login(demo, NEW) and not can_login(demo, demo.password)
    assert not auth.password_token_valid(session=demo.session, token=token)

    with pytest.raises(NotFound) as info:
        reset(demo, token, password="Another-secret-43")
    assert info.value.key == "error.link_invalid"
    assert can_login(demo, NEW)


def test_expired_token_is_refused(demo):
    token = demo.token_in(request(demo))
    expiry = utcnow() + timedelta(minutes=settings.reset_token_minutes)
    before = demo.committed_state()
    with pytest.raises(NotFound):
        reset(demo, token, now=expiry + timedelta(seconds=1))
    assert demo.committed_state() == before
    # still valid shortly before it expires
    reset(demo, token, now=expiry - timedelta(minutes=1))
    assert can_login(demo, NEW)


def test_a_new_token_invalidates_the_older_one(demo):
    old = demo.token_in(request(demo))
    later = utcnow() + auth.RESET_REPEAT_WINDOW + timedelta(seconds=1)
    new = demo.token_in(auth.request_password_reset(session=demo.session, email=USER, now=later))
    assert old != new
    with pytest.raises(NotFound):
        reset(demo, old)
    reset(demo, new)
    assert can_login(demo, NEW)


def test_tokens_belong_to_their_own_account(demo):
    """A token changes only the account it was issued for."""
    token = demo.token_in(request(demo, "liisa.makinen@acme.example.com"))
    reset(demo, token)
    assert can_login(demo, NEW, "liisa.makinen@acme.example.com")
    assert can_login(demo, demo.password, USER)


@pytest.mark.parametrize(("password", "confirm", "field", "key"), [
    ("short-1", None, "password", "error.password_too_short"),
    ("x" * 73, None, "password", "error.password_too_long"),
    ("ä" * 37, None, "password", "error.password_too_long"),  # 37 characters, 74 bytes
    ("Password123", None, "password", "error.password_common"),
    ("1234567890", None, "password", "error.password_common"),
    (NEW, NEW + "!", "confirm", "error.password_mismatch"),
    (NEW, "", "confirm", "error.password_mismatch"),
    ("", "", "password", "error.required"),
    (None, None, "password", "error.required"),
    (["Fresh-secret-42"], None, "password", "error.required"),
    (NEW, {"x": 1}, "confirm", "error.password_mismatch"),
])
def test_password_rules(demo, password, confirm, field, key):
    token = demo.token_in(request(demo))
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        auth.reset_password(session=demo.session, token=token, password=password,
                            confirm=password if confirm is None else confirm)
    # an empty form: both fields are said at once
    assert list(info.value.fields) == ([field, "confirm"] if key == "error.required" else [field])
    assert info.value.fields[field][0] == key
    assert demo.committed_state() == before
    assert auth.password_token_valid(session=demo.session, token=token)  # not used up by a typo


def test_password_of_exactly_min_length_and_72_bytes_is_accepted(demo):
    reset(demo, demo.token_in(request(demo)), password="a1b2c3d4e5")
    assert can_login(demo, "a1b2c3d4e5")
    reset(demo, demo.token_in(request(demo)), password="é1" * 24)  # 72 bytes (48 characters)
    assert can_login(demo, "é1" * 24)


def test_reset_ends_all_sessions_of_the_account(demo):
    mine = [auth.login(session=demo.session, email=USER, password=demo.password).token for _ in range(2)]
    other = auth.login(session=demo.session, email="admin@acme.example.com", password=demo.password).token
    reset(demo, demo.token_in(request(demo)))
    assert all(auth.actor_for_token(session=demo.session, token=t) is None for t in mine)
    assert auth.actor_for_token(session=demo.session, token=other) is not None


def test_reset_clears_a_lockout(demo):
    config.update_portal_settings(session=demo.session, actor=demo.actor("staff@example.com"),
                                         data={"lockout_threshold": 1})
    auth.login(session=demo.session, email=USER, password="Wrong-pass-2026")
    assert not can_login(demo, demo.password)
    reset(demo, demo.token_in(request(demo)))
    assert can_login(demo, NEW)


def test_reset_refused_when_account_disabled_after_request(demo):
    token = demo.token_in(request(demo))
    account = demo.account(USER)
    account.enabled = False
    demo.session.add(account)
    demo.session.commit()
    before = demo.committed_state()
    with pytest.raises(NotFound):
        reset(demo, token)
    assert demo.committed_state() == before


@pytest.mark.parametrize("token", ["", "abc", None, 42, "x" * 5000, {"token": "x"}, ["x" * 40],
                                   "A" * 43])
def test_garbage_tokens_are_not_found(demo, token):
    request(demo)
    before = demo.committed_state()
    with pytest.raises(NotFound):
        reset(demo, token)
    assert demo.committed_state() == before
    assert auth.password_token_valid(session=demo.session, token=token) is False


def test_a_link_says_whether_it_sets_the_logins_first_password(demo):
    """A reset link is for a login that has a password; the link mailed with new access is for one
    without (its page says "Set your password", not "Set a new password")."""
    reset_link = auth.password_link(session=demo.session, token=demo.token_in(request(demo)))
    assert reset_link is not None and not reset_link.first and reset_link.language == "en"
    account = demo.account(USER)
    account.password_hash = None  # as when portal access has just been given
    demo.session.add(account)
    demo.session.commit()
    invite = auth.issue_set_password_link(session=demo.session, account=account)
    assert auth.password_link(session=demo.session, token=demo.token_in(invite)).first
    assert auth.password_link(session=demo.session, token="x" * 43) is None


def test_a_password_changed_while_signed_in_ends_an_earlier_reset_link(demo):
    token = demo.token_in(request(demo))  # perhaps requested by whoever the password is changed against
    auth.change_password(session=demo.session, actor=demo.actor(USER), current=demo.password, new="Changed-pass-2027",
                         confirm="Changed-pass-2027", keep_session_hash="")
    assert not auth.password_token_valid(session=demo.session, token=token)
    with pytest.raises(NotFound):
        reset(demo, token)
    assert can_login(demo, "Changed-pass-2027") and not can_login(demo, NEW)
