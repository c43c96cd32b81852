"""Admin panel, portal profiles: per module no access / view / edit, per field hidden / read / edit.
A save is merged into the profile as it is now (`form_merge`): a colleague's change in another tab
stays unless this form changed the same thing."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..services.portal import profiles
from ..services.edits import EditClash
from ..services.errors import NotFound, ServiceError
from ..services.portal.modules import MODULE_KEYS
from ..services.portal.profiles import FIELD_KEYS, PROFILE_TEXTS
from ..services.translations import form_values, refused_in
from .base import field_errors, run_service, while_busy
from .form_merge import merged_whole
from .session import SessionState


TRANSLATED_FIELDS = tuple(form_values({}, PROFILE_TEXTS))  # name_fi, name_de, ...
# the form's fields that are no text (a tick, a level chosen per row): a clash names their rows instead
CHOICES = ("is_default", *(f"module.{k}" for k in MODULE_KEYS), *(f"field.{k}" for k in FIELD_KEYS))


def _form_of(name: str, is_default: bool, modules: dict, fields: dict, translations: dict | None) -> dict[str, str]:
    """A profile as its form's texts (`module.tickets`: "edit", `is_default`: "1" or "")."""
    return {"name": name, "is_default": "1" if is_default else "",
            **{f"module.{k}": modules.get(k, "none") for k in MODULE_KEYS},
            **{f"field.{k}": fields.get(k, "hidden") for k in FIELD_KEYS},
            **form_values(translations or {}, PROFILE_TEXTS)}


class ProfileListItem(TypedDict):
    id: int
    name: str
    is_default: bool
    usage: str


class RightRow(TypedDict):
    key: str
    label: str
    level: str
    group: str  # on the first row of a group of fields (contact's, company's): its heading; else ""


