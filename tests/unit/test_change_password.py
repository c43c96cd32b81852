"""auth.change_password: a signed-in user proves the current password and sets a new one."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal_app.models import AuthSession, utcnow
from portal_app.services.accounts import auth
from portal_app.services.portal import config
from portal_app.services.errors import ValidationFailed

USER = "user@acme.example.com"
NEW = "Fresh-pass-2027"


def sign_in(demo, password=None, email=USER):
    return auth.login(session=demo.session, email=email, password=password or demo.password)


def change(demo, current, new=NEW, confirm=None, keep="", email=USER):
    return auth.change_password(session=demo.session, actor=demo.actor(email), current=current, new=new,
                                confirm=NEW if confirm is None and new == NEW else (confirm or new),
                                keep_session_hash=keep)


def test_change_keeps_this_session_ends_the_others_and_mails_the_user(demo):
    here, there = sign_in(demo), sign_in(demo)
    other = sign_in(demo, email="admin@acme.example.com")
    mail = change(demo, demo.password, keep=auth.token_hash(here.token))
    assert mail["to"] == USER and "changed" in mail["subject"]
    demo.session.expire_all()
    hashes = {row.token_hash for row in demo.session.exec(select(AuthSession)).all()}
    assert hashes == {auth.token_hash(here.token), auth.token_hash(other.token)}
    assert auth.token_hash(there.token) not in hashes
    assert sign_in(demo, NEW).ok and not sign_in(demo).ok
    assert demo.account(USER).login_count == 3  # two sign-ins before, one after: the check is no login


@pytest.mark.parametrize(("current", "new", "confirm", "field"), [
    ("", NEW, NEW, "current"),
    (None, NEW, NEW, "current"),
    ({}, NEW, NEW, "current"),
    ("Demo-pass-2026", "short", "short", "password"),
    ("Demo-pass-2026", "x" * 73, "x" * 73, "password"),
    ("Demo-pass-2026", "password123", "password123", "password"),
    ("Demo-pass-2026", NEW, "Other-pass-2027", "confirm"),
    ("Demo-pass-2026", None, None, "password"),
])
def test_invalid_input_names_the_field_and_changes_nothing(demo, current, new, confirm, field):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as caught:
        auth.change_password(session=demo.session, actor=demo.actor(USER), current=current, new=new,
                             confirm=confirm, keep_session_hash="")
    assert field in caught.value.fields
    assert demo.committed_state() == before


def test_an_empty_form_names_every_field_at_once(demo):
    with pytest.raises(ValidationFailed) as caught:
        auth.change_password(session=demo.session, actor=demo.actor(USER), current="", new="", confirm="",
                             keep_session_hash="")
    assert set(caught.value.fields) == {"current", "password", "confirm"}
    with pytest.raises(ValidationFailed) as caught:  # and a too short new one beside the missing current
        auth.change_password(session=demo.session, actor=demo.actor(USER), current="", new="short", confirm="short",
                             keep_session_hash="")
    assert {name: key for name, (key, _) in caught.value.fields.items()} == {
        "current": "error.required", "password": "error.password_too_short"}


def test_a_wrong_current_password_counts_like_a_failed_sign_in_and_locks(demo):
    config.update_portal_settings(session=demo.session, actor=demo.actor("staff@example.com"),
                                         data={"lockout_threshold": "3", "lockout_minutes": "20"})
    keep = sign_in(demo)
    for _ in range(3):
        with pytest.raises(ValidationFailed) as caught:
            change(demo, "Wrong-pass-2026", keep=auth.token_hash(keep.token))
        assert caught.value.fields["current"][0] == "error.current_password_wrong"
    demo.session.expire_all()
    account = demo.account(USER)
    assert account.locked_until is not None and account.locked_until > utcnow()
    # locked: even the right password is refused, with the minutes to wait
    with pytest.raises(ValidationFailed) as caught:
        change(demo, demo.password)
    key, params = caught.value.fields["current"]
    assert key == "error.password_locked" and params["minutes"] == 20
    assert not sign_in(demo).ok


def test_a_right_current_password_clears_the_failures(demo):
    with pytest.raises(ValidationFailed):
        change(demo, "Wrong-pass-2026")
    demo.session.expire_all()
    assert demo.account(USER).failed_logins == 1
    change(demo, demo.password)
    demo.session.expire_all()
    assert demo.account(USER).failed_logins == 0


def test_staff_can_change_its_password(demo):
    change(demo, demo.password, email="staff@example.com")
    assert sign_in(demo, NEW, email="staff@example.com").ok


@pytest.mark.parametrize("new", [
    "Quokka-7-" + "x" * 71,  # 80 characters: the browser no longer cuts it at 72, so the service must refuse it
    "Quokka-7-" + "ä" * 32,  # 41 characters but 73 bytes (UTF-8): bcrypt would read only the first 72
])
def test_a_password_over_72_bytes_is_refused_with_a_message_not_cut(demo, new):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as caught:
        change(demo, demo.password, new=new)
    assert caught.value.fields["password"] == ("error.password_too_long", {"max": 72})
    assert demo.committed_state() == before
    assert sign_in(demo).ok and not sign_in(demo, new[:72]).ok


def test_a_password_of_exactly_72_bytes_is_taken_whole(demo):
    new = "Quokka-7-" + "ä" * 31 + "y"  # 72 bytes
    change(demo, demo.password, new=new)
    assert sign_in(demo, new).ok and not sign_in(demo).ok


def test_the_current_password_as_the_new_one_is_refused_and_counts_no_failure(demo):
    before = demo.committed_state()
    for _ in range(6):  # more than a lockout's worth: a right current password is no failed attempt
        with pytest.raises(ValidationFailed) as caught:
            change(demo, demo.password, new=demo.password)
        assert caught.value.fields == {"password": ("error.password_same", {})}
    assert demo.committed_state() == before
    demo.session.expire_all()
    assert demo.account(USER).failed_logins == 0 and demo.account(USER).locked_until is None
    assert sign_in(demo).ok


def test_a_wrong_current_password_is_named_before_the_same_password(demo):
    with pytest.raises(ValidationFailed) as caught:
        change(demo, "Wrong-pass-2026", new="Wrong-pass-2026")
    assert caught.value.fields["current"][0] == "error.current_password_wrong"


@pytest.mark.parametrize("new", ["x" * 72, "x" * 10, "7" * 20])
def test_one_character_repeated_is_refused_as_too_easy(demo, new):
    with pytest.raises(ValidationFailed) as caught:
        change(demo, demo.password, new=new)
    assert caught.value.fields["password"][0] == "error.password_common"
