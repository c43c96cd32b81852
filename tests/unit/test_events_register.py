"""Event registration services (issue 11): capacity, deadline, the waiting list in order, promotion
when a seat frees (cancellation, capacity raised), duplicate emails, the signed cancel link, the
public page's guards, scoping, the mails (.ics, cancel link) and staff's tools."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from icalendar import Calendar
from sqlmodel import select

from portal_app.models import (
    Company, Contact, Event, EventStatus, OutboxMail, Registration, ThrottleHit, utcnow,
)
from portal_app.services import live
from portal_app.services.errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from portal_app.services.events import admin, core, event_mail
from portal_app.services.events.event_rules import PUBLIC_COMPANY_NAME
from portal_app.services import submissions

from demo_people import ADMIN, GLOBEX_ADMIN, HANS, LIISA, PARTNER, STAFF, USER

ADDRESS = "203.0.113.9"


def person(n: int, **extra) -> dict:
    return {"first_name": "Visitor", "last_name": f"No{n}", "email": f"visitor{n}@example.org", "consent": True,
            **extra}


def public(demo, slug: str = "portal-training", n: int = 1, address: str = ADDRESS, **extra) -> core.Enrolled:
    return core.register_public(session=demo.session, slug=slug, data=person(n, **extra), client_address=address)


def event_row(demo, slug: str) -> Event:
    demo.session.expire_all()
    return demo.session.exec(select(Event).where(Event.slug == slug)).one()


def statuses(demo, slug: str) -> list[tuple[str, str]]:
    """(email, status) in arrival order."""
    demo.session.expire_all()
    event = event_row(demo, slug)
    rows = demo.session.exec(select(Registration).where(Registration.event_id == event.id)
                             .order_by(Registration.queue_position)).all()
    return [(r.email, r.status) for r in rows]


def mails(demo) -> list[OutboxMail]:
    demo.session.expire_all()
    return list(demo.session.exec(select(OutboxMail).order_by(OutboxMail.id)).all())


def assert_takes_out(mail: OutboxMail, confirmation: OutboxMail) -> None:
    """`mail`'s calendar file cancels the entry `confirmation`'s file made (RFC 5546: METHOD:CANCEL,
    the same UID, a later SEQUENCE)."""
    cancel = Calendar.from_ical(mail.attachments[0]["content"])
    (gone,) = cancel.walk("VEVENT")
    (booked,) = Calendar.from_ical(confirmation.attachments[0]["content"]).walk("VEVENT")
    assert str(cancel["method"]) == "CANCEL" and str(gone["status"]) == "CANCELLED"
    assert str(gone["uid"]) == str(booked["uid"]) and int(gone["sequence"]) > int(booked["sequence"])
    # from the organizer, for the attendee whose entry it is (a calendar ignores a CANCEL without)
    assert str(gone["organizer"]) == str(booked["organizer"]) == "mailto:portal@localhost"
    assert str(gone["attendee"]) == str(booked["attendee"]) == f"mailto:{mail.to}"


def fail_keys(exc: pytest.ExceptionInfo) -> dict[str, str]:
    return {name: value[0] for name, value in exc.value.fields.items()}


def make_event(demo, slug: str = "small", *, capacity: int = 2, waitlist: bool = True, public_page: bool = True,
               visibility: str = "all_customers", company_ids=(), starts_in=timedelta(days=7),
               deadline_in: timedelta | None = None, **extra) -> Event:
    start = utcnow() + starts_in
    data = {"slug": slug, "title": f"Event {slug}", "capacity": capacity, "waitlist_enabled": waitlist,
            "public_page": public_page, "visibility": visibility, "company_ids": list(company_ids),
            "starts_at": start, "ends_at": start + timedelta(hours=2), "time_zone": "Europe/Helsinki",
            "location": "Room 1", **extra}
    if deadline_in is not None:
        data["registration_deadline"] = utcnow() + deadline_in
    return admin.create_event(session=demo.session, actor=demo.actor(STAFF), data=data)


# --- demo data -------------------------------------------------------------------------------------

def test_the_demo_events(demo):
    now = utcnow()
    rows = {e.slug: e for e in demo.session.exec(select(Event)).all()}
    assert set(rows) >= {"portal-training", "security-webinar", "roadmap-2027"}
    training, webinar, roadmap = rows["portal-training"], rows["security-webinar"], rows["roadmap-2027"]
    assert (training.title, training.capacity, training.public_page) == ("Portal training", 3, True)
    assert (webinar.title, webinar.capacity, webinar.public_page) == ("Security webinar", 5, True)
    assert webinar.online_url.startswith("https://")
    assert (roadmap.title, roadmap.capacity, roadmap.public_page) == ("Product roadmap 2027", 50, False)
    for event in (training, webinar, roadmap):
        assert event.registration_deadline > now and event.starts_at > now
        assert demo.session.exec(select(Registration).where(Registration.event_id == event.id)).first() is None
    past = [e for e in rows.values() if e.ends_at < now]
    assert len(past) == 1
    attendees = admin.list_attendees(session=demo.session, actor=demo.actor(STAFF), slug=past[0].slug)
    registered = [a for a in attendees if a.status == "registered"]
    assert registered and past[0].seats_taken == len(registered)
    assert core.list_events(session=demo.session, actor=demo.actor(USER), when="past")[0].slug == past[0].slug


# --- capacity, waiting list, promotion -------------------------------------------------------------

def test_capacity_then_waiting_list_in_arrival_order(demo):
    outcomes = [public(demo, n=n) for n in range(1, 6)]
    assert [o.status for o in outcomes] == ["registered"] * 3 + ["waiting"] * 2
    assert [o.position for o in outcomes] == [None, None, None, 1, 2]
    assert event_row(demo, "portal-training").seats_taken == 3
    view = core.public_event(session=demo.session, slug="portal-training")
    assert view.seats_left == 0 and view.registration_open  # the waiting list is open


def test_a_cancellation_promotes_the_first_waiting_at_once_and_mails_it(demo):
    first = public(demo, n=1)
    for n in range(2, 6):
        public(demo, n=n)
    before = len(mails(demo))
    token = demo.session.get(Registration, first.registration_id)
    from portal_app.services.events.tokens import make_token

    done = core.cancel_by_token(session=demo.session, token=make_token(token.id, token.cancel_nonce))
    assert done.was == "registered" and len(done.promoted) == 1
    assert statuses(demo, "portal-training") == [
        ("visitor1@example.org", "cancelled"), ("visitor2@example.org", "registered"),
        ("visitor3@example.org", "registered"), ("visitor4@example.org", "registered"),
        ("visitor5@example.org", "waiting")]
    assert event_row(demo, "portal-training").seats_taken == 3
    new = mails(demo)[before:]
    # the one who cancelled hears it is done (the public page to register again), then the promoted
    assert [m.to for m in new] == ["visitor1@example.org", "visitor4@example.org"]
    assert new[0].subject == "Registration cancelled: Portal training"
    # its calendar entry goes: the confirmation's UID again, cancelled, in a later sequence
    (booked,) = [m for m in mails(demo)[:before] if m.to == "visitor1@example.org"]
    assert_takes_out(new[0], booked)
    assert "/register/portal-training" in new[0].body and "/events/cancel/" not in new[0].body
    assert "Portal training" in new[1].subject
    assert new[1].attachments and "/events/cancel/" in new[1].body
    assert demo.session.get(Registration, done.promoted[0]).promoted_at is not None


def test_cancelling_a_waiting_place_moves_the_rest_up_and_promotes_nobody(demo):
    for n in range(1, 7):
        public(demo, n=n)
    fourth = demo.session.exec(select(Registration).where(Registration.email == "visitor4@example.org")).one()
    done = core.cancel_registration(session=demo.session, actor=demo.actor(STAFF), registration_id=fourth.id)
    assert done.was == "waiting" and done.promoted == []
    attendees = admin.list_attendees(session=demo.session, actor=demo.actor(STAFF), slug="portal-training")
    assert [(a.email, a.position) for a in attendees if a.status == "waiting"] == [
        ("visitor5@example.org", 1), ("visitor6@example.org", 2)]
    # staff did it: the person is told it left the waiting list (and nobody else is mailed)
    (left,) = [demo.session.get(OutboxMail, i) for i in done.mail_ids]
    assert left.to == "visitor4@example.org" and left.subject == "Off the waiting list: Portal training"
    assert "no longer on the waiting list" in left.body and not left.attachments  # no calendar entry to take out


def test_raising_the_capacity_promotes_the_waiting_in_order(demo):
    for n in range(1, 8):
        public(demo, n=n)
    staff = demo.actor(STAFF)
    event, mail_ids = admin.update_event(session=demo.session, actor=staff, slug="portal-training",
                                         data={"capacity": 5})
    assert event.capacity == 5 and event.seats_taken == 5 and len(mail_ids) == 2
    assert [s for _, s in statuses(demo, "portal-training")] == ["registered"] * 5 + ["waiting"] * 2
    assert [m.to for m in mails(demo)[-2:]] == ["visitor4@example.org", "visitor5@example.org"]
    with pytest.raises(ValidationFailed) as exc:
        admin.update_event(session=demo.session, actor=staff, slug="portal-training", data={"capacity": 4})
    assert fail_keys(exc) == {"capacity": "error.event_capacity_below_taken"}


def test_full_without_waiting_list_is_refused_and_nothing_saved(demo):
    make_event(demo, capacity=1, waitlist=False)
    public(demo, "small", n=1)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        public(demo, "small", n=2)
    assert fail_keys(exc) == {"form": "error.event_full"}
    assert demo.committed_state() == before


def test_the_database_refuses_more_seats_than_the_capacity(demo):
    """Even code that forgot the rule cannot overbook: the CHECK on the event row."""
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    event = make_event(demo, capacity=1)
    with pytest.raises(IntegrityError):
        demo.session.execute(update(Event).where(Event.id == event.id).values(seats_taken=2))
        demo.session.commit()
    demo.session.rollback()


# --- deadline, cancelled event, duplicates ---------------------------------------------------------

def test_after_the_deadline_nobody_registers(demo):
    make_event(demo, deadline_in=timedelta(hours=1))
    later = utcnow() + timedelta(hours=2)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        core.register_public(session=demo.session, slug="small", data=person(1), client_address=ADDRESS, now=later)
    assert fail_keys(exc) == {"form": "error.event_deadline_passed"}
    with pytest.raises(ValidationFailed):
        core.register(session=demo.session, actor=demo.actor(USER), slug="small", now=later)
    assert demo.committed_state() == before
    assert not core.get_event(session=demo.session, actor=demo.actor(USER), slug="small", now=later).registration_open


def test_a_cancelled_event_takes_no_registrations_and_mails_everyone(demo):
    for n in range(1, 5):
        public(demo, n=n)
    mail_ids = admin.cancel_event(session=demo.session, actor=demo.actor(STAFF), slug="portal-training")
    sent = [m for m in mails(demo) if m.id in mail_ids]
    assert sorted(m.to for m in sent) == [f"visitor{n}@example.org" for n in range(1, 5)]
    assert all("Portal training" in m.subject for m in sent)
    confirmations = {m.to: m for m in mails(demo) if m.id not in mail_ids and m.attachments}
    for mail in sent:  # those holding a seat have its calendar entry taken out; the waiting had none
        if mail.to in confirmations:
            assert_takes_out(mail, confirmations[mail.to])
        else:
            assert not mail.attachments
    assert len(confirmations) == 3
    assert event_row(demo, "portal-training").status == EventStatus.CANCELLED
    with pytest.raises(ValidationFailed) as exc:
        public(demo, n=9)
    assert fail_keys(exc) == {"form": "error.event_cancelled"}


def test_a_cancelled_events_registrations_went_with_it_and_cannot_be_cancelled_again(demo):
    """After staff cancels the event: no "Cancel registration" anywhere (the portal's, a company admin's,
    the mailed link's), no second mail, and every view says the event is cancelled."""
    from portal_app.services.events.tokens import make_token

    own = core.register(session=demo.session, actor=demo.actor(USER), slug="portal-training")
    visitor = public(demo, n=1)
    admin.cancel_event(session=demo.session, actor=demo.actor(STAFF), slug="portal-training")
    before = len(mails(demo))
    for actor in (USER, ADMIN, STAFF):
        with pytest.raises(ValidationFailed) as exc:
            core.cancel_registration(session=demo.session, actor=demo.actor(actor), registration_id=own.registration_id)
        assert fail_keys(exc) == {"form": "error.event_cancelled_with"}
    row = demo.session.get(Registration, visitor.registration_id)
    token = make_token(row.id, row.cancel_nonce)
    view = core.registration_for_token(session=demo.session, token=token)
    assert view.event_cancelled and not view.can_cancel
    with pytest.raises(ValidationFailed):
        core.cancel_by_token(session=demo.session, token=token)
    assert len(mails(demo)) == before and statuses(demo, "portal-training")[0][1] == "registered"  # the record
    mine = next(r for r in core.my_registrations(session=demo.session, actor=demo.actor(USER))
                if r.registration_id == own.registration_id)
    assert mine.event_status == "cancelled" and not mine.cancellable


def test_my_registrations_say_where_each_event_is_found(demo):
    """An event the portal lists for the reader links to its page there; one it does not (public
    page only, registered for on that page) to the public page; neither when that is off too."""
    make_event(demo, "open-day")
    make_event(demo, "walk-in", visibility="public_only")
    make_event(demo, "invite-only", visibility="public_only")
    user = demo.actor(USER)
    for slug in ("open-day", "walk-in", "invite-only"):
        core.register_public(session=demo.session, slug=slug, data=person(1, email=USER), client_address=ADDRESS)
    admin.update_event(session=demo.session, actor=demo.actor(STAFF), slug="invite-only",
                       data={"public_page": False, "visibility": "all_customers"})
    admin.update_event(session=demo.session, actor=demo.actor(STAFF), slug="invite-only",
                       data={"visibility": "companies", "company_ids": [demo.company("Globex GmbH").id]})
    pages = {r.event_slug: r.page for r in core.my_registrations(session=demo.session, actor=user)}
    assert {slug: pages[slug] for slug in ("open-day", "walk-in", "invite-only")} == {
        "open-day": "portal", "walk-in": "public", "invite-only": ""}


def test_the_same_email_twice_gets_no_second_seat(demo):
    first = public(demo, n=1)
    sent = len(mails(demo))
    # on the public page, the same email again is answered as a new registration would be (a refusal
    # would tell anyone who attends): the registration's own mail goes again to its address, under its name
    again = public(demo, n=1, first_name="Other")
    assert (again.registration_id, again.status, again.repeated) == (first.registration_id, first.status, False)
    assert len(again.mail_ids) == 1 and len(mails(demo)) == sent + 1
    resent = mails(demo)[-1]
    assert resent.to == "visitor1@example.org" and "Visitor" in resent.body and "Other" not in resent.body
    assert core.register_public(session=demo.session, slug="portal-training", data=person(1, email="VISITOR1@Example.org"),
                                client_address=ADDRESS).registration_id == first.registration_id
    assert event_row(demo, "portal-training").seats_taken == 1
    core.register(session=demo.session, actor=demo.actor(USER), slug="portal-training")
    with pytest.raises(ValidationFailed) as exc:
        core.register(session=demo.session, actor=demo.actor(USER), slug="portal-training")
    assert fail_keys(exc) == {"form": "error.event_already_registered"}
    # the contact registered in the portal takes no second seat through the public page either
    core.register_public(session=demo.session, slug="portal-training", client_address=ADDRESS, data=person(7, email=USER))
    assert event_row(demo, "portal-training").seats_taken == 2


def test_a_stranger_cannot_put_a_link_into_the_mails_or_a_contacts_name(demo):
    for field, value in (("first_name", "Verify at https://evil.example/login"), ("last_name", "evil.example/acme"),
                         ("company", "www.evil.example"), ("first_name", "Mail admin@evil.example")):
        with pytest.raises(ValidationFailed) as exc:
            public(demo, n=2, **{field: value})
        assert fail_keys(exc) == {field: "error.name_with_address"}
    assert not mails(demo) and event_row(demo, "portal-training").seats_taken == 0
    public(demo, n=3, first_name="St.John", last_name="O'Brien-Smith", company="Acme Oy")  # names as people write them

    # a known contact's email is registered under the contact's own name, company and phone, whatever
    # was typed (staff's attendee list and its CSV show what the CRM knows)
    hans = demo.session.exec(select(Contact).where(Contact.email == HANS)).one()
    done = public(demo, n=4, email=HANS, first_name="Mallory", last_name="Imposter", company="Evil Corp",
                  phone="+1 555 0100 99")
    demo.session.expire_all()
    row = demo.session.get(Registration, done.registration_id)
    assert (row.first_name, row.last_name, row.contact_id) == (hans.first_name, hans.last_name, hans.id)
    assert (row.company_name, row.phone) == (demo.session.get(Company, hans.company_id).name,
                                             hans.phone or hans.mobile)
    assert "Mallory" not in mails(demo)[-1].body


def test_a_form_sent_twice_registers_once(demo):
    sid = submissions.new_submission_id()
    first = core.register_public(session=demo.session, slug="portal-training", data=person(1),
                                 client_address=ADDRESS, submission_id=sid)
    again = core.register_public(session=demo.session, slug="portal-training", data=person(1),
                                 client_address=ADDRESS, submission_id=sid)
    assert again.repeated and again.registration_id == first.registration_id and again.mail_ids == []
    assert len(mails(demo)) == 1


# --- signed-in contacts ----------------------------------------------------------------------------

def test_a_contact_registers_and_cancels_its_own(demo):
    user = demo.actor(USER)
    done = core.register(session=demo.session, actor=user, slug="roadmap-2027")
    assert done.status == "registered"
    view = core.get_event(session=demo.session, actor=demo.actor(USER), slug="roadmap-2027")
    assert view.mine and view.mine.registration_id == done.registration_id and view.seats_left == 49
    assert [r.event_slug for r in core.my_registrations(session=demo.session, actor=user)
            if r.event_slug == "roadmap-2027"] == ["roadmap-2027"]
    # another contact may not cancel it
    with pytest.raises(NotFound):
        core.cancel_registration(session=demo.session, actor=demo.actor(LIISA), registration_id=done.registration_id)
    core.cancel_registration(session=demo.session, actor=demo.actor(USER), registration_id=done.registration_id)
    assert core.get_event(session=demo.session, actor=demo.actor(USER), slug="roadmap-2027").mine is None
    with pytest.raises(ValidationFailed):
        core.cancel_registration(session=demo.session, actor=demo.actor(USER), registration_id=done.registration_id)
    # and registers again afterwards: the email is free once cancelled
    assert core.register(session=demo.session, actor=demo.actor(USER), slug="roadmap-2027").status == "registered"


def test_a_company_admin_registers_colleagues_of_its_own_company_only(demo):
    admin_actor = demo.actor(ADMIN)
    liisa = demo.contact(LIISA)
    done = core.register(session=demo.session, actor=admin_actor, slug="roadmap-2027", contact_id=liisa.id)
    row = demo.session.get(Registration, done.registration_id)
    assert row.email == LIISA and row.contact_id == liisa.id
    # her mail says who registered her (she did not); one's own registration says nothing of the kind
    assert "Aino Virtanen registered you." in next(m for m in reversed(mails(demo)) if m.to == LIISA).body
    core.register(session=demo.session, actor=demo.actor(USER), slug="roadmap-2027")
    assert "registered you" not in next(m for m in reversed(mails(demo)) if m.to == USER).body
    assert {r.email for r in core.my_registrations(session=demo.session, actor=admin_actor, company=True)} >= {LIISA}
    with pytest.raises(NotFound):
        core.register(session=demo.session, actor=admin_actor, slug="roadmap-2027", contact_id=demo.contact(HANS).id)
    with pytest.raises(NotFound):  # a plain contact cannot register others
        core.register(session=demo.session, actor=demo.actor(USER), slug="roadmap-2027",
                      contact_id=demo.contact("pekka.nieminen@acme.example.com").id)
    with pytest.raises(PermissionDenied):
        core.my_registrations(session=demo.session, actor=demo.actor(USER), company=True)
    # the admin cancels the colleague's registration
    core.cancel_registration(session=demo.session, actor=demo.actor(ADMIN), registration_id=done.registration_id)


# --- scope -----------------------------------------------------------------------------------------

def test_another_companys_event_is_not_found(demo):
    globex = demo.company("Globex GmbH")
    make_event(demo, "globex-only", visibility="companies", company_ids=[globex.id], public_page=False)
    make_event(demo, "public-only", visibility="public_only", public_page=True)
    acme_user = demo.actor(USER)
    slugs = {e.slug for e in core.list_events(session=demo.session, actor=acme_user)}
    assert "globex-only" not in slugs and "public-only" not in slugs and "roadmap-2027" in slugs
    for slug in ("globex-only", "public-only", "no-such-event"):
        with pytest.raises(NotFound):
            core.get_event(session=demo.session, actor=acme_user, slug=slug)
        with pytest.raises(NotFound):
            core.register(session=demo.session, actor=acme_user, slug=slug)
    assert core.get_event(session=demo.session, actor=demo.actor(HANS), slug="globex-only").slug == "globex-only"
    assert "globex-only" in {e.slug for e in core.list_events(session=demo.session, actor=demo.actor(GLOBEX_ADMIN))}
    assert {"globex-only", "public-only"} <= {e.slug for e in core.list_events(session=demo.session,
                                                                              actor=demo.actor(STAFF))}


def test_the_public_page_exists_only_while_it_is_on(demo):
    assert core.public_event(session=demo.session, slug="portal-training").title == "Portal training"
    for slug in ("roadmap-2027", "nope", "../etc", 7, None):
        with pytest.raises(NotFound):
            core.public_event(session=demo.session, slug=slug)
        with pytest.raises(NotFound):
            core.register_public(session=demo.session, slug=slug, data=person(1), client_address=ADDRESS)


def test_module_rights_decide(demo):
    profile = demo.make_profile("No events", modules={"tickets": "edit", "events": "none"})
    demo.use_profile(USER, profile)
    with pytest.raises(NotFound):
        core.get_event(session=demo.session, actor=demo.actor(USER), slug="roadmap-2027")
    assert core.list_events(session=demo.session, actor=demo.actor(USER)) == []
    viewer = demo.make_profile("Events view", modules={"events": "view"})
    demo.use_profile(USER, viewer)
    assert core.get_event(session=demo.session, actor=demo.actor(USER), slug="roadmap-2027")
    with pytest.raises(PermissionDenied):
        core.register(session=demo.session, actor=demo.actor(USER), slug="roadmap-2027")
    with pytest.raises(PermissionDenied):
        core.register(session=demo.session, actor=demo.actor(PARTNER), slug="roadmap-2027")
    for tool, kwargs in ((admin.list_attendees, {"slug": "roadmap-2027"}), (admin.export_csv, {"slug": "roadmap-2027"}),
                         (admin.cancel_event, {"slug": "roadmap-2027"}), (admin.create_event, {"data": {}})):
        with pytest.raises(PermissionDenied):
            tool(session=demo.session, actor=demo.actor(ADMIN), **kwargs)


# --- the cancel link -------------------------------------------------------------------------------

def token_of(demo, registration_id: int) -> str:
    from portal_app.services.events.tokens import make_token

    row = demo.session.get(Registration, registration_id)
    return make_token(row.id, row.cancel_nonce)


def test_the_cancel_link_in_the_mail_works_once_without_login(demo):
    done = public(demo, n=1)
    mail = mails(demo)[-1]
    token = mail.body.split("/events/cancel/")[1].split()[0]
    assert token == token_of(demo, done.registration_id)
    page = core.registration_for_token(session=demo.session, token=token)
    assert page.can_cancel and page.event_title == "Portal training" and page.status == "registered"
    core.cancel_by_token(session=demo.session, token=token)
    assert not core.registration_for_token(session=demo.session, token=token).can_cancel
    with pytest.raises(ValidationFailed) as exc:
        core.cancel_by_token(session=demo.session, token=token)
    assert fail_keys(exc) == {"token": "error.event_link_used"}
    assert event_row(demo, "portal-training").seats_taken == 0


@pytest.mark.parametrize("change", ["id", "nonce", "signature", "garbage"])
def test_a_tampered_cancel_link_is_refused(demo, change):
    first, second = public(demo, n=1), public(demo, n=2)
    token = token_of(demo, first.registration_id)
    rid, nonce, sig = token.split(".")
    tampered = {"id": f"{second.registration_id}.{nonce}.{sig}",
                "nonce": f"{rid}.{nonce[:-1]}{'A' if nonce[-1] != 'A' else 'B'}.{sig}",
                "signature": f"{rid}.{nonce}.{sig[:-1]}{'A' if sig[-1] != 'A' else 'B'}",
                "garbage": "not-a-token"}[change]
    before = demo.committed_state()
    for call in (core.cancel_by_token, core.registration_for_token):
        with pytest.raises(ValidationFailed) as exc:
            call(session=demo.session, token=tampered)
        assert fail_keys(exc) == {"token": "error.event_link_invalid"}
    assert demo.committed_state() == before


# --- an online event's meeting link ----------------------------------------------------------------

MEET = "https://meet.example.com/small-online"


def link_for(demo, who: str, slug: str = "small-online") -> tuple[str, str]:
    """(the event page's link, the list's link) as the actor `who` is given them."""
    actor = demo.actor(who)
    page = core.get_event(session=demo.session, actor=actor, slug=slug)
    listed = next(e for e in core.list_events(session=demo.session, actor=actor) if e.slug == slug)
    assert page.online and listed.online  # it says it is online, to everybody
    return page.online_url, listed.online_url


def test_the_meeting_link_reaches_only_those_holding_a_seat(demo):
    make_event(demo, "small-online", capacity=1, location="", online_url=MEET)
    public_view = core.public_event(session=demo.session, slug="small-online")
    assert public_view.online and public_view.online_url == ""  # the public page: never
    assert link_for(demo, USER) == ("", "")  # signed in, not registered
    assert link_for(demo, STAFF) == (MEET, MEET)  # staff run the event
    mine = core.register(session=demo.session, actor=demo.actor(USER), slug="small-online")
    assert link_for(demo, USER) == (MEET, MEET)
    waiting = core.register(session=demo.session, actor=demo.actor(LIISA), slug="small-online")
    assert waiting.status == "waiting" and link_for(demo, LIISA) == ("", "")  # waiting: not yet
    assert MEET not in mails(demo)[-1].body and not mails(demo)[-1].attachments
    assert "Where: Online" in mails(demo)[-1].body  # online, its link with the seat
    core.cancel_registration(session=demo.session, actor=demo.actor(USER), registration_id=mine.registration_id)
    assert link_for(demo, USER) == ("", "")  # cancelled: no more
    gone = next(m for m in mails(demo) if m.to == USER and "cancelled" in m.body)
    assert MEET not in gone.body and MEET not in gone.attachments[0]["content"]  # nor in the file that takes it out
    assert link_for(demo, LIISA) == (MEET, MEET)  # promoted into the seat: now, and by mail with the .ics
    promoted = mails(demo)[-1]
    assert promoted.to == LIISA and MEET in promoted.body and MEET in promoted.attachments[0]["content"]


def test_the_public_confirmation_mail_carries_the_meeting_link(demo):
    public(demo, "security-webinar", n=1)
    webinar = event_row(demo, "security-webinar")
    assert webinar.online_url and webinar.online_url in mails(demo)[-1].body
    assert core.public_event(session=demo.session, slug="security-webinar").online_url == ""


# --- registration deadline in the event's zone -------------------------------------------------------

def test_the_deadline_is_written_in_the_events_zone_like_its_times(demo):
    event = make_event(demo, "late-deadline", starts_in=timedelta(days=20), deadline_in=timedelta(days=10))
    view = core.get_event(session=demo.session, actor=demo.actor(USER), slug="late-deadline")
    local = view.registration_deadline.astimezone(ZoneInfo("Europe/Helsinki"))
    assert local.utcoffset() != timedelta(0)  # the test means something: Helsinki is not UTC
    text = event_mail.deadline_text(view, "en")
    assert text == format_datetime(local.replace(tzinfo=None), format="MMM d, y, h:mm\u202fa",
                                   locale="en") + " (Europe/Helsinki)"  # the zone named, as the event's time names it
    assert event_mail.deadline_text(event, "fi") == event_mail.deadline_text(view, "fi")
    assert event_mail.deadline_text(view, "fi") == format_datetime(local.replace(tzinfo=None), format="d.M.y H.mm",
                                                                 locale="fi") + " (Europe/Helsinki)"


def test_an_events_time_has_the_whole_year_in_each_language(demo):
    """A mail or a public page is read far from any list: "Dec 3, 2027", never "12/3/27"; the end on
    the same day as a time only, in the event's zone, which is named."""
    helsinki = ZoneInfo("Europe/Helsinki")  # 9 to 11 there, so the end never falls on the next day
    morning = (utcnow() + timedelta(days=20)).astimezone(helsinki).replace(hour=9, minute=0, second=0, microsecond=0)
    event = make_event(demo, "year-shown", deadline_in=timedelta(days=10), starts_at=morning,
                       ends_at=morning + timedelta(hours=2))
    start = event.starts_at.astimezone(ZoneInfo("Europe/Helsinki"))
    end = event.ends_at.astimezone(ZoneInfo("Europe/Helsinki"))
    assert start.date() == end.date()
    for lang, day in (("en", f"{start:%b} {start.day}, {start.year}"),
                      ("fi", f"{start.day}.{start.month}.{start.year}"), ("de", f"{start:%d.%m.%Y}"),
                      ("it", f"{start.day} ")):
        text = event_mail.when_text(event, lang)
        assert text.startswith(day) and str(start.year) in text and text.endswith("(Europe/Helsinki)"), (lang, text)
        assert text.count(str(start.year)) == 1, text  # the end: a time only


# --- "Register a colleague" --------------------------------------------------------------------------

def test_the_colleagues_on_an_event_are_known_to_the_company_admin(demo):
    liisa, pekka = demo.contact(LIISA), demo.contact("pekka.nieminen@acme.example.com")
    on_event = lambda: core.company_contacts_on_event(session=demo.session, actor=demo.actor(ADMIN),  # noqa: E731
                                                       slug="roadmap-2027")
    assert on_event() == set()
    done = core.register(session=demo.session, actor=demo.actor(ADMIN), slug="roadmap-2027", contact_id=liisa.id)
    assert on_event() == {liisa.id}
    core.register_public(session=demo.session, slug="portal-training", client_address=ADDRESS,  # by email
                         data=person(2, email="PEKKA.nieminen@acme.example.com"))
    assert core.company_contacts_on_event(session=demo.session, actor=demo.actor(ADMIN),
                                          slug="portal-training") == {pekka.id}
    core.cancel_registration(session=demo.session, actor=demo.actor(ADMIN), registration_id=done.registration_id)
    assert on_event() == set()  # cancelled: may be registered again
    with pytest.raises(PermissionDenied):  # a plain contact registers nobody else
        core.company_contacts_on_event(session=demo.session, actor=demo.actor(USER), slug="roadmap-2027")
    assert core.company_contacts_on_event(session=demo.session, actor=demo.actor(GLOBEX_ADMIN),
                                          slug="portal-training") == set()  # Acme's people are not Globex's


# --- the public page's guards ----------------------------------------------------------------------

@pytest.mark.parametrize(("data", "errors"), [
    (person(1, email="not-an-email"), {"email": "error.email"}),
    (person(1, email="ä@ö.fi"), {"email": "error.email_letters"}),  # mail cannot reach it without SMTPUTF8
    (person(1, consent=False), {"consent": "error.event_consent_required"}),
    ({k: v for k, v in person(1).items() if k != "consent"}, {"consent": "error.event_consent_required"}),
    (person(1, first_name=" ", last_name=""), {"first_name": "error.required", "last_name": "error.required"}),
    (person(1, first_name="x" * 101), {"first_name": "error.too_long"}),
    (person(1, website="http://spam.example"), {"form": "error.invalid"}),  # the honeypot
    ("not a form", {"form": "error.invalid"}),
    (person(1, phone="abc"), {"phone": "error.event_phone"}),
    (person(1, phone="+358 40 abc 4567"), {"phone": "error.event_phone"}),
    (person(1, phone="040/123 4567"), {"phone": "error.event_phone"}),
    (person(1, phone="12"), {"phone": "error.phone_digits"}),  # too few digits to be a number: said so
    (person(1, phone="+" + "1" * 21), {"phone": "error.phone_digits"}),
    (person(1, phone="+358 40 " + "1" * 20), {"phone": "error.phone_digits"}),  # what it has is allowed: too long
])
def test_bad_public_input_saves_nothing(demo, data, errors):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        core.register_public(session=demo.session, slug="portal-training", data=data, client_address=ADDRESS)
    assert fail_keys(exc) == errors
    assert demo.committed_state() == before


@pytest.mark.parametrize("phone", ["+358 40 123 4567", "(09) 123-456", "040-1234567", " 0401234567 ", ""])
def test_phone_numbers_as_people_write_them_are_taken(demo, phone):
    done = public(demo, phone=phone)
    assert demo.session.get(Registration, done.registration_id).phone == phone.strip()


def test_the_per_address_limit(demo, monkeypatch):
    monkeypatch.setattr(core, "settings", replace(core.settings, registration_limit=3))
    for n in range(1, 4):
        public(demo, "security-webinar", n=n)
    rows = len(statuses(demo, "security-webinar"))
    with pytest.raises(RateLimited) as exc:
        public(demo, "security-webinar", n=4)
    assert exc.value.params["minutes"] >= 1
    assert len(statuses(demo, "security-webinar")) == rows
    public(demo, "security-webinar", n=5, address="198.51.100.1")  # another address is not slowed down
    assert demo.session.exec(select(ThrottleHit)).first() is not None


def test_the_default_limit_is_twenty_an_hour():
    from portal_app.settings import settings

    assert settings.registration_limit == 20 or "PORTAL_REGISTRATION_LIMIT" in __import__("os").environ


def test_public_registrants_become_contacts_without_portal_access_matched_by_email(demo):
    public(demo, n=1, company="Initech")
    contact = demo.contact("visitor1@example.org")
    assert demo.session.get(Company, contact.company_id).name == PUBLIC_COMPANY_NAME
    from portal_app.models import Account

    assert demo.session.exec(select(Account).where(Account.contact_id == contact.id)).first() is None
    public(demo, "security-webinar", n=1)  # the same person again: the same contact
    assert len(demo.session.exec(select(Contact).where(Contact.email == "visitor1@example.org")).all()) == 1
    # a known CRM contact is matched by email, whatever the case
    done = core.register_public(session=demo.session, slug="portal-training", client_address=ADDRESS,
                                data=person(2, email="Pekka.Nieminen@acme.example.com"))
    assert demo.session.get(Registration, done.registration_id).contact_id == demo.contact(
        "pekka.nieminen@acme.example.com").id


# --- mails -----------------------------------------------------------------------------------------

def test_the_confirmation_mail_has_the_ics_and_the_cancel_link(demo):
    public(demo, "security-webinar", n=1)
    mail = mails(demo)[-1]
    assert mail.to == "visitor1@example.org" and "Security webinar" in mail.subject
    assert "/events/cancel/" in mail.body
    assert mail.body.startswith("Hello Visitor,\n")  # by first name, as the portal's other mails greet
    (ics,) = mail.attachments
    assert ics["content_type"] == "text/calendar" and ics["filename"].endswith(".ics")
    cal = Calendar.from_ical(ics["content"])
    (item,) = cal.walk("VEVENT")
    assert str(item["SUMMARY"]) == "Security webinar"
    assert item["DTSTART"].params["TZID"] == "Europe/Helsinki" and item["DTEND"].params["TZID"] == "Europe/Helsinki"
    webinar = event_row(demo, "security-webinar")
    assert item.decoded("DTSTART") == webinar.starts_at and str(item["URL"]) == webinar.online_url
    assert cal.walk("VTIMEZONE")
    # the mailer sends it as a text/calendar attachment
    from portal_app.services.mail.mailer import build_message

    message = build_message(to=mail.to, subject=mail.subject, body=mail.body, attachments=mail.attachments)
    parts = [p for p in message.iter_attachments()]
    assert [p.get_content_type() for p in parts] == ["text/calendar"]
    assert "SUMMARY:Security webinar" in parts[0].get_content()


def test_the_waiting_list_mail_says_so_with_the_position(demo):
    for n in range(1, 5):
        public(demo, n=n)
    mail = mails(demo)[-1]
    assert mail.to == "visitor4@example.org" and "waiting list" in mail.subject.lower()
    assert "position 1" in mail.body and not mail.attachments
    # the time on a line of its own: its zone's brackets are not inside the title's
    assert "))" not in mail.body and any(line.startswith("When: ") and "(" in line for line in mail.body.splitlines())
    # where, and the event's page, as the confirmation has them
    assert any(line.startswith("Where: ") for line in mail.body.splitlines()) and _page_lines(mail)


def _page_lines(mail: OutboxMail) -> list[str]:
    return [line for line in mail.body.splitlines() if "/events/" in line and "/events/cancel/" not in line
            or "/register/" in line]


def _ics_url(mail: OutboxMail) -> str | None:
    (item,) = Calendar.from_ical(mail.attachments[0]["content"]).walk("VEVENT")
    return str(item["URL"]) if "URL" in item else None


def test_a_public_registrants_mails_link_the_public_page_not_the_sign_in_one(demo):
    from portal_app.settings import settings

    page = f"{settings.portal_url}/register/portal-training"
    first = public(demo, n=1)
    mail = mails(demo)[-1]
    assert _page_lines(mail) == [f"Event page: {page}"] and _ics_url(mail) == page
    for n in range(2, 5):
        public(demo, n=n)  # visitor4 waits
    registration = demo.session.get(Registration, first.registration_id)
    from portal_app.services.events.tokens import make_token

    core.cancel_by_token(session=demo.session, token=make_token(registration.id, registration.cancel_nonce))
    promoted = mails(demo)[-1]
    assert promoted.to == "visitor4@example.org" and promoted.subject.startswith("A seat is free")
    assert _page_lines(promoted) == [f"Event page: {page}"] and _ics_url(promoted) == page


def test_the_same_in_finnish(demo):
    from portal_app.settings import settings

    core.register_public(session=demo.session, slug="portal-training", data=person(1), client_address=ADDRESS,
                         language="fi")
    assert f"Tapahtuman sivu: {settings.portal_url}/register/portal-training\n" in mails(demo)[-1].body


def test_a_registrant_who_can_sign_in_gets_the_portal_page(demo):
    from portal_app.settings import settings

    page = f"{settings.portal_url}/events/portal-training"
    core.register(session=demo.session, actor=demo.actor(USER), slug="portal-training")
    assert _page_lines(mails(demo)[-1]) == [f"Event page: {page}"] and _ics_url(mails(demo)[-1]) == page
    # an account holder on the public form: matched by email, still one who can sign in and see it
    core.register_public(session=demo.session, slug="portal-training", client_address=ADDRESS,
                         data=person(2, email=LIISA))
    assert _page_lines(mails(demo)[-1]) == [f"Event page: {page}"]


def test_an_event_the_portal_does_not_show_them_links_the_public_page(demo):
    from portal_app.settings import settings

    make_event(demo, "outsiders", visibility="public_only")  # never listed in the portal
    core.register_public(session=demo.session, slug="outsiders", client_address=ADDRESS, data=person(1, email=USER))
    assert _page_lines(mails(demo)[-1]) == [f"Event page: {settings.portal_url}/register/outsiders"]
    make_event(demo, "globex-only", visibility="companies",  # Acme's people cannot open it
               company_ids=[demo.contact(HANS).company_id])
    core.register_public(session=demo.session, slug="globex-only", client_address=ADDRESS, data=person(1, email=USER))
    assert _page_lines(mails(demo)[-1]) == [f"Event page: {settings.portal_url}/register/globex-only"]


def test_without_an_account_or_a_public_page_the_mails_link_no_page(demo):
    """Staff adds a contact without an account to an event without a public page, then the seat
    frees and a second such contact is promoted: neither mail names a page (none they could open)."""
    make_event(demo, "closed-door", capacity=1, public_page=False)
    staff = demo.actor(STAFF)
    pekka = demo.contact("pekka.nieminen@acme.example.com")
    klara = demo.contact("klara.weber@globex.example.com")
    first = admin.add_attendee(session=demo.session, actor=staff, slug="closed-door", contact_id=pekka.id)
    mail = mails(demo)[-1]
    assert mail.to == pekka.email and _page_lines(mail) == [] and "Event page" not in mail.body
    assert "Sam Staff registered you." in mail.body
    assert _ics_url(mail) is None and "Where: Room 1\n\nThe calendar file is attached." in mail.body
    admin.add_attendee(session=demo.session, actor=staff, slug="closed-door", contact_id=klara.id)  # waits
    core.cancel_registration(session=demo.session, actor=staff, registration_id=first.registration_id)
    promoted = mails(demo)[-1]
    assert promoted.to == klara.email and _page_lines(promoted) == [] and "Event page" not in promoted.body


def test_a_capacity_raise_promotes_with_the_link_each_may_open(demo):
    from portal_app.settings import settings

    make_event(demo, "grows", capacity=1)
    core.register(session=demo.session, actor=demo.actor(USER), slug="grows")
    core.register(session=demo.session, actor=demo.actor(LIISA), slug="grows")  # waits, has an account
    core.register_public(session=demo.session, slug="grows", client_address=ADDRESS, data=person(1))  # waits
    before = len(mails(demo))
    admin.update_event(session=demo.session, actor=demo.actor(STAFF), slug="grows", data={"capacity": 3})
    links = {m.to: _page_lines(m) for m in mails(demo)[before:]}
    assert links == {LIISA: [f"Event page: {settings.portal_url}/events/grows"],
                     "visitor1@example.org": [f"Event page: {settings.portal_url}/register/grows"]}


def test_the_public_view_says_when_every_seat_is_taken(demo):
    view = lambda: core.public_event(session=demo.session, slug="portal-training")  # noqa: E731
    for n in range(1, 3):
        public(demo, n=n)
        assert not view().full
    public(demo, n=3)
    assert view().full and view().registration_open  # the waiting list takes the next
    make_event(demo, "no-list", capacity=1, waitlist=False)
    public(demo, "no-list", n=4)
    closed = core.public_event(session=demo.session, slug="no-list")
    assert closed.full and not closed.registration_open and closed.closed_reason == "full"


def test_why_registration_is_closed_is_told(demo):
    """Full without a waiting list, cancelled, started, past the deadline: each its own reason."""
    reason = lambda slug, now=None: core.public_event(session=demo.session, slug=slug, now=now).closed_reason  # noqa: E731
    assert reason("portal-training") == ""
    make_event(demo, "soon", deadline_in=timedelta(hours=1), starts_in=timedelta(hours=3))
    assert reason("soon", utcnow() + timedelta(hours=2)) == "deadline"
    assert reason("soon", utcnow() + timedelta(hours=4)) == "started"
    make_event(demo, "called-off")
    admin.cancel_event(session=demo.session, actor=demo.actor(STAFF), slug="called-off")
    assert reason("called-off") == "cancelled"


def test_a_public_page_only_event_needs_its_public_page(demo):
    """Otherwise nobody could see it: said at the visibility, on a new event and on an edit."""
    staff = demo.actor(STAFF)
    form = {"title": "Outsiders", "starts_at": "2027-03-12T09:00", "ends_at": "2027-03-12T12:00", "capacity": "10",
            "visibility": "public_only"}
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        admin.create_event(session=demo.session, actor=staff, data=form)
    assert fail_keys(exc) == {"visibility": "error.event_public_only_needs_page"}
    assert demo.committed_state() == before
    event = admin.create_event(session=demo.session, actor=staff, data={**form, "public_page": "on"})
    with pytest.raises(ValidationFailed) as exc:
        admin.update_event(session=demo.session, actor=staff, slug=event.slug, data={"public_page": ""})
    assert fail_keys(exc) == {"visibility": "error.event_public_only_needs_page"}
    changed, _ = admin.update_event(session=demo.session, actor=staff, slug=event.slug,
                                    data={"public_page": "", "visibility": "all_customers"})
    assert not changed.public_page and changed.visibility == "all_customers"


def test_mails_are_in_the_registrants_language(demo):
    core.register_public(session=demo.session, slug="portal-training", data=person(1), client_address=ADDRESS,
                         language="fi")
    assert mails(demo)[-1].subject.startswith("Ilmoittautuminen vahvistettu")


# --- staff -----------------------------------------------------------------------------------------

def test_staff_creates_edits_and_lists_attendees(demo):
    staff = demo.actor(STAFF)
    event = admin.create_event(session=demo.session, actor=staff, data={
        "title": "Käyttäjäpäivä 2027", "starts_at": "2027-03-12T09:00", "ends_at": "2027-03-12T12:00",
        "time_zone": "Europe/Helsinki", "capacity": "10", "location": "Helsinki", "public_page": "on"})
    assert event.slug == "kayttajapaiva-2027" and event.public_page and event.waitlist_enabled
    assert event.starts_at.hour == 7  # 09:00 in Helsinki (UTC+2 in March) is 07:00 UTC
    assert event.registration_deadline == event.starts_at
    with pytest.raises(ValidationFailed) as exc:
        admin.create_event(session=demo.session, actor=staff, data={
            "title": "", "starts_at": "2027-03-12T09:00", "ends_at": "2027-03-12T08:00", "capacity": 0,
            "visibility": "everyone", "online_url": "javascript:alert(1)", "time_zone": "Mars/Olympus"})
    assert fail_keys(exc) == {"title": "error.required", "capacity": "error.range", "visibility": "error.choose",
                              "online_url": "error.url", "time_zone": "error.time_zone",
                              "ends_at": "error.event_ends_before_start"}  # every error at once
    with pytest.raises(ValidationFailed) as exc:
        admin.create_event(session=demo.session, actor=staff, data={
            "slug": "portal-training", "title": "Again", "starts_at": "2027-03-12T09:00",
            "ends_at": "2027-03-12T10:00", "capacity": 3})
    assert fail_keys(exc) == {"slug": "error.event_slug_taken"}
    updated, _ = admin.update_event(session=demo.session, actor=staff, slug=event.slug,
                                    data={"title": "User day 2027", "price_text": "EUR 120 + VAT"})
    assert (updated.title, updated.price_text, updated.capacity) == ("User day 2027", "EUR 120 + VAT", 10)


def test_an_empty_deadline_is_the_start_and_follows_it(demo):
    """No deadline of its own: registration closes at the start, also after the start moves; an
    edit may clear a deadline (back to the start) or set one (then it stays put)."""
    staff = demo.actor(STAFF)
    form = {"title": "Moving day", "starts_at": "2027-03-12T09:00", "ends_at": "2027-03-12T12:00",
            "time_zone": "Europe/Helsinki", "capacity": "10", "registration_deadline": ""}
    event = admin.create_event(session=demo.session, actor=staff, data=form)
    assert event.deadline_is_start and event.registration_deadline == event.starts_at
    moved, _ = admin.update_event(session=demo.session, actor=staff, slug=event.slug, data={
        **form, "starts_at": "2027-04-20T10:00", "ends_at": "2027-04-20T12:00"})
    assert moved.registration_deadline == moved.starts_at and moved.starts_at.day == 20
    view = core.get_event(session=demo.session, actor=staff, slug=event.slug)
    assert view.deadline_is_start and view.registration_deadline == view.starts_at

    own, _ = admin.update_event(session=demo.session, actor=staff, slug=event.slug,
                                data={"registration_deadline": "2027-04-18T16:00"})
    assert not own.deadline_is_start and own.registration_deadline.hour == 13  # 16:00 in Helsinki (UTC+3)
    kept, _ = admin.update_event(session=demo.session, actor=staff, slug=event.slug,
                                 data={"starts_at": "2027-04-21T10:00", "ends_at": "2027-04-21T12:00"})
    assert kept.registration_deadline.day == 18  # a deadline of its own does not move with the start
    cleared, _ = admin.update_event(session=demo.session, actor=staff, slug=event.slug,
                                    data={"registration_deadline": ""})
    assert cleared.deadline_is_start and cleared.registration_deadline == cleared.starts_at


def test_an_end_before_the_start_is_said_once_at_the_end(demo):
    with pytest.raises(ValidationFailed) as exc:
        admin.create_event(session=demo.session, actor=demo.actor(STAFF), data={
            "title": "Backwards", "starts_at": "2027-03-12T09:00", "ends_at": "2027-03-12T08:00", "capacity": 5})
    assert fail_keys(exc) == {"ends_at": "error.event_ends_before_start"}


def test_attendees_check_in_add_by_hand_and_csv(demo):
    staff = demo.actor(STAFF)
    for n in range(1, 5):
        public(demo, n=n)
    klara = demo.contact("klara.weber@globex.example.com")
    added = admin.add_attendee(session=demo.session, actor=staff, slug="portal-training", contact_id=klara.id)
    assert added.status == "waiting" and added.position == 2
    people = admin.list_attendees(session=demo.session, actor=staff, slug="portal-training")
    assert [(a.status, a.position) for a in people] == [("registered", None)] * 3 + [("waiting", 1), ("waiting", 2)]
    assert admin.set_checked_in(session=demo.session, actor=staff, registration_id=people[0].registration_id,
                                checked_in=True)
    with pytest.raises(ValidationFailed):
        admin.set_checked_in(session=demo.session, actor=staff, registration_id=people[3].registration_id,
                             checked_in=True)
    with pytest.raises(ValidationFailed) as exc:
        admin.add_attendee(session=demo.session, actor=staff, slug="portal-training", contact_id=klara.id)
    assert fail_keys(exc) == {"contact": "error.event_already_registered"}
    name, text = admin.export_csv(session=demo.session, actor=staff, slug="portal-training")
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["Status"] for r in rows] == ["Registered"] * 3 + ["Waiting list"] * 2
    assert rows[0]["Email"] == "visitor1@example.org" and rows[0]["Checked in"] == "yes"
    assert rows[-1]["Email"] == "klara.weber@globex.example.com" and rows[-1]["Waiting position"] == "2"
    # checked in early, then cancelled (before the start): not counted as there, and the seat moves on
    core.cancel_registration(session=demo.session, actor=staff, registration_id=people[0].registration_id)
    gone = demo.session.get(Registration, people[0].registration_id)
    demo.session.refresh(gone)
    assert (gone.status, gone.checked_in, gone.checked_in_at) == ("cancelled", False, None)


