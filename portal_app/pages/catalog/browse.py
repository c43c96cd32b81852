"""The catalog for customers: products with the company's prices, a product, and the cart."""

import reflex as rx

from ...components.confirm import confirm_button
from ...components.download import download_link
from ...components.forms import field_attrs, field_error, form_alert, notice, pick_to_apply, submission_field, submit_button
from ...components.i18n import t
from ...components.invoice_view import RIGHT
from ...components.limits import max_length
from ...components.shell import WIDE, card, page
from ...components.url_list import filter_bar, list_table
from ...state.catalog.browse import CartState as C
from ...state.catalog.browse import CatalogState as L
from ...state.catalog.browse import ProductState as P
from ...components.live_tick import live_tick

WRAP = {"overflowWrap": "anywhere"}
THUMB = {"width": "48px", "height": "48px", "objectFit": "contain", "borderRadius": "6px",
         "background": "var(--gray-a2)", "flexShrink": 0}


def cart_link(S) -> rx.Component:  # noqa: ANN001
    """"Cart (n)" for those who may shop."""
    return rx.cond(S.may_shop, rx.link(
        rx.icon("shopping_cart", size=16), t("catalog.cart"), " (", S.cart_count.to_string(), ")",
        href="/cart", weight="medium", style={"display": "inline-flex", "gap": "6px", "alignItems": "center"}))


def _lang(item: rx.Var, text: str) -> rx.Var:
    """The language a product's text is in (staff's default where not written in the reader's)."""
    return item["text_lang"][text].to(str)


def _unit(item: rx.Var) -> rx.Component:
    return rx.el.span(item["unit"].to(str), lang=_lang(item, "unit"))


def _price(item: rx.Var) -> rx.Component:
    return rx.cond(item["on_request"].to(bool),
                   rx.text(item["price"].to(str), color="var(--gray-11)", as_="span", style={"fontStyle": "italic"}),
                   rx.text(item["price"].to(str), as_="span", weight="medium"))


# --- /catalog -----------------------------------------------------------------------------------

def _books() -> rx.Component:
    """The price books assigned to the company ("Your price books"), the one in force marked."""
    def row(book: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(book["name"].to(str), data_label=t("catalog.book.name")),
            rx.table.cell(book["currency"].to(str), data_label=t("catalog.book.currency")),
            rx.table.cell(book["valid"].to(str), data_label=t("catalog.book.valid")),
            rx.table.cell(rx.cond(book["in_force"].to(bool),
                                  rx.badge(t("catalog.book.in_force"), color_scheme="green", variant="soft"))),
        )

    return rx.cond(L.books.length() > 0, rx.el.details(
        rx.el.summary(t("catalog.book.title"), style={"cursor": "pointer", "fontWeight": 500}),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(k)) for k in (
                "catalog.book.name", "catalog.book.currency", "catalog.book.valid", "catalog.book.status")])),
            rx.table.body(rx.foreach(L.books, row)),
            variant="surface", size="1", margin_top="8px",
        ),
        style={"width": "100%"},
    ))


def _row(row: rx.Var) -> rx.Component:
    code = row["code"].to(str)
    href = row["href"].to(str)
    return rx.table.row(
        rx.table.cell(rx.hstack(
            rx.cond(row["has_image"].to(bool), rx.image(src=row["image"].to(str), alt="", style=THUMB),
                    rx.center(rx.icon("package", size=20, color="var(--gray-8)"), style=THUMB, aria_hidden="true")),
            rx.link(row["name"].to(str), href=href, weight="medium", style=WRAP, lang=_lang(row, "name")),
            align="center", spacing="3"), data_label=t("catalog.col.name")),
        rx.table.cell(code, data_label=t("catalog.col.code"), style={WIDE: {"whiteSpace": "nowrap"}}),
        rx.table.cell(rx.text(row["category"].to(str), as_="span", lang=_lang(row, "category")),
                      data_label=t("catalog.col.category")),
        rx.table.cell(_price(row), rx.cond(row["unit"].to(str) != "", rx.text(" / ", _unit(row), as_="span",
                                                                              size="1", color="var(--gray-11)")),
                      style=RIGHT, data_label=t("catalog.col.price")),
        rx.table.cell(row["vat"].to(str), style=RIGHT, data_label=t("catalog.col.vat")),
        rx.table.cell(rx.cond(
            L.may_shop,
            # one id for the button and the link that takes its place: the keyboard focus moves from one
            # to the other (assets/focus_kept.js), and a screen reader hears "In cart"
            rx.cond(L.added == code,
                    rx.link(rx.icon("check", size=14), t("catalog.in_cart_short"), href="/cart", size="2",
                            id="cart-add-" + code,
                            style={"display": "inline-flex", "gap": "4px", "alignItems": "center"}),
                    rx.button(t("catalog.add_to_cart"), size="1", variant="soft", on_click=L.add(row["id"].to(int), row["submission_id"].to(str)),
                              id="cart-add-" + code, style={"whiteSpace": "nowrap"},
                              aria_label=t("catalog.add_named").replace("{name}", row["name"].to(str)))),
        )),
        align="center",
    )


