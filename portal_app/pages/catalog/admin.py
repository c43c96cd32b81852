"""Admin panel, catalog: products (list, new, edit, archive, picture, categories, CSV import) and
price books (list, new, a book's prices and companies, CSV import of its prices)."""

from typing import Any

import reflex as rx

from ...components.admin_catalog import (
    LIMITS, checkbox, csv_import, currency_select, field, grid, image_upload, messages, product_fields, staff_detail,
    staff_top, text_input,
)
from ...components.company_search import company_search
from ...components.confirm import confirm_button, dialog_title_attrs
from ...components.download import download_link
from ...components.forms import field_attrs, form_alert, pick_to_apply, submission_field, submit_button, warn_unsaved
from ...components.i18n import t
from ...components.invoice_view import RIGHT, WRAP
from ...components.shell import card, page
from ...components.translated_texts import translated_texts
from ...components.url_list import filter_bar, list_table
from ...state.catalog.admin import ASSIGNMENTS_CSV
from ...state.catalog.admin import AdminPriceBookListState as BL
from ...state.catalog.admin import AdminPriceBookState as B
from ...state.catalog.admin import AdminProductListState as L
from ...state.catalog.admin import AdminProductState as P

LABEL = {"fontSize": "14px", "fontWeight": 500}
THUMB = {"width": "40px", "height": "40px", "objectFit": "contain", "borderRadius": "6px",
         "background": "var(--gray-a2)", "flexShrink": 0}
BOOK_COLORS = {"in_effect": "green", "not_now": "amber", "inactive": "gray"}


def _title(text: rx.Var, badge: rx.Component | None = None) -> rx.Component:
    return rx.flex(rx.heading(text, size="5", as_="h1", style=WRAP), *([badge] if badge is not None else []),
                   spacing="3", align="center", wrap="wrap", width="100%")


