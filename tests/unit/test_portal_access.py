"""directory.set_portal_access and send_set_password_link: accounts, set-password mails, profiles."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from portal_app.models import Account, AccountKind, Contact, OutboxMail, PasswordToken, utcnow
from portal_app.services.accounts import auth
from portal_app.i18n import translate
from portal_app.services import submissions
from portal_app.services.companies import directory
from portal_app.services.actor import build_actor
from portal_app.services.errors import NotFound, ValidationFailed
from portal_app.settings import settings
from racing import at_once

ADMIN = "admin@acme.example.com"
PEKKA = "pekka.nieminen@acme.example.com"  # Acme contact with an email and no account
NEW = "Fresh-secret-42"
TOKEN_IN_LINK = re.compile(r"reset-password\?token=([A-Za-z0-9_\-]+)")


def give(demo, email=PEKKA, *, actor=ADMIN, contact_id=None, **kwargs):
    return directory.set_portal_access(session=demo.session, actor=demo.actor(actor),
                                       contact_id=contact_id or demo.contact(email).id, enabled=True, **kwargs)


def remove(demo, email, *, actor=ADMIN):
    return directory.set_portal_access(session=demo.session, actor=demo.actor(actor),
                                       contact_id=demo.contact(email).id, enabled=False)


def find_account(demo, email):
    demo.session.expire_all()
    return demo.session.exec(select(Account).where(Account.email == email)).first()


def test_giving_access_creates_an_account_and_a_working_set_password_link(demo):
    mail = give(demo)
    assert mail is not None and mail["to"] == PEKKA
    account = find_account(demo, PEKKA)
    assert account.enabled and account.kind == AccountKind.CONTACT and account.password_hash is None
    assert account.contact_id == demo.contact(PEKKA).id
    assert not auth.login(session=demo.session, email=PEKKA, password="").ok

    auth.reset_password(session=demo.session, token=demo.token_in(mail), password=NEW, confirm=NEW)
    result = auth.login(session=demo.session, email=PEKKA, password=NEW)
    assert result.ok and result.actor.company_id == demo.company("Acme Oy").id


def test_new_user_gets_the_default_profile(demo):
    default = demo.profile("Basic")
    assert default.is_default
    give(demo)
    demo.session.expire_all()
    assert demo.contact(PEKKA).profile_id == default.id


def test_existing_profile_is_kept(demo):
    primary = demo.profile("Primary contact")
    demo.use_profile(PEKKA, primary)
    give(demo)
    demo.session.expire_all()
    assert demo.contact(PEKKA).profile_id == primary.id


def test_staff_may_choose_the_profile_and_admin_flag(demo):
    primary = demo.profile("Primary contact")
    give(demo, actor="staff@example.com", profile_id=primary.id, admin=True)
    demo.session.expire_all()
    contact = demo.contact(PEKKA)
    assert (contact.profile_id, contact.portal_admin) == (primary.id, True)


def test_staff_unknown_profile_is_refused(demo):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        give(demo, actor="staff@example.com", profile_id=999_999)
    assert "profile_id" in info.value.fields
    assert demo.committed_state() == before


def test_email_is_required(demo):
    sanna = demo.session.exec(select(Contact).where(Contact.last_name == "Laine")).one()
    assert sanna.email == ""
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        give(demo, contact_id=sanna.id)
    assert info.value.fields == {"portal_access": ("error.access_needs_email", {})}  # said on the contact's row
    assert demo.committed_state() == before


def test_email_must_be_valid(demo):
    contact = demo.make_contact(demo.company("Acme Oy"), "Bad", "Mail", "not-an-email")
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        give(demo, contact_id=contact.id)
    assert info.value.fields["portal_access"][0] == "error.access_bad_email"
    assert demo.committed_state() == before


@pytest.mark.parametrize(("email", "key"), [("user@acme.example.com", "error.access_email_taken"),
                                            ("USER@acme.example.com", "error.access_email_taken"),
                                            ("admin@globex.example.com", "error.access_email_unavailable"),
                                            ("staff@example.com", "error.access_email_unavailable")])
def test_email_must_be_unique_among_accounts(demo, email, key):
    """Also across companies and against staff: the email is the login name. A colleague's login is
    named; another company's or staff's only as an address that cannot be used."""
    twin = demo.make_contact(demo.company("Acme Oy"), "Twin", "Mail", email)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        give(demo, contact_id=twin.id)
    assert info.value.fields["portal_access"][0] == key
    assert demo.committed_state() == before


@pytest.mark.parametrize("email", ["admin@globex.example.com", "staff@example.com", "user@acme.example.com"])
def test_staff_are_told_whose_login_an_email_is(demo, email):
    twin = demo.make_contact(demo.company("Acme Oy"), "Twin", "Mail", email)
    with pytest.raises(ValidationFailed) as info:
        give(demo, contact_id=twin.id, actor="staff@example.com")
    assert info.value.fields["portal_access"][0] == "error.access_email_taken"


def test_account_email_is_stored_lower_case(demo):
    contact = demo.make_contact(demo.company("Acme Oy"), "Upper", "Case", "Upper.Case@Acme.Example.com")
    mail = give(demo, contact_id=contact.id)
    assert mail["to"] == "upper.case@acme.example.com"
    assert find_account(demo, "upper.case@acme.example.com") is not None


def test_inactive_contact_cannot_get_access(demo):
    pekka = demo.contact(PEKKA)
    pekka.is_active = False
    demo.session.add(pekka)
    demo.session.commit()
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        give(demo)
    assert info.value.fields["portal_access"][0] == "error.contact_inactive"
    assert demo.committed_state() == before


def test_removing_access_disables_the_account_and_ends_its_sessions(demo):
    liisa = "liisa.makinen@acme.example.com"
    token = auth.login(session=demo.session, email=liisa, password=demo.password).token
    assert remove(demo, liisa) is None
    assert find_account(demo, liisa).enabled is False
    assert auth.actor_for_token(session=demo.session, token=token) is None
    assert not auth.login(session=demo.session, email=liisa, password=demo.password).ok
    assert auth.request_password_reset(session=demo.session, email=liisa) is None
    # the contact itself stays in the CRM
    demo.session.expire_all()
    assert demo.contact(liisa).is_active
    # giving access back does not bring the old browser session back
    give(demo, liisa)
    assert find_account(demo, liisa).enabled
    assert auth.actor_for_token(session=demo.session, token=token) is None


def test_outstanding_link_dies_with_the_access(demo):
    mail = give(demo)
    remove(demo, PEKKA)
    with pytest.raises(NotFound):
        auth.reset_password(session=demo.session, token=demo.token_in(mail), password=NEW, confirm=NEW)


def test_giving_access_again_reenables_and_sends_a_new_link(demo):
    liisa = "liisa.makinen@acme.example.com"
    remove(demo, liisa)
    mail = give(demo, liisa)
    assert mail is not None and mail["to"] == liisa
    assert find_account(demo, liisa).enabled
    accounts = demo.session.exec(select(Account).where(Account.email == liisa)).all()
    assert len(accounts) == 1


def test_giving_access_to_a_user_who_has_it_sends_nothing(demo):
    assert give(demo, "liisa.makinen@acme.example.com") is None


def test_send_set_password_link_works_once_and_replaces_the_previous(demo):
    first = give(demo)
    second = directory.send_set_password_link(session=demo.session, actor=demo.actor(ADMIN),
                                              contact_id=demo.contact(PEKKA).id)
    with pytest.raises(NotFound):
        auth.reset_password(session=demo.session, token=demo.token_in(first), password=NEW, confirm=NEW)
    auth.reset_password(session=demo.session, token=demo.token_in(second), password=NEW, confirm=NEW)
    assert auth.login(session=demo.session, email=PEKKA, password=NEW).ok


def test_send_set_password_link_needs_portal_access(demo):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        directory.send_set_password_link(session=demo.session, actor=demo.actor(ADMIN),
                                         contact_id=demo.contact(PEKKA).id)
    assert info.value.fields["portal_access"][0] == "error.no_portal_access"
    assert demo.committed_state() == before


def test_admin_flag_from_company_admin(demo):
    give(demo, admin=True)
    actor = demo.actor(PEKKA)
    assert actor.is_company_admin


def test_set_password_link_expires_after_activation_hours(demo):
    token = demo.token_in(give(demo))
    expiry = utcnow() + timedelta(hours=settings.activation_token_hours)
    with pytest.raises(NotFound):
        auth.reset_password(session=demo.session, token=token, password=NEW, confirm=NEW,
                            now=expiry + timedelta(seconds=1))
    auth.reset_password(session=demo.session, token=token, password=NEW, confirm=NEW,
                        now=expiry - timedelta(minutes=1))
    assert auth.login(session=demo.session, email=PEKKA, password=NEW).ok


@pytest.mark.parametrize(("email", "key"), [("user@acme.example.com", "error.email_taken"),
                                            ("USER@Acme.example.com", "error.email_taken"),
                                            ("admin@globex.example.com", "error.email_unavailable"),
                                            ("staff@example.com", "error.email_unavailable")])
def test_a_new_contact_cannot_take_a_logins_email(demo, email, key):
    """The email is the login name: a contact added with another login's email is refused, nothing
    saved. A company admin is told that a colleague signs in with it, but not that someone of
    another company (or staff) does: that address is only one that cannot be used."""
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        directory.create_contact(session=demo.session, actor=demo.actor("admin@acme.example.com"),
                                 data={"first_name": "Twin", "last_name": "Mail", "email": email})
    assert info.value.fields["email"][0] == key
    assert demo.committed_state() == before


@pytest.mark.parametrize("actor", [ADMIN, "staff@example.com"])
def test_a_colleagues_email_is_refused_for_a_new_or_edited_contact(demo, actor):
    """Pekka has no login yet; a second Acme contact with his address would be the same person twice,
    and whichever got portal access first would keep the other from it for good."""
    acme = demo.company("Acme Oy").id
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        directory.create_contact(session=demo.session, actor=demo.actor(actor), company_id=acme,
                                 data={"first_name": "Qa", "last_name": "Dupe", "email": PEKKA.upper()})
    assert info.value.fields == {"email": ("error.email_colleague", {})}
    assert demo.committed_state() == before
    other = directory.create_contact(session=demo.session, actor=demo.actor(actor), company_id=acme,
                                     data={"first_name": "Qa", "last_name": "Other", "email": "qa.other@acme.example.com"})
    with pytest.raises(ValidationFailed) as info:
        directory.update_contact(session=demo.session, actor=demo.actor(actor), contact_id=other.id,
                                 data={"email": PEKKA})
    assert info.value.fields == {"email": ("error.email_colleague", {})}
    kept = directory.update_contact(session=demo.session, actor=demo.actor(actor), contact_id=other.id,
                                    data={"email": "qa.other@acme.example.com", "last_name": "Renamed"})
    assert kept.last_name == "Renamed"  # its own address is no colleague's
    assert give(demo).get("to") == PEKKA  # and Pekka can still be given access


def test_another_companys_contact_may_share_an_address_without_a_login(demo):
    """The same outside consultant can be a contact of two customers; only a login's email is unique."""
    globex = demo.company("Globex GmbH").id
    twin = directory.create_contact(session=demo.session, actor=demo.actor("staff@example.com"), company_id=globex,
                                    data={"first_name": "Pekka", "last_name": "Nieminen", "email": PEKKA})
    assert twin.company_id == globex