@page(route="/catalog", title="Catalog", on_load=[L.load], self_guarded=True)
def catalog_page() -> rx.Component:
    category = rx.hstack(
        rx.el.label(t("catalog.col.category"), html_for="catalog-category",
                    style={"fontSize": "14px", "fontWeight": 500, "whiteSpace": "nowrap", "flexShrink": 0}),
        rx.el.select(rx.el.option(t("catalog.any_category"), value=""),
                     rx.foreach(L.categories, lambda c: rx.el.option(c["label"], value=c["value"])),
                     id="catalog-category", value=L.category, on_change=L.set_category, custom_attrs=pick_to_apply(),
                     style={"padding": "4px 8px", "maxWidth": "100%", "minWidth": 0}),
        align="center", spacing="2", wrap="wrap",
    )
    return card(
        rx.flex(
            rx.heading(t("catalog.title"), size="6", as_="h1"),
            rx.spacer(),
            rx.hstack(
                download_link(t("catalog.price_list"), "/api/catalog/price-list.csv"),
                cart_link(L),
                spacing="5", align="center", wrap="wrap",
            ),
            spacing="4", align="center", wrap="wrap", width="100%",
        ),
        rx.text(rx.cond(L.price_book != "", t("catalog.prices_from").replace("{book}", L.price_book),
                        t("catalog.list_prices")), size="2", color="var(--gray-11)"),
        _books(),
        form_alert(L.errors),
        filter_bar(L, statuses=(), status_key="", search_key="catalog.search", extra=category),
        list_table(L, _row, none_key="catalog.none_yet", none_match_key="catalog.none_match",
                   extra_header=rx.table.column_header_cell(rx.cond(L.may_shop, t("common.actions"), ""),
                                                            style={"width": "1%", "whiteSpace": "nowrap"})),
    )


def quantity_keyboard(whole_units: rx.Var) -> rx.Var:
    """A phone's keyboard for a quantity: digits only for a product sold in whole units, else with
    the decimal separator."""
    return rx.cond(whole_units.to(bool), "numeric", "decimal")


# --- /catalog/<code> ------------------------------------------------------------------------------

@page(route="/catalog/[code]", title="Product", on_load=[P.load], self_guarded=True,
      tab_title=rx.cond(P.found, P.product["name"].to(str), ""))
def product_page() -> rx.Component:
    item = P.product
    add_form = rx.form(
        rx.hstack(
            rx.box(
                rx.el.label(t("catalog.quantity"), html_for="product-quantity",
                            style={"fontWeight": 500, "fontSize": "14px", "display": "block"}),
                rx.input(id="product-quantity", name="quantity", default_value="1",
                         input_mode=quantity_keyboard(item["whole_units"]),
                         max_length=max_length("catalog", "quantity"), width="100px", aria_describedby="quantity-error",
                         aria_invalid=P.errors.contains("quantity")),
            ),
            submit_button(t("catalog.add_to_cart"), P.busy),
            align="end", spacing="3",
        ),
        submission_field(P.submission_id),
        field_error(P.errors, "quantity"),
        on_submit=P.add,
    )
    return card(
        rx.hstack(rx.link(t("catalog.back"), href="/catalog"), rx.spacer(), cart_link(P), width="100%"),
        rx.cond(
            P.found,
            rx.flex(
                rx.cond(item["has_image"].to(bool),
                        rx.image(src=item["image"].to(str), alt=item["name"].to(str),
                                 style={"width": "240px", "maxWidth": "100%", "objectFit": "contain",
                                        "borderRadius": "8px", "background": "var(--gray-a2)"})),
                rx.vstack(
                    rx.heading(item["name"].to(str), size="6", as_="h1", style=WRAP, lang=_lang(item, "name")),
                    rx.text(t("catalog.col.code"), ": ", item["code"].to(str), size="2", color="var(--gray-11)"),
                    rx.cond(item["category"].to(str) != "", rx.text(item["category"].to(str), size="2",
                                                                    lang=_lang(item, "category"))),
                    rx.hstack(rx.text(_price(item), size="5"),
                              rx.cond(item["unit"].to(str) != "", rx.text("/ ", _unit(item), size="2")),
                              rx.text(t("catalog.vat_excluded").replace("{rate}", item["vat"].to(str)), size="2",
                                      color="var(--gray-11)"),
                              align="baseline", spacing="2", wrap="wrap"),
                    rx.cond(~item["orderable"].to(bool), rx.badge(t("catalog.price.quote_only"), variant="soft")),
                    rx.cond(P.description != "", rx.text(P.description, style={"whiteSpace": "pre-wrap", **WRAP},
                                                         lang=_lang(item, "description"))),
                    notice(P.notice),
                    form_alert(P.errors),
                    rx.cond(P.in_cart != "", rx.link(P.in_cart, href="/cart", size="2")),
                    rx.cond(P.may_shop, add_form),
                    spacing="3", style={"minWidth": 0, "flex": 1},
                ),
                spacing="5", width="100%", direction=rx.breakpoints(initial="column", sm="row"),
            ),
            rx.cond(P.missing, rx.heading(t("catalog.not_found"), size="6", as_="h1")),
        ),
    )


