"""The events states for the right actors: the list and "My registrations", an event's Register and
Cancel registration with seats left following other people's registrations (`tick`), a company
admin registering a colleague, the public page (registered, waiting list, honeypot, not found), the
signed cancel link, and staff's create, edit, cancel, check-in, add by hand.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from sqlmodel import select
from statekit import Portal, redirect_path

from portal_app.db import session_scope
from portal_app.models import Event, OutboxMail, Registration, utcnow
from portal_app.services.events import core as events
from portal_app.services.events.tokens import make_token
from portal_app.services.portal.config import set_module_enabled
from portal_app.services.events.event_rules import PUBLIC_COMPANY_NAME
from portal_app.state.admin_companies import AdminCompaniesState
from portal_app.state.admin_events import AdminEventState, AdminEventsState
from portal_app.services.events import admin as event_admin
from portal_app.state.events import EventCancelState, EventListState, EventPageState, PublicRegisterState

PERSON = {"first_name": "Vera", "last_name": "Visitor", "email": "vera@example.org", "consent": "on"}


def _event(slug: str) -> Event:
    with session_scope() as s:
        return s.exec(select(Event).where(Event.slug == slug)).one()


def _registrations(slug: str) -> list[Registration]:
    with session_scope() as s:
        event_id = s.exec(select(Event.id).where(Event.slug == slug)).one()
        return list(s.exec(select(Registration).where(Registration.event_id == event_id)
                           .order_by(Registration.id)).all())


def _outbox_rows() -> int:
    with session_scope() as s:
        return len(s.exec(select(OutboxMail.id)).all())


def _page(portal: Portal, who: str, slug: str = "portal-training") -> EventPageState:
    inst = portal.state(EventPageState, who, url=f"/events/{slug}")
    portal.call(inst, "load")
    return inst


def _public(portal: Portal, slug: str = "portal-training") -> PublicRegisterState:
    inst = portal.state(PublicRegisterState, None, url=f"/register/{slug}")
    portal.call(inst, "load")
    return inst


def _register_public(portal: Portal, email: str, slug: str = "portal-training") -> PublicRegisterState:
    inst = _public(portal, slug)
    portal.call(inst, "submit", {**PERSON, "email": email, "submission_id": inst.submission_id})
    return inst


def test_the_list_shows_upcoming_past_and_my_registrations(portal: Portal):
    inst = portal.state(EventListState, "acme_user", url="/events")
    portal.call(inst, "load")
    assert inst.loaded and not inst.unavailable
    assert [e["slug"] for e in inst.upcoming] == ["portal-training", "security-webinar", "roadmap-2027"]
    assert [e["slug"] for e in inst.past] == ["customer-day-past"]
    assert inst.upcoming[0]["seats_left"] == 3 and inst.upcoming[0]["price"] == "Free of charge"
    assert [r["slug"] for r in inst.mine] == ["customer-day-past"]  # the past event's registration
    assert not inst.company_admin and inst.company_regs == []


def test_a_contact_registers_and_cancels_on_the_event_page(portal: Portal):
    inst = _page(portal, "acme_user")
    assert inst.found and inst.can_register and inst.open and inst.seats_left == 3
    assert inst.my_status == "" and "Helsinki" in inst.place and "(Europe/Helsinki)" in inst.when
    portal.call(inst, "register", {"submission_id": inst.submission_id})
    assert not inst.errors, inst.errors
    assert inst.my_status == "registered" and inst.my_status_text == "You are registered" and inst.seats_left == 2
    assert [(r.email, r.status) for r in _registrations("portal-training")] == [("user@acme.example.com",
                                                                                  "registered")]
    portal.call(inst, "cancel")
    assert not inst.errors and inst.my_status == "" and inst.seats_left == 3
    assert inst.notice == "Your registration is cancelled"
    assert [r.status for r in _registrations("portal-training")] == ["cancelled"]
    mails = _outbox_rows()
    inst._mine_id = _registrations("portal-training")[0].id  # as a tab that still shows it (cancelled elsewhere)
    portal.call(inst, "cancel")
    assert inst.errors == {} and inst.notice == "Your registration is cancelled"  # not "already cancelled"
    assert _outbox_rows() == mails


def test_the_same_form_sent_twice_registers_once(portal: Portal):
    inst = _page(portal, "acme_user")
    form = {"submission_id": inst.submission_id}
    portal.call(inst, "register", form)
    portal.call(inst, "register", form)
    assert not inst.errors and len(_registrations("portal-training")) == 1


def test_seats_left_follow_other_peoples_registrations_without_reload(portal: Portal, monkeypatch):
    inst = _page(portal, "acme_user")
    calls: list[int] = []
    real = events.get_event
    monkeypatch.setattr(events, "get_event", lambda **kw: calls.append(1) or real(**kw))
    portal.call(inst, "tick", "")
    assert calls == []  # nothing moved: no query
    _register_public(portal, "someone@example.org")
    portal.call(inst, "tick", "")
    assert inst.seats_left == 2 and calls == [1]
    portal.call(inst, "tick", "")
    assert calls == [1]


def test_the_list_follows_registrations_too(portal: Portal):
    inst = portal.state(EventListState, "acme_user", url="/events")
    portal.call(inst, "load")
    _register_public(portal, "someone@example.org")
    portal.call(inst, "tick", "")
    assert inst.upcoming[0]["seats_left"] == 2


def test_a_company_admin_registers_a_colleague_and_sees_the_companys_registrations(portal: Portal):
    inst = _page(portal, "acme_admin")
    names = {c["label"]: c["value"] for c in inst.colleagues}
    assert "Ville Korhonen" in names and "Sanna Laine" not in names  # no email: cannot register
    portal.call(inst, "register", {"submission_id": inst.submission_id, "contact_id": names["Ville Korhonen"]})
    assert not inst.errors, inst.errors
    assert inst.my_status == ""  # the admin itself is not registered
    assert inst.notice == "Ville Korhonen is registered."
    # he is on the event now: no longer offered, and the admin's own status is not said twice
    assert "Ville Korhonen" not in {c["label"] for c in inst.colleagues} and inst.colleagues
    listing = portal.state(EventListState, "acme_admin", url="/events")
    portal.call(listing, "load")
    assert listing.company_admin
    assert ("portal-training", "Ville Korhonen") in {(r["slug"], r["name"]) for r in listing.company_regs}
    # his row names his place, not "You"
    assert [r["status_label"] for r in listing.company_regs
            if (r["slug"], r["name"]) == ("portal-training", "Ville Korhonen")] == ["Registered"]
    # and cancels it from the list
    rid = next(r["registration_id"] for r in listing.company_regs if r["slug"] == "portal-training")
    portal.call(listing, "cancel", rid)
    assert not listing.errors and "portal-training" not in {r["slug"] for r in listing.company_regs}
    assert listing.notice == "Ville Korhonen's registration is cancelled"  # whose, not "Your"
    mails = _outbox_rows()
    portal.call(listing, "cancel", rid)  # the dialog's Confirm double-clicked: the first click's notice stands
    assert listing.errors == {} and listing.notice == "Ville Korhonen's registration is cancelled"
    assert _outbox_rows() == mails
    portal.call(inst, "tick", "")  # the open event page follows: he may be registered again
    assert "Ville Korhonen" in {c["label"] for c in inst.colleagues}


def test_the_colleague_form_sent_again_or_without_a_choice_registers_no_one(portal: Portal):
    inst = _page(portal, "acme_admin")
    form = {"submission_id": inst.submission_id, "contact_id": ""}
    portal.call(inst, "register", form)  # no one chosen: said beside the choice, nothing written
    assert inst.errors == {"contact_id": "Choose the colleague to register."} and _registrations("portal-training") == []
    names = {c["label"]: c["value"] for c in inst.colleagues}
    portal.call(inst, "register", {**form, "contact_id": names["Ville Korhonen"]})
    assert inst.notice == "Ville Korhonen is registered." and not inst.errors
    # a second click on the form just sent, whose choice now shows the next colleague: no one more,
    # and the notice of the first stays
    portal.call(inst, "register", {**form, "contact_id": inst.colleagues[0]["value"]})
    assert inst.notice == "Ville Korhonen is registered." and len(_registrations("portal-training")) == 1


def test_a_colleague_on_the_waiting_list_is_not_offered_either_and_is_named(portal: Portal):
    for n in range(3):
        _register_public(portal, f"p{n}@example.org")  # the event is full
    inst = _page(portal, "acme_admin")
    ville = next(c["value"] for c in inst.colleagues if c["label"] == "Ville Korhonen")
    portal.call(inst, "register", {"submission_id": inst.submission_id, "contact_id": ville})
    assert inst.notice == "Ville Korhonen is on the waiting list (position 1)."
    assert ville not in {c["value"] for c in inst.colleagues}
    listing = portal.state(EventListState, "acme_admin", url="/events")
    portal.call(listing, "load")
    assert [r["status_label"] for r in listing.company_regs
            if (r["slug"], r["name"]) == ("portal-training", "Ville Korhonen")] == ["Waiting list (position 1)"]
    # taken off the waiting list: said as such, not as a cancelled registration
    (row,) = [r for r in listing.company_regs if (r["slug"], r["name"]) == ("portal-training", "Ville Korhonen")]
    portal.call(listing, "cancel", row["registration_id"])
    assert listing.notice == "Ville Korhonen is off the waiting list" and not listing.errors


def test_leaving_the_waiting_list_says_so(portal: Portal):
    for n in range(3):
        _register_public(portal, f"p{n}@example.org")  # the event is full
    inst = _page(portal, "acme_user")
    portal.call(inst, "register", {"submission_id": inst.submission_id})
    assert inst.my_status == "waiting"
    portal.call(inst, "cancel")
    assert inst.notice == "You left the waiting list" and inst.my_status == ""


def test_registering_oneself_says_it_once(portal: Portal):
    inst = _page(portal, "acme_user")
    portal.call(inst, "register", {"submission_id": inst.submission_id})
    assert inst.my_status_text == "You are registered" and inst.notice == ""  # the status callout says it


def test_a_past_event_says_you_were_registered_and_is_flagged_past(portal: Portal):
    inst = _page(portal, "acme_user", "customer-day-past")
    assert inst.found and inst.past and inst.started and not inst.open
    assert inst.my_status == "registered" and inst.my_status_text == "You were registered"
    listing = portal.state(EventListState, "acme_user", url="/events")
    portal.call(listing, "load")
    (past,) = listing.past
    assert past["past"] and past["mine"] == "You were registered"  # the page shows no seats left for it
    assert not any(e["past"] for e in listing.upcoming)
    assert {r["status_label"] for r in listing.mine if r["slug"] == "customer-day-past"} == {"You were registered"}


def test_the_meeting_link_is_in_no_state_but_a_registered_viewers(portal: Portal):
    url = _event("security-webinar").online_url
    assert url
    public = _public(portal, "security-webinar")
    assert public.found and public.online and url not in repr(public.dict())  # the public page: never
    listing = portal.state(EventListState, "acme_user", url="/events")
    portal.call(listing, "load")
    assert url not in repr(listing.dict())
    assert next(e for e in listing.upcoming if e["slug"] == "security-webinar")["online"]
    page = _page(portal, "acme_user", "security-webinar")
    assert page.online and page.online_url == "" and url not in repr(page.dict())
    portal.call(page, "register", {"submission_id": page.submission_id})
    assert page.my_status == "registered" and page.online_url == url  # registered: the link is theirs
    portal.call(page, "cancel")
    assert page.my_status == "" and page.online_url == "" and url not in repr(page.dict())
    staff = portal.state(AdminEventState, "staff", url="/admin/events/security-webinar")
    portal.call(staff, "load")
    assert staff.values["online_url"] == url  # staff edit it


def test_the_deadline_is_shown_in_the_events_zone(portal: Portal):
    event = _event("portal-training")
    zone = ZoneInfo(event.time_zone)
    local = event.registration_deadline.replace(tzinfo=UTC).astimezone(zone)
    assert local.utcoffset() != timedelta(0)
    expected = format_datetime(local.replace(tzinfo=None), format="MMM d, y, h:mm\u202fa", locale="en") + (
        f" ({event.time_zone})")  # named, as the event's time is
    assert _public(portal).deadline == expected
    assert _page(portal, "acme_user").deadline == expected
    listing = portal.state(EventListState, "acme_user", url="/events")
    portal.call(listing, "load")
    assert next(e for e in listing.upcoming if e["slug"] == "portal-training")["deadline"] == expected


def test_a_bad_phone_number_is_said_next_to_the_field(portal: Portal):
    inst = _public(portal)
    before = portal.snapshot()
    portal.call(inst, "submit", {**PERSON, "phone": "abc", "submission_id": inst.submission_id})
    assert set(inst.errors) == {"phone"} and "+358 40 123 4567" in inst.errors["phone"] and inst.outcome == ""
    assert portal.snapshot() == before
    portal.call(inst, "submit", {**PERSON, "phone": "+358 (40) 123-4567", "submission_id": inst.submission_id})
    assert not inst.errors and inst.outcome == "You are registered" and "calendar file" in inst.outcome_mail


def test_a_basic_contact_is_offered_no_colleagues(portal: Portal):
    assert _page(portal, "acme_user").colleagues == []


def test_the_events_page_is_unavailable_without_the_module(portal: Portal):
    for who in ("partner",):  # a collaborator has no Events
        inst = portal.state(EventListState, who, url="/events")
        portal.call(inst, "load")
        assert inst.unavailable and inst.upcoming == []
    with session_scope() as s:
        set_module_enabled(session=s, actor=portal.actor("staff"), module="events", enabled=False)
    inst = portal.state(EventListState, "acme_user", url="/events")
    portal.call(inst, "load")
    assert inst.unavailable and not inst.loaded
    page = _page(portal, "acme_user")
    assert page.unavailable and not page.found


def test_another_companys_or_unknown_event_is_not_found(portal: Portal):
    inst = _page(portal, "acme_user", "no-such-event")
    assert not inst.found and inst.errors.get("page")


def test_public_registration_then_the_waiting_list(portal: Portal):
    first = _public(portal)
    assert first.found and first.open and first.title == "Portal training"
    for n in range(3):
        done = _register_public(portal, f"p{n}@example.org")
        assert done.outcome == "You are registered", done.errors
    late = _register_public(portal, "late@example.org")
    assert late.outcome == "You are on the waiting list (position 1)"
    assert "calendar" not in late.outcome_mail and "leave the waiting list" in late.outcome_mail
    with session_scope() as s:
        mails = s.exec(select(OutboxMail)).all()
        assert {m.to for m in mails} >= {"p0@example.org", "late@example.org"}


def test_the_public_page_says_a_full_event_is_full_before_submitting(portal: Portal, monkeypatch):
    from portal_app.settings import settings
    from portal_app.state import events as event_states

    monkeypatch.setattr(event_states, "deliver_soon", lambda ids: None)  # keep the bodies in the outbox to read
    assert not _public(portal).full
    for n in range(3):
        _register_public(portal, f"p{n}@example.org")
    inst = _public(portal)  # a new visitor: the form still (the waiting list is on), and why
    assert inst.full and inst.open and inst.outcome == "" and inst.seats_left == 0
    assert _register_public(portal, "late@example.org").outcome == "You are on the waiting list (position 1)"
    with session_scope() as s:  # their mails link to this public page, not the portal's sign-in one
        bodies = [m.body for m in s.exec(select(OutboxMail).where(OutboxMail.to == "p0@example.org")).all()]
    assert bodies and all(f"{settings.portal_url}/register/portal-training" in b for b in bodies)
    assert not any("/events/portal-training" in b for b in bodies)


def test_public_form_errors_are_by_field_and_save_nothing(portal: Portal):
    inst = _public(portal)
    before = portal.snapshot()
    portal.call(inst, "submit", {"first_name": "", "last_name": "X", "email": "not-an-email",
                                 "submission_id": inst.submission_id})
    assert set(inst.errors) == {"first_name", "email", "consent"} and inst.outcome == ""
    portal.call(inst, "submit", {**PERSON, "website": "http://spam.example", "submission_id": inst.submission_id})
    assert "form" in inst.errors and inst.outcome == ""
    assert portal.snapshot() == before


def test_a_page_without_a_public_page_is_not_found(portal: Portal):
    inst = _public(portal, "roadmap-2027")
    assert inst.loaded and not inst.found and inst.title == ""
    before = portal.snapshot()
    portal.call(inst, "submit", {**PERSON, "submission_id": inst.submission_id})
    assert portal.snapshot() == before and inst.outcome == ""


def _full_training_cancel_link(portal: Portal) -> str:
    """Portal training full (3 seats) with one waiting; the cancel link of the first registrant."""
    for n in range(3):
        _register_public(portal, f"p{n}@example.org")
    _register_public(portal, "late@example.org")
    first = _registrations("portal-training")[0]
    return f"/events/cancel/{make_token(first.id, first.cancel_nonce)}"


def test_the_cancel_link_cancels_once_and_promotes_the_waiting(portal: Portal):
    url = _full_training_cancel_link(portal)
    inst = portal.state(EventCancelState, None, url=url)
    portal.call(inst, "load")
    assert inst.valid and inst.can_cancel and inst.title == "Portal training" and inst.name == "Vera Visitor"
    assert (inst.waiting, inst.position) == (False, 0)  # a seat: "Cancel registration"
    late = _registrations("portal-training")[-1]
    waiting = portal.state(EventCancelState, None, url=f"/events/cancel/{make_token(late.id, late.cancel_nonce)}")
    portal.call(waiting, "load")
    assert waiting.valid and waiting.can_cancel and (waiting.waiting, waiting.position) == (True, 1)
    portal.call(inst, "cancel")
    assert inst.done and not inst.errors
    assert [r.status for r in _registrations("portal-training")] == ["cancelled", "registered", "registered",
                                                                     "registered"]
    again = portal.state(EventCancelState, None, url=url)
    portal.call(again, "load")
    assert again.done and not again.can_cancel
    forged = portal.state(EventCancelState, None, url=url[:-3] + "abc")
    portal.call(forged, "load")
    assert not forged.valid and "token" in forged.errors


def test_the_cancel_link_opens_in_the_language_of_its_mail(portal: Portal):
    url = _full_training_cancel_link(portal)
    first = _registrations("portal-training")[0]
    with session_scope() as s:  # registered in Finnish: its mails, with this link, were Finnish
        row = s.get(Registration, first.id)
        row.language = "fi"
        s.add(row)
        s.commit()
    inst = portal.state(EventCancelState, None, url=url)
    portal.call(inst, "load")
    assert inst.valid and inst.lang == "fi"
    assert inst.title == "Portaalikoulutus"  # the event's title in it too, at the first load
    portal.call(inst, "choose_language", "en")  # the visitor's own choice (the browser's cookie) wins
    portal.call(inst, "load")
    assert inst.lang == "en" and inst.title == "Portal training"


def test_the_cancel_link_confirmed_twice_cancels_once_and_says_only_the_success(portal: Portal):
    """A double click on the link's "Cancel registration": the second, queued confirm finds the
    registration cancelled by this tab and adds no "already used" message; another visit's tab does."""
    url = _full_training_cancel_link(portal)
    inst = portal.state(EventCancelState, None, url=url)
    other = portal.state(EventCancelState, None, url=url)  # the same link open in another visit
    portal.call(inst, "load")
    portal.call(other, "load")
    portal.call(inst, "cancel")
    assert inst.done and not inst.errors
    mails = _outbox_rows()
    portal.call(inst, "cancel")
    assert inst.done and not inst.can_cancel and inst.errors == {}
    assert [r.status for r in _registrations("portal-training")] == ["cancelled", "registered", "registered",
                                                                     "registered"]
    assert _outbox_rows() == mails
    portal.call(other, "cancel")
    assert "token" in other.errors and "already been used" in other.errors["token"]


