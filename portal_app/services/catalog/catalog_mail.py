"""Mail about quotes and orders, each in its reader's language, with the lines, the total and a link:

- a quote request: a receipt to the contact who asked, a notice to sales (staff);
- a quote sent by staff: to the contact who asked;
- a quote declined, or a request withdrawn, by the customer: a notice to sales, with the reason given;
- an order placed (from the cart, or by accepting a quote): a receipt to the contact, a notice to sales.
- an order moved on by staff (confirmed, shipped, delivered): to the order's contact;
- an order cancelled by staff: to the order's contact, with staff's reason when given.

Built here; the caller stores them in the outbox in the transaction that made the change.
Sales' address is PORTAL_SALES_EMAIL, else the portal's sender address.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from sqlmodel import Session, col, select

from ...i18n import format_day, format_money, format_number, translate
from ...models import Account, Company, Contact, OrderStatus, QuoteRequest, SalesOrder
from ...models.catalog import DocumentLineBase
from ...settings import settings
from ..money import quantity_decimal
from .documents import total_label

MESSAGE_EXCERPT = 1000
# what the contact is told when staff moves an order on (cancelling has its own mail: `order_cancelled`)
MOVED_LINES = {OrderStatus.CONFIRMED: "mail.order.confirmed_line", OrderStatus.SHIPPED: "mail.order.shipped_line",
               OrderStatus.DELIVERED: "mail.order.delivered_line"}


def sales_address() -> str:
    """Where staff-side mail about quotes and orders goes."""
    return os.environ.get("PORTAL_SALES_EMAIL", "").strip() or settings.smtp_from


def _recipient(session: Session, contact_id: int) -> tuple[str, str, str] | None:
    """(address, language, name) of a contact: its portal account's when enabled, else its CRM email."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        return None
    account = session.exec(select(Account).where(Account.contact_id == contact_id, col(Account.enabled).is_(True))).first()
    address, lang = (account.email, account.language) if account else (contact.email, "en")
    return (address, lang, contact.first_name or contact.last_name) if address else None


def _items(lang: str, lines: Sequence[DocumentLineBase], currency: str) -> list[str]:
    out = []
    for line in lines:
        net = getattr(line, "net_cents", None)
        amount = translate(lang, "mail.catalog.on_request") if net is None else format_money(net, currency, lang)
        # a line staff wrote has no code: no empty "()" after its name
        key = "mail.catalog.item_line" if line.code else "mail.catalog.item_line_no_code"
        out.append(translate(lang, key, quantity=format_number(quantity_decimal(line.quantity_milli), lang),
                             unit=line.unit, name=line.name, code=line.code, amount=amount).replace("  ", " "))
    return out


def _body(lang: str, opening: list[str], doc: QuoteRequest | SalesOrder, lines: Sequence[DocumentLineBase],
          link: str) -> str:
    parts = [*opening, "\n".join(_items(lang, lines, doc.currency)),
             translate(lang, total_label(lines, whole="mail.catalog.total_line",
                                         priced="mail.catalog.total_line_priced"),
                       total=format_money(doc.total_cents, doc.currency, lang),
                       vat=format_money(doc.vat_cents, doc.currency, lang))]
    if doc.wanted_delivery_date:
        parts.append(translate(lang, "mail.catalog.delivery_line", date=format_day(doc.wanted_delivery_date, lang)))
    if doc.message:
        parts.append(translate(lang, "mail.catalog.message_line", message=doc.message[:MESSAGE_EXCERPT]))
    parts.append(translate(lang, "mail.catalog.link_line", link=link))
    return "\n\n".join(p for p in parts if p) + "\n"


def _link(kind: str, number: int, *, staff: bool) -> str:
    return f"{settings.portal_url}/{'admin/' if staff else ''}{kind}/{number}"


def _company(session: Session, company_id: int) -> str:
    company = session.get(Company, company_id)
    return company.name if company else ""


def quote_requested(session: Session, quote: QuoteRequest, lines: Sequence[DocumentLineBase]) -> list[dict]:
    mails = []
    who = _recipient(session, quote.contact_id)
    if who is not None:
        to, lang, name = who
        mails.append({"to": to, "subject": translate(lang, "mail.quote.requested_subject", number=quote.number),
                      "body": _body(lang, [translate(lang, "mail.quote.requested_line", name=name, number=quote.number)],
                                    quote, lines, _link("quotes", quote.number, staff=False))})
    company = _company(session, quote.company_id)
    contact = session.get(Contact, quote.contact_id)
    asker = f"{contact.first_name} {contact.last_name}".strip() if contact else ""
    mails.append({"to": sales_address(),
                  "subject": translate("en", "mail.quote.staff_subject", number=quote.number, company=company),
                  "body": _body("en", [translate("en", "mail.quote.staff_line", who=asker, company=company)],
                                quote, lines, _link("quotes", quote.number, staff=True))})
    return mails


