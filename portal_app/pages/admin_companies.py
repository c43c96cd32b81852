"""Admin panel: companies list with search and creation; one company with its contacts."""

import reflex as rx

from ..components.admin_nav import admin_nav, no_match, pager, panel_title
from ..components.confirm import dialog_title_attrs
from ..components.contacts_panel import contacts_panel
from ..components.field_form import field_form, field_input
from ..components.forms import form_alert, notice, submission_field, submit_button
from ..components.i18n import t
from ..components.limits import max_length
from ..components.shell import card, page
from ..state.admin_companies import AdminCompaniesState, AdminCompanyState
from ..state.contacts import ContactsState


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["name"].to(str), href="/admin/company?id=" + row["id"].to_string(),
                              style={"overflowWrap": "anywhere"})),  # a long unbroken name wraps
        # on a phone each value shows its column's name (a card's `data-label`, components/shell.TABLES)
        rx.table.cell(row["business_id"].to(str), data_label=t("field.company.business_id")),
        rx.table.cell(row["city"].to(str), data_label=t("field.company.city")),
        rx.table.cell(row["country"].to(str), data_label=t("field.company.country")),
    )


def _new_company_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("admin.new_company"), custom_attrs=dialog_title_attrs()),
            rx.form(
                rx.vstack(
                    form_alert(AdminCompaniesState.errors),
                    submission_field(AdminCompaniesState.submission_id),
                    rx.foreach(AdminCompaniesState.new_fields,
                               lambda row: field_input(row, AdminCompaniesState.errors, "new-company", "company")),
                    rx.hstack(
                        rx.button(t("common.cancel"), type="button", variant="soft", color_scheme="gray",
                                  on_click=AdminCompaniesState.close_dialog),
                        submit_button(t("common.save"), AdminCompaniesState.busy),
                        justify="end", width="100%",
                    ),
                ),
                on_submit=AdminCompaniesState.create,
                key=AdminCompaniesState.form_key,
            ),
        ),
        open=AdminCompaniesState.dialog_open,
        on_open_change=AdminCompaniesState.close_dialog,
    )


@page(route="/admin/companies", title="Companies", access="staff", on_load=[AdminCompaniesState.load])
def admin_companies_page() -> rx.Component:
    return card(
        panel_title(),
        admin_nav("/admin/companies"),
        rx.hstack(rx.heading(t("admin.companies"), size="4", as_="h1"), rx.spacer(),
                  rx.button(t("admin.new_company"), on_click=AdminCompaniesState.open_new), width="100%", wrap="wrap"),
        notice(AdminCompaniesState.notice),
        rx.form(
            rx.hstack(
                rx.input(name="q", aria_label=t("admin.search_companies"), placeholder=t("admin.search_companies"),
                         default_value=AdminCompaniesState.query, key=AdminCompaniesState.query,
                         width="320px", max_length=max_length("search", "people")),
                rx.button(t("common.search"), type="submit"),
            ),
            on_submit=AdminCompaniesState.search,
        ),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(t("field.company.name")),
                rx.table.column_header_cell(t("field.company.business_id")),
                rx.table.column_header_cell(t("field.company.city")),
                rx.table.column_header_cell(t("field.company.country")),
            )),
            rx.table.body(rx.foreach(AdminCompaniesState.rows, _row)),
            width="100%",
            variant="surface",
        ),
        no_match(AdminCompaniesState, "admin.companies_none_match", "/admin/companies"),
        pager(AdminCompaniesState),
        _new_company_dialog(),
    )


@page(route="/admin/company", title="Company", access="staff",
      on_load=[AdminCompanyState.load, ContactsState.load_for_admin], wide=True)
def admin_company_page() -> rx.Component:
    return rx.vstack(
        card(
            panel_title(),
            admin_nav("/admin/companies"),
            rx.link(t("admin.back_to_companies"), href="/admin/companies"),
            rx.heading(AdminCompanyState.company_name, size="5", as_="h1"),
            rx.cond(AdminCompanyState.loaded, field_form(AdminCompanyState, "admin-company", "company")),
        ),
        rx.cond(AdminCompanyState.loaded, card(contacts_panel())),  # none for an address of no company
        spacing="5",
        width="100%",
    )
