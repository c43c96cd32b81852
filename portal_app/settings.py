"""Every setting of the portal, read once from the environment, each with a working default.

Nothing here imports reflex, so services, migrations and tests share it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


DEFAULT_TIME_ZONE = "Europe/Helsinki"


def _time_zone(name: str) -> str:
    """An IANA zone name the system knows; a wrong one stops the start with a message that says so."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SystemExit(f"PORTAL_TIME_ZONE={name!r} is no time zone (an IANA name such as Europe/Helsinki)") from exc
    return name


def private_dir(path: Path) -> Path:
    """Create `path` if needed and make it the owner's alone (state, uploads, database, secret)."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _load_secret(data_dir: Path) -> str:
    """PORTAL_SECRET, or a random key generated once and kept in the data folder."""
    configured = os.environ.get("PORTAL_SECRET", "").strip()
    if configured:
        return configured
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    portal_url: str
    port: int
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_from: str
    secret: str
    stripe_secret_key: str | None
    stripe_publishable_key: str | None
    stripe_webhook_secret: str | None
    stripe_api_base: str | None
    stripe_js_url: str  # Stripe.js for "Pay now"; tests point it at localstripe's copy
    session_hours: int
    reset_token_minutes: int
    activation_token_hours: int
    bcrypt_rounds: int
    upload_max_bytes: int
    staged_max_files: int
    staged_max_bytes: int
    login_address_limit: int
    reset_email_limit: int
    reset_address_limit: int
    registration_limit: int  # public event registrations per client address per hour
    trusted_proxy_hops: int
    tab_state_minutes: int  # a tab's state idle this long is dropped from memory and disk
    tab_memory_seconds: int  # ... and idle this long, from memory only (read back from disk; 0: kept)
    list_cache_pages: int  # ticket list pages kept in memory for everyone with the same view (0: none)
    time_zone: str  # IANA name: the portal's times are shown, and its days counted, in this zone
    outbox_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "outbox_dir", self.data_dir / "outbox")

    @property
    def secure_cookies(self) -> bool:
        return self.portal_url.startswith("https://")

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        """Origins allowed to open the event websocket (cross-site websocket hijacking guard)."""
        origins = {self.portal_url}
        for local in ("localhost", "127.0.0.1"):
            if f"//{local}" in self.portal_url or f"//{local}:" in self.portal_url:
                other = "127.0.0.1" if local == "localhost" else "localhost"
                origins.add(self.portal_url.replace(local, other))
        extra = os.environ.get("PORTAL_ALLOWED_ORIGINS", "")
        origins.update(o.strip().rstrip("/") for o in extra.split(",") if o.strip())
        return tuple(sorted(origins))


def load_settings() -> Settings:
    data_dir = private_dir(Path(os.environ.get("PORTAL_DATA_DIR", "") or PROJECT_ROOT / "data").resolve())
    database_url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{data_dir / 'portal.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=os.environ.get("REDIS_URL", "").strip() or None,
        portal_url=(os.environ.get("PORTAL_URL", "").strip() or "http://localhost:3000").rstrip("/"),
        port=_int("PORT", 3000),
        smtp_host=os.environ.get("SMTP_HOST", "").strip() or None,
        smtp_port=_int("SMTP_PORT", 25),
        smtp_user=os.environ.get("SMTP_USER", "").strip() or None,
        smtp_password=os.environ.get("SMTP_PASSWORD") or None,
        smtp_from=os.environ.get("SMTP_FROM", "").strip() or "portal@localhost",
        secret=_load_secret(data_dir),
        stripe_secret_key=os.environ.get("STRIPE_SECRET_KEY", "").strip() or None,
        stripe_publishable_key=os.environ.get("STRIPE_PUBLISHABLE_KEY", "").strip() or None,
        stripe_webhook_secret=os.environ.get("STRIPE_WEBHOOK_SECRET", "").strip() or None,
        stripe_api_base=os.environ.get("STRIPE_API_BASE", "").strip() or None,
        stripe_js_url=os.environ.get("STRIPE_JS_URL", "").strip() or "https://js.stripe.com/v3/",
        session_hours=_int("PORTAL_SESSION_HOURS", 12),
        reset_token_minutes=_int("PORTAL_RESET_TOKEN_MINUTES", 60),
        activation_token_hours=_int("PORTAL_ACTIVATION_TOKEN_HOURS", 72),
        bcrypt_rounds=_int("PORTAL_BCRYPT_ROUNDS", 12),
        upload_max_bytes=_int("PORTAL_UPLOAD_MAX_BYTES", 10 * 1024 * 1024),
        staged_max_files=_int("PORTAL_STAGED_MAX_FILES", 10),
        staged_max_bytes=_int("PORTAL_STAGED_MAX_BYTES", 50 * 1024 * 1024),
        login_address_limit=_int("PORTAL_LOGIN_ADDRESS_LIMIT", 30),
        reset_email_limit=_int("PORTAL_RESET_EMAIL_LIMIT", 3),
        reset_address_limit=_int("PORTAL_RESET_ADDRESS_LIMIT", 10),
        registration_limit=_int("PORTAL_REGISTRATION_LIMIT", 20),
        trusted_proxy_hops=_int("PORTAL_TRUSTED_PROXY_HOPS", 0),
        tab_state_minutes=max(1, _int("PORTAL_TAB_STATE_MINUTES", 30)),
        tab_memory_seconds=max(0, _int("PORTAL_TAB_MEMORY_SECONDS", 10)),
        list_cache_pages=max(0, _int("PORTAL_LIST_CACHE_PAGES", 2000)),
        time_zone=_time_zone(os.environ.get("PORTAL_TIME_ZONE", "").strip() or DEFAULT_TIME_ZONE),
    )


settings = load_settings()
