"""Admin panel home: users with login statistics and status; unlock, disable."""

import reflex as rx

from ..components.admin_nav import admin_nav, no_match, pager, panel_title
from ..components.confirm import confirm_button
from ..components.forms import form_alert, notice
from ..components.i18n import t
from ..components.limits import max_length
from ..components.shell import card, page
from ..state.admin_users import AdminUsersState


_STATUS_COLOR = {"active": "green", "invited": "amber", "locked": "red", "disabled": "gray"}


def _person(row: rx.Var) -> rx.Component:
    """The name opens where the person is managed (its company's page); staff has none."""
    wrap = {"overflowWrap": "anywhere"}
    name = rx.text(row["name"].to(str), weight="medium", style=wrap)
    return rx.fragment(
        rx.cond(row["href"].to(str) != "", rx.link(name, href=row["href"].to(str)), name),
        rx.text(row["email"].to(str), size="1", style=wrap),
    )


def _actions(row: rx.Var) -> rx.Component:
    account_id, name = row["account_id"].to(int), row["name"].to(str)
    small = {"size": "1", "variant": "soft"}
    return rx.flex(
        rx.cond(row["locked"].to(bool),
                rx.button(t("contacts.unlock"), on_click=AdminUsersState.unlock(account_id), **small)),
        rx.cond((row["status"].to(str) != "disabled") & ~row["is_self"].to(bool),
                confirm_button(t("admin.disable"), on_confirm=AdminUsersState.disable(account_id),
                               title=t("admin.confirm_disable").replace("{name}", name),
                               description=t("admin.confirm_disable_text").replace("{name}", name), **small)),
        spacing="2", wrap="wrap",
    )


def _row(row: rx.Var) -> rx.Component:
    status = row["status"].to(str)
    return rx.table.row(
        rx.table.cell(_person(row), style={"maxWidth": "260px"}),
        # on a phone each value shows its column's name (a card's `data-label`, components/shell.TABLES)
        rx.table.cell(row["kind"].to(str), data_label=t("admin.kind")),
        # a long unbroken company name wraps instead of widening every row's table (the td's own
        # wrapping is "normal" on wide screens: components/shell.TABLES)
        rx.table.cell(rx.text(row["company"].to(str), as_="span", style={"overflowWrap": "anywhere"}),
                      data_label=t("admin.company")),
        rx.table.cell(row["login_count"].to(int), data_label=t("admin.login_count")),
        rx.table.cell(row["last_login"].to(str), data_label=t("admin.last_login")),
        rx.table.cell(rx.match(status, *[(key, rx.badge(row["status_label"].to(str), color_scheme=color))
                                         for key, color in _STATUS_COLOR.items()],
                               rx.badge(row["status_label"].to(str))), data_label=t("contacts.status")),
        rx.table.cell(_actions(row)),
    )


@page(route="/admin", title="Admin panel", access="staff", on_load=[AdminUsersState.load])
def admin_users_page() -> rx.Component:
    return card(
        panel_title(),
        admin_nav("/admin"),
        rx.heading(t("admin.users"), size="4", as_="h1"),
        rx.text(t("admin.users_intro_all"), color="var(--gray-11)"),
        notice(AdminUsersState.notice),
        form_alert(AdminUsersState.errors),
        rx.form(
            rx.hstack(
                rx.input(name="q", default_value=AdminUsersState.query, aria_label=t("admin.search_users"),
                         placeholder=t("admin.search_users"), width="320px", key=AdminUsersState.query,
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
                rx.table.column_header_cell(t("common.actions")),
            )),
            rx.table.body(rx.foreach(AdminUsersState.rows, _row)),
            width="100%",
            variant="surface",
        ),
        no_match(AdminUsersState, "admin.users_none_match", "/admin"),
        pager(AdminUsersState),
    )
