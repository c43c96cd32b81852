"""Admin panel, documents: every company's shared files (/admin/documents: company, category,
search, sort and pages in the URL), a file to share (/admin/documents/new: its company found in the
search box, the file dropped on the form) and one to change, replace or delete (/admin/documents/<id>).

The dropped file is streamed to the data folder at once (`services/documents/upload.py`) and kept
on the state's back end (`_pending`) until the form is saved; dropping another or leaving the page
discards it, and housekeeping sweeps one left behind."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from ..i18n import format_size
from ..services import submissions
from ..services.actor import Actor
from ..services.documents import shared_files
from ..services.documents.shared_files import CATEGORIES, DOCUMENT_SORTS, DOCUMENT_TEXTS, FIELDS
from ..services.documents.upload import DocumentUpload, PendingFile
from ..services.errors import ServiceError, ValidationFailed
from ..services.tickets import attachments
from ..services.translations import form_values, refused_in
from ..services.validation import is_id
from .base import deliver_soon, field_errors, last_segment, run_service, while_busy
from .catalog.admin_base import CompanyChooser, CompanyFilter, StaffList, StaffPage
from .company_picker import CLOSED_MATCHES
from .form_merge import merged_whole
from .session import SessionState
from .shared_documents import DocumentItem, document_item
from .ticket_files import UploadProgress
from .url_list import PAGE_SIZE, ListSpec

BASE = "/admin/documents"
TRANSLATED_FIELDS = tuple(form_values({}, DOCUMENT_TEXTS))  # title_fi, description_fi, ...
FORM_FIELDS = (*FIELDS, *TRANSLATED_FIELDS, "notify", "company", "file")

STAFF_DOCUMENTS = ListSpec(path=BASE, statuses=CATEGORIES, sorts=DOCUMENT_SORTS, default_sort="-shared",
                           columns=("title", "company", "category", "size", "shared", "downloads"),
                           label_prefix="admin.documents.col", extra=("company",))


class StaffDocumentItem(DocumentItem):
    edit_href: str
    company: str
    downloads: str


class AdminSharedDocumentListState(CompanyFilter, StaffList, SessionState):
    rows: list[StaffDocumentItem] = []

    def _spec(self) -> ListSpec:
        return STAFF_DOCUMENTS

    def _fill(self, actor: Actor) -> None:
        sort, descending = self._sort()
        page = run_service(shared_files.list_documents, actor=actor, category=self._query.get("status"),
                           search=self._query.get("q", ""), sort=sort, descending=descending, offset=self._offset(),
                           limit=PAGE_SIZE, company_id=self._query.get("company"))
        self._show_company(actor)
        lang, t = self.lang, self._t
        self._put(rows=[{**document_item(r, lang, t, self._when), "edit_href": f"{BASE}/{r.id}",
                         "company": r.company_name, "downloads": downloads_text(r, t, self._when)} for r in page.rows])
        self._show_page(page.total, "documents.page_of")


def _form_of(d: shared_files.DocumentRow) -> dict[str, str]:
    """A shared document as its form's texts."""
    return {"title": d.title, "category": d.category, "description": d.description,
            **form_values(d.translations, DOCUMENT_TEXTS)}


def downloads_text(row: shared_files.DocumentRow, t, when) -> str:  # noqa: ANN001  (the state's `_t`, `_when`)
    if not row.download_count:
        return t("admin.documents.not_downloaded")
    return t("admin.documents.downloaded", count=row.download_count, when=when(row.last_downloaded_at))


