"""My details: the user's own contact fields, as its profile allows."""

import reflex as rx

from ..components.field_form import field_form
from ..components.i18n import t
from ..components.shell import card, page
from ..state.profile import MyDetailsState


@page(route="/me", title="My details", on_load=[MyDetailsState.load])
def my_details_page() -> rx.Component:
    return card(rx.heading(t("me.title"), size="6", as_="h1"), field_form(MyDetailsState, "me", "contact"))