def test_the_holding_company_of_public_registrants_is_no_audience_and_named_in_staffs_language(portal: Portal):
    _register_public(portal, "walk-in@example.org")  # files the person under the holding company
    listing = portal.state(AdminEventsState, "staff", url="/admin/events")
    portal.call(listing, "load")
    labels = [c["label"] for c in listing.companies]
    assert "Acme Oy" in labels and PUBLIC_COMPANY_NAME not in labels
    companies = portal.state(AdminCompaniesState, "staff", url="/admin/companies")
    portal.call(companies, "load")
    assert "Event registrations (public page, no portal access)" in [r["name"] for r in companies.rows]


def test_staff_creates_edits_and_cancels_an_event(portal: Portal):
    start = (utcnow() + timedelta(days=40)).strftime("%Y-%m-%dT10:00")
    end = (utcnow() + timedelta(days=40)).strftime("%Y-%m-%dT12:00")
    listing = portal.state(AdminEventsState, "staff", url="/admin/events")
    portal.call(listing, "load")
    assert {"portal-training", "customer-day-past"} <= {r["slug"] for r in listing.rows}
    status = {r["slug"]: r["status"] for r in listing.rows}
    assert (status["portal-training"], status["customer-day-past"]) == ("Active", "Ended")  # a past event is over
    result = portal.call(listing, "create", {"title": "", "starts_at": start, "ends_at": end, "capacity": "0",
                                             "time_zone": "Europe/Helsinki"})
    assert set(listing.errors) >= {"title", "capacity"} and not redirect_path(result)
    result = portal.call(listing, "create", {"title": "Spring workshop", "starts_at": start, "ends_at": end,
                                             "capacity": "2", "time_zone": "Europe/Helsinki", "public_page": "on",
                                             "waitlist_enabled": "on", "visibility": "all_customers"})
    assert not listing.errors, listing.errors
    assert redirect_path(result) == "/admin/events/spring-workshop"
    event = _event("spring-workshop")
    assert event.public_page and event.waitlist_enabled and event.capacity == 2

    inst = portal.state(AdminEventState, "staff", url="/admin/events/spring-workshop")
    portal.call(inst, "load")
    assert inst.found and inst.values["starts_at"] == start and inst.public_page
    assert inst.values["title_fi"] == "" and not inst.texts_open
    portal.call(inst, "save", {**inst.values, "title_fi": "x" * 201})  # said at the Finnish title, which unfolds
    assert set(inst.errors) == {"title_fi"} and inst.texts_open
    portal.call(inst, "save", {**inst.values, "capacity": "4", "title": "Spring workshop 2",
                               "title_fi": "Kevättyöpaja"})  # boxes unticked
    assert not inst.errors, inst.errors
    assert inst.values["title_fi"] == "Kevättyöpaja"
    finnish = portal.state(EventListState, "acme_user", url="/events")
    finnish.lang = "fi"
    portal.call(finnish, "load")
    assert ("Kevättyöpaja", "fi") in [(e["title"], e["title_lang"]) for e in finnish.upcoming]
    finnish_page = portal.state(EventPageState, "acme_user", url="/events/spring-workshop")
    finnish_page.lang = "fi"
    portal.call(finnish_page, "load")
    assert finnish_page.title == "Kevättyöpaja"
    # the description was written in English only: the Finnish page marks it so (a screen reader's voice)
    assert finnish_page.text_lang == {"title": "fi", "description": "en", "price_text": "en"}
    event = _event("spring-workshop")
    assert (event.capacity, event.title, event.public_page, event.waitlist_enabled) == (4, "Spring workshop 2",
                                                                                        False, False)
    portal.call(inst, "cancel_event")
    assert not inst.errors and inst.cancelled and _event("spring-workshop").status == "cancelled"
    notice = inst.notice
    portal.call(inst, "cancel_event")  # Confirm double-clicked: the success stands, not "has been cancelled"
    assert inst.errors == {} and inst.notice == notice and notice