def test_a_company_admin_cannot_give_a_login_to_an_address_another_company_listed_first(demo):
    """Globex's admin copies Acme's Pekka (no login yet) into Globex: Globex cannot give that copy a
    login (its set-password mail would reach Acme's Pekka, and Acme could never give Pekka access);
    Acme, which listed Pekka first, still can. Staff decide between two companies."""
    pekka = demo.contact(PEKKA).id
    copy = directory.create_contact(session=demo.session, actor=demo.actor("admin@globex.example.com"),
                                    data={"first_name": "Pekka", "last_name": "Copy", "email": PEKKA.upper()})
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        give(demo, contact_id=copy.id, actor="admin@globex.example.com")
    assert info.value.fields == {"portal_access": ("error.access_email_unavailable", {})}
    assert demo.committed_state() == before  # no login, no mail
    assert give(demo, contact_id=pekka).get("to") == PEKKA  # Acme's own Pekka gets the login
    assert find_account(demo, PEKKA).contact_id == pekka


def test_staff_may_give_a_login_to_an_address_another_company_listed_first(demo):
    copy = directory.create_contact(session=demo.session, actor=demo.actor("staff@example.com"),
                                    company_id=demo.company("Globex GmbH").id,
                                    data={"first_name": "Pekka", "last_name": "Consultant", "email": PEKKA})
    assert give(demo, contact_id=copy.id, actor="staff@example.com").get("to") == PEKKA