def test_csv_cells_never_run_as_formulas(demo):
    public(demo, n=1, first_name="=HYPERLINK(\"x\")", company="+cmd", phone="+358 40 123 4567")
    _, text = admin.export_csv(session=demo.session, actor=demo.actor(STAFF), slug="portal-training")
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["First name"].startswith("'=") and row["Company"] == "'+cmd"
    assert row["Phone"] == "+358 40 123 4567"  # a phone number as typed: no formula in it


def test_the_csv_times_are_the_portals_and_its_header_says_so(demo):
    registered = public(demo, n=1)
    row = demo.session.get(Registration, registered.registration_id)
    _, text = admin.export_csv(session=demo.session, actor=demo.actor(STAFF), slug="portal-training")
    (line,) = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    at = row.created_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Helsinki"))
    assert line["Registered at (Europe/Helsinki)"] == at.strftime("%Y-%m-%d %H:%M")


def test_registrations_move_the_events_live_counter(demo):
    event = event_row(demo, "portal-training")
    (before,) = live.versions(live.event_key(event.id))
    public(demo, n=1)
    assert live.versions(live.event_key(event.id))[0] > before
    assert core.seats_left(session=demo.session, event_id=event.id) == 2


def test_staff_adding_a_contact_twice_with_one_form_registers_once(demo):
    """A double click on "Add": the same form's second sending answers as the first, no "already
    registered"; a new form for the same contact is refused as a duplicate; a malformed id saves nothing."""
    staff = demo.actor(STAFF)
    klara = demo.contact("klara.weber@globex.example.com")
    first = admin.add_attendee(session=demo.session, actor=staff, slug="portal-training", contact_id=klara.id,
                               submission_id="a" * 20)
    again = admin.add_attendee(session=demo.session, actor=staff, slug="portal-training", contact_id=klara.id,
                               submission_id="a" * 20)
    assert (again.registration_id, again.repeated, again.mail_ids) == (first.registration_id, True, [])
    assert first.mail_ids and not first.repeated
    with pytest.raises(ValidationFailed) as exc:
        admin.add_attendee(session=demo.session, actor=staff, slug="portal-training", contact_id=klara.id,
                           submission_id="b" * 20)
    assert fail_keys(exc) == {"contact": "error.event_already_registered"}
    pekka = demo.contact("user@acme.example.com")
    before = demo.committed_state()
    with pytest.raises(ValidationFailed):
        admin.add_attendee(session=demo.session, actor=staff, slug="portal-training", contact_id=pekka.id,
                           submission_id="x")
    assert demo.committed_state() == before


