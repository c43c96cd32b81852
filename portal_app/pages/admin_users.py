"""Admin panel home: users with login statistics; unlock."""

import reflex as rx

from ..components.admin_nav import admin_nav, pager
from ..components.forms import form_alert, notice
from ..components.i18n import t
from ..components.limits import max_length
from ..components.shell import card, page
from ..state.admin_users import AdminUsersState


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row["name"].to(str), weight="medium"), rx.text(row["email"].to(str), size="1")),
        rx.table.cell(row["kind"].to(str)),
        rx.table.cell(row["company"].to(str)),
        rx.table.cell(row["login_count"].to(int)),
        rx.table.cell(row["last_login"].to(str)),
        rx.table.cell(rx.cond(
            row["locked"].to(bool),
            rx.hstack(rx.badge(t("contacts.locked"), color_scheme="red"),
                      rx.button(t("contacts.unlock"), size="1",
                                on_click=AdminUsersState.unlock(row["account_id"].to(int)))),
        )),
    )


@page(route="/admin", title="Admin panel", access="staff", on_load=[AdminUsersState.load])
def admin_users_page() -> rx.Component:
    return card(
        rx.heading(t("admin.title"), size="6", as_="h1"),
        admin_nav(),
        rx.heading(t("admin.users"), size="4", as_="h2"),
        rx.text(t("admin.users_intro"), color="var(--gray-11)"),
        notice(AdminUsersState.notice),
        form_alert(AdminUsersState.errors),
        rx.form(
            rx.hstack(
                rx.input(name="q", default_value=AdminUsersState.query, aria_label=t("admin.search_users"),
                         placeholder=t("admin.search_users"), width="320px",
                         max_length=max_length("search", "people")),
                rx.button(t("common.search"), type="submit"),
            ),
            on_submit=AdminUsersState.search,
        ),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(t("contacts.name")),
                rx.table.column_header_cell(t("admin.kind")),
                rx.table.column_header_cell(t("admin.company")),
                rx.table.column_header_cell(t("admin.login_count")),
                rx.table.column_header_cell(t("admin.last_login")),
                rx.table.column_header_cell(t("contacts.status")),
            )),
            rx.table.body(rx.foreach(AdminUsersState.rows, _row)),
            width="100%",
            variant="surface",
        ),
        pager(AdminUsersState),
    )
