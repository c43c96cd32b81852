"""My details: the user's own contact fields, as its profile allows (staff: its name and email),
and the password change."""

import reflex as rx

from ..components.field_form import field_form
from ..components.forms import form_alert, notice, submission_field, submit_button, text_field
from ..components.i18n import t
from ..components.shell import card, page
from ..state.profile import MyDetailsState


def account_summary() -> rx.Component:
    """Who is signed in, for an account without a contact (staff)."""
    return rx.data_list.root(
        rx.data_list.item(rx.data_list.label(t("me.name")), rx.data_list.value(MyDetailsState.account_name)),
        rx.data_list.item(rx.data_list.label(t("me.email")), rx.data_list.value(MyDetailsState.account_email)),
        rx.data_list.item(rx.data_list.label(t("me.language")),
                          rx.data_list.value(rx.vstack(rx.text(MyDetailsState.language_name),
                                                       rx.text(t("me.language_hint"), size="1", color="gray")))),
    )


def password_form() -> rx.Component:
    errors = MyDetailsState.password_errors
    return rx.vstack(
        rx.heading(t("me.password.title"), size="4", as_="h2"),
        rx.text(MyDetailsState.password_intro, size="2", color="gray"),
        notice(MyDetailsState.password_notice),
        form_alert(errors),
        rx.form(
            rx.vstack(
                submission_field(MyDetailsState.password_submission),
                text_field("me.password.current", "current", errors, form="account", type="password",
                           autocomplete="current-password", id_prefix="pw"),
                text_field("me.password.new", "password", errors, form="account", type="password",
                           autocomplete="new-password", id_prefix="pw"),
                text_field("me.password.confirm", "confirm", errors, form="account", type="password",
                           autocomplete="new-password", id_prefix="pw"),
                submit_button(t("me.password.submit"), MyDetailsState.busy),
                width="100%",
                max_width="420px",
            ),
            on_submit=MyDetailsState.change_password,
            key=MyDetailsState.password_key,
            width="100%",
        ),
        width="100%",
    )


@page(route="/me", title="My details", on_load=[MyDetailsState.load])
def my_details_page() -> rx.Component:
    return rx.vstack(
        card(rx.heading(t("me.title"), size="6", as_="h1"),
             rx.cond(MyDetailsState.has_contact, field_form(MyDetailsState, "me", "contact"), account_summary())),
        card(password_form()),
        width="100%",
        spacing="4",
    )
