"""Home: welcome message and the home page text from the portal settings."""

import reflex as rx

from ..components.shell import card, page
from ..state.home import HomeState


@page(route="/", title="Home", on_load=[HomeState.load])
def home_page() -> rx.Component:
    return card(
        rx.heading(HomeState.welcome, size="7", as_="h1"),
        rx.text(HomeState.hello, color="var(--gray-11)"),
        rx.foreach(HomeState.paragraphs, lambda p: rx.text(p, white_space="pre-line")),
    )