def _form_dialog(title_key: str, body: rx.Component, submit_key: str, *, errors: rx.Var, busy: rx.Var,
                 on_submit: Any, key: rx.Var, open_: rx.Var, on_close: Any) -> rx.Component:
    """A form in a dialog: its messages, the fields, Cancel and submit."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t(title_key), custom_attrs=dialog_title_attrs()),
            rx.form(
                rx.vstack(
                    form_alert(errors),
                    body,
                    rx.hstack(
                        rx.button(t("common.cancel"), type="button", variant="soft", color_scheme="gray",
                                  on_click=on_close),
                        submit_button(t(submit_key), busy),
                        justify="end", width="100%",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=on_submit,
                key=key,
                no_validate=True,  # the server's messages at the fields, not the browser's bubble
            ),
            max_width="640px",
        ),
        open=open_,
        on_open_change=on_close,
    )


def _dialog(S, title_key: str, body: rx.Component, submit_key: str) -> rx.Component:  # noqa: ANN001
    """A "New ..." form in a dialog, with its submission id (a double click makes one)."""
    return _form_dialog(title_key, rx.fragment(submission_field(S.submission_id), body), submit_key, errors=S.errors,
                        busy=S.busy, on_submit=S.create, key=S.new_key, open_=S.new_open, on_close=S.close_new)


# --- /admin/products -----------------------------------------------------------------------------------

def _kind(row: rx.Var) -> rx.Component:
    return rx.flex(
        rx.cond(row["orderable"].to(bool), rx.text(t("admin.catalog.orderable_short"), size="2", as_="span"),
                rx.badge(t("catalog.price.quote_only"), color_scheme="amber", variant="soft")),
        rx.cond(row["archived"].to(bool), rx.badge(t("admin.catalog.archived"), color_scheme="gray", variant="soft")),
        spacing="1", wrap="wrap",
    )


def _product_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.hstack(
            rx.cond(row["image"].to(str) != "", rx.image(src=row["image"].to(str), alt="", style=THUMB),
                    rx.center(rx.icon("package", size=18, color="var(--gray-8)"), style=THUMB, aria_hidden="true")),
            rx.link(row["name"].to(str), href=row["href"].to(str), weight="medium", style=WRAP),
            align="center", spacing="3"), data_label=t("admin.catalog.col.name")),
        rx.table.cell(row["code"].to(str), style=WRAP, data_label=t("admin.catalog.col.code")),
        rx.table.cell(rx.cond(row["category"].to(str) != "", row["category"].to(str), "—"), style=WRAP,
                      data_label=t("admin.catalog.col.category")),
        rx.table.cell(rx.cond(row["on_request"].to(bool),
                              rx.text(row["price"].to(str), as_="span", color="var(--gray-11)",
                                      style={"fontStyle": "italic"}),
                              row["price"].to(str)), style=RIGHT, data_label=t("admin.catalog.col.price")),
        rx.table.cell(row["vat"].to(str), style=RIGHT, data_label=t("admin.catalog.col.vat")),
        rx.table.cell(_kind(row), data_label=t("admin.catalog.col.kind")),
        align="center",
    )


def _product_filters() -> rx.Component:
    show = rx.hstack(
        rx.el.label(t("admin.catalog.show"), html_for="products-show", style=LABEL),
        rx.el.select(rx.el.option(t("admin.catalog.show_active"), value=""),
                     rx.el.option(t("admin.catalog.show_all"), value="all"),
                     id="products-show", value=L.sel_status, on_change=L.set_status, style={"padding": "4px 8px"},
                     custom_attrs=pick_to_apply()),
        spacing="2", align="center",
    )
    category = rx.hstack(
        rx.el.label(t("catalog.col.category"), html_for="products-category", style=LABEL),
        rx.el.select(rx.el.option(t("catalog.any_category"), value=""),
                     rx.foreach(L.categories, lambda c: rx.el.option(c["label"], value=c["value"])),
                     id="products-category", value=L.category, on_change=L.set_category, custom_attrs=pick_to_apply(),
                     style={"padding": "4px 8px", "maxWidth": "220px"}),
        spacing="2", align="center",
    )
    prices = company_search(L, input_id="products-company", label=t("admin.catalog.prices_for"),
                            clear_label=t("admin.catalog.list_prices_button"))
    return filter_bar(L, statuses=(), status_key="", search_key="catalog.search",
                      extra=rx.fragment(show, category, prices))


def _categories() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        name = item["name"].to(str)
        return rx.table.row(
            rx.table.cell(rx.text(name, style=WRAP), data_label=t("catalog.col.category")),
            rx.table.cell(item["count"].to(str), style=RIGHT, data_label=t("admin.catalog.products_count")),
            rx.table.cell(rx.hstack(
                rx.button(t("admin.catalog.rename"), variant="ghost", size="1",
                          on_click=L.edit_category(item["id"].to(int)),
                          aria_label=t("admin.catalog.rename_named").replace("{name}", name)),
                confirm_button(
                    t("common.delete"), title=t("admin.catalog.delete_category_title").replace("{name}", name),
                    description=t("admin.catalog.delete_category_text"),
                    on_confirm=L.delete_category(item["id"].to(int)),
                    variant="ghost", size="1", aria_label=t("admin.catalog.delete_named").replace("{name}", name)),
                spacing="3", align="center")),
        )

    return card(
        rx.heading(t("admin.catalog.categories"), size="4", as_="h2"),
        messages(L, "categories"),
        rx.table.root(
            rx.table.header(rx.table.row(rx.table.column_header_cell(t("catalog.col.category")),
                                         rx.table.column_header_cell(t("admin.catalog.products_count"), style=RIGHT),
                                         rx.table.column_header_cell(t("common.actions")))),
            rx.table.body(rx.foreach(L.category_rows, row)),
            width="100%", variant="surface", size="1",
        ),
        rx.form(
            rx.hstack(
                rx.el.label(t("admin.catalog.new_category"), html_for="category-name", style=LABEL),
                rx.input(id="category-name", name="category_name", max_length=LIMITS["category"],
                         width=rx.breakpoints(initial="100%", sm="240px")),
                submit_button(t("admin.catalog.add_category"), L.busy, variant="soft"),
                spacing="2", align="center", wrap="wrap",
            ),
            on_submit=L.add_category, key=L.category_key, width="100%",
        ),
        _category_dialog(),
    )


def _category_dialog() -> rx.Component:
    """"Rename": a category's name, and its names in the other languages."""
    body = rx.fragment(
        field(L.errors, "translations.f.name", "name",
              rx.input(id="category-edit-name", name="name", default_value=L.category_form["name"].to(str),
                       max_length=LIMITS["category"], width="100%", **field_attrs(L.errors, "name")),
              id_prefix="category-edit"),
        translated_texts(L.category_form, L.errors, form="category", id_prefix="category-edit",
                         fields=(("name", "translations.f.name", False),), open_=True),
    )
    return _form_dialog("admin.catalog.rename_category", body, "common.save", errors=L.errors, busy=L.busy,
                        on_submit=L.save_category, key=L.category_form_key, open_=L.category_open,
                        on_close=L.close_category)