def quote_decided(session: Session, quote: QuoteRequest, *, by_contact_id: int | None) -> list[dict]:
    """To sales: the customer declined quote N, or withdrew the request (`quote.status` says which),
    with the reason given, if any. In English, as sales' other notices."""
    company = _company(session, quote.company_id)
    contact = session.get(Contact, by_contact_id) if by_contact_id else None
    who = f"{contact.first_name} {contact.last_name}".strip() if contact else company
    subject_key, line_key = (("mail.quote.staff_withdrawn_subject", "mail.quote.staff_withdrawn_line")
                             if quote.status == "withdrawn"
                             else ("mail.quote.staff_declined_subject", "mail.quote.staff_declined_line"))
    lines = [translate("en", line_key, who=who, company=company, number=quote.number,
                       total=format_money(quote.total_cents, quote.currency, "en")),
             translate("en", "mail.quote.staff_reason_line", reason=quote.decline_reason[:MESSAGE_EXCERPT])
             if quote.decline_reason else translate("en", "mail.quote.staff_no_reason_line"),
             translate("en", "mail.catalog.link_line", link=_link("quotes", quote.number, staff=True))]
    return [{"to": sales_address(), "body": "\n\n".join(lines) + "\n",
             "subject": translate("en", subject_key, number=quote.number, company=company)}]


def quote_sent(session: Session, quote: QuoteRequest, lines: Sequence[DocumentLineBase]) -> list[dict]:
    who = _recipient(session, quote.contact_id)
    if who is None:
        return []
    to, lang, name = who
    # a revision replaces the quote sent before
    line_key, subject_key = (("mail.quote.revised_line", "mail.quote.revised_subject") if quote.revision > 1
                             else ("mail.quote.sent_line", "mail.quote.sent_subject"))
    opening = [translate(lang, line_key, name=name, number=quote.number,
                         total=format_money(quote.total_cents, quote.currency, lang),
                         date=format_day(quote.expires_on, lang))]
    if quote.answer:
        opening.append(translate(lang, "mail.quote.answer_line", answer=quote.answer[:MESSAGE_EXCERPT]))
    return [{"to": to, "subject": translate(lang, subject_key, number=quote.number),
             "body": _body(lang, opening, quote, lines, _link("quotes", quote.number, staff=False))}]


def order_placed(session: Session, order: SalesOrder, lines: Sequence[DocumentLineBase],
                 quote_number: int | None = None) -> list[dict]:
    mails = []
    who = _recipient(session, order.contact_id)
    if who is not None:
        to, lang, name = who
        opening = [translate(lang, "mail.order.placed_line", name=name, number=order.number)]
        if quote_number:
            opening.append(translate(lang, "mail.order.from_quote_line", quote=quote_number))
        mails.append({"to": to, "subject": translate(lang, "mail.order.placed_subject", number=order.number),
                      "body": _body(lang, opening, order, lines, _link("orders", order.number, staff=False))})
    company = _company(session, order.company_id)
    contact = session.get(Contact, order.contact_id)
    buyer = f"{contact.first_name} {contact.last_name}".strip() if contact else ""
    opening = [translate("en", "mail.order.staff_line", who=buyer, company=company)]
    if quote_number:  # (sales' own words: the customer accepted it)
        opening.append(translate("en", "mail.order.from_quote_staff_line", quote=quote_number))
    mails.append({"to": sales_address(),
                  "subject": translate("en", "mail.order.staff_subject", number=order.number, company=company),
                  "body": _body("en", opening, order, lines, _link("orders", order.number, staff=True))})
    return mails


def order_cancelled(session: Session, order: SalesOrder, lines: Sequence[DocumentLineBase]) -> list[dict]:
    """To the order's contact: order N was cancelled, the reason if staff gave one, what was ordered."""
    who = _recipient(session, order.contact_id)
    if who is None:
        return []
    to, lang, name = who
    opening = [translate(lang, "mail.order.cancelled_line", name=name, number=order.number)]
    if order.cancel_reason:
        opening.append(translate(lang, "mail.order.cancel_reason_line", reason=order.cancel_reason[:MESSAGE_EXCERPT]))
    return [{"to": to, "subject": translate(lang, "mail.order.cancelled_subject", number=order.number),
             "body": _body(lang, opening, order, lines, _link("orders", order.number, staff=False))}]


def order_moved(session: Session, order: SalesOrder, lines: Sequence[DocumentLineBase]) -> list[dict]:
    """To the order's contact: order N is now confirmed, shipped or delivered, with what was ordered."""
    who = _recipient(session, order.contact_id)
    if who is None:
        return []
    to, lang, name = who
    status = translate(lang, f"catalog.order_status.{order.status}")
    opening = translate(lang, MOVED_LINES[OrderStatus(order.status)], name=name, number=order.number)
    return [{"to": to, "subject": translate(lang, "mail.order.moved_subject", number=order.number, status=status),
             "body": _body(lang, [opening], order, lines, _link("orders", order.number, staff=False))}]
