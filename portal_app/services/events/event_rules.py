"""Event vocabularies and limits: defined here, once (the pages and the CSV read them too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from ...models import EventStatus, EventVisibility, RegistrationStatus
from ..translations import TranslatedText

R = RegistrationStatus
VISIBILITIES: tuple[str, ...] = tuple(EventVisibility)
STATUSES: tuple[str, ...] = tuple(RegistrationStatus)
EVENT_STATUSES: tuple[str, ...] = tuple(EventStatus)
HOLDING_SEAT = (R.REGISTERED,)
ACTIVE = (R.REGISTERED, R.WAITING)  # not cancelled: the email is taken on the event

# English names (pages translate `event.status.<value>`; the CSV is for staff's spreadsheets)
VISIBILITY_NAMES = {EventVisibility.ALL_CUSTOMERS: "All customers", EventVisibility.COMPANIES: "Chosen companies",
                    EventVisibility.PUBLIC_ONLY: "Public page only"}

# The public form: these fields, the honeypot (a field people never see; a bot that fills it in is
# refused and nothing is saved), and a consent that must be given.
PUBLIC_FIELDS = ("first_name", "last_name", "email", "company", "phone")
HONEYPOT_FIELD = "website"
CONSENT_FIELD = "consent"
FIELD_LIMITS = {"first_name": 100, "last_name": 100, "email": 254, "company": 200, "phone": 50}
FIRST_EVENT_YEAR = 2000  # an event's times lie from this year up to EVENT_YEARS_AHEAD years from now:
EVENT_YEARS_AHEAD = 10  # "9999-12-31" is a typing slip (and beyond what its calendar file can hold)
REGISTRATION_WINDOW = timedelta(hours=1)  # PORTAL_REGISTRATION_LIMIT counts per address in it

# What staff's event form takes
MAX_CAPACITY = 100_000
EVENT_TEXT_LIMITS = {"title": 200, "description": 20000, "location": 300, "online_url": 500, "price_text": 100,
                     "time_zone": 64, "slug": 80}
# what staff may also write in the portal's other languages (services/translations.py)
EVENT_TEXTS = (TranslatedText("title", EVENT_TEXT_LIMITS["title"]),
               TranslatedText("description", EVENT_TEXT_LIMITS["description"], multi_line=True),
               TranslatedText("price_text", EVENT_TEXT_LIMITS["price_text"]))

# the attendee CSV's columns, as message keys (the header in the reader's language; the time's zone in its own)
CSV_COLUMNS = ("events.csv.first_name", "events.csv.last_name", "events.csv.email", "events.csv.company",
               "events.csv.phone", "events.csv.status", "events.csv.position", "events.csv.checked_in",
               "events.csv.registered_at", "events.csv.source")

# The company public registrants not yet in the CRM are filed under (contacts without portal access)
PUBLIC_COMPANY_NAME = "Event registrations"


def shown_company_name(name: str, translate: Callable[[str], str]) -> str:
    """A company's name as staff see it: the holding company of public registrants in their language."""
    return translate("events.holding_company") if name == PUBLIC_COMPANY_NAME else name
