"""The signed link of a list type's landing page for one address: works without signing in, cannot
be forged, and keeps working (a mail's "stop these emails" link must not expire).

A token is `<list id>.<address, base64url>.<signature>`, the signature an HMAC-SHA256 of both, and
of the list's own random `link_key`, under the server's secret (`settings.secret`); a changed letter
anywhere fails it. The key ties a link to its list for good: a list made after another was deleted
may get the deleted one's id (SQLite reuses the highest id), but not its links. Lists made before
keys existed have none, and their links (already mailed) keep working.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass

from ...settings import settings
from ..errors import ValidationFailed

_TOKEN = re.compile(r"([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{4,400})\.([A-Za-z0-9_-]{43})")
_PURPOSE = b"newsletter-landing"


def _signature(list_id: int, link_key: str, email: str) -> str:
    signed = f":{list_id}:{email}" if not link_key else f":{list_id}:{link_key}:{email}"
    mac = hmac.new(settings.secret.encode(), _PURPOSE + signed.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def make_token(list_id: int, link_key: str, email: str) -> str:
    encoded = base64.urlsafe_b64encode(email.encode()).decode().rstrip("=")
    return f"{list_id}.{encoded}.{_signature(list_id, link_key, email)}"


def landing_link(list_id: int, link_key: str, email: str) -> str:
    return f"{settings.portal_url}/newsletters/{make_token(list_id, link_key, email)}"


@dataclass(frozen=True)
class LinkClaim:
    """What a token says, not yet checked: the list it names, the address, the signature."""

    list_id: int
    email: str
    signature: str

    def genuine(self, link_key: str) -> bool:
        """Whether the token was made for this address and the list whose key is `link_key`."""
        return hmac.compare_digest(self.signature, _signature(self.list_id, link_key, self.email))


def read_token(token: object) -> LinkClaim:
    """What a well-formed token claims (check it with `genuine` against its list's key); a malformed
    one: {"token": "error.mail_link_invalid"}."""
    found = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if found is not None:
        try:
            email = base64.urlsafe_b64decode(found.group(2) + "=" * (-len(found.group(2)) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError):
            email = ""
        if email:
            return LinkClaim(int(found.group(1)), email, found.group(3))
    raise ValidationFailed({"token": "error.mail_link_invalid"})
