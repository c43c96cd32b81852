"""The Reflex app: registers the pages and the HTTP routes, nothing else."""

import reflex as rx

from . import pages  # noqa: F401  (each page module registers itself)
from .components.shell import PAGES
from .http import http_api
from .maintenance import housekeeping

app = rx.App(api_transformer=http_api)
app.register_lifespan_task(housekeeping)
for spec in PAGES:
    app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load)
