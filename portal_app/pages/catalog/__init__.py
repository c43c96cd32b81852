"""The catalog's pages: browsing with the price book (`browse`), quotes and orders (`documents`),
opportunities (`opportunities`), and the admin panel's side of each (`admin*`)."""

from . import admin, admin_documents, admin_opportunities, browse, documents, opportunities  # noqa: F401
