"""One module per page; importing them registers the pages."""

from . import company, home, login, me, password  # noqa: F401
