"""The lines table of the business PDFs: a text wider than its column wraps within it (an Italian
header "Prezzo unitario", a long unit under its quantity, a long description whole), never into the
next column."""

from __future__ import annotations

import io

import pypdf
from sqlmodel import select

from portal_app.models import Product
from portal_app.services.catalog import quotes
from portal_app.services.invoices import admin as invoice_admin
from portal_app.services.invoices import core as invoice_core
from portal_app.services.pdf_doc import Doc

from catalog_world import ACME, STAFF, fill


def _pieces(data: bytes, *, sized: bool = False) -> list[tuple]:
    """Each text shown on the first page: its baseline, left edge (pt), text, whether bold (and, with
    `sized`, its font size in points)."""
    found: list[tuple] = []

    def visit(text, cm, tm, font, size):  # noqa: ANN001
        if text.strip():
            bold = "Bold" in str((font or {}).get("/BaseFont", ""))
            found.append((round(tm[5], 1), tm[4], text, bold, *((size,) if sized else ())))

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return found


def _overlaps(data: bytes) -> list[tuple[str, str]]:
    """Neighbours on one line whose texts run into each other (widths as the document's font gives them)."""
    doc = Doc(title="", author="")
    pt = 72 / 25.4  # points per mm
    lines: dict[float, list[tuple[float, str, bool, float]]] = {}
    for y, x, text, bold, size in _pieces(data, sized=True):
        lines.setdefault(y, []).append((x, text, bold, size))
    touching = []
    for pieces in lines.values():
        pieces.sort()
        for (x, text, bold, size), (next_x, next_text, _, _) in zip(pieces, pieces[1:], strict=False):
            doc.font(size, bold=bold)
            if x + doc.get_string_width(doc.text_of(text.rstrip())) * pt > next_x + doc.get_string_width(" ") * pt:
                touching.append((text, next_text))
    return touching


def test_long_headers_and_units_wrap_within_their_columns(demo):
    s = demo.session
    printer = s.exec(select(Product).where(Product.code == "PRN-100")).one()
    printer.unit = "confezioni da dodici pezzi"
    s.add(printer)
    s.commit()
    fill(demo, ACME, ("PRN-100", "123456"))
    made = quotes.request_quote(session=s, actor=demo.actor(ACME))
    for lang in ("it", "de", "fi", "en"):
        _, data = quotes.quote_pdf(session=s, actor=demo.actor(ACME), number=made.number, language=lang)
        assert _overlaps(data) == [], lang
        words = [text.strip() for _, _, text, _ in _pieces(data)]
        assert {"confezioni", "da dodici", "pezzi"} <= set(words), lang  # the whole unit, over three lines


def test_a_unit_word_wider_than_its_column_is_set_smaller_not_broken(demo):
    """"kilowattituntia" (15 letters) is wider than the quantity column at the body's size: that cell
    is set smaller so the word stays whole; the other cells keep the body's size."""
    acme = demo.company("Acme Oy").id
    draft = invoice_admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=acme, data={
        "lines": [{"description": "Energy", "quantity": "1250", "unit": "kilowattituntia", "unit_price": "0.2",
                   "vat_rate": "24"}]})
    number = invoice_admin.issue_invoice(session=demo.session, actor=demo.actor(STAFF), invoice_id=draft.id).number
    for lang in ("fi", "en"):
        _, data = invoice_core.invoice_pdf(session=demo.session, actor=demo.actor(STAFF), number=number,
                                           language=lang)
        sizes = {text.strip(): size for _, _, text, _, size in _pieces(data, sized=True)}
        assert "kilowattituntia" in sizes, lang  # whole, on one line
        assert 6 <= sizes["kilowattituntia"] < sizes["Energy"] == 9.5
        assert _overlaps(data) == [], lang


