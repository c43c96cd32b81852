"""Where staff's uploaded logos are kept (`$PORTAL_DATA_DIR/branding/`, under random names) and the
address the settings hold for one; a stored logo no longer named by the settings is deleted. Apart
from `branding.py` (the upload's checks) so that the settings service can use it too."""

from __future__ import annotations

import re
from pathlib import Path

from ...settings import settings

ROUTE = "/api/branding/"
STORED = re.compile(r"[0-9a-f]{32}\.(png|jpg|webp|gif)")


def logo_dir() -> Path:
    path = settings.data_dir / "branding"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored_name(logo_url: str) -> str | None:
    """The file name of a logo this portal stores, from the settings' address; None for one elsewhere."""
    name = logo_url[len(ROUTE):] if logo_url.startswith(ROUTE) else ""
    return name if STORED.fullmatch(name) else None


def forget_replaced(old_url: str, new_url: str) -> None:
    """After the settings' logo address changed from `old_url` (committed): its stored file, if it
    was one of ours, is deleted (also when staff typed an address in its place)."""
    old = _stored_name(old_url)
    if old and old != _stored_name(new_url):
        (logo_dir() / old).unlink(missing_ok=True)
