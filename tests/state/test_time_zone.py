"""A user reads times in a zone of its own, chosen on "My details": its lists and a ticket's page
show them there at once, a tab opened before the change follows on its next event, and everybody
else keeps the portal's zone."""

from __future__ import annotations

from sqlmodel import select
from statekit import GARBAGE, Portal, redirect_path

from portal_app.db import session_scope
from portal_app.i18n import format_moment, format_when
from portal_app.models import Account, Ticket, TicketComment
from portal_app.settings import settings
from portal_app.state.profile import MyDetailsState
from portal_app.state.ticket_detail import TicketDetailState
from portal_app.state.ticket_list import TicketListState

NEW_YORK = "America/New_York"


def _created() -> dict[int, object]:
    with session_scope() as s:
        return {t.number: t.created_at for t in s.exec(select(Ticket)).all()}


def _list(portal: Portal, who: str) -> TicketListState:
    inst = portal.state(TicketListState, who, url="/tickets")
    portal.call(inst, "load")
    assert inst.loaded and inst.rows
    return inst


def _zone_of(email: str) -> str:
    with session_scope() as s:
        return s.exec(select(Account.time_zone).where(Account.email == email)).one()


def test_a_user_reads_its_lists_and_tickets_in_the_zone_it_chose(portal: Portal):
    portal.tickets()
    me = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(me, "load")
    assert me.time_zone_chosen == "" and me.portal_zone_label == f"The portal's time zone ({settings.time_zone})"
    before = _list(portal, "acme_user")  # a tab opened before the change
    created = _created()
    assert all(r["created"] == format_when(created[r["number"]], "en") for r in before.rows)

    portal.call(me, "save_time_zone", {"time_zone": NEW_YORK})
    assert not me.zone_errors and me.zone_notice == f"Times are now shown in {NEW_YORK}."
    assert me.time_zone_chosen == NEW_YORK and _zone_of("user@acme.example.com") == NEW_YORK

    after = _list(portal, "acme_user")
    for row in after.rows:  # seven hours behind Helsinki: never the same text
        assert row["created"] == format_when(created[row["number"]], "en", NEW_YORK) != format_when(
            created[row["number"]], "en"), row
    # the tab opened before loads again at its address on its next event (the shell's timer)
    assert redirect_path(portal.call(before, "follow_rights")) == "/tickets"

    detail = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{portal.tickets().open}")
    portal.call(detail, "load")
    with session_scope() as s:
        comments = {c.id: c.created_at for c in s.exec(select(TicketComment)).all()}
    assert detail.comments and all(c["created"] == format_moment(comments[c["id"]], "en", zone=NEW_YORK)
                                   for c in detail.comments)

    # a colleague on the same company's tickets keeps the portal's zone
    colleague = _list(portal, "acme_admin")
    assert all(r["created"] == format_when(created[r["number"]], "en") for r in colleague.rows)

    portal.call(me, "save_time_zone", {"time_zone": ""})  # back to the portal's
    assert me.zone_notice == f"Times are now shown in {settings.time_zone}." and _zone_of("user@acme.example.com") == ""


def test_a_zone_not_on_the_list_is_refused_at_its_field_and_nothing_changes(portal: Portal):
    me = portal.state(MyDetailsState, "acme_user", url="/me")
    portal.call(me, "load")
    portal.call(me, "save_time_zone", {"time_zone": "Europe/Berlin"})
    before = portal.snapshot()
    # a place that is not one, aliases and offsets kept for old systems, and what a hostile client sends
    for bad in ("Mars/Olympus_Mons", "US/Eastern", "EST", "Etc/GMT+3", "../../etc/passwd", *GARBAGE):
        portal.call(me, "save_time_zone", {"time_zone": bad})
        assert me.zone_errors == {"time_zone": "Choose a time zone from the list."}, bad
        assert not me.zone_notice and portal.snapshot() == before
    portal.call(me, "save_time_zone", "not a form")
    assert me.zone_errors and portal.snapshot() == before
