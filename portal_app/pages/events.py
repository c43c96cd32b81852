"""Events: the list and an event (signed in), the public registration page and the cancel link."""

import reflex as rx

from ..components.confirm import confirm_button
from ..components.forms import field_attrs, field_error, form_alert, notice, submission_field, submit_button
from ..components.i18n import t
from ..components.limits import max_length
from ..components.shell import NARROW, card, page
from ..settings import settings
from ..services.events.event_rules import CONSENT_FIELD, HONEYPOT_FIELD
from ..state.events import EventCancelState as C
from ..state.events import EventListState as L
from ..state.events import EventPageState as E
from ..state.events import PublicRegisterState as P
from ..components.live_tick import live_tick

# Open Graph: a shared link of a public page shows a preview (assets/event_preview.png); the event's
# own title and description are put into the served HTML by http/link_preview.py
PREVIEW_META = [
    {"property": "og:type", "content": "website"},
    {"property": "og:image", "content": f"{settings.portal_url}/event_preview.png"},
    {"name": "twitter:card", "content": "summary_large_image"},
]
WRAP = {"overflowWrap": "anywhere", "whiteSpace": "pre-wrap"}


def _detail(label_key: str, value: rx.Component | rx.Var, *, show: rx.Var | bool = True) -> rx.Component:
    row = rx.fragment(
        rx.el.dt(t(label_key), style={"fontWeight": 500, "color": "var(--gray-11)", "fontSize": "14px"}),
        rx.el.dd(value, style={"margin": 0, "overflowWrap": "anywhere"}),
    )
    return row if show is True else rx.cond(show, row)


def _details(s, *, signed_in: bool = True) -> rx.Component:  # noqa: ANN001
    """When, where, deadline, price and (signed in, while registration is open) seats left of the event in
    state `s`. The meeting link of an online event only reaches those registered (the state holds
    it for them alone); the others read that it comes in the confirmation mail."""
    later = rx.text(t("events.online_link_later"), as_="span")
    link = rx.cond(s.online_url != "", rx.link(s.online_url, href=s.online_url, is_external=True,
                                               rel="noopener noreferrer"), later) if signed_in else later
    rows = [
        _detail("events.when", s.when),
        _detail("events.place", s.place, show=s.place != ""),
        # (a cancelled event's link comes in no mail: the row goes with it)
        _detail("events.online", link, show=(s.online & ~s.cancelled) if signed_in else s.online),
        _detail("events.deadline", s.deadline),
        _detail("events.price", rx.text(s.price, as_="span", lang=s.text_lang["price_text"].to(str)),
                show=s.price != ""),
    ]
    if signed_in:
        rows.append(_detail("events.seats_left", rx.text(s.seats_left.to_string(), id="seats-left", weight="bold",
                                                         aria_live="polite", as_="span"), show=s.open))
    return rx.el.dl(*rows, style={"display": "grid", "gridTemplateColumns": "max-content 1fr", "gap": "6px 16px",
                                  "margin": 0, NARROW: {"gridTemplateColumns": "1fr", "gap": "2px"}})


# --- /events ------------------------------------------------------------------------------------

def _event_card(item: rx.Var) -> rx.Component:
    href = "/events/" + item["slug"].to(str)
    return rx.card(rx.vstack(
        rx.hstack(
            rx.link(rx.heading(item["title"].to(str), size="4", as_="h3", style=WRAP,
                               lang=item["title_lang"].to(str)), href=href),
            rx.cond(item["cancelled"].to(bool), rx.badge(t("event.event_status.cancelled"), color_scheme="red")),
            rx.cond(item["mine"].to(str) != "", rx.badge(item["mine"].to(str), color_scheme="green")),
            wrap="wrap", align="center", spacing="2",
        ),
        rx.text(item["when"].to(str), size="2"),
        rx.cond(item["place"].to(str) != "", rx.text(item["place"].to(str), size="2", style=WRAP)),
        rx.cond(item["online"].to(bool), rx.text(t("events.online"), size="2")),
        rx.hstack(
            rx.cond(~item["past"].to(bool) & ~item["cancelled"].to(bool),
                    # started or past its deadline: seats left would read as seats to take
                    rx.cond(~item["open"].to(bool) & (item["seats_left"].to(int) > 0),
                            rx.text(t("events.registration_closed"), size="2", color="var(--gray-11)"),
                            rx.text(t("events.seats_left"), ": ", item["seats_left"].to(int).to_string(), size="2"))),
            rx.cond(item["price"].to(str) != "", rx.text(item["price"].to(str), size="2", style=WRAP)),
            spacing="4", wrap="wrap",
        ),
        spacing="1", width="100%",
    ), width="100%")