def test_staff_sees_attendees_checks_in_and_adds_a_contact(portal: Portal):
    for n in range(3):
        _register_public(portal, f"p{n}@example.org")
    _register_public(portal, "late@example.org")
    inst = portal.state(AdminEventState, "staff", url="/admin/events/portal-training")
    portal.call(inst, "load")
    assert [(a["email"], a["status_label"], a["position"]) for a in inst.attendees] == [
        ("p0@example.org", "Registered", ""), ("p1@example.org", "Registered", ""),
        ("p2@example.org", "Registered", ""), ("late@example.org", "Waiting list", "1")]
    assert inst.csv_href == "/api/events/portal-training/attendees.csv"
    first = inst.attendees[0]["registration_id"]
    portal.call(inst, "set_checked_in", first, True)
    assert not inst.errors and inst.attendees[0]["checked_in"]
    portal.call(inst, "set_checked_in", inst.attendees[3]["registration_id"], True)  # waiting: refused
    assert "form" in inst.errors
    portal.call(inst, "add_attendee", {"contact_email": "nobody@example.org"})
    assert "contact" in inst.errors
    form = {"contact_email": "pekka.nieminen@acme.example.com", "submission_id": inst.attendee_submission_id}
    portal.call(inst, "add_attendee", form)
    assert not inst.errors, inst.errors
    assert ("pekka.nieminen@acme.example.com", "2") in {(a["email"], a["position"]) for a in inst.attendees}
    portal.call(inst, "add_attendee", form)  # the same form again (a double click): no "already registered"
    assert not inst.errors and inst.notice == "Added." and len(inst.attendees) == 5
    assert inst.attendee_submission_id != form["submission_id"]  # the next form is a new one
    with session_scope() as s:
        event_admin.cancel_event(session=s, actor=portal.actor("staff"), slug="portal-training")
    portal.call(inst, "add_attendee", {"contact_email": "klara.weber@globex.example.com",
                                       "submission_id": inst.attendee_submission_id})
    # said next to the address typed, where staff acted, not at the top of a long page
    assert inst.errors == {"contact": "This event has been cancelled; registration is closed."}


