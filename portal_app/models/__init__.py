"""SQLModel tables and their schemas. No reflex import here."""

from .account import Account, AuthSession, PasswordToken
from .common import AccountKind, FieldAccess, ModuleAccess, TokenPurpose, utcnow
from .catalog import (
    CartLine, CompanyPriceBook, NumberCounter, Opportunity, OpportunityPublic, OpportunityStage, OrderStatus, PriceBook,
    PriceBookEntry, PriceBookPublic, Product, ProductCategory, ProductCreate, ProductPublic, ProductText, QuoteLine,
    QuoteRequest, QuoteStatus, SalesOrder, SalesOrderLine,
)
from .company import COMPANY_FIELDS, Company, CompanyCreate, CompanyPublic, CompanyUpdate
from .contact import CONTACT_FIELDS, Contact, ContactCreate, ContactPublic, ContactUpdate
from .events import (
    Event, EventCompany, EventCreate, EventPublic, EventStatus, EventUpdate, EventVisibility, Registration,
    RegistrationSource, RegistrationStatus,
)
from .invoices import (
    AttemptStatus, Invoice, InvoiceCounter, InvoiceKind, InvoiceLine, InvoicePublic, InvoiceState, InvoiceStatus,
    Payment, PaymentAttempt, PaymentMethod, StripeEvent,
)
from .documents import DocumentCategory, SharedDocument, SharedDocumentPublic
from .knowledge import Article, ArticlePublic, ArticleVisibility
from .newsletters import MailingList, MailingOptOut
from .reports import MONTHS_DEFAULT, MONTHS_MAX, MONTHS_MIN, Report
from .portal_settings import DEFAULT_MENU_COLOR, PortalSettings
from .security import MailStatus, OutboxMail, ThrottleHit
from .profile import PortalProfile, PortalProfileCreate, PortalProfilePublic
from .ticket import (
    BUG_SEVERITIES, NOT_IN_SLA, PRIORITY_RANK, SEVERITIES, Attachment, Ticket, TicketCategory,
    TicketChange, TicketComment, TicketCounter, TicketFollower, TicketPriority, TicketStatus,
)

__all__ = [
    "Account", "AccountKind", "AuthSession", "COMPANY_FIELDS", "CONTACT_FIELDS", "Company",
    "CompanyCreate", "CompanyPublic", "CompanyUpdate", "Contact", "ContactCreate", "ContactPublic",
    "ContactUpdate", "DEFAULT_MENU_COLOR", "FieldAccess", "ModuleAccess", "PasswordToken", "PortalProfile",
    "PortalProfileCreate", "PortalProfilePublic", "PortalSettings", "TokenPurpose", "utcnow",
    "BUG_SEVERITIES", "NOT_IN_SLA", "PRIORITY_RANK", "SEVERITIES", "Attachment", "Ticket", "TicketCategory",
    "TicketChange", "TicketComment", "TicketCounter", "TicketFollower", "TicketPriority", "TicketStatus",
    "MailStatus", "OutboxMail", "ThrottleHit",
    "Event", "EventCompany", "EventCreate", "EventPublic", "EventStatus", "EventUpdate", "EventVisibility",
    "Registration", "RegistrationSource", "RegistrationStatus",
    "AttemptStatus", "Invoice", "InvoiceCounter", "InvoiceKind", "InvoiceLine", "InvoicePublic", "InvoiceState",
    "InvoiceStatus", "Payment", "PaymentAttempt", "PaymentMethod", "StripeEvent",
    "CartLine", "CompanyPriceBook", "NumberCounter", "Opportunity", "OpportunityPublic", "OpportunityStage",
    "OrderStatus", "PriceBook", "PriceBookEntry", "PriceBookPublic", "Product", "ProductCategory", "ProductCreate",
    "ProductPublic", "QuoteLine", "QuoteRequest", "QuoteStatus", "SalesOrder", "SalesOrderLine",
    "Article", "ArticlePublic", "ArticleVisibility", "MailingList", "MailingOptOut",
    "MONTHS_DEFAULT", "MONTHS_MAX", "MONTHS_MIN", "Report",
    "DocumentCategory", "SharedDocument", "SharedDocumentPublic",
]
