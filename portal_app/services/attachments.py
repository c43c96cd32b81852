"""Ticket attachments: streamed to the data folder under random names, checked, served only to
those who may see the ticket.

A file is first *staged* (uploaded, owned by its uploader, on no ticket yet, so a progress bar can
run while the user writes) and then claimed by the ticket or comment it was sent with.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from ..models import Attachment, Ticket, utcnow
from ..settings import settings
from .actor import Actor
from .errors import NotFound, ValidationFailed
from .validation import parse_id

MAX_FILES_PER_MESSAGE = 10
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")

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
    """Receives one file in chunks; refuses it past the size limit without keeping the excess."""

    def __init__(self, file_name: Any, *, limit: int | None = None) -> None:
        self.file_name = sanitize_file_name(file_name)
        self.limit = settings.upload_max_bytes if limit is None else limit
        self.stored_name = secrets.token_hex(16)
        self.path = storage_dir() / self.stored_name
        self.size = 0
        self.too_large = False
        self._hash = hashlib.sha256()
        self._head = b""
        self._file = open(self.path, "xb")  # noqa: SIM115 - closed in finish/abort

    def write(self, data: bytes) -> None:
        if self.too_large:
            return
        self.size += len(data)
        if self.size > self.limit:
            self.too_large = True
            self._file.close()
            self.path.unlink(missing_ok=True)
            return
        if len(self._head) < 16:
            self._head += data[: 16 - len(self._head)]
        self._hash.update(data)
        self._file.write(data)

    def abort(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)

    def finish(self, *, session: Session, actor: Actor) -> Attachment:
        """Record the staged file, or raise ValidationFailed (and keep nothing) when it is refused."""
        if self.too_large:
            self.abort()
            raise ValidationFailed({"attachments": ("error.file_too_large",
                                                    {"name": self.file_name, "max": _megabytes(self.limit)})})
        self._file.close()
        if self.size == 0:
            self.abort()
            raise ValidationFailed({"attachments": ("error.file_empty", {"name": self.file_name})})
        row = Attachment(uploaded_by_id=actor.account_id, stored_name=self.stored_name, file_name=self.file_name,
                         content_type=sniff(self._head), size=self.size, sha256=self._hash.hexdigest())
        session.add(row)
        session.commit()
        session.refresh(row)
        return row


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def staged_files(*, session: Session, actor: Actor, ids: list[int]) -> list[Attachment]:
    """The actor's own staged files among `ids` (anything else is silently not there)."""
    if not ids:
        return []
    return list(session.exec(select(Attachment).where(
        col(Attachment.id).in_(ids), Attachment.uploaded_by_id == actor.account_id,
        col(Attachment.ticket_id).is_(None))).all())


def claim(*, session: Session, actor: Actor, ids: Any, ticket_id: int, comment_id: int | None) -> list[Attachment]:
    """Attach the actor's staged files to a ticket (and comment). Part of the caller's transaction."""
    if not isinstance(ids, list) or len(ids) > MAX_FILES_PER_MESSAGE:
        raise ValidationFailed({"attachments": ("error.too_many_files", {"max": MAX_FILES_PER_MESSAGE})})
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


@dataclass(frozen=True)
class Download:
    path: Path
    file_name: str
    content_type: str
    size: int


def open_for_download(*, session: Session, actor: Actor, attachment_id: Any) -> Download:
    """The file if the actor may see its ticket (and, for internal notes, is support); else NotFound."""
    from .tickets import comment_visible, visible_tickets  # the ticket rules decide

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
    if not path.is_file() or not re.fullmatch(r"[0-9a-f]{32}", row.stored_name):
        raise NotFound()
    return Download(path=path, file_name=row.file_name, content_type=row.content_type, size=row.size)


