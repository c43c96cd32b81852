"""Documents staff shares with a company: who sees which, the list, sharing, changing, deleting,
and the download.

Who sees what:
- a contact of the company whose profile grants the Documents module (view or edit; edit adds
  nothing, the portal never changes a document): that company's documents;
- staff: every company's, in the admin panel;
- anyone else nothing: a document outside the actor's scope answers NotFound, exactly like one
  that does not exist.
Sharing can mail the company's contacts who see documents, each in its language, in the
transaction that shares it (`mail_ids` go to the mail worker).

Staff may write the title and description in the portal's other languages too
(`services/translations.py`): a reader gets them in its language where written, else in the default
one, and searches and sorts by what it reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import false, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from ...models import AccountKind, Company, DocumentCategory, ModuleAccess, SharedDocument, utcnow
from ..actor import Actor
from .. import live
from ..errors import NotFound, ValidationFailed
from ..mail import outbox
from ..submissions import created_by, parse_submission_id
from ..translations import TranslatedText, localized, parse_translations, sent, text_languages_of
from ..validation import canonical_int, clean_line, clean_text, like_pattern, parse_flag, parse_id, parse_page
from . import document_mail
from .upload import FIELD, PendingFile, discard_pending, pending_file_ready
from ..folding import folded

# a commit that shares, changes or deletes a document moves the lists' live counter; a download does not
live.watch_tables(live.ALL_DOCUMENTS, frozenset({"shareddocument"}),
                  columns_ignored={"shareddocument": frozenset({"download_count", "last_downloaded_at"})})

MODULE = "documents"
CATEGORIES: tuple[str, ...] = tuple(c.value for c in DocumentCategory)
DOCUMENT_SORTS: tuple[str, ...] = ("shared", "title", "category", "size")
TITLE_MAX, DESCRIPTION_MAX, SEARCH_MAX, PAGE_LIMIT = 200, 2000, 100, 100
FIELDS = ("title", "category", "description")
DOCUMENT_TEXTS = (TranslatedText("title", TITLE_MAX), TranslatedText("description", DESCRIPTION_MAX, multi_line=True))

# titles sort by their lower case, as the ticket list's do
_SORT_COLUMNS = {"shared": col(SharedDocument.created_at), "title": func.lower(col(SharedDocument.title)),
                 "category": col(SharedDocument.category), "size": col(SharedDocument.size)}


@dataclass(frozen=True)
class DocumentRow:
    id: int
    company_id: int
    company_name: str
    title: str
    description: str
    category: str
    file_name: str
    size: int
    content_type: str
    created_at: datetime
    updated_at: datetime
    download_count: int
    last_downloaded_at: datetime | None
    translations: dict[str, dict[str, str]]  # the title and description in the other languages
    text_langs: dict[str, str] = field(default_factory=dict)  # "title", "description": each one's language



@dataclass(frozen=True)
class DocumentPage:
    rows: list[DocumentRow]
    total: int


@dataclass(frozen=True)
class Shared:
    document: DocumentRow
    mail_ids: list[int]  # the page hands them to the mail worker


@dataclass(frozen=True)
class Download:
    path: Path
    file_name: str
    content_type: str


def sees_documents(actor: Actor) -> bool:
    return actor.is_staff or (actor.kind == AccountKind.CONTACT and actor.company_id is not None
                              and actor.can(MODULE, ModuleAccess.VIEW))


def visible_documents(actor: Actor) -> SelectOfScalar[SharedDocument]:
    """Staff: every company's. A contact with the module: its company's. Anyone else: none."""
    if actor.is_staff:
        return select(SharedDocument)
    if not sees_documents(actor):
        return select(SharedDocument).where(false())
    return select(SharedDocument).where(SharedDocument.company_id == actor.company_id)


def _row(d: SharedDocument, company: str, lang: str | None = None) -> DocumentRow:
    """The row, its title and description in `lang` where staff wrote them (None: as stored)."""
    translations = dict(d.translations or {})
    title, description = d.title, d.description
    if lang:
        title = localized(translations, lang, "title", title)
        description = localized(translations, lang, "description", description)
    return DocumentRow(id=d.id, company_id=d.company_id, company_name=company, title=title,  # type: ignore[arg-type]
                       description=description, category=d.category, file_name=d.file_name, size=d.size,
                       content_type=d.content_type, created_at=d.created_at, updated_at=d.updated_at,
                       download_count=d.download_count, last_downloaded_at=d.last_downloaded_at,
                       translations=translations, text_langs=text_languages_of(d, lang, DOCUMENT_TEXTS))


def _read_as(lang: str | None, name: str) -> Any:
    """SQL for the text `name` as a reader of `lang` reads it: staff's text in that language where
    written, else the stored one (None: as stored)."""
    stored = col(getattr(SharedDocument, name))
    if not lang:
        return stored
    written = col(SharedDocument.translations)[(lang, name)].as_string()
    return func.coalesce(func.nullif(written, ""), stored)


def list_documents(*, session: Session, actor: Actor, category: Any = None, search: Any = "", sort: Any = "shared",
                   descending: Any = True, offset: Any = 0, limit: Any = 25, company_id: Any = None,
                   lang: str | None = None) -> DocumentPage:
    """One page of the documents the actor sees, newest first by default; `search` finds words in the
    title, the description or the file's name; staff may narrow to one company (`company_id`). With
    `lang`, titles and descriptions are the reader's language's (where staff wrote them), and the
    search and the sort by title use those."""
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    if sort not in DOCUMENT_SORTS or not isinstance(descending, bool):
        raise ValidationFailed({"sort": "error.invalid"})
    stmt = visible_documents(actor)
    if actor.is_staff and company_id not in (None, ""):
        stmt = stmt.where(SharedDocument.company_id == parse_id(company_id, field="company"))
    if category not in (None, ""):
        if category not in CATEGORIES:
            raise ValidationFailed({"category": "error.invalid"})
        stmt = stmt.where(SharedDocument.category == category)
    text = clean_line(search, field="search", max_chars=SEARCH_MAX) if search not in (None, "") else ""
    if text:
        pattern = like_pattern(text)
        stmt = stmt.where(or_(*(folded(column).like(pattern, escape="\\") for column in (
            _read_as(lang, "title"), _read_as(lang, "description"), col(SharedDocument.file_name)))))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    column = func.lower(_read_as(lang, "title")) if sort == "title" else _SORT_COLUMNS[sort]
    order = [column.desc(), col(SharedDocument.id).desc()] if descending else [column.asc(), col(SharedDocument.id)]
    rows = session.execute(stmt.add_columns(col(Company.name)).join(Company, col(Company.id) == SharedDocument.company_id)
                           .order_by(*order).offset(offset).limit(limit)).all()
    return DocumentPage(rows=[_row(d, name, lang) for d, name in rows], total=int(total))


def _load(session: Session, actor: Actor, document_id: Any) -> SharedDocument:
    number = canonical_int(document_id)
    if number is None or not 0 < number <= 2**62:
        raise NotFound()
    found = session.exec(visible_documents(actor).where(SharedDocument.id == number)).first()
    if found is None:
        raise NotFound()
    return found


def get_document(*, session: Session, actor: Actor, document_id: Any, lang: str | None = None) -> DocumentRow:
    d = _load(session, actor, document_id)
    company = session.get(Company, d.company_id)
    return _row(d, company.name if company else "", lang)


def _read(data: Any) -> dict[str, Any]:
    """The form's fields, every error at once; the texts in other languages only when the form sent
    them (a form without them leaves the stored ones)."""
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for name, read in (("title", lambda v: clean_line(v, field="title", max_chars=TITLE_MAX)),
                       ("description", lambda v: clean_text(v, field="description", max_chars=DESCRIPTION_MAX))):
        try:
            values[name] = read(data.get(name, ""))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if "title" in values and not values["title"]:
        errors["title"] = "error.required"
    category = data.get("category", DocumentCategory.OTHER.value)
    if not isinstance(category, str) or category not in CATEGORIES:
        errors["category"] = "error.invalid"
    if sent(data, DOCUMENT_TEXTS):
        values["translations"] = parse_translations(data, DOCUMENT_TEXTS, errors)
    if errors:
        raise ValidationFailed(errors)
    return {**values, "category": category}


def _with_file(document: SharedDocument, file: PendingFile) -> None:
    document.file_name, document.stored_name, document.size = file.file_name, file.stored_name, file.size
    document.content_type, document.sha256 = file.content_type, file.sha256


def share_document(*, session: Session, actor: Actor, company_id: Any, data: Any, file: Any,
                   submission_id: Any = None, now: datetime | None = None) -> Shared:
    """Staff: share a file with a company (title required; category, description; `notify` in `data`
    mails its contacts who see documents). Every field's error at once, the company's and the
    file's among them; nothing is written then. The same form sent twice (`submission_id`) shares once."""
    actor.require_staff()
    errors: dict[str, Any] = {}
    company = None
    if company_id in (None, ""):
        errors["company"] = "error.required"
    else:
        try:
            company = session.get(Company, parse_id(company_id, field="company"))
        except ValidationFailed as exc:
            errors.update(exc.fields)
        if company is None and not errors:
            errors["company"] = "error.invalid"
    values: dict[str, Any] = {}
    notify = False
    try:
        values = _read(data)
        notify = parse_flag(data.get("notify"), field="notify")
    except ValidationFailed as exc:
        errors.update(exc.fields)
    submission = parse_submission_id(submission_id)
    if (done := created_by(session, SharedDocument, submission)) is not None:
        return Shared(document=get_document(session=session, actor=actor, document_id=done.id), mail_ids=[])
    try:
        file = pending_file_ready(file)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors or company is None:
        raise ValidationFailed(errors)
    now = now or utcnow()
    document = SharedDocument(company_id=company.id, shared_by_id=actor.account_id, submission_id=submission,  # type: ignore[arg-type]
                              created_at=now, updated_at=now, file_name="", stored_name="", content_type="", size=0,
                              sha256="", **values)
    _with_file(document, file)
    session.add(document)
    try:
        session.flush()
        mail_ids = outbox.enqueue(session=session, mails=document_mail.shared(session, document, company), now=now,
                                  commit=False) if notify else []
        session.commit()
    except IntegrityError:
        session.rollback()
        if (done := created_by(session, SharedDocument, submission)) is None:
            raise ValidationFailed({FIELD: "documents.file_gone"}) from None  # the file went with another form
        return Shared(document=get_document(session=session, actor=actor, document_id=done.id), mail_ids=[])
    return Shared(document=_row(document, company.name), mail_ids=mail_ids)


