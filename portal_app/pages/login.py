"""Sign-in page."""

import reflex as rx

from ..components.forms import notice
from ..components.i18n import t
from ..components.shell import card, page
from ..state.auth import LoginState


@page(route="/login", title="Sign in", access="public", on_load=[LoginState.load])
def login_page() -> rx.Component:
    return card(
        rx.heading(t("login.title"), size="6", as_="h1"),
        notice(LoginState.notice),
        rx.cond(LoginState.error != "",
                rx.callout(LoginState.error, icon="triangle_alert", color_scheme="red", role="alert")),
        rx.form(
            rx.vstack(
                rx.el.label(t("login.email"), html_for="login-email"),
                rx.input(id="login-email", name="email", type="email", auto_complete="username",
                         required=True, width="100%", max_length=254),
                rx.el.label(t("login.password"), html_for="login-password"),
                rx.input(id="login-password", name="password", type="password",
                         auto_complete="current-password", required=True, width="100%", max_length=200),
                rx.button(t("login.submit"), type="submit", width="100%", loading=LoginState.busy),
                spacing="2",
                width="100%",
            ),
            on_submit=LoginState.submit,
        ),
        rx.link(t("login.forgot"), href="/forgot-password"),
    )