def test_a_word_too_long_for_any_size_breaks_at_the_body_size_with_the_rest_of_its_cell(demo):
    """A pasted 290-letter word would not fit whole even at the smallest size: it breaks anyway, so its
    cell keeps the body's size and stays readable ("+1-1" beside it was set at about 5 pt before)."""
    acme = demo.company("Acme Oy").id
    draft = invoice_admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=acme, data={
        "lines": [{"description": "+1-1 " + "L" * 290, "quantity": "1", "unit_price": "10", "vat_rate": "24"}]})
    number = invoice_admin.issue_invoice(session=demo.session, actor=demo.actor(STAFF), invoice_id=draft.id).number
    _, data = invoice_core.invoice_pdf(session=demo.session, actor=demo.actor(STAFF), number=number)
    pieces = _pieces(data, sized=True)
    sizes = {text.strip(): size for _, _, text, _, size in pieces}
    assert sizes["+1-1"] == 9.5
    assert sum(text.count("L") for _, _, text, _, _ in pieces) >= 290 and _overlaps(data) == []


def test_a_long_description_is_on_the_invoice_whole(demo):
    words = [f"word{n}" for n in range(40)]  # 269 characters (at most 300)
    acme = demo.company("Acme Oy").id
    draft = invoice_admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=acme, data={
        "lines": [{"description": " ".join(words), "quantity": "1", "unit_price": "10", "vat_rate": "24"}]})
    number = invoice_admin.issue_invoice(session=demo.session, actor=demo.actor(STAFF), invoice_id=draft.id).number
    _, data = invoice_core.invoice_pdf(session=demo.session, actor=demo.actor(STAFF), number=number)
    shown = " ".join(text for _, _, text, _ in _pieces(data)).split()
    assert all(word in shown for word in words) and _overlaps(data) == []


def test_a_long_company_name_wraps_beside_the_facts(demo):
    acme = demo.company("Acme Oy")
    acme.name = "Muster Maschinenbau GmbH & Co. KG Präzisionsfertigung Stuttgart Süd und Umgebung"
    demo.session.add(acme)
    demo.session.commit()
    draft = invoice_admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=acme.id, data={
        "lines": [{"description": "Work", "quantity": "1", "unit_price": "10", "vat_rate": "24"}]})
    number = invoice_admin.issue_invoice(session=demo.session, actor=demo.actor(STAFF), invoice_id=draft.id).number
    for lang in ("de", "en"):
        _, data = invoice_core.invoice_pdf(session=demo.session, actor=demo.actor(STAFF), number=number, language=lang)
        assert _overlaps(data) == [], lang
        shown = " ".join(text for _, _, text, _ in _pieces(data))
        assert all(word in shown for word in acme.name.split()), lang


def test_a_long_seller_name_wraps_beside_the_title(demo):
    """Settings allow a seller name of 100 characters: it wraps in the header, never over "Rechnung 1005"."""
    from portal_app.services.portal.config import update_portal_settings

    staff = demo.actor(STAFF)
    update_portal_settings(session=demo.session, actor=staff, data={"seller": {
        "name": "Nordlicht Handels GmbH & Co. KG – Zweigstelle Süd, Vertrieb und Kundendienst Region Bayern",
        "address": "Industriestraße 123, Gewerbegebiet Nord, 80331 München, Deutschland, Postfach 4711", "bic": "",
        "business_id": "DE123456789", "iban": "", "bank": ""}})
    acme = demo.company("Acme Oy").id
    draft = invoice_admin.create_draft(session=demo.session, actor=staff, company_id=acme, data={
        "lines": [{"description": "Work", "quantity": "1", "unit_price": "10", "vat_rate": "24"}]})
    number = invoice_admin.issue_invoice(session=demo.session, actor=staff, invoice_id=draft.id).number
    _, data = invoice_core.invoice_pdf(session=demo.session, actor=staff, number=number, language="de")
    assert _overlaps(data) == []
    shown = [text.strip() for _, _, text, _ in _pieces(data)]
    assert f"Rechnung {number}" in shown and any("Bayern" in text for text in shown)
