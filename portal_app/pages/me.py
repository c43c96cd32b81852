"""My details: the user's own contact fields, as its profile allows (staff: its name and email),
the time zone it reads times in, and the password change."""

import reflex as rx

from ..components.field_form import field_form
from ..components.forms import SELECT, field_attrs, field_error, form_alert, notice, submission_field, submit_button, text_field
from ..components.i18n import t
from ..components.shell import card, page
from ..local_time import readable_zones
from ..state.profile import MyDetailsState


def account_summary() -> rx.Component:
    """Who is signed in, for an account without a contact (staff)."""
    return rx.data_list.root(
        rx.data_list.item(rx.data_list.label(t("me.name")), rx.data_list.value(MyDetailsState.account_name)),
        rx.data_list.item(rx.data_list.label(t("me.email")), rx.data_list.value(MyDetailsState.account_email)),
        rx.data_list.item(rx.data_list.label(t("me.language")),
                          rx.data_list.value(rx.vstack(
                              rx.text(MyDetailsState.language_name),
                              rx.text(t("me.language_hint"), size="1", color="var(--gray-11)")))),
    )


def _titled_form(title_key: str, intro: rx.Var | rx.Component, message: rx.Var, *fields: rx.Component,
                 submit_key: str, on_submit: rx.EventHandler, key: rx.Var) -> rx.Component:
    """A form of its own under a heading and a line on what it does; its success message above it."""
    return rx.vstack(
        rx.heading(t(title_key), size="4", as_="h2"),
        rx.text(intro, size="2", color="var(--gray-11)"),
        notice(message),
        rx.form(
            rx.vstack(*fields, submit_button(t(submit_key), MyDetailsState.busy), width="100%", max_width="420px"),
            on_submit=on_submit,
            key=key,
            width="100%",
        ),
        width="100%",
    )


def password_form() -> rx.Component:
    errors = MyDetailsState.password_errors
    return _titled_form(
        "me.password.title", MyDetailsState.password_intro, MyDetailsState.password_notice,
        form_alert(errors),
        submission_field(MyDetailsState.password_submission),
        text_field("me.password.current", "current", errors, form="account", type="password",
                   autocomplete="current-password", id_prefix="pw"),
        text_field("me.password.new", "password", errors, form="account", type="password",
                   autocomplete="new-password", id_prefix="pw"),
        text_field("me.password.confirm", "confirm", errors, form="account", type="password",
                   autocomplete="new-password", id_prefix="pw"),
        submit_key="me.password.submit", on_submit=MyDetailsState.change_password, key=MyDetailsState.password_key,
    )


# "Use this device's time zone": the browser's own zone chosen and the form sent, all in the browser (a
# zone the list lacks, which no current browser reports, leaves the choice to the user at the select)
DEVICE_ZONE_JS = """() => {
  const select = document.getElementById("tz-time_zone");
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!select) return;
  if ([...select.options].some((option) => option.value === zone)) {
    select.value = zone;
    select.form.requestSubmit();
  } else {
    select.focus();
  }
}"""


def time_zone_form() -> rx.Component:
    """The zone the user reads times in: the portal's, or any place's (a native select: 490 options
    compiled into the page, none sent with the state)."""
    options = [rx.el.option(name.replace("_", " "), value=name) for name in readable_zones()]
    return _titled_form(
        "me.time_zone.title", t("me.time_zone.intro"), MyDetailsState.zone_notice,
        rx.box(
            rx.el.label(t("me.time_zone.label"), html_for="tz-time_zone",
                        style={"fontWeight": 500, "fontSize": "14px"}),
            rx.el.select(rx.el.option(MyDetailsState.portal_zone_label, value=""), *options,
                         id="tz-time_zone", name="time_zone", default_value=MyDetailsState.time_zone_chosen,
                         **field_attrs(MyDetailsState.zone_errors, "time_zone"), style=SELECT),
            field_error(MyDetailsState.zone_errors, "time_zone"),
            rx.button(t("me.time_zone.device"), type="button", variant="ghost", size="1",
                      on_click=rx.call_function(rx.Var(_js_expr=DEVICE_ZONE_JS)),
                      style={"alignSelf": "flex-start", "marginLeft": 0, "marginTop": "4px"}),
            display="flex", flex_direction="column", gap="4px", width="100%",
        ),
        submit_key="me.time_zone.submit", on_submit=MyDetailsState.save_time_zone, key=MyDetailsState.zone_key,
    )


@page(route="/me", title="My details", on_load=[MyDetailsState.load])
def my_details_page() -> rx.Component:
    return rx.vstack(
        card(rx.heading(t("me.title"), size="6", as_="h1"),
             rx.cond(MyDetailsState.has_contact, field_form(MyDetailsState, "me", "contact"), account_summary())),
        card(time_zone_form()),
        card(password_form()),
        width="100%",
        spacing="4",
    )
