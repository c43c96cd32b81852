"""`url_sync(address)`: the address bar follows a view shown without navigating.

A list's filter, search, sort and page clicks used to answer with a redirect, which the browser
followed with two more events (`update_vars_internal`, `on_load_internal`) to load the view the
click had already chosen: three events and two round trips per click (issue 10). The click now
fills the list itself and sets the view's address; this pushes it as a history entry
(`assets/url_sync.js`), so bookmarks and the back button keep working. Reflex reads the address
bar's query for every event's router data, so the server sees the new address too. Nothing happens
for an empty address or the one already shown (a page loaded by navigation).

`list_link(label, base)`: a link to the list at `base` as this tab last showed it (its filters,
search and page), for a record's "All tickets"; the bare list when the tab has shown none.
"""

from __future__ import annotations

import reflex as rx


class UrlSync(rx.Component):
    library = "$/public/url_sync.js"
    tag = "UrlSync"

    url: rx.Var[str]


def url_sync(address: rx.Var[str]) -> rx.Component:
    return UrlSync.create(url=address)


def address_put_right(state: type) -> rx.Component:
    """A list whose page load put its address right (`state.url_list.correct_address`: values it
    ignores, a page past the end): on mount, the shown view's address (`moved_to`) replaces the one
    asked for (`follow_page`)."""
    return rx.cond(state.moved_to != "", rx.el.span(key=state.moved_to, on_mount=state.follow_page, hidden=True))


# rx.link's own classes, for links drawn as React Router's (no page load) that look like rx.link
LINK = "rt-Text rt-reset rt-Link rt-underline-auto"


class ListLink(rx.Component):
    library = "$/public/url_sync.js"
    tag = "ListLink"

    base: rx.Var[str]


def list_link(label: rx.Var | str, base: str) -> rx.Component:
    """Drawn as rx.link draws a link (Radix's classes), moving within the portal (React Router's)."""
    return ListLink.create(label, base=base, class_name=LINK, data_accent_color="")
