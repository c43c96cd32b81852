"""Admin panel, portal settings: modules, branding, home page, external links, lockout.

The welcome message, the home page text and the link titles have a version per UI language: the
default language's in the fields named as the columns (`welcome_message`, `link_title_0`), the
others' in fields with the language after the name (`welcome_message_fi`, `link_title_0_fi`).

A save is merged into the settings as they are now (`form_merge`): what a colleague saved in another
tab meanwhile stays unless this form changed the same field; the links (and their titles in every
language) are one such field, their rows moving together."""

from __future__ import annotations

import asyncio
import json
from typing import TypedDict

import reflex as rx

from ..i18n import DEFAULT_LANGUAGE, available_languages
from ..i18n import translate
from ..services.portal import branding, config
from ..services.portal.config import TRANSLATED_TEXTS, text_languages, translated_field
from ..services.edits import EditClash
from ..services.errors import NotAuthenticated, ServiceError
from ..services.invoices.invoice_rules import SELLER_FIELDS, seller_of
from ..services.portal.modules import MODULES
from .base import field_errors, read_upload, run_service, while_busy
from .form_merge import merged_whole
from .session import SessionState

MAX_LINK_ROWS = 20
VALUE_FIELDS = ("portal_name", "logo_url", "menu_color", "welcome_message", "home_content", "lockout_threshold",
                "lockout_minutes")
LINKS = "links"  # the merge's one field for the links and their titles in every language
NO_TEXT = {"customers_can_close": "admin.customers_can_close", LINKS: "admin.external_links"}  # named above the form


class ModuleRow(TypedDict):
    key: str
    label: str
    enabled: bool
    has_page: bool


class LinkRow(TypedDict):
    index: int  # its place: the form's field names (link_title_<index>) follow it
    uid: int  # its row for good (the page's key): removing a row keeps what was typed in the others
    title: str
    url: str
    titles: dict[str, str]  # the title in each other language ("" where it has none)


