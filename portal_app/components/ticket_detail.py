"""One ticket: details, attachments, the comment form, comments newest first, history."""

from __future__ import annotations

import reflex as rx

from ..models import TicketStatus
from ..state.ticket_detail import TicketDetailState as S
from .confirm import confirm_button
from .download import download_link
from .forms import VISUALLY_HIDDEN, field_attrs, field_error, form_alert, notice, pick_to_apply, submission_field, submit_button
from .i18n import t
from .limits import max_length
from .upload import NO_SHRINK, attachments_field
from .link_button import link_button
from .live_tick import live_tick
from .comment_draft import comment_draft
from .unsent_comment import unsent_comment
from .url_sync import list_link


def file_link(f: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.cond(f["is_image"].to(bool),
                rx.image(src=f["url"].to(str), alt="", width="48px", height="48px", object_fit="cover",
                         border_radius="4px", loading="lazy")),
        rx.vstack(
            download_link(f["name"].to(str), f["url"].to(str), icon=False,
                          style={"minWidth": 0, "overflowWrap": "anywhere"}),
            # the size, and in the ticket's list of every file when it came (two may share a name)
            rx.hstack(
                rx.text(f["size"].to(str), size="1", color="var(--gray-11)", style=NO_SHRINK),
                rx.cond(f["when"].to(str) != "",
                        rx.text(f["when"].to(str), size="1", color="var(--gray-11)", style=NO_SHRINK)),
                # an internal note's file, in the ticket's list of every file: customers never get it
                rx.cond(f["internal"].to(bool) & (f["when"].to(str) != ""),
                        rx.badge(t("ticket.internal_badge"), color_scheme="amber", size="1")),
                spacing="3", wrap="wrap", align="center",
            ),
            spacing="0", style={"minWidth": 0},
        ),
        align="center",
    )


def _comment(c: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            # a long name wraps; the time keeps its one line beside it or below it
            rx.text(c["author"].to(str), weight="bold", size="2", style={"minWidth": 0, "overflowWrap": "anywhere"}),
            rx.text(c["created"].to(str), size="1", color="var(--gray-11)", style=NO_SHRINK),
            rx.cond(c["internal"].to(bool), rx.badge(t("ticket.internal_badge"), color_scheme="amber")),
            align="center", wrap="wrap",
        ),
        rx.cond(c["status_line"] != "", rx.text(c["status_line"].to(str), size="2", color="var(--indigo-11)")),
        rx.cond(c["body"] != "", rx.text(c["body"].to(str), white_space="pre-wrap")),
        rx.foreach(c["files"].to(list[dict]), file_link),
        padding="12px",
        border_radius="8px",
        background=rx.cond(c["internal"].to(bool), "var(--amber-2)",
                           rx.cond(c["support"].to(bool), "var(--indigo-2)", "var(--gray-2)")),
        width="100%",
        role="article",
    )


# what the comment box holds when "Close ticket" is confirmed: it goes with the close, not lost
_typed_comment = rx.Var("(document.getElementById('ticket-comment')?.value ?? '')", _var_type=str)


