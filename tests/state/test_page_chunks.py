"""Each page's memoized parts are compiled into a module of its own page module's name, so the
browser loads a page's parts with the page instead of every page's parts in one shared chunk
(issue 10's cold load). Reflex names that module after `__module__` of the callable a page is
registered with (`memo_paths.capture_source_module`), which the `page` decorator sets."""

from __future__ import annotations

import pytest
from reflex_base.utils import memo_paths

import portal_app.pages  # noqa: F401  (each page module registers itself in PAGES)
from portal_app.components.shell import PAGES


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.route)
def test_a_page_compiles_its_parts_under_its_own_module(spec):
    module = memo_paths.capture_source_module(spec.component)
    assert module is not None and module.startswith("portal_app.pages."), (spec.route, module)


def test_pages_of_different_modules_do_not_share_one_module():
    assert len({memo_paths.capture_source_module(spec.component) for spec in PAGES}) > 10
