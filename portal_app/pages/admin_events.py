"""Admin panel, events: the list and a new event; one event with its attendees."""

import reflex as rx

from ..components.admin_nav import admin_nav, admin_top, panel_title
from ..components.confirm import confirm_button
from ..components.download import download_link
from ..components.forms import field_attrs, field_error, form_alert, notice, submission_field, submit_button, warn_unsaved
from ..components.i18n import t
from ..components.limits import max_length
from ..components.shell import NARROW, card, page
from ..components.translated_texts import translated_texts
from ..services.events.event_rules import VISIBILITIES
from ..state.admin_events import AdminEventState as A
from ..state.admin_events import AdminEventsState as L

WRAP = {"overflowWrap": "anywhere"}
LABEL = {"fontWeight": 500, "fontSize": "14px"}  # every label of the form


def _field(s, label_key: str, name: str, *, type: str = "text", required: bool = False) -> rx.Component:  # noqa: ANN001
    input_id = f"ev-{name}"
    return rx.box(
        rx.el.label(t(label_key), html_for=input_id, style=LABEL),
        rx.input(id=input_id, name=name, type=type, required=required, default_value=s.values[name].to(str),
                 max_length=max_length("event", name), width="100%", **field_attrs(s.errors, name)),
        field_error(s.errors, name),
        display="flex", flex_direction="column", gap="4px", width="100%", min_width="0",
    )


def _check(label_key: str, name: str, checked: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=checked),
        rx.text(t(label_key), as_="span", size="2"),
        style={"display": "inline-flex", "gap": "6px", "alignItems": "center"},
    )


def event_form(s, submit_key: str, on_submit, submission: rx.Var | None = None) -> rx.Component:  # noqa: ANN001
    """The event's fields (times in the event's time zone), every error next to its field.
    `submission`: a new event's form id (one event however often the form is sent)."""
    return rx.form(
        rx.vstack(
            *([submission_field(submission)] if submission is not None else []),
            _field(s, "events.f.title", "title", required=True),
            rx.box(
                rx.el.label(t("events.f.description"), html_for="ev-description", style=LABEL),
                rx.text_area(id="ev-description", name="description", rows="4", width="100%",
                             default_value=s.values["description"].to(str),
                             max_length=max_length("event", "description"), **field_attrs(s.errors, "description")),
                field_error(s.errors, "description"),
                width="100%",
            ),
            translated_texts(s.values, s.errors, form="event", id_prefix="ev", open_=s.texts_open,
                             fields=(("title", "translations.f.title", False),
                                     ("description", "translations.f.description", True),
                                     ("price_text", "events.f.price_text", False))),
            rx.grid(
                _field(s, "events.f.starts_at", "starts_at", type="datetime-local", required=True),
                _field(s, "events.f.ends_at", "ends_at", type="datetime-local", required=True),
                _field(s, "events.f.registration_deadline", "registration_deadline", type="datetime-local"),
                _field(s, "events.f.time_zone", "time_zone"),
                _field(s, "events.f.capacity", "capacity", type="number", required=True),
                _field(s, "events.f.price_text", "price_text"),
                columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%",
            ),
            rx.grid(
                _field(s, "events.f.location", "location"),
                _field(s, "events.f.online_url", "online_url", type="url"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            rx.hstack(
                _check("events.f.waitlist", "waitlist_enabled", s.waitlist_enabled),
                _check("events.f.public_page", "public_page", s.public_page),
                spacing="5", wrap="wrap",
            ),
            rx.box(
                rx.el.label(t("events.f.visibility"), html_for="ev-visibility", style=LABEL),
                rx.el.select(*[rx.el.option(t(f"event.visibility.{v}"), value=v) for v in VISIBILITIES],
                             id="ev-visibility", name="visibility", default_value=s.values["visibility"].to(str),
                             style={"padding": "6px", "marginLeft": "8px"}),
                field_error(s.errors, "visibility"),
            ),
            rx.el.fieldset(
                rx.el.legend(t("events.f.companies"), style=LABEL),
                rx.flex(rx.foreach(s.companies, lambda c: rx.el.label(
                    rx.el.input(type="checkbox", name="company_" + c["value"].to(str),
                                default_checked=c["checked"].to(bool)),
                    rx.text(c["label"].to(str), as_="span", size="2"),
                    style={"display": "inline-flex", "gap": "6px", "alignItems": "center"},
                )), gap="8px 16px", wrap="wrap"),
                field_error(s.errors, "company_ids"),
                style={"border": "1px solid var(--gray-6)", "borderRadius": "6px", "padding": "8px 12px",
                       "minWidth": 0},
            ),
            submit_button(t(submit_key), s.busy),
            spacing="3", width="100%",
        ),
        on_submit=on_submit,
        key=s.form_key,
        custom_attrs=warn_unsaved(),
        # a link or a capacity the browser would refuse: the server's messages, all of them, each at its
        # field and in the page's language, not the browser's bubble about one
        no_validate=True,
        width="100%",
    )


# --- /admin/events --------------------------------------------------------------------------------

def _event_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["title"].to(str), href="/admin/events/" + row["slug"].to(str), style=WRAP),
                      data_label=t("events.col.title")),
        rx.table.cell(row["when"].to(str), data_label=t("events.col.when")),
        rx.table.cell(row["seats"].to(str), data_label=t("events.col.seats")),
        rx.table.cell(row["waiting"].to(int).to_string(), data_label=t("events.col.waiting")),
        rx.table.cell(row["status"].to(str), data_label=t("events.col.status")),
        rx.table.cell(rx.cond(row["public"].to(bool), t("common.yes"), t("common.no")),
                      data_label=t("events.col.public")),
    )


