"""Admin panel, newsletters: list types (/admin/newsletters) and one list type (/admin/newsletters/<id>)."""

import reflex as rx

from ..components.admin_nav import admin_nav, panel_title
from ..components.confirm import confirm_button
from ..components.forms import field_attrs, field_error, form_alert, notice, submit_button, warn_unsaved
from ..components.i18n import t
from ..components.limits import max_length
from ..components.shell import card, page
from ..components.translated_texts import translated_texts
from ..state.admin_newsletters import AdminNewsletterState as E
from ..state.admin_newsletters import AdminNewslettersState as L

WRAP = {"overflowWrap": "anywhere"}
LABEL = {"fontWeight": 500, "fontSize": "14px"}
MUTED = "var(--gray-11)"


def _fields(state: type, prefix: str, name: rx.Var | str = "", description: rx.Var | str = "") -> list[rx.Component]:
    return [
        rx.box(rx.el.label(t("news.f.name"), html_for=f"{prefix}-name", style=LABEL),
               rx.input(id=f"{prefix}-name", name="name", default_value=name, width="100%",
                        max_length=max_length("newsletter", "name"), **field_attrs(state.errors, "name")),
               field_error(state.errors, "name"), width="100%"),
        rx.box(rx.el.label(t("news.f.description"), html_for=f"{prefix}-description", style=LABEL),
               rx.text_area(id=f"{prefix}-description", name="description", default_value=description, rows="3",
                            width="100%", max_length=max_length("newsletter", "description"),
                            **field_attrs(state.errors, "description")),
               field_error(state.errors, "description"), width="100%"),
    ]


def _translations(state: type, prefix: str) -> rx.Component:
    return translated_texts(state.values, state.errors, form="newsletter", id_prefix=prefix, open_=state.texts_open,
                            fields=(("name", "news.f.name", False), ("description", "news.f.description", True)))


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["name"].to(str), href="/admin/newsletters/" + row["id"].to(int).to_string(),
                              style=WRAP), data_label=t("news.col.name")),
        rx.table.cell(rx.text(row["description"].to(str), style=WRAP), data_label=t("news.col.description")),
        rx.table.cell(row["stopped"].to(int).to_string(), data_label=t("news.col.stopped")),
    )


def _top() -> list[rx.Component]:
    return [panel_title(), admin_nav("/admin/newsletters"),
            rx.heading(t("admin.newsletters"), size="4", as_="h1"),
            rx.text(t("admin.newsletters_intro"), color=MUTED)]


@page(route="/admin/newsletters", title="Newsletters", access="staff", on_load=[L.load])
def admin_newsletters_page() -> rx.Component:
    headers = ("news.col.name", "news.col.description", "news.col.stopped")
    return rx.vstack(
        card(
            *_top(),
            rx.cond(L.rows.length() > 0,
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k)) for k in headers])),
                        rx.table.body(rx.foreach(L.rows, _row)), width="100%", variant="surface", size="1"),
                    rx.text(t("news.none_admin"), color=MUTED, role="status")),
        ),
        card(
            rx.heading(t("news.new"), size="4", as_="h2"),
            notice(L.notice, L.busy),
            form_alert(L.errors),
            rx.form(rx.vstack(*_fields(L, "new-list"), _translations(L, "new-list"),
                              # which form this is: a double click's second sending is of the form already added
                              rx.el.input(type="hidden", name="form_key", value=L.form_key.to_string()),
                              submit_button(t("news.create"), L.busy), spacing="3", width="100%"),
                    on_submit=L.create, key=L.form_key, width="100%"),
        ),
        spacing="4", width="100%",
    )


@page(route="/admin/newsletters/[id]", title="Newsletter", access="staff", on_load=[E.load])
def admin_newsletter_page() -> rx.Component:
    return card(
        *_top(),
        rx.link(t("news.all"), href="/admin/newsletters"),
        rx.cond(
            E.found,
            rx.vstack(
                rx.heading(E.name, size="4", as_="h2", style=WRAP),
                notice(E.notice, E.busy),
                form_alert(E.errors),
                rx.form(rx.vstack(*_fields(E, "list", E.name, E.description), _translations(E, "list"),
                                  submit_button(t("news.save"), E.busy),
                                  spacing="3", width="100%"), on_submit=E.save, key=E.form_key, width="100%",
                        custom_attrs=warn_unsaved()),
                rx.heading(t("news.link_title"), size="3", as_="h3"),
                rx.text(t("news.link_intro"), size="2", color=MUTED),
                rx.form(rx.hstack(
                    rx.el.label(t("news.link_email"), html_for="link-email", style=LABEL),
                    rx.input(id="link-email", name="email", type="email", max_length=max_length("newsletter", "email"),
                             **field_attrs(E.errors, "email"), style={"minWidth": "0", "flex": "1"}),
                    rx.button(t("news.link_make"), type="submit", variant="soft"),
                    spacing="2", align="center", width="100%", wrap="wrap"), on_submit=E.make_link, width="100%",
                    no_validate=True),  # the server's message next to the field, in the page's language
                field_error(E.errors, "email"),
                rx.cond(E.link != "", rx.box(
                    rx.text(t("news.link_label"), style=LABEL),
                    rx.code(E.link, id="landing-link", style={**WRAP, "userSelect": "all"}), width="100%")),
                rx.heading(t("news.stopped_title"), size="3", as_="h3"),
                rx.cond(E.stopped.length() > 0,
                        rx.el.ul(rx.foreach(E.stopped, lambda a: rx.el.li(
                            rx.text(a["email"].to(str), " · ", a["source"].to(str), " · ", a["when"].to(str),
                                    size="2", style=WRAP)))),
                        rx.text(t("news.stopped_none"), size="2", color=MUTED)),
                confirm_button(t("news.delete"), title=t("news.delete_title"), description=t("news.delete_text"),
                               on_confirm=E.delete, confirm_label=t("news.delete"), variant="soft"),
                spacing="3", width="100%",
            ),
            rx.text(t("news.not_found"), role="status"),
        ),
    )
