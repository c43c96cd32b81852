"""Admin panel, documents: every company's shared files, a file to share with a company, and one
to change, replace or delete."""

import reflex as rx

from ..components.admin_catalog import SELECT, drop_zone, field, grid, messages, staff_detail, staff_top
from ..components.company_search import company_search
from ..components.confirm import confirm_button
from ..components.download import download_link
from ..components.forms import field_attrs, field_error, submission_field, submit_button, warn_unsaved
from ..components.i18n import t
from ..components.invoice_view import RIGHT, WRAP
from ..components.limits import max_length
from ..components.link_button import link_button
from ..components.shell import card, page
from ..components.translated_texts import translated_texts
from ..components.url_list import filter_bar, list_table
from ..services.documents.shared_files import CATEGORIES
from ..settings import settings
from ..state.admin_shared_documents import AdminSharedDocumentListState as L
from ..state.admin_shared_documents import AdminSharedDocumentState as E
from .shared_documents import MUTED, category_badge, document_title

NEW = "/admin/documents/new"


def _row(item: rx.Var) -> rx.Component:
    company = item["company"].to(str)
    return rx.table.row(
        rx.table.cell(rx.vstack(document_title(item),
                                rx.link(t("admin.documents.edit"), href=item["edit_href"].to(str), size="2",
                                        aria_label=t("admin.documents.edit") + ": " + item["title"].to(str)),
                                spacing="1", align="start"),
                      data_label=t("admin.documents.col.title")),
        rx.table.cell(rx.text(company, title=company, style={**WRAP, "maxWidth": "28ch"}),
                      data_label=t("admin.documents.col.company")),
        rx.table.cell(category_badge(item), data_label=t("admin.documents.col.category")),
        rx.table.cell(item["size"].to(str), style={**RIGHT, "whiteSpace": "nowrap"},
                      data_label=t("admin.documents.col.size")),
        rx.table.cell(item["shared"].to(str), data_label=t("admin.documents.col.shared")),
        rx.table.cell(item["downloads"].to(str), data_label=t("admin.documents.col.downloads")),
    )


@page(route="/admin/documents", title="Documents", access="staff", on_load=[L.load], self_guarded=True)
def admin_documents_page() -> rx.Component:
    return card(
        *staff_top("admin.documents", "admin.documents.intro", L),
        rx.hstack(link_button(rx.icon("upload", size=14), t("admin.documents.new"), href=NEW)),
        filter_bar(L, statuses=CATEGORIES, status_key="documents.category", search_key="documents.search",
                   label_key="documents.col.category", any_key="documents.any_category",
                   extra=company_search(L, input_id="documents-company", label=t("admin.invoices.col.company"),
                                        clear_label=t("tickets.company_any"))),
        list_table(L, _row, none_key="admin.documents.none_yet", none_match_key="documents.none_match",
                   empty_action=rx.link(t("admin.documents.new"), href=NEW)),
    )


def _company() -> rx.Component:
    return rx.cond(
        E.is_new,
        rx.box(company_search(E, input_id="document-company", errors=E.errors, label=t("admin.invoices.col.company"),
                              clear_label=t("admin.invoices.change_company")),
               field_error(E.errors, "company")),
        rx.hstack(rx.text(t("admin.invoices.col.company"), ":", size="2", weight="medium"),
                  rx.link(E.company_label, href=E.company_href, size="2", style=WRAP), spacing="2", wrap="wrap"),
    )


