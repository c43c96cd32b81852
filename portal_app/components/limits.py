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
from ..services.accounts.passwords import MAX_BYTES as PASSWORD_MAX_BYTES
from ..services.events.event_rules import EVENT_TEXT_LIMITS, FIELD_LIMITS as EVENT_PUBLIC_LIMITS, HONEYPOT_FIELD


def _schema_limits(schema: type[BaseModel]) -> dict[str, int]:
    """Field name -> max_length of a schema's fields that have one."""
    return {name: meta.max_length for name, info in schema.model_fields.items()
            for meta in info.metadata if isinstance(meta, MaxLen)}


_TICKET = _schema_limits(Ticket)

# form -> field name -> the most characters the service receiving that form accepts
MAX_LENGTH: dict[str, dict[str, int]] = {
    "account": {"email": _schema_limits(Account)["email"],
                # bcrypt reads 72 bytes (services/passwords.py): no accepted password has more characters
                "password": PASSWORD_MAX_BYTES, "confirm": PASSWORD_MAX_BYTES,
                "current": PASSWORD_MAX_BYTES},
    "company": _schema_limits(CompanyUpdate),
    "contact": _schema_limits(ContactUpdate),
    "profile": _schema_limits(PortalProfileCreate),
    "settings": {
        **_schema_limits(PortalSettings),
        "link_title": 100, "link_url": 500,  # services/portal_config.py parse_links
        "lockout_threshold": 6, "lockout_minutes": 6,  # whole numbers of at most 6 digits (portal_config)
    },
    "ticket": {"title": _TICKET["title"], "description": _TICKET["description"],
               "comment": _schema_limits(TicketComment)["body"]},
    # services/events: the public registration form (the honeypot: whatever a bot types is refused anyway)
    "event_public": {**EVENT_PUBLIC_LIMITS, HONEYPOT_FIELD: 200},
    # staff's event form (times as the form sends them, "2027-03-12T09:00[:00]"; capacity at most 6 digits)
    "event": {**EVENT_TEXT_LIMITS, "starts_at": 19, "ends_at": 19, "registration_deadline": 19, "capacity": 6,
              "contact_email": EVENT_PUBLIC_LIMITS["email"]},
    "search": {"tickets": 200,  # services/ticket_list.py parse_filters keeps 200 characters
               "people": 100},  # directory.list_companies, auth.login_statistics: q of at most 100
}


def max_length(form: str, name: str) -> int:
    """The maxlength of field `name` of `form` (a KeyError for a field nobody registered)."""
    return MAX_LENGTH[form][name]


def max_length_var(form: str, name: rx.Var) -> rx.Var[int]:
    """The same for a field whose name is only known in the browser (rows of a field form)."""
    return rx.Var.create(MAX_LENGTH[form])[name.to(str)].to(int)
