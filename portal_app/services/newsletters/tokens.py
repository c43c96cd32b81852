"""The signed link of a list type's landing page for one address: works without signing in, cannot
be forged, and keeps working (a mail's "stop these emails" link must not expire).

A token is `<list id>.<address, base64url>.<signature>`, the signature an HMAC-SHA256 of both under
the server's secret (`settings.secret`); a changed letter anywhere fails it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re

from ...settings import settings
from ..errors import ValidationFailed

_TOKEN = re.compile(r"([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{4,400})\.([A-Za-z0-9_-]{43})")
_PURPOSE = b"newsletter-landing"


def _signature(list_id: int, email: str) -> str:
    mac = hmac.new(settings.secret.encode(), _PURPOSE + f":{list_id}:{email}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def make_token(list_id: int, email: str) -> str:
    encoded = base64.urlsafe_b64encode(email.encode()).decode().rstrip("=")
    return f"{list_id}.{encoded}.{_signature(list_id, email)}"


def landing_link(list_id: int, email: str) -> str:
    return f"{settings.portal_url}/newsletters/{make_token(list_id, email)}"


def read_token(token: object) -> tuple[int, str]:
    """(list id, address) of a genuine token; else {"token": "error.mail_link_invalid"}."""
    found = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if found is not None:
        try:
            email = base64.urlsafe_b64decode(found.group(2) + "=" * (-len(found.group(2)) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError):
            email = ""
        list_id = int(found.group(1))
        if email and hmac.compare_digest(found.group(3), _signature(list_id, email)):
            return list_id, email
    raise ValidationFailed({"token": "error.mail_link_invalid"})
