"""The portal's modules: which exist, and which have pages in this build."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Module:
    key: str
    route: str | None  # None: staff can plan for it, but it has no page yet and stays off the menu
    more: tuple[tuple[str, str], ...] = ()  # further menu entries of the module: (message key, route)


MODULES: tuple[Module, ...] = (
    Module("company", "/company"),
    Module("tickets", "/tickets"),
    Module("events", "/events"),
    Module("invoices", "/invoices"),
    Module("catalog", "/catalog", more=(("nav.quotes", "/quotes"), ("nav.orders", "/orders"))),
    Module("opportunities", "/opportunities"),
    Module("knowledge_base", None),
    Module("documents", None),
    Module("newsletters", None),
    Module("reports", None),
    Module("links", None),  # shown as the external links in the menu
)
MODULE_KEYS: tuple[str, ...] = tuple(m.key for m in MODULES)