class AdminSharedDocumentState(UploadProgress, CompanyChooser, StaffPage, SessionState):
    """A file to share (its company chosen in the search box) or a shared one to change or delete."""

    found: bool = False
    missing: bool = False
    is_new: bool = False
    title: str = ""
    company_href: str = ""
    document: dict[str, str] = {}  # the form's values: title, category, description, title_fi, ...
    texts_open: bool = False  # "In other languages" unfolded: texts written there, or a message
    form_key: int = 0
    submission_id: str = ""
    current_file: str = ""  # "offer.pdf · 1.2 MB" of the file shared now
    download_href: str = ""
    downloads: str = ""
    pending_file: str = ""  # the dropped file, not saved yet
    _document_id: int = 0
    _pending: dict[str, Any] = {}  # PendingFile's fields

    _shown: dict[str, str] = {}  # the form as drawn, for the save (`form_merge`)
    _told: dict[str, str] = {}  # values someone else saved meanwhile that a refused save showed

    def _current(self, actor: Actor) -> shared_files.DocumentRow:
        return run_service(shared_files.get_document, actor=actor, document_id=self._document_id)

    def _show(self, actor: Actor) -> None:
        d = self._current(actor)
        self._shown, self._told = _form_of(d), {}
        self._put(found=True, missing=False, is_new=False, title=d.title, company_value=str(d.company_id),
                  company_label=d.company_name, **CLOSED_MATCHES, company_href=f"/admin/company?id={d.company_id}",
                  document=dict(self._shown), texts_open=bool(d.translations),
                  current_file=f"{d.file_name} · {format_size(d.size, self.lang)}",
                  download_href=f"/api/documents/{d.id}", downloads=downloads_text(d, self._t, self._when))
        self.form_key += 1

    def _gone(self, *, missing: bool = True) -> None:
        self._document_id = 0
        self._put(found=False, missing=missing, is_new=False, title="", document={}, texts_open=False, company_value="",
                  company_label="", **CLOSED_MATCHES, company_href="", current_file="", download_href="",
                  downloads="")

    def _reset(self) -> None:
        super()._reset()
        self._drop_pending()
        self._put(upload_progress=-1, upload_error="")

    def _open(self, actor: Actor) -> None:
        segment = last_segment(self)
        if segment == "new":
            self._document_id = 0
            self.submission_id = submissions.new_submission_id()
            self._put(found=True, missing=False, is_new=True, title="", company_value="", company_label="",
                      **CLOSED_MATCHES, company_href="", current_file="", download_href="", downloads="",
                      document={"title": "", "category": "other", "description": "",
                                **dict.fromkeys(TRANSLATED_FIELDS, "")}, texts_open=False)
            self.form_key += 1
        elif is_id(segment) and segment == str(int(segment)):
            self._document_id = int(segment)
            self._again(actor)
        else:
            self._gone()

    def _may_choose(self) -> bool:
        return self.is_new  # (a shared document keeps its company)

    def _pending_file(self) -> PendingFile | None:
        return PendingFile(**self._pending) if self._pending else None

    def _drop_pending(self) -> None:
        pending, self._pending = self._pending_file(), {}
        self.pending_file = ""
        actor = self._staff_or_none()
        if pending is not None and actor is not None:
            run_service(shared_files.drop_pending, actor=actor, file=pending)

    @rx.event(background=True)
    async def receive_file(self, chunk_iter: rx.UploadChunkIterator):
        """The dropped file, streamed to disk within the size limit; it replaces one dropped before."""
        if not isinstance(chunk_iter, rx.UploadChunkIterator):
            return  # an event sent by hand over the socket, not an upload: nothing to read
        async with self:
            actor = self._staff_or_none() if self.found else None
            lang = self.lang
            self._put(upload_error="")
        writer: DocumentUpload | None = None
        try:
            async for chunk in chunk_iter:
                if actor is None:
                    continue  # drain the request, keep nothing
                name = attachments.uploaded_file_name(chunk.filename)
                if writer is None:
                    writer = DocumentUpload(name)
                if writer.file_name == name:  # one file: a second one in the same drop is left out
                    writer.write(chunk.data)
        except Exception:
            if writer is not None:
                writer.abort()
            raise
        kept, error = None, ""
        if writer is not None:
            try:
                kept = writer.keep()
            except ServiceError as exc:
                error = field_errors(exc, lang).get("file", "")
        async with self:
            self._put(upload_progress=-1, upload_error=error)
            if kept is not None:
                if self.found:
                    self._drop_pending()
                    self._pending = asdict(kept)
                    errors = {k: v for k, v in self.errors.items() if k != "file"}
                    self._put(pending_file=f"{kept.file_name} · {format_size(kept.size, self.lang)}", errors=errors)
                elif actor is not None:
                    run_service(shared_files.drop_pending, actor=actor, file=kept)  # the page went meanwhile

    @rx.event
    def remove_file(self):
        self._drop_pending()

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        """"Share": shared once per form, then its page opens; "Save": the one found is changed (and
        its file replaced by one dropped)."""
        if not isinstance(form_data, dict) or not self.found:
            return None
        data: dict[str, Any] = {name: form_data.get(name, "") for name in (*FIELDS, *TRANSLATED_FIELDS, "notify")}
        pending = self._pending_file()
        if not self.is_new:
            ok, _ = self._attempt(lambda actor: run_service(
                shared_files.update_document, actor=actor, document_id=self._document_id, file=pending,
                data=merged_whole(self, now=_form_of(self._current(actor)), data=data, together=TRANSLATED_FIELDS)),
                fields=FORM_FIELDS)
            if ok:
                self._pending = {}
                self._put(pending_file="")
                self._done("admin.documents.saved")
                self._follow(self._again)
            return None

        def share(actor: Actor) -> str:
            try:
                shared = run_service(shared_files.share_document, actor=actor, company_id=self.company_value or None,
                                     data=data, file=pending, submission_id=form_data.get("submission_id"))
            except ValidationFailed as exc:
                if "company" in exc.fields and not self.company_value:
                    exc.fields["company"] = ("admin.catalog.choose_company", {})
                if exc.fields.get("file") == ("error.required", {}):
                    exc.fields["file"] = ("admin.documents.choose_file", {})
                raise
            deliver_soon(shared.mail_ids)
            self._pending = {}
            self._put(pending_file="")
            return f"{BASE}/{shared.document.id}"

        return self._made_once(form_data, share, shown=self.is_new, fields=FORM_FIELDS)

    @rx.event
    async def delete(self):
        async for update in while_busy(self, self._delete):
            yield update

    def _say(self, messages: dict[str, str], fields: tuple[str, ...], *, at: str = "") -> None:
        super()._say(messages, fields, at=at)
        self._put(texts_open=self.texts_open or refused_in(self.errors, DOCUMENT_TEXTS))

    def _delete(self):
        if not self.found or self.is_new or not self._document_id:
            return None
        ok, _ = self._attempt(lambda actor: run_service(shared_files.delete_document, actor=actor,
                                                        document_id=self._document_id))
        if not ok:
            return None
        self._gone(missing=False)
        return rx.redirect(BASE)
