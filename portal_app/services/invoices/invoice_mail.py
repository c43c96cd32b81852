"""Mail about invoices, each in its reader's language, with a link to the invoice in the portal (the
PDF stays behind the sign-in, never attached):

- an invoice or a credit note issued: to each of the company's people who see its invoices now
  (`scope.sees_invoices`: an enabled portal account whose profile grants the Invoices module);
  "pay by card" is offered to those who may pay, when online payment is on;
- an invoice voided: to the same people, so that nobody pays it by its reference;
- a card payment recorded: a receipt to the person who paid, while they still see the invoice;
- a bank transfer staff recorded: a receipt to each reader of the company's invoices.

Built here; the caller stores them in the outbox in the transaction that made the change (only the
change that wins mails), and the mail worker sends them (`maintenance.mail_delivery`, every 30 s).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from ...i18n import format_day, format_money, translate
from ...models import Account, AccountKind, Contact, Invoice, InvoiceKind
from ...settings import settings
from ..actor import Actor, build_actor, granting_profiles
from ..portal.row import get_portal_settings
from .core import payments_enabled
from .invoice_rules import seller_of
from .scope import may_pay, sees_invoices


def _link(invoice: Invoice) -> str:
    return f"{settings.portal_url}/invoices/{invoice.number}"


def _readers(session: Session, company_id: int) -> list[tuple[Actor, str]]:
    """(actor, first name) of everyone at the company who may open its invoices now: the contacts
    whose profile grants Invoices (one statement, however many people the company has), each then
    checked as the invoice pages check them."""
    profiles = granting_profiles(session, "invoices")
    if not profiles:
        return []
    rows = session.exec(select(Account, Contact).join(Contact, col(Contact.id) == Account.contact_id)
                        .where(Contact.company_id == company_id, col(Contact.profile_id).in_(profiles),
                               col(Account.enabled).is_(True), Account.kind == AccountKind.CONTACT)
                        .order_by(col(Account.id))).all()
    readers = []
    for account, contact in rows:
        actor = build_actor(session, account)
        if actor is not None and sees_invoices(actor):
            readers.append((actor, contact.first_name or contact.last_name))
    return readers


def issued(session: Session, invoice: Invoice) -> list[dict]:
    """An invoice or a credit note just issued, to each reader of the company's invoices."""
    # the seller as the invoice names it (the portal's name while Settings name none)
    seller = seller_of(invoice.seller)["name"] or get_portal_settings(session).portal_name
    company = invoice.bill_to[0] if invoice.bill_to else ""
    credited = session.get(Invoice, invoice.credit_for_id) if invoice.credit_for_id else None
    card = payments_enabled()
    mails = []
    for reader, name in _readers(session, invoice.company_id):
        lang = reader.language

        def money(cents: int, lang: str = lang) -> str:
            return format_money(cents, invoice.currency, lang)

        if invoice.kind == InvoiceKind.CREDIT_NOTE:
            subject = translate(lang, "mail.invoice.credit_subject", number=invoice.number, seller=seller)
            lines = [translate(lang, "mail.invoice.credit_line", name=name, seller=seller, number=invoice.number,
                               invoice=credited.number if credited else "", total=money(-invoice.total_cents))]
        else:
            subject = translate(lang, "mail.invoice.issued_subject", number=invoice.number, seller=seller)
            lines = [translate(lang, "mail.invoice.issued_line", name=name, seller=seller, number=invoice.number,
                               company=company),
                     "\n".join([translate(lang, "mail.invoice.amount_line", total=money(invoice.total_cents),
                                          vat=money(invoice.vat_cents)),
                                translate(lang, "mail.invoice.due_line", date=format_day(invoice.due_date, lang)),
                                translate(lang, "mail.invoice.reference_line", reference=invoice.reference)])]
        pays = card and invoice.kind == InvoiceKind.INVOICE and may_pay(reader)
        link = ("mail.invoice.credit_link_line" if invoice.kind == InvoiceKind.CREDIT_NOTE
                else "mail.invoice.pay_line" if pays else "mail.invoice.link_line")
        lines.append(translate(lang, link, link=_link(invoice)))
        mails.append({"to": reader.email, "subject": subject, "body": "\n\n".join(lines) + "\n"})
    return mails


def voided(session: Session, invoice: Invoice) -> list[dict]:
    """An issued invoice voided: each reader of the company's invoices is told not to pay it."""
    seller = seller_of(invoice.seller)["name"] or get_portal_settings(session).portal_name
    mails = []
    for reader, name in _readers(session, invoice.company_id):
        lang = reader.language
        lines = [translate(lang, "mail.invoice.void_line", name=name, seller=seller, number=invoice.number,
                           total=format_money(invoice.total_cents, invoice.currency, lang), reference=invoice.reference),
                 translate(lang, "mail.invoice.link_line", link=_link(invoice))]
        mails.append({"to": reader.email, "body": "\n\n".join(lines) + "\n",
                      "subject": translate(lang, "mail.invoice.void_subject", number=invoice.number, seller=seller)})
    return mails


def payment_received(session: Session, invoice: Invoice, *, amount_cents: int, excess_cents: int,
                     payer_id: int | None) -> list[dict]:
    """A receipt for a card payment of `amount_cents` on `invoice` (as it is after the payment), to
    the account that started it, while that account still sees the company's invoices. What came
    above the open balance (`excess_cents`, flagged to staff) is said to be returned."""
    account = session.get(Account, payer_id) if payer_id else None
    payer = build_actor(session, account) if account is not None else None
    if payer is None or not sees_invoices(payer) or payer.company_id != invoice.company_id:
        return []
    contact = session.get(Contact, payer.contact_id) if payer.contact_id else None
    name = (contact.first_name or contact.last_name) if contact else ""
    return [_receipt(invoice, payer, name, "mail.invoice.paid_line", amount_cents, excess_cents)]


def bank_payment_received(session: Session, invoice: Invoice, *, amount_cents: int, excess_cents: int) -> list[dict]:
    """A receipt for a bank transfer staff recorded on `invoice` (as it is after it), to each reader of
    the company's invoices (a transfer names no person)."""
    return [_receipt(invoice, reader, name, "mail.invoice.bank_paid_line", amount_cents, excess_cents)
            for reader, name in _readers(session, invoice.company_id)]


def _receipt(invoice: Invoice, reader: Actor, name: str, first_line: str, amount_cents: int,
             excess_cents: int) -> dict:
    """A payment's receipt: what came, then what is still open, or that the invoice is paid, or that
    what came above the open amount is to be returned."""
    lang = reader.language

    def money(cents: int) -> str:
        return format_money(cents, invoice.currency, lang)

    lines = [translate(lang, first_line, name=name, number=invoice.number, amount=money(amount_cents))]
    if excess_cents:
        lines.append(translate(lang, "mail.invoice.excess_line", excess=money(excess_cents)))
    elif invoice.balance_cents > 0:
        lines.append(translate(lang, "mail.invoice.balance_line", balance=money(invoice.balance_cents)))
    else:
        lines.append(translate(lang, "mail.invoice.settled_line"))
    lines.append(translate(lang, "mail.invoice.link_line", link=_link(invoice)))
    return {"to": reader.email, "subject": translate(lang, "mail.invoice.paid_subject", number=invoice.number),
            "body": "\n\n".join(lines) + "\n"}