# --- /cart ---------------------------------------------------------------------------------------

def _cart_row(line: rx.Var) -> rx.Component:
    pid = line["product_id"].to(int)
    key = pid.to_string()
    input_id = "qty-" + key
    return rx.table.row(
        rx.table.cell(rx.link(line["name"].to(str), href=line["href"].to(str), style=WRAP),
                      rx.text(line["code"].to(str), size="1", color="var(--gray-11)"),
                      rx.cond(~line["available"].to(bool), rx.text(t("catalog.unavailable"), size="1",
                                                                   color="var(--red-11)")),
                      rx.cond(~line["orderable"].to(bool), rx.badge(t("catalog.price.quote_only"), variant="soft", size="1")),
                      data_label=t("catalog.col.name")),
        rx.table.cell(
            # saved when the field is left, or on Enter (the field's own little form; the line's product
            # goes in the form: a form's submit handler is made outside the rows, so it cannot name it)
            rx.form(rx.el.input(type="hidden", name="product_id", value=key),
                    rx.hstack(
                        rx.input(id=input_id, name="quantity", default_value=line["quantity"].to(str),
                                 key=line["quantity"].to(str),
                                 aria_label=t("catalog.quantity_of").replace("{name}", line["name"].to(str)),
                                 input_mode=quantity_keyboard(line["whole_units"]),
                                 max_length=max_length("catalog", "quantity"), width="90px", flex_shrink="0",
                                 on_blur=lambda value: C.set_quantity(pid, value),
                                 **field_attrs(C.line_errors, key, error_id="qty-" + key + "-error")),
                        rx.text(line["unit"].to(str), size="2", color="var(--gray-11)", style=WRAP),
                        align="center", spacing="2"),
                    on_submit=C.save_quantity),
            rx.cond(C.line_errors.contains(key), rx.text(C.line_errors[key], size="1", color="var(--red-11)",
                                                         role="alert", id="qty-" + key + "-error"),
                    rx.cond(line["part_unit"].to(str) != "",
                            rx.text(line["part_unit"].to(str), size="1", color="var(--red-11)"))),
            data_label=t("catalog.quantity")),
        rx.table.cell(line["unit_price"].to(str), style=RIGHT, data_label=t("catalog.unit_price")),
        rx.table.cell(line["vat"].to(str), style=RIGHT, data_label=t("catalog.col.vat")),
        rx.table.cell(line["net"].to(str), style=RIGHT, data_label=t("catalog.line_total")),
        rx.table.cell(rx.button(t("catalog.remove"), size="1", variant="ghost", color_scheme="red",
                                on_click=C.remove(pid),
                                aria_label=t("catalog.remove_named").replace("{name}", line["name"].to(str)))),
    )


def _pairs(rows: rx.Var) -> rx.Component:
    def pair(item: rx.Var) -> rx.Component:
        weight = rx.cond(item["strong"].to(bool), "600", "400")
        return rx.fragment(rx.el.dt(item["label"].to(str), style={"fontWeight": weight}),
                           rx.el.dd(item["value"].to(str), style={"margin": 0, "fontWeight": weight, **RIGHT}))

    return rx.el.dl(rx.foreach(rows, pair), style={"display": "grid", "gridTemplateColumns": "1fr max-content",
                                                  "gap": "4px 24px", "margin": "0 0 0 auto",
                                                  "minWidth": "min(320px, 100%)"})