def test_an_event_reads_in_the_readers_language_where_staff_wrote_it(demo):
    event = make_event(demo, "translated", capacity=5, description="Bring a laptop.", price_text="Free of charge",
                       title_fi="Koulutus", description_fi="Ota kannettava mukaan.", price_text_fi="Maksuton",
                       title_de="Schulung")
    assert (event.title, event.price_text) == ("Event translated", "Free of charge")  # the default language's
    assert event.translations == {"fi": {"title": "Koulutus", "description": "Ota kannettava mukaan.",
                                         "price_text": "Maksuton"},
                                  "de": {"title": "Schulung"}}
    user = demo.actor(USER)

    def seen(lang: str) -> tuple[str, str, str]:
        view = core.get_event(session=demo.session, actor=user, slug="translated", lang=lang)
        listed = next(v for v in core.list_events(session=demo.session, actor=user, lang=lang) if v.slug == "translated")
        public_view = core.public_event(session=demo.session, slug="translated", lang=lang)
        assert (listed.title, listed.description, listed.price_text) == (
            public_view.title, public_view.description, public_view.price_text) == (
            view.title, view.description, view.price_text)
        return view.title, view.description, view.price_text

    assert seen("fi") == ("Koulutus", "Ota kannettava mukaan.", "Maksuton")
    # no German description or price: the English ones
    assert seen("de") == ("Schulung", "Bring a laptop.", "Free of charge")
    assert seen("it") == seen("en") == ("Event translated", "Bring a laptop.", "Free of charge")

    # a Finnish visitor's mail, its calendar file and its cancel page, in Finnish; a registration's list too
    done = core.register_public(session=demo.session, slug="translated", data=person(1), client_address=ADDRESS,
                                language="fi")
    mail = mails(demo)[-1]
    assert "Koulutus" in mail.subject
    calendar = Calendar.from_ical(mail.attachments[0]["content"])
    item = next(c for c in calendar.walk("VEVENT"))
    assert str(item["summary"]) == "Koulutus" and str(item["description"]) == "Ota kannettava mukaan."
    registration = demo.session.get(Registration, done.registration_id)
    token = event_mail.cancel_link(registration.id, registration.cancel_nonce).rsplit("/", 1)[1]
    assert core.registration_for_token(session=demo.session, token=token).event_title == "Koulutus"
    assert core.registration_for_token(session=demo.session, token=token, lang="de").event_title == "Schulung"
    core.register(session=demo.session, actor=user, slug="translated")
    assert [r.event_title for r in core.my_registrations(session=demo.session, actor=user, lang="fi")
            if r.event_slug == "translated"] == ["Koulutus"]

    # every problem at once, a translation's at its own field; a form without them keeps them
    with pytest.raises(ValidationFailed) as refused:
        admin.update_event(session=demo.session, actor=demo.actor(STAFF), slug="translated",
                           data={"title": "", "title_it": "x" * 201, "price_text_fi": "x" * 101})
    assert set(refused.value.fields) == {"title", "title_it", "price_text_fi"}
    demo.session.rollback()
    admin.update_event(session=demo.session, actor=demo.actor(STAFF), slug="translated", data={"capacity": 6})
    assert seen("fi")[0] == "Koulutus"