def test_staff_choosing_a_profile_with_a_taken_email_saves_nothing(demo):
    twin = demo.make_contact(demo.company("Acme Oy"), "Twin", "Mail", "user@acme.example.com")
    before = demo.committed_state()
    with pytest.raises(ValidationFailed):
        give(demo, contact_id=twin.id, actor="staff@example.com", profile_id=demo.profile("Basic").id)
    assert demo.committed_state() == before


# --- one-time submission ids: a double click gives access once, files a contact once ------------


def test_the_same_give_access_click_sent_twice_mails_once_and_the_link_stays_valid(demo):
    sid = submissions.new_submission_id()
    mail = give(demo, submission_id=sid)
    assert give(demo, submission_id=sid) is None  # the second sending: nothing new, no mail
    token = demo.token_in(mail)
    assert auth.password_token_valid(session=demo.session, token=token)
    demo.session.expire_all()
    assert len(demo.session.exec(select(PasswordToken)).all()) == 1
    auth.reset_password(session=demo.session, token=token, password=NEW, confirm=NEW)
    assert auth.login(session=demo.session, email=PEKKA, password=NEW).ok


def test_a_new_give_access_click_or_none_still_acts(demo):
    give(demo, submission_id=submissions.new_submission_id())
    remove(demo, PEKKA)
    assert give(demo, submission_id=submissions.new_submission_id()) is not None  # a new click after removal
    remove(demo, PEKKA)
    assert give(demo) is not None  # callers without a click id act as before
    assert find_account(demo, PEKKA).enabled


