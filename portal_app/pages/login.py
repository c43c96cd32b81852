"""Sign-in page."""

import reflex as rx

from ..components.forms import field_error, native_form, notice
from ..components.i18n import t
from ..components.keep_typed import keep_typed
from ..components.limits import max_length
from ..components.shell import card, page
from ..state.auth import LoginState


@page(route="/login", title="Sign in", access="public", on_load=[LoginState.load])
def login_page() -> rx.Component:
    return card(
        rx.heading(t("login.title"), size="6", as_="h1"),
        notice(LoginState.notice),
        # sent here by a session that ended (signed out elsewhere, access removed): said, not a success
        rx.cond(LoginState.ended != "",
                rx.callout(LoginState.ended, icon="info", color_scheme="amber", role="status")),
        rx.cond(LoginState.error != "",
                rx.callout(LoginState.error, icon="triangle_alert", color_scheme="red", role="alert")),
        # a native form post: /api/session checks the password and sets the HttpOnly cookie
        native_form(
            rx.vstack(
                rx.el.input(type="hidden", name="next", value=LoginState.next_path),
                rx.el.label(t("login.email"), html_for="login-email"),
                rx.input(id="login-email", name="email", type="email", auto_complete="username",
                         required=True, width="100%", max_length=max_length("account", "email"),
                         aria_describedby="email-error", aria_invalid=LoginState.errors.contains("email")),
                field_error(LoginState.errors, "email"),
                rx.el.label(t("login.password"), html_for="login-password"),
                rx.input(id="login-password", name="password", type="password",
                         auto_complete="current-password", required=True, width="100%",
                         max_length=max_length("account", "password"),
                         aria_describedby="password-error", aria_invalid=LoginState.errors.contains("password")),
                field_error(LoginState.errors, "password"),
                rx.button(t("login.submit"), type="submit", width="100%"),
                keep_typed("login-email", "portal_login_email", next_id="login-password"),
                spacing="2",
                width="100%",
            ),
            action="/api/session",
            method="post",
            # `required` marks the fields for assistive technology; the messages come from the
            # server, under each empty field, in the page's language (not a browser bubble)
            no_validate=True,
            width="100%",
        ),
        rx.link(t("login.forgot"), href="/forgot-password"),
    )
