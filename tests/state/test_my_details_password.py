"""MyDetailsState for staff (no contact row) and the password change on "My details"."""

from __future__ import annotations

from sqlmodel import select
from statekit import EMAILS, Portal

from portal_app.db import session_scope
from portal_app.models import Account, AuthSession, OutboxMail
from portal_app.seed import DEMO_PASSWORD
from portal_app.services.accounts import auth
from portal_app.state.profile import MyDetailsState

NEW = "Fresh-pass-2027"


def _session_hashes() -> set[str]:
    with session_scope() as s:
        return {row.token_hash for row in s.exec(select(AuthSession)).all()}


def _can_sign_in(email: str, password: str) -> bool:
    with session_scope() as s:
        return auth.login(session=s, email=email, password=password).ok


def test_staff_sees_its_name_email_and_language(portal: Portal):
    inst = portal.state(MyDetailsState, "staff", url="/me")
    portal.call(inst, "load")
    assert inst.loaded and not inst.errors, inst.errors
    assert inst.account_name == "Sam Staff" and inst.account_email == EMAILS["staff"]
    assert not inst.has_contact and inst.fields == [] and inst.language_name == "English"


def test_contact_changes_its_password_and_only_this_session_stays(portal: Portal):
    inst = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(inst, "load")
    here = auth.token_hash(portal.token("acme_user"))
    with session_scope() as s:
        elsewhere = auth.token_hash(auth.login(session=s, email=EMAILS["acme_user"], password=DEMO_PASSWORD).token)
    others = _session_hashes() - {here, elsewhere}
    key = inst.password_key
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": NEW, "confirm": NEW})
    assert not inst.password_errors and inst.password_notice and inst.password_key == key + 1
    assert _session_hashes() == others | {here}
    assert _can_sign_in(EMAILS["acme_user"], NEW) and not _can_sign_in(EMAILS["acme_user"], DEMO_PASSWORD)
    assert any("password of your customer portal account" in mail for mail in portal.outbox())


def test_field_messages_and_nothing_changed(portal: Portal):
    inst = portal.state(MyDetailsState, "staff", url="/me")
    portal.call(inst, "load")
    before = portal.snapshot(ignore=("failed_logins", "failed_login_at"))
    portal.call(inst, "change_password", {"current": "", "password": NEW, "confirm": NEW})
    assert set(inst.password_errors) == {"current"}
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": "short", "confirm": "short"})
    assert set(inst.password_errors) == {"password"}
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": NEW, "confirm": "Other-pass-2027"})
    assert set(inst.password_errors) == {"confirm"}
    portal.call(inst, "change_password", {"current": "Wrong-pass-2026", "password": NEW, "confirm": NEW})
    assert inst.password_errors == {"current": "The current password is wrong."}
    assert not inst.password_notice and portal.snapshot(ignore=("failed_logins", "failed_login_at")) == before
    assert _can_sign_in(EMAILS["staff"], DEMO_PASSWORD)


def _outbox_rows() -> int:
    with session_scope() as s:
        return len(s.exec(select(OutboxMail.id)).all())


def _failed_logins(email: str) -> int:
    with session_scope() as s:
        return s.exec(select(Account.failed_logins).where(Account.email == email)).one()


def test_a_double_click_changes_the_password_once_and_answers_with_the_success(portal: Portal):
    """The second, queued submit of the same form (same submission id) must not check the old password
    against the new hash: the same success again, no second mail, no failed attempt counted."""
    inst = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(inst, "load")
    shown = inst.password_submission
    assert shown
    form = {"current": DEMO_PASSWORD, "password": NEW, "confirm": NEW, "submission_id": shown}
    portal.call(inst, "change_password", form)
    assert not inst.password_errors and inst.password_notice.startswith("Your password is changed.")
    mails = _outbox_rows()
    assert inst.password_submission and inst.password_submission != shown  # the form shown again: a new id
    portal.call(inst, "change_password", form)
    assert not inst.password_errors and inst.password_notice.startswith("Your password is changed.")
    assert _outbox_rows() == mails and _failed_logins(EMAILS["acme_user"]) == 0
    assert _can_sign_in(EMAILS["acme_user"], NEW)


def test_the_password_form_without_an_id_works_as_before_and_a_bad_id_is_refused(portal: Portal):
    inst = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(inst, "load")
    before = portal.snapshot()
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": NEW, "confirm": NEW,
                                          "submission_id": "not an id"})
    assert "form" in inst.password_errors and not inst.password_notice and portal.snapshot() == before
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": NEW, "confirm": NEW})
    assert not inst.password_errors and inst.password_notice
    # sent again without an id: nothing to compare, so the service checks (and the old password is wrong now)
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": NEW, "confirm": NEW})
    assert inst.password_errors == {"current": "The current password is wrong."} and not inst.password_notice


def test_a_long_password_and_the_current_one_get_their_field_messages_in_english_and_finnish(portal: Portal):
    """An 80-character password reaches the handler whole (the input takes 256) and is refused, not cut."""
    inst = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(inst, "load")
    assert inst.password_intro.startswith("At least 10 and at most 72 characters")  # the limit said up front
    before = portal.snapshot()
    long = "Quokka-7-" + "x" * 71
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": long, "confirm": long})
    assert inst.password_errors["password"].startswith("The password is too long: use at most 72 characters")
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": DEMO_PASSWORD,
                                          "confirm": DEMO_PASSWORD})
    assert inst.password_errors == {"password": "The new password is the same as the current one. "
                                                "Choose a different password."}
    inst.lang = "fi"
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": long, "confirm": long})
    assert inst.password_errors["password"].startswith("Salasana on liian pitkä: käytä enintään 72 merkkiä")
    portal.call(inst, "change_password", {"current": DEMO_PASSWORD, "password": DEMO_PASSWORD,
                                          "confirm": DEMO_PASSWORD})
    assert inst.password_errors == {"password": "Uusi salasana on sama kuin nykyinen. Valitse eri salasana."}
    assert not inst.password_notice and portal.snapshot() == before
    assert _can_sign_in(EMAILS["acme_user"], DEMO_PASSWORD) and not _can_sign_in(EMAILS["acme_user"], long[:72])
