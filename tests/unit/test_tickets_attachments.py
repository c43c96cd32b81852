"""Ticket attachments: size limit, empty files, names, content type from the bytes, random stored
names (written under a temporary name until recorded; housekeeping sweeps files no row names),
staged files that belong to their uploader within a quota on count and bytes (also with uploads
finishing at once, on SQLite and PostgreSQL), and downloads that re-check the ticket's visibility."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import threading
import time
import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, SQLModel, create_engine, select

from portal_app.models import Account, Attachment, TicketStatus, utcnow
from portal_app.seed import seed
from portal_app.services.tickets import attachments
from portal_app.services.tickets import core as tickets
from portal_app.services.actor import build_actor
from portal_app.services.tickets.attachments import AttachmentWriter, sanitize_file_name, sniff
from portal_app.services.errors import NotFound, ValidationFailed
from portal_app.settings import settings

from demo_people import STAFF, USER, ADMIN, LIISA, GLOBEX_ADMIN, HANS, PARTNER

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 20
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 10
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
ZIP = b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 20


def stored_files() -> set[str]:
    return {p.name for p in attachments.storage_dir().iterdir()}


def rows(demo) -> list[Attachment]:
    demo.session.expire_all()
    return list(demo.session.exec(select(Attachment)).all())


def upload(demo, email, name, chunks, *, limit=None) -> Attachment:
    writer = AttachmentWriter(name, limit=limit)
    for chunk in chunks:
        writer.write(chunk)
    return writer.finish(session=demo.session, actor=demo.actor(email), staged_for="new")


# --- size ------------------------------------------------------------------------------------------

def test_default_limit_is_the_setting():
    writer = AttachmentWriter("x.txt")
    try:
        assert writer.limit == settings.upload_max_bytes == 10 * 1024 * 1024
    finally:
        writer.abort()


@pytest.mark.parametrize("chunks", [[b"x" * 11], [b"x" * 6, b"x" * 5], [b"x"] * 11, [b"x" * 10, b"y", b"z" * 100]])
def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(demo, chunks):
    before_files, before_state = stored_files(), demo.committed_state()
    writer = AttachmentWriter("big.log", limit=10)
    for chunk in chunks:
        writer.write(chunk)
    assert not writer.path.exists()  # dropped as soon as it went past the limit
    with pytest.raises(ValidationFailed) as exc:
        writer.finish(session=demo.session, actor=demo.actor(USER), staged_for="new")
    key, params = exc.value.fields["attachments"]
    assert key == "error.file_too_large" and params["name"] == "big.log"
    assert stored_files() == before_files
    assert demo.committed_state() == before_state


def test_the_limit_message_names_megabytes(demo):
    writer = AttachmentWriter("big.bin", limit=2 * 1024 * 1024)
    writer.write(b"\x00" * (2 * 1024 * 1024 + 1))
    with pytest.raises(ValidationFailed) as exc:
        writer.finish(session=demo.session, actor=demo.actor(USER), staged_for="new")
    assert exc.value.fields == {"attachments": ("error.file_too_large", {"name": "big.bin", "max": "2"})}


def test_a_file_of_exactly_the_limit_is_kept(demo):
    row = upload(demo, USER, "exact.txt", [b"a" * 4, b"b" * 6], limit=10)
    assert row.size == 10
    assert (attachments.storage_dir() / row.stored_name).read_bytes() == b"aaaabbbbbb"


@pytest.mark.parametrize("chunks", [[], [b""], [b"", b""]])
def test_an_empty_file_is_refused(demo, chunks):
    before_files, before_state = stored_files(), demo.committed_state()
    writer = AttachmentWriter("empty.txt")
    for chunk in chunks:
        writer.write(chunk)
    with pytest.raises(ValidationFailed) as exc:
        writer.finish(session=demo.session, actor=demo.actor(USER), staged_for="new")
    assert exc.value.fields == {"attachments": ("error.file_empty", {"name": "empty.txt"})}
    assert stored_files() == before_files
    assert demo.committed_state() == before_state


def test_abort_leaves_nothing(demo):
    before = stored_files()
    writer = AttachmentWriter("half.txt")
    writer.write(b"half of it")
    assert writer.temp_path.exists()
    writer.abort()
    assert stored_files() == before and rows(demo) == []


# --- storage ---------------------------------------------------------------------------------------

def test_stored_under_a_random_name_outside_assets_with_its_hash(demo):
    data = b"line one\nline two\n" * 1000
    row = upload(demo, USER, "report.txt", [data[:5000], data[5000:]])
    assert re.fullmatch(r"[0-9a-f]{32}", row.stored_name)
    path = attachments.storage_dir() / row.stored_name
    assert path.read_bytes() == data
    assert path.parent == settings.data_dir / "attachments"
    assert "assets" not in path.parts
    assert (row.size, row.sha256, row.file_name) == (len(data), hashlib.sha256(data).hexdigest(), "report.txt")
    assert (row.ticket_id, row.comment_id, row.uploaded_by_id) == (None, None, demo.account(USER).id)
    other = upload(demo, USER, "report.txt", [data])
    assert other.stored_name != row.stored_name


# --- names -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "clean"), [
    ("report.pdf", "report.pdf"),
    ("../../etc/passwd", "passwd"),
    ("/abs/path/to/file.txt", "file.txt"),
    ("C:\\Users\\me\\Desktop\\evil.exe", "evil.exe"),
    ("..\\..\\boot.ini", "boot.ini"),
    ("dir/", "file"),
    ("..", "file"),
    ("...", "file"),
    ("", "file"),
    ("   ", "file"),
    (None, "file"),
    (42, "file"),
    (b"bytes.txt", "file"),
    ("a\x00b.txt", "ab.txt"),
    ("line\r\nbreak.txt", "linebreak.txt"),
    ("tab\there.txt", "tabhere.txt"),
    ("bell\x07\x1b[31m.txt", "bell[31m.txt"),
    ("gnp.\u202eexe", "gnp.exe"),  # right-to-left override, a format character, removed
    ("zero\u200bwidth.txt", "zerowidth.txt"),
    ("  many   spaces \u00a0 here.txt ", "many spaces here.txt"),
    (".hidden", "hidden"),
    ("trailing.", "trailing"),
    ("Ma\u0308kinen.txt", "M\u00e4kinen.txt"),  # NFC
    ("résumé ✓.docx", "résumé ✓.docx"),
])
def test_file_names_are_sanitised(raw, clean):
    assert sanitize_file_name(raw) == clean


@pytest.mark.parametrize("ext", ["pdf", "tar.gz", "jpeg"])
def test_very_long_names_are_cut_keeping_the_extension(ext):
    name = sanitize_file_name("x" * 5000 + "." + ext)
    assert len(name) <= 200
    assert name.endswith("." + ext.rsplit(".", 1)[-1])


def test_very_long_name_with_a_long_extension_is_cut():
    name = sanitize_file_name("a" * 150 + "." + "b" * 150)
    assert len(name) == 200 and "/" not in name


def test_name_is_sanitised_on_upload(demo):
    row = upload(demo, USER, "../../../\x00etc/pass\nwd", [b"data"])
    assert row.file_name == "passwd"
    row = upload(demo, USER, "y" * 400 + ".png", [PNG])
    assert len(row.file_name) <= 200 and row.file_name.endswith(".png")


# --- content type ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("head", "content_type"), [
    (PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (b"GIF87a" + b"\x00" * 10, "image/gif"),
    (WEBP, "image/webp"), (PDF, "application/pdf"), (ZIP, "application/zip"),
    (b"hello world", "text/plain"), ("päivää, grüße ✓".encode(), "text/plain"),
    (b"col1,col2\r\n1,2\r\n", "text/plain"),
    (b"\xff\xfe\x00\x00garbage", "application/octet-stream"),
    (bytes(range(256)), "application/octet-stream"),
    (b"SQLite format 3\x00", "application/octet-stream"),
    (b"\x00\x00\x00\x18ftypmp42", "application/octet-stream"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "application/octet-stream"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>", "text/plain"),
    (b"<html><script>alert(1)</script>", "text/plain"),
])
def test_sniff(head, content_type):
    assert sniff(head[:16]) == content_type


def test_text_cut_inside_a_character_is_still_text():
    """The sniffer sees only the first 16 bytes: a multi-byte character cut there is not binary."""
    data = "a" + "ä" * 20
    assert sniff(data.encode()[:16]) == "text/plain"


@pytest.mark.parametrize(("name", "data", "content_type"), [
    ("photo.txt", PNG, "image/png"),
    ("notes.png", b"just some words", "text/plain"),
    ("invoice.pdf", b"\x00\x01\x02\x03binary", "application/octet-stream"),
    ("page.html", b"<html><script>alert(1)</script></html>", "text/plain"),
    ("image.svg", b"<svg onload=alert(1)>", "text/plain"),
    ("scan.jpg", PDF, "application/pdf"),
])
def test_content_type_comes_from_the_bytes_not_the_name(demo, name, data, content_type):
    # first chunk smaller than the sniffed head: the type still comes from the first bytes of the file
    row = upload(demo, USER, name, [data[:3], data[3:]])
    assert row.content_type == content_type
    assert row.file_name == name


def test_a_picture_too_large_in_pixels_is_kept_as_a_file_not_drawn(demo):
    """20,000 x 20,000 declared in a few bytes: the ticket shows it as a link, never as a thumbnail."""
    def png(width: int, height: int) -> bytes:
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x00" * 40

    assert upload(demo, USER, "bomb.png", [png(20_000, 20_000)]).content_type == "application/octet-stream"
    assert upload(demo, USER, "screen.png", [png(1920, 1080)]).content_type == "image/png"


# --- staged files ----------------------------------------------------------------------------------

def test_staged_file_is_visible_only_to_its_uploader(tickets_demo):
    demo = tickets_demo
    staged = demo.stage_file(USER, "draft.txt", b"draft")
    assert attachments.open_for_download(session=demo.session, actor=demo.actor(USER),
                                         attachment_id=staged.id).path.read_bytes() == b"draft"
    for email in (ADMIN, LIISA, STAFF, PARTNER, HANS):
        with pytest.raises(NotFound):
            attachments.open_for_download(session=demo.session, actor=demo.actor(email), attachment_id=staged.id)
    assert attachments.staged_files(session=demo.session, actor=demo.actor(USER), ids=[staged.id]) == [staged]
    assert attachments.staged_files(session=demo.session, actor=demo.actor(ADMIN), ids=[staged.id]) == []


@pytest.mark.parametrize("email", [ADMIN, LIISA, STAFF, PARTNER])
def test_staged_file_of_another_account_cannot_be_claimed(tickets_demo, email):
    demo = tickets_demo
    staged = demo.stage_file(USER, "mine.txt", b"mine")
    # a ticket the actor may comment on
    ticket = demo.make_ticket(USER if email in (STAFF, PARTNER) else email, assignee=PARTNER)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(email), number=ticket.number, body="taking it",
                            attachment_ids=[staged.id])
    assert exc.value.fields == {"attachments": ("error.attachment_gone", {})}
    assert demo.committed_state() == before
    if email not in (STAFF, PARTNER):
        with pytest.raises(ValidationFailed):
            tickets.create_ticket(session=demo.session, actor=demo.actor(email),
                                  data={"title": "t", "description": "d", "category": "support"},
                                  attachment_ids=[staged.id])
        assert demo.committed_state() == before


def test_claimed_file_is_attached_to_ticket_and_comment(tickets_demo):
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    staged = demo.stage_file(USER, "trace.log", b"Traceback ...")
    _, _ = tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number,
                               attachment_ids=[staged.id])
    row = demo.session.get(Attachment, staged.id)
    detail = tickets.get_ticket(session=demo.session, actor=demo.actor(ADMIN), number=ticket.number)
    assert row.ticket_id == ticket.id and row.comment_id == detail.comments[0].id
    assert [a.id for a in detail.comments[0].attachments] == [staged.id]
    assert [a.id for a in detail.attachments] == [staged.id]
    # once claimed, it is no longer the uploader's to discard or claim again
    with pytest.raises(NotFound):
        attachments.discard_staged(session=demo.session, actor=demo.actor(USER), attachment_id=staged.id)
    with pytest.raises(ValidationFailed):
        tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=ticket.number, body="again",
                            attachment_ids=[staged.id])


def test_the_mails_name_the_files_that_came_with_the_ticket_or_the_comment(tickets_demo):
    demo = tickets_demo
    first, second = demo.stage_file(USER, "photo.png", b"\x89PNG\r\n\x1a\n"), demo.stage_file(USER, "log.txt", b"log")
    data = {"title": "Screen flickers", "description": "See the photo.", "category": "support", "priority": "normal"}
    ticket, mails = tickets.create_ticket(session=demo.session, actor=demo.actor(USER), data=data,
                                          attachment_ids=[first.id, second.id])
    assert mails and all("Attached: photo.png, log.txt (download them from the ticket)" in m["body"] for m in mails)
    assert all(m.get("attachments") is None for m in mails)  # named only: downloads check who asks
    # a reply names only its own file; one without files names none
    reply = demo.stage_file(STAFF, "fix.txt", b"steps")
    _, mails = tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                                   body="Try these steps.", attachment_ids=[reply.id])
    assert mails and all("Attached: fix.txt (download it from the ticket)" in m["body"] and "photo.png" not in m["body"] for m in mails)
    _, mails = tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, body="Any luck?")
    assert mails and not any("Attached:" in m["body"] for m in mails)


def test_discard_staged_removes_only_own_staged_files(tickets_demo):
    demo = tickets_demo
    staged = demo.stage_file(USER, "oops.txt", b"oops")
    path = attachments.storage_dir() / staged.stored_name
    before = demo.committed_state()
    with pytest.raises(NotFound):
        attachments.discard_staged(session=demo.session, actor=demo.actor(ADMIN), attachment_id=staged.id)
    assert demo.committed_state() == before and path.exists()
    attachments.discard_staged(session=demo.session, actor=demo.actor(USER), attachment_id=staged.id)
    assert demo.session.get(Attachment, staged.id) is None and not path.exists()


def test_purge_removes_only_old_staged_files(tickets_demo):
    demo = tickets_demo
    old = demo.stage_file(USER, "old.txt", b"old")
    fresh = demo.stage_file(USER, "fresh.txt", b"fresh")
    sent = demo.stage_file(USER, "sent.txt", b"sent")
    demo.make_ticket(USER, attachment_ids=[sent.id])
    for row in (old, sent):
        row = demo.session.get(Attachment, row.id)
        row.created_at = utcnow() - timedelta(days=3)
        demo.session.add(row)
    demo.session.commit()
    assert attachments.purge_stale_staged(session=demo.session) == 1
    assert demo.session.get(Attachment, old.id) is None
    assert not (attachments.storage_dir() / old.stored_name).exists()
    for kept in (fresh, sent):
        assert (attachments.storage_dir() / demo.session.get(Attachment, kept.id).stored_name).exists()


# --- the staged quota ------------------------------------------------------------------------------

MiB = 1024 * 1024


@pytest.fixture
def quota(monkeypatch):
    """Set the staged quota (files, bytes) for this test; returns the setter."""
    def set_quota(*, files: int = 10, bytes: int = 50 * MiB) -> None:  # noqa: A002 - the setting's word
        monkeypatch.setattr(attachments, "settings", dataclasses.replace(
            attachments.settings, staged_max_files=files, staged_max_bytes=bytes))
    return set_quota


@pytest.fixture
def own_folder(monkeypatch, tmp_path):
    """An attachment folder of this test alone (the shared one holds other tests' files, whose rows
    are in other databases)."""
    monkeypatch.setattr(attachments, "settings", dataclasses.replace(attachments.settings, data_dir=tmp_path))
    return attachments.storage_dir()


def test_the_quota_defaults_are_the_settings():
    assert (settings.staged_max_files, settings.staged_max_bytes) == (10, 50 * MiB)


def test_no_more_files_wait_than_the_count_quota(tickets_demo, quota):
    demo = tickets_demo
    quota(files=3)
    kept = [demo.stage_file(USER, f"f{i}.txt", b"data") for i in range(3)]
    before_files, before_state = stored_files(), demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        demo.stage_file(USER, "fourth.txt", b"data")
    assert exc.value.fields == {"attachments": ("error.staged_too_many", {"max": 3})}
    assert stored_files() == before_files and demo.committed_state() == before_state  # nothing kept
    # the quota is each user's own
    demo.stage_file(ADMIN, "theirs.txt", b"data")
    # removing one from the list, or sending some, makes room again
    attachments.discard_staged(session=demo.session, actor=demo.actor(USER), attachment_id=kept[0].id)
    again = demo.stage_file(USER, "again.txt", b"data")
    demo.make_ticket(USER, attachment_ids=[kept[1].id, kept[2].id, again.id])
    assert len([demo.stage_file(USER, f"g{i}.txt", b"data") for i in range(3)]) == 3


def test_no_more_bytes_wait_than_the_byte_quota(tickets_demo, quota):
    demo = tickets_demo
    quota(bytes=2 * MiB)
    demo.stage_file(USER, "first.bin", b"\x00" * (3 * MiB // 2))
    before_files, before_state = stored_files(), demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:  # no budget given to the writer: refused when recorded
        demo.stage_file(USER, "second.bin", b"\x00" * (MiB // 2 + 1))
    assert exc.value.fields == {"attachments": ("error.staged_too_large", {"name": "second.bin", "max": "2"})}
    assert stored_files() == before_files and demo.committed_state() == before_state
    exact = demo.stage_file(USER, "exact.bin", b"\x00" * (MiB // 2))  # up to the byte, it fits
    assert attachments.staged_allowance(session=demo.session, actor=demo.actor(USER)) == attachments.Allowance(
        files=8, bytes=0)
    assert exact.size == MiB // 2


def test_the_writer_refuses_past_the_budget_as_it_arrives(demo):
    before_files, before_state = stored_files(), demo.committed_state()
    writer = AttachmentWriter("growing.log", budget=10)
    writer.write(b"x" * 6)
    assert writer.temp_path.exists()
    writer.write(b"x" * 5)
    assert not writer.temp_path.exists() and not writer.path.exists()  # dropped as soon as it went past
    writer.write(b"x" * 1000)  # what still arrives is not written
    assert stored_files() == before_files
    with pytest.raises(ValidationFailed) as exc:
        writer.finish(session=demo.session, actor=demo.actor(USER), staged_for="new")
    assert exc.value.fields["attachments"][0] == "error.staged_too_large"
    assert exc.value.fields["attachments"][1]["name"] == "growing.log"
    assert stored_files() == before_files and demo.committed_state() == before_state


def test_the_allowance_is_the_room_left_and_never_negative(tickets_demo, quota):
    demo = tickets_demo
    quota(files=3, bytes=100)
    room = attachments.staged_allowance(session=demo.session, actor=demo.actor(USER))
    assert room == attachments.Allowance(files=3, bytes=100)
    demo.stage_file(USER, "a.txt", b"x" * 40)
    demo.stage_file(ADMIN, "b.txt", b"x" * 40)  # someone else's files count for them
    assert attachments.staged_allowance(session=demo.session, actor=demo.actor(USER)) == attachments.Allowance(
        files=2, bytes=60)
    quota(files=0, bytes=10)  # lowered below what waits already
    assert attachments.staged_allowance(session=demo.session, actor=demo.actor(USER)) == attachments.Allowance(
        files=0, bytes=0)


def test_the_actors_staged_files_are_listed_for_the_form(tickets_demo):
    demo = tickets_demo
    first = demo.stage_file(USER, "first.txt", b"one")
    sent = demo.stage_file(USER, "sent.txt", b"sent")
    demo.stage_file(ADMIN, "admins.txt", b"not yours")
    second = demo.stage_file(USER, "second.txt", b"second")
    demo.make_ticket(USER, attachment_ids=[sent.id])
    listed = attachments.list_staged(session=demo.session, actor=demo.actor(USER), staged_for="new")
    assert listed == [attachments.StagedFile(id=first.id, file_name="first.txt", size=3),
                      attachments.StagedFile(id=second.id, file_name="second.txt", size=6)]
    assert [f.file_name for f in attachments.list_staged(session=demo.session, actor=demo.actor(ADMIN),
                                                         staged_for="new")] == ["admins.txt"]
    assert attachments.list_staged(session=demo.session, actor=demo.actor(STAFF), staged_for="new") == []


def test_a_file_dropped_on_one_form_is_not_offered_on_another(tickets_demo):
    """Staff drops a file on an Acme ticket's comment form and opens a Globex ticket: the file is not
    there to go along. Each form shows its own; the quota counts them all."""
    demo = tickets_demo
    on_acme = demo.stage_file(STAFF, "acme-report.txt", b"acme", staged_for=attachments.comment_form(10001))
    on_new = demo.stage_file(STAFF, "new.txt", b"new")
    old = demo.stage_file(STAFF, "from-before.txt", b"old")
    old.staged_for = ""  # staged before forms were told apart (migration 0034): shown on every form
    demo.session.add(old)
    demo.session.commit()

    def names(form: str) -> list[str]:
        return [f.file_name for f in attachments.list_staged(session=demo.session, actor=demo.actor(STAFF),
                                                             staged_for=form)]

    assert names(attachments.comment_form(10001)) == ["acme-report.txt", "from-before.txt"]
    assert names(attachments.comment_form(10011)) == ["from-before.txt"]
    assert names(attachments.NEW_TICKET_FORM) == ["new.txt", "from-before.txt"]
    assert attachments.staged_allowance(session=demo.session, actor=demo.actor(STAFF)).files == \
        settings.staged_max_files - 3
    assert {on_acme.id, on_new.id} <= {a.id for a in demo.session.exec(select(Attachment)).all()}
    for bad in ("", "ticket:", "ticket:0", "tickets:1", "new ", None, 5):
        with pytest.raises(ValidationFailed):
            attachments.list_staged(session=demo.session, actor=demo.actor(STAFF), staged_for=bad)
    writer = attachments.AttachmentWriter("x.txt")
    writer.write(b"x")
    with pytest.raises(ValidationFailed):  # a file for no form is not kept
        writer.finish(session=demo.session, actor=demo.actor(STAFF), staged_for="elsewhere")
    assert not writer.path.exists() and not writer.temp_path.exists()


@pytest.fixture(params=["sqlite", "postgresql"])
def racing_engine(request, file_engine):
    """A database that several threads write to at once: a SQLite file (WAL, busy timeout), or a
    fresh database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield file_engine
        return
    from postgres_server import create_database

    url = create_database(request.getfixturevalue("postgres_server"), f"portal_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        assert seed(session, tickets=False) is True
    yield engine
    engine.dispose()


@pytest.mark.parametrize(("files", "limit", "size", "passing"), [(3, 50 * MiB, 10, 3), (10, 1000, 400, 2)],
                         ids=["count", "bytes"])
def test_uploads_finishing_at_once_cannot_pass_the_quota_together(racing_engine, own_folder, quota, files, limit,
                                                                   size, passing):
    quota(files=files, bytes=limit)
    racers = 8
    barrier = threading.Barrier(racers)
    kept: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    before = stored_files()

    def race(i: int) -> None:
        try:
            with Session(racing_engine) as session:
                account = session.exec(select(Account).where(Account.email == USER)).one()
                actor = build_actor(session, account)
                session.rollback()  # no read transaction held into the race
                writer = AttachmentWriter(f"racer{i}.txt")
                writer.write(b"r" * size)
                barrier.wait()
                try:
                    kept.append(writer.finish(session=session, actor=actor, staged_for="new").id)
                except ValidationFailed as exc:
                    refused.append(exc.fields["attachments"][0])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(kept) == passing and len(refused) == racers - passing
    assert set(refused) == {"error.staged_too_many" if files == 3 else "error.staged_too_large"}
    with Session(racing_engine) as session:
        stored = session.exec(select(Attachment.stored_name)).all()
    assert len(stored) == passing
    assert stored_files() == before | set(stored)  # the refused left no file, not even a partial one


# --- temporary names and the sweep -----------------------------------------------------------------

def age(path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_a_file_has_its_final_name_only_once_recorded(demo):
    writer = AttachmentWriter("report.txt")
    writer.write(b"half of it")
    assert writer.temp_path.name == writer.stored_name + ".part" and writer.temp_path.parent == writer.path.parent
    assert writer.temp_path.exists() and not writer.path.exists()
    writer.write(b" and the rest")
    row = writer.finish(session=demo.session, actor=demo.actor(USER), staged_for="new")
    assert row.stored_name == writer.stored_name and re.fullmatch(r"[0-9a-f]{32}", row.stored_name)
    assert writer.path.read_bytes() == b"half of it and the rest" and not writer.temp_path.exists()
    writer.abort()  # too late: a recorded file stays
    assert writer.path.exists()


def test_a_refused_or_failed_recording_keeps_no_file(demo, monkeypatch):
    before = stored_files()
    writer = AttachmentWriter("doomed.txt")
    writer.write(b"data")

    def broken_commit():
        raise RuntimeError("database went away")

    session = demo.session
    monkeypatch.setattr(session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        writer.finish(session=session, actor=demo.actor(USER), staged_for="new")
    monkeypatch.undo()
    assert stored_files() == before and rows(demo) == []


def test_housekeeping_sweeps_files_no_row_names(tickets_demo, own_folder):
    """An upload cut off by a restart leaves its `.part` file and no row; a crash between naming the
    file and committing its row leaves a final name and no row. Both go once untouched for an hour;
    an upload still being written, recorded files, and files named otherwise stay."""
    demo, folder = tickets_demo, own_folder
    cut_off = AttachmentWriter("cut-off.bin")
    cut_off.write(b"half")  # ...and the server restarts: never finished nor aborted
    cut_off._file.close()
    in_progress = AttachmentWriter("in-progress.bin")
    in_progress.write(b"still arriving")
    no_row = folder / uuid.uuid4().hex
    no_row.write_bytes(b"renamed, never committed")
    young_no_row = folder / uuid.uuid4().hex
    young_no_row.write_bytes(b"being recorded right now")
    staged = demo.stage_file(USER, "staged.txt", b"staged")
    sent = demo.stage_file(USER, "sent.txt", b"sent")
    demo.make_ticket(USER, attachment_ids=[sent.id])
    stranger = folder / "notes-of-the-operator.txt"
    stranger.write_bytes(b"not ours")
    for path in (cut_off.temp_path, no_row, folder / staged.stored_name, folder / sent.stored_name, stranger):
        age(path, 2)
    assert attachments.sweep_orphan_files(session=demo.session) == 2
    assert not cut_off.temp_path.exists() and not no_row.exists()
    for kept in (in_progress.temp_path, young_no_row, folder / staged.stored_name, folder / sent.stored_name,
                 stranger):
        assert kept.exists(), kept.name
    assert attachments.sweep_orphan_files(session=demo.session) == 0
    in_progress.write(b" and the rest")
    assert in_progress.finish(session=demo.session, actor=demo.actor(USER), staged_for="new").size == 27


def test_housekeeping_sweeps_in_batches(demo, own_folder, monkeypatch):
    """More files than one look-up takes: every orphan goes, no recorded file does."""
    recorded = [upload(demo, USER, f"r{i}.txt", [b"kept"]) for i in range(3)]
    orphans = [own_folder / uuid.uuid4().hex for _ in range(7)]
    for path in orphans:
        path.write_bytes(b"orphan")
    for path in [*orphans, *(own_folder / r.stored_name for r in recorded)]:
        age(path, 2)
    real_batches = attachments._batches
    monkeypatch.setattr(attachments, "_batches", lambda paths, size: real_batches(paths, 2))
    assert attachments.sweep_orphan_files(session=demo.session) == 7
    assert sorted(p.name for p in own_folder.iterdir()) == sorted(r.stored_name for r in recorded)


# --- downloads ------------------------------------------------------------------------------------

@pytest.fixture
def filed(tickets_demo):
    """A ticket of user@acme with a file on the ticket, one on a public comment, one on an internal note."""
    demo = tickets_demo
    on_ticket = demo.stage_file(USER, "screenshot.png", PNG)
    ticket = demo.make_ticket(USER, attachment_ids=[on_ticket.id])
    on_comment = demo.stage_file(STAFF, "fix.txt", b"the fix")
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, body="here",
                        attachment_ids=[on_comment.id])
    on_note = demo.stage_file(STAFF, "internal.txt", b"internal only")
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number, body="note",
                        internal=True, attachment_ids=[on_note.id])
    return demo, ticket, {"ticket": on_ticket.id, "comment": on_comment.id, "note": on_note.id}


@pytest.mark.parametrize(("email", "allowed"), [
    (USER, {"ticket", "comment"}),
    (ADMIN, {"ticket", "comment"}),
    (STAFF, {"ticket", "comment", "note"}),
    (LIISA, set()),  # a colleague without admin rights
    (GLOBEX_ADMIN, set()),  # another company's admin
    (HANS, set()),  # another company's contact
    (PARTNER, set()),  # a collaborator the ticket is not assigned to
])
def test_download_rechecks_visibility(filed, email, allowed):
    demo, _ticket, files = filed
    for key, attachment_id in files.items():
        if key in allowed:
            download = attachments.open_for_download(session=demo.session, actor=demo.actor(email),
                                                     attachment_id=str(attachment_id))
            assert download.path.is_file() and download.size == download.path.stat().st_size
        else:
            with pytest.raises(NotFound):
                attachments.open_for_download(session=demo.session, actor=demo.actor(email),
                                              attachment_id=attachment_id)


def test_download_type_and_name_are_the_stored_ones(filed):
    demo, _ticket, files = filed
    download = attachments.open_for_download(session=demo.session, actor=demo.actor(USER),
                                             attachment_id=files["ticket"])
    assert (download.file_name, download.content_type) == ("screenshot.png", "image/png")


def test_assigned_collaborator_downloads_public_files_only(filed):
    demo, ticket, files = filed
    tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                   assignee_id=demo.account(PARTNER).id)
    for key in ("ticket", "comment"):
        assert attachments.open_for_download(session=demo.session, actor=demo.actor(PARTNER),
                                             attachment_id=files[key]).size > 0
    with pytest.raises(NotFound):
        attachments.open_for_download(session=demo.session, actor=demo.actor(PARTNER), attachment_id=files["note"])