def _registration_row(row: rx.Var, *, name: bool) -> rx.Component:
    title, href = row["title"].to(str), row["href"].to(str)
    who = row["name"].to(str)
    waiting = row["status"].to(str) == "waiting"  # a waiting place is left, not cancelled
    cells = [
        rx.table.cell(rx.cond(href != "", rx.link(title, href=href, style=WRAP), rx.text(title, style=WRAP)),
                      data_label=t("events.col.title"), lang=row["title_lang"].to(str)),
        rx.table.cell(row["when"].to(str), data_label=t("events.col.when")),
    ]
    if name:
        cells.append(rx.table.cell(row["name"].to(str), data_label=t("events.col.name"), style=WRAP))
    cells += [
        rx.table.cell(rx.badge(row["status_label"].to(str), variant="soft"), data_label=t("events.col.status")),
        rx.table.cell(rx.cond(row["cancellable"].to(bool), confirm_button(
            rx.cond(waiting, t("events.leave_waitlist"), t("events.cancel_registration")),
            # a colleague's row names whose registration (or waiting place) goes
            title=rx.cond(waiting, t("events.confirm_leave_for"), t("events.confirm_cancel_for")).replace("{name}", who)
            if name else rx.cond(waiting, t("events.confirm_leave_waitlist_title"), t("events.confirm_cancel_title")),
            description=title, on_confirm=L.cancel(row["registration_id"].to(int)), size="1", variant="soft",
            confirm_label=rx.cond(waiting, t("events.leave_waitlist"), t("events.cancel_registration")),
            dismiss_label=rx.cond(waiting, t("events.keep_waiting"), t("events.keep_registration"))))),
    ]
    return rx.table.row(*cells)


def _registrations(rows: rx.Var, empty_key: str, *, name: bool) -> rx.Component:
    headers = ["events.col.title", "events.col.when", *(["events.col.name"] if name else []), "events.col.status",
               "common.actions"]
    return rx.cond(
        rows.length() > 0,
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k)) for k in headers])),
            rx.table.body(rx.foreach(rows, lambda r: _registration_row(r, name=name))),
            width="100%", variant="surface", size="1",
        ),
        rx.text(t(empty_key), color="var(--gray-11)", role="status"),
    )


@page(route="/events", title="Events", on_load=[L.load])
def events_page() -> rx.Component:
    return card(
        rx.heading(t("events.title"), size="6", as_="h1"),
        notice(L.notice),
        form_alert(L.errors),
        rx.heading(t("events.upcoming"), size="4", as_="h2"),
        rx.cond(L.upcoming.length() > 0,
                rx.vstack(rx.foreach(L.upcoming, _event_card), spacing="3", width="100%"),
                rx.cond(L.loaded, rx.text(t("events.none_upcoming"), color="var(--gray-11)", role="status"))),
        rx.heading(t("events.mine"), size="4", as_="h2"),
        _registrations(L.mine, "events.none_mine", name=False),
        rx.cond(L.company_admin, rx.fragment(
            rx.heading(t("events.company_regs"), size="4", as_="h2"),
            _registrations(L.company_regs, "events.none_company", name=True),
        )),
        rx.heading(t("events.past"), size="4", as_="h2"),
        rx.cond(L.past.length() > 0,
                rx.vstack(rx.foreach(L.past, _event_card), spacing="3", width="100%"),
                rx.text(t("events.none_past"), color="var(--gray-11)")),
        # live: every 3 s the server compares a change counter; the lists reload only when it moved
        live_tick(L.tick, 3000),
    )


# --- /events/<slug> -------------------------------------------------------------------------------