def _file() -> rx.Component:
    """The file shared now (a new one replaces it), the one dropped, the drop zone and its messages."""
    return rx.vstack(
        rx.cond(E.current_file != "", rx.hstack(
            rx.text(t("admin.documents.current_file"), size="2", weight="medium"),
            download_link(E.current_file, E.download_href, size="2", style=WRAP),
            rx.text(E.downloads, size="2", color=MUTED), spacing="2", wrap="wrap", align="center")),
        drop_zone("document-file", "admin.documents.file",
                  "admin.documents.drop", E.receive_file(rx.upload_files_chunk(
                      upload_id="document-file", on_upload_progress=E.upload_started)),
                  {}, settings.upload_max_bytes // 2**20, "admin.documents.choose_file_button"),
        rx.cond(E.upload_progress >= 0, rx.hstack(
            rx.progress(value=E.upload_progress, max=100, width="200px"),
            rx.text(E.upload_progress.to_string() + "%", size="1"), role="status",
            aria_label=t("admin.documents.uploading"))),
        rx.cond(E.pending_file != "", rx.hstack(
            rx.icon("paperclip", size=14, flex_shrink="0"),
            rx.text(E.pending_file, size="2", style=WRAP, id="document-pending"),
            rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", type="button",
                           aria_label=t("admin.documents.remove_file") + " " + E.pending_file,
                           on_click=E.remove_file),
            align="center", role="status")),
        rx.cond(E.upload_error != "", rx.text(E.upload_error, color="var(--red-11)", size="2", role="alert")),
        field_error(E.errors, "file"),
        spacing="2", width="100%", align="start",
    )


def _form() -> rx.Component:
    d, p = E.document, "doc"
    category = rx.el.select(*[rx.el.option(t(f"documents.category.{c}"), value=c) for c in CATEGORIES],
                            id=f"{p}-category", name="category", default_value=d["category"].to(str),
                            aria_describedby="category-error", style=SELECT)
    return rx.form(
        rx.vstack(
            rx.cond(E.is_new, submission_field(E.submission_id)),
            grid(
                field(E.errors, "admin.documents.title_field", "title",
                      rx.input(id=f"{p}-title", name="title", default_value=d["title"].to(str), width="100%",
                               max_length=max_length("document", "title"), **field_attrs(E.errors, "title")),
                      id_prefix=p),
                field(E.errors, "admin.documents.col.category", "category", category, id_prefix=p),
            ),
            field(E.errors, "admin.documents.description", "description",
                  rx.text_area(id=f"{p}-description", name="description", default_value=d["description"].to(str),
                               rows="3", width="100%", max_length=max_length("document", "description"),
                               **field_attrs(E.errors, "description")), id_prefix=p),
            translated_texts(d, E.errors, form="document", id_prefix=p, open_=E.texts_open,
                             fields=(("title", "translations.f.title", False),
                                     ("description", "translations.f.description", True))),
            _file(),
            rx.cond(E.is_new, rx.el.label(
                rx.el.input(type="checkbox", name="notify", id=f"{p}-notify", default_checked=True),
                rx.text(t("admin.documents.notify"), as_="span", size="2"),
                style={"display": "inline-flex", "gap": "6px", "alignItems": "center"})),
            rx.text(t("admin.documents.visible_to"), size="1", color=MUTED),
            submit_button(rx.cond(E.is_new, t("admin.documents.share"), t("common.save")), E.busy),
            spacing="3", width="100%",
        ),
        on_submit=E.save, key=E.form_key, width="100%", custom_attrs=warn_unsaved(),
    )


@page(route="/admin/documents/[id]", title="Document", access="staff", on_load=[E.load], self_guarded=True)
def admin_document_page() -> rx.Component:
    body = rx.vstack(
        rx.heading(rx.cond(E.is_new, t("admin.documents.new"), E.title), size="5", as_="h1", style=WRAP),
        messages(E),
        _company(),
        _form(),
        rx.cond(~E.is_new, confirm_button(
            t("admin.documents.delete"), title=t("admin.documents.delete_title").replace("{name}", E.title),
            description=t("admin.documents.delete_text"), on_confirm=E.delete, confirm_label=t("admin.documents.delete"),
            variant="soft", disabled=E.busy)),
        spacing="4", width="100%",
    )
    return staff_detail(E, back_key="admin.documents.all", back_href="/admin/documents",
                        not_found_key="admin.documents.not_found", body=body)