def test_download_of_a_closed_ticket_still_works(filed):
    demo, ticket, files = filed
    demo.force_status(ticket.number, TicketStatus.CLOSED)
    assert attachments.open_for_download(session=demo.session, actor=demo.actor(USER),
                                         attachment_id=files["ticket"]).size == len(PNG)


def test_a_file_missing_on_disk_or_a_tampered_stored_name_is_not_found(filed):
    demo, _ticket, files = filed
    row = demo.session.get(Attachment, files["ticket"])
    (attachments.storage_dir() / row.stored_name).unlink()
    with pytest.raises(NotFound):
        attachments.open_for_download(session=demo.session, actor=demo.actor(USER), attachment_id=row.id)
    row = demo.session.get(Attachment, files["comment"])
    row.stored_name = "../../secret.key"
    demo.session.add(row)
    demo.session.commit()
    with pytest.raises(NotFound):
        attachments.open_for_download(session=demo.session, actor=demo.actor(USER), attachment_id=row.id)


@pytest.mark.parametrize("bad", ["abc", "", "../1", -1, 0, None, True, [1], 2**70])
def test_garbage_attachment_ids_are_refused(filed, bad):
    demo, _ticket, _files = filed
    with pytest.raises((NotFound, ValidationFailed)):
        attachments.open_for_download(session=demo.session, actor=demo.actor(USER), attachment_id=bad)