def test_a_cancelled_events_pages_say_the_registrations_went_with_it(portal: Portal):
    """After staff cancels the event: the event page says so (and that the viewer's registration went
    with it), with no place, no seats left and no cancel button; "My registrations" says "Event
    cancelled" without the button; the mailed link says so instead of offering to cancel."""
    page = _page(portal, "acme_user")
    portal.call(page, "register", {"submission_id": page.submission_id})
    assert page.my_status == "registered"
    url = _full_training_cancel_link(portal)
    from portal_app.services.events import admin as event_admin
    with session_scope() as s:
        event_admin.cancel_event(session=s, actor=portal.actor("staff"), slug="portal-training")
    portal.call(page, "tick", "")
    assert page.cancelled and page.my_status == "" and page.cancelled_text == page._t("events.cancelled_with_event")
    listing = portal.state(EventListState, "acme_user", url="/events")
    portal.call(listing, "load")
    (row,) = [r for r in listing.mine if r["slug"] == "portal-training"]
    assert row["status_label"] == "Event cancelled" and not row["cancellable"]
    assert [i["mine"] for i in listing.upcoming if i["slug"] == "portal-training"] == [""]
    link = portal.state(EventCancelState, None, url=url)
    portal.call(link, "load")
    assert link.valid and link.event_cancelled and not link.can_cancel and not link.done