def comment_form() -> rx.Component:
    return rx.form(
        # the status this page shows: the server refuses a status change if the ticket has another by now
        rx.el.input(type="hidden", name="seen_status", value=S.status_code),
        submission_field(S.submission_id),
        rx.vstack(
            rx.el.label(t("ticket.comment"), html_for="ticket-comment", style={"fontWeight": 500}),
            rx.text_area(id="ticket-comment", name="comment", default_value=S.draft, rows="4", width="100%",
                         max_length=max_length("ticket", "comment"), **field_attrs(S.errors, "comment")),
            field_error(S.errors, "comment"),
            attachments_field(S, "comment-files"),
            rx.cond(
                S.transitions.length() > 0,
                rx.hstack(
                    rx.el.label(
                        rx.el.input(type="checkbox", checked=S.change_status,
                                    on_change=S.set_change_status),
                        rx.text(t("ticket.change_status"), as_="span"),
                        style={"display": "inline-flex", "gap": "6px", "alignItems": "center"},
                    ),
                    rx.el.label(t("ticket.new_status"), html_for="new-status", class_name="sr-only",
                                style=VISUALLY_HIDDEN),
                    rx.el.select(rx.foreach(S.transitions, lambda c: rx.el.option(c["label"], value=c["value"])),
                                 id="new-status", name="new_status", disabled=~S.change_status,
                                 # not a controlled value: a choice is in the form at once, whatever
                                 # the server's reply; the page only learns it for the close button
                                 default_value=S.status_choice, on_change=S.choose_status),
                    align="center",
                ),
            ),
            rx.cond(S.errors.contains("new_status"),
                    rx.text(S.errors["new_status"], color="var(--red-11)", size="2", role="alert")),
            rx.cond(S.can_internal, rx.el.label(
                # ticked at once, and followed by the page: a form drawn again (a refusal, a change of
                # category) starts from it, and must never turn an internal note into a public comment
                rx.el.input(type="checkbox", name="internal", default_checked=S.internal_note,
                            on_change=S.set_internal_note),
                rx.text(t("ticket.internal"), as_="span"),
                style={"display": "inline-flex", "gap": "6px", "alignItems": "center"})),
            rx.cond(S.errors.contains("attachments"),
                    rx.text(S.errors["attachments"], color="var(--red-11)", size="2", role="alert")),
            # closing is asked first here too, as with the "Close ticket" button (customers)
            rx.cond(~S.staff_view & S.change_status & (S.status_choice == TicketStatus.CLOSED.value),
                    confirm_button(t("ticket.comment_and_close"), submits="comment-form", color_scheme="blue",
                                   disabled=S.busy, confirm_label=t("ticket.close"),
                                   title=t("ticket.confirm_close").replace("{number}", S.number.to_string()),
                                   description=t("ticket.confirm_close_text")),
                    submit_button(t("ticket.add_comment"), S.busy | (S.uploads_running > 0))),
            width="100%",
            spacing="2",
        ),
        on_submit=S.add_comment,
        id="comment-form",
        key=S.form_key,
        width="100%",
    )


def closed_box() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(rx.cond(S.staff_view, t("ticket.closed_note_support"), t("ticket.closed_note"))),
            # the portal's own colour, not the gray callout's (a gray button reads as disabled)
            rx.cond(~S.staff_view, link_button(t("tickets.new"), href="/tickets/new?ref=" + S.number.to_string(),
                                               color_scheme="indigo")),
        ),
        icon="lock", color_scheme="gray",
    )


def staff_tools() -> rx.Component:
    return rx.cond(S.staff_view, rx.hstack(
        rx.el.label(t("ticket.assign"), html_for="ticket-assignee", style={"fontWeight": 500}),
        rx.el.select(rx.el.option(t("tickets.unassigned"), value=""),
                     rx.foreach(S.assignee_options, lambda c: rx.el.option(c["label"], value=c["value"])),
                     id="ticket-assignee", value=S.assignee_id,
                     # with the assignee shown when choosing: the server refuses if it has changed by now
                     on_change=lambda value: S.assign(value, S.assignee_id),
                     **field_attrs(S.errors, "assignee"), custom_attrs=pick_to_apply()),  # saves at once
        field_error(S.errors, "assignee"),
        align="center",
        wrap="wrap",
    ))


def _field_select(name: str, label_key: str, options: rx.Var) -> rx.Component:
    return rx.box(
        rx.el.label(t(label_key), html_for=f"ticket-{name}", style={"fontWeight": 500, "fontSize": "14px"}),
        rx.el.select(rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
                     id=f"ticket-{name}", name=name, default_value=S.seen_fields[name].to(str),
                     **field_attrs(S.errors, name), style={"padding": "6px", "maxWidth": "100%"},
                     # drawn again when its value changes, by anyone (a live update): the menu never
                     # shows a value older than the one the form sends as seen, so a save can never
                     # silently undo another's change; the other menus keep this tab's unsaved choice
                     key=S.seen_fields[name].to(str)),
        field_error(S.errors, name),
        display="flex", flex_direction="column", gap="4px", min_width="0",
    )


