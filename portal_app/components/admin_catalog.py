"""Pieces of staff's catalog pages: labelled fields with their errors, the product form, a CSV
import with its row-by-row report, and the answer form of a quote."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ..services.catalog.catalog_rules import CSV_MAX_BYTES, IMAGE_MAX_BYTES, TEXT_LIMITS
from ..services.money import CURRENCIES
from ..state.catalog.admin_documents import AdminQuoteState as Q
from .admin_nav import admin_nav, admin_top, panel_title
from .forms import SELECT, field_attrs, field_error, form_alert, notice, submission_field, submit_button
from .i18n import t
from .shell import NARROW, card
from .upload import _label_file_input, zone_face

LABEL = {"fontWeight": 500, "fontSize": "14px"}
SMALL_LABEL = {"fontWeight": 500, "fontSize": "12px", "color": "var(--gray-11)"}
WRAP = {"overflowWrap": "anywhere"}
# what the fields accept (the services' limits); amounts as typed ("1 240,50"), dates as the date input sends them
LIMITS = {**TEXT_LIMITS, "list_price": 30, "price": 30, "amount": 30, "quantity": 30, "unit_price": 30,
          "vat_rate": 8, "discount": 8, "probability": 3, "date": 10, "line_code": TEXT_LIMITS["code"]}


def messages(S, at: str = "") -> rx.Component:  # noqa: ANN001
    """The state's notice and top error where the last action was (`S.notice_at`)."""
    return rx.cond(S.notice_at == at, rx.fragment(notice(S.notice), form_alert(S.errors)))


def staff_top(section_key: str, intro_key: str, S) -> tuple[rx.Component, ...]:  # noqa: ANN001
    """The top of a catalog page of the admin panel: title, tabs, the section's heading and intro,
    and the messages of actions taken at the top."""
    return (*admin_top(section_key, intro_key, S)[:4], messages(S))


def staff_detail(S, *, back_key: str, back_href: str, not_found_key: str,  # noqa: ANN001
                 body: rx.Component) -> rx.Component:
    """A page of one thing in the admin panel: title, tabs, the way back, and the thing (`S.found`)
    or "not found" (`S.missing`)."""
    return card(
        panel_title(),
        admin_nav(back_href),
        rx.link(t(back_key), href=back_href),
        rx.cond(S.found, body, rx.cond(S.missing, rx.heading(t(not_found_key), size="5", as_="h1", role="status"))),
    )


def field(errors: rx.Var, label_key: str, name: str, control: rx.Component, *, id_prefix: str,
          hint_key: str = "") -> rx.Component:
    """A label bound to its control (`<id_prefix>-<name>`), a hint under it, and the field's error.

    A control tied to this field's message (`text_input`, `select`) is marked invalid with it."""
    if str(control.custom_attrs.get("aria-describedby", "")).startswith(f"{name}-error"):
        control.custom_attrs["aria-invalid"] = rx.cond(errors.contains(name), "true", "false")
    return rx.box(
        rx.el.label(t(label_key), html_for=f"{id_prefix}-{name}", style=LABEL),
        control,
        rx.text(t(hint_key), size="1", color="var(--gray-11)", id=f"{name}-hint") if hint_key else rx.fragment(),
        field_error(errors, name),
        display="flex", flex_direction="column", gap="4px", min_width="0", width="100%",
    )


def text_input(name: str, value: Any, *, id_prefix: str, limit: str = "", **props: Any) -> rx.Component:
    described = f"{name}-error {name}-hint" if props.pop("hinted", False) else f"{name}-error"
    return rx.input(id=f"{id_prefix}-{name}", name=name, default_value=value, width="100%",
                    max_length=LIMITS[limit or name], aria_describedby=described, **props)


def select(name: str, value: Any, options: list[rx.Component] | rx.Component, *, id_prefix: str) -> rx.Component:
    return rx.el.select(*(options if isinstance(options, list) else [options]), id=f"{id_prefix}-{name}", name=name,
                        default_value=value, aria_describedby=f"{name}-error", style=SELECT)


def currency_select(value: Any, *, id_prefix: str) -> rx.Component:
    return select("currency", value, [rx.el.option(c, value=c) for c in CURRENCIES], id_prefix=id_prefix)


