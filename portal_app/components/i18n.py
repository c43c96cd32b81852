"""`t(key)`: a translated message as a Var that follows the user's language."""

from __future__ import annotations

import reflex as rx

from ..state.session import SessionState


def t(key: str) -> rx.Var[str]:
    return SessionState.messages[key].to(str)
