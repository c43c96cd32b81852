"""/newsletters: a contact stops or restarts each list type for its own address (the Newsletters
module); /newsletters/<token>: a list's landing page, from the signed link in its mails, for anyone."""

from __future__ import annotations

from typing import TypedDict

import reflex as rx

from ..services.errors import NotAuthenticated, NotFound, PermissionDenied, ServiceError
from ..services.newsletters import lists
from .base import field_errors, last_segment, one_message, run_service, while_busy
from .session import SessionState


class ListItem(TypedDict):
    id: int
    name: str
    description: str
    receiving: bool
    text_lang: dict[str, str]  # "name", "description": the language each is in


class NewslettersState(SessionState):
    items: list[ListItem] = []
    intro: str = ""
    loaded: bool = False
    notice: str = ""
    errors: dict[str, str] = {}
    busy: bool = False

    def _fill(self) -> None:
        actor = self._require_actor()
        self._put(items=[{"id": c.id, "name": c.name, "description": c.description, "receiving": c.receiving,
                          "text_lang": c.text_langs}
                         for c in run_service(lists.my_lists, actor=actor, lang=self.lang)],
                  intro=self._t("news.intro", email=actor.email), loaded=True)

    @rx.event
    def load(self):
        self._put(notice="", errors={}, busy=False)
        try:
            self._fill()
        except PermissionDenied:  # not this user's module (now): the shell says so in the page's place
            self._put(items=[], intro="", loaded=False)
            self._show_unavailable()
        except ServiceError:
            self._put(items=[], intro="", loaded=False)

    @rx.event
    async def set_receiving(self, list_id: int, receiving: bool):
        async for update in while_busy(self, self._set_receiving, list_id, receiving):
            yield update

    def _set_receiving(self, list_id: int, receiving: bool) -> None:
        try:
            done = run_service(lists.set_my_list, actor=self._require_actor(), list_id=list_id, receiving=receiving,
                               lang=self.lang)
            self._fill()
        except NotAuthenticated:
            self._put(items=[], intro="", loaded=False)
            return
        except NotFound:  # staff deleted the list type meanwhile: the page shows the ones there are
            self._fill()
            self._put(errors={"form": self._t("news.list_gone")}, notice="")
            return
        except ServiceError as exc:
            self._put(errors=one_message(field_errors(exc, self.lang)), notice="")
            return
        key = "news.restarted_notice" if done.receiving else "news.stopped_notice"
        self._put(errors={}, notice=self._t(key, name=done.name))


class LandingState(SessionState):
    """A list's landing page: the token is the page's address; nothing else is trusted."""

    found: bool = False
    loaded: bool = False
    name: str = ""
    description: str = ""
    text_lang: dict[str, str] = {}  # "name", "description": the language each is in
    address: str = ""
    receiving: bool = False
    notice: str = ""
    busy: bool = False

    def _show(self, landing: lists.Landing | None) -> None:
        if landing is None:
            self._put(found=False, loaded=True, name="", description="", address="", receiving=False)
        else:
            self._put(found=True, loaded=True, name=landing.name, description=landing.description, text_lang=landing.text_langs,
                      address=self._t("news.landing_for", address=landing.address), receiving=landing.receiving)

    @rx.event
    def load(self):
        self._put(notice="", busy=False)
        try:
            self._show(run_service(lists.landing, token=last_segment(self), lang=self.lang))
        except ServiceError:
            self._show(None)

    @rx.event
    async def set_receiving(self, receiving: bool):
        async for update in while_busy(self, self._set_receiving, receiving):
            yield update

    def _set_receiving(self, receiving: bool) -> None:
        try:
            landing = run_service(lists.landing_set, token=last_segment(self), receiving=receiving,
                                  lang=self.lang)
        except ServiceError:
            self._show(None)
            return
        self._show(landing)
        key = "news.restarted_notice" if landing.receiving else "news.stopped_notice"
        self._put(notice=self._t(key, name=landing.name))