def checkbox(label_key: str, name: str, value: Any, *, id_prefix: str, errors: rx.Var | None = None) -> rx.Component:
    """A ticked box and its words; with `errors`, tied to the field's message (`field_error`)."""
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, id=f"{id_prefix}-{name}", default_checked=value,
                    **(field_attrs(errors, name) if errors is not None else {})),
        rx.text(t(label_key), as_="span", size="2"),
        style={"display": "inline-flex", "gap": "6px", "alignItems": "center"},
    )


def grid(*children: rx.Component, columns: str = "2") -> rx.Component:
    return rx.grid(*children, columns=rx.breakpoints(initial="1", sm=columns), spacing="3", width="100%")


def product_fields(S, values: rx.Var | None, *, id_prefix: str, description: bool) -> rx.Component:  # noqa: ANN001
    """The product's fields; `values` the product (`ProductForm`), None for a new one (the defaults)."""
    def value(name: str, default: rx.Var | str = "") -> rx.Var | str:
        return default if values is None else values[name].to(str)

    category = select("category_id", value("category_id"), [
        rx.el.option(t("admin.catalog.no_category"), value=""),
        rx.foreach(S.categories, lambda c: rx.el.option(c["label"], value=c["value"]))], id_prefix=id_prefix)
    return rx.vstack(
        grid(
            field(S.errors, "catalog.col.code", "code", text_input("code", value("code"), id_prefix=id_prefix,
                                                                     hinted=True),
                  id_prefix=id_prefix, hint_key="admin.catalog.code_hint"),
            field(S.errors, "admin.catalog.name", "name", text_input("name", value("name"), id_prefix=id_prefix),
                  id_prefix=id_prefix),
            field(S.errors, "catalog.col.category", "category_id", category, id_prefix=id_prefix),
            field(S.errors, "admin.catalog.unit", "unit", text_input("unit", value("unit"), id_prefix=id_prefix,
                                                                     placeholder="pcs"), id_prefix=id_prefix),
        ),
        grid(
            field(S.errors, "admin.catalog.list_price", "list_price",
                  text_input("list_price", value("list_price"), id_prefix=id_prefix, input_mode="decimal"),
                  id_prefix=id_prefix),
            field(S.errors, "admin.catalog.currency", "currency", currency_select(value("currency", "EUR"),
                                                                                   id_prefix=id_prefix),
                  id_prefix=id_prefix),
            field(S.errors, "catalog.col.vat", "vat_rate",
                  text_input("vat_rate", value("vat_rate", t("number.default_vat")), id_prefix=id_prefix,
                             input_mode="decimal"),
                  id_prefix=id_prefix),
            columns="3",
        ),
        checkbox("admin.catalog.orderable", "orderable",
                 True if values is None else values["orderable"].to(bool), id_prefix=id_prefix, errors=S.errors),
        rx.text(t("admin.catalog.orderable_hint"), size="1", color="var(--gray-11)"),
        field_error(S.errors, "orderable"),
        checkbox("admin.catalog.whole_units", "whole_units",
                 True if values is None else values["whole_units"].to(bool), id_prefix=id_prefix, errors=S.errors),
        rx.text(t("admin.catalog.whole_units_hint"), size="1", color="var(--gray-11)"),
        field_error(S.errors, "whole_units"),
        field(S.errors, "admin.catalog.description", "description",
              rx.text_area(id=f"{id_prefix}-description", name="description", default_value=value("description"),
                           rows="5", width="100%", max_length=LIMITS["description"],
                           **field_attrs(S.errors, "description")),
              id_prefix=id_prefix) if description else rx.fragment(),
        spacing="3", width="100%",
    )


# --- uploads -------------------------------------------------------------------------------------------

def drop_zone(upload_id: str, label_key: str, text_key: str, on_drop: Any, accept: dict[str, list[str]],
              max_mb: int, choose_key: str) -> rx.Component:
    """A drop zone for one file (click to choose), named by `label_key`; its file input by `choose_key`."""
    return rx.box(
        rx.text(t(label_key), id=f"{upload_id}-label", weight="medium", size="2"),
        _label_file_input(rx.upload.root(
            zone_face(t(text_key).replace("{max}", str(max_mb))),
            id=upload_id, multiple=False, max_files=1, accept=accept, role="group",
            aria_labelledby=f"{upload_id}-label", on_drop=on_drop, width="100%",
        ), t(choose_key)),
        display="flex", flex_direction="column", gap="6px", width="100%",
    )


