"""A document's file on its way in: streamed to the data folder's `documents/` as staff drops it on
the form (`DocumentUpload`, the attachments' writer with its size limit), then kept under its final
name as a `PendingFile` until the form is saved and a row names it. Housekeeping's sweep
(`sweep_unshared_files`) removes a pending file that no row names after an hour, so a form left
open that long asks for the file again."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from ...models import SharedDocument
from ...settings import settings
from ..errors import ValidationFailed
from ..tickets.attachments import STORED_NAME, AttachmentWriter, sniff, sweep_orphan_files

FIELD = "file"


def documents_dir() -> Path:
    path = settings.data_dir / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class PendingFile:
    stored_name: str
    file_name: str
    size: int
    content_type: str
    sha256: str

    @property
    def path(self) -> Path:
        return documents_dir() / self.stored_name


class DocumentUpload(AttachmentWriter):
    """One dropped file; `keep` gives it its final name without a row (refusals are the "file" field's)."""

    field = FIELD

    @staticmethod
    def folder() -> Path:
        return documents_dir()

    def keep(self) -> PendingFile:
        """The file, complete and within the size limit; else ValidationFailed and nothing kept."""
        self._file.close()
        if self.refusal is None and self.size == 0:
            self.refusal = ValidationFailed({FIELD: ("error.file_empty", {"name": self.file_name})})
        if self.refusal is not None:
            self.abort()
            raise self.refusal
        os.replace(self.temp_path, self.path)
        return PendingFile(stored_name=self.stored_name, file_name=self.file_name, size=self.size,
                           content_type=sniff(self._head), sha256=self._hash.hexdigest())


def pending_file_ready(file: object) -> PendingFile:
    """`file` as one this module kept and housekeeping has not swept; else ValidationFailed."""
    if not isinstance(file, PendingFile) or not STORED_NAME.fullmatch(file.stored_name):
        raise ValidationFailed({FIELD: "error.required"})
    if not file.path.is_file() or file.path.stat().st_size != file.size:
        raise ValidationFailed({FIELD: "documents.file_gone"})
    return file


def discard_pending(session: Session, file: object) -> None:
    """Remove a pending file that no document names (the form dropped it, or chose another)."""
    if not isinstance(file, PendingFile) or not STORED_NAME.fullmatch(file.stored_name):
        return
    named = session.exec(select(SharedDocument.id).where(SharedDocument.stored_name == file.stored_name)).first()
    if named is None:
        file.path.unlink(missing_ok=True)


def _shared_names(session: Session, names: list[str]) -> set[str]:
    if not names:
        return set()
    return set(session.exec(select(SharedDocument.stored_name).where(col(SharedDocument.stored_name).in_(names))).all())


def sweep_unshared_files(*, session: Session, older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove files in the documents folder that no document names (dropped on a form never saved,
    cut off half-way), untouched for `older_than`."""
    return sweep_orphan_files(session=session, older_than=older_than, folder=documents_dir(), recorded=_shared_names)
