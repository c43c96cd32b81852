"""What every text field of the app accepts, in one place: the `maxlength` of each input and textarea.

The numbers come from the schemas the services validate with (the models' `max_length`), and from
the few limits a service sets itself (named here with the service). Pages never carry their own.
The browser then stops typing and pasting at the limit, so no honest form comes near the event
socket's message limit (1 MB); the services check again whatever arrives.
"""

from __future__ import annotations

import reflex as rx
from annotated_types import MaxLen
from pydantic import BaseModel

from ..models import Account, CompanyUpdate, ContactUpdate, PortalProfileCreate, PortalSettings, Ticket, TicketComment
from ..services.accounts.passwords import INPUT_MAX_LENGTH as PASSWORD_INPUT_MAX
from ..services.events.event_rules import EVENT_TEXT_LIMITS, FIELD_LIMITS as EVENT_PUBLIC_LIMITS, HONEYPOT_FIELD
from ..services.catalog.catalog_rules import TEXT_LIMITS as CATALOG_TEXT_LIMITS
from ..services.invoices.invoice_rules import SELLER_LIMITS, TEXT_LIMITS as INVOICE_TEXT_LIMITS
from ..services.documents import shared_files as documents
from ..services.knowledge import articles as kb
from ..services.newsletters import lists as newsletters
from ..services.reports import reports


def _schema_limits(schema: type[BaseModel]) -> dict[str, int]:
    """Field name -> max_length of a schema's fields that have one."""
    return {name: meta.max_length for name, info in schema.model_fields.items()
            for meta in info.metadata if isinstance(meta, MaxLen)}


_TICKET = _schema_limits(Ticket)

# form -> field name -> the most characters the service receiving that form accepts
MAX_LENGTH: dict[str, dict[str, int]] = {
    "account": {"email": _schema_limits(Account)["email"],
                # the one exception to "what the service accepts": past bcrypt's 72 bytes, so a longer
                # password reaches services/accounts/passwords.py and is refused there with a message
                "password": PASSWORD_INPUT_MAX, "confirm": PASSWORD_INPUT_MAX, "current": PASSWORD_INPUT_MAX},
    "company": _schema_limits(CompanyUpdate),
    "contact": _schema_limits(ContactUpdate),
    "profile": _schema_limits(PortalProfileCreate),
    "settings": {
        **_schema_limits(PortalSettings),
        "link_title": 100, "link_url": 500,  # services/portal/config.py parse_links
        "lockout_threshold": 6, "lockout_minutes": 6,  # whole numbers of at most 6 digits (services/portal/config.py)
        **{f"seller_{name}": limit for name, limit in SELLER_LIMITS.items()},  # the seller printed on invoices
    },
    "ticket": {"title": _TICKET["title"], "description": _TICKET["description"],
               "comment": _schema_limits(TicketComment)["body"]},
    # services/events: the public registration form (the honeypot: whatever a bot types is refused anyway)
    "event_public": {**EVENT_PUBLIC_LIMITS, HONEYPOT_FIELD: 200},
    # staff's event form (times as the form sends them, "2027-03-12T09:00[:00]"; capacity at most 6 digits)
    "event": {**EVENT_TEXT_LIMITS, "starts_at": 19, "ends_at": 19, "registration_deadline": 19, "capacity": 6,
              "contact_email": EVENT_PUBLIC_LIMITS["email"]},
    # staff's invoice forms (services/invoices/admin.py): the draft's texts and a bank payment's note;
    # amounts and quantities as typed ("1 240,50": at most 15 digits and 6 decimals, spaces between);
    # dates as the date inputs send them ("2027-03-12")
    "invoice": {**INVOICE_TEXT_LIMITS, "quantity": 30, "unit_price": 30, "vat_rate": 8, "amount": 30,
                "due_date": 10, "issue_date": 10, "issue_due_date": 10, "received_on": 10,
                "refund_amount": 30, "refunded_on": 10, "refund_note": INVOICE_TEXT_LIMITS["note"]},
    # the customer's catalog forms (services/catalog): a quantity as typed ("1,5": a million units with
    # three decimals), the cart's message and wanted date, a quote's decline reason
    "catalog": {"quantity": 12, "message": CATALOG_TEXT_LIMITS["message"], "wanted_delivery_date": 10,
                "reason": CATALOG_TEXT_LIMITS["decline_reason"]},
    # staff's catalog forms (services/catalog/admin.py, quotes.send_quote, opportunities): texts from
    # catalog_rules.TEXT_LIMITS, amounts as typed (as invoices), percentages ("25.5"), dates ("2027-03-12")
    "product": {"code": CATALOG_TEXT_LIMITS["code"], "name": CATALOG_TEXT_LIMITS["name"],
                "unit": CATALOG_TEXT_LIMITS["unit"], "description": CATALOG_TEXT_LIMITS["description"],
                "category_name": CATALOG_TEXT_LIMITS["category"], "list_price": 30, "vat_rate": 8},
    "category": {"name": CATALOG_TEXT_LIMITS["category"]},
    "price_book": {"name": CATALOG_TEXT_LIMITS["price_book"], "valid_from": 10, "valid_to": 10,
                   "code": CATALOG_TEXT_LIMITS["code"], "price": 30, "entry_q": 100},
    "quote_answer": {"name": CATALOG_TEXT_LIMITS["line_name"], "code": CATALOG_TEXT_LIMITS["code"],
                     "unit": CATALOG_TEXT_LIMITS["unit"], "quantity": 30, "unit_price": 30, "discount": 8,
                     "vat_rate": 8, "expires_on": 10, "answer": CATALOG_TEXT_LIMITS["answer"]},
    "opportunity": {"name": CATALOG_TEXT_LIMITS["opportunity"], "owner_name": CATALOG_TEXT_LIMITS["owner_name"],
                    "description": CATALOG_TEXT_LIMITS["opportunity_description"], "amount": 30, "probability": 3,
                    "expected_close": 10},
    # staff's knowledge-base article (services/knowledge/articles.py)
    "article": {"title": kb.TITLE_MAX, "category": kb.CATEGORY_MAX, "body": kb.BODY_MAX},
    # staff's report (services/reports/reports.py)
    "report": {"title": reports.TITLE_MAX, "description": reports.DESCRIPTION_MAX, "months": 2},
    # staff's list types (services/newsletters/lists.py) and the address of a landing link
    "newsletter": {"name": newsletters.NAME_MAX, "description": newsletters.DESCRIPTION_MAX,
                   "email": _schema_limits(Account)["email"]},
    # staff's shared document (services/documents/shared_files.py)
    "document": {"title": documents.TITLE_MAX, "description": documents.DESCRIPTION_MAX},
    "search": {"tickets": 200,  # services/ticket_list.py parse_filters keeps 200 characters
               "people": 100,  # directory.list_companies, auth.login_statistics: q of at most 100
               "articles": kb.SEARCH_MAX},  # knowledge/articles.list_articles
}


def max_length(form: str, name: str) -> int:
    """The maxlength of field `name` of `form` (a KeyError for a field nobody registered)."""
    return MAX_LENGTH[form][name]


def max_length_var(form: str, name: rx.Var) -> rx.Var[int]:
    """The same for a field whose name is only known in the browser (rows of a field form)."""
    return rx.Var.create(MAX_LENGTH[form])[name.to(str)].to(int)