CSV_ACCEPT = {"text/csv": [".csv"], "application/vnd.ms-excel": [".csv"], "text/plain": [".csv", ".txt"]}
IMAGE_ACCEPT = {"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "image/webp": [".webp"], "image/gif": [".gif"]}


def _report_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["row"].to_string(), data_label=t("admin.catalog.report_row")),
        rx.table.cell(rx.cond(row["column"].to(str) != "", rx.code(row["column"].to(str), variant="ghost"), "—"),
                      data_label=t("admin.catalog.report_column")),
        rx.table.cell(rx.text(row["message"].to(str), style=WRAP), data_label=t("admin.catalog.report_problem")),
    )


def csv_import(S, *, upload_id: str, intro_key: str) -> rx.Component:  # noqa: ANN001
    """"Import from CSV": a file dropped or chosen is imported at once, all or nothing, and the
    report says what was done, or each bad row's line, column and problem."""
    return rx.vstack(
        rx.heading(t("admin.catalog.import_title"), size="3", as_="h2"),
        rx.text(t(intro_key), size="2", color="var(--gray-11)", style=WRAP),
        drop_zone(upload_id, "admin.catalog.csv_file", "admin.catalog.csv_drop",
                  S.import_csv(rx.upload_files_chunk(upload_id=upload_id)), CSV_ACCEPT, CSV_MAX_BYTES // 2**20,
                  "admin.catalog.csv_choose"),
        rx.cond(S.importing, rx.hstack(rx.spinner(size="1"), rx.text(t("admin.catalog.importing"), size="2"),
                                       role="status", align="center")),
        rx.cond(S.report_text != "", rx.cond(
            S.report_ok,
            rx.callout(S.report_text, icon="check", color_scheme="green", role="status", id=f"{upload_id}-result",
                       width="100%"),
            rx.callout(S.report_text, icon="triangle_alert", color_scheme="red", role="alert",
                       id=f"{upload_id}-result", width="100%"))),
        # the title a heading above the table, not its caption: on phones the table's parts become cards
        # (shell.TABLES) and a caption was squeezed one letter a line; the region keeps the table named
        rx.cond(S.report.length() > 0, rx.box(
            rx.heading(t("admin.catalog.report_title"), size="2", as_="h3", id=f"{upload_id}-report-title",
                       margin_bottom="6px"),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k)) for k in (
                    "admin.catalog.report_row", "admin.catalog.report_column", "admin.catalog.report_problem")])),
                rx.table.body(rx.foreach(S.report, _report_row)),
                width="100%", variant="surface", size="1",
            ),
            role="region", aria_labelledby=f"{upload_id}-report-title", width="100%",
        )),
        spacing="3", width="100%",
    )


