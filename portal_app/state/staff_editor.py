"""A staff form for one row of a feature (an article, a report): new at `<list>/new`, else
`<list>/<id>`; loaded, saved and deleted through the feature's service, which checks staff. The
feature's state says how to read, show and write its row; this mixin keeps the page's flow."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ..services import submissions
from ..services.actor import Actor
from ..services.errors import NotFound, ServiceError
from .base import field_errors, last_segment, messages_for, while_busy


class StaffEditor(rx.State, mixin=True):
    found: bool = False
    form_key: int = 0  # a new key makes the form anew with the loaded values (its inputs are uncontrolled)
    submission_id: str = ""
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False

    def _list_path(self) -> str:
        """The feature's staff list: where a new row's page is under, and a deleted row's page goes."""
        raise NotImplementedError

    def _error_fields(self) -> tuple[str, ...]:
        """The form's fields that show their own messages (any other message goes at the top)."""
        raise NotImplementedError

    def _row_id(self) -> int:
        """The open row's id (0: a new one)."""
        raise NotImplementedError

    def _fetch(self, actor: Actor, wanted: str) -> Any:
        """The row of the page's address, through the feature's staff service."""
        raise NotImplementedError

    def _show(self, row: Any) -> None:
        """The row into the form (None: a new one)."""
        raise NotImplementedError

    def _hide(self) -> None:
        """No row to show (not found, not staff's)."""
        raise NotImplementedError

    def _write(self, actor: Actor, form_data: dict[str, Any]) -> Any:
        """Save the form through the feature's service; the saved row."""
        raise NotImplementedError

    def _saved(self, row: Any) -> None:
        """An existing row saved: the form shows it."""
        raise NotImplementedError

    def _remove(self, actor: Actor) -> None:
        raise NotImplementedError

    def _refused(self, exc: ServiceError) -> None:
        self._put(errors=messages_for(field_errors(exc, self.lang), self._error_fields()), notice="")  # type: ignore[attr-defined]

    @rx.event
    def load(self):
        self._put(errors={}, notice="", busy=False, submission_id=submissions.new_submission_id())  # type: ignore[attr-defined]
        wanted = last_segment(self)
        try:
            actor = self._require_actor()  # type: ignore[attr-defined]
            if wanted == "new":
                actor.require_staff()
                self._show(None)
            else:
                self._show(self._fetch(actor, wanted))
        except ServiceError:
            self._hide()
            return
        self.form_key += 1

    @rx.event
    async def save(self, form_data: dict):
        async for update in while_busy(self, self._save, form_data):
            yield update

    def _save(self, form_data: dict[str, Any]):
        if not isinstance(form_data, dict) or not self.found:
            return None
        try:
            saved = self._write(self._require_actor(), form_data)  # type: ignore[attr-defined]
        except ServiceError as exc:
            self._refused(exc)
            return None
        if not self._row_id():
            return rx.redirect(f"{self._list_path()}/{saved.id}")
        self._saved(saved)
        return None

    @rx.event
    async def delete(self):
        async for update in while_busy(self, self._delete):
            yield update

    def _delete(self):
        if not self._row_id():
            return None
        try:
            self._remove(self._require_actor())  # type: ignore[attr-defined]
        except NotFound:
            pass  # deleted already (another tab): the list is where the user goes either way
        except ServiceError as exc:
            self._refused(exc)
            return None
        return rx.redirect(self._list_path())
