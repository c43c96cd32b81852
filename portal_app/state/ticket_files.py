"""Files staged for a new ticket or comment: streamed to the data folder as they are dropped,
with a progress bar, then sent with the ticket or comment. The list shown is the user's staged
files as the database has them (`_show_staged`), so a reload or another tab loses none, and the
user's quota (count and bytes, see `services.tickets.attachments`) holds across them."""

from __future__ import annotations

import math
from typing import TypedDict

import reflex as rx

from ..i18n import format_size
from ..services.tickets import attachments
from ..services.actor import Actor
from ..services.errors import NotFound, ServiceError
from ..settings import settings
from .base import field_errors, run_service
from .session import SessionState


class StagedFile(TypedDict):
    id: int
    name: str
    size: str


def _listed(files: list[attachments.StagedFile], lang: str) -> list[StagedFile]:
    return [{"id": f.id, "name": f.file_name, "size": format_size(f.size, lang)} for f in files]


class UploadProgress(rx.State, mixin=True):
    """A drop zone's progress bar (`upload_progress`, -1 when no upload runs) and error."""

    upload_progress: int = -1
    upload_error: str = ""
    max_upload_mb: int = settings.upload_max_bytes // (1024 * 1024)

    @rx.event
    def upload_started(self, progress: dict):
        value = progress.get("progress") if isinstance(progress, dict) else None
        if isinstance(value, float) and not math.isfinite(value):
            return  # NaN and infinities parse from JSON; round() raises on them
        # the browser's last word (everything sent) often comes after the server has stored the files
        # and hidden the bar: it would show "100%" for good, so the bar stops short and then goes
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 1:
            self.upload_progress = max(0, min(99, round(value * 100)))


class StagingState(UploadProgress, SessionState):
    staged: list[StagedFile] = []
    # the form the tab's page drops files on (`attachments.NEW_TICKET_FORM`, `attachments.comment_form`):
    # set by the page as it loads, here where the upload handler runs
    _staging_for: str = ""
    # uploads of this tab the server is still receiving: the form's button waits for them (the browser's
    # own progress events may come late and out of order, so they only draw the bar)
    uploads_running: int = 0

    def _staged_ids(self) -> list[int]:
        return [f["id"] for f in self.staged]

    def _show_staged(self, actor: Actor, form: str) -> None:
        """This page's form is `form`: list the actor's files waiting to be sent on it, as the database has them."""
        self._staging_for = form
        self.staged = _listed(run_service(attachments.list_staged, actor=actor, staged_for=form), self.lang)

    def _still_uploading(self) -> bool:
        """A file is still on its way: the form waits for it rather than go without it."""
        if self.uploads_running <= 0:
            return False
        self.upload_error = self._t("ticket.upload_running")
        return True

    @rx.event(background=True)
    async def stage_files(self, chunk_iter: rx.UploadChunkIterator):
        """Stream each dropped file to disk, refusing it past the size limit or the user's quota as
        it arrives (the quota is checked again as each file is recorded)."""
        if not isinstance(chunk_iter, rx.UploadChunkIterator):
            return  # an event sent by hand over the socket, not an upload: nothing to read
        async with self:
            actor = self._actor()
            self.upload_error = ""
            lang, form = self.lang, self._staging_for
            self.uploads_running += 1
        try:
            room = run_service(attachments.staged_allowance, actor=actor) if actor is not None else None
            writers: list[attachments.AttachmentWriter] = []
            errors: list[str] = []
            full = False
            try:
                async for chunk in chunk_iter:
                    if room is None or full:
                        continue  # drain the request, keep nothing (more)
                    # the name as the user's computer has it (browsers escape quotes in uploads)
                    name = attachments.uploaded_file_name(chunk.filename)
                    if chunk.offset == 0 or not writers or writers[-1].file_name != name:
                        # the files before this one, all read: an empty one is refused when recorded, and
                        # takes no place of the ones that fit
                        kept = [w for w in writers if w.refusal is None and w.size > 0]
                        if len(kept) >= room.files:
                            errors.append(field_errors(attachments.too_many_staged(), lang)["attachments"])
                            full = True  # else the refused file's next chunks would go into the file before it
                            continue
                        writers.append(attachments.AttachmentWriter(
                            name, budget=room.bytes - sum(w.size for w in kept)))
                    writers[-1].write(chunk.data)
            except Exception:
                for writer in writers:
                    writer.abort()
                async with self:
                    self.upload_progress = -1  # the bar goes
                raise
            for writer in writers:
                try:
                    run_service(writer.finish, actor=actor, staged_for=form)
                except ServiceError as exc:
                    errors.append(field_errors(exc, lang).get("attachments", ""))
            # a tab whose page has not loaded has no form to list for (its files, if any, were refused)
            staged = _listed(run_service(attachments.list_staged, actor=actor, staged_for=form), lang) \
                if actor is not None and form else None
            async with self:
                if staged is not None:
                    self.staged = staged
                self.upload_error = " ".join(e for e in errors if e)
                self.upload_progress = -1
        finally:
            async with self:
                self.uploads_running = max(0, self.uploads_running - 1)

    @rx.event
    def remove_staged(self, attachment_id: int):
        """Delete the file (row and bytes) at once, then list what is still waiting. A file already
        sent or removed in another tab just drops off this list."""
        try:
            actor = self._require_actor()
            run_service(attachments.discard_staged, actor=actor, attachment_id=attachment_id)
        except NotFound:
            self.staged = [f for f in self.staged if f["id"] != attachment_id]
            return
        except ServiceError:
            return
        self._show_staged(actor, self._staging_for)
