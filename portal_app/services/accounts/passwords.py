"""Password rules and bcrypt hashing.

bcrypt only reads the first 72 bytes of a secret (bcrypt 5 raises past them). We refuse longer
passwords with a clear message instead of cutting them silently: what the user typed is exactly
what is verified.
"""

from __future__ import annotations

from functools import lru_cache

import bcrypt

from ...settings import settings
from ..errors import ValidationFailed

MIN_LENGTH = 10
MAX_BYTES = 72
# What a password input takes: well past MAX_BYTES, so a longer password reaches the service and is
# refused with a message (a `maxlength` of 72 let the browser drop the rest and save the start silently)
INPUT_MAX_LENGTH = 256

# A few of the most common passwords that pass the length rule; refused outright.
COMMON_PASSWORDS = frozenset({
    "1234567890", "12345678910", "0123456789", "qwertyuiop", "password12", "password123",
    "password1234", "passw0rd123", "iloveyou12", "abcdefghij", "qwerty1234", "1q2w3e4r5t",
    "salasana12", "salasana123", "passwort123", "1111111111", "0000000000", "letmein123",
    "welcome123", "admin12345", "changeme123",
})



@lru_cache(maxsize=1)
def _dummy_hash() -> bytes:
    """A hash of the configured cost, so a check against no account takes as long as a real one."""
    return bcrypt.hashpw(b"dummy-password-for-timing", bcrypt.gensalt(settings.bcrypt_rounds))


def check_new_password(password: object, confirm: object, *, field: str = "password") -> str:
    """The new password if it meets the rules; else ValidationFailed naming the field."""
    if not isinstance(password, str) or not password:
        empty_confirm = not isinstance(confirm, str) or not confirm
        raise ValidationFailed({field: "error.required", **({"confirm": "error.required"} if empty_confirm else {})})
    if len(password) < MIN_LENGTH:
        raise ValidationFailed({field: ("error.password_too_short", {"min": MIN_LENGTH})})
    if len(password.encode("utf-8")) > MAX_BYTES:
        raise ValidationFailed({field: ("error.password_too_long", {"max": MAX_BYTES})})
    if password.lower() in COMMON_PASSWORDS or len(set(password)) == 1:  # "xxxxxxxxxx" guesses as easily
        raise ValidationFailed({field: "error.password_common"})
    if not isinstance(confirm, str) or confirm != password:
        raise ValidationFailed({"confirm": "error.password_mismatch"})
    return password


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(settings.bcrypt_rounds)).decode()


def verify_password(password: object, hashed: str | None) -> bool:
    """Constant-shape check: an unknown account or an over-long password still costs a hash."""
    encoded = password.encode("utf-8") if isinstance(password, str) else b""
    if not hashed or not encoded or len(encoded) > MAX_BYTES:
        bcrypt.checkpw(b"x", hashed.encode() if hashed else _dummy_hash())
        return False
    try:
        return bcrypt.checkpw(encoded, hashed.encode())
    except ValueError:
        return False


def needs_rehash(hashed: str) -> bool:
    """True when the stored hash was made with a different cost than the configured one."""
    try:
        return int(hashed.split("$")[2]) != settings.bcrypt_rounds
    except (IndexError, ValueError):
        return True
