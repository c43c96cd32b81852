"""My details and the company page: fields shown per the actor's profile."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..models import ModuleAccess
from ..services import directory
from ..services.errors import NotAuthenticated, ServiceError
from .base import field_errors, run_service
from .session import SessionState


class FieldRow(TypedDict):
    name: str
    label: str
    value: str
    editable: bool


class FieldFormState(SessionState):
    """Shared shape of a per-field form: rows, errors, a notice, and a key to reset inputs."""

    fields: list[FieldRow] = []
    errors: dict[str, str] = {}
    notice: str = ""
    form_key: int = 0
    loaded: bool = False

    def _rows(self, prefix: str, views: list[directory.FieldView]) -> list[FieldRow]:
        return [{"name": v.name, "label": self._t(f"field.{prefix}.{v.name}"), "value": v.value,
                 "editable": v.editable} for v in views]

    @rx.var
    def can_edit(self) -> bool:
        return any(f["editable"] for f in self.fields)


class MyDetailsState(FieldFormState):
    @rx.event
    def load(self):
        self.errors, self.notice = {}, ""
        try:
            actor = self._require_actor()
            self.fields = self._rows("contact", run_service(directory.own_contact_fields, actor=actor))
        except NotAuthenticated:
            return
        except ServiceError as exc:
            self.fields, self.errors = [], field_errors(exc, self.lang)
        self.form_key += 1
        self.loaded = True

    @rx.event
    def save(self, form_data: dict):
        self.notice = ""
        try:
            actor = self._require_actor()
            run_service(directory.update_own_contact, actor=actor, data=form_data)
        except NotAuthenticated:
            return rx.redirect("/login")
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            return
        self.errors = {}
        self.fields = self._rows("contact", run_service(directory.own_contact_fields, actor=actor))
        self._apply_shell(self._actor())
        self.notice = self._t("me.saved")
        self.form_key += 1


class CompanyState(FieldFormState):
    company_name: str = ""
    module_editable: bool = False

    @rx.event
    def load(self):
        self.errors, self.notice = {}, ""
        try:
            actor = self._require_actor()
            company, views = run_service(directory.own_company_fields, actor=actor)
        except NotAuthenticated:
            return
        except ServiceError:
            return rx.redirect("/")
        self.company_name = company.name
        self.module_editable = actor.can("company", ModuleAccess.EDIT)
        self.fields = self._rows("company", views)
        self.form_key += 1
        self.loaded = True

    @rx.event
    def save(self, form_data: dict):
        self.notice = ""
        try:
            actor = self._require_actor()
            company = run_service(directory.update_own_company, actor=actor, data=form_data)
        except NotAuthenticated:
            return rx.redirect("/login")
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            return
        self.errors = {}
        self.company_name = company.name
        _, views = run_service(directory.own_company_fields, actor=actor)
        self.fields = self._rows("company", views)
        self.notice = self._t("company.saved")
        self.form_key += 1