def _register_forms() -> rx.Component:
    own = rx.cond(
        E.my_status != "",
        rx.vstack(
            rx.callout(E.my_status_text, icon="check", color_scheme="green", role="status"),
            rx.cond(~E.started, confirm_button(
                rx.cond(E.my_status == "waiting", t("events.leave_waitlist"), t("events.cancel_registration")),
                title=rx.cond(E.my_status == "waiting", t("events.confirm_leave_waitlist_title"),
                              t("events.confirm_cancel_title")),
                description=rx.cond(E.my_status == "waiting", t("events.confirm_leave_waitlist_text"),
                                    rx.cond(E.waiting_count > 0, t("events.confirm_cancel_text"),
                                            t("events.confirm_cancel_seat_text"))),
                on_confirm=E.cancel, disabled=E.busy,
                confirm_label=rx.cond(E.my_status == "waiting", t("events.leave_waitlist"),
                                      t("events.cancel_registration")),
                dismiss_label=rx.cond(E.my_status == "waiting", t("events.keep_waiting"),
                                      t("events.keep_registration")))),
            spacing="3", align="start",
        ),
        rx.cond(E.open, rx.vstack(
            rx.cond(E.seats_left == 0, rx.text(t("events.full_waitlist"), size="2")),
            rx.form(submission_field(E.submission_id), submit_button(t("events.register"), E.busy),
                    on_submit=E.register),
        )),
    )
    colleague = rx.cond(E.open & (E.colleagues.length() > 0), rx.form(
        rx.vstack(
            rx.heading(t("events.register_colleague"), size="3", as_="h2"),
            rx.el.label(t("events.colleague"), html_for="event-colleague", style={"fontWeight": 500}),
            rx.el.select(rx.el.option(t("events.choose_colleague"), value=""),
                         rx.foreach(E.colleagues, lambda c: rx.el.option(c["label"], value=c["value"])),
                         id="event-colleague", name="contact_id", default_value="",
                         aria_invalid=E.errors.contains("contact_id"), aria_describedby="contact_id-error",
                         style={"padding": "6px", "maxWidth": "100%"}),
            field_error(E.errors, "contact_id"),
            submission_field(E.submission_id),
            submit_button(t("events.register_colleague_button"), E.busy, variant="soft"),
            spacing="2", align="start",
        ),
        on_submit=E.register,
        key=E.submission_id,  # drawn anew once a colleague is registered: no one chosen
    ))
    return rx.cond(E.can_register, rx.vstack(own, colleague, spacing="5", width="100%"))


@page(route="/events/[slug]", title="Event", on_load=[E.load], tab_title=rx.cond(E.found, E.title, ""))
def event_page() -> rx.Component:
    return card(
        rx.link(t("events.back"), href="/events"),
        rx.cond(
            E.found,
            rx.vstack(
                rx.heading(E.title, size="6", as_="h1", style=WRAP, lang=E.text_lang["title"].to(str)),
                rx.cond(E.cancelled, rx.callout(E.cancelled_text, icon="triangle_alert",
                                                color_scheme="red")),
                _details(E),
                rx.cond(E.description != "", rx.text(E.description, style=WRAP, lang=E.text_lang["description"].to(str))),
                notice(E.notice),
                form_alert(E.errors),
                rx.cond(~E.open & ~E.cancelled & (E.my_status == ""), rx.text(E.closed_text)),
                _register_forms(),
                live_tick(E.tick, 3000),
                spacing="4", width="100%",
            ),
            rx.cond(E.errors.contains("page"),
                    rx.heading(t("events.not_found"), size="6", as_="h1", role="status")),
        ),
    )


# --- /register/<slug> (public) --------------------------------------------------------------------

def _public_field(label_key: str, name: str, *, type: str = "text", required: bool = False,
                  autocomplete: str | None = None) -> rx.Component:
    input_id = f"reg-{name}"
    return rx.box(
        rx.el.label(t(label_key), html_for=input_id, style={"fontWeight": 500, "fontSize": "14px"}),
        rx.input(id=input_id, name=name, type=type, required=required, auto_complete=autocomplete,
                 max_length=max_length("event_public", name), width="100%", aria_describedby=f"{name}-error",
                 aria_invalid=P.errors.contains(name)),
        field_error(P.errors, name),
        display="flex", flex_direction="column", gap="4px", width="100%",
    )


def _honeypot() -> rx.Component:
    """A field people never see and screen readers never announce; a bot that fills it is refused."""
    return rx.box(
        rx.el.label("Website", html_for="reg-website"),
        rx.el.input(id="reg-website", name=HONEYPOT_FIELD, type="text", tab_index=-1, auto_complete="off",
                    max_length=max_length("event_public", HONEYPOT_FIELD)),
        aria_hidden="true",
        style={"position": "absolute", "left": "-10000px", "width": "1px", "height": "1px", "overflow": "hidden"},
    )


