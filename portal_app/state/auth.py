"""Sign-in, forgot-password and reset-password forms."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import reflex as rx

from ..db import session_scope
from ..i18n import available_languages
from ..services import auth
from ..services.errors import ServiceError
from ..services.passwords import MIN_LENGTH
from ..settings import settings
from .base import field_errors, run_service, send_later
from .session import SessionState


def _safe_next(target: object) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if (isinstance(target, str) and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ch < " " or ch == "\x7f" for ch in target)):
        # browsers drop tabs and newlines inside a URL: "/\t/evil.example" would become "//evil.example"
        return target[:500]
    return "/"


def _login_in_thread(email: object, password: object) -> auth.LoginResult:
    with session_scope() as session:
        return auth.login(session=session, email=email, password=password)


class LoginState(SessionState):
    error: str = ""
    notice: str = ""
    busy: bool = False

    @rx.event
    def load(self):
        self.error = ""
        self.busy = False
        # kept until the next sign-in: the page's loaders may run more than once per visit
        self.notice = self._t("login.signed_out") if self._just_signed_out else ""
        if self.signed_in:
            return rx.redirect(_safe_next(self.router.url.query_parameters.get("next")))

    @rx.event
    async def submit(self, form_data: dict):
        if not isinstance(form_data, dict):
            return
        email, password = form_data.get("email"), form_data.get("password")
        self.busy = True
        self.error = ""
        yield
        # bcrypt takes about a quarter second: run it off the event loop.
        result = await asyncio.to_thread(_login_in_thread, email, password)
        self.busy = False
        if not result.ok or result.actor is None:
            self.error = self._t("login.failed")
            return
        actor = result.actor
        if self.lang_choice in available_languages() and self.lang_choice != actor.language:
            # a language picked on the sign-in page becomes the user's own
            run_service(auth.set_language, actor=actor, language=self.lang_choice)
            actor = replace(actor, language=self.lang_choice)
        self.session_token = result.token
        self._just_signed_out = False
        self.lang_choice = actor.language
        self._apply_shell(actor)
        yield rx.redirect(_safe_next(self.router.url.query_parameters.get("next")))


class ForgotPasswordState(SessionState):
    sent: bool = False
    sent_message: str = ""
    errors: dict[str, str] = {}

    @rx.event
    def load(self):
        self.sent = False
        self.errors = {}

    @rx.event
    def submit(self, form_data: dict):
        email = form_data.get("email") if isinstance(form_data, dict) else None
        if not isinstance(email, str) or not email.strip():
            self.errors = {"email": self._t("error.required")}
            return
        self.errors = {}
        try:
            mail = run_service(auth.request_password_reset, email=email)
        except ServiceError:
            mail = None
        send_later(mail)
        self.sent_message = self._t("forgot.sent", minutes=settings.reset_token_minutes)
        self.sent = True


class ResetPasswordState(SessionState):
    token_ok: bool = True
    done: bool = False
    errors: dict[str, str] = {}
    intro: str = ""
    _token: str = ""

    @rx.event
    def load(self):
        self._token = str(self.router.url.query_parameters.get("token", ""))[:200]
        self.done = False
        self.errors = {}
        self.intro = self._t("reset.intro", min=MIN_LENGTH)
        self.token_ok = run_service(auth.password_token_valid, token=self._token)

    @rx.event
    async def submit(self, form_data: dict):
        if not isinstance(form_data, dict):
            return
        password, confirm = form_data.get("password"), form_data.get("confirm")
        try:
            await asyncio.to_thread(run_service, auth.reset_password, token=self._token,
                                    password=password, confirm=confirm)
        except ServiceError as exc:
            self.errors = field_errors(exc, self.lang)
            if "form" in self.errors:
                self.token_ok = False
            return
        self.errors = {}
        self.done = True