def test_a_deadline_after_the_start_is_refused_at_the_deadline(demo):
    """Registration closes at the start whatever the deadline says: a later one is refused, not shown."""
    staff = demo.actor(STAFF)
    form = {"title": "Late deadline", "starts_at": "2027-03-12T09:00", "ends_at": "2027-03-12T12:00",
            "time_zone": "Europe/Helsinki", "capacity": "10", "registration_deadline": "2027-03-12T10:15"}
    with pytest.raises(ValidationFailed) as exc:
        admin.create_event(session=demo.session, actor=staff, data=form)
    assert fail_keys(exc) == {"registration_deadline": "error.event_deadline_after_start"}
    event = admin.create_event(session=demo.session, actor=staff, data={**form, "registration_deadline": "2027-03-12T09:00"})
    assert not event.deadline_is_start and event.registration_deadline == event.starts_at  # at the start: fine
    with pytest.raises(ValidationFailed) as exc:  # the start moved before the event's own deadline
        admin.update_event(session=demo.session, actor=staff, slug=event.slug,
                           data={"starts_at": "2027-03-12T08:00", "ends_at": "2027-03-12T12:00"})
    assert fail_keys(exc) == {"registration_deadline": "error.event_deadline_after_start"}


def test_the_times_errors_are_said_together_and_a_new_event_is_not_closed_from_its_start(demo):
    staff = demo.actor(STAFF)
    form = {"title": "Muddled", "starts_at": "2027-02-10T10:00", "ends_at": "2027-02-10T09:00",
            "time_zone": "Europe/Helsinki", "capacity": "10", "registration_deadline": "2027-02-11T10:00"}
    with pytest.raises(ValidationFailed) as exc:
        admin.create_event(session=demo.session, actor=staff, data=form)
    assert fail_keys(exc) == {"ends_at": "error.event_ends_before_start",
                              "registration_deadline": "error.event_deadline_after_start"}  # both, at once
    yesterday = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    form = {**form, "ends_at": "2027-02-10T12:00", "registration_deadline": yesterday}
    with pytest.raises(ValidationFailed) as exc:  # its registration would be closed from the first second
        admin.create_event(session=demo.session, actor=staff, data=form)
    assert fail_keys(exc) == {"registration_deadline": "error.event_deadline_passed"}
    event = admin.create_event(session=demo.session, actor=staff, data={**form, "registration_deadline": ""})
    # an edit may close registration early on purpose
    admin.update_event(session=demo.session, actor=staff, slug=event.slug, data={"registration_deadline": yesterday})
    row = event_row(demo, event.slug)
    assert not row.deadline_is_start and row.registration_deadline.replace(tzinfo=UTC) < utcnow()