class AdminProfilesState(SessionState):
    items: list[ProfileListItem] = []
    selected_id: int = 0
    name: str = ""
    values: dict[str, str] = {}  # the name in the other languages (name_fi, ...), and `name` their placeholder
    texts_open: bool = False  # "In other languages" unfolded: names written there, or a message about one
    is_default: bool = False
    module_rows: list[RightRow] = []
    field_rows: list[RightRow] = []
    errors: dict[str, str] = {}
    notice: str = ""
    form_key: int = 0
    busy: bool = False  # a form is being sent: its button waits (state.base.while_busy)

    _shown: dict[str, str] = {}  # the form as drawn, for the save (`form_merge`)
    _told: dict[str, str] = {}  # values someone else saved meanwhile that a refused save showed

    def _list(self) -> None:
        actor = self._require_actor()
        usage = run_service(profiles.profile_usage, actor=actor)
        self.items = [{"id": p.id, "name": p.name, "is_default": p.is_default,
                       "usage": self._t("admin.in_use_one" if usage.get(p.id, 0) == 1 else "admin.in_use",
                                        count=usage.get(p.id, 0))}
                      for p in run_service(profiles.list_profiles, actor=actor)]

    def _show(self, profile_id: int, name: str, is_default: bool, modules: dict, fields: dict,
              translations: dict | None = None) -> None:
        self.selected_id, self.name, self.is_default = profile_id, name, is_default
        self._shown, self._told = _form_of(name, is_default, modules, fields, translations), {}
        self.values = {"name": name, **form_values(translations or {}, PROFILE_TEXTS)}
        self.texts_open = bool(translations)
        self.module_rows = [{"key": k, "label": self._t(f"module.{k}"), "level": modules.get(k, "none"), "group": ""}
                            for k in MODULE_KEYS]
        # contact's and company's fields share names ("Phone"): each group under its own heading
        groups = [k.split(".", 1)[0] for k in FIELD_KEYS]
        self.field_rows = [{"key": k, "label": self._t(f"field.{k}"), "level": fields.get(k, "hidden"),
                            "group": self._t(f"field.group.{g}") if n == 0 or groups[n - 1] != g else ""}
                           for n, (k, g) in enumerate(zip(FIELD_KEYS, groups))]
        self.form_key += 1

    @rx.event
    def load(self):
        self.errors, self.notice = {}, ""
        try:
            self._list()
        except ServiceError:
            self.items = []
            return
        first = self.items[0]["id"] if self.items else 0
        if first:
            return AdminProfilesState.select(first)
        self.new_profile()

    @rx.event
    def select(self, profile_id: int):
        try:
            actor = self._require_actor()
            found = next((p for p in run_service(profiles.list_profiles, actor=actor) if p.id == profile_id), None)
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            return
        if found is None:
            self.errors = {"form": self._t("error.not_found")}
            return
        self.errors, self.notice = {}, ""
        self._show(found.id, found.name, found.is_default, found.module_access, found.field_access,
                   found.translations)

    @rx.event
    def new_profile(self):
        self.errors, self.notice = {}, ""
        self._show(0, "", False, {}, {})

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict):
        if not isinstance(form_data, dict):
            return
        sent = {name: form_data.get(name, "") for name in ("name", *TRANSLATED_FIELDS)}
        sent["is_default"] = "1" if form_data.get("is_default") in ("on", True, "true") else ""
        sent |= {f"module.{k}": form_data.get(f"module.{k}", "none") for k in MODULE_KEYS}
        sent |= {f"field.{k}": form_data.get(f"field.{k}", "hidden") for k in FIELD_KEYS}
        try:
            actor = self._require_actor()
            if self.selected_id:  # what this form did not change stays as a colleague may have saved it meanwhile
                now = self._current(actor)
                sent = merged_whole(self, now=_form_of(now.name, now.is_default, now.module_access, now.field_access,
                                                       now.translations),
                                    data=sent, together=TRANSLATED_FIELDS, unsaid=CHOICES)
            data = {"name": sent["name"], "is_default": sent["is_default"] == "1",
                    "module_access": {k: sent[f"module.{k}"] for k in MODULE_KEYS},
                    "field_access": {k: sent[f"field.{k}"] for k in FIELD_KEYS},
                    **{k: sent[k] for k in TRANSLATED_FIELDS}}
            saved = run_service(profiles.save_profile, actor=actor, data=data,
                                profile_id=self.selected_id or None)
            self._list()
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            if isinstance(exc, EditClash):
                self._name_clashed_choices(exc)
            self.texts_open = self.texts_open or refused_in(self.errors, PROFILE_TEXTS)
            return
        self.errors = {}
        self._show(saved.id, saved.name, saved.is_default, saved.module_access, saved.field_access,
                   saved.translations)
        self.notice = self._t("admin.profile_saved")

    def _current(self, actor):  # noqa: ANN001, ANN202
        """The profile shown, as it is now (NotFound once a colleague deleted it)."""
        found = next((p for p in run_service(profiles.list_profiles, actor=actor) if p.id == self.selected_id), None)
        if found is None:
            raise NotFound()
        return found

    def _name_clashed_choices(self, clash: EditClash) -> None:
        """The rights (and the default tick) a colleague changed meanwhile have no field of their own to
        say so under: one message above the form names their rows."""
        rows = {r["key"]: r["label"] for r in (*self.module_rows, *self.field_rows)}
        labels = [self._t("admin.default_profile") if name == "is_default" else rows.get(name.split(".", 1)[1], name)
                  for name in clash.current if name in CHOICES]
        for name in CHOICES:
            self.errors.pop(name, None)
        if labels:
            self.errors["profile"] = self._t("admin.profile_changed_meanwhile", rights=", ".join(labels))

    @rx.event
    def delete(self):
        try:
            actor = self._require_actor()
            run_service(profiles.delete_profile, actor=actor, profile_id=self.selected_id)
            self._list()
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            return
        self.errors = {}
        self._show(0, "", False, {}, {})
        self.notice = self._t("admin.profile_deleted")
