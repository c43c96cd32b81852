"""A link that saves a file (PDF, CSV, attachment) and leaves the page as it is.

`download` makes the click a download rather than a navigation: without it the browser fires
`beforeunload`, Reflex's client takes that for leaving the page and closes its socket for good, and
the page stays on screen deaf (buttons do nothing, live updates stop) until the tab is hidden and
shown again. `reload_document` keeps the app's router out: the browser asks the server for the file.
"""

from __future__ import annotations

import reflex as rx

ICON_ROW = {"display": "inline-flex", "gap": "6px", "alignItems": "center"}


def download_link(label, href, *, icon: bool = True, **props) -> rx.Component:  # noqa: ANN001
    """`label` and `href` may be texts or Vars; `props` go to the link (weight, id, ...)."""
    children = (rx.icon("download", size=16, flex_shrink="0"), label) if icon else (label,)
    style = {**(ICON_ROW if icon else {}), **props.pop("style", {})}
    return rx.link(*children, href=href, download="", reload_document=True, style=style, **props)