def staff_fields() -> rx.Component:
    """Staff re-classifies the ticket; the form carries the values it was drawn with (the server
    refuses if they have changed by now)."""
    return rx.cond(S.staff_view, rx.form(
        rx.el.fieldset(
            rx.el.legend(t("ticket.fields_title"), style={"fontWeight": 500, "marginBottom": "4px"}),
            rx.flex(
                _field_select("category", "tickets.col.category", S.category_options),
                _field_select("severity", "tickets.col.severity", S.severity_options),
                _field_select("priority", "tickets.col.priority", S.priority_options),
                submit_button(t("ticket.fields_save"), S.fields_busy, variant="soft"),
                spacing="3", align="end", wrap="wrap",
            ),
            rx.text(t("ticket.form.severity_hint"), size="1", color="var(--gray-11)"),
            *[rx.el.input(type="hidden", name=f"seen_{name}", default_value=S.seen_fields[name].to(str),
                          key=f"seen-{name}-" + S.seen_fields[name].to(str))
              for name in ("category", "severity", "priority")],
            field_error(S.errors, "fields"),
            style={"border": "none", "padding": 0, "margin": 0, "minWidth": 0},
        ),
        on_submit=S.change_fields,
        key=S.form_key.to_string() + "-fields",
        width="100%",
    ))


def ticket_view(back_href: str) -> rx.Component:
    return rx.cond(
        S.found,
        rx.vstack(
            list_link(t("ticket.back"), back_href),
            rx.heading(rx.text("#", S.number.to_string(), " ", S.title, as_="span"), size="6", as_="h1"),
            rx.cond(S.reference_number > 0, rx.link(
                t("ticket.reference").replace("{number}", S.reference_number.to_string()),
                href=rx.cond(S.staff_view, "/admin/tickets/", "/tickets/") + S.reference_number.to_string())),
            notice(S.notice),
            form_alert(S.errors),  # a refusal about no one field (the right to edit taken meanwhile)
            rx.grid(
                rx.foreach(S.fields, lambda f: rx.box(rx.text(f["label"], size="1", color="var(--gray-11)"),
                                                       rx.text(f["value"], size="2", weight="medium"))),
                columns=rx.breakpoints(initial="2", md="5"), spacing="3", width="100%",
            ),
            staff_tools(),
            staff_fields(),
            rx.cond(S.can_follow, rx.button(
                rx.cond(S.following, t("ticket.unfollow"), t("ticket.follow")), variant="outline", size="1",
                on_click=S.set_following(~S.following))),
            rx.cond(~S.staff_view & S.transitions.contains(TicketStatus.CLOSED.value, "value"), confirm_button(
                t("ticket.close"), on_confirm=S.close_ticket(S.status_code, _typed_comment), color_scheme="gray",
                variant="outline", confirm_label=t("ticket.close"),
                size="1", title=t("ticket.confirm_close").replace("{number}", S.number.to_string()),
                description=t("ticket.confirm_close_text"))),
            rx.text(S.description, white_space="pre-wrap"),
            rx.cond(S.files.length() > 0, rx.vstack(rx.heading(t("ticket.attachments"), size="3", as_="h2"),
                                                    rx.foreach(S.files, file_link))),
            rx.cond(S.closed, closed_box()),
            unsent_comment(S.closed_meanwhile, S.number, t("ticket.unsent_note"), t("ticket.unsent_label")),
            rx.cond(S.can_comment | (S.transitions.length() > 0), comment_form()),
            comment_draft(S.number, S.form_key, S.can_comment | (S.transitions.length() > 0), S.draft_owner),
            rx.heading(t("ticket.comments"), size="4", as_="h2"),
            rx.cond(S.comments.length() == 0, rx.text(t("ticket.no_comments"), color="var(--gray-11)")),
            rx.foreach(S.comments, _comment),
            rx.heading(t("ticket.history"), size="4", as_="h2"),
            rx.el.ul(rx.foreach(S.history, lambda h: rx.el.li(
                rx.text(h["when"], " · ", h["who"], " · ", h["what"], size="2")))),
            live_tick(S.tick, 2000),
            spacing="3",
            width="100%",
        ),
        # a ticket this viewer may not see, or none: said so, with the way back to the list
        rx.cond(S.errors.contains("page"), rx.vstack(
            list_link(t("ticket.back"), back_href),
            rx.heading(S.errors["page"], size="5", as_="h1"),
            spacing="3", width="100%",
        )),
    )
