"""Files staged for a ticket or comment: `stage_files` is a background upload handler taking an
`rx.UploadChunkIterator`. `UploadFiles` (statekit) stands for the iterator: `Portal.call` pushes its
files, in chunks and each from offset 0 as Reflex's multipart parser does, into a real iterator
while the handler consumes it.

The handler belongs to StagingState; NewTicketState and TicketDetailState are its substates and
read `staged` through it, so files dropped on either page are sent with that page's form. The list
is the user's staged files as the database has them: a reload or another tab shows them again, and
the user's quota (count and bytes) holds across reloads and tabs.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select
from statekit import Portal, UploadFiles

from portal_app.db import session_scope
from portal_app.models import Attachment, Ticket
from portal_app.services.tickets import attachments
from portal_app.services.tickets import core as tickets_service
from portal_app.settings import settings
from portal_app.state.ticket_detail import TicketDetailState
from portal_app.state.ticket_files import StagingState
from portal_app.state.ticket_new import NewTicketState


def _rows() -> list[Attachment]:
    with session_scope() as s:
        return list(s.exec(select(Attachment).order_by(Attachment.id)).all())


def _stored(row: Attachment) -> bytes:
    return (attachments.storage_dir() / row.stored_name).read_bytes()


def _files_on_disk() -> set[str]:
    return {p.name for p in attachments.storage_dir().iterdir()}


def _new_ticket_page(portal: Portal, who: str = "acme_user") -> NewTicketState:
    inst = portal.state(NewTicketState, who, url="/tickets/new")
    portal.call(inst, "load")
    return inst


def test_dropped_files_are_streamed_to_disk_and_listed(portal: Portal):
    inst = _new_ticket_page(portal)
    big = bytes(range(256)) * 40  # 10240 bytes: three chunks
    portal.call(inst, "upload_started", {"progress": 0.42})
    assert inst.upload_progress == 42
    portal.call(inst, "stage_files", UploadFiles([("report.pdf", b"%PDF-1.4 report"), ("dump.bin", big)]))
    assert inst.upload_error == "" and inst.upload_progress == -1
    # the browser's "all sent" arrives after the files are stored: the bar stays gone, not at 100%
    portal.call(inst, "upload_started", {"progress": 1})
    assert inst.upload_progress == -1
    assert [(f["name"], f["size"]) for f in inst.staged] == [("report.pdf", "15\u00a0B"), ("dump.bin", "10.0\u00a0KB")]
    portal.call(inst, "choose_language", "de")  # written as the reader's language writes sizes
    portal.call(inst, "load")
    assert [f["size"] for f in inst.staged] == ["15\u00a0B", "10,0\u00a0KB"]
    portal.call(inst, "choose_language", "en")
    rows = _rows()
    assert [r.file_name for r in rows] == ["report.pdf", "dump.bin"]
    assert all(r.ticket_id is None and r.uploaded_by_id == portal.account_id("user@acme.example.com") for r in rows)
    assert rows[0].content_type == "application/pdf" and _stored(rows[1]) == big
    assert [f["id"] for f in inst.staged] == [r.id for r in rows]
    # the upload went to StagingState, the parent whose `staged` the page's state reads
    assert inst.parent_state.staged == inst.staged


def test_staged_files_go_with_the_new_ticket(portal: Portal):
    inst = _new_ticket_page(portal)
    portal.call(inst, "stage_files", UploadFiles([("a.txt", b"first"), ("b.txt", b"second")]))
    ids = [f["id"] for f in inst.staged]
    path = portal.call(inst, "submit", {"title": "With files", "description": "See the files.",
                                        "category": "support", "priority": "normal"})
    assert not inst.errors and inst.staged == []
    with session_scope() as s:
        ticket = s.exec(select(Ticket).where(Ticket.title == "With files")).one()
    assert {r.id for r in _rows() if r.ticket_id == ticket.id} == set(ids)
    assert path is not None


def test_staged_files_go_with_a_comment(portal: Portal):
    number = portal.tickets().open
    inst = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{number}")
    portal.call(inst, "load")
    # the file user@acme staged earlier on the new-ticket form is not offered to go with this ticket
    assert inst.staged == [] and [f["name"] for f in _new_ticket_page(portal).staged] == ["acme-staged-secret.pdf"]
    portal.call(inst, "stage_files", UploadFiles([("photo.png", b"\x89PNG\r\n\x1a\n....")]))
    assert len(inst.staged) == 1
    portal.call(inst, "add_comment", {"comment": "Photo of the tray"})
    assert not inst.errors and inst.staged == []
    assert inst.comments[0]["files"][0]["name"] == "photo.png" and inst.comments[0]["files"][0]["is_image"]


def test_staff_see_which_files_came_with_an_internal_note(portal: Portal):
    """The ticket's list of every file marks an internal note's file for staff; customers never get it."""
    number = portal.tickets().open
    staff = portal.state(TicketDetailState, "staff", url=f"/admin/tickets/{number}")
    portal.call(staff, "load_staff")
    portal.call(staff, "stage_files", UploadFiles([("notes.txt", b"for us only")]))
    portal.call(staff, "add_comment", {"comment": "Checked the logs", "internal": "on"})
    assert not staff.errors and staff.comments[0]["internal"]
    # the demo's internal note's file is marked too; the customer's own file is not
    assert [(f["name"], f["internal"]) for f in staff.files] == [
        ("acme-payroll-2026.xlsx", False), ("wombat-internal.txt", True), ("notes.txt", True)]
    customer = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{number}")
    portal.call(customer, "load")
    assert [f["name"] for f in customer.files] == ["acme-payroll-2026.xlsx"]


def test_remove_staged_deletes_row_and_file(portal: Portal):
    inst = _new_ticket_page(portal)
    portal.call(inst, "stage_files", UploadFiles([("keep.txt", b"keep"), ("drop.txt", b"drop")]))
    keep, drop = inst.staged
    drop_row = next(r for r in _rows() if r.id == drop["id"])
    assert drop_row.stored_name in _files_on_disk()
    portal.call(inst, "remove_staged", drop["id"])
    assert inst.staged == [keep]
    assert [r.id for r in _rows()] == [keep["id"]] and drop_row.stored_name not in _files_on_disk()


def test_a_file_over_the_limit_is_refused_as_it_arrives(portal: Portal, monkeypatch: Any):
    monkeypatch.setattr(attachments, "settings", dataclasses.replace(settings, upload_max_bytes=5000))
    inst = _new_ticket_page(portal)
    before = portal.snapshot()
    portal.call(inst, "stage_files", UploadFiles([("huge.iso", b"x" * 12000)]))
    assert "huge.iso" in inst.upload_error and inst.staged == []
    assert portal.snapshot() == before  # no row, and no file left on disk
    # within the limit, the same upload is kept
    portal.call(inst, "stage_files", UploadFiles([("small.txt", b"x" * 4000)]))
    assert inst.upload_error == "" and [f["name"] for f in inst.staged] == ["small.txt"]


def test_an_empty_file_is_refused(portal: Portal):
    inst = _new_ticket_page(portal)
    before = portal.snapshot()
    portal.call(inst, "stage_files", UploadFiles([("empty.txt", b"")]))
    assert "empty.txt" in inst.upload_error and inst.staged == [] and portal.snapshot() == before


def test_an_empty_file_takes_no_place_of_the_files_that_fit(portal: Portal):
    """Six waiting, seven picked of which one is empty: the four that fit are kept, the empty one and
    the two past the limit are said."""
    inst = _new_ticket_page(portal)
    portal.call(inst, "stage_files", UploadFiles([(f"w{i}.txt", b"waiting") for i in range(6)]))
    picked = [("n0.txt", b"new"), ("empty.txt", b""), *[(f"n{i}.txt", b"new") for i in range(1, 6)]]
    portal.call(inst, "stage_files", UploadFiles(picked))
    assert len(inst.staged) == settings.staged_max_files == 10
    assert {f["name"] for f in inst.staged} >= {"n0.txt", "n1.txt", "n2.txt", "n3.txt"}
    assert "empty.txt" in inst.upload_error and "10" in inst.upload_error


def test_at_most_ten_files_per_message(portal: Portal):
    inst = _new_ticket_page(portal)
    portal.call(inst, "stage_files", UploadFiles([(f"f{i}.txt", f"file {i}".encode()) for i in range(11)]))
    assert len(inst.staged) == settings.staged_max_files == 10
    assert inst.upload_error == "At most 10 files can wait to be sent: send them or remove some before adding more."
    assert [f["name"] for f in inst.staged] == [f"f{i}.txt" for i in range(10)]
    assert len(_rows()) == 10 and len(_files_on_disk()) == 10


def test_a_refused_file_never_adds_to_the_file_before_it(portal: Portal):
    """Two files of the same name, the second one over the count: its later chunks must not be
    written into the first one (they arrive with offset > 0 and the same name)."""
    inst = _new_ticket_page(portal)
    portal.call(inst, "stage_files", UploadFiles([(f"f{i}.txt", b"x") for i in range(9)]))
    first, second = b"A" * 6000, b"B" * 6000
    portal.call(inst, "stage_files", UploadFiles([("same.txt", first), ("same.txt", second)], chunk_size=4096))
    assert inst.upload_error and len(inst.staged) == 10
    row = next(r for r in _rows() if r.file_name == "same.txt")
    assert row.size == len(first) and _stored(row) == first


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\windows\\win.ini", "\x00evil.txt", "",
                                  "x" * 100_000 + ".txt", "\u202egnp.exe", "   ", "..", "a/b/../../c.txt",
                                  "line\nbreak.txt"])
def test_hostile_file_names_are_tamed(portal: Portal, name: str):
    inst = _new_ticket_page(portal)
    outside = {p for p in settings.data_dir.rglob("*") if p.is_file()}
    portal.call(inst, "stage_files", UploadFiles([(name, b"data" * 3000)], chunk_size=1000))
    assert inst.upload_error == "" and len(inst.staged) == 1
    shown = inst.staged[0]["name"]
    assert shown and len(shown) <= 200 and not any(c in shown for c in "/\\\x00\n\u202e")
    (row,) = _rows()
    assert row.file_name == shown and row.size == 12000
    # the one new file is the attachment, under its random name, in the attachment folder
    added = {p for p in settings.data_dir.rglob("*") if p.is_file()} - outside
    assert added == {attachments.storage_dir() / row.stored_name}


def test_an_anonymous_upload_is_read_and_dropped(portal: Portal):
    inst = portal.state(StagingState, None, url="/tickets/new")
    before = portal.snapshot()
    portal.call(inst, "stage_files", UploadFiles([("evil.txt", b"evil" * 5000)], chunk_size=1000))
    assert portal.snapshot() == before and inst.staged == []


def test_a_dropped_connection_keeps_nothing(portal: Portal):
    """The upload fails half-way (Reflex ends the iterator with the error): the partial files are
    removed and the error is passed on to Reflex (which logs it); nothing is stored."""
    inst = _new_ticket_page(portal)
    before = portal.snapshot()
    with pytest.raises(ConnectionResetError):
        portal.call(inst, "stage_files", UploadFiles([("part.bin", b"y" * 9000)],
                                                     fail_with=ConnectionResetError("client went away")))
    assert portal.snapshot() == before and inst.staged == []


def test_upload_progress_takes_only_fractions(portal: Portal):
    inst = _new_ticket_page(portal)
    for sent, shown in (({"progress": 0.3}, 30), ({"progress": 0.999}, 99), ({"progress": 0}, 0),
                        ({"progress": -3}, 0), ({"progress": 0.505}, 50), ({"progress": 1}, 50), ({"progress": 7}, 50)):
        portal.call(inst, "upload_started", sent)
        assert inst.upload_progress == shown, sent
    for garbage in ({"progress": float("nan")}, {"progress": "0.5"}, {"progress": None}, "0.5", None):
        portal.call(inst, "upload_started", garbage)
        assert inst.upload_progress == 50, garbage


# --- kept across reloads, within the user's quota -------------------------------------------------

MiB = 1024 * 1024


def _quota(monkeypatch: Any, **values: int) -> None:
    monkeypatch.setattr(attachments, "settings", dataclasses.replace(attachments.settings, **values))


def _names(inst: Any) -> list[str]:
    return [f["name"] for f in inst.staged]


def test_a_reload_or_another_tab_keeps_the_staged_files(portal: Portal):
    inst = _new_ticket_page(portal)
    portal.call(inst, "stage_files", UploadFiles([("a.txt", b"first"), ("b.txt", b"second")]))
    staged = inst.staged
    portal.call(inst, "load")  # the same tab reloads
    assert inst.staged == staged
    assert _new_ticket_page(portal).staged == staged  # a new tab
    path = portal.call(inst, "submit", {"title": "After a reload", "description": "Both files.",
                                        "category": "support", "priority": "normal"})
    assert path is not None and not inst.errors
    with session_scope() as s:
        ticket = s.exec(select(Ticket).where(Ticket.title == "After a reload")).one()
    assert {r.ticket_id for r in _rows()} == {ticket.id}
    assert _new_ticket_page(portal).staged == []  # sent: no longer waiting


def test_each_form_lists_the_files_dropped_on_it(portal: Portal):
    """A file dropped on a ticket's comment form waits there (a reload, another tab), not on the
    new-ticket form or another ticket's; one dropped on the new-ticket form does not ride along with
    a comment (staff's file for one company must not go to another's ticket)."""
    tickets_ = portal.tickets()  # also stages "acme-staged-secret.pdf" on the new-ticket form as user@acme
    number = tickets_.open
    portal.call(_new_ticket_page(portal), "stage_files", UploadFiles([("log.txt", b"log")]))
    inst = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{number}")
    portal.call(inst, "load")
    assert _names(inst) == []
    portal.call(inst, "stage_files", UploadFiles([("tray.txt", b"tray")]))
    assert _names(inst) == ["tray.txt"]
    portal.call(inst, "load")
    again = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{number}")  # another tab
    portal.call(again, "load")
    assert _names(inst) == _names(again) == ["tray.txt"]
    assert _names(_new_ticket_page(portal)) == ["acme-staged-secret.pdf", "log.txt"]
    # nobody else's form lists them
    for who, url in (("acme_admin", f"/tickets/{number}"), ("staff", f"/admin/tickets/{number}")):
        other = portal.state(TicketDetailState, who, url=url)
        portal.call(other, "load_staff" if who == "staff" else "load")
        assert other.staged == []
    staff_tab = portal.state(TicketDetailState, "staff", url=f"/admin/tickets/{number}")
    portal.call(staff_tab, "load_staff")
    portal.call(staff_tab, "stage_files", UploadFiles([("for-acme.txt", b"acme only")]))
    with session_scope() as s:
        globex_ticket = tickets_service.create_ticket(
            session=s, actor=portal.actor("globex_admin"),
            data={"title": "Globex", "description": "Ours.", "category": "support", "priority": "normal"})[0].number
    other_ticket = portal.state(TicketDetailState, "staff", url=f"/admin/tickets/{globex_ticket}")
    portal.call(other_ticket, "load_staff")
    assert other_ticket.found and _names(other_ticket) == [] and _names(staff_tab) == ["for-acme.txt"]


def test_a_file_listed_again_is_removed_at_once(portal: Portal):
    first_tab = _new_ticket_page(portal)
    portal.call(first_tab, "stage_files", UploadFiles([("keep.txt", b"keep"), ("drop.txt", b"drop")]))
    tab = _new_ticket_page(portal)
    keep, drop = tab.staged
    portal.call(tab, "remove_staged", drop["id"])
    assert tab.staged == [keep]
    (row,) = _rows()
    assert row.id == keep["id"] and _files_on_disk() == {row.stored_name}
    # the first tab still lists it; acting on it there drops it from that list too
    portal.call(first_tab, "remove_staged", drop["id"])
    assert first_tab.staged == [keep]


def test_the_count_quota_holds_across_reloads_and_tabs(portal: Portal, monkeypatch: Any):
    _quota(monkeypatch, staged_max_files=3)
    inst = _new_ticket_page(portal)
    portal.call(inst, "stage_files", UploadFiles([("a.txt", b"a"), ("b.txt", b"b")]))
    portal.call(inst, "load")
    portal.call(inst, "stage_files", UploadFiles([("c.txt", b"c"), ("d.txt", b"d")]))
    refusal = "At most 3 files can wait to be sent: send them or remove some before adding more."
    assert _names(inst) == ["a.txt", "b.txt", "c.txt"] and inst.upload_error == refusal
    before = portal.snapshot()
    tab = _new_ticket_page(portal)
    portal.call(tab, "stage_files", UploadFiles([("e.txt", b"e")]))
    assert tab.upload_error == refusal and portal.snapshot() == before
    # a tab that never loaded the list (its list is empty) is held to the same quota
    blank = portal.state(NewTicketState, "acme_user", url="/tickets/new")
    portal.call(blank, "stage_files", UploadFiles([("f.txt", b"f")]))
    assert blank.upload_error == refusal and portal.snapshot() == before


def test_the_byte_quota_holds_across_reloads_and_refuses_as_the_file_arrives(portal: Portal, monkeypatch: Any):
    _quota(monkeypatch, staged_max_bytes=2 * MiB)
    written: dict[str, int] = {}  # the most bytes each file ever had on disk
    real_write = attachments.AttachmentWriter.write

    def spy(writer: attachments.AttachmentWriter, data: bytes) -> None:
        real_write(writer, data)
        if not writer._file.closed:
            written[writer.file_name] = max(written.get(writer.file_name, 0), writer._file.tell())

    monkeypatch.setattr(attachments.AttachmentWriter, "write", spy)
    inst = _new_ticket_page(portal)
    chunk = 64 * 1024
    portal.call(inst, "stage_files", UploadFiles([("first.bin", b"\0" * (3 * MiB // 2))], chunk_size=chunk))
    portal.call(inst, "load")
    before = portal.snapshot()
    portal.call(inst, "stage_files", UploadFiles([("second.bin", b"\0" * MiB)], chunk_size=chunk))
    assert inst.upload_error == ("second.bin was not attached: files waiting to be sent may take at most 2 MB "
                                 "together.")
    assert portal.snapshot() == before and _names(inst) == ["first.bin"]
    assert written["second.bin"] <= MiB // 2  # stopped at the room left, not read to the end first
    # in one drop, what fits is kept and what does not is refused
    portal.call(_new_ticket_page(portal), "stage_files",
                UploadFiles([("big.bin", b"\0" * MiB), ("small.bin", b"\0" * (MiB // 4))], chunk_size=chunk))
    portal.call(inst, "load")
    assert _names(inst) == ["first.bin", "small.bin"]
    assert len(_rows()) == 2 and len(_files_on_disk()) == 2


def test_two_files_of_one_name_are_told_apart_by_when_they_came(portal: Portal):
    inst = _new_ticket_page(portal)
    portal.call(inst, "stage_files", UploadFiles([("screenshot.png", b"\x89PNG\r\n\x1a\nfirst")]))
    portal.call(inst, "submit", {"title": "Two screenshots", "description": "The first one.",
                                 "category": "support", "priority": "normal"})
    with session_scope() as s:
        ticket = s.exec(select(Ticket).where(Ticket.title == "Two screenshots")).one()
        number = ticket.number
        first = s.exec(select(Attachment).where(Attachment.ticket_id == ticket.id)).one()
        first.created_at = first.created_at - timedelta(days=1)  # it came the day before
        s.add(first)
        s.commit()
    page = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{number}")
    portal.call(page, "load")
    portal.call(page, "stage_files", UploadFiles([("screenshot.png", b"\x89PNG\r\n\x1a\nsecond")]))
    portal.call(page, "add_comment", {"comment": "And the second one"})
    listed = page.files  # the ticket's list of every file
    assert [f["name"] for f in listed] == ["screenshot.png", "screenshot.png"]
    assert all(f["when"] for f in listed) and listed[0]["when"] != listed[1]["when"]
    assert page.comments[0]["files"][0]["when"] == ""  # the comment says when already


def test_a_form_sent_while_a_file_is_on_its_way_waits_for_it(portal: Portal):
    """Sent while the server still receives a file (Enter, or a page older than the disabled button),
    the ticket or comment is not made without it: the form says a file is still uploading. The
    browser's progress events only draw the bar: one arriving late does not hold the form."""
    waiting = "A file is still uploading: send when its bar is done, so that it goes along."
    inst = _new_ticket_page(portal)
    inst.uploads_running = 1  # an upload the server is receiving (its handler counts it while it runs)
    before = portal.snapshot()
    portal.call(inst, "submit", {"title": "Too soon", "description": "The file is not there yet.",
                                 "category": "support", "priority": "normal"})
    assert inst.upload_error == waiting and portal.snapshot() == before
    detail = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{portal.tickets().open}")
    portal.call(detail, "load")
    detail.uploads_running = 1
    before = portal.snapshot()
    portal.call(detail, "add_comment", {"comment": "Here it comes"})
    assert detail.upload_error == waiting and portal.snapshot() == before
    detail.uploads_running = 0
    portal.call(detail, "stage_files", UploadFiles([("late.txt", b"late")]))  # an upload, counted while it runs
    assert detail.uploads_running == 0
    portal.call(detail, "upload_started", {"progress": 0.9})  # the browser's word, late: only the bar
    portal.call(detail, "add_comment", {"comment": "Here it comes"})
    assert not detail.errors and detail.comments[0]["files"][0]["name"] == "late.txt"


def test_a_file_sent_from_another_tab_leaves_this_tabs_list_when_it_is_refused(portal: Portal):
    number = portal.tickets().open
    first = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{number}")
    portal.call(first, "load")
    portal.call(first, "stage_files", UploadFiles([("red.png", b"\x89PNG\r\n\x1a\n....")]))
    second = portal.state(TicketDetailState, "acme_user", url=f"/tickets/{number}")
    portal.call(second, "load")
    assert _names(second) == ["red.png"]
    portal.call(first, "add_comment", {"comment": "With the picture"})
    portal.call(second, "add_comment", {"comment": "My own words"})
    assert "attachments" in second.errors and second.staged == []
    portal.call(second, "add_comment", {"comment": "My own words"})  # sent again: it goes, without the file
    assert not second.errors and second.comments[0]["body"] == "My own words"
