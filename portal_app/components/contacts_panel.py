"""The contacts table with add/edit dialog and per-row actions (company admin or staff)."""

from __future__ import annotations

import reflex as rx

from ..state.contacts import ContactsState
from .confirm import confirm_button, dialog_title_attrs
from .forms import field_attrs, field_error, form_alert, notice, pick_to_apply, submission_field, submit_button
from .i18n import t
from .limits import max_length_var
from .live_tick import live_tick


def _edit_field(row: rx.Var) -> rx.Component:
    name, input_id = row["name"].to(str), "contact-" + row["name"].to(str)
    editable, error_id = row["editable"].to(bool), input_id + "-error"
    tied = field_attrs(ContactsState.errors, name, error_id=error_id)  # marked invalid, its message read with it
    return rx.box(
        rx.el.label(row["label"].to(str), html_for=input_id, style={"fontWeight": 500, "fontSize": "14px"}),
        rx.input(id=input_id, name=name, default_value=row["value"].to(str), width="100%",
                 max_length=max_length_var("contact", row["name"]),
                 # a colleague's sign-in address: shown, not the admin's to change (nor sent)
                 disabled=~editable, aria_invalid=tied["aria_invalid"],
                 aria_describedby=rx.cond(editable, error_id, input_id + "-hint " + error_id)),
        rx.cond(~editable,
                rx.text(t("contacts.email_staff_only"), id=input_id + "-hint", size="1", color="var(--gray-11)")),
        field_error(ContactsState.errors, name, error_id=error_id),
        display="flex", flex_direction="column", gap="4px", width="100%",  # each field the dialog's width
    )


def contact_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(ContactsState.dialog_title, custom_attrs=dialog_title_attrs()),
            rx.form(
                rx.vstack(
                    form_alert(ContactsState.errors),
                    submission_field(ContactsState.submission_id),
                    rx.foreach(ContactsState.edit_fields, _edit_field),
                    rx.hstack(
                        rx.button(t("common.cancel"), type="button", variant="soft", color_scheme="gray",
                                  on_click=ContactsState.close_dialog),
                        submit_button(t("common.save"), ContactsState.busy),
                        justify="end", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=ContactsState.save_contact,
                key=ContactsState.form_key,
            ),
        ),
        open=ContactsState.dialog_open,
        on_open_change=ContactsState.close_dialog,
    )


def _none() -> rx.Component:
    """An empty cell's dash: on a phone, where each cell has its label, the label would stand alone."""
    return rx.text("–", color="var(--gray-11)")


def _badge(condition: rx.Var, yes_key: str, color: str) -> rx.Component:
    return rx.cond(condition, rx.badge(t(yes_key), color_scheme=color), _none())


def _actions(row: rx.Var) -> rx.Component:
    cid = row["id"].to(int)
    name = row["name"].to(str)
    # a long label ("Poista portaalin käyttöoikeus") wraps inside its button rather than widen the table
    small = {"size": "1", "variant": "soft",
             "style": {"whiteSpace": "normal", "height": "auto", "minHeight": "var(--base-button-height)",
                       "paddingBlock": "2px", "textAlign": "start", "flexShrink": 1, "maxWidth": "100%"}}

    def named(key: str) -> dict:  # "Edit: Liisa Mäkinen" to a screen reader: each row's buttons say whose
        return {"aria_label": t(key) + ": " + name}

    return rx.flex(
        rx.button(t("common.edit"), on_click=ContactsState.open_edit(cid), **named("common.edit"), **small),
        rx.cond(
            row["is_self"].to(bool),
            rx.fragment(),
            rx.cond(row["is_active"].to(bool),
            rx.fragment(
                rx.cond(
                    row["portal_access"].to(bool),
                    confirm_button(t("contacts.remove_access"), on_confirm=ContactsState.set_access(cid, False, ""),
                                   title=t("contacts.confirm_remove_access").replace("{name}", name),
                                   description=t("contacts.confirm_remove_access_text").replace("{name}", name),
                                   color_scheme="orange", **named("contacts.remove_access"), **small),
                    rx.button(t("contacts.give_access"),
                              on_click=ContactsState.set_access(cid, True, row["submission_id"].to(str)),
                              **named("contacts.give_access"), **small),
                ),
                # a company admin signs in to the portal: the flag comes with access and goes with it
                rx.cond(
                    row["portal_admin"].to(bool),
                    rx.button(t("contacts.remove_admin"), on_click=ContactsState.set_admin(cid, False),
                              **named("contacts.remove_admin"), **small),
                    rx.cond(row["portal_access"].to(bool),
                            rx.button(t("contacts.make_admin"), on_click=ContactsState.set_admin(cid, True),
                                      **named("contacts.make_admin"), **small)),
                ),
                confirm_button(t("contacts.deactivate"), on_confirm=ContactsState.set_active(cid, False),
                               title=t("contacts.confirm_deactivate").replace("{name}", name),
                               description=t("contacts.confirm_deactivate_text").replace("{name}", name),
                               color_scheme="red", **named("contacts.deactivate"), **small),
            ),
            rx.button(t("contacts.reactivate"), on_click=ContactsState.set_active(cid, True),
                      **named("contacts.reactivate"), **small),
        )),
        rx.cond(
            ContactsState.staff_mode,
            rx.cond(row["locked"].to(bool),
                    rx.button(t("contacts.unlock"), on_click=ContactsState.unlock(cid), **named("contacts.unlock"),
                              **small)),
        ),
        # a new link: staff's for anyone with access, a company admin's for a colleague who has not set
        # a password yet (the first link lost, expired, or sent to an address since corrected)
        rx.cond(
            row["portal_access"].to(bool) & ~row["is_self"].to(bool)
            & (ContactsState.staff_mode | row["awaiting_password"].to(bool)),
            rx.button(t("contacts.send_link"), on_click=ContactsState.send_link(cid, row["submission_id"].to(str)),
                      **named("contacts.send_link"), **small),
        ),
        spacing="2",
        wrap="wrap",
    )


