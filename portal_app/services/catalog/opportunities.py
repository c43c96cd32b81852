"""Opportunities: the company's open sales opportunities, read-only in the portal; staff keeps
them (create, edit, close as won or lost, delete).

Customers need view rights on the Opportunities module and see their own company's open ones
(stages before won/lost) only; edit rights add nothing, the portal never changes them. Portal
profiles have field rights for contact and company fields only, none for opportunities, so every
field shown to staff is shown to the customer too. Staff sees every company's, closed ones too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ...models import Company, Opportunity, utcnow
from ..actor import Actor
from ..errors import NotFound, ValidationFailed
from ..money import CURRENCIES, parse_cents
from ..validation import canonical_int, clean_line, clean_text, like_pattern, parse_date, parse_id, parse_page
from .catalog_rules import MAX_PRICE_CENTS, OPEN_STAGES, OPPORTUNITY_SORTS, PAGE_LIMIT, STAGES, TEXT_LIMITS
from .scope import sees_opportunities, visible_opportunities
from ..folding import folded


@dataclass(frozen=True)
class OpportunityRow:
    id: int
    company_id: int
    company_name: str
    name: str
    stage: str
    is_open: bool
    amount_cents: int
    currency: str
    probability: int  # percent
    expected_close: date | None
    owner_name: str
    updated_at: datetime


@dataclass(frozen=True)
class OpportunityPage:
    rows: list[OpportunityRow]
    total: int


@dataclass(frozen=True)
class OpportunityDetail(OpportunityRow):
    description: str
    created_at: datetime


# names sort by their lower case: "eCommerce pilot" among the E's, not after every capital
_SORT_COLUMNS = {"expected_close": col(Opportunity.expected_close), "name": func.lower(col(Opportunity.name)),
                 "amount": col(Opportunity.amount_cents), "stage": col(Opportunity.stage)}


def _row(o: Opportunity, company: str) -> OpportunityRow:
    return OpportunityRow(id=o.id, company_id=o.company_id, company_name=company, name=o.name,  # type: ignore[arg-type]
                          stage=o.stage, is_open=o.stage in OPEN_STAGES, amount_cents=o.amount_cents,
                          currency=o.currency, probability=o.probability, expected_close=o.expected_close,
                          owner_name=o.owner_name, updated_at=o.updated_at)


def list_opportunities(*, session: Session, actor: Actor, stage: Any = None, search: Any = "",
                       sort: Any = "expected_close", descending: Any = False, offset: Any = 0, limit: Any = 25,
                       company_id: Any = None, include_closed: Any = False) -> OpportunityPage:
    """One page of the opportunities the actor sees: customers their company's open ones; staff
    every company's (`company_id` narrows, `include_closed` adds won and lost). Filtered by stage,
    searched by name, sorted by a column of `OPPORTUNITY_SORTS` (ties by id)."""
    if not sees_opportunities(actor):
        return OpportunityPage(rows=[], total=0)
    offset, limit = parse_page(offset, limit, max_limit=PAGE_LIMIT)
    if sort not in OPPORTUNITY_SORTS or not isinstance(descending, bool) or not isinstance(include_closed, bool):
        raise ValidationFailed({"sort": "error.invalid"})
    stmt = visible_opportunities(actor)
    if actor.is_staff:
        if company_id not in (None, ""):
            stmt = stmt.where(Opportunity.company_id == parse_id(company_id, field="company"))
        if not include_closed:
            stmt = stmt.where(col(Opportunity.stage).in_(OPEN_STAGES))
    if stage not in (None, ""):
        if stage not in STAGES:
            raise ValidationFailed({"stage": "error.invalid"})
        stmt = stmt.where(Opportunity.stage == stage)
    text = clean_line(search, field="search", max_chars=100) if search not in (None, "") else ""
    if text:
        stmt = stmt.where(folded(col(Opportunity.name)).like(like_pattern(text), escape="\\"))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    column = _SORT_COLUMNS[sort]
    order = [column.desc().nulls_last(), col(Opportunity.id).desc()] if descending \
        else [column.asc().nulls_last(), col(Opportunity.id)]
    rows = session.execute(stmt.add_columns(col(Company.name)).join(Company, col(Company.id) == Opportunity.company_id)
                           .order_by(*order).offset(offset).limit(limit)).all()
    return OpportunityPage(rows=[_row(o, name) for o, name in rows], total=total)


def _load(session: Session, actor: Actor, opportunity_id: Any) -> Opportunity:
    number = canonical_int(opportunity_id)
    if number is None or not 0 < number <= 2**62:
        raise NotFound()
    found = session.exec(visible_opportunities(actor).where(Opportunity.id == number)).first()
    if found is None:
        raise NotFound()
    return found


def get_opportunity(*, session: Session, actor: Actor, opportunity_id: Any) -> OpportunityDetail:
    """One opportunity; NotFound for another company's, a closed one (customers) or without the module."""
    o = _load(session, actor, opportunity_id)
    company = session.get(Company, o.company_id)
    return OpportunityDetail(**_row(o, company.name if company else "").__dict__, description=o.description,
                             created_at=o.created_at)