def update_document(*, session: Session, actor: Actor, document_id: Any, data: Any, file: Any = None,
                    now: datetime | None = None) -> DocumentRow:
    """Staff: change the title, category and description, and with `file` replace the file (the old
    one is deleted once the change is saved). The company stays."""
    actor.require_staff()
    document = _load(session, actor, document_id)
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    try:
        values = _read(data)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if file is not None:
        try:
            file = pending_file_ready(file)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    old_file = document.stored_name
    for name, value in values.items():
        setattr(document, name, value)
    if file is not None:
        _with_file(document, file)
    document.updated_at = now or utcnow()
    session.add(document)
    session.commit()
    if file is not None and old_file != document.stored_name:
        (file.path.parent / old_file).unlink(missing_ok=True)
    return get_document(session=session, actor=actor, document_id=document.id)


def delete_document(*, session: Session, actor: Actor, document_id: Any) -> None:
    """Staff: the row and then its file."""
    actor.require_staff()
    document = _load(session, actor, document_id)
    stored = PendingFile(stored_name=document.stored_name, file_name=document.file_name, size=document.size,
                         content_type=document.content_type, sha256=document.sha256)
    session.delete(document)
    session.commit()
    discard_pending(session, stored)  # no row names it now


def drop_pending(*, session: Session, actor: Actor, file: Any) -> None:
    """Staff took a dropped file off the form (or dropped another): its bytes go."""
    actor.require_staff()
    discard_pending(session, file)


def open_document(*, session: Session, actor: Actor, document_id: Any, now: datetime | None = None) -> Download:
    """The file to send, checked on every request; a contact's download is counted (staff's is not)."""
    document = _load(session, actor, document_id)
    path = PendingFile(stored_name=document.stored_name, file_name=document.file_name, size=document.size,
                       content_type=document.content_type, sha256=document.sha256).path
    if not path.is_file():
        raise NotFound()
    if not actor.is_staff:  # counted in the database: downloads at the same moment all count
        session.execute(update(SharedDocument).where(col(SharedDocument.id) == document.id)
                        .values(download_count=SharedDocument.download_count + 1,
                                last_downloaded_at=now or utcnow()))
        session.commit()
    return Download(path=path, file_name=document.file_name, content_type=document.content_type)


__all__ = ["CATEGORIES", "DOCUMENT_SORTS", "DOCUMENT_TEXTS", "FIELD", "FIELDS",
           "DocumentPage", "DocumentRow", "Download", "Shared",
           "delete_document", "drop_pending", "get_document", "list_documents", "open_document", "share_document",
           "sees_documents", "update_document", "visible_documents"]
