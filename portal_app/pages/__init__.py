"""One module per page; importing them registers the pages."""

from . import (  # noqa: F401
    admin_companies, admin_events, admin_invoices, admin_mail, admin_profiles, admin_settings, admin_tickets,
    admin_knowledge, admin_newsletters, admin_reports, admin_shared_documents, admin_users, catalog, company, events,
    home, invoices, knowledge, login, me, newsletters, not_found, password, reports, shared_documents, tickets,
)