def image_upload(S) -> rx.Component:  # noqa: ANN001
    """The product's picture: shown, replaced by dropping another, removed (asked first)."""
    from .confirm import confirm_button

    return rx.vstack(
        rx.heading(t("admin.catalog.picture"), size="3", as_="h2"),
        rx.cond(S.image != "",
                rx.image(src=S.image, alt=S.title, id="product-picture",
                         style={"maxWidth": "min(240px, 100%)", "maxHeight": "240px", "objectFit": "contain",
                                "borderRadius": "8px", "background": "var(--gray-a2)"}),
                rx.text(t("admin.catalog.no_picture"), size="2", color="var(--gray-11)")),
        drop_zone("product-image", "admin.catalog.picture_file", "admin.catalog.picture_drop",
                  S.upload_image(rx.upload_files_chunk(upload_id="product-image")), IMAGE_ACCEPT,
                  IMAGE_MAX_BYTES // 2**20, "admin.catalog.picture_choose"),
        rx.cond(S.image_busy, rx.hstack(rx.spinner(size="1"), rx.text(t("admin.catalog.uploading"), size="2"),
                                        role="status", align="center")),
        rx.cond(S.image_error != "", rx.text(S.image_error, color="var(--red-11)", size="2", role="alert",
                                             id="image-error")),
        rx.cond(S.image != "", confirm_button(
            t("admin.catalog.remove_picture"), title=t("admin.catalog.remove_picture_title"),
            description=t("admin.catalog.remove_picture_text"), on_confirm=S.remove_image, variant="soft",
            size="1")),
        spacing="3", width="100%", align="start",
    )


# --- the answer form of a quote ------------------------------------------------------------------------

# a line's fields: the name wide; code, unit, quantity, price, discount and VAT narrower; on phones two a row
LINE_GRID = {"display": "grid", "gap": "8px 10px", "width": "100%", "alignItems": "start",
             "gridTemplateColumns": "minmax(0, 3fr) minmax(0, 1.3fr) minmax(0, 0.8fr) minmax(0, 1fr) "
                                    "minmax(0, 1.2fr) minmax(0, 0.9fr) minmax(0, 0.9fr) auto",
             NARROW: {"gridTemplateColumns": "minmax(0, 1fr) minmax(0, 1fr)"}}
LINE_INPUTS = (("name", "admin.catalog.line_name", "line_name", False),
               ("code", "catalog.col.code", "line_code", False),
               ("unit", "admin.catalog.unit", "unit", False), ("quantity", "catalog.quantity", "quantity", True),
               ("unit_price", "catalog.unit_price", "unit_price", True),
               ("discount", "admin.catalog.discount_pct", "discount", True),
               ("vat_rate", "catalog.col.vat", "vat_rate", True))


def _line_input(line: rx.Var, field_name: str, label_key: str, limit: str, decimal: bool) -> rx.Component:
    name = "line_" + line["key"].to_string() + f"_{field_name}"
    return rx.box(
        rx.el.label(t(label_key), html_for=name, style=SMALL_LABEL),
        rx.input(id=name, name=name, default_value=line[field_name].to(str), width="100%", size="2",
                 max_length=LIMITS[limit], aria_describedby=name + "-error",
                 input_mode="decimal" if decimal else None,
                 aria_invalid=rx.cond(Q.errors.contains(name), "true", "false")),
        rx.cond(Q.errors.contains(name),
                rx.text(Q.errors[name].to(str), color="var(--red-11)", size="1", id=name + "-error", role="alert")),
        display="flex", flex_direction="column", gap="2px", min_width="0",
        style={NARROW: {"gridColumn": "1 / -1"}} if field_name == "name" else {},
    )


def _answer_line(line: rx.Var) -> rx.Component:
    """One line as a group ("Line 2"); a removed line is gone (the others' inputs stay where they are)."""
    return rx.cond(
        line["removed"].to(bool),
        rx.fragment(),
        rx.el.fieldset(
            rx.el.legend(t("admin.catalog.line_n").replace("{n}", line["n"].to_string()),
                         style={"fontWeight": 600, "fontSize": "13px", "padding": "0 4px"}),
            rx.el.div(
                *[_line_input(line, *spec) for spec in LINE_INPUTS],
                rx.button(t("admin.catalog.remove_line"), type="button", variant="ghost", color_scheme="red", size="1",
                          on_click=Q.remove_line(line["key"].to(int)),
                          style={"alignSelf": "end", "marginBottom": "6px", "whiteSpace": "nowrap"}),
                style=LINE_GRID,
            ),
            style={"border": "1px solid var(--gray-6)", "borderRadius": "8px", "padding": "8px 12px 10px",
                   "margin": 0, "minWidth": 0, "width": "100%"},
        ),
    )


def answer_form() -> rx.Component:
    """Staff's answer: the lines (prices, discounts), the last day, a message, "Send quote"."""
    return rx.form(
        rx.vstack(
            rx.heading(t("admin.catalog.answer_title"), size="4", as_="h2"),
            rx.text(Q.price_note, " ", t("admin.catalog.answer_hint"), size="2", color="var(--gray-11)"),
            rx.foreach(Q.answer_lines, _answer_line),
            field_error(Q.errors, "lines"),
            rx.button(rx.icon("plus", size=14), t("admin.catalog.add_line"), type="button", variant="soft", size="2",
                      on_click=Q.add_line),
            grid(
                field(Q.errors, "admin.catalog.expires_on", "expires_on",
                      text_input("expires_on", Q.expires_on, id_prefix="answer", limit="date", type="date",
                                 hinted=True),
                      id_prefix="answer", hint_key="admin.catalog.expires_hint"),
            ),
            field(Q.errors, "admin.catalog.answer_message", "answer",
                  rx.text_area(id="answer-answer", name="answer", default_value=Q.answer_text, rows="3", width="100%",
                               max_length=LIMITS["answer"], **field_attrs(Q.errors, "answer")),
                  id_prefix="answer"),
            submission_field(Q.submission_id),
            submit_button(t("admin.catalog.send_quote"), Q.busy),
            spacing="3", width="100%",
        ),
        on_submit=Q.send,
        key=Q.form_key,
        no_validate=True,  # the server's messages at the fields, not the browser's bubble
        width="100%",
    )