def _send_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.box(
                rx.el.label(t("catalog.message"), html_for="cart-message", style={"fontWeight": 500, "fontSize": "14px"}),
                rx.text_area(id="cart-message", name="message", rows="3", max_length=max_length("catalog", "message"),
                             width="100%", **field_attrs(C.errors, "message")),
                field_error(C.errors, "message"),
                width="100%",
            ),
            rx.box(
                rx.el.label(t("catalog.wanted_delivery"), html_for="cart-wanted",
                            style={"fontWeight": 500, "fontSize": "14px", "display": "block"}),
                rx.input(id="cart-wanted", name="wanted_delivery_date", type="date", width="200px",
                         max_length=max_length("catalog", "wanted_delivery_date"),
                         **field_attrs(C.errors, "wanted_delivery_date")),
                field_error(C.errors, "wanted_delivery_date"),
            ),
            submission_field(C.submission_id),
            form_alert(C.errors),
            # both send this form; the button pressed says which (its click is handled first)
            rx.hstack(
                rx.cond(C.may_request_quote, submit_button(t("catalog.request_quote"), C.busy,
                                                           on_click=C.choose("quote"))),
                # an order is binding: asked first (a quote request is not)
                rx.cond(C.may_order, confirm_button(
                    t("catalog.place_order"), title=t("catalog.confirm_order"),
                    description=t("catalog.confirm_order_text"),
                    submits="cart-send", on_confirm=C.choose("order"), confirm_label=t("catalog.place_order"),
                    color_scheme="blue", variant="soft", disabled=C.busy)),
                spacing="3", wrap="wrap",
            ),
            # no button at all: a withdrawn line or a part of a whole unit stops both, said at its line
            rx.cond(C.may_shop & ~C.may_request_quote & (C.lines.length() > 0),
                    rx.text(t("catalog.cart_blocked_note"), size="2", color="var(--red-11)", id="cart-blocked")),
            rx.cond(~C.may_order & (C.quote_only != ""),
                    rx.text(t("catalog.quote_only_note").replace("{codes}", C.quote_only), size="2",
                            color="var(--gray-11)")),
            spacing="3", width="100%",
        ),
        on_submit=C.send,
        id="cart-send",
        no_validate=True,  # the server's messages at the fields, not the browser's bubble
        width="100%",
    )


@page(route="/cart", title="Cart", on_load=[C.load], self_guarded=True)
def cart_page() -> rx.Component:
    keys = ["catalog.col.name", "catalog.quantity", "catalog.unit_price", "catalog.col.vat", "catalog.line_total"]
    return card(
        rx.hstack(rx.link(t("catalog.back"), href="/catalog"), width="100%"),
        rx.heading(t("catalog.cart"), size="6", as_="h1"),
        rx.cond(C.loaded & (C.lines.length() == 0),
                rx.hstack(rx.text(t("catalog.cart_empty"), color="var(--gray-11)", role="status"),
                          rx.link(t("catalog.browse"), href="/catalog"), spacing="3", wrap="wrap")),
        rx.cond(C.lines.length() > 0, rx.vstack(
            rx.text(rx.cond(C.price_book != "", t("catalog.prices_from").replace("{book}", C.price_book),
                            t("catalog.list_prices")), size="2", color="var(--gray-11)"),
            rx.table.root(
                rx.table.header(rx.table.row(
                    *[rx.table.column_header_cell(t(k), style=RIGHT if n >= 2 else {}) for n, k in enumerate(keys)],
                    rx.table.column_header_cell(t("common.actions")))),
                rx.table.body(rx.foreach(C.lines, _cart_row)),
                width="100%", variant="surface", size="1",
            ),
            rx.text(t("catalog.quantity_hint"), size="1", color="var(--gray-11)"),
            rx.cond(C.on_request, rx.callout(t("catalog.on_request_note"), icon="info", size="1")),
            rx.box(_pairs(C.amounts), width="100%", id="cart-amounts"),
            rx.heading(t("catalog.send_title"), size="4", as_="h2"),
            _send_form(),
            spacing="4", width="100%",
        )),
        live_tick(C.tick, 3000),
    )
