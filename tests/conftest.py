"""Test-wide set-up: a private data folder and cheap bcrypt for unit tests, set before any import of
portal_app (its settings are read once at import)."""

import os
import tempfile

_DATA = tempfile.mkdtemp(prefix="portal-test-")
os.environ["PORTAL_DATA_DIR"] = _DATA
os.environ.setdefault("PORTAL_BCRYPT_ROUNDS", "4")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("SMTP_HOST", None)
os.environ.pop("REDIS_URL", None)
