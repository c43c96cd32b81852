"""Admin panel: portal settings."""

import reflex as rx

from ..components.admin_catalog import IMAGE_ACCEPT, drop_zone
from ..components.admin_nav import admin_nav, panel_title
from ..components.forms import field_attrs, field_error, form_alert, notice, submit_button, warn_unsaved
from ..components.i18n import t
from ..components.limits import max_length
from ..components.shell import ELLIPSIS, card, page
from ..i18n import DEFAULT_LANGUAGE, available_languages
from ..services.invoices.invoice_rules import SELLER_FIELDS
from ..services.portal import branding
from ..services.portal.config import translated_field
from ..state.admin_settings import AdminSettingsState

S = AdminSettingsState


def _module_toggle(row: rx.Var) -> rx.Component:
    box_id = "module-" + row["key"].to(str)
    return rx.hstack(
        rx.el.input(type="checkbox", id=box_id, checked=row["enabled"].to(bool),
                    on_change=lambda checked: S.toggle_module(row["key"].to(str), checked)),
        rx.el.label(row["label"].to(str), html_for=box_id),
        rx.cond(~row["has_page"].to(bool), rx.text("(" , t("module.not_built"), ")", size="1",
                                                     color="var(--gray-11)")),
        align="center",
    )


def _input(label_key: str, name: str, *, textarea: bool = False, type: str = "text") -> rx.Component:
    input_id = f"settings-{name}"
    control = (
        rx.text_area(id=input_id, name=name, default_value=S.values[name].to(str), rows="6", width="100%",
                     max_length=max_length("settings", name), **field_attrs(S.errors, name))
        if textarea else
        rx.input(id=input_id, name=name, type=type, default_value=S.values[name].to(str), width="100%",
                 max_length=max_length("settings", name), **field_attrs(S.errors, name))
    )
    return rx.box(
        rx.el.label(t(label_key), html_for=input_id, style={"fontWeight": 500, "fontSize": "14px"}),
        control,
        field_error(S.errors, name),
        display="flex", flex_direction="column", gap="4px", width="100%",
    )


