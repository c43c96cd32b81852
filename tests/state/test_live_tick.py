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
# pages for visitors (no sign-in, so no rights to follow)
PUBLIC_PAGES = {"/login", "/forgot-password", "/reset-password", "/register/[slug]", "/events/cancel/[token]",
                "/newsletters/[token]"}


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.route)
def test_no_page_loads_moment_js(spec):
    libraries = spec.component()._get_all_imports()
    assert not [lib for lib in libraries if "moment" in lib], spec.route


@pytest.mark.parametrize("route", sorted(LIVE_PAGES))
def test_live_pages_send_their_tick_on_a_timer(route):
    spec = next(s for s in PAGES if s.route == route)
    found = [t for t in rendered_props(spec.component().render(), ("LiveTick",)) if ".follow_rights" not in t["onTick"]]
    assert found, f"{route} has no live timer"
    assert all(".tick" in t["onTick"] for t in found), found
    assert str(LIVE_PAGES[route]) in {t["interval"] for t in found}, found


@pytest.mark.parametrize("spec", [s for s in PAGES if s.route not in PUBLIC_PAGES], ids=lambda spec: spec.route)
def test_signed_in_pages_follow_the_users_rights_on_a_timer(spec):
    """The shell's timer (`SessionState.follow_rights`): a module switched off reaches an open page."""
    found = rendered_props(spec.component().render(), ("LiveTick",))
    assert [t for t in found if ".follow_rights" in t["onTick"] and t["interval"] == "5000"], spec.route


@pytest.mark.parametrize("route", sorted(PUBLIC_PAGES))
def test_visitors_pages_have_no_rights_timer(route):
    spec = next(s for s in PAGES if s.route == route)
    assert not [t for t in rendered_props(spec.component().render(), ("LiveTick",)) if ".follow_rights" in t["onTick"]]
