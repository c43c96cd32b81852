"""Forms that never double: the submit button's busy flag, and the submission id that makes a form
sent twice (a double click queues two events with the same form) create one ticket or comment.

The busy flag must reach the browser before the work starts (the handler's first yield) and be
cleared on every way out, a failure included.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlmodel import func, select
from statekit import Portal, redirect_path

from portal_app.db import session_scope
from portal_app.models import OutboxMail, Ticket, TicketComment
from portal_app.state.ticket_detail import TicketDetailState
from portal_app.state.ticket_new import NewTicketState

FORM = {"title": "Printer jams", "description": "On page two.", "category": "support", "priority": "normal"}


def count(model: type, *where: Any) -> int:
    with session_scope() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def new_ticket_form(portal: Portal) -> tuple[NewTicketState, dict]:
    inst = portal.state(NewTicketState, "acme_user", url="/tickets/new")
    portal.call(inst, "load")
    assert len(inst.submission_id) >= 16
    return inst, {**FORM, "submission_id": inst.submission_id}  # the hidden input sends it


def test_a_new_ticket_sent_twice_is_created_once_and_both_go_to_it(portal: Portal):
    inst, form = new_ticket_form(portal)
    mails_before = count(OutboxMail)
    first = redirect_path(portal.call(inst, "submit", dict(form)))
    assert count(OutboxMail) > mails_before
    mails_after = count(OutboxMail)
    second = redirect_path(portal.call(inst, "submit", dict(form)))  # the second click's event, queued
    assert first == second and first.startswith("/tickets/")
    assert count(Ticket, Ticket.title == "Printer jams") == 1
    assert count(OutboxMail) == mails_after  # no second mail
    assert not inst.errors and not inst.busy


def test_the_form_gets_a_new_id_after_a_ticket_and_on_each_showing(portal: Portal):
    inst, form = new_ticket_form(portal)
    shown = inst.submission_id
    portal.call(inst, "submit", dict(form))
    assert inst.submission_id != shown
    portal.call(inst, "load")
    again = inst.submission_id
    assert again != shown
    portal.call(inst, "submit", {**FORM, "submission_id": again})
    assert count(Ticket, Ticket.title == "Printer jams") == 2  # a new form is a new ticket


def test_a_refused_new_ticket_keeps_its_id_so_the_corrected_one_is_created_once(portal: Portal):
    inst, form = new_ticket_form(portal)
    portal.call(inst, "submit", {**form, "title": ""})
    assert inst.errors and inst.submission_id == form["submission_id"]
    portal.call(inst, "submit", dict(form))
    portal.call(inst, "submit", dict(form))
    assert count(Ticket, Ticket.title == "Printer jams") == 1


def test_a_comment_sent_twice_is_added_once(portal: Portal):
    number = portal.tickets().open
    inst = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{number}")
    portal.call(inst, "load")
    for staged in inst.staged:
        portal.call(inst, "remove_staged", staged["id"])
    form = {"comment": "Any news on this?", "submission_id": inst.submission_id, "seen_status": inst.status_code}
    portal.call(inst, "add_comment", dict(form))
    mails = count(OutboxMail)
    shown = len(inst.comments)
    portal.call(inst, "add_comment", dict(form))
    assert count(TicketComment, TicketComment.body == "Any news on this?") == 1
    assert count(OutboxMail) == mails
    assert not inst.errors and inst.notice and len(inst.comments) == shown and not inst.busy


@pytest.mark.parametrize("cls,handler,url", [
    (NewTicketState, "submit", "/tickets/new"),
    (TicketDetailState, "add_comment", "/tickets/{open}"),
])
def test_the_button_is_busy_while_the_form_is_sent_and_free_after_any_outcome(portal: Portal, monkeypatch, cls,
                                                                               handler, url):
    inst = portal.state(cls, "acme_user", url=url.format(open=portal.tickets().open))
    portal.call(inst, "load")
    seen: list[bool] = []

    async def drive(form):
        gen = cls.event_handlers[handler].fn(inst, form)
        await gen.__anext__()  # the first step only sets the flag and hands it to the browser
        seen.append(inst.busy)
        try:
            async for _ in gen:
                pass
        except RuntimeError:
            pass
        seen.append(inst.busy)

    asyncio.run(drive({**FORM, "comment": "Hello", "submission_id": inst.submission_id}))
    assert seen == [True, False]

    def broken(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("portal_app.state.ticket_new.run_service", broken)
    monkeypatch.setattr("portal_app.state.ticket_detail.run_service", broken)
    seen.clear()
    asyncio.run(drive({**FORM, "comment": "Hello again", "submission_id": inst.submission_id}))
    assert seen == [True, False]  # cleared on a failure too


# --- file names as uploaded -------------------------------------------------------------------------


def test_a_quoted_file_name_shows_as_uploaded_in_the_list_and_on_the_ticket(portal: Portal):
    """Browsers send `"` in an upload's file name as %22 (and CR/LF as %0D/%0A); the list of staged
    files, the ticket and its download show the name the user's file has."""
    from statekit import UploadFiles

    from portal_app.models import Attachment

    inst, form = new_ticket_form(portal)
    portal.call(inst, "stage_files", UploadFiles([("my %22quoted%22 file.txt", b"hello"),
                                                  ("100%.txt", b"percent")]))
    assert [f["name"] for f in inst.staged] == ['my "quoted" file.txt', "100%.txt"]
    path = redirect_path(portal.call(inst, "submit", dict(form)))
    detail = portal.state(TicketDetailState, "acme_user", url=path)
    portal.call(detail, "load")
    assert [f["name"] for f in detail.files] == ['my "quoted" file.txt', "100%.txt"]
    with session_scope() as s:
        stored = s.exec(select(Attachment.stored_name).where(Attachment.file_name == 'my "quoted" file.txt')).one()
    assert '"' not in stored and len(stored) == 32  # the stored name stays random
