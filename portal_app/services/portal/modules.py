"""The portal's modules: which exist, and which have pages in this build."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Module:
    key: str
    route: str | None  # None: staff can plan for it, but it has no page yet and stays off the menu
    more: tuple[tuple[str, str], ...] = ()  # further menu entries of the module: (message key, route)
    open_to_all: bool = False  # its pages also serve anyone (public articles): never hidden by rights
    edit_routes: tuple[str, ...] = ()  # its pages that are only forms: shown to those who may edit


MODULES: tuple[Module, ...] = (
    Module("company", "/company"),
    Module("tickets", "/tickets", edit_routes=("/tickets/new",)),
    Module("events", "/events"),
    Module("invoices", "/invoices"),
    Module("catalog", "/catalog", more=(("nav.quotes", "/quotes"), ("nav.orders", "/orders"))),
    Module("opportunities", "/opportunities"),
    Module("knowledge_base", "/kb", open_to_all=True),
    Module("documents", "/documents"),
    Module("newsletters", "/newsletters"),
    Module("reports", "/reports"),
    Module("links", None),  # shown as the external links in the menu
)
MODULE_KEYS: tuple[str, ...] = tuple(m.key for m in MODULES)
OPEN_TO_ALL: frozenset[str] = frozenset(m.key for m in MODULES if m.open_to_all)


def module_for_path(path: str) -> str | None:
    """The module whose page `path` is ("/catalog/products/x", "/quotes/12" -> "catalog"), or None."""
    for module in MODULES:
        for route in (module.route, *(route for _, route in module.more)):
            if route and (path == route or path.startswith(route + "/")):
                return module.key
    return None


def needs_edit(path: str) -> bool:
    """Whether `path` is a page only for those who may edit its module ("/tickets/new")."""
    path = path.rstrip("/") or "/"
    return any(path in module.edit_routes for module in MODULES)