@page(route="/admin/products", title="Products", access="staff", on_load=[L.load], self_guarded=True)
def admin_products_page() -> rx.Component:
    return rx.vstack(
        card(
            *staff_top("admin.products", "admin.catalog.products_intro", L),
            rx.hstack(rx.button(rx.icon("plus", size=14), t("admin.catalog.new_product"), on_click=L.open_new),
                      rx.link(t("admin.price_books"), href="/admin/price-books", weight="medium"),
                      spacing="4", align="center", wrap="wrap"),
            _product_filters(),
            rx.text(L.price_note, size="2", color="var(--gray-11)", id="price-note"),
            list_table(L, _product_row, none_key="catalog.none_yet", none_match_key="catalog.none_match"),
            _dialog(L, "admin.catalog.new_product",
                    product_fields(L, None, id_prefix="new-product", description=False),
                    "admin.catalog.create_product"),
        ),
        _categories(),
        card(csv_import(L, upload_id="products-csv", intro_key="admin.catalog.products_csv_intro")),
        spacing="4", width="100%",
    )


# --- /admin/products/<code> ---------------------------------------------------------------------------

def _product() -> rx.Component:
    archive = rx.cond(
        P.archived,
        rx.button(t("admin.catalog.restore"), variant="soft", on_click=P.set_archived(False), disabled=P.busy),
        confirm_button(t("admin.catalog.archive"), title=t("admin.catalog.archive_title").replace("{name}", P.title),
                       description=t("admin.catalog.archive_text"), on_confirm=P.set_archived(True), variant="soft",
                       color_scheme="orange", disabled=P.busy),
    )
    return rx.vstack(
        _title(P.title, rx.cond(P.archived, rx.badge(t("admin.catalog.archived"), color_scheme="gray", size="2"))),
        messages(P),
        rx.cond(P.archived, rx.callout(t("admin.catalog.archived_note"), icon="archive", color_scheme="gray")),
        rx.form(
            rx.vstack(
                product_fields(P, P.product, id_prefix="product", description=True),
                translated_texts(P.texts, P.errors, form="product", id_prefix="product", open_=P.texts_open,
                                 fields=(("name", "translations.f.name", False),
                                         ("description", "translations.f.description", True),
                                         ("unit", "translations.f.unit", False))),
                submit_button(t("common.save"), P.busy),
                spacing="3", width="100%",
            ),
            on_submit=P.save, key=P.form_key, width="100%", custom_attrs=warn_unsaved(),
        ),
        archive,
        rx.divider(),
        image_upload(P),
        spacing="4", width="100%",
    )


