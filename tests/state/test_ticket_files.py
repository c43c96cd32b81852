"""Files staged for a ticket or comment: `stage_files` is a background upload handler taking an
`rx.UploadChunkIterator`. `UploadFiles` (statekit) stands for the iterator: `Portal.call` pushes its
files, in chunks and each from offset 0 as Reflex's multipart parser does, into a real iterator
while the handler consumes it.

The handler belongs to StagingState; NewTicketState and TicketDetailState are its substates and
read `staged` through it, so files dropped on either page are sent with that page's form.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlmodel import select
from statekit import Portal, UploadFiles

from portal_app.db import session_scope
from portal_app.models import Attachment, Ticket
from portal_app.services import attachments
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
    assert [(f["name"], f["size"]) for f in inst.staged] == [("report.pdf", "15 B"), ("dump.bin", "10.0 KB")]
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
    portal.call(inst, "stage_files", UploadFiles([("photo.png", b"\x89PNG\r\n\x1a\n....")]))
    assert len(inst.staged) == 1
    portal.call(inst, "add_comment", {"comment": "Photo of the tray"})
    assert not inst.errors and inst.staged == []
    assert inst.comments[0]["files"][0]["name"] == "photo.png" and inst.comments[0]["files"][0]["is_image"]


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


def test_at_most_ten_files_per_message(portal: Portal):
    inst = _new_ticket_page(portal)
    portal.call(inst, "stage_files", UploadFiles([(f"f{i}.txt", f"file {i}".encode()) for i in range(11)]))
    assert len(inst.staged) == attachments.MAX_FILES_PER_MESSAGE and inst.upload_error
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
    for sent, shown in (({"progress": 0}, 0), ({"progress": 1}, 100), ({"progress": 7}, 100),
                        ({"progress": -3}, 0), ({"progress": 0.505}, 50)):
        portal.call(inst, "upload_started", sent)
        assert inst.upload_progress == shown, sent
    for garbage in ({"progress": float("nan")}, {"progress": "0.5"}, {"progress": None}, "0.5", None):
        portal.call(inst, "upload_started", garbage)
        assert inst.upload_progress == 50, garbage
