"""Admin panel: portal profiles editor."""

import reflex as rx

from ..components.admin_nav import admin_nav, panel_title
from ..components.confirm import confirm_button
from ..components.forms import form_alert, notice, submit_button, text_field, warn_unsaved
from ..components.i18n import t
from ..components.shell import card, page
from ..components.translated_texts import translated_texts
from ..state.admin_profiles import AdminProfilesState


def _level_select(row: rx.Var, prefix: str, levels: tuple[str, ...]) -> rx.Component:
    select_id = f"{prefix}-" + row["key"].to(str)
    return rx.fragment(
        rx.cond(row["group"].to(str) != "", rx.table.row(rx.table.column_header_cell(
            row["group"].to(str), col_span=2, scope="colgroup", style={"background": "var(--gray-3)"}))),
        rx.table.row(
            rx.table.cell(rx.el.label(row["label"].to(str), html_for=select_id)),
            rx.table.cell(rx.el.select(
                *[rx.el.option(t(f"access.{level}"), value=level) for level in levels],
                id=select_id, name=f"{prefix}." + row["key"].to(str), default_value=row["level"].to(str),
            )),
        ),
    )


def _rights_table(title_key: str, rows: rx.Var, prefix: str, levels: tuple[str, ...]) -> rx.Component:
    return rx.box(
        rx.heading(t(title_key), size="3", as_="h2", margin_bottom="8px"),
        rx.table.root(rx.table.body(rx.foreach(rows, lambda row: _level_select(row, prefix, levels))),
                      size="1", variant="surface"),
    )


def _profile_button(item: rx.Var) -> rx.Component:
    return rx.button(
        # a long name is shortened inside the card (the whole name is in the form below, when chosen)
        rx.el.span(item["name"].to(str), style={"overflow": "hidden", "textOverflow": "ellipsis",
                                                "whiteSpace": "nowrap", "minWidth": 0}),
        # the default's star in the button's own colour (a badge's tint was unreadable on the chosen, solid one)
        rx.cond(item["is_default"].to(bool), rx.el.span("★", role="img", aria_label=t("admin.default_profile"),
                                                         title=t("admin.default_profile"))),
        on_click=AdminProfilesState.select(item["id"].to(int)),
        variant=rx.cond(AdminProfilesState.selected_id == item["id"].to(int), "solid", "soft"),
        # the chosen one is said, not only drawn solid (WCAG 1.3.1)
        aria_pressed=rx.cond(AdminProfilesState.selected_id == item["id"].to(int), "true", "false"),
        title=item["usage"].to(str),
        style={"maxWidth": "100%"},
    )


@page(route="/admin/profiles", title="Profiles", access="staff", on_load=[AdminProfilesState.load])
def admin_profiles_page() -> rx.Component:
    return card(
        panel_title(),
        admin_nav("/admin/profiles"),
        rx.heading(t("admin.profiles"), size="4", as_="h1"),
        rx.hstack(rx.foreach(AdminProfilesState.items, _profile_button),
                  rx.button(t("admin.new_profile"), variant="outline", on_click=AdminProfilesState.new_profile),
                  wrap="wrap"),
        notice(AdminProfilesState.notice),
        form_alert(AdminProfilesState.errors),
        rx.cond(AdminProfilesState.errors.contains("profile"),
                rx.callout(AdminProfilesState.errors["profile"], color_scheme="red", role="alert")),
        rx.form(
            rx.vstack(
                text_field("admin.profile_name", "name", AdminProfilesState.errors, form="profile",
                           default_value=AdminProfilesState.name, id_prefix="profile"),
                # company admins read their colleagues' profiles in their language
                translated_texts(AdminProfilesState.values, AdminProfilesState.errors, form="profile",
                                 fields=(("name", "admin.profile_name", False),), id_prefix="profile",
                                 open_=AdminProfilesState.texts_open),
                rx.hstack(
                    rx.el.input(type="checkbox", id="profile-default", name="is_default",
                                default_checked=AdminProfilesState.is_default),
                    rx.el.label(t("admin.default_profile"), html_for="profile-default"),
                    align="center",
                ),
                # least rights first: said, so a new profile is not saved showing nothing by mistake
                rx.cond(AdminProfilesState.selected_id == 0,
                        rx.callout(t("admin.profile_new_hint"), icon="info", size="1", width="100%")),
                rx.grid(
                    _rights_table("admin.module_rights", AdminProfilesState.module_rows, "module",
                                  ("none", "view", "edit")),
                    _rights_table("admin.field_rights", AdminProfilesState.field_rows, "field",
                                  ("hidden", "read", "edit")),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="5",
                    width="100%",
                ),
                rx.hstack(
                    submit_button(t("common.save"), AdminProfilesState.busy),
                    rx.cond(AdminProfilesState.selected_id > 0,
                            confirm_button(t("common.delete"), variant="soft", on_confirm=AdminProfilesState.delete,
                                           title=t("admin.profile_delete_title").replace("{name}", AdminProfilesState.name),
                                           description=t("admin.profile_delete_text"))),
                ),
                width="100%",
                spacing="4",
            ),
            on_submit=AdminProfilesState.save,
            custom_attrs=warn_unsaved(),
            key=AdminProfilesState.form_key,
            width="100%",
        ),
    )