def test_chosen_companies_without_a_company_say_what_to_choose(demo):
    staff = demo.actor(STAFF)
    form = {"title": "For some", "starts_at": "2027-02-10T10:00", "ends_at": "2027-02-10T12:00",
            "time_zone": "Europe/Helsinki", "capacity": "10", "visibility": "companies", "company_ids": []}
    with pytest.raises(ValidationFailed) as exc:
        admin.create_event(session=demo.session, actor=staff, data=form)
    assert fail_keys(exc) == {"company_ids": "error.event_choose_company"}  # not a bare "required"
    event = admin.create_event(session=demo.session, actor=staff, data={**form, "visibility": "all_customers"})
    with pytest.raises(ValidationFailed) as exc:
        admin.update_event(session=demo.session, actor=staff, slug=event.slug, data={"visibility": "companies"})
    assert fail_keys(exc) == {"company_ids": "error.event_choose_company"}


def test_an_empty_form_says_what_is_required_and_what_is_wrong(demo):
    """The form as the browser sends it untouched (the server checks it: `no_validate`)."""
    form = {"title": "", "starts_at": "", "ends_at": " ", "time_zone": "Europe/Helsinki", "capacity": "2.5",
            "online_url": "not a url", "registration_deadline": "12:00"}
    with pytest.raises(ValidationFailed) as exc:
        admin.create_event(session=demo.session, actor=demo.actor(STAFF), data=form)
    assert fail_keys(exc) == {"title": "error.required", "starts_at": "error.required", "ends_at": "error.required",
                              "capacity": "error.range", "online_url": "error.url",
                              "registration_deadline": "error.invalid"}


