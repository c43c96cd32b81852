"""Admin panel, opportunities: every company's (/admin/opportunities: stage, company, closed ones too
on request, search, sort, pages in the URL), a new one (/admin/opportunities/new: for a company
found in the search box) and one to edit or delete (/admin/opportunities/<id>). Customers see their
company's open ones, read-only, at /opportunities."""

from __future__ import annotations

from typing import Any, TypedDict

import reflex as rx

from ...i18n import format_day, format_money
from ...services import submissions
from ...services.actor import Actor
from ...services.catalog import opportunities
from ...services.catalog.catalog_rules import CLOSED_STAGES, OPPORTUNITY_SORTS, STAGES
from ...services.errors import ValidationFailed
from ...services.money import as_decimal
from ...services.validation import is_id
from .admin_base import CompanyChooser, CompanyFilter, StaffList, StaffPage, staff_list_query
from ..company_picker import CLOSED_MATCHES
from ..line_editor import plain
from ..base import run_service, while_busy
from ..base import last_segment
from ..session import SessionState
from .opportunities import OpportunityItem
from ..url_list import PAGE_SIZE, ListSpec

BASE = "/admin/opportunities"
FIELDS = ("name", "stage", "amount", "currency", "probability", "expected_close", "owner_name", "description")

OPPORTUNITY_INBOX = ListSpec(path=BASE, statuses=STAGES, sorts=OPPORTUNITY_SORTS, default_sort="expected_close",
                             columns=("name", "company", "stage", "amount", "probability", "expected_close", "owner"),
                             label_prefix="admin.catalog.opp_col", extra=("company", "closed"))


class StaffOpportunityItem(OpportunityItem):
    href: str
    company: str


class OpportunityForm(TypedDict):
    name: str
    stage: str
    amount: str
    currency: str
    probability: str
    expected_close: str
    owner_name: str
    description: str


def opportunity_query(raw: str) -> dict[str, str]:
    query = staff_list_query(OPPORTUNITY_INBOX, raw)
    if query.get("closed", "1") != "1":
        del query["closed"]
    return query


class AdminOpportunityListState(CompanyFilter, StaffList, SessionState):
    """Every company's opportunities: the open ones, or closed ones too ("closed=1", or a closed stage)."""

    rows: list[StaffOpportunityItem] = []
    show_closed: bool = False

    def _spec(self) -> ListSpec:
        return OPPORTUNITY_INBOX

    def _view_query(self, raw: str) -> dict[str, str]:
        return opportunity_query(raw)

    def _fill(self, actor: Actor) -> None:
        sort, descending = self._sort()
        stage = self._query.get("status")
        closed = self._query.get("closed") == "1" or stage in CLOSED_STAGES
        page = run_service(opportunities.list_opportunities, actor=actor, stage=stage, search=self._query.get("q", ""),
                           sort=sort, descending=descending, offset=self._offset(), limit=PAGE_SIZE,
                           company_id=self._query.get("company"), include_closed=closed)
        t, lang = self._t, self.lang
        self._show_company(actor)
        self._put(
            rows=[{"id": r.id, "href": f"{BASE}/{r.id}", "name": r.name, "company": r.company_name, "stage": r.stage,
                   "stage_label": t(f"catalog.stage.{r.stage}"),
                   "amount": format_money(r.amount_cents, r.currency, lang),
                   "probability": f"{r.probability} %", "expected_close": format_day(r.expected_close, lang),
                   "owner": r.owner_name} for r in page.rows],
            show_closed=self._query.get("closed") == "1")
        self._show_page(page.total, "opportunities.page_of")

    @rx.event
    def set_closed(self, on: bool):
        """"Won and lost too": closed ones listed as well."""
        if not isinstance(on, bool):
            return None
        return self._go(closed="1" if on else None)


class AdminOpportunityState(CompanyChooser, StaffPage, SessionState):
    """A new opportunity (its company chosen in the search box) or one to edit or delete."""

    found: bool = False  # the form is shown (a new one, or one found)
    missing: bool = False
    is_new: bool = False
    title: str = ""
    company_href: str = ""
    opportunity: OpportunityForm = {}  # type: ignore[typeddict-item]
    form_key: int = 0
    submission_id: str = ""
    _opportunity_id: int = 0

    def _show(self, actor: Actor) -> None:
        o = run_service(opportunities.get_opportunity, actor=actor, opportunity_id=self._opportunity_id)
        self._put(found=True, missing=False, is_new=False, title=o.name, company_value=str(o.company_id),
                  company_label=o.company_name, **CLOSED_MATCHES, company_href=f"/admin/company?id={o.company_id}",
                  opportunity={"name": o.name, "stage": o.stage, "amount": plain(as_decimal(o.amount_cents), self.lang),
                               "currency": o.currency, "probability": str(o.probability),
                               "expected_close": o.expected_close.isoformat() if o.expected_close else "",
                               "owner_name": o.owner_name, "description": o.description})
        self.form_key += 1

    def _gone(self, *, missing: bool = True) -> None:
        self._opportunity_id = 0
        self._put(found=False, missing=missing, is_new=False, title="", opportunity={}, company_value="",
                  company_label="", **CLOSED_MATCHES, company_href="")

    def _open(self, actor: Actor) -> None:
        """/admin/opportunities/new: an empty form (its own submission id); /admin/opportunities/<id>: that one."""
        segment = last_segment(self)
        if segment == "new":
            self._opportunity_id = 0
            self.submission_id = submissions.new_submission_id()
            self._put(found=True, missing=False, is_new=True, title="", company_value="", company_label="",
                      **CLOSED_MATCHES, company_href="",
                      opportunity={"name": "", "stage": "prospecting", "amount": "", "currency": "EUR",
                                   "probability": "10", "expected_close": "", "owner_name": actor.name,
                                   "description": ""})
            self.form_key += 1
        elif is_id(segment) and segment == str(int(segment)):
            self._opportunity_id = int(segment)
            self._again(actor)
        else:
            self._gone()

    def _may_choose(self) -> bool:
        return self.is_new  # (an opportunity keeps its company)

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        """"Save": a new one is made (once per form) and its page opens; one found is changed."""
        if not isinstance(form_data, dict) or not self.found:
            return None
        data: dict[str, Any] = {name: form_data.get(name, "") for name in FIELDS}
        if not self.is_new:
            ok, _ = self._attempt(lambda actor: run_service(
                opportunities.update_opportunity, actor=actor, opportunity_id=self._opportunity_id, data=data),
                fields=FIELDS)
            if ok:
                self._done("admin.catalog.opportunity_saved")
                self._follow(self._again)
            return None

        def make(actor: Actor) -> str:
            """Every field's error at once, the company's among them ("Choose the company.")."""
            try:
                made = run_service(opportunities.create_opportunity, actor=actor, company_id=self.company_value or None,
                                   data=data)
            except ValidationFailed as exc:
                if "company" in exc.fields and not self.company_value:
                    exc.fields["company"] = ("admin.catalog.choose_company", {})
                raise
            return f"{BASE}/{made.id}"

        return self._made_once(form_data, make, shown=self.is_new, fields=(*FIELDS, "company"))

    @rx.event
    async def delete(self):
        async for update in while_busy(self, self._delete):
            yield update

    def _delete(self):
        if not self.found or self.is_new or not self._opportunity_id:
            return None
        ok, _ = self._attempt(lambda actor: run_service(opportunities.delete_opportunity, actor=actor,
                                                        opportunity_id=self._opportunity_id))
        if not ok:
            return None
        self._gone(missing=False)
        return rx.redirect(BASE)
