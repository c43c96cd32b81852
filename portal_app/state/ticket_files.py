"""Files staged for a new ticket or comment: streamed to the data folder as they are dropped,
with a progress bar, then sent with the ticket or comment."""

from __future__ import annotations

import math
from typing import TypedDict

import reflex as rx

from ..i18n import translate
from ..services import attachments
from ..services.errors import ServiceError
from ..settings import settings
from .base import field_errors, run_service
from .session import SessionState


class StagedFile(TypedDict):
    id: int
    name: str
    size: str


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} MB"


class StagingState(SessionState):
    staged: list[StagedFile] = []
    upload_progress: int = -1
    upload_error: str = ""
    max_upload_mb: int = settings.upload_max_bytes // (1024 * 1024)

    def _staged_ids(self) -> list[int]:
        return [f["id"] for f in self.staged]

    @rx.event
    def upload_started(self, progress: dict):
        value = progress.get("progress") if isinstance(progress, dict) else None
        if isinstance(value, float) and not math.isfinite(value):
            return  # NaN and infinities parse from JSON; round() raises on them
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.upload_progress = max(0, min(100, round(value * 100)))

    @rx.event(background=True)
    async def stage_files(self, chunk_iter: rx.UploadChunkIterator):
        """Stream each dropped file to disk, refusing it past the size limit as it arrives."""
        if not isinstance(chunk_iter, rx.UploadChunkIterator):
            return  # an event sent by hand over the socket, not an upload: nothing to read
        async with self:
            actor = self._actor()
            self.upload_error = ""
            slots = attachments.MAX_FILES_PER_MESSAGE - len(self.staged)
            lang = self.lang
        writers: list[attachments.AttachmentWriter] = []
        errors: list[str] = []
        full = False
        try:
            async for chunk in chunk_iter:
                if actor is None or full:
                    continue  # drain the request, keep nothing (more)
                if chunk.offset == 0 or not writers or writers[-1].file_name != attachments.sanitize_file_name(
                        chunk.filename):
                    if len(writers) >= slots:
                        errors = [translate(lang, "error.too_many_files", max=attachments.MAX_FILES_PER_MESSAGE)]
                        full = True  # else the refused file's next chunks would go into the file before it
                        continue
                    writers.append(attachments.AttachmentWriter(chunk.filename))
                writers[-1].write(chunk.data)
        except Exception:
            for writer in writers:
                writer.abort()
            raise
        added: list[StagedFile] = []
        for writer in writers:
            try:
                row = run_service(writer.finish, actor=actor)
                added.append({"id": row.id, "name": row.file_name, "size": human_size(row.size)})
            except ServiceError as exc:
                errors.append(field_errors(exc, lang).get("attachments", ""))
        async with self:
            self.staged = [*self.staged, *added]
            self.upload_error = " ".join(e for e in errors if e)
            self.upload_progress = -1

    @rx.event
    def remove_staged(self, attachment_id: int):
        try:
            actor = self._require_actor()
            run_service(attachments.discard_staged, actor=actor, attachment_id=attachment_id)
        except ServiceError:
            return
        self.staged = [f for f in self.staged if f["id"] != attachment_id]
