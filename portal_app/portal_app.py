"""The Reflex app: registers the pages and the HTTP routes, nothing else."""

from pathlib import Path

import reflex as rx
from reflex.utils.prerequisites import get_states_dir

from . import pages  # noqa: F401  (each page module registers itself)
from .components.page_language import LANGUAGE_PENDING_HEAD
from .components.shell import PAGES
from .http import api_transformers
from .http.middleware import versioned
from .gc_tuning import freeze_startup_objects
from .maintenance import housekeeping, mail_delivery
from .settings import private_dir
from .state.alerts import event_failed
from .state import navigation
from .state.expired_tab import ReloadExpiredTab
from .state.live_reads import ReadCountersOncePerEvent
from .state.state_files import purge_state_files_on_a_clock
from .state.tab_memory import evict_idle_tabs

ASSETS = Path(__file__).resolve().parents[1] / "assets"

# Reflex keeps each tab's state here (without Redis): no token is in it, and nobody else reads it
private_dir(get_states_dir())

# a failed event shows the tab a translated alert (state/alerts.py), not Reflex's English toast
# assets/ticket_draft.js keeps the new-ticket form's draft in the browser, assets/invoice_pay.js runs
# Stripe.js's card form for "Pay now", assets/form_sent.js notes when a form was sent (for `notice`),
# assets/focus_refused.js takes focus to a refused form's first invalid field, assets/focus_kept.js gives
# it back to what opened a dialog once it closes (or to a field drawn anew), assets/pick_to_apply.js
# keeps a select that acts at once (the language) from acting on every arrow key, assets/route_announcer.js
# tells a screen reader the title of a page reached within the app
# (static files: the CSP allows 'self'; linked with their content's hash, kept by the browser)
# a visitor's page is shown once drawn in their language, not in its prerendered English first
# no toast provider: the portal shows no toasts (its messages are next to the fields, or the shell's
# translated alerts), and an empty one put an English "Notifications" region on every page
# assets/readable.css: text at WCAG AA contrast where Radix's soft colours fall short (bundled with the page's CSS)
app = rx.App(api_transformer=api_transformers, backend_exception_handler=event_failed, toaster=None,
             stylesheets=["/readable.css"],
             head_components=[*LANGUAGE_PENDING_HEAD,
                              *[rx.el.script(src=versioned(f"/{name}", ASSETS / name), defer=True)
                                for name in ("ticket_draft.js", "invoice_pay.js", "form_sent.js",
                                             "focus_refused.js", "pick_to_apply.js", "route_announcer.js",
                                             "unsaved_changes.js", "field_limit.js", "focus_kept.js")]])
# the shell's own translated alert (components/alerts.py) replaces Reflex's English connection toast
app.app_wraps.pop((5, "Overlay"), None)
# with Redis, an event reads each change counter there once (state/live_reads.py): first, before
# any other middleware reads one
app.add_middleware(ReadCountersOncePerEvent())
# a self-guarded page's navigation is one event (state/navigation.py): its handler runs within
# on_load_internal (a middleware that must come before ReloadExpiredTab), and where it is still
# queued, Reflex's trailing set_is_hydrated event is left out
app.add_middleware(navigation.RunLoadInline())
navigation.install()
# a tab idle past PORTAL_TAB_STATE_MINUTES reloads its page before its next event (state/expired_tab.py)
app.add_middleware(ReloadExpiredTab())
app.register_lifespan_task(freeze_startup_objects)
app.register_lifespan_task(housekeeping)
app.register_lifespan_task(mail_delivery)
# a tab idle past PORTAL_TAB_MEMORY_SECONDS leaves memory; its state is read back from disk (state/tab_memory.py)
app.register_lifespan_task(evict_idle_tabs)
# expired tab state files are looked for once in a while, not after every write (state/state_files.py)
app.register_lifespan_task(purge_state_files_on_a_clock)
for spec in PAGES:
    # a page's preview image (og:image) is Reflex's `image`, which would otherwise be the favicon
    meta = [m for m in spec.meta or [] if m.get("property") != "og:image"]
    image = next((m["content"] for m in spec.meta or [] if m.get("property") == "og:image"), "favicon.ico")
    app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load, meta=meta, image=image)