def test_a_refused_give_access_does_not_use_up_the_click(demo):
    sid = submissions.new_submission_id()
    sanna = demo.session.exec(select(Contact).where(Contact.last_name == "Laine")).one()  # no email
    with pytest.raises(ValidationFailed):
        give(demo, contact_id=sanna.id, submission_id=sid)
    sanna.email = "sanna.laine@acme.example.com"
    demo.session.add(sanna)
    demo.session.commit()
    assert give(demo, contact_id=sanna.id, submission_id=sid) is not None


@pytest.mark.parametrize("sid", ["short", "x" * 65, 12345678901234567, ["a" * 20]])
def test_a_malformed_click_id_is_refused(demo, sid):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed):
        give(demo, submission_id=sid)
    assert demo.committed_state() == before


def add(demo, sid=None, *, actor=ADMIN, email="testi.kollega@acme.example.com", **extra):
    return directory.create_contact(session=demo.session, actor=demo.actor(actor),
                                    data={"first_name": "Testi", "last_name": "Kollega", "email": email},
                                    submission_id=sid, **extra)


def kollegas(demo) -> int:
    demo.session.expire_all()
    return len(demo.session.exec(select(Contact).where(Contact.last_name == "Kollega")).all())


def test_the_same_add_contact_form_sent_twice_files_one_contact(demo):
    sid = submissions.new_submission_id()
    first = add(demo, sid)
    again = add(demo, sid)
    assert again.id == first.id and first.submission_id == sid and kollegas(demo) == 1
    add(demo, submissions.new_submission_id(), email="testi.kollega2@acme.example.com")  # a new form: a new contact
    add(demo, email="testi.kollega3@acme.example.com")  # as is one sent without an id
    assert kollegas(demo) == 3
    with pytest.raises(ValidationFailed):  # a new form with the first one's address: the same person again
        add(demo, submissions.new_submission_id())
    assert kollegas(demo) == 3


def test_an_add_contact_id_of_another_company_is_refused(demo):
    sid = submissions.new_submission_id()
    add(demo, sid)
    with pytest.raises(ValidationFailed):
        add(demo, sid, actor="staff@example.com", company_id=demo.company("Globex GmbH").id)
    assert kollegas(demo) == 1


# --- at the same moment: real threads, each with its own session ------------------------------------


def _actor(session, email=ADMIN):
    return build_actor(session, session.exec(select(Account).where(Account.email == email)).one())