@pytest.mark.parametrize("typed", ["9999-12-31T10:00", "1900-01-01T10:00", "1999-12-31T23:59"])
def test_a_time_beyond_the_years_an_event_may_have_is_refused_at_its_field(demo, typed):
    """"9999-12-31" is a typing slip: its calendar file could not even be written (year 10000)."""
    staff = demo.actor(STAFF)
    form = {"title": "Far off", "starts_at": typed, "ends_at": "2027-03-12T12:00", "time_zone": "Europe/Helsinki",
            "capacity": "10", "registration_deadline": typed}
    with pytest.raises(ValidationFailed) as exc:
        admin.create_event(session=demo.session, actor=staff, data=form)
    last = date(utcnow().year + 10, 12, 31)
    assert exc.value.fields["starts_at"] == ("error.event_time_range", {"first": date(2000, 1, 1), "last": last})
    assert exc.value.fields["registration_deadline"][0] == "error.event_time_range"
    ok = admin.create_event(session=demo.session, actor=staff,
                            data={**form, "starts_at": f"{last.year}-12-31T09:00",
                                  "ends_at": f"{last.year}-12-31T10:00", "registration_deadline": ""})
    assert ok.starts_at.year == last.year  # the last year allowed, and its calendar file is written
    (calendar_event,) = Calendar.from_ical(event_mail.ics(ok)).walk("VEVENT")
    assert calendar_event.decoded("dtstart").year == last.year


