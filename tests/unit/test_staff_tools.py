"""Staff tools: companies, login statistics, housekeeping of sessions and links."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from sqlmodel import func, select

from portal_app.i18n import DEFAULT_LANGUAGE, available_languages
from portal_app.models import AuthSession, PasswordToken, utcnow
from portal_app.services.accounts import auth
from portal_app.services.companies import directory
from portal_app.services.portal import config
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.settings import settings

STAFF = "staff@example.com"


def test_list_companies_searches_and_pages(demo):
    staff = demo.actor(STAFF)
    rows, total = directory.list_companies(session=demo.session, actor=staff)
    assert [c.name for c in rows] == ["Acme Oy", "Globex GmbH", "Partner Ltd"] and total == 3
    rows, total = directory.list_companies(session=demo.session, actor=staff, query="BERLIN")
    assert [c.name for c in rows] == ["Globex GmbH"] and total == 1
    rows, total = directory.list_companies(session=demo.session, actor=staff, offset=1, limit=1)
    assert [c.name for c in rows] == ["Globex GmbH"] and total == 3


def test_list_companies_refuses_an_overlong_search(demo):
    with pytest.raises(ValidationFailed) as info:
        directory.list_companies(session=demo.session, actor=demo.actor(STAFF), query="x" * 100_000)
    assert "q" in info.value.fields


def test_create_company_validates_and_normalises(demo):
    staff = demo.actor(STAFF)
    company = directory.create_company(session=demo.session, actor=staff,
                                       data={"name": " Initech ", "website": "initech.example.com"})
    assert (company.name, company.website) == ("Initech", "https://initech.example.com")
    before = demo.committed_state()
    for data, field in (({"name": ""}, "name"), ({}, "name"), ({"name": "X", "website": "no"}, "website"),
                        ({"name": "x" * 201}, "name"), ({"name": "X", "business_id": "1" * 41}, "business_id")):
        with pytest.raises(ValidationFailed) as info:
            directory.create_company(session=demo.session, actor=staff, data=data)
        assert field in info.value.fields
    assert demo.committed_state() == before


def test_update_company_changes_only_given_fields(demo):
    acme = demo.company("Acme Oy")
    before = acme.model_dump()
    saved = directory.update_company(session=demo.session, actor=demo.actor(STAFF), company_id=str(acme.id),
                                     data={"city": "Tampere", "unknown": "ignored"})
    after = saved.model_dump()
    assert after["city"] == "Tampere" and after["updated_at"] >= before["updated_at"]
    assert {k: v for k, v in after.items() if k not in ("city", "updated_at")} == \
        {k: v for k, v in before.items() if k not in ("city", "updated_at")}


def test_login_statistics_counts_searches_and_pages(demo):
    staff = demo.actor(STAFF)
    for _ in range(3):
        auth.login(session=demo.session, email="user@acme.example.com", password=demo.password)
    stats, total = auth.login_statistics(session=demo.session, actor=staff)
    assert total == 7  # every enabled account of the demo data
    assert stats[0].email == "user@acme.example.com" and stats[0].login_count == 3  # last login first
    assert stats[0].company == "Acme Oy" and stats[0].name == "Ville Korhonen"

    stats, total = auth.login_statistics(session=demo.session, actor=staff, query="globex")
    assert total == 2 and {s.email for s in stats} == {"admin@globex.example.com", "hans.mueller@globex.example.com"}
    stats, total = auth.login_statistics(session=demo.session, actor=staff, query="Sam Staff")
    assert [s.kind for s in stats] == ["staff"]
    stats, total = auth.login_statistics(session=demo.session, actor=staff, limit=2, offset=6)
    assert len(stats) == 1 and total == 7


def test_login_statistics_list_disabled_accounts_last_with_their_status(demo):
    """Issue 9 item 14: a status column (active, locked, disabled); disabled ones after the others."""
    directory.set_portal_access(session=demo.session, actor=demo.actor(STAFF),
                                contact_id=demo.contact("user@acme.example.com").id, enabled=False)
    config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF), data={"lockout_threshold": "1"})
    auth.login(session=demo.session, email="liisa.makinen@acme.example.com", password="Wrong-pass-2026")
    stats, total = auth.login_statistics(session=demo.session, actor=demo.actor(STAFF), query="acme")
    assert total == 3 and stats[-1].email == "user@acme.example.com"
    assert {s.email: s.status for s in stats} == {"admin@acme.example.com": "active",
                                                  "liisa.makinen@acme.example.com": "locked",
                                                  "user@acme.example.com": "disabled"}
    assert {s.company_id for s in stats} == {demo.company("Acme Oy").id}
    staff, = auth.login_statistics(session=demo.session, actor=demo.actor(STAFF), query="Sam Staff")[0]
    assert staff.company_id is None and staff.status == "active"
    # given access, its set-password link not used yet: "invited", not a working login
    directory.set_portal_access(session=demo.session, actor=demo.actor(STAFF),
                                contact_id=demo.contact("pekka.nieminen@acme.example.com").id, enabled=True)
    pekka, = auth.login_statistics(session=demo.session, actor=demo.actor(STAFF), query="pekka")[0]
    assert pekka.status == "invited" and pekka.login_count == 0


def test_staff_disables_an_account_and_its_sessions_end(demo):
    token = auth.login(session=demo.session, email="user@acme.example.com", password=demo.password).token
    account_id = demo.account("user@acme.example.com").id
    for who in ("admin@acme.example.com", "user@acme.example.com"):
        before = demo.committed_state()
        with pytest.raises(PermissionDenied):
            auth.disable_account(session=demo.session, actor=demo.actor(who), account_id=account_id)
        assert demo.committed_state() == before
    with pytest.raises(PermissionDenied):  # not oneself
        auth.disable_account(session=demo.session, actor=demo.actor(STAFF), account_id=demo.account(STAFF).id)
    with pytest.raises(NotFound):
        auth.disable_account(session=demo.session, actor=demo.actor(STAFF), account_id=987654)
    auth.disable_account(session=demo.session, actor=demo.actor(STAFF), account_id=account_id)
    assert auth.actor_for_token(session=demo.session, token=token) is None
    assert not auth.login(session=demo.session, email="user@acme.example.com", password=demo.password).ok


def test_purge_expired_removes_only_what_is_over(demo):
    now = utcnow()
    live = auth.login(session=demo.session, email="user@acme.example.com", password=demo.password, now=now).token
    auth.login(session=demo.session, email="admin@acme.example.com", password=demo.password,
               now=now - timedelta(hours=settings.session_hours + 1))
    auth.request_password_reset(session=demo.session, email="user@acme.example.com")

    assert auth.purge_expired(session=demo.session, now=now) == 1
    assert demo.session.exec(select(func.count()).select_from(AuthSession)).one() == 1
    assert auth.actor_for_token(session=demo.session, token=live) is not None
    assert demo.session.exec(select(func.count()).select_from(PasswordToken)).one() == 1
    # a link is kept a week after it expires, then purged
    auth.purge_expired(session=demo.session, now=now + timedelta(days=8))
    assert demo.session.exec(select(func.count()).select_from(PasswordToken)).one() == 0


def test_set_language(demo):
    other = next((code for code in available_languages() if code != DEFAULT_LANGUAGE), DEFAULT_LANGUAGE)
    actor = demo.actor("user@acme.example.com")
    auth.set_language(session=demo.session, actor=actor, language=other)
    assert demo.actor("user@acme.example.com").language == other
    with pytest.raises(ValidationFailed):
        auth.set_language(session=demo.session, actor=actor, language="xx")


def test_search_takes_like_wildcards_literally(demo):
    """'%' and '_' typed into a search box match themselves, not anything."""
    staff = demo.actor("staff@example.com")
    companies, total = directory.list_companies(session=demo.session, actor=staff, query="%")
    assert (companies, total) == ([], 0)
    stats, total = auth.login_statistics(session=demo.session, actor=staff, query="_")
    assert (stats, total) == ([], 0)
    acme = demo.company("Acme Oy")
    admin = demo.actor("admin@acme.example.com")
    assert directory.list_contacts(session=demo.session, actor=admin, query="%") == []
    assert directory.list_contacts(session=demo.session, actor=staff, company_id=acme.id, query="a%") == []
    assert len(directory.list_contacts(session=demo.session, actor=admin, query="virtanen")) == 1


def test_housekeeping_removes_expired_sessions_and_unsent_files(tickets_demo, monkeypatch):
    """The hourly task: sessions past expiry, files staged but never sent for a day, and files no
    row names (an upload cut off by a restart) go; the search index is merged."""
    from datetime import timedelta as td

    from portal_app import maintenance
    from portal_app.models import Attachment
    from portal_app.services.tickets import attachments

    demo = tickets_demo
    demo.make_ticket("user@acme.example.com", "First")
    demo.make_ticket("user@acme.example.com", "Second")  # two transactions, two index segments
    user = demo.actor("user@acme.example.com")
    writer = attachments.AttachmentWriter("old.txt")
    writer.write(b"never sent")
    old = writer.finish(session=demo.session, actor=user, staged_for="new")
    old.created_at = utcnow() - td(days=2)
    demo.session.add(old)
    fresh_writer = attachments.AttachmentWriter("new.txt")
    fresh_writer.write(b"still being written about")
    fresh = fresh_writer.finish(session=demo.session, actor=user, staged_for="new")
    cut_off = attachments.AttachmentWriter("cut-off.txt")
    cut_off.write(b"half of it")  # ...and the server restarts: no row, a partial file
    cut_off._file.close()
    an_hour_ago = time.time() - 3700
    os.utime(cut_off.temp_path, (an_hour_ago, an_hour_ago))
    token = auth.login(session=demo.session, email="user@acme.example.com", password=demo.password).token
    demo.session.exec(select(AuthSession)).one().expires_at = utcnow() - td(minutes=1)
    demo.session.commit()

    class Scope:
        def __enter__(self):
            return demo.session

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(maintenance, "session_scope", Scope)
    sessions, files, orphans, merges = maintenance.run_once()
    assert (sessions, files, orphans) == (1, 1, 1)
    assert not cut_off.temp_path.exists()
    assert merges >= 1
    assert demo.session.get(Attachment, fresh.id) is not None
    assert demo.session.get(Attachment, old.id) is None
    assert not (attachments.storage_dir() / old.stored_name).exists()
    assert auth.actor_for_token(session=demo.session, token=token) is None
