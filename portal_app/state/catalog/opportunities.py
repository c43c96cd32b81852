"""/opportunities: the company's open sales opportunities, read-only (the Opportunities module)."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ...i18n import format_day, format_money
from ...services.catalog import opportunities
from ...services.catalog.catalog_rules import OPEN_STAGES, OPPORTUNITY_SORTS
from ...services.catalog.scope import sees_opportunities
from ..base import run_service
from ..session import SessionState
from ..url_list import PAGE_SIZE, ListSpec, UrlList

OPPORTUNITY_LIST = ListSpec(path="/opportunities", statuses=OPEN_STAGES, sorts=OPPORTUNITY_SORTS,
                            default_sort="expected_close",
                            columns=("name", "stage", "amount", "probability", "expected_close", "owner"),
                            label_prefix="opportunities.col")


class OpportunityItem(TypedDict):
    id: int
    name: str
    stage: str
    stage_label: str
    amount: str
    probability: str
    expected_close: str
    owner: str


class OpportunityListState(UrlList, SessionState):
    """The company's open opportunities: stage filter ("status" in the query), search, sort, pages."""

    rows: list[OpportunityItem] = []

    def _spec(self) -> ListSpec:
        return OPPORTUNITY_LIST

    def _fill(self, actor) -> None:  # noqa: ANN001
        sort, descending = self._sort()
        page = run_service(opportunities.list_opportunities, actor=actor, stage=self._query.get("status"),
                           search=self._query.get("q", ""), sort=sort, descending=descending,
                           offset=self._offset(), limit=PAGE_SIZE)
        t, lang = self._t, self.lang
        self._put(rows=[{"id": r.id, "name": r.name, "stage": r.stage, "stage_label": t(f"catalog.stage.{r.stage}"),
                         "amount": format_money(r.amount_cents, r.currency, lang), "probability": f"{r.probability} %",
                         "expected_close": format_day(r.expected_close, lang), "owner": r.owner_name} for r in page.rows])
        self._show_page(page.total, "opportunities.page_of")

    def _may_show(self, actor) -> bool:  # noqa: ANN001
        return not actor.is_staff and sees_opportunities(actor)

    @rx.event
    def load(self):
        return self._open_list(staff_path="/admin/opportunities")
