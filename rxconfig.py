import os
import sys

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from portal_app.settings import settings

if settings.redis_url:
    # with Redis, a worker keeps the state of a tab whose events come to it between those events,
    # writing it to Redis when its lease ends, instead of locking, reading and writing it on every
    # event; a worker that is asked for the tab (a reconnect, an upload) has the lease broken and the
    # state written first (Reflex's opportunistic lock; docs/benchmarks.md, "Twenty-first round")
    os.environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")

# `reflex run --backend-only` (workers behind a frontend served elsewhere) refuses any frontend port,
# so the one port is given to the frontend only when this run serves it
_BACKEND_ONLY = "--backend-only" in sys.argv or os.environ.get("REFLEX_BACKEND_ONLY", "").lower() in ("1", "true", "yes")

config = rx.Config(
    app_name="portal_app",
    # no db_url: the portal has its own engine (portal_app/db.py) and Alembic set-up (make migrate);
    # Reflex's start-up comparison of the models with the database did not know the tickets' search
    # index and said "Detected database schema changes" on every start
    redis_url=settings.redis_url,
    # a tab's state (in memory and on disk, or in Redis) expires after this long without an event; a
    # tab coming back later is hydrated afresh and its page's on_load runs again
    redis_token_expiration=settings.tab_state_minutes * 60,
    deploy_url=settings.portal_url,
    frontend_port=None if _BACKEND_ONLY else settings.port,
    backend_port=settings.port,
    cors_allowed_origins=list(settings.allowed_origins),
    trusted_proxy_hops=settings.trusted_proxy_hops,
    show_built_with_reflex=False,
    telemetry_enabled=False,
    disable_plugins=[SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
)