class AdminSettingsState(SessionState):
    modules: list[ModuleRow] = []
    values: dict[str, str] = {}
    links: list[LinkRow] = []
    # the welcome message and the home page text in each language but the default: {lang: {name: text}}
    translated: dict[str, dict[str, str]] = {}
    text_lang: str = DEFAULT_LANGUAGE  # the language whose texts the form shows
    error_langs: list[str] = []  # the languages whose texts have an error (their tab says so)
    errors: dict[str, str] = {}
    notice: str = ""
    module_notice: str = ""
    customers_can_close: bool = True
    seller: dict[str, str] = {}  # the seller printed on invoices (form fields `seller_<name>`)
    form_key: int = 0
    busy: bool = False  # a form is being sent: its button waits (state.base.while_busy)
    logo_busy: bool = False  # an uploaded logo is being checked and stored
    logo_error: str = ""
    logo_notice: str = ""

    _shown: dict[str, str] = {}  # the form as drawn, for the save (`form_merge`)
    _told: dict[str, str] = {}  # values someone else saved meanwhile that a refused save showed

    def _fill(self, row) -> None:  # noqa: ANN001
        self._shown, self._told = _texts(_form_data_of(row)), {}
        enabled = set(row.enabled_modules)
        self.modules = [{"key": m.key, "label": self._t(f"module.{m.key}"), "enabled": m.key in enabled,
                         "has_page": bool(m.route) or m.key == "links"} for m in MODULES]
        self.values = {"portal_name": row.portal_name, "logo_url": row.logo_url, "menu_color": row.menu_color,
                       "welcome_message": row.welcome_message, "home_content": row.home_content,
                       "lockout_threshold": str(row.lockout_threshold),
                       "lockout_minutes": str(row.lockout_minutes)}
        own = {lang: row.translations.get(lang) or {} for lang in text_languages()}
        self.translated = {lang: {name: texts.get(name, "") for name, _ in TRANSLATED_TEXTS}
                           for lang, texts in own.items()}
        self.links = [{"index": i, "uid": i, "title": link["title"], "url": link["url"],
                       "titles": {lang: _nth(texts.get("link_titles"), i) for lang, texts in own.items()}}
                      for i, link in enumerate(row.external_links)]
        self.error_langs = []
        self.customers_can_close = row.customers_can_close
        self.seller = seller_of(row.seller)
        self.form_key += 1

    @rx.event
    def load(self):
        self.errors, self.notice, self.module_notice = {}, "", ""
        self.text_lang = DEFAULT_LANGUAGE
        try:
            self._require_actor().require_staff()
        except ServiceError:
            return
        self._fill(run_service(config.get_portal_settings))

    @rx.event
    def toggle_module(self, key: str, enabled: bool):
        try:
            actor = self._require_actor()
            row = run_service(config.set_module_enabled, actor=actor, module=key, enabled=enabled)
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            return
        self.errors = {}
        enabled_now = set(row.enabled_modules)
        self.modules = [{**m, "enabled": m["key"] in enabled_now} for m in self.modules]
        self.module_notice = self._t("common.saved")
        self._apply_shell(actor)

    def _show_logo(self, row) -> None:  # noqa: ANN001
        """The logo address field (its own key redraws it alone: the form's typed values stay) and the shell."""
        self.values = {**self.values, "logo_url": row.logo_url}
        self._shown = {**self._shown, "logo_url": row.logo_url}
        self._apply_shell(self._actor())

    @rx.event(background=True)
    async def upload_logo(self, chunk_iter: rx.UploadChunkIterator):
        """The dropped picture becomes the logo at once (type, size and pixels checked by the service)."""
        if not isinstance(chunk_iter, rx.UploadChunkIterator):
            return  # an event sent by hand over the socket, not an upload
        async with self:
            actor, lang = self._actor(), self.lang
            if actor is not None and actor.is_staff:
                self.logo_busy, self.logo_error, self.logo_notice = True, "", ""
        data = await read_upload(chunk_iter, branding.LOGO_MAX_BYTES)
        if actor is None or not actor.is_staff:
            return
        error, row = "", None
        if data is None:  # the drop zone let no file through (not a picture's type)
            error = translate(lang, "error.catalog_image_type")
        else:
            try:
                row = await asyncio.to_thread(run_service, branding.set_logo, actor=actor, data=data)
            except ServiceError as exc:
                messages = field_errors(exc, lang)
                error = messages.get("logo") or next(iter(messages.values()), "")
        async with self:
            self.logo_busy, self.logo_error = False, error
            if row is not None:
                self._show_logo(row)
                self.logo_notice = self._t("admin.logo_saved")

    @rx.event
    def remove_logo(self):
        try:
            row = run_service(branding.remove_logo, actor=self._require_actor())
        except ServiceError as exc:
            self.logo_error = next(iter(field_errors(exc, self.lang).values()), "")
            return
        self.logo_error = ""
        self._show_logo(row)
        self.logo_notice = self._t("admin.logo_removed")

    def _links_from(self, form_data: dict) -> list[dict[str, str]]:
        return [{"title": form_data.get(f"link_title_{i}", ""), "url": form_data.get(f"link_url_{i}", "")}
                for i in range(len(self.links))]

    def _translations_from(self, form_data: dict) -> dict[str, dict]:
        return {lang: {**{name: form_data.get(translated_field(name, lang), "") for name, _ in TRANSLATED_TEXTS},
                       "link_titles": [form_data.get(translated_field(f"link_title_{i}", lang), "")
                                       for i in range(len(self.links))]}
                for lang in text_languages()}

    @rx.event
    def show_texts_in(self, lang: str):
        """The language tab of the texts."""
        if isinstance(lang, str) and lang in available_languages():
            self.text_lang = lang

    @rx.event
    def add_link(self):
        if len(self.links) < MAX_LINK_ROWS:
            uid = max((link["uid"] for link in self.links), default=-1) + 1
            self.links = [*self.links, {"index": len(self.links), "uid": uid, "title": "", "url": "",
                                        "titles": dict.fromkeys(text_languages(), "")}]

    @rx.event
    def remove_link(self, uid: int):
        """The row `uid` goes (by its lasting id, so a double click removes one row, not two); the
        others keep their rows (and what was typed in them and in every other field: the form is
        not drawn again), their field names following their new places."""
        if isinstance(uid, int) and not isinstance(uid, bool) and any(link["uid"] == uid for link in self.links):
            kept = [link for link in self.links if link["uid"] != uid]
            self.links = [{**link, "index": i} for i, link in enumerate(kept)]
            self.errors = {name: text for name, text in self.errors.items() if not name.startswith("link_")}

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        if not isinstance(form_data, dict):
            return
        self.notice = ""
        data = {name: form_data.get(name, "") for name in self.values}
        data["external_links"] = self._links_from(form_data)
        data["translations"] = self._translations_from(form_data)
        data["customers_can_close"] = form_data.get("customers_can_close") in ("on", True)
        data["seller"] = {name: form_data.get(f"seller_{name}", "") for name in SELLER_FIELDS}
        try:
            actor = self._require_actor()
            now = _texts(_form_data_of(run_service(config.get_portal_settings)))
            merged = merged_whole(self, now=now, data=_texts(data), unsaid=tuple(NO_TEXT))
            row = run_service(config.update_portal_settings, actor=actor, data=_form_data(merged, data))
        except NotAuthenticated:
            return
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            if isinstance(exc, EditClash):
                named = [self._t(key) for name, key in NO_TEXT.items() if self.errors.pop(name, None)]
                if named:
                    self.errors["form"] = self._t("admin.settings_changed_meanwhile", parts=", ".join(named))
            # keep what was typed: nothing is lost while the marked fields are fixed
            self.values = {name: str(form_data.get(name, ""))[:20000] for name in self.values}
            self.seller = {name: str(value)[:500] for name, value in data["seller"].items()}
            translations = data["translations"]
            self.translated = {lang: {name: str(texts[name])[:limit] for name, limit in TRANSLATED_TEXTS}
                               for lang, texts in translations.items()}
            self.links = [{"index": i, "uid": i, "title": str(link["title"])[:100], "url": str(link["url"])[:500],
                           "titles": {lang: str(texts["link_titles"][i])[:100] for lang, texts in translations.items()}}
                          for i, link in enumerate(data["external_links"])]
            # the tabs with a mistake say so, and the first of them is shown (the default language's first)
            default_errors = any(name in self.errors for name, _ in TRANSLATED_TEXTS)
            self.error_langs = [DEFAULT_LANGUAGE] * default_errors + [
                lang for lang in text_languages() if any(name.endswith(f"_{lang}") for name in self.errors)]
            if self.error_langs:
                self.text_lang = self.error_langs[0]
            self.form_key += 1
            return
        self.errors = {}
        self._fill(row)
        self._apply_shell(actor)
        self.notice = self._t("admin.settings_saved")