def test_a_portal_user_is_mailed_in_the_language_its_account_has_now(demo):
    """Registered in English, then the account switched to German: the cancellation is German. A
    registrant without a login keeps the language it registered in."""
    user = demo.actor(USER)
    done = core.register(session=demo.session, actor=user, slug="portal-training")
    assert mails(demo)[-1].subject == "You are registered: Portal training"
    account = demo.account(USER)
    account.language = "de"
    demo.session.add(account)
    demo.session.commit()
    core.cancel_registration(session=demo.session, actor=demo.actor(USER), registration_id=done.registration_id)
    assert mails(demo)[-1].subject == "Anmeldung storniert: Portal-Schulung"
    assert demo.session.get(Registration, done.registration_id).language == "de"


def test_a_portal_user_registered_on_the_public_page_is_mailed_in_its_accounts_language(demo):
    """The page was read in Finnish; the person signs in in English: its mails are English, now and
    later. A visitor without a login gets the page's language."""
    done = core.register_public(session=demo.session, slug="portal-training", client_address=ADDRESS,
                                data=person(1, email=USER), language="fi")
    assert mails(demo)[-1].subject == "You are registered: Portal training"
    assert demo.session.get(Registration, done.registration_id).language == "en"
    core.register_public(session=demo.session, slug="portal-training", client_address=ADDRESS,
                         data=person(2), language="fi")
    assert mails(demo)[-1].subject.startswith("Ilmoittautuminen vahvistettu")


