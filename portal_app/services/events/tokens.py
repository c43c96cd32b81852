"""The signed cancel link of a registration: works without signing in, cannot be forged or guessed.

A token is `<registration id>.<nonce>.<signature>`: the nonce is random and kept on the row, the
signature an HMAC-SHA256 of both under the server's secret (`settings.secret`). A changed letter
anywhere fails the signature; a link of a cancelled registration is refused as used (the
registration is no longer cancellable, and registering again makes a new row with a new nonce).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from ...settings import settings
from ..errors import ValidationFailed

_TOKEN = re.compile(r"([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{16,32})\.([A-Za-z0-9_-]{43})")
_PURPOSE = b"event-cancel"


def new_nonce() -> str:
    return secrets.token_urlsafe(18)  # 24 characters


def _signature(registration_id: int, nonce: str) -> str:
    mac = hmac.new(settings.secret.encode(), _PURPOSE + f":{registration_id}:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def make_token(registration_id: int, nonce: str) -> str:
    return f"{registration_id}.{nonce}.{_signature(registration_id, nonce)}"


def cancel_link(registration_id: int, nonce: str) -> str:
    return f"{settings.portal_url}/events/cancel/{make_token(registration_id, nonce)}"


def read_token(token: object) -> tuple[int, str]:
    """(registration id, nonce) of a genuine token; else {"token": "error.event_link_invalid"}."""
    found = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if found is None or not hmac.compare_digest(found.group(3), _signature(int(found.group(1)), found.group(2))):
        raise ValidationFailed({"token": "error.event_link_invalid"})
    return int(found.group(1)), found.group(2)