def _logo() -> rx.Component:
    """The logo: a picture uploaded here (stored by the portal, at once), or the address of one hosted
    elsewhere (saved with the form); the address field is drawn again alone when an upload sets it."""
    return rx.vstack(
        rx.box(_input("admin.logo_url", "logo_url"), key=S.values["logo_url"].to(str), width="100%"),
        drop_zone("logo-upload", "admin.logo_upload", "admin.logo_drop",
                  S.upload_logo(rx.upload_files_chunk(upload_id="logo-upload")), IMAGE_ACCEPT,
                  branding.LOGO_MAX_BYTES // 2**20, "admin.logo_choose"),
        rx.cond(S.logo_busy, rx.hstack(rx.spinner(size="1"), rx.text(t("admin.logo_checking"), size="2"),
                                       role="status", align="center")),
        rx.cond(S.logo_error != "", rx.text(S.logo_error, color="var(--red-11)", size="2", role="alert")),
        rx.cond(S.logo_notice != "", rx.text(S.logo_notice, color="var(--green-11)", size="2", role="status")),
        rx.cond(S.values["logo_url"].to(str) != "",
                rx.button(t("admin.logo_remove"), type="button", variant="soft", color_scheme="red", size="1",
                          on_click=S.remove_logo)),
        spacing="2", width="100%",
    )


def _color_input() -> rx.Component:
    """The menu colour: a colour picker that fills the #RRGGBB text field (the value sent)."""
    return rx.box(
        rx.el.label(t("admin.menu_color"), html_for="settings-menu_color", style={"fontWeight": 500, "fontSize": "14px"}),
        rx.hstack(
            rx.el.input(type="color", default_value=S.values["menu_color"].to(str),
                        aria_label=t("admin.menu_color_picker"),
                        on_change=lambda value: rx.set_value("settings-menu_color", value),
                        style={"width": "48px", "height": "32px", "padding": "0", "border": "none",
                               "background": "none", "cursor": "pointer"}),
            rx.input(id="settings-menu_color", name="menu_color", default_value=S.values["menu_color"].to(str),
                     width="120px", max_length=max_length("settings", "menu_color"), placeholder="#1f4e79",
                     **field_attrs(S.errors, "menu_color")),
            align="center",
        ),
        field_error(S.errors, "menu_color"),
        display="flex", flex_direction="column", gap="4px", width="100%",
    )


def _link_row(link: rx.Var) -> rx.Component:
    index = link["index"].to(int)
    title_name = "link_title_" + index.to_string()
    url_name = "link_url_" + index.to_string()
    return rx.hstack(
        rx.box(
            rx.input(name=title_name, default_value=link["title"].to(str), aria_label=t("admin.link_title"),
                     placeholder=t("admin.link_title"), max_length=max_length("settings", "link_title"),
                     **field_attrs(S.errors, title_name, error_id=title_name + "-error")),
            field_error(S.errors, title_name, error_id=title_name + "-error"),
        ),
        rx.box(
            rx.input(name=url_name, default_value=link["url"].to(str), aria_label=t("admin.link_url"),
                     placeholder="https://", width="320px",
                     max_length=max_length("settings", "link_url"),
                     **field_attrs(S.errors, url_name, error_id=url_name + "-error")),
            field_error(S.errors, url_name, error_id=url_name + "-error"),
        ),
        rx.button(t("admin.remove_link"), type="button", variant="soft", color_scheme="red", size="1",
                  on_click=S.remove_link(link["uid"].to(int))),
        align="start", wrap="wrap",  # on a phone the button goes under the fields, not past the card's edge
        key=link["uid"].to(int),
        style={"& input": {"maxWidth": "100%"}, "& > div": {"maxWidth": "100%"}},
    )


def _translated_input(label_key: str, name: str, lang: str, lang_name: str, *, textarea: bool = False) -> rx.Component:
    """A text in another language than the default: empty, the default language's text shows (the placeholder)."""
    field = translated_field(name, lang)
    input_id = f"settings-{field}"
    common = {"id": input_id, "name": field, "default_value": S.translated[lang][name].to(str), "width": "100%",
              "placeholder": S.values[name].to(str), "max_length": max_length("settings", name),
              "lang": lang, **field_attrs(S.errors, field)}
    control = rx.text_area(rows="6", **common) if textarea else rx.input(**common)
    return rx.box(
        rx.el.label(t(label_key), f" ({lang_name})", html_for=input_id, style={"fontWeight": 500, "fontSize": "14px"}),
        control,
        field_error(S.errors, field),
        display="flex", flex_direction="column", gap="4px", width="100%",
    )


def _translated_link_title(link: rx.Var, lang: str, lang_name: str) -> rx.Component:
    index = link["index"].to(int)
    field = "link_title_" + index.to_string() + f"_{lang}"
    input_id = "settings-" + field
    default_title = link["title"].to(str)
    return rx.box(
        rx.el.label(t("admin.link_title"), " ", (index + 1).to_string(), f" ({lang_name})", html_for=input_id,
                    style={"fontWeight": 500, "fontSize": "14px"}),
        rx.hstack(
            rx.input(id=input_id, name=field, default_value=link["titles"][lang].to(str), placeholder=default_title,
                     lang=lang, max_length=max_length("settings", "link_title"), width="min(320px, 100%)",
                     **field_attrs(S.errors, field, error_id=field + "-error")),
            rx.text(default_title, " · ", link["url"].to(str), size="1", color="var(--gray-11)", style=ELLIPSIS,
                    title=link["url"].to(str)),
            align="center", width="100%", style={"minWidth": 0, "flexWrap": "wrap"},
        ),
        field_error(S.errors, field, error_id=field + "-error"),
        display="flex", flex_direction="column", gap="4px", width="100%",
        key=link["uid"].to(int),
    )


def _seller_input(name: str) -> rx.Component:
    """A field of the seller printed on invoices (one line; its limit is the service's)."""
    field = f"seller_{name}"
    input_id = f"settings-{field}"
    return rx.box(
        rx.el.label(t(f"admin.invoices.seller_{name}"), html_for=input_id, style={"fontWeight": 500, "fontSize": "14px"}),
        rx.input(id=input_id, name=field, default_value=S.seller[name].to(str), width="100%",
                 max_length=max_length("settings", field), **field_attrs(S.errors, field)),
        field_error(S.errors, field),
        display="flex", flex_direction="column", gap="4px", width="100%", min_width="0",
    )


def _language_tab(code: str, name: str) -> rx.Component:
    label = rx.el.span(name, " (", t("admin.default_language"), ")") if code == DEFAULT_LANGUAGE else rx.el.span(name)
    return rx.tabs.trigger(
        label,
        rx.cond(S.error_langs.contains(code),
                rx.el.span("\u00a0(", t("admin.tab_has_errors"), ")", style={"color": "var(--red-11)"})),
        value=code,
    )


def _language_texts(code: str, name: str) -> rx.Component:
    """One language's texts; every tab stays in the form (hidden when not chosen) so all are sent."""
    if code == DEFAULT_LANGUAGE:
        fields = [_input("admin.welcome_message", "welcome_message"),
                  _input("admin.home_content", "home_content", textarea=True)]
    else:
        fields = [
            _translated_input("admin.welcome_message", "welcome_message", code, name),
            _translated_input("admin.home_content", "home_content", code, name, textarea=True),
            rx.heading(t("admin.link_titles"), " (", name, ")", size="3", as_="h3"),
            rx.cond(S.links.length() > 0,
                    rx.vstack(rx.text(t("admin.link_titles_intro"), size="2", color="var(--gray-11)"),
                              rx.foreach(S.links, lambda link: _translated_link_title(link, code, name)),
                              spacing="3", width="100%"),
                    rx.text(t("admin.no_links"), size="2", color="var(--gray-11)")),
        ]
    return rx.tabs.content(
        rx.vstack(*fields, spacing="3", width="100%"),
        value=code, force_mount=True,
        style={"paddingTop": "12px", "&[data-state='inactive']": {"display": "none"}},
    )


def texts_by_language() -> rx.Component:
    """The welcome message, the home page text and the link titles: a tab per UI language."""
    languages = available_languages()
    return rx.vstack(
        rx.heading(t("admin.texts"), size="4", as_="h2"),
        rx.text(t("admin.texts_intro"), size="2", color="var(--gray-11)"),
        rx.tabs.root(
            # on a phone the four languages' tabs wrap, none hidden past the edge
            rx.tabs.list(*(_language_tab(code, name) for code, name in languages.items()),
                         aria_label=t("admin.text_languages"), style={"flexWrap": "wrap"}),
            *(_language_texts(code, name) for code, name in languages.items()),
            value=S.text_lang, on_change=S.show_texts_in, width="100%",
        ),
        spacing="3", width="100%",
    )


@page(route="/admin/settings", title="Portal settings", access="staff", on_load=[S.load])
def admin_settings_page() -> rx.Component:
    return rx.vstack(
        card(
            panel_title(),
            admin_nav("/admin/settings"),
            rx.heading(t("admin.settings"), size="5", as_="h1"),
            rx.heading(t("admin.modules"), size="4", as_="h2"),
            rx.text(t("admin.modules_intro"), color="var(--gray-11)"),
            notice(S.module_notice),
            rx.grid(rx.foreach(S.modules, _module_toggle), columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="2"),
        ),
        card(
            notice(S.notice, S.busy),
            form_alert(S.errors),
            rx.form(
                rx.vstack(
                    rx.heading(t("admin.branding"), size="4", as_="h2"),
                    _input("admin.portal_name", "portal_name"),
                    _logo(),
                    _color_input(),
                    rx.heading(t("admin.external_links"), size="4", as_="h2"),
                    rx.foreach(S.links, _link_row),
                    rx.button(t("admin.add_link"), type="button", variant="outline", size="1", on_click=S.add_link),
                    texts_by_language(),
                    rx.heading(t("admin.tickets"), size="4", as_="h2"),
                    rx.hstack(
                        rx.el.input(type="checkbox", id="settings-customers-can-close", name="customers_can_close",
                                    default_checked=S.customers_can_close),
                        rx.el.label(t("admin.customers_can_close"), html_for="settings-customers-can-close"),
                        align="center",
                    ),
                    rx.heading(t("admin.invoices.seller_section"), size="4", as_="h2"),
                    rx.text(t("admin.invoices.seller_intro"), size="2", color="var(--gray-11)"),
                    rx.grid(*[_seller_input(name) for name in SELLER_FIELDS],
                            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
                    rx.heading(t("admin.security"), size="4", as_="h2"),
                    _input("admin.lockout_threshold", "lockout_threshold", type="number"),
                    _input("admin.lockout_minutes", "lockout_minutes", type="number"),
                    submit_button(t("common.save"), AdminSettingsState.busy),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.save,
                key=S.form_key,
                no_validate=True,  # the server's messages at the fields, not the browser's bubble
                custom_attrs=warn_unsaved(),
            ),
        ),
        spacing="5",
        width="100%",
    )