def _profile_cell(row: rx.Var) -> rx.Component:
    return rx.cond(
        ContactsState.staff_mode,
        rx.el.select(
            rx.el.option("—", value="", disabled=True),  # shown for a contact without one; not a choice
            rx.foreach(ContactsState.profile_options, lambda p: rx.el.option(p["name"], value=p["id"])),
            value=row["profile_id"].to(str),
            on_change=lambda value: ContactsState.set_profile(row["id"].to(int), value),
            custom_attrs=pick_to_apply(),  # saves at once: the arrow keys open the list instead
            aria_label=t("contacts.profile") + " " + row["name"].to(str),
        ),
        rx.cond(row["profile_name"].to(str) != "", rx.text(row["profile_name"].to(str)), _none()),
    )


def _row(row: rx.Var) -> rx.Component:
    # user-written: a long unbroken name or email wraps inside its cell ("anywhere": the table is then
    # never wider than its card, in any language; the columns are still sized to whole addresses first)
    wrap = {"overflowWrap": "anywhere"}
    return rx.table.row(
        rx.table.cell(rx.text(row["name"].to(str), weight="medium", style=wrap),
                      rx.text(row["job_title"].to(str), size="1", color="var(--gray-11)", style=wrap),
                      style={"maxWidth": "220px", "minWidth": "12ch"}),
        rx.table.cell(rx.cond(row["email"].to(str) != "", rx.text(row["email"].to(str), style=wrap), _none()),
                      data_label=t("contacts.email"),
                      # a usual address on one line; a longer one wraps
                      style={"maxWidth": "36ch", "minWidth": "30ch"}),
        rx.table.cell(rx.cond(row["is_active"].to(bool),
                              # access given, its set-password link not used yet: said, as staff's list says it
                              rx.cond(row["awaiting_password"].to(bool),
                                      rx.badge(t("admin.status.invited"), color_scheme="amber"),
                                      _badge(row["portal_access"].to(bool), "contacts.portal", "green")),
                              rx.badge(t("contacts.inactive"), color_scheme="gray")),
                      rx.cond(row["locked"].to(bool), rx.badge(t("contacts.locked"), color_scheme="red")),
                      data_label=t("contacts.portal")),
        rx.table.cell(_badge(row["portal_admin"].to(bool), "contacts.admin", "blue"), data_label=t("contacts.admin")),
        rx.table.cell(_profile_cell(row), data_label=t("contacts.profile")),
        rx.table.cell(_actions(row), _row_error(row)),
    )


def _row_error(row: rx.Var) -> rx.Component:
    """Why an action on this row was refused (e.g. no email for portal access), under its buttons."""
    key = row["id"].to(str)
    return rx.cond(ContactsState.row_errors.contains(key),
                   rx.text(ContactsState.row_errors[key].to(str), color="var(--red-11)", size="2", role="alert",
                           margin_top="4px"))


def contacts_panel() -> rx.Component:
    return rx.cond(
        ContactsState.manage,
        rx.vstack(
            live_tick(ContactsState.tick, 3000),  # a colleague added or changed elsewhere shows here
            rx.hstack(
                rx.heading(t("contacts.title"), size="5", as_="h2"),
                rx.spacer(),
                rx.button(t("contacts.add"), on_click=ContactsState.open_new),
                # on a phone the button goes under a long heading ("Yhteyshenkilöt") rather than break it
                width="100%", wrap="wrap",
            ),
            notice(ContactsState.notice),
            rx.cond(~ContactsState.dialog_open & (ContactsState.row_errors.length() == 0),
                    form_alert(ContactsState.errors)),
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(t("contacts.name")),
                    rx.table.column_header_cell(t("contacts.email")),
                    rx.table.column_header_cell(t("contacts.portal")),
                    rx.table.column_header_cell(t("contacts.admin")),
                    rx.table.column_header_cell(t("contacts.profile")),
                    rx.table.column_header_cell(t("common.actions")),
                )),
                rx.table.body(rx.foreach(ContactsState.rows, _row)),
                width="100%",
                variant="surface",
            ),
            rx.cond(ContactsState.rows.length() == 0, rx.text(t("contacts.empty"), size="2", id="contacts-empty")),
            contact_dialog(),
            width="100%",
            spacing="3",
        ),
    )
