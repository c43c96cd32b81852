"""The live pages' timer (`components/live_tick.py`): every page that refreshes itself keeps its
timer, and no page imports moment.js any more (it was a lazy chunk the first rows waited for).
Read from the pages as compiled for the browser."""

from __future__ import annotations

import pytest

import portal_app.pages  # noqa: F401  (each page module registers itself in PAGES)
from portal_app.components.shell import PAGES

from statekit import rendered_props

# pages that follow other people's changes while open, and how often (ms)
LIVE_PAGES = {"/tickets": 3000, "/admin/tickets": 3000, "/tickets/[number]": 2000, "/admin/tickets/[number]": 2000,
              "/invoices": 3000, "/invoices/[number]": 2000, "/admin/invoices": 3000, "/events": 3000,
              "/events/[slug]": 3000, "/cart": 3000, "/quotes": 3000, "/orders": 3000,
              "/admin/quotes": 3000, "/admin/orders": 3000, "/admin/invoices/[number]": 3000,
              "/quotes/[number]": 3000, "/orders/[number]": 3000, "/admin/quotes/[number]": 3000,
              "/admin/orders/[number]": 3000}


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.route)
def test_no_page_loads_moment_js(spec):
    libraries = spec.component()._get_all_imports()
    assert not [lib for lib in libraries if "moment" in lib], spec.route


@pytest.mark.parametrize("route", sorted(LIVE_PAGES))
def test_live_pages_send_their_tick_on_a_timer(route):
    spec = next(s for s in PAGES if s.route == route)
    found = rendered_props(spec.component().render(), ("LiveTick",))
    assert found, f"{route} has no live timer"
    assert all(".tick" in t["onTick"] for t in found), found
    assert str(LIVE_PAGES[route]) in {t["interval"] for t in found}, found