def test_staffs_page_of_an_unknown_event_says_so(portal: Portal):
    """`/admin/events/<unknown>` says the event was not found, instead of an empty card; a known
    event's page says nothing of the kind; a customer gets neither."""
    unknown = portal.state(AdminEventState, "staff", url="/admin/events/no-such-event")
    portal.call(unknown, "load")
    assert unknown.missing and not unknown.found and unknown.title == ""
    known = portal.state(AdminEventState, "staff", url="/admin/events/portal-training")
    portal.call(known, "load")
    assert known.found and not known.missing
    customer = portal.state(AdminEventState, "acme_admin", url="/admin/events/portal-training")
    portal.call(customer, "load")
    assert not customer.found and not customer.missing


def test_two_colleagues_of_the_same_name_are_told_apart_by_their_addresses(portal: Portal):
    from portal_app.models import Contact

    with session_scope() as s:
        ville = s.exec(select(Contact).where(Contact.email == "user@acme.example.com")).one()
        s.add(Contact(company_id=ville.company_id, first_name="Ville", last_name="Korhonen",
                      email="ville.korhonen2@acme.example.com"))
        s.commit()
    labels = {c["label"] for c in _page(portal, "acme_admin").colleagues}
    assert {"Ville Korhonen (user@acme.example.com)", "Ville Korhonen (ville.korhonen2@acme.example.com)"} <= labels
    assert "Liisa Mäkinen" in labels  # a name of its own: just the name
