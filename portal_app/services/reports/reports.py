"""Reports staff shares with customers: who reads which, the numbers each reader gets, and staff's
writing, editing and deleting.

Readers, while staff keeps the Reports module on: a contact of a company whose profile grants the
module (view is enough) reads the published reports shared with every company (`company_id` None)
or with its own company, and the numbers of a report are always its OWN company's. Anyone else
(a visitor, a collaborator, staff on the customer pages) reads none. A report outside the reader's
scope answers NotFound, exactly like one that does not exist. Staff sees and edits every report,
drafts too, in the admin panel, and previews a report's numbers for any one company.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import false, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ...local_time import today as local_today
from ...i18n import DEFAULT_LANGUAGE
from ...models import MONTHS_DEFAULT, MONTHS_MAX, MONTHS_MIN, AccountKind, Company, ModuleAccess, Report, utcnow
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..portal.row import get_portal_settings
from ..submissions import commit_once, created_by, parse_submission_id
from ..translations import TranslatedText, parse_translations, row_text, sent, text_languages_of
from ..validation import canonical_int, clean_line, clean_text, like_pattern, parse_flag, parse_id, parse_page
from .report_kinds import BY_KEY, KINDS, ReportNumbers, numbers
from ..folding import folded

MODULE = "reports"
TITLE_MAX, DESCRIPTION_MAX, SEARCH_MAX, PAGE_LIMIT = 200, 2000, 100, 100
LIST_LIMIT = 200  # a customer's list (reports shared with a company are few)
STAFF_STATUSES: tuple[str, ...] = ("published", "draft")
STAFF_SORTS: tuple[str, ...] = ("updated", "title")
_STAFF_SORT_COLUMNS = {"updated": col(Report.updated_at), "title": func.lower(col(Report.title))}  # titles by lower case
REPORT_TEXTS = (TranslatedText("title", TITLE_MAX), TranslatedText("description", DESCRIPTION_MAX, multi_line=True))


@dataclass(frozen=True)
class ReportRow:
    id: int
    title: str
    description: str
    kind: str
    months: int
    company_id: int | None
    company_name: str  # "" when shared with every company
    published: bool
    updated_at: datetime
    translations: dict[str, dict[str, str]]  # the title and description in the other languages
    text_langs: dict[str, str] = field(default_factory=dict)  # "title", "description": each one's language


@dataclass(frozen=True)
class ReportPage:
    rows: list[ReportRow]
    total: int


@dataclass(frozen=True)
class ReportChart:
    report: ReportRow
    numbers: ReportNumbers


def _module_on(session: Session) -> bool:
    return MODULE in (get_portal_settings(session).enabled_modules or [])


def reads_reports(actor: Actor | None) -> bool:
    return (actor is not None and actor.kind == AccountKind.CONTACT and actor.company_id is not None
            and actor.can(MODULE, ModuleAccess.VIEW))


def reader_scope(session: Session, actor: Actor | None) -> list[ColumnElement[bool]]:
    """The conditions of the reports `actor` reads: none match while the module is off or for
    anyone but a contact granted the module; and only kinds whose data the reader may see (a report
    of invoice sums needs the Invoices module in the reader's profile, as the invoices do)."""
    if not _module_on(session) or not reads_reports(actor):
        return [false()]
    kinds = [k.key for k in KINDS
             if k.module is None or actor.can(k.module, ModuleAccess.VIEW)]  # type: ignore[union-attr]
    return [col(Report.published).is_(True), col(Report.kind).in_(kinds),
            or_(col(Report.company_id).is_(None), Report.company_id == actor.company_id)]  # type: ignore[union-attr]


def _rows(session: Session, reports: list[Report], lang: str | None = None) -> list[ReportRow]:
    """The rows, with the title and description in `lang` where staff wrote them (None: as stored)."""
    ids = {r.company_id for r in reports if r.company_id is not None}
    names = dict(session.exec(select(Company.id, Company.name).where(col(Company.id).in_(ids))).all()) if ids else {}
    return [ReportRow(id=r.id, kind=r.kind, months=r.months,  # type: ignore[arg-type]
                      title=row_text(r, lang, "title"), description=row_text(r, lang, "description"),
                      company_id=r.company_id, company_name=names.get(r.company_id, "") if r.company_id else "",
                      published=r.published, updated_at=r.updated_at, translations=dict(r.translations or {}),
                      text_langs=text_languages_of(r, lang, REPORT_TEXTS))
            for r in reports]


def list_reports(*, session: Session, actor: Actor | None, lang: str = DEFAULT_LANGUAGE) -> list[ReportRow]:
    """The published reports shared with the reader's company, in the reader's language, by title."""
    found = session.exec(select(Report).where(*reader_scope(session, actor))
                         .order_by(func.lower(col(Report.title)), Report.id).limit(LIST_LIMIT)).all()
    rows = _rows(session, list(found), lang)
    return sorted(rows, key=lambda r: (r.title.casefold(), r.id))  # by the titles the reader reads, any case


def _chart(session: Session, report: Report, company_id: int, today: date | None,
           lang: str | None = None) -> ReportChart:
    kind = BY_KEY.get(report.kind)
    if kind is None:  # a kind since taken out of the code: as if there were no such report
        raise NotFound()
    return ReportChart(report=_rows(session, [report], lang)[0], numbers=numbers(
        session, kind, company_id=company_id, months=report.months, today=today or local_today()))


def get_report(*, session: Session, actor: Actor | None, report_id: Any, today: date | None = None,
               lang: str = DEFAULT_LANGUAGE) -> ReportChart:
    """A report the reader reads, in the reader's language, with the numbers of the reader's own company."""
    found = session.exec(select(Report).where(*reader_scope(session, actor), Report.id == parse_id(report_id))).first()
    if found is None or actor is None or actor.company_id is None:
        raise NotFound()
    return _chart(session, found, actor.company_id, today, lang)


# --- staff -----------------------------------------------------------------------------------------

def staff_reports(*, session: Session, actor: Actor, status: Any = None, search: Any = "", sort: Any = "updated",
                  descending: Any = True, offset: Any = 0, limit: Any = 25, company_id: Any = None) -> ReportPage:
    """One page of every report, drafts too, newest change first by default; `status` "published" or
    "draft"; `search` finds words in the title or the description; `company_id` narrows to the reports
    that company's readers get: those shared with it and those for every company."""
    actor.require_staff()
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    if sort not in STAFF_SORTS or not isinstance(descending, bool):
        raise ValidationFailed({"sort": "error.invalid"})
    stmt = select(Report)
    if status not in (None, ""):
        if status not in STAFF_STATUSES:
            raise ValidationFailed({"status": "error.invalid"})
        stmt = stmt.where(col(Report.published).is_(status == "published"))
    if company_id not in (None, ""):
        stmt = stmt.where(or_(Report.company_id == parse_id(company_id, field="company"),
                              col(Report.company_id).is_(None)))
    text = clean_line(search, field="search", max_chars=SEARCH_MAX) if search not in (None, "") else ""
    if text:
        pattern = like_pattern(text)
        stmt = stmt.where(or_(*(folded(column).like(pattern, escape="\\")
                                for column in (col(Report.title), col(Report.description)))))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    column = _STAFF_SORT_COLUMNS[sort]
    order = [column.desc(), col(Report.id).desc()] if descending else [column.asc(), col(Report.id)]
    found = session.exec(stmt.order_by(*order).offset(offset).limit(limit)).all()
    return ReportPage(rows=_rows(session, list(found)), total=int(total))


def _staff_report(session: Session, actor: Actor, report_id: Any) -> Report:
    actor.require_staff()
    found = session.get(Report, parse_id(report_id))
    if found is None:
        raise NotFound()
    return found


def staff_report(*, session: Session, actor: Actor, report_id: Any) -> ReportRow:
    return _rows(session, [_staff_report(session, actor, report_id)])[0]


def preview(*, session: Session, actor: Actor, report_id: Any, company_id: Any,
            today: date | None = None) -> ReportChart:
    """Staff's look at a saved report's numbers for one company (any company, as staff sees all)."""
    report = _staff_report(session, actor, report_id)
    company = session.get(Company, parse_id(company_id, field="company"))
    if company is None:
        raise ValidationFailed({"company": "error.invalid"})
    return _chart(session, report, company.id, today)  # type: ignore[arg-type]


def _months(value: Any) -> int:
    months = canonical_int(value) if not isinstance(value, bool) else None
    if months is None or not MONTHS_MIN <= months <= MONTHS_MAX:
        raise ValidationFailed({"months": ("error.report_months", {"min": MONTHS_MIN, "max": MONTHS_MAX})})
    return months


def _company(session: Session, value: Any) -> int | None:
    """`company` '' or None: every company; else an existing company's id."""
    if value in (None, ""):
        return None
    company_id = canonical_int(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    if company_id is None or session.get(Company, company_id) is None:
        raise ValidationFailed({"company": "error.invalid"})
    return company_id


def _parsed(session: Session, data: Mapping[str, Any]) -> dict[str, Any]:
    """The report's fields from a form, every problem at once."""
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for name, limit, multi_line in (("title", TITLE_MAX, False), ("description", DESCRIPTION_MAX, True)):
        try:
            values[name] = clean_text(data.get(name, ""), field=name, max_chars=limit, single_line=not multi_line)
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if "title" in values and not values["title"]:
        errors["title"] = "error.required"
    if sent(data, REPORT_TEXTS):
        values["translations"] = parse_translations(data, REPORT_TEXTS, errors)
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in BY_KEY:
        errors["kind"] = "error.required" if kind in (None, "") else "error.invalid"
    values["kind"] = kind
    for name, field, parse in (("months", "months", _months), ("company_id", "company", lambda v: _company(session, v)),
                               ("published", "published", lambda v: parse_flag(v, field="published"))):
        try:
            values[name] = parse(data.get(field, MONTHS_DEFAULT if name == "months" else None))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(errors)
    return values


def save_report(*, session: Session, actor: Actor, report_id: Any = None, data: Mapping[str, Any],
                submission_id: Any = None) -> ReportRow:
    """Create a report (`report_id` None) or change one; all fields are checked before anything is
    written. A new report's form sent twice (`submission_id`, `services/submissions.py`) creates one."""
    actor.require_staff()
    values = _parsed(session, data)
    submission = None
    if report_id is None:
        submission = parse_submission_id(submission_id)
        report = created_by(session, Report, submission) or Report(**values, author_id=actor.account_id,
                                                                   submission_id=submission)
    else:
        report = _staff_report(session, actor, report_id)
        for name, value in values.items():
            setattr(report, name, value)
        report.updated_at = utcnow()
    return _rows(session, [commit_once(session, report, submission)])[0]


def delete_report(*, session: Session, actor: Actor, report_id: Any) -> None:
    session.delete(_staff_report(session, actor, report_id))
    session.commit()
