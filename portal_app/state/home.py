"""Home page content from the portal settings."""

from __future__ import annotations

import reflex as rx

from ..services.errors import NotAuthenticated
from ..services.portal_config import get_portal_settings
from .base import run_service
from .session import SessionState


class HomeState(SessionState):
    welcome: str = ""
    paragraphs: list[str] = []
    hello: str = ""

    @rx.event
    def load(self):
        try:
            actor = self._require_actor()
        except NotAuthenticated:
            return
        row = run_service(lambda session: get_portal_settings(session).model_dump())
        self.welcome = row["welcome_message"]
        self.paragraphs = [p.strip() for p in row["home_content"].split("\n\n") if p.strip()]
        self.hello = self._t("home.hello", name=actor.name)