def test_the_same_give_access_click_sent_at_once_mails_once(racing_engine):
    with Session(racing_engine) as session:
        contact = session.exec(select(Contact).where(Contact.email == "testi.kollega@acme.example.com")).first()
        if contact is None:  # one database per module on PostgreSQL: a contact of this test's own
            contact = directory.create_contact(session=session, actor=_actor(session),
                                               data={"first_name": "Testi", "last_name": "Kollega",
                                                     "email": "testi.kollega@acme.example.com"})
        contact_id = contact.id
    sid = submissions.new_submission_id()

    def send(session):
        return directory.set_portal_access(session=session, actor=_actor(session), contact_id=contact_id,
                                           enabled=True, submission_id=sid)

    mails = [m for m in at_once(racing_engine, 5, send) if m is not None]
    assert len(mails) == 1
    with Session(racing_engine) as session:
        assert auth.password_token_valid(session=session, token=TOKEN_IN_LINK.search(mails[0]["body"]).group(1))
        account = session.exec(select(Account).where(Account.contact_id == contact_id)).one()
        assert len(session.exec(select(PasswordToken).where(PasswordToken.account_id == account.id)).all()) == 1


def test_the_same_send_link_click_sent_at_once_mails_once(racing_engine):
    with Session(racing_engine) as session:
        contact_id = session.exec(select(Contact).where(Contact.email == "user@acme.example.com")).one().id
    sid = submissions.new_submission_id()

    def send(session):
        return directory.send_set_password_link(session=session, actor=_actor(session), contact_id=contact_id,
                                                submission_id=sid)

    mails = [m for m in at_once(racing_engine, 5, send) if m is not None]
    assert len(mails) == 1
    with Session(racing_engine) as session:  # the one mail's link is the valid one
        assert auth.password_token_valid(session=session, token=TOKEN_IN_LINK.search(mails[0]["body"]).group(1))


def test_the_same_add_contact_form_sent_at_once_files_one(racing_engine):
    sid = submissions.new_submission_id()

    def send(session):
        return directory.create_contact(session=session, actor=_actor(session),
                                        data={"first_name": "Racing", "last_name": sid,
                                              "email": "racing@acme.example.com"}, submission_id=sid).id

    assert len(set(at_once(racing_engine, 5, send))) == 1
    with Session(racing_engine) as session:
        assert len(session.exec(select(Contact).where(Contact.last_name == sid)).all()) == 1


def test_a_link_mailed_to_a_mistyped_address_dies_when_the_email_is_corrected(demo):
    """The admin gives access to a typo, then fixes the email: the link in the typo's mailbox no longer
    sets the password of the login that now has the right address; a new link to it does."""
    typo, right = "pekka.nieminen@acme.exmaple.com", "pekka.typo.fixed@acme.example.com"
    contact = demo.contact(PEKKA)
    directory.update_contact(session=demo.session, actor=demo.actor(ADMIN), contact_id=contact.id,
                             data={"email": typo})
    old_mail = give(demo, typo)
    directory.update_contact(session=demo.session, actor=demo.actor(ADMIN), contact_id=contact.id,
                             data={"email": right})
    assert not auth.password_token_valid(session=demo.session, token=demo.token_in(old_mail))
    with pytest.raises(NotFound):  # "This link is invalid or has expired"
        auth.reset_password(session=demo.session, token=demo.token_in(old_mail), password=NEW, confirm=NEW)
    assert not auth.login(session=demo.session, email=right, password=NEW).ok
    new_mail = directory.send_set_password_link(session=demo.session, actor=demo.actor(ADMIN), contact_id=contact.id)
    assert new_mail["to"] == right
    auth.reset_password(session=demo.session, token=demo.token_in(new_mail), password=NEW, confirm=NEW)
    assert auth.login(session=demo.session, email=right, password=NEW).ok


def test_access_given_again_does_not_bring_back_the_old_password(demo):
    """Access removed, the contact reused for a successor (or the same person), access given again:
    only the link just mailed sets a password; the one from before signs nobody in."""
    contact_id = demo.contact(PEKKA).id
    auth.reset_password(session=demo.session, token=demo.token_in(give(demo)), password=NEW, confirm=NEW)
    assert auth.login(session=demo.session, email=PEKKA, password=NEW).ok
    remove(demo, PEKKA)
    successor = "successor.person@acme.example.com"
    directory.update_contact(session=demo.session, actor=demo.actor(ADMIN), contact_id=contact_id,
                             data={"first_name": "Successor", "email": successor})
    mail = give(demo, successor)
    assert mail["to"] == successor and find_account(demo, successor).password_hash is None
    assert not auth.login(session=demo.session, email=successor, password=NEW).ok
    auth.reset_password(session=demo.session, token=demo.token_in(mail), password="Successor-pass-1",
                        confirm="Successor-pass-1")
    assert auth.login(session=demo.session, email=successor, password="Successor-pass-1").ok


