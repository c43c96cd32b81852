"""Admin panel, knowledge base: every article (/admin/kb) and one article's form (/admin/kb/new,
/admin/kb/<id>)."""

import reflex as rx

from ..components.admin_catalog import staff_top
from ..components.forms import field_attrs, field_error, submission_field, submit_button, warn_unsaved
from ..components.i18n import t
from ..components.limits import max_length
from ..components.link_button import link_button
from ..components.shell import card, page
from ..components.url_list import filter_bar, list_table
from ..components.staff_editor import WRAP, published_badge, staff_editor_page
from ..i18n import available_languages
from ..models import ArticleVisibility
from ..services.knowledge.articles import STAFF_STATUSES
from ..state.admin_knowledge import AdminArticlesState as L
from ..state.admin_knowledge import ArticleEditorState as E

LABEL = {"fontWeight": 500, "fontSize": "14px"}


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["title"].to(str), href="/admin/kb/" + row["id"].to(int).to_string(), style=WRAP),
                      data_label=t("kb.col.title")),
        rx.table.cell(rx.text(row["category"].to(str), style=WRAP), data_label=t("kb.col.category")),
        rx.table.cell(row["visibility"].to(str), data_label=t("kb.col.visibility")),
        rx.table.cell(row["language"].to(str), data_label=t("kb.col.language")),
        rx.table.cell(published_badge(row["published"].to(bool), "kb"), data_label=t("kb.col.status")),
        rx.table.cell(row["updated"].to(str), data_label=t("kb.col.updated")),
    )


@page(route="/admin/kb", title="Knowledge base", access="staff", on_load=[L.load], self_guarded=True)
def admin_knowledge_page() -> rx.Component:
    return card(
        *staff_top("admin.kb", "admin.kb_intro", L),
        rx.hstack(link_button(t("kb.new"), href="/admin/kb/new", style={"whiteSpace": "nowrap"})),
        filter_bar(L, statuses=STAFF_STATUSES, status_key="kb.status", search_key="kb.search_label"),
        list_table(L, _row, none_key="kb.none_admin", none_match_key="kb.none_match",
                   empty_action=rx.link(t("kb.new"), href="/admin/kb/new")),
    )


def _text_input(label_key: str, name: str) -> rx.Component:
    return rx.box(
        rx.el.label(t(label_key), html_for=f"kb-{name}", style=LABEL),
        rx.input(id=f"kb-{name}", name=name, default_value=E.values[name].to(str), width="100%",
                 max_length=max_length("article", name), **field_attrs(E.errors, name)),
        field_error(E.errors, name),
        width="100%",
    )


def _select(label_key: str, name: str, options: list[tuple[str, rx.Var | str]]) -> rx.Component:
    return rx.box(
        rx.el.label(t(label_key), html_for=f"kb-{name}", style=LABEL),
        rx.el.select(*[rx.el.option(label, value=value) for value, label in options], id=f"kb-{name}", name=name,
                     default_value=E.values[name].to(str), style={"padding": "6px", "marginLeft": "8px"},
                     **field_attrs(E.errors, name)),
        field_error(E.errors, name),
    )


def _article_form() -> rx.Component:
    languages = [("", t("kb.every_language")), *available_languages().items()]
    return rx.form(
        rx.vstack(
            submission_field(E.submission_id),
            _text_input("kb.f.title", "title"),
            _text_input("kb.f.category", "category"),
            rx.box(
                rx.el.label(t("kb.f.body"), html_for="kb-body", style=LABEL),
                rx.text(t("kb.f.body_hint"), size="1", color="var(--gray-11)", id="kb-body-hint"),
                rx.text_area(id="kb-body", name="body", default_value=E.values["body"].to(str), rows="14",
                             width="100%", max_length=max_length("article", "body"),
                             **field_attrs(E.errors, "body", error_id="kb-body-hint body-error")),
                field_error(E.errors, "body"),
                width="100%",
            ),
            rx.hstack(
                _select("kb.f.visibility", "visibility",
                        [(v.value, t(f"kb.visibility.{v.value}")) for v in ArticleVisibility]),
                _select("kb.f.language", "language", languages),
                spacing="5", wrap="wrap",
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="published", default_checked=E.published, id="kb-published"),
                rx.text(t("kb.f.published"), as_="span", size="2"),
                html_for="kb-published", style={"display": "inline-flex", "gap": "6px", "alignItems": "center"},
            ),
            submit_button(rx.cond(E.article_id == 0, t("kb.create"), t("kb.save")), E.busy),
            spacing="3", width="100%",
        ),
        on_submit=E.save, key=E.form_key, width="100%", custom_attrs=warn_unsaved(),
    )


@page(route="/admin/kb/[id]", title="Article", access="staff", on_load=[E.load])
def admin_article_page() -> rx.Component:
    return staff_editor_page(E, keys="kb", list_href="/admin/kb", row_id=E.article_id, view_href="/kb/",
                             form=(_article_form(),))