@page(route="/admin/products/[code]", title="Product", access="staff", on_load=[P.load], self_guarded=True)
def admin_product_page() -> rx.Component:
    return staff_detail(P, back_key="admin.catalog.all_products", back_href="/admin/products",
                        not_found_key="catalog.not_found", body=_product())


# --- /admin/price-books --------------------------------------------------------------------------------

def _book_badge(state: rx.Var, label: rx.Var, **props) -> rx.Component:  # noqa: ANN003
    return rx.match(state, *[(k, rx.badge(label, color_scheme=c, variant="soft", **props))
                             for k, c in BOOK_COLORS.items()], rx.badge(label, variant="soft", **props))


def _book_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["name"].to(str), href=row["href"].to(str), weight="medium", style=WRAP),
                      data_label=t("admin.catalog.book_col.name")),
        rx.table.cell(row["currency"].to(str), data_label=t("admin.catalog.book_col.currency")),
        rx.table.cell(row["valid_from"].to(str), data_label=t("admin.catalog.book_col.valid_from")),
        rx.table.cell(row["valid_to"].to(str), data_label=t("admin.catalog.book_col.valid_to")),
        rx.table.cell(_book_badge(row["state"].to(str), row["state_label"].to(str)),
                      data_label=t("admin.catalog.book_col.state")),
        rx.table.cell(row["entries"].to_string(), style=RIGHT, data_label=t("admin.catalog.book_col.entries")),
        rx.table.cell(row["companies"].to_string(), style=RIGHT, data_label=t("admin.catalog.book_col.companies")),
    )


def _book_fields(S, values: rx.Var | None, *, id_prefix: str) -> rx.Component:  # noqa: ANN001
    def value(name: str, default: str = "") -> rx.Var | str:
        return default if values is None else values[name].to(str)

    return rx.vstack(
        grid(
            field(S.errors, "admin.catalog.book_name", "name",
                  text_input("name", value("name"), id_prefix=id_prefix, limit="price_book"), id_prefix=id_prefix),
            field(S.errors, "admin.catalog.currency", "currency", currency_select(value("currency", "EUR"),
                                                                                   id_prefix=id_prefix),
                  id_prefix=id_prefix, hint_key="admin.catalog.currency_hint"),
            field(S.errors, "admin.catalog.valid_from", "valid_from",
                  text_input("valid_from", value("valid_from"), id_prefix=id_prefix, limit="date", type="date"),
                  id_prefix=id_prefix),
            field(S.errors, "admin.catalog.valid_to", "valid_to",
                  text_input("valid_to", value("valid_to"), id_prefix=id_prefix, limit="date", type="date"),
                  id_prefix=id_prefix),
        ),
        rx.text(t("admin.catalog.dates_hint"), size="1", color="var(--gray-11)"),
        checkbox("admin.catalog.active", "active", True if values is None else values["active"].to(bool),
                 id_prefix=id_prefix),
        spacing="3", width="100%",
    )


@page(route="/admin/price-books", title="Price books", access="staff", on_load=[BL.load], self_guarded=True)
def admin_price_books_page() -> rx.Component:
    return card(
        *staff_top("admin.price_books", "admin.catalog.books_intro", BL),
        rx.hstack(rx.button(rx.icon("plus", size=14), t("admin.catalog.new_book"), on_click=BL.open_new),
                  download_link(t("admin.catalog.assignments_csv"), ASSIGNMENTS_CSV, weight="medium"),
                  spacing="4", align="center", wrap="wrap"),
        filter_bar(BL, statuses=(), status_key="", search_key="admin.catalog.search_books"),
        list_table(BL, _book_row, none_key="admin.catalog.no_books", none_match_key="admin.catalog.no_books_match"),
        _dialog(BL, "admin.catalog.new_book", _book_fields(BL, None, id_prefix="new-book"),
                "admin.catalog.create_book"),
    )


# --- /admin/price-books/<id> ---------------------------------------------------------------------------