def _read(data: Any, *, partial: bool) -> dict[str, Any]:
    """The staff form's fields, every error at once; `partial`: only those present."""
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
    readers = {
        "name": lambda v: clean_line(v, field="name", max_chars=TEXT_LIMITS["opportunity"]),
        "stage": lambda v: v if v in STAGES else _bad("stage"),
        "amount": lambda v: parse_cents(v, field="amount", maximum=MAX_PRICE_CENTS),
        "currency": lambda v: v if v in CURRENCIES else _bad("currency"),
        "probability": lambda v: v if (v := canonical_int(v)) is not None and 0 <= v <= 100 else _bad(
            "probability", "error.probability"),
        "expected_close": lambda v: parse_date(v, field="expected_close"),
        "owner_name": lambda v: clean_line(v, field="owner_name", max_chars=TEXT_LIMITS["owner_name"]),
        "description": lambda v: clean_text(v, field="description", max_chars=TEXT_LIMITS["opportunity_description"]),
    }
    out: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for key, read in readers.items():
        if partial and key not in data:
            continue
        try:
            out[key] = read(data.get(key))
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if "name" in out and not out["name"]:
        errors["name"] = "error.required"
    if errors:
        raise ValidationFailed(errors)
    if "amount" in out:
        out["amount_cents"] = out.pop("amount")
    return out


_DEFAULTS = {"stage": "prospecting", "amount": "0", "currency": "EUR", "probability": 10, "expected_close": None,
             "owner_name": "", "description": ""}


def _bad(field: str, key: str = "error.invalid") -> Any:
    raise ValidationFailed({field: key})


def create_opportunity(*, session: Session, actor: Actor, company_id: Any, data: Any,
                       now: datetime | None = None) -> OpportunityDetail:
    """Staff: a new opportunity of a company (name required; stage, amount, currency, probability,
    expected close, owner name, description). A missing company ("company": `error.required`) is
    reported with the fields' errors, every one at once."""
    actor.require_staff()
    if not isinstance(data, Mapping):
        raise ValidationFailed({"form": "error.invalid"})
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
    try:
        values = _read({**_DEFAULTS, **data}, partial=False)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if errors or company is None:
        raise ValidationFailed(errors)
    now = now or utcnow()
    row = Opportunity(company_id=company.id, owner_id=actor.account_id, created_at=now, updated_at=now,  # type: ignore[arg-type]
                      **values)
    if not row.owner_name:
        row.owner_name = actor.name
    session.add(row)
    session.commit()
    return get_opportunity(session=session, actor=actor, opportunity_id=row.id)


def update_opportunity(*, session: Session, actor: Actor, opportunity_id: Any, data: Any,
                       now: datetime | None = None) -> OpportunityDetail:
    """Staff: change the fields given (closing it is moving it to `won` or `lost`)."""
    actor.require_staff()
    row = _load(session, actor, opportunity_id)
    for key, value in _read(data, partial=True).items():
        setattr(row, key, value)
    row.updated_at = now or utcnow()
    session.add(row)
    session.commit()
    return get_opportunity(session=session, actor=actor, opportunity_id=row.id)


def delete_opportunity(*, session: Session, actor: Actor, opportunity_id: Any) -> None:
    actor.require_staff()
    session.delete(_load(session, actor, opportunity_id))
    session.commit()

