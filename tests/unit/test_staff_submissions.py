"""Staff's "New company" and "Create event" forms sent twice (a double click, an event resent after a
reconnect) create one company or one event: the form's submission id is kept on the row under a
unique index; a repeat answers with the first's row, and sendings at the same moment meet at the
index (real threads, on a SQLite file and on a real PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from portal_app.models import Account, Company, Event
from portal_app.models.common import utcnow
from portal_app.services import submissions
from portal_app.services.companies import directory
from portal_app.services.actor import build_actor
from portal_app.services.errors import ValidationFailed
from portal_app.services.events import admin as event_admin
from demo_people import STAFF
from racing import at_once


def event_data(title: str = "Roadmap day") -> dict:
    start = utcnow() + timedelta(days=9)
    return {"title": title, "capacity": 10, "starts_at": start, "ends_at": start + timedelta(hours=2),
            "time_zone": "Europe/Helsinki"}


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_the_same_new_company_form_sent_twice_files_one_company(demo):
    staff, sid = demo.actor(STAFF), submissions.new_submission_id()
    before = count(demo.session, Company)
    first = directory.create_company(session=demo.session, actor=staff, data={"name": "Initech"}, submission_id=sid)
    again = directory.create_company(session=demo.session, actor=staff, data={"name": "Initech"}, submission_id=sid)
    assert again.id == first.id and first.submission_id == sid
    assert count(demo.session, Company) == before + 1
    # a new form is a new company (not one of the same name: that one is refused at its name), and
    # callers without a form (seed, imports) send none
    with pytest.raises(ValidationFailed) as taken:
        directory.create_company(session=demo.session, actor=staff, data={"name": "initech "},
                                 submission_id=submissions.new_submission_id())
    assert taken.value.fields["name"] == ("error.company_name_taken", {})
    other = directory.create_company(session=demo.session, actor=staff, data={"name": "Initech Espoo"},
                                     submission_id=submissions.new_submission_id())
    plain = [directory.create_company(session=demo.session, actor=staff, data={"name": f"Initech {n}"}) for n in (1, 2)]
    assert len({first.id, other.id, *(c.id for c in plain)}) == 4


def test_a_company_name_in_other_capitals_is_taken_beyond_a_to_z(demo):
    staff = demo.actor(STAFF)
    first = directory.create_company(session=demo.session, actor=staff, data={"name": "Äänekoski Öljy Oy"})
    for same in ("äänekoski öljy oy", "ÄÄNEKOSKI ÖLJY OY", " Äänekoski Öljy Oy "):
        with pytest.raises(ValidationFailed) as taken:
            directory.create_company(session=demo.session, actor=staff, data={"name": same})
        assert taken.value.fields["name"] == ("error.company_name_taken", {}), same
    directory.update_company(session=demo.session, actor=staff, company_id=first.id,
                             data={"name": "ÄÄNEKOSKI ÖLJY OY"})  # its own name, in other capitals
    assert directory.create_company(session=demo.session, actor=staff, data={"name": "Äänekoski Öljy Ab"}).id


def test_a_company_name_or_business_id_another_company_has_is_refused_without_naming_it(demo):
    staff = demo.actor(STAFF)
    acme = demo.company("Acme Oy")
    with pytest.raises(ValidationFailed) as taken:
        directory.create_company(session=demo.session, actor=staff,
                                 data={"name": "Acme Two Oy", "business_id": acme.business_id, "country": acme.country})
    assert taken.value.fields["business_id"] == ("error.business_id_taken", {})
    globex = demo.company("Globex GmbH")
    with pytest.raises(ValidationFailed) as renamed:  # staff's edit of another company, and a customer's own
        directory.update_company(session=demo.session, actor=staff, company_id=globex.id,
                                 data={**{f: getattr(globex, f) or "" for f in directory.COMPANY_FIELDS}, "name": "ACME OY"})
    assert set(renamed.value.fields) == {"name"}
    kept = directory.update_company(session=demo.session, actor=staff, company_id=acme.id,
                                    data={**{f: getattr(acme, f) or "" for f in directory.COMPANY_FIELDS}, "phone": ""})
    assert kept.name == "Acme Oy"  # its own name and ID are no other's


def test_the_same_new_event_form_sent_twice_creates_one_event(demo):
    staff, sid = demo.actor(STAFF), submissions.new_submission_id()
    before = count(demo.session, Event)
    first = event_admin.create_event(session=demo.session, actor=staff, data=event_data(), submission_id=sid)
    again = event_admin.create_event(session=demo.session, actor=staff, data=event_data(), submission_id=sid)
    assert (again.id, again.slug) == (first.id, "roadmap-day") and first.submission_id == sid
    assert count(demo.session, Event) == before + 1
    other = event_admin.create_event(session=demo.session, actor=staff, data=event_data(),
                                     submission_id=submissions.new_submission_id())
    assert other.slug == "roadmap-day-2"


@pytest.mark.parametrize("sid", ["short", "x" * 65, "bad id with spaces!", 12345])
def test_a_malformed_submission_id_is_refused_and_nothing_is_filed(demo, sid):
    staff = demo.actor(STAFF)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed):
        directory.create_company(session=demo.session, actor=staff, data={"name": "Initech"}, submission_id=sid)
    with pytest.raises(ValidationFailed):
        event_admin.create_event(session=demo.session, actor=staff, data=event_data(), submission_id=sid)
    assert demo.committed_state() == before


def staff_of(session):
    return build_actor(session, session.exec(select(Account).where(Account.email == STAFF)).one())


def test_the_same_new_company_sent_at_once_files_one(racing_engine):
    sid = submissions.new_submission_id()
    ids = at_once(racing_engine, 6, lambda s: directory.create_company(
        session=s, actor=staff_of(s), data={"name": "Racing Oy"}, submission_id=sid).id)
    assert len(set(ids)) == 1
    with Session(racing_engine) as session:
        assert count(session, Company, Company.submission_id == sid) == 1


def test_the_same_new_event_sent_at_once_creates_one(racing_engine):
    sid = submissions.new_submission_id()
    ids = at_once(racing_engine, 6, lambda s: event_admin.create_event(
        session=s, actor=staff_of(s), data=event_data("Racing day"), submission_id=sid).id)
    assert len(set(ids)) == 1
    with Session(racing_engine) as session:
        assert count(session, Event, Event.submission_id == sid) == 1


def test_a_search_ignores_capitals_beyond_a_to_z(demo):
    staff = demo.actor(STAFF)
    directory.create_company(session=demo.session, actor=staff, data={"name": "Äänekoski Öljy Oy", "city": "ÄÄNEKOSKI"})
    directory.create_company(session=demo.session, actor=staff, data={"name": "Überall GmbH"})
    for typed, found in (("äänekoski", "Äänekoski Öljy Oy"), ("ÖLJY", "Äänekoski Öljy Oy"), ("über", "Überall GmbH"),
                         ("ÜBERALL", "Überall GmbH")):
        companies, _ = directory.list_companies(session=demo.session, actor=staff, query=typed)
        assert [c.name for c in companies] == [found], typed
