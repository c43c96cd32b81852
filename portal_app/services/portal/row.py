"""The portal's one settings row, read (and created with defaults the first time).

Below `actor` (which reads the enabled modules from it) and `config` (which edits it).
"""

from __future__ import annotations

from sqlmodel import Session, select

from ...models import PortalSettings
from .modules import MODULE_KEYS


def get_portal_settings(session: Session) -> PortalSettings:
    """The settings row, created with defaults (every module on) the first time."""
    row = session.exec(select(PortalSettings).order_by(PortalSettings.id)).first()
    if row is None:
        row = PortalSettings(enabled_modules=list(MODULE_KEYS))
        session.add(row)
        session.commit()
        session.refresh(row)
    return row
