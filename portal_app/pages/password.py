"""Forgot-password and reset-password pages."""

import reflex as rx

from ..components.forms import submit_button, text_field
from ..components.i18n import t
from ..components.shell import card, page
from ..state.auth import ForgotPasswordState, ResetPasswordState


@page(route="/forgot-password", title="Forgot password", access="public", on_load=[ForgotPasswordState.load])
def forgot_password_page() -> rx.Component:
    return card(
        rx.heading(t("forgot.title"), size="6", as_="h1"),
        rx.cond(
            ForgotPasswordState.sent,
            rx.callout(ForgotPasswordState.sent_message, icon="mail", color_scheme="green", role="status"),
            rx.form(
                rx.vstack(
                    rx.text(t("forgot.intro")),
                    text_field("forgot.email", "email", ForgotPasswordState.errors, form="account", type="email",
                               autocomplete="username"),
                    submit_button(t("forgot.submit"), ForgotPasswordState.busy, width="100%"),
                    width="100%",
                ),
                on_submit=ForgotPasswordState.submit,
                no_validate=True,  # a malformed address: the portal's message at the field, in the page's language
            ),
        ),
        rx.link(t("forgot.back"), href="/login"),
    )


@page(route="/reset-password", title="Set password", access="public", on_load=[ResetPasswordState.load])
def reset_password_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.text(ResetPasswordState.intro),
            rx.cond(ResetPasswordState.signed_in_as != "",
                    rx.callout(ResetPasswordState.signed_in_as, icon="info", color_scheme="amber", width="100%")),
            text_field("reset.new_password", "password", ResetPasswordState.errors, form="account", type="password",
                       autocomplete="new-password"),
            text_field("reset.confirm_password", "confirm", ResetPasswordState.errors, form="account", type="password",
                       autocomplete="new-password"),
            submit_button(t("reset.submit"), ResetPasswordState.busy, width="100%"),
            width="100%",
        ),
        on_submit=ResetPasswordState.submit,
    )
    return card(
        # a link used or expired is no invitation nor reset any more: the heading says what the page does say
        rx.heading(rx.cond(~ResetPasswordState.token_ok & ~ResetPasswordState.done, t("reset.title_invalid"),
                           rx.cond(ResetPasswordState.first, t("reset.title_first"), t("reset.title"))),
                   size="6", as_="h1"),
        rx.cond(
            ResetPasswordState.done,
            rx.vstack(
                rx.callout(t("reset.done"), icon="check", color_scheme="green", role="status"),
                rx.link(t("login.submit"), href="/login"),
            ),
            rx.cond(
                ResetPasswordState.token_ok,
                form,
                rx.vstack(
                    rx.callout(t("reset.invalid"), icon="triangle_alert", color_scheme="red", role="alert"),
                    rx.link(t("reset.request_new"), href="/forgot-password"),
                ),
            ),
        ),
    )
