"""Ticket attachments: streamed to the data folder under random names, checked, served only to
those who may see the ticket.

A file is first *staged* (uploaded, owned by its uploader, on no ticket yet, so a progress bar can
run while the user writes) and then claimed by the ticket or comment it was sent with. What a user
has staged is kept in the database and shown again by the form it was dropped on (the new-ticket
form, or one ticket's comment form: `staged_for`), after a reload or in another tab, never on
another ticket's form (staff's file for one company must not ride along to another's). The quota
on count and bytes (`PORTAL_STAGED_MAX_FILES`, `PORTAL_STAGED_MAX_BYTES`) checked when each file is
recorded, inside its transaction, so uploads running at once cannot pass it together.

A file is written under a temporary name (`<stored name>.part`) and takes its final name only when
its row is recorded; housekeeping sweeps what no row names (uploads cut off by a restart).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ...models import Account, Attachment, Ticket, utcnow
from ...settings import settings
from .. import image_size
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..validation import parse_id
from .scope import comment_visible, visible_tickets

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
STORED_NAME = re.compile(r"[0-9a-f]{32}")  # the only names files are served under
PART_SUFFIX = ".part"  # a file being written; renamed to its stored name once recorded

# (magic bytes at offset 0, content type). What is not recognised is served as octet-stream.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
)


def storage_dir() -> Path:
    path = settings.data_dir / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sanitize_file_name(name: Any) -> str:
    """A display name safe in headers and on screen: no path, no control characters, 200 chars."""
    text = unicodedata.normalize("NFC", name if isinstance(name, str) else "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().strip(".")
    text = re.sub(r"\s+", " ", text)
    if len(text) > 200:
        stem, dot, ext = text.rpartition(".")
        text = (stem[: 190] + dot + ext[:9]) if dot and len(ext) <= 9 else text[:200]
    return text or "file"


# How browsers escape a file name in a multipart upload (HTML standard, "multipart/form-data
# encoding algorithm"): `"` as %22, line feed and carriage return as %0A and %0D, nothing else
# (a literal "%" is sent as it is). Reflex's upload parser passes the name on as sent.
_BROWSER_ESCAPES = re.compile("%(22|0A|0D)")
_UNESCAPED = {"22": '"', "0A": "\n", "0D": "\r"}


def uploaded_file_name(raw: Any) -> str:
    """The display name of a file as the user's computer names it, from the name a browser's
    upload carries (`my %22quoted%22 file.txt` is `my "quoted" file.txt`), sanitised."""
    text = raw if isinstance(raw, str) else ""
    return sanitize_file_name(_BROWSER_ESCAPES.sub(lambda m: _UNESCAPED[m.group(1)], text))


def sniff(head: bytes) -> str:
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    try:
        # the head may end inside a multi-byte character: not final, so that is still text
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "application/octet-stream"
    if any((ch < " " and ch not in "\t\n\r\f\x1b") or ch == "\x7f" for ch in text):
        return "application/octet-stream"  # NUL and other control bytes: binary that happens to be ASCII
    return "text/plain"


class AttachmentWriter:
    """Receives one file in chunks under a temporary name; refuses it past the size limit, or past
    `budget` (the bytes its uploader may still stage, see `staged_allowance`), without keeping the
    excess. `finish` records it and gives it its final name. `field` names the form field its
    refusals are reported at."""

    field = "attachments"

    @staticmethod
    def folder() -> Path:
        return storage_dir()

    def __init__(self, file_name: Any, *, limit: int | None = None, budget: int | None = None) -> None:
        self.file_name = sanitize_file_name(file_name)
        self.limit = settings.upload_max_bytes if limit is None else limit
        self.budget = budget
        self.stored_name = secrets.token_hex(16)
        self.path = self.folder() / self.stored_name
        self.temp_path = self.path.with_name(self.stored_name + PART_SUFFIX)
        self.size = 0
        self.refusal: ValidationFailed | None = None
        self._recorded = False
        self._staged_for = ""
        self._hash = hashlib.sha256()
        self._head = b""
        self._file = open(self.temp_path, "xb")  # noqa: SIM115 - closed in finish/abort

    def write(self, data: bytes) -> None:
        if self.refusal is not None:
            return
        self.size += len(data)
        if self.size > self.limit:
            self._refuse(("error.file_too_large", {"name": self.file_name, "max": _megabytes(self.limit)}))
            return
        if self.budget is not None and self.size > self.budget:
            self._refuse(_over_staged_bytes(self.file_name))
            return
        if len(self._head) < 16:
            self._head += data[: 16 - len(self._head)]
        self._hash.update(data)
        self._file.write(data)

    def _refuse(self, message: tuple[str, dict]) -> None:
        self.refusal = ValidationFailed({self.field: message})
        self.abort()

    def abort(self) -> None:
        """Drop the file, unless it was recorded."""
        if self._recorded:
            return
        if not self._file.closed:
            self._file.close()
        self.temp_path.unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)

    def finish(self, *, session: Session, actor: Actor, staged_for: Any) -> Attachment:
        """Record the staged file for the form it was dropped on (`NEW_TICKET_FORM`, `comment_form`)
        within its uploader's quota, or raise ValidationFailed (and keep nothing, on disk or in the
        database) when it is refused."""
        self._file.close()
        if self.refusal is None:
            try:
                self._staged_for = _form(staged_for)
            except ValidationFailed as exc:
                self.refusal = exc
        if self.refusal is None and self.size == 0:
            self.refusal = ValidationFailed({self.field: ("error.file_empty", {"name": self.file_name})})
        if self.refusal is not None:
            self.abort()
            raise self.refusal
        try:
            row = self._record(session, actor)
        except BaseException:
            session.rollback()
            self.abort()
            raise
        session.refresh(row)
        return row

    def _content_type(self) -> str:
        """By the file's first bytes; a picture larger in pixels than a browser should be asked to
        draw (image_size.py) is kept as a plain file: a link, not a thumbnail on the ticket."""
        content_type = sniff(self._head)
        if content_type in IMAGE_TYPES:
            with open(self.temp_path, "rb") as stored:  # a JPEG's frame header may follow 64 KB of EXIF
                if image_size.too_large(image_size.declared_size(stored.read(256 * 1024), content_type)):
                    return "application/octet-stream"
        return content_type

    def _record(self, session: Session, actor: Actor) -> Attachment:
        """Insert the row, then count the uploader's staged files with it in the same transaction
        (after locking the account row on PostgreSQL; SQLite's write lock orders the inserts), so
        of uploads finishing at once only those within the quota commit."""
        if session.get_bind().dialect.name == "postgresql":
            session.exec(select(Account.id).where(Account.id == actor.account_id).with_for_update()).one()
        row = Attachment(uploaded_by_id=actor.account_id, staged_for=self._staged_for,
                         stored_name=self.stored_name, file_name=self.file_name,
                         content_type=self._content_type(), size=self.size, sha256=self._hash.hexdigest())
        session.add(row)
        session.flush()
        count, total = _staged_totals(session, actor.account_id)
        if count > settings.staged_max_files:
            raise too_many_staged()
        if total > settings.staged_max_bytes:
            raise ValidationFailed({"attachments": _over_staged_bytes(self.file_name)})
        os.replace(self.temp_path, self.path)  # before the commit: a recorded row always has its file
        session.commit()
        self._recorded = True
        return row


NEW_TICKET_FORM = "new"
_FORM = re.compile(r"new|ticket:[1-9][0-9]{0,17}")


def comment_form(ticket_number: int) -> str:
    """The `staged_for` of a ticket's comment form."""
    return f"ticket:{ticket_number}"


def _form(value: Any) -> str:
    if not isinstance(value, str) or not _FORM.fullmatch(value):
        raise ValidationFailed({"attachments": "error.invalid"})
    return value


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _over_staged_bytes(file_name: str) -> tuple[str, dict]:
    return "error.staged_too_large", {"name": file_name, "max": _megabytes(settings.staged_max_bytes)}


def too_many_staged() -> ValidationFailed:
    """The refusal of a file past the quota on how many may wait to be sent."""
    return ValidationFailed({"attachments": ("error.staged_too_many", {"max": settings.staged_max_files})})


def _staged_by(account_id: int) -> tuple[ColumnElement[bool], ...]:
    """The conditions of an account's staged files: uploaded by it, on no ticket yet."""
    return Attachment.uploaded_by_id == account_id, col(Attachment.ticket_id).is_(None)


def _staged_totals(session: Session, account_id: int) -> tuple[int, int]:
    """How many files the account has staged, and their bytes together."""
    count, total = session.exec(select(func.count(), func.coalesce(func.sum(Attachment.size), 0))
                                .where(*_staged_by(account_id))).one()
    return int(count), int(total)


@dataclass(frozen=True)
class Allowance:
    """What the actor may still stage now: files and bytes."""

    files: int
    bytes: int


def staged_allowance(*, session: Session, actor: Actor) -> Allowance:
    """The room left in the actor's quota (checked again when each file is recorded)."""
    count, total = _staged_totals(session, actor.account_id)
    return Allowance(files=max(0, settings.staged_max_files - count),
                     bytes=max(0, settings.staged_max_bytes - total))


@dataclass(frozen=True)
class StagedFile:
    id: int
    file_name: str
    size: int


def list_staged(*, session: Session, actor: Actor, staged_for: Any) -> list[StagedFile]:
    """The actor's files dropped on this form and not sent yet, oldest first."""
    form = _form(staged_for)
    rows = session.exec(select(Attachment.id, Attachment.file_name, Attachment.size)
                        .where(*_staged_by(actor.account_id), col(Attachment.staged_for).in_((form, "")))
                        .order_by(col(Attachment.id))).all()
    return [StagedFile(id=i, file_name=name, size=size) for i, name, size in rows]


def staged_files(*, session: Session, actor: Actor, ids: list[int]) -> list[Attachment]:
    """The actor's own staged files among `ids` (anything else is silently not there)."""
    if not ids:
        return []
    stmt = select(Attachment).where(col(Attachment.id).in_(ids), *_staged_by(actor.account_id))
    return list(session.exec(stmt).all())


def claim(*, session: Session, actor: Actor, ids: Any, ticket_id: int, comment_id: int | None) -> list[Attachment]:
    """Attach the actor's staged files to a ticket (and comment). Part of the caller's transaction."""
    if not isinstance(ids, list) or len(ids) > settings.staged_max_files:
        raise ValidationFailed({"attachments": ("error.too_many_files", {"max": settings.staged_max_files})})
    wanted = [parse_id(i, field="attachments") for i in ids]
    rows = staged_files(session=session, actor=actor, ids=wanted)
    if len(rows) != len(set(wanted)):
        raise ValidationFailed({"attachments": "error.attachment_gone"})
    for row in rows:
        row.ticket_id, row.comment_id = ticket_id, comment_id
        session.add(row)
    return rows


def discard_staged(*, session: Session, actor: Actor, attachment_id: Any) -> None:
    rows = staged_files(session=session, actor=actor, ids=[parse_id(attachment_id, field="attachments")])
    if not rows:
        raise NotFound()
    for row in rows:
        session.delete(row)
        (storage_dir() / row.stored_name).unlink(missing_ok=True)
    session.commit()


def purge_stale_staged(*, session: Session, older_than: timedelta = timedelta(days=1)) -> int:
    """Remove files uploaded but never sent with a ticket or comment."""
    cutoff = utcnow() - older_than
    rows = session.exec(select(Attachment).where(col(Attachment.ticket_id).is_(None),
                                                 Attachment.created_at < cutoff)).all()
    for row in rows:
        (storage_dir() / row.stored_name).unlink(missing_ok=True)
        session.delete(row)
    session.commit()
    return len(rows)


def _recorded_names(session: Session, names: list[str]) -> set[str]:
    """Those of `names` that an attachment row is stored under."""
    if not names:
        return set()
    return set(session.exec(select(Attachment.stored_name).where(col(Attachment.stored_name).in_(names))).all())


def sweep_orphan_files(*, session: Session, older_than: timedelta = timedelta(hours=1), folder: Path | None = None,
                       recorded: Callable[[Session, list[str]], set[str]] = _recorded_names) -> int:
    """Remove files in the attachment folder (or `folder`) that no row names (`recorded` says which
    do): uploads cut off half-way (a `.part` file) and files whose row was never committed. Files
    written to within `older_than` are left alone: an upload may still be writing or recording them."""
    removed = 0
    cutoff = time.time() - older_than.total_seconds()
    for batch in _batches(_untouched_files(cutoff, folder or storage_dir()), 500):
        known = recorded(session, [p.name for p in batch if not p.name.endswith(PART_SUFFIX)])
        for path in batch:
            if path.name not in known:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _untouched_files(cutoff: float, folder: Path) -> Iterator[Path]:
    """The folder's files named as this module names them, last written before `cutoff`."""
    for path in folder.iterdir():
        stem = path.name.removesuffix(PART_SUFFIX)
        if STORED_NAME.fullmatch(stem) and path.is_file() and path.stat().st_mtime < cutoff:
            yield path


def _batches(paths: Iterator[Path], size: int) -> Iterator[list[Path]]:
    batch: list[Path] = []
    for path in paths:
        batch.append(path)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class Download:
    path: Path
    file_name: str
    content_type: str
    size: int


def open_for_download(*, session: Session, actor: Actor, attachment_id: Any) -> Download:
    """The file if the actor may see its ticket (and, for internal notes, is support); else NotFound."""

    row = session.get(Attachment, parse_id(attachment_id, field="attachment"))
    if row is None:
        raise NotFound()
    if row.ticket_id is None:
        if row.uploaded_by_id != actor.account_id:
            raise NotFound()
    else:
        ticket = session.exec(visible_tickets(actor).where(Ticket.id == row.ticket_id)).first()
        if ticket is None or not comment_visible(session=session, actor=actor, comment_id=row.comment_id):
            raise NotFound()
    path = storage_dir() / row.stored_name
    if not path.is_file() or not STORED_NAME.fullmatch(row.stored_name):
        raise NotFound()
    return Download(path=path, file_name=row.file_name, content_type=row.content_type, size=row.size)