def _entry_row(row: rx.Var) -> rx.Component:
    name = row["name"].to(str)
    return rx.table.row(
        rx.table.cell(rx.link(row["code"].to(str), href=row["href"].to(str), style=WRAP),
                      data_label=t("admin.catalog.col.code")),
        rx.table.cell(rx.text(name, style=WRAP), data_label=t("admin.catalog.col.name")),
        rx.table.cell(row["list_price"].to(str), style=RIGHT, data_label=t("admin.catalog.list_price_short")),
        rx.table.cell(rx.text(row["price"].to(str), weight="medium"), style=RIGHT,
                      data_label=t("admin.catalog.book_price")),
        rx.table.cell(rx.hstack(
            rx.button(t("admin.catalog.change"), variant="ghost", size="1", on_click=B.edit_entry(row["product_id"]),
                      aria_label=t("admin.catalog.change_named").replace("{name}", name)),
            confirm_button(t("admin.catalog.remove"),
                           title=t("admin.catalog.remove_entry_title").replace("{name}", name),
                           description=t("admin.catalog.remove_entry_text"),
                           on_confirm=B.remove_entry(row["product_id"]), variant="ghost", size="1",
                           aria_label=t("admin.catalog.remove_named").replace("{name}", name)),
            spacing="2")),
    )


def _entries() -> rx.Component:
    keys = ("admin.catalog.col.code", "admin.catalog.col.name", "admin.catalog.list_price_short",
            "admin.catalog.book_price", "common.actions")
    return rx.vstack(
        rx.heading(t("admin.catalog.prices"), size="4", as_="h2"),
        messages(B, "prices"),
        rx.form(
            rx.hstack(
                rx.input(name="entry_q", default_value=B.entry_q, key=B.entry_q, max_length=100,
                         aria_label=t("admin.catalog.search_prices"), placeholder=t("admin.catalog.search_prices"),
                         width=rx.breakpoints(initial="180px", sm="240px")),
                rx.button(t("common.search"), type="submit", variant="soft"),
            ),
            on_submit=B.search_entries,
        ),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k), style=RIGHT if k in keys[2:4] else {})
                                           for k in keys])),
            rx.table.body(rx.foreach(B.entries, _entry_row)),
            width="100%", variant="surface", size="1",
        ),
        rx.cond(B.entry_total == 0, rx.text(t("admin.catalog.no_prices"), size="2", color="var(--gray-11)",
                                            role="status")),
        rx.cond(B.entry_pages > 1, rx.hstack(
            rx.button(t("common.previous"), variant="soft", size="1", disabled=B.entry_page <= 1,
                      on_click=B.entries_page(B.entry_page - 1)),
            rx.text(B.entry_page.to_string() + " / " + B.entry_pages.to_string(), size="2"),
            rx.button(t("common.next"), variant="soft", size="1", disabled=B.entry_page >= B.entry_pages,
                      on_click=B.entries_page(B.entry_page + 1)),
            align="center")),
        rx.form(
            rx.vstack(
                rx.heading(t("admin.catalog.set_price_title"), size="3", as_="h3"),
                rx.grid(
                    field(B.errors, "admin.catalog.product_code", "code",
                          text_input("code", B.entry_code, id_prefix="entry", limit="line_code"), id_prefix="entry"),
                    field(B.errors, "admin.catalog.book_price", "price",
                          text_input("price", B.entry_price, id_prefix="entry", input_mode="decimal",
                                     auto_focus=B.entry_editing),  # after a row's "Change" (remounted by its key)
                          id_prefix="entry"),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%", max_width="560px",
                ),
                submit_button(t("admin.catalog.set_price"), B.busy),
                spacing="3", width="100%",
            ),
            on_submit=B.set_price, key=B.entry_key, width="100%",
        ),
        spacing="3", width="100%",
    )