def test_someone_added_after_the_start_is_not_offered_a_cancellation_that_cannot_happen(demo):
    """Staff adds a walk-in once the event has started: the confirmation has no cancel link (it
    would open "can no longer be cancelled"); one added before the start has it."""
    make_event(demo, "at-the-door", capacity=5, starts_in=-timedelta(minutes=30))
    staff = demo.actor(STAFF)
    admin.add_attendee(session=demo.session, actor=staff, slug="at-the-door",
                       contact_id=demo.contact("pekka.nieminen@acme.example.com").id)
    mail = mails(demo)[-1]
    assert "/events/cancel/" not in mail.body and "Cannot come?" not in mail.body
    assert mail.body.rstrip().endswith("The calendar file is attached.")
    make_event(demo, "ahead", capacity=5)
    admin.add_attendee(session=demo.session, actor=staff, slug="ahead",
                       contact_id=demo.contact("pekka.nieminen@acme.example.com").id)
    assert "Cannot come? Cancel your registration here" in mails(demo)[-1].body


def test_a_new_time_or_place_is_mailed_to_every_registrant_with_a_calendar_update(demo):
    """Moved a day and to another room: the registered get the new time and place with a calendar
    file (the same UID, a higher SEQUENCE); the waiting the new time and place; a change of the
    capacity or the title alone mails nobody."""
    make_event(demo, "moving", capacity=1)
    core.register_public(session=demo.session, slug="moving", data=person(1), client_address=ADDRESS)
    core.register_public(session=demo.session, slug="moving", data=person(2), client_address=ADDRESS)  # waits
    first_ics = Calendar.from_ical(mails(demo)[-2].attachments[0]["content"]).walk("VEVENT")[0]
    staff = demo.actor(STAFF)
    before = len(mails(demo))
    admin.update_event(session=demo.session, actor=staff, slug="moving", data={"title": "Event moving (room 2)"})
    assert len(mails(demo)) == before
    event = event_row(demo, "moving")
    later = (event.starts_at + timedelta(days=1)).replace(microsecond=0)
    admin.update_event(session=demo.session, actor=staff, slug="moving", now=utcnow() + timedelta(minutes=5), data={
        "starts_at": later, "ends_at": later + timedelta(hours=2), "location": "Room 7"})
    new = mails(demo)[before:]
    assert [m.to for m in new] == ["visitor1@example.org", "visitor2@example.org"]
    assert all(m.subject == "Changed: Event moving (room 2)" and "Room 7" in m.body for m in new)
    (moved,) = Calendar.from_ical(new[0].attachments[0]["content"]).walk("VEVENT")
    assert moved.decoded("dtstart") == later.astimezone(ZoneInfo("Europe/Helsinki"))
    assert str(moved["uid"]) == str(first_ics["uid"]) and int(moved["sequence"]) > int(first_ics["sequence"])
    assert not new[1].attachments  # the waiting list holds no seat to put in a calendar
    assert "You are still registered as before" in new[0].body
    assert "You are still on its waiting list" in new[1].body and "still registered" not in new[1].body


def test_a_moved_online_events_mail_gives_its_link_only_to_those_holding_a_seat(demo):
    make_event(demo, "moving-online", capacity=1, location="", online_url=MEET)
    core.register_public(session=demo.session, slug="moving-online", data=person(1), client_address=ADDRESS)
    core.register_public(session=demo.session, slug="moving-online", data=person(2), client_address=ADDRESS)
    waiting = mails(demo)[-1]
    assert waiting.to == "visitor2@example.org" and MEET not in waiting.body and "Where: Online" in waiting.body
    before, event = len(mails(demo)), event_row(demo, "moving-online")
    later = (event.starts_at + timedelta(days=1)).replace(microsecond=0)
    admin.update_event(session=demo.session, actor=demo.actor(STAFF), slug="moving-online",
                       now=utcnow() + timedelta(minutes=5), data={"starts_at": later, "ends_at": later + timedelta(hours=1)})
    seat, queue = mails(demo)[before:]
    assert MEET in seat.body and (seat.to, queue.to) == ("visitor1@example.org", "visitor2@example.org")
    assert MEET not in queue.body and "Where: Online" in queue.body


def test_the_csv_is_in_the_readers_language(demo):
    """Staff reading German get a German header and German words (status, "ja", where from), split at
    semicolons as a German spreadsheet reads a CSV."""
    public(demo, n=1)
    staff = demo.actor(STAFF)
    german = replace(staff, language="de")
    _, text = admin.export_csv(session=demo.session, actor=german, slug="portal-training")
    (line,) = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    assert list(line)[:3] == ["Vorname", "Nachname", "E-Mail"] and "Angemeldet am (Europe/Helsinki)" in line
    assert (line["Status"], line["Quelle"]) == ("Angemeldet", "öffentliche Seite")


def test_an_event_that_has_ended_says_so_and_takes_no_one_by_hand(demo):
    """Not "has started" once it is over; staff's "Add a contact" refuses it beside the field, and
    mails no confirmation of a past event."""
    make_event(demo, "over", capacity=5, starts_in=-timedelta(days=3))
    view = core.get_event(session=demo.session, actor=demo.actor(USER), slug="over")
    assert view.closed_reason == "ended" and not view.registration_open
    make_event(demo, "going-on", capacity=5, starts_in=-timedelta(minutes=30))
    assert core.get_event(session=demo.session, actor=demo.actor(USER), slug="going-on").closed_reason == "started"
    before = len(mails(demo))
    with pytest.raises(ValidationFailed) as exc:
        admin.add_attendee(session=demo.session, actor=demo.actor(STAFF), slug="over",
                           contact_id=demo.contact("pekka.nieminen@acme.example.com").id)
    assert fail_keys(exc) == {"contact": "error.event_ended"} and len(mails(demo)) == before


def test_a_cancelled_events_meeting_link_is_no_longer_shown_and_the_event_is_kept_as_it_was(demo):
    make_event(demo, "online", capacity=5, online_url="https://meet.example.com/x")
    own = core.register(session=demo.session, actor=demo.actor(USER), slug="online")
    assert core.get_event(session=demo.session, actor=demo.actor(USER), slug="online").online_url
    staff = demo.actor(STAFF)
    admin.cancel_event(session=demo.session, actor=staff, slug="online")
    assert core.get_event(session=demo.session, actor=demo.actor(USER), slug="online").online_url == ""
    assert core.get_event(session=demo.session, actor=staff, slug="online").online_url  # staff's record
    with pytest.raises(ValidationFailed) as exc:
        admin.update_event(session=demo.session, actor=staff, slug="online", data={"location": "Room 2"})
    assert fail_keys(exc) == {"form": "error.event_cancelled_kept"}
    with pytest.raises(ValidationFailed) as exc:
        admin.set_checked_in(session=demo.session, actor=staff, registration_id=own.registration_id, checked_in=True)
    assert fail_keys(exc) == {"checked_in": "error.event_cancelled_kept"}
    row = event_row(demo, "online")
    assert row.location == "Room 1" and not demo.session.get(Registration, own.registration_id).checked_in


def test_a_corrected_time_zone_keeps_the_times_as_they_read(demo):
    """The form shows the times on the zone's clock: 10:00 Helsinki made London is 10:00 London
    (not 08:00), the deadline with it; a time sent along is read in the new zone."""
    staff = demo.actor(STAFF)
    start = datetime(2027, 5, 4, 10, 0)
    admin.create_event(session=demo.session, actor=staff, data={
        "slug": "zoned", "title": "Zoned", "capacity": 5, "time_zone": "Europe/Helsinki", "starts_at": start,
        "ends_at": start + timedelta(hours=2), "registration_deadline": datetime(2027, 5, 3, 16, 0)})
    admin.update_event(session=demo.session, actor=staff, slug="zoned", data={"time_zone": "Europe/London"})
    row = event_row(demo, "zoned")
    london = ZoneInfo("Europe/London")
    assert [_local(getattr(row, n), london) for n in ("starts_at", "ends_at", "registration_deadline")] == [
        "2027-05-04 10:00", "2027-05-04 12:00", "2027-05-03 16:00"]
    admin.update_event(session=demo.session, actor=staff, slug="zoned",
                       data={"time_zone": "Europe/Helsinki", "starts_at": "2027-05-04T09:00"})
    row = event_row(demo, "zoned")
    helsinki = ZoneInfo("Europe/Helsinki")
    assert (_local(row.starts_at, helsinki), _local(row.ends_at, helsinki)) == ("2027-05-04 09:00", "2027-05-04 12:00")


def test_a_time_the_clocks_skip_is_refused_beside_the_field(demo):
    with pytest.raises(ValidationFailed) as exc:  # 28 March 2027, Helsinki: 03:00 is 04:00
        admin.create_event(session=demo.session, actor=demo.actor(STAFF), data={
            "slug": "skipped", "title": "Skipped", "capacity": 5, "time_zone": "Europe/Helsinki",
            "starts_at": "2027-03-28T03:30", "ends_at": "2027-03-28T05:00"})
    assert exc.value.fields["starts_at"] == ("error.time_skipped", {"zone": "Europe/Helsinki"})
    assert "ends_at" not in exc.value.fields


def _local(moment, zone) -> str:  # noqa: ANN001
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")
