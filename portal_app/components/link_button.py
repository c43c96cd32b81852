"""A link that looks like a button: one element, an `<a>` with the button's look.

A button inside a link is two nested controls (invalid HTML; screen readers announce both, and the
keyboard stops on each). Radix's `as_child` puts the button's classes on React Router's link instead,
so navigation stays in the app.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink


def link_button(*children, href, **button_props) -> rx.Component:  # noqa: ANN001, ANN003
    """`children` as rx.button's; `href` a text or a Var; `button_props` go to the button (size, variant, style)."""
    return rx.button(ReactRouterLink.create(*children, to=href), as_child=True, **button_props)
