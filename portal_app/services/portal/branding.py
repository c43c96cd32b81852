"""The portal's logo uploaded by staff: a picture checked by its bytes (PNG, JPEG, WebP or GIF; not
SVG, which can carry script), its size and its pixels, stored under a random name in the data folder
and served to anyone at `/api/branding/<name>` (the sign-in page shows it too). Uploading sets the
settings' logo address to it, and the logo it replaces is deleted; a logo address typed by staff
(a picture hosted elsewhere) still works as before, and also deletes the stored one it replaces.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from ...models import PortalSettings
from ..actor import Actor
from ..catalog.catalog_rules import IMAGE_TYPES
from ..catalog.products import checked_picture
from ..errors import NotFound
from .logo_store import ROUTE, STORED, forget_replaced, logo_dir
from .row import get_portal_settings

LOGO_MAX_BYTES = 1024 * 1024  # every page loads it


def _commit_logo(session: Session, row: PortalSettings, logo_url: str) -> None:
    """Point the settings at `logo_url`, then delete the stored logo it replaces (if any)."""
    old = row.logo_url
    row.logo_url = logo_url
    session.add(row)
    session.commit()
    forget_replaced(old, logo_url)


def set_logo(*, session: Session, actor: Actor, data: Any) -> PortalSettings:
    """The uploaded picture becomes the portal's logo (staff only), or ValidationFailed at "logo"."""
    actor.require_staff()
    content_type = checked_picture(data, field="logo", max_bytes=LOGO_MAX_BYTES)
    name = f"{secrets.token_hex(16)}.{IMAGE_TYPES[content_type]}"
    folder = logo_dir()
    part = folder / (name + ".part")
    part.write_bytes(bytes(data))
    os.replace(part, folder / name)
    row = get_portal_settings(session)
    try:
        _commit_logo(session, row, ROUTE + name)
    except Exception:
        session.rollback()
        (folder / name).unlink(missing_ok=True)
        raise
    session.refresh(row)
    return row


def remove_logo(*, session: Session, actor: Actor) -> PortalSettings:
    """No logo of staff's (the portal's own mark is shown); a stored one is deleted."""
    actor.require_staff()
    row = get_portal_settings(session)
    _commit_logo(session, row, "")
    session.refresh(row)
    return row


@dataclass(frozen=True)
class LogoFile:
    path: Path
    content_type: str


def logo_file(name: Any) -> LogoFile:
    """A stored logo for the download route (anyone: the sign-in page shows it); NotFound otherwise."""
    if not isinstance(name, str) or not STORED.fullmatch(name):
        raise NotFound()
    path = logo_dir() / name
    if not path.is_file():
        raise NotFound()
    extension = name.rsplit(".", 1)[1]
    return LogoFile(path=path, content_type=next(t for t, e in IMAGE_TYPES.items() if e == extension))
