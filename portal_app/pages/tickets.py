"""Support tickets: list, new ticket, one ticket (customers and collaborators)."""

import reflex as rx

from ..components.forms import field_attrs, field_error, form_alert, submission_field, submit_button
from ..components.i18n import t
from ..components.limits import max_length
from ..components.shell import card, numbered_title, page
from ..components.ticket_detail import ticket_view
from ..components.ticket_list import filters_panel, ticket_table
from ..components.upload import attachments_field
from ..state.ticket_detail import TicketDetailState
from ..state.ticket_list import TicketListState
from ..state.ticket_new import NewTicketState as N
from ..components.link_button import link_button


@page(route="/tickets", title="Support tickets", on_load=[TicketListState.load], self_guarded=True, wide=True)
def tickets_page() -> rx.Component:
    return card(
        rx.hstack(
            rx.heading(t("tickets.title"), size="6", as_="h1"),
            rx.spacer(),
            # an empty list without filters offers "New ticket" itself (components/ticket_list.empty_list)
            rx.cond(TicketListState.can_create & ~(TicketListState.loaded & (TicketListState.total == 0)
                                                   & ~TicketListState.filtered),
                    link_button(t("tickets.new"), href="/tickets/new", style={"whiteSpace": "nowrap", "flexShrink": 0})),
            # a long title ("Support-Tickets") keeps its words whole: the button goes below it instead
            width="100%", wrap="wrap",
        ),
        filters_panel(),
        ticket_table(),
    )


def _select(label_key: str, name: str, options, *, placeholder: bool = True, **value) -> rx.Component:  # noqa: ANN001
    """A select of the form; `value`: `value` and `on_change` (controlled) or `default_value`."""
    return rx.box(
        rx.el.label(t(label_key), html_for=f"new-{name}", style={"fontWeight": 500, "fontSize": "14px"}),
        rx.el.select(
            *([rx.el.option(t("ticket.form.choose"), value="")] if placeholder else []),
            rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
            id=f"new-{name}", name=name, style={"padding": "6px", "width": "100%"}, **value,
            **field_attrs(N.errors, name),
        ),
        field_error(N.errors, name),
        display="flex", flex_direction="column", gap="4px", width="100%",
    )


@page(route="/tickets/new", title="New ticket", on_load=[N.load])
def new_ticket_page() -> rx.Component:
    return card(
        rx.heading(t("tickets.new"), size="6", as_="h1"),
        rx.cond(N.reference_text != "", rx.callout(N.reference_text, icon="link")),
        form_alert(N.errors),
        rx.form(
            rx.vstack(
                rx.box(
                    rx.el.label(t("ticket.form.title"), html_for="new-title", style={"fontWeight": 500}),
                    rx.input(id="new-title", name="title", default_value=N.draft_title,
                             max_length=max_length("ticket", "title"), width="100%",
                             on_blur=lambda value: N.field_filled("title", value), **field_attrs(N.errors, "title")),
                    field_error(N.errors, "title"),
                    width="100%",
                ),
                rx.box(
                    rx.el.label(t("ticket.form.description"), html_for="new-description", style={"fontWeight": 500}),
                    rx.text_area(id="new-description", name="description", rows="6", width="100%",
                                 default_value=N.draft_description,
                                 max_length=max_length("ticket", "description"),
                                 on_blur=lambda value: N.field_filled("description", value),
                                 **field_attrs(N.errors, "description")),
                    field_error(N.errors, "description"),
                    width="100%",
                ),
                rx.grid(
                    # the category decides whether severity is asked: the select shows the state's, always
                    _select("ticket.form.category", "category", N.category_options, value=N.category,
                            on_change=N.choose_category),
                    rx.cond(N.category == "bug",
                            _select("ticket.form.severity", "severity", N.severity_options,
                                    default_value=N.draft_severity,
                                    on_change=lambda value: N.field_filled("severity", value)),
                            rx.text(t("ticket.form.severity_hint"), size="2", color="var(--gray-11)")),
                    _select("ticket.form.priority", "priority", N.priority_options, placeholder=False,
                            default_value=N.draft_priority),
                    columns=rx.breakpoints(initial="1", sm="3"), spacing="4", width="100%",
                ),
                attachments_field(N, "new-ticket-files"),
                submission_field(N.submission_id),
                submit_button(t("ticket.form.submit"), N.busy | (N.uploads_running > 0)),  # waits for a file on its way
                spacing="4",
                width="100%",
            ),
            on_submit=N.submit,
            key=N.form_key,
            width="100%",
            id="new-ticket-form",
            # the draft kept in this browser (assets/ticket_draft.js) comes back into the fields once
            # the page's on_load has run: whose draft it is, and for which closed ticket (?ref=)
            custom_attrs={"data-draft-owner": N.draft_owner, "data-draft-ref": N.reference.to_string(),
                          "data-draft-ready": rx.cond(rx.State.is_hydrated, "1", "0")},
        ),
    )


@page(route="/tickets/[number]", title="Ticket", on_load=[TicketDetailState.load], self_guarded=True,
      tab_title=numbered_title("page_title.ticket", rx.cond(TicketDetailState.found, TicketDetailState.number, 0),
                               TicketDetailState.title))
def ticket_page() -> rx.Component:
    return card(ticket_view("/tickets"))