def test_a_new_login_starts_in_the_language_of_whoever_gave_it(demo):
    """A company admin working in German gives access: the set-password mail is German, and so is the
    login until its person picks another. Given by staff: the language most of the company's logins use."""
    admin = demo.account(ADMIN)
    admin.language = "de"
    demo.session.add(admin)
    demo.session.commit()
    mail = give(demo)
    assert find_account(demo, PEKKA).language == "de"
    assert mail["subject"] == translate("de", "mail.activate.subject") != translate("en", "mail.activate.subject")

    demo.session.exec(update(Account).where(Account.kind == AccountKind.CONTACT).values(language="fi"))
    demo.session.commit()
    newcomer = directory.create_contact(session=demo.session, actor=demo.actor("staff@example.com"),
                                        company_id=demo.company("Acme Oy").id,
                                        data={"first_name": "Uusi", "last_name": "Henkilö",
                                              "email": "uusi@acme.example.com"})
    mail = give(demo, "uusi@acme.example.com", actor="staff@example.com", contact_id=newcomer.id)
    assert find_account(demo, "uusi@acme.example.com").language == "fi"
    assert mail["subject"] == translate("fi", "mail.activate.subject")

    # a new company's first login, given by staff working in German: German, not the portal's default
    staff = demo.account("staff@example.com")
    staff.language = "de"
    demo.session.add(staff)
    demo.session.commit()
    company = directory.create_company(session=demo.session, actor=demo.actor("staff@example.com"),
                                       data={"name": "Muster GmbH"})
    first = directory.create_contact(session=demo.session, actor=demo.actor("staff@example.com"),
                                     company_id=company.id, data={"first_name": "Klaus", "last_name": "Becker",
                                                                  "email": "klaus@muster.example.com"})
    mail = give(demo, "klaus@muster.example.com", actor="staff@example.com", contact_id=first.id)
    assert find_account(demo, "klaus@muster.example.com").language == "de"
    assert mail["subject"] == translate("de", "mail.activate.subject")


USER = "user@acme.example.com"  # Acme's basic contact: signs in with a password


def test_a_company_admin_cannot_point_a_colleagues_working_login_elsewhere(demo):
    """Else the admin could reset the password at the new address and sign in as the colleague, with
    the colleague's profile, unseen. Staff can; the old and the new address are both told."""
    ville = demo.contact(USER)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as info:
        directory.update_contact(session=demo.session, actor=demo.actor(ADMIN), contact_id=ville.id,
                                 data={"email": "attacker@example.net"})
    assert info.value.fields == {"email": ("error.email_signs_in", {})}
    assert demo.committed_state() == before and find_account(demo, USER) is not None
    kept = directory.update_contact(session=demo.session, actor=demo.actor(ADMIN), contact_id=ville.id,
                                    data={"email": USER, "job_title": "Buyer"})
    assert kept.job_title == "Buyer"  # the rest of the colleague's details stay the admin's to correct

    moved = "ville.k@acme.example.com"
    directory.update_contact(session=demo.session, actor=demo.actor("staff@example.com"), contact_id=ville.id,
                             data={"email": moved})
    assert find_account(demo, moved) is not None and find_account(demo, USER) is None
    notices = demo.session.exec(select(OutboxMail).where(OutboxMail.subject == translate(
        "en", "mail.login_email_changed.subject"))).all()
    assert sorted(m.to for m in notices) == sorted([USER, moved])
    assert all(USER in m.body and moved in m.body for m in notices)


def test_with_access_removed_the_admin_may_reuse_the_contact(demo):
    """A successor: access removed, the address changed, access given again (a new password is set
    through the link; the old one signs nobody in)."""
    ville = demo.contact(USER)
    remove(demo, USER)
    directory.update_contact(session=demo.session, actor=demo.actor(ADMIN), contact_id=ville.id,
                             data={"email": "successor.two@acme.example.com"})
    assert find_account(demo, "successor.two@acme.example.com") is not None
