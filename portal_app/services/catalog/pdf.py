"""A quote and an order confirmation as PDFs, in the reader's language: the same content as their
pages (lines with discounts, the VAT summary, totals, the messages). Drawn with the invoice's
document parts (`services/pdf_doc.py`)."""

from __future__ import annotations

from ...local_time import local_day
from ...models import OrderStatus
from ...i18n import format_day, format_money, format_number, translate
from ..money import quantity_decimal, rate_decimal
from ..pdf_doc import Doc
from .documents import DocumentDetail, total_label
from .orders import OrderDetail
from .quotes import QuoteDetail


def _render(detail: DocumentDetail, *, lang: str, title: str, facts: list[tuple[str, str]],
            notes: list[tuple[str, str]]) -> bytes:
    def t(key: str, **params: object) -> str:
        return translate(lang, key, **params)

    def money(cents: int) -> str:
        return format_money(cents, detail.currency, lang)

    party, seller = detail.party, detail.party.seller
    doc = Doc(title=title, author=seller.get("name", ""))
    details = "  ·  ".join(p for p in (seller.get("address", ""), f"{t('catalog.pdf.business_id')} "
                                       f"{seller['business_id']}" if seller.get("business_id") else "") if p)
    doc.heading(seller.get("name", ""), title, details)
    customer = [t("catalog.pdf.customer"), party.company_name, *party.company_address]
    if party.contact_name:
        customer.append(t("catalog.pdf.attention", name=party.contact_name))
    doc.parties(customer, facts)
    on_request = t("catalog.pdf.on_request")
    doc.table([(t("catalog.pdf.product"), 0.38, "L"), (t("catalog.pdf.quantity"), 0.11, "R"),
               (t("catalog.pdf.unit_price"), 0.15, "R"), (t("catalog.pdf.discount"), 0.10, "R"),
               (t("catalog.pdf.vat_rate"), 0.09, "R"), (t("catalog.pdf.net"), 0.17, "R")],
              [[line.name + (f" ({line.code})" if line.code else ""),
                format_number(quantity_decimal(line.quantity_milli), lang) + (f" {line.unit}" if line.unit else ""),
                on_request if line.unit_price_cents is None else money(line.unit_price_cents),
                format_number(rate_decimal(line.discount_bp), lang) + " %" if line.discount_bp else "",
                format_number(rate_decimal(line.vat_rate_bp), lang),
                on_request if line.net_cents is None else money(line.net_cents)] for line in detail.lines])
    doc.vat_summary(t("catalog.pdf.vat_summary"), (t("catalog.pdf.vat_rate"), t("catalog.pdf.net"),
                                                   t("catalog.pdf.vat"), t("catalog.pdf.gross")), detail.vat, money, lang)
    totals = [(t("catalog.pdf.discounts"), money(detail.discount_cents), False)] if detail.discount_cents else []
    doc.totals([*totals, (t("catalog.pdf.subtotal"), money(detail.subtotal_cents), False),
                (t("catalog.pdf.vat"), money(detail.vat_cents), False),
                (t(total_label(detail.lines, whole="catalog.pdf.total", priced="catalog.total_priced")),
                 money(detail.total_cents), True)])
    for label, text in notes:
        if text:
            doc.notes(label, text)
            doc.ln(3)
    return bytes(doc.output())


def render_quote(detail: QuoteDetail, language: str) -> bytes:
    """The PDF of a quote page's content (`quotes.get_quote`)."""
    lang = language
    title = f"{translate(lang, 'catalog.pdf.quote')} {detail.number}"
    facts = [(translate(lang, "catalog.pdf.number"), str(detail.number)),
             (translate(lang, "catalog.pdf.date"), format_day(local_day(detail.quoted_at or detail.created_at), lang)),
             (translate(lang, "catalog.pdf.status"), translate(lang, f"catalog.quote_status.{detail.status}"))]
    if detail.expires_on:
        facts.append((translate(lang, "catalog.pdf.valid_until"), format_day(detail.expires_on, lang)))
    if detail.wanted_delivery_date:
        facts.append((translate(lang, "catalog.pdf.wanted_delivery"), format_day(detail.wanted_delivery_date, lang)))
    return _render(detail, lang=lang, title=title, facts=facts,
                   notes=[(translate(lang, "catalog.pdf.answer"), detail.answer),
                          (translate(lang, "catalog.pdf.message"), detail.message)])


def render_order(detail: OrderDetail, language: str) -> bytes:
    """The PDF of an order page's content (`orders.get_order`): the order confirmation; a cancelled
    order's is titled so, with staff's reason, so that no one takes it for a confirmation."""
    lang = language
    cancelled = detail.status == OrderStatus.CANCELLED  # no longer a confirmation: said in its title
    title = f"{translate(lang, 'catalog.pdf.order_cancelled' if cancelled else 'catalog.pdf.order')} {detail.number}"
    facts = [(translate(lang, "catalog.pdf.number"), str(detail.number)),
             (translate(lang, "catalog.pdf.date"), format_day(local_day(detail.created_at), lang)),
             (translate(lang, "catalog.pdf.status"), translate(lang, f"catalog.order_status.{detail.status}"))]
    if detail.quote_number:
        facts.append((translate(lang, "catalog.pdf.from_quote"), str(detail.quote_number)))
    if detail.wanted_delivery_date:
        facts.append((translate(lang, "catalog.pdf.wanted_delivery"), format_day(detail.wanted_delivery_date, lang)))
    return _render(detail, lang=lang, title=title, facts=facts,
                   notes=[(translate(lang, "orders.cancel_reason"), detail.cancel_reason if cancelled else ""),
                          (translate(lang, "catalog.pdf.answer"), detail.answer),
                          (translate(lang, "catalog.pdf.message"), detail.message)])
