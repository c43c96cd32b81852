"""Admin panel, newsletters: the list types with how many stopped each, a new one (/admin/newsletters);
one list type's name and description, delete, the addresses that stopped it and a landing link for an
address (/admin/newsletters/<id>). Every handler checks staff in the service (`actor.require_staff`)."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..services.errors import NotAuthenticated, NotFound, ServiceError
from ..services.newsletters import lists
from ..services.translations import form_values, refused_in
from .base import field_errors, last_segment, messages_for, run_service, while_busy
from .form_merge import merged_whole
from .session import SessionState

FORM_FIELDS = ("name", "description")
TRANSLATED_FIELDS = tuple(form_values({}, lists.LIST_TEXTS))  # name_fi, description_fi, ...


class StaffListRow(TypedDict):
    id: int
    name: str
    description: str
    stopped: int


class StoppedRow(TypedDict):
    email: str
    source: str
    when: str


def _form_of(row: lists.StaffList) -> dict[str, str]:
    """A list type as its form's texts."""
    return {"name": row.name, "description": row.description, **form_values(row.translations, lists.LIST_TEXTS)}


class AdminNewslettersState(SessionState):
    rows: list[StaffListRow] = []
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False
    form_key: int = 0
    values: dict[str, str] = {}  # a new list type's form starts empty
    texts_open: bool = False  # "In other languages" unfolded: a message about one of its texts

    def _fill(self, actor) -> None:  # noqa: ANN001
        self._put(rows=[{"id": r.id, "name": r.name, "description": r.description, "stopped": r.stopped}
                        for r in run_service(lists.staff_lists, actor=actor)])

    @rx.event
    def load(self):
        self._put(errors={}, notice="", busy=False)
        try:
            self._fill(self._require_actor())
        except ServiceError:
            self._put(rows=[])

    @rx.event
    async def create(self, form_data: dict):
        async for update in while_busy(self, self._create, form_data):
            yield update

    def _create(self, form_data: dict) -> None:
        if not isinstance(form_data, dict):
            return
        if form_data.get("form_key", str(self.form_key)) != str(self.form_key):
            return  # a double click's second sending, of the form just added: its notice stays
        try:
            actor = self._require_actor()
            run_service(lists.save_list, actor=actor,
                        data={k: form_data.get(k) for k in (*FORM_FIELDS, *TRANSLATED_FIELDS)})
            self._fill(actor)
        except NotAuthenticated:
            self._put(rows=[])
            return
        except ServiceError as exc:
            errors = messages_for(field_errors(exc, self.lang), (*FORM_FIELDS, *TRANSLATED_FIELDS))
            self._put(errors=errors, notice="", texts_open=self.texts_open or refused_in(errors, lists.LIST_TEXTS))
            return
        self._put(errors={}, notice=self._t("news.created"), texts_open=False)
        self.form_key += 1  # an empty form for the next one


class AdminNewsletterState(SessionState):
    found: bool = False
    list_id: int = 0
    name: str = ""
    description: str = ""
    values: dict[str, str] = {}  # the form's: name, description, and both in the other languages (name_fi, ...)
    texts_open: bool = False  # "In other languages" unfolded: texts written there, or a message
    stopped: list[StoppedRow] = []
    link: str = ""
    form_key: int = 0
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False

    _shown: dict[str, str] = {}  # the form as drawn, for the save (`form_merge`)
    _told: dict[str, str] = {}  # values someone else saved meanwhile that a refused save showed

    def _row(self, actor) -> lists.StaffList:  # noqa: ANN001
        wanted = self.list_id or last_segment(self)
        row = next((r for r in run_service(lists.staff_lists, actor=actor) if str(r.id) == str(wanted)), None)
        if row is None:
            raise NotFound()
        return row

    def _fill(self, actor) -> None:  # noqa: ANN001
        row = self._row(actor)
        addresses = run_service(lists.stopped_addresses, actor=actor, list_id=row.id)
        values = _form_of(row)
        self._shown, self._told = values, {}
        self._put(found=True, list_id=row.id, name=row.name, description=row.description, values=values,
                  texts_open=bool(row.translations),
                  stopped=[{"email": a.email, "source": self._t(f"news.source.{a.source}"),
                            "when": self._when(a.when)} for a in addresses])

    def _clear(self) -> None:
        self._put(found=False, list_id=0, name="", description="", values={}, stopped=[], link="")

    @rx.event
    def load(self):
        self._put(errors={}, notice="", busy=False, link="", list_id=0)
        try:
            self._fill(self._require_actor())
        except ServiceError:
            self._clear()
        self.form_key += 1

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict) -> None:
        if not isinstance(form_data, dict) or not self.found:
            return
        try:
            actor = self._require_actor()
            data = merged_whole(self, now=_form_of(self._row(actor)), together=TRANSLATED_FIELDS,
                                data={k: form_data.get(k) for k in (*FORM_FIELDS, *TRANSLATED_FIELDS)})
            run_service(lists.save_list, actor=actor, list_id=self.list_id, data=data)
            self._fill(actor)
            self.form_key += 1  # drawn again as saved, a colleague's change merged in included
        except ServiceError as exc:
            errors = messages_for(field_errors(exc, self.lang), (*FORM_FIELDS, *TRANSLATED_FIELDS))
            self._put(errors=errors, notice="", texts_open=self.texts_open or refused_in(errors, lists.LIST_TEXTS))
            return
        self._put(errors={}, notice=self._t("news.saved"))

    @rx.event
    def make_link(self, form_data: dict):
        if not isinstance(form_data, dict) or not self.found:
            return
        try:
            link = run_service(lists.staff_landing_link, actor=self._require_actor(), list_id=self.list_id,
                               email=form_data.get("email"))
        except ServiceError as exc:
            self._put(errors=messages_for(field_errors(exc, self.lang), ("email",)), link="", notice="")
            return
        self._put(errors={}, link=link)

    @rx.event
    async def delete(self):
        async for update in while_busy(self, self._delete):
            yield update

    def _delete(self):
        if not self.found:
            return None
        try:
            run_service(lists.delete_list, actor=self._require_actor(), list_id=self.list_id)
        except NotFound:
            pass  # deleted already (another tab)
        except ServiceError as exc:
            self._put(errors=messages_for(field_errors(exc, self.lang), ()), notice="")
            return None
        return rx.redirect("/admin/newsletters")