@page(route="/admin/events", title="Events", access="staff", on_load=[L.load])
def admin_events_page() -> rx.Component:
    headers = ("events.col.title", "events.col.when", "events.col.seats", "events.col.waiting", "events.col.status",
               "events.col.public")
    return rx.vstack(
        card(
            *admin_top("admin.events", "admin.events_intro", L),
            rx.cond(L.rows.length() > 0,
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k)) for k in headers])),
                        rx.table.body(rx.foreach(L.rows, _event_row)),
                        width="100%", variant="surface", size="1",
                    ),
                    rx.text(t("events.none_admin"), color="var(--gray-11)", role="status")),
        ),
        card(
            rx.heading(t("events.new"), size="4", as_="h2"),
            event_form(L, "events.create", L.create, L.submission_id),
        ),
        spacing="4", width="100%",
    )


# --- /admin/events/<slug> -------------------------------------------------------------------------

def _attendee_row(row: rx.Var) -> rx.Component:
    name = row["name"].to(str)
    status = row["status"].to(str)
    return rx.table.row(
        rx.table.cell(name, data_label=t("events.col.name"), style=WRAP),
        rx.table.cell(row["email"].to(str), data_label=t("events.col.email"), style=WRAP),
        rx.table.cell(row["company"].to(str), data_label=t("events.col.company"), style=WRAP),
        rx.table.cell(rx.badge(row["status_label"].to(str), variant="soft",
                               color_scheme=rx.match(status, ("registered", "green"), ("waiting", "amber"), "gray")),
                      data_label=t("events.col.status")),
        rx.table.cell(row["position"].to(str), data_label=t("events.col.position")),
        rx.table.cell(rx.el.input(type="checkbox", checked=row["checked_in"].to(bool),
                                  disabled=(status != "registered") | A.cancelled,
                                  aria_label=t("events.check_in_label").replace("{name}", name),
                                  on_change=lambda _v: A.set_checked_in(row["registration_id"].to(int),
                                                                        ~row["checked_in"].to(bool))),
                      data_label=t("events.col.checked_in")),
    )


@page(route="/admin/events/[slug]", title="Event", access="staff", on_load=[A.load],
      tab_title=rx.cond(A.found, A.title, ""))
def admin_event_page() -> rx.Component:
    headers = ("events.col.name", "events.col.email", "events.col.company", "events.col.status",
               "events.col.position", "events.col.checked_in")
    return rx.vstack(
        card(
            # the panel's title and tabs, the way back, and the event's title as the page's h1
            panel_title(),
            admin_nav("/admin/events"),
            rx.link(t("admin.events_all"), href="/admin/events"),
            notice(A.notice, A.busy),
            form_alert(A.errors),
            rx.cond(A.found, rx.vstack(
                rx.heading(A.title, size="5", as_="h1", style=WRAP),
                rx.text(A.when, size="2"),
                rx.hstack(rx.badge(A.status), rx.text(A.seats, size="2"), spacing="3", wrap="wrap", align="center"),
                rx.hstack(
                    # the public page exists only while it is switched on (`public_event`)
                    rx.cond(A.public_page, rx.link(t("events.public_link"), href="/register/" + A.slug)),
                    rx.cond(~A.cancelled, confirm_button(
                        t("events.cancel_event"), title=t("events.confirm_cancel_event_title"),
                        description=t("events.confirm_cancel_event_text"), on_confirm=A.cancel_event,
                        confirm_label=t("events.cancel_event"), dismiss_label=t("events.keep_event"),
                        variant="soft", disabled=A.busy)),
                    spacing="4", align="center", wrap="wrap",
                ),
                spacing="2", width="100%",
            ), rx.cond(A.missing, rx.heading(t("events.not_found"), size="5", as_="h1", role="status"))),
        ),
        rx.cond(A.found, rx.fragment(
            card(
                rx.hstack(
                    rx.heading(t("events.attendees"), size="4", as_="h2"),
                    rx.spacer(),
                    download_link(t("events.export_csv"), A.csv_href, icon=False, weight="medium"),
                    width="100%", align="center", wrap="wrap",
                ),
                rx.cond(A.attendees.length() > 0,
                        rx.table.root(
                            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k)) for k in headers])),
                            rx.table.body(rx.foreach(A.attendees, _attendee_row)),
                            width="100%", variant="surface", size="1",
                        ),
                        rx.text(t("events.none_attendees"), color="var(--gray-11)", role="status")),
                rx.cond(~A.cancelled, rx.form(
                    rx.vstack(
                        rx.el.label(t("events.add_attendee"), html_for="ev-contact-email", style=LABEL),
                        rx.hstack(
                            rx.input(id="ev-contact-email", name="contact_email", type="email",
                                     placeholder=t("events.contact_email"), **field_attrs(A.errors, "contact"),
                                     max_length=max_length("event", "contact_email"),
                                     width=rx.breakpoints(initial="100%", sm="320px")),
                            submit_button(t("events.add"), A.busy, variant="soft"),
                            spacing="2", wrap="wrap", width="100%",
                        ),
                        field_error(A.errors, "contact"),
                        submission_field(A.attendee_submission_id),
                        spacing="1", width="100%",
                    ),
                    on_submit=A.add_attendee,
                    no_validate=True,  # a malformed address: the portal's message at the field, not the browser's
                    key=A.attendee_form_key,
                    width="100%",
                )),
            ),
            card(
                rx.heading(t("common.edit"), size="4", as_="h2"),
                # a cancelled event is kept as it was, for the record (`update_event` refuses a change)
                rx.cond(A.cancelled, rx.text(t("error.event_cancelled_kept"), size="2", role="status"),
                        event_form(A, "events.save", A.save)),
            ),
        )),
        spacing="4", width="100%",
        style={NARROW: {"gap": "8px"}},
    )