def _form_data_of(row) -> dict:  # noqa: ANN001
    """The settings as the form's data (`_save`'s shape, the service's)."""
    links = [{"title": link["title"], "url": link["url"]} for link in row.external_links]
    own = {lang: row.translations.get(lang) or {} for lang in text_languages()}
    return {"portal_name": row.portal_name, "logo_url": row.logo_url, "menu_color": row.menu_color,
            "welcome_message": row.welcome_message, "home_content": row.home_content,
            "lockout_threshold": str(row.lockout_threshold), "lockout_minutes": str(row.lockout_minutes),
            "external_links": links, "customers_can_close": row.customers_can_close, "seller": seller_of(row.seller),
            "translations": {lang: {**{name: texts.get(name, "") for name, _ in TRANSLATED_TEXTS},
                                    "link_titles": [_nth(texts.get("link_titles"), i) for i in range(len(links))]}
                             for lang, texts in own.items()}}


def _texts(data: dict) -> dict:
    """The form's data as the merge's fields: each text its own, the links with their titles one."""
    translations = data["translations"]
    return {**{name: data[name] for name in VALUE_FIELDS},
            "customers_can_close": "1" if data["customers_can_close"] is True else "",
            **{f"seller_{name}": data["seller"].get(name, "") for name in SELLER_FIELDS},
            **{translated_field(name, lang): texts[name] for lang, texts in translations.items()
               for name, _ in TRANSLATED_TEXTS},
            LINKS: json.dumps({"links": data["external_links"],
                               "titles": {lang: texts["link_titles"] for lang, texts in translations.items()}},
                              sort_keys=True, default=str)}


def _form_data(merged: dict, sent: dict) -> dict:
    """The form's data again from the merged fields; the links as sent when they are this form's."""
    links = json.loads(merged[LINKS]) if merged[LINKS] != _texts(sent)[LINKS] else {
        "links": sent["external_links"], "titles": {lang: t["link_titles"] for lang, t in sent["translations"].items()}}
    return {**{name: merged[name] for name in VALUE_FIELDS},
            "customers_can_close": merged["customers_can_close"] == "1",
            "seller": {name: merged[f"seller_{name}"] for name in SELLER_FIELDS},
            "external_links": links["links"],
            "translations": {lang: {**{name: merged[translated_field(name, lang)] for name, _ in TRANSLATED_TEXTS},
                                    "link_titles": links["titles"].get(lang, [])} for lang in sent["translations"]}}


def _nth(titles: object, index: int) -> str:
    return titles[index] if isinstance(titles, list) and index < len(titles) and isinstance(titles[index], str) else ""