def _public_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _public_field("events.first_name", "first_name", required=True, autocomplete="given-name"),
            _public_field("events.last_name", "last_name", required=True, autocomplete="family-name"),
            _public_field("events.email", "email", type="email", required=True, autocomplete="email"),
            _public_field("events.company", "company", autocomplete="organization"),
            _public_field("events.phone", "phone", type="tel", autocomplete="tel"),
            _honeypot(),
            rx.box(
                rx.hstack(
                    rx.el.input(type="checkbox", id="reg-consent", name=CONSENT_FIELD, required=True,
                                **field_attrs(P.errors, CONSENT_FIELD),
                                style={"marginTop": "4px", "width": "16px", "height": "16px", "flexShrink": 0}),
                    rx.el.label(t("events.consent"), html_for="reg-consent", style={"fontSize": "14px"}),
                    spacing="2", align="start",
                ),
                field_error(P.errors, CONSENT_FIELD),
                width="100%",
            ),
            submission_field(P.submission_id),
            submit_button(t("events.register"), P.busy, width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=P.submit,
        no_validate=True,  # the server's messages next to the fields, in the page's language
        width="100%",
        position="relative",
    )


@page(route="/register/[slug]", title="Event registration", access="public", on_load=[P.load],
      meta=PREVIEW_META, tab_title=rx.cond(P.found, P.title, ""))
def public_register_page() -> rx.Component:
    return card(
        rx.cond(
            P.found,
            rx.vstack(
                rx.heading(P.title, size="6", as_="h1", style=WRAP, lang=P.text_lang["title"].to(str)),
                _details(P, signed_in=False),
                rx.cond(P.description != "", rx.text(P.description, size="2", style=WRAP,
                                                     lang=P.text_lang["description"].to(str))),
                rx.cond(
                    P.outcome != "",
                    rx.callout(rx.vstack(rx.text(P.outcome, weight="bold"), rx.text(P.outcome_mail)),
                               icon="check", color_scheme="green", role="status", id="registration-outcome"),
                    rx.cond(P.open, rx.vstack(
                        rx.text(t("events.public_intro"), color="var(--gray-11)"),
                        # said before the form, as to those signed in, not only after submitting
                        rx.cond(P.full, rx.callout(t("events.full_waitlist"), icon="info", role="status",
                                                   id="event-full")),
                        form_alert(P.errors),
                        _public_form(),
                        spacing="3", width="100%",
                    ), rx.callout(P.closed_text, icon="info", role="status")),
                ),
                spacing="4", width="100%",
            ),
            rx.cond(P.loaded, rx.vstack(
                rx.heading(t("notfound.title"), size="6", as_="h1"),
                rx.text(t("events.public_not_found")),
                spacing="3",
            )),
        ),
    )


# --- /events/cancel/<token> (public) --------------------------------------------------------------

@page(route="/events/cancel/[token]", title="Cancel registration", access="public", on_load=[C.load])
def cancel_link_page() -> rx.Component:
    return card(
        rx.heading(rx.cond(C.waiting, t("events.leave_waitlist"), t("events.cancel_title")), size="6", as_="h1"),
        rx.cond(C.errors.contains("token"),
                rx.callout(C.errors["token"].to(str), icon="triangle_alert", color_scheme="red", role="alert")),
        form_alert(C.errors),
        rx.cond(C.valid, rx.vstack(
            rx.text(C.title, weight="bold", style=WRAP, lang=C.title_lang),
            rx.text(C.when, size="2"),
            rx.text(rx.cond(C.waiting & ~C.done,
                            t("events.waiting_for").replace("{name}", C.name).replace("{position}",
                                                                                      C.position.to_string()),
                            t("events.cancel_for").replace("{name}", C.name)), size="2", style=WRAP),
            rx.cond(
                C.done,
                rx.callout(rx.cond(C.waiting, t("events.left_waitlist_done"), t("events.cancelled_done")),
                           icon="check", color_scheme="green", role="status"),
                rx.cond(C.can_cancel,
                        rx.button(rx.cond(C.busy, rx.spinner(size="1", aria_hidden="true")),
                                  rx.cond(C.waiting, t("events.leave_waitlist"), t("events.cancel_registration")),
                                  on_click=C.cancel, disabled=C.busy, color_scheme="red"),
                        rx.cond(C.event_cancelled,
                                rx.callout(t("events.cancelled_with_event"), icon="info", role="status"),
                                rx.text(t("events.cannot_cancel")))),
            ),
            spacing="3", width="100%",
        )),
    )
