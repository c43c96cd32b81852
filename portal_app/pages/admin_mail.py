"""Admin panel, mail outbox: mails not sent yet or given up on, with the last error; retry a failed one."""

import reflex as rx

from ..components.admin_nav import admin_top, list_table, pager
from ..components.i18n import t
from ..components.shell import card, page
from ..state.admin_mail import AdminMailState


def _filter_button(status: str, label: rx.Var) -> rx.Component:
    return rx.button(label, on_click=AdminMailState.show(status), size="1",
                     variant=rx.cond(AdminMailState.status_filter == status, "solid", "soft"))


def _row(row: rx.Var) -> rx.Component:
    status = row["status"].to(str)
    return rx.table.row(
        # each value named on a phone's card (a bare "1" or a second date says nothing there)
        rx.table.cell(rx.text(row["to"].to(str), size="2"), data_label=t("admin.mail_to")),
        rx.table.cell(rx.text(row["subject"].to(str), size="2"), rx.text(row["created"].to(str), size="1",
                                                                         color="var(--gray-11)"),
                      data_label=t("admin.mail_subject")),
        rx.table.cell(rx.badge(row["status_label"].to(str), color_scheme=rx.cond(
            status == "failed", "red", rx.cond(status == "pending", "amber", "green"))),
            data_label=t("contacts.status")),
        rx.table.cell(row["attempts"].to(int), data_label=t("admin.mail_attempts")),
        rx.table.cell(rx.text(row["last_error"].to(str), size="1", style={"wordBreak": "break-word"}),
                      data_label=t("admin.mail_last_error")),
        rx.table.cell(row["next_attempt"].to(str), data_label=t("admin.mail_next_attempt")),
        rx.table.cell(rx.cond(
            row["can_retry"].to(bool),
            rx.button(t("admin.mail_retry"), size="1", on_click=AdminMailState.retry(row["id"].to(int))),
        )),
    )


@page(route="/admin/mail", title="Mail outbox", access="staff", on_load=[AdminMailState.load])
def admin_mail_page() -> rx.Component:
    return card(
        *admin_top("admin.mail", "admin.mail_intro", AdminMailState),
        rx.hstack(
            _filter_button("unsent", t("admin.mail_filter.unsent")),
            _filter_button("failed", t("admin.mail_filter.failed") + " (" + AdminMailState.failed_count.to_string()
                           + ")"),
            _filter_button("pending", t("admin.mail_filter.pending") + " ("
                           + AdminMailState.pending_count.to_string() + ")"),
            _filter_button("sent", t("admin.mail_filter.sent")),
            spacing="2", wrap="wrap",  # Finnish labels take two rows on a phone
        ),
        rx.cond(
            AdminMailState.total == 0,
            rx.text(t("admin.mail_none"), id="mail-outbox-empty"),
            list_table(("admin.mail_to", "admin.mail_subject", "contacts.status", "admin.mail_attempts",
                        "admin.mail_last_error", "admin.mail_next_attempt", "common.actions"),
                       AdminMailState.rows, _row),
        ),
        pager(AdminMailState),
    )
