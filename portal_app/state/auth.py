"""Sign-in, forgot-password and reset-password forms."""

from __future__ import annotations

import asyncio
import math

import reflex as rx

from ..http.session import safe_next
from ..services.accounts import auth
from ..services.errors import RateLimited, ServiceError
from ..services.accounts.passwords import MAX_BYTES, MIN_LENGTH
from ..settings import settings
from .base import field_errors, run_service, send_later, while_busy
from .session import SessionState, portal_settings


class LoginState(SessionState):
    """The sign-in page. The form itself posts to `/api/session` (http/session.py), which sets the
    HttpOnly cookie; this state only turns the reason it sent back into a message."""

    error: str = ""
    errors: dict[str, str] = {}  # an empty field -> its message, shown under it
    notice: str = ""
    ended: str = ""  # why an open page brought the user here ("Your session ended ...")
    next_path: str = "/"

    @rx.event
    def load(self):
        query = self.router.url.query_parameters
        self.next_path = safe_next(query.get("next"))
        self.notice = self._t("login.signed_out") if query.get("signed_out") == "1" else ""
        if self.notice:  # signed out by its own click: the tab's earlier pages were not "ended" on it
            self._session_ended = False
        self.ended = self._t("login.session_ended") if query.get("ended") == "1" and not self.notice else ""
        reason, minutes = query.get("error"), str(query.get("minutes", ""))
        minutes_ok = (minutes.isascii() and minutes.isdigit() and len(minutes) <= 5
                      and reason in ("throttled", "locked") and int(minutes) <= self._longest_wait(reason))
        self.error, self.errors = "", {}
        if minutes_ok:
            self.error = self._t(f"login.{reason}", minutes=int(minutes))
        elif reason == "required":
            fields = str(query.get("field", "")).split(",")
            self.errors = {name: self._t(f"login.{name}_required") for name in ("email", "password")
                           if name in fields}
            if not self.errors:
                self.error = self._t("login.required")
        elif reason:
            self.error = self._t("login.failed")
        if self.signed_in:  # in place of the login page, so back does not return to it
            return rx.redirect(self.next_path, replace=True)


    @staticmethod
    def _longest_wait(reason: str) -> int:
        """The most minutes a refusal of this kind can say (a crafted link names no longer wait)."""
        if reason == "throttled":
            return math.ceil(auth.SIGN_IN_ADDRESS_LIMIT_WINDOW.total_seconds() / 60)
        return int(portal_settings()["lockout_minutes"])


class ForgotPasswordState(SessionState):
    sent: bool = False
    sent_message: str = ""
    errors: dict[str, str] = {}
    busy: bool = False  # a form is being sent: its button waits (state.base.while_busy)

    @rx.event
    def load(self):
        self.sent = False
        self.errors = {}

    @rx.event
    async def submit(self, form_data: dict):
        async for update in while_busy(self, self._submit, form_data):
            yield update

    def _submit(self, form_data: dict):
        email = form_data.get("email") if isinstance(form_data, dict) else None
        if not isinstance(email, str) or not email.strip():
            self.errors = {"email": self._t("error.required")}
            return
        self.errors = {}
        try:
            mail = run_service(auth.request_password_reset, email=email,
                               client_address=self.router.session.client_ip)
        except RateLimited as exc:
            self.errors = {"email": self._t(exc.key, **exc.params)}  # shown next to the field
            return
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)  # a malformed address
            return
        send_later(mail)
        self.sent_message = self._t("forgot.sent", minutes=settings.reset_token_minutes)
        self.sent = True


class ResetPasswordState(SessionState):
    token_ok: bool = True
    first: bool = False  # the login's first password (access just given): "Set your password"
    done: bool = False
    errors: dict[str, str] = {}
    busy: bool = False  # a form is being sent: its button waits (state.base.while_busy)
    intro: str = ""
    signed_in_as: str = ""  # "<who> is signed in on this browser": setting the password signs them out here
    _token: str = ""

    @rx.event
    def load(self):
        self._token = str(self.router.url.query_parameters.get("token", ""))[:200]
        self.done = False
        self.errors = {}
        link = run_service(auth.password_link, token=self._token)
        self.token_ok, self.first = link is not None, link is not None and link.first
        actor = self._actor()
        if link and not self._browser_language() and actor is None:
            self._set_language(link.language)  # a link from a mail opens in the mail's language
        self.intro = self._t("reset.intro", min=MIN_LENGTH, max=MAX_BYTES)
        self.signed_in_as = self._t("reset.signed_in_as", name=actor.name) if link and actor else ""

    @rx.event
    async def submit(self, form_data: dict):
        async for update in while_busy(self, self._submit, form_data):
            yield update

    async def _submit(self, form_data: dict):
        if not isinstance(form_data, dict):
            return
        password, confirm = form_data.get("password"), form_data.get("confirm")
        try:
            await asyncio.to_thread(run_service, auth.reset_password, token=self._token,
                                    password=password, confirm=confirm, browser_session_hash=self._session_hash())
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            if "form" in self.errors:
                self.token_ok = False
            return
        self.errors = {}
        self.done = True
        self.signed_in_as = ""
        if self.signed_in:  # this browser's session ended with it: "Sign in" opens the sign-in form
            self._clear_identity()