def _assigned_row(row: rx.Var) -> rx.Component:
    name = row["name"].to(str)
    return rx.table.row(
        rx.table.cell(rx.link(name, href=row["href"].to(str), style=WRAP), data_label=t("admin.invoices.col.company")),
        rx.table.cell(rx.cond(row["in_effect"].to(bool),
                              rx.badge(t("admin.catalog.in_effect"), color_scheme="green", variant="soft"),
                              rx.text(t("admin.catalog.not_in_effect"), size="2", color="var(--gray-11)")),
                      data_label=t("admin.catalog.sets_prices")),
        rx.table.cell(confirm_button(t("admin.catalog.unassign"),
                                     title=t("admin.catalog.unassign_title").replace("{name}", name),
                                     description=t("admin.catalog.unassign_text"),
                                     on_confirm=B.unassign(row["company_id"]), variant="ghost", size="1",
                                     aria_label=t("admin.catalog.unassign_named").replace("{name}", name))),
    )


def _companies() -> rx.Component:
    return rx.vstack(
        rx.flex(rx.heading(t("admin.catalog.book_companies"), size="4", as_="h2"),
                download_link(t("admin.catalog.assignments_csv"), B.csv_href, weight="medium"),
                justify="between", align="center", spacing="3", wrap="wrap", width="100%"),
        rx.text(t("admin.catalog.book_companies_intro"), size="2", color="var(--gray-11)"),
        messages(B, "companies"),
        rx.table.root(
            rx.table.header(rx.table.row(rx.table.column_header_cell(t("admin.invoices.col.company")),
                                         rx.table.column_header_cell(t("admin.catalog.sets_prices")),
                                         rx.table.column_header_cell(t("common.actions")))),
            rx.table.body(rx.foreach(B.assigned, _assigned_row)),
            width="100%", variant="surface", size="1",
        ),
        rx.cond(B.assigned.length() == 0, rx.text(t("admin.catalog.no_companies"), size="2", color="var(--gray-11)")),
        rx.cond(B.assigned_more > 0, rx.text(t("admin.catalog.more_companies").replace(
            "{count}", B.assigned_more.to_string()), size="2")),
        rx.hstack(
            company_search(B, input_id="assign-company", label=t("admin.catalog.assign_to"),
                           clear_label=t("admin.invoices.change_company")),
            rx.button(t("admin.catalog.assign"), on_click=B.assign, disabled=(B.company_value == "") | B.busy),
            spacing="3", align="center", wrap="wrap",
        ),
        spacing="3", width="100%",
    )


def _book() -> rx.Component:
    return rx.vstack(
        _title(B.title, _book_badge(B.state, B.state_label, size="2")),
        messages(B),
        rx.form(
            rx.vstack(_book_fields(B, B.book, id_prefix="book"), submit_button(t("common.save"), B.busy),
                      spacing="3", width="100%"),
            on_submit=B.save, key=B.form_key, width="100%", custom_attrs=warn_unsaved(),
            no_validate=True,  # the server's messages at the fields, not the browser's bubble
        ),
        confirm_button(t("admin.catalog.delete_book"), title=t("admin.catalog.delete_book_title").replace(
            "{name}", B.title), description=t("admin.catalog.delete_book_text"), on_confirm=B.delete_book,
            variant="soft", disabled=B.busy),
        spacing="4", width="100%",
    )


@page(route="/admin/price-books/[id]", title="Price book", access="staff", on_load=[B.load], self_guarded=True)
def admin_price_book_page() -> rx.Component:
    return rx.vstack(
        staff_detail(B, back_key="admin.catalog.all_books", back_href="/admin/price-books",
                     not_found_key="admin.catalog.book_not_found", body=_book()),
        rx.cond(B.found, rx.fragment(
            card(_entries(), csv_import(B, upload_id="prices-csv", intro_key="admin.catalog.prices_csv_intro")),
            card(_companies()),
        )),
        spacing="4", width="100%",
    )
