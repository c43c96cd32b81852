"""The shop's journey on the services: cart -> quote request -> staff's answer -> accepted -> sales
order; cart -> order; prices frozen on the lines; expiry; declining; staff's order statuses; the
same form sent twice; mails and PDFs."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf
import pytest
from sqlmodel import col, select

from portal_app.i18n import format_day
from portal_app.local_time import today as local_today
from portal_app.models import Account, OutboxMail, QuoteLine, QuoteRequest, SalesOrder, SalesOrderLine, utcnow
from portal_app.services.catalog import admin, cart, documents, orders, quotes
from portal_app.services.companies import directory
from portal_app.services.catalog.catalog_mail import sales_address
from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed

from catalog_world import ACME, GLOBEX, STAFF, answer, fill, pid


def mails(demo, ids) -> list[OutboxMail]:
    return list(demo.session.exec(select(OutboxMail).where(col(OutboxMail.id).in_(ids)).order_by(OutboxMail.id)).all())


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_cart_to_quote_to_order(demo):
    s, aino = demo.session, demo.actor(ACME)
    view = fill(demo, ACME, ("PRN-100", "2"), ("SRV-200", "3"), ("PRN-100", "1"))
    assert [(li.code, li.quantity_milli, li.unit_price_cents, li.net_cents) for li in view.lines] == [
        ("PRN-100", 3000, 44900, 134700), ("SRV-200", 3000, None, None)]
    assert (view.subtotal_cents, view.vat_cents, view.total_cents) == (134700, 34349, 169049)
    assert view.on_request and view.may_request_quote and not view.may_order and view.quote_only == ["SRV-200"]
    view = cart.set_quantity(session=s, actor=aino, product_id=pid(demo, "PRN-100"), quantity="2")
    assert view.lines[0].quantity_milli == 2000

    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as err:
        orders.place_order(session=s, actor=aino)
    assert err.value.fields == {"cart": ("error.catalog_not_orderable", {"codes": "SRV-200"})}
    assert demo.committed_state() == before

    wanted = local_today() + timedelta(days=14)
    made = quotes.request_quote(session=s, actor=aino, message="For the 3rd floor.", wanted_delivery_date=wanted)
    assert made.number == 1006 and not made.repeated  # the demo has 1001-1005
    assert cart.view_cart(session=s, actor=demo.actor(ACME)).lines == []
    sent = mails(demo, made.mail_ids)
    assert [m.to for m in sent] == [ACME, sales_address()]
    assert sent[0].subject == "Quote request 1006 received" and "Office printer (PRN-100)" in sent[0].body
    assert "price on request" in sent[0].body and "For the 3rd floor." in sent[0].body
    # its total leaves the line on request out, and says so (not a total that looks complete)
    assert "Total of the priced lines" in sent[0].body
    assert "Total of the priced lines" in pdf_text(quotes.quote_pdf(session=s, actor=aino, number=1006)[1])
    assert sent[1].subject == "New quote request 1006 from Acme Oy" and "/admin/quotes/1006" in sent[1].body

    detail = quotes.get_quote(session=s, actor=aino, number=1006)
    assert detail.status == "requested" and detail.on_request and not detail.may_decide
    assert detail.wanted_delivery_date == wanted and detail.message == "For the 3rd floor."
    inbox = quotes.list_quotes(session=s, actor=demo.actor(STAFF), status="requested")
    assert [r.number for r in inbox.rows] == [1006, 1001] and inbox.rows[0].on_request

    proposal = quotes.start_answer(session=s, actor=demo.actor(STAFF), number=1006)
    assert [(li.code, li.unit_price_cents) for li in proposal.lines] == [("PRN-100", 44900), ("SRV-200", None)]
    assert proposal.expires_on == local_today() + timedelta(days=30) and proposal.price_book == "Acme 2026"
    with pytest.raises(ValidationFailed) as err:  # every line needs a price now
        answer(demo, 1006, prices={"SRV-200": ""})
    assert set(err.value.fields) == {"lines.1.unit_price"}
    mail_ids = answer(demo, 1006, discounts={"PRN-100": "10"}, prices={"SRV-200": "90"})
    [quoted] = mails(demo, mail_ids)
    assert "Total of the priced lines" not in quoted.body  # every line priced now
    assert quoted.to == ACME and quoted.subject == "Your quote 1006"

    detail = quotes.get_quote(session=s, actor=aino, number=1006)
    assert detail.status == "quoted" and detail.may_decide and not detail.on_request
    assert [(li.code, li.unit_price_cents, li.discount_bp, li.discount_cents, li.net_cents) for li in detail.lines] == [
        ("PRN-100", 44900, 1000, 8980, 80820), ("SRV-200", 9000, 0, 0, 27000)]
    assert (detail.subtotal_cents, detail.vat_cents, detail.total_cents, detail.discount_cents) == (
        107820, 27494, 135314, 8980)

    assert detail.revision == 1
    answer(demo, 1006, discounts={"PRN-100": "5"}, prices={"SRV-200": "90"})  # staff revises it meanwhile
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as err:  # the page showed the first version
        quotes.accept_quote(session=s, actor=aino, number=1006, revision=1)
    assert err.value.fields == {"form": ("error.quote_revised", {})} and demo.committed_state() == before
    for bad in ("x", -1, "01", 1.5, 2**64):
        with pytest.raises(ValidationFailed):
            quotes.accept_quote(session=s, actor=aino, number=1006, revision=bad)
    answer(demo, 1006, discounts={"PRN-100": "10"}, prices={"SRV-200": "90"})  # back to the first terms
    detail = quotes.get_quote(session=s, actor=aino, number=1006)
    assert detail.revision == 3 and detail.total_cents == 135314
    accepted = quotes.accept_quote(session=s, actor=aino, number=1006, revision=detail.revision)
    assert accepted.order_number == 1004  # the demo has orders 1001-1003
    order = orders.get_order(session=s, actor=aino, number=1004)
    assert order.status == "received" and order.quote_number == 1006 and order.total_cents == 135314
    assert order.answer == "Here."  # sales' message with the quote goes with the order, and into its PDF
    order_text = pdf_text(orders.order_pdf(session=s, actor=aino, number=1004)[1])
    assert "Our message" in order_text and "Here." in order_text
    assert [(li.code, li.unit_price_cents, li.discount_bp, li.net_cents) for li in order.lines] == [
        ("PRN-100", 44900, 1000, 80820), ("SRV-200", 9000, 0, 27000)]
    assert quotes.get_quote(session=s, actor=aino, number=1006).order_number == 1004
    customer_mail, sales_mail = mails(demo, accepted.mail_ids)
    assert [customer_mail.subject, sales_mail.subject] == ["Order 1004 received", "New order 1004 from Acme Oy"]
    assert "your accepted quote 1006" in customer_mail.body  # each told in its own words
    assert "It comes from quote 1006, which the customer accepted." in sales_mail.body and "your" not in sales_mail.body
    with pytest.raises(ValidationFailed) as err:
        quotes.accept_quote(session=s, actor=aino, number=1006)
    assert err.value.fields == {"form": ("error.quote_not_open", {})}
    assert 1004 in [r.number for r in orders.list_orders(session=s, actor=aino).rows]
    assert 1004 not in [r.number for r in orders.list_orders(session=s, actor=demo.actor(GLOBEX)).rows]


def test_prices_are_frozen_on_quotes_and_orders(demo):
    s, aino, staff = demo.session, demo.actor(ACME), demo.actor(STAFF)
    book = next(b for b in admin.list_price_books(session=s, actor=staff).rows if b.name == "Acme 2026")
    fill(demo, ACME, ("PRN-100", "1"), ("TON-100", "2"))
    quote = quotes.request_quote(session=s, actor=aino).number
    fill(demo, ACME, ("PRN-100", "1"))
    order = orders.place_order(session=s, actor=aino).number
    fill(demo, ACME, ("PRN-100", "1"))  # a cart is not frozen: it shows today's prices
    admin.set_entry(session=s, actor=staff, book_id=book.id, product_id=pid(demo, "PRN-100"), price="399")
    admin.update_product(session=s, actor=staff, product_id=pid(demo, "PRN-100"), data={"name": "Printer 2",
                                                                                         "list_price": "599"})
    admin.remove_entry(session=s, actor=staff, book_id=book.id, product_id=pid(demo, "TON-100"))
    detail = quotes.get_quote(session=s, actor=aino, number=quote)
    assert [(li.name, li.unit_price_cents) for li in detail.lines] == [("Office printer", 44900),
                                                                      ("Toner cartridge, black", 7900)]
    assert detail.subtotal_cents == 44900 + 2 * 7900
    placed = orders.get_order(session=s, actor=aino, number=order)
    assert [(li.name, li.unit_price_cents) for li in placed.lines] == [("Office printer", 44900)]
    assert cart.view_cart(session=s, actor=aino).lines[0].unit_price_cents == 39900
    # staff's answer starts from today's prices: TON-100 is now on request, kept at the requested price
    proposal = quotes.start_answer(session=s, actor=staff, number=quote)
    assert [(li.code, li.unit_price_cents) for li in proposal.lines] == [("PRN-100", 39900), ("TON-100", 7900)]


def test_an_expired_quote_cannot_be_accepted(demo):
    s, aino = demo.session, demo.actor(ACME)
    today = local_today()
    fill(demo, ACME, ("LAP-140", "2"))
    number = quotes.request_quote(session=s, actor=aino).number
    answer(demo, number, expires_on=today + timedelta(days=1))
    later = utcnow() + timedelta(days=2)
    with pytest.raises(ValidationFailed) as err:
        quotes.accept_quote(session=s, actor=aino, number=number, now=later)
    # no ISO date in the refusal: the page says "was valid until <the date in the user's language>"
    assert err.value.fields == {"form": ("error.quote_expired", {})}
    with pytest.raises(ValidationFailed):
        quotes.decline_quote(session=s, actor=aino, number=number, now=later)
    assert quotes.get_quote(session=s, actor=aino, number=number, today=local_today(later)).status == "expired"
    assert not quotes.get_quote(session=s, actor=aino, number=number, today=local_today(later)).may_decide
    expired = quotes.list_quotes(session=s, actor=aino, status="expired", today=local_today(later))
    assert number in [r.number for r in expired.rows]
    assert number not in [r.number for r in quotes.list_quotes(session=s, actor=aino, status="quoted",
                                                               today=local_today(later)).rows]
    assert demo.session.exec(select(SalesOrder).where(SalesOrder.quote_id == quotes.load_quote(
        s, aino, number).id)).first() is None
    # the last day itself still counts
    on_the_day = utcnow() + timedelta(days=1)
    assert quotes.accept_quote(session=s, actor=aino, number=number, now=on_the_day).order_number


def test_staff_renews_an_expired_quote(demo):
    s = demo.session
    # the demo's Globex quote 1004 expired weeks ago
    assert quotes.get_quote(session=s, actor=demo.actor(GLOBEX), number=1004).status == "expired"
    assert quotes.start_answer(session=s, actor=demo.actor(STAFF), number=1004).expires_on == \
        local_today() + timedelta(days=30)
    answer(demo, 1004)
    assert quotes.get_quote(session=s, actor=demo.actor(GLOBEX), number=1004).may_decide
    assert quotes.accept_quote(session=s, actor=demo.actor(GLOBEX), number=1004).order_number == 1004


def test_decline_and_withdraw(demo):
    s, aino = demo.session, demo.actor(ACME)
    declined = quotes.decline_quote(session=s, actor=aino, number=1002, reason="  Too expensive this year.  ")
    detail = quotes.get_quote(session=s, actor=aino, number=1002)
    assert (detail.status, detail.decline_reason, detail.may_decide) == ("declined", "Too expensive this year.", False)
    [notice] = mails(demo, declined)  # sales hears of it, with the reason
    assert notice.to == sales_address() and notice.subject == "Quote 1002 for Acme Oy declined"
    assert "declined quote 1002" in notice.body and "Reason given: Too expensive this year." in notice.body
    with pytest.raises(ValidationFailed):
        quotes.accept_quote(session=s, actor=aino, number=1002)
    with pytest.raises(ValidationFailed):
        quotes.start_answer(session=s, actor=demo.actor(STAFF), number=1002)
    withdrawn = quotes.decline_quote(session=s, actor=aino, number=1001)  # a request not answered yet: withdrawn
    assert quotes.get_quote(session=s, actor=aino, number=1001).status == "withdrawn"
    [notice] = mails(demo, withdrawn)
    assert notice.subject == "Quote request 1001 from Acme Oy withdrawn" and "No reason was given." in notice.body
    assert [r.number for r in quotes.list_quotes(session=s, actor=aino, status="withdrawn").rows] == [1001]
    assert 1001 not in [r.number for r in quotes.list_quotes(session=s, actor=aino, status="declined").rows]
    with pytest.raises(ValidationFailed):
        quotes.decline_quote(session=s, actor=aino, number=1003)  # accepted already


def test_a_withdrawal_of_a_request_answered_meanwhile_declines_nothing(demo):
    """The customer chose "Withdraw request"; sales sent the quote before it arrived: the quote,
    never seen, is not declined (it is shown instead); declining it then is the customer's choice."""
    s, aino = demo.session, demo.actor(ACME)
    answer(demo, 1001)  # 1001 was a request: quoted now
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        quotes.decline_quote(session=s, actor=aino, number=1001, meant="withdraw")
    assert exc.value.fields == {"form": ("error.quote_answered_meanwhile", {})}
    assert demo.committed_state() == before  # nothing changed, nobody mailed and quotes.get_quote(session=s, actor=aino, number=1001).may_decide
    with pytest.raises(ValidationFailed):
        quotes.decline_quote(session=s, actor=aino, number=1001, meant="cancel")  # no such choice
    quotes.decline_quote(session=s, actor=aino, number=1001, meant="decline")
    assert quotes.get_quote(session=s, actor=aino, number=1001).status == "declined"


def test_an_order_or_a_request_sent_for_a_cart_that_changed_since_it_was_shown_is_refused(demo):
    s, greta = demo.session, demo.actor(GLOBEX)
    fill(demo, GLOBEX, ("LAP-140", "2"))
    shown = cart.view_cart(session=s, actor=greta).priced_as
    assert shown == cart.view_cart(session=s, actor=greta).priced_as  # the same cart: the same digest
    fill(demo, GLOBEX, ("LAP-140", "1"))  # another tab added one: 3 now
    before = demo.committed_state()
    for send in (orders.place_order, quotes.request_quote):
        with pytest.raises(ValidationFailed) as refused:
            send(session=s, actor=greta, shown_prices=shown)
        assert refused.value.fields == {"form": ("error.catalog_cart_changed", {})}
    assert demo.committed_state() == before
    now_shown = cart.view_cart(session=s, actor=greta)
    placed = orders.place_order(session=s, actor=greta, shown_prices=now_shown.priced_as)
    assert orders.get_order(session=s, actor=greta, number=placed.number).total_cents == now_shown.total_cents


def test_order_from_the_cart_and_staff_moves_it(demo):
    s, greta, staff = demo.session, demo.actor(GLOBEX), demo.actor(STAFF)
    fill(demo, GLOBEX, ("LAP-140", "2"), ("SRV-200", "1.5"))
    placed = orders.place_order(session=s, actor=greta, message="Deliver to Berlin.",
                                wanted_delivery_date=local_today())
    order = orders.get_order(session=s, actor=greta, number=placed.number)
    assert [(li.code, li.quantity_milli, li.unit_price_cents, li.net_cents) for li in order.lines] == [
        ("LAP-140", 2000, 119000, 238000), ("SRV-200", 1500, 9500, 14250)]
    assert (order.status, order.subtotal_cents, order.vat_cents, order.total_cents) == ("received", 252250, 64324,
                                                                                        316574)
    assert order.next_statuses == [] and cart.view_cart(session=s, actor=greta).lines == []
    assert [m.to for m in mails(demo, placed.mail_ids)][0] == GLOBEX
    assert orders.get_order(session=s, actor=staff, number=placed.number).next_statuses == [
        "confirmed", "shipped", "cancelled"]
    assert orders.set_order_status(session=s, actor=staff, number=placed.number, status="shipped").status == "shipped"
    for bad in ("cancelled", "received", "bogus", None):
        with pytest.raises(ValidationFailed):
            orders.set_order_status(session=s, actor=staff, number=placed.number, status=bad)
    orders.set_order_status(session=s, actor=staff, number=placed.number, status="delivered")
    assert orders.order_state(session=s, actor=greta, number=placed.number).status == "delivered"
    assert [r.number for r in orders.list_orders(session=s, actor=greta, status="delivered").rows] == [
        placed.number, 1003]
    with pytest.raises(ValidationFailed) as err:
        orders.place_order(session=s, actor=greta)
    assert err.value.fields == {"cart": ("error.catalog_cart_empty", {})}
    with pytest.raises(ValidationFailed):
        orders.place_order(session=s, actor=greta, wanted_delivery_date=local_today() - timedelta(days=1))
    fill(demo, GLOBEX, ("LAP-140", "1"))
    for far in ("9999-12-31", local_today() + timedelta(days=3 * 366)):  # a slip of the keyboard
        with pytest.raises(ValidationFailed) as err:
            quotes.request_quote(session=s, actor=greta, wanted_delivery_date=far)
        assert err.value.fields == {"wanted_delivery_date": ("error.catalog_date_far", {"years": 2})}
    assert quotes.request_quote(session=s, actor=greta, wanted_delivery_date=local_today() + timedelta(days=300))


def test_the_same_form_twice_makes_one(demo):
    s, aino = demo.session, demo.actor(ACME)
    fill(demo, ACME, ("PRN-100", "1"))
    first = quotes.request_quote(session=s, actor=aino, submission_id="q" * 20)
    again = quotes.request_quote(session=s, actor=aino, submission_id="q" * 20)
    assert (again.number, again.repeated, again.mail_ids) == (first.number, True, [])
    fill(demo, ACME, ("PRN-100", "1"))
    placed = orders.place_order(session=s, actor=aino, submission_id="o" * 20)
    assert orders.place_order(session=s, actor=aino, submission_id="o" * 20) == documents.Made(
        number=placed.number, mail_ids=[], repeated=True)
    assert s.exec(select(QuoteRequest).where(QuoteRequest.number > 1005)).all().__len__() == 1
    for bad in ("short", "x" * 65, 5, "bad id with spaces!"):
        with pytest.raises(ValidationFailed):
            orders.place_order(session=s, actor=aino, submission_id=bad)


def test_add_to_cart_once_per_submission_id(demo):
    s, aino = demo.session, demo.actor(ACME)

    def add(code: str, quantity: str, submission: str | None) -> list[tuple[str, int]]:
        view = cart.add_to_cart(session=s, actor=aino, product_id=pid(demo, code), quantity=quantity,
                                submission_id=submission)
        return [(li.code, li.quantity_milli) for li in view.lines]

    assert add("PRN-100", "1", "a" * 20) == [("PRN-100", 1000)]
    assert add("PRN-100", "1", "a" * 20) == [("PRN-100", 1000)]  # the same click again: nothing more
    assert add("PRN-100", "2", "b" * 20) == [("PRN-100", 3000)]  # a new click adds
    assert add("PRN-100", "2", "b" * 20) == [("PRN-100", 3000)]
    assert add("MON-240", "1", "b" * 20) == [("PRN-100", 3000), ("MON-240", 1000)]  # an id is per line
    assert add("PRN-100", "1", None) == [("PRN-100", 4000), ("MON-240", 1000)]  # no id: nothing to compare
    assert add("PRN-100", "1", None) == [("PRN-100", 5000), ("MON-240", 1000)]
    for bad in ("short", "x" * 65, 5, "bad id with spaces!"):
        with pytest.raises(ValidationFailed):
            add("PRN-100", "1", bad)


def test_add_to_cart_sent_twice_at_once_adds_once(demo, monkeypatch):
    """The other sending of the same click went in between this one's reading of the cart and its
    UPDATE (two events at the same moment): the conditional UPDATE adds nothing."""
    s, aino = demo.session, demo.actor(ACME)
    real = cart.cart_items

    def racing(session, actor, day):  # noqa: ANN001, ANN202
        found = real(session, actor, day)
        monkeypatch.setattr(cart, "cart_items", real)
        cart.add_to_cart(session=session, actor=actor, product_id=pid(demo, "PRN-100"), quantity="1",
                         submission_id="c" * 20)
        return found

    fill(demo, ACME, ("PRN-100", "1"))
    monkeypatch.setattr(cart, "cart_items", racing)
    view = cart.add_to_cart(session=s, actor=aino, product_id=pid(demo, "PRN-100"), quantity="1", submission_id="c" * 20)
    assert [(li.code, li.quantity_milli) for li in view.lines] == [("PRN-100", 2000)]
    monkeypatch.setattr(cart, "cart_items", racing)  # the line made by both at once
    view = cart.add_to_cart(session=s, actor=aino, product_id=pid(demo, "MON-240"), quantity="1", submission_id="c" * 20)
    assert [(li.code, li.quantity_milli) for li in view.lines] == [("PRN-100", 2000), ("MON-240", 1000)]


def _quoted_mails(demo, number: int) -> int:
    return len(demo.session.exec(select(OutboxMail).where(
        col(OutboxMail.subject).in_([f"Your quote {number}", f"Revised quote {number}"]))).all())


def _answer_data(demo, number: int, price: str) -> dict:
    proposal = quotes.start_answer(session=demo.session, actor=demo.actor(STAFF), number=number)
    return {"lines": [{"product_id": li.product_id, "code": li.code, "name": li.name, "unit": li.unit,
                       "quantity": "1", "vat_rate": "25.5", "unit_price": price} for li in proposal.lines],
            "expires_on": proposal.expires_on, "answer": ""}


def test_send_quote_once_per_submission_id(demo):
    s, staff = demo.session, demo.actor(STAFF)
    data = _answer_data(demo, 1001, "100")
    assert quotes.send_quote(session=s, actor=staff, number=1001, data=data, submission_id="s" * 20)
    quoted_at = s.exec(select(QuoteRequest.quoted_at).where(QuoteRequest.number == 1001)).one()
    assert quotes.send_quote(session=s, actor=staff, number=1001, data=data, submission_id="s" * 20) == []
    assert _quoted_mails(demo, 1001) == 1
    assert s.exec(select(QuoteRequest.quoted_at).where(QuoteRequest.number == 1001)).one() == quoted_at
    # a revision (a new form) is sent; so is a form without an id (nothing to compare)
    assert quotes.send_quote(session=s, actor=staff, number=1001, data=_answer_data(demo, 1001, "90"),
                             submission_id="t" * 20)
    revised = s.exec(select(OutboxMail).order_by(col(OutboxMail.id).desc())).first()
    assert revised.subject == "Revised quote 1001" and "It replaces the one we sent before" in revised.body
    assert quotes.send_quote(session=s, actor=staff, number=1001, data=data)
    assert _quoted_mails(demo, 1001) == 3
    for bad in ("short", "x" * 65, 5, "bad id with spaces!"):
        with pytest.raises(ValidationFailed):
            quotes.send_quote(session=s, actor=staff, number=1001, data=data, submission_id=bad)
    with pytest.raises(PermissionDenied):  # the id tells nothing to a customer
        quotes.send_quote(session=s, actor=demo.actor(ACME), number=1001, data=data, submission_id="t" * 20)


def test_send_quote_sent_twice_at_once_mails_once(demo, monkeypatch):
    """Both sendings of one form passed the first check; the conditional UPDATE lets one through
    and the other, seeing its own id on the quote, returns [] instead of an error."""
    s, staff = demo.session, demo.actor(STAFF)
    data = _answer_data(demo, 1001, "100")
    real = quotes._answerable

    def racing(session, actor, number, today):  # noqa: ANN001, ANN202
        quote = real(session, actor, number, today)
        monkeypatch.setattr(quotes, "_answerable", real)
        assert quotes.send_quote(session=session, actor=actor, number=number, data=data, submission_id="r" * 20)
        return quote

    monkeypatch.setattr(quotes, "_answerable", racing)
    assert quotes.send_quote(session=s, actor=staff, number=1001, data=data, submission_id="r" * 20) == []
    assert _quoted_mails(demo, 1001) == 1


def test_cart_rules(demo):
    s, staff = demo.session, demo.actor(STAFF)
    admin.update_product(session=s, actor=staff, product_id=pid(demo, "KEY-100"), data={"currency": "SEK"})
    fill(demo, GLOBEX, ("PRN-100", "1"))
    with pytest.raises(ValidationFailed) as err:  # Globex pays list prices: KEY-100 is in SEK now
        fill(demo, GLOBEX, ("KEY-100", "1"))
    assert err.value.fields == {"quantity": ("error.catalog_cart_currency", {})}
    for bad in ("0", "-1", "abc", "1.0001", "2000000", None, True):
        with pytest.raises(ValidationFailed):
            cart.add_to_cart(session=s, actor=demo.actor(GLOBEX), product_id=pid(demo, "PRN-100"), quantity=bad)
    with pytest.raises(NotFound):
        cart.set_quantity(session=s, actor=demo.actor(GLOBEX), product_id=pid(demo, "LAP-140"), quantity="1")
    fill(demo, GLOBEX, ("MON-240", "1"))
    with_both = cart.view_cart(session=s, actor=demo.actor(GLOBEX)).total_cents
    admin.update_product(session=s, actor=staff, product_id=pid(demo, "PRN-100"), data={"orderable": False})
    admin.set_product_archived(session=s, actor=staff, product_id=pid(demo, "PRN-100"), archived=True)
    view = cart.view_cart(session=s, actor=demo.actor(GLOBEX))
    assert not view.lines[0].available and not view.may_order and not view.may_request_quote
    # withdrawn, it counts for nothing: not in the totals, and not "quote only" (it cannot be quoted)
    assert view.lines[0].net_cents is None and view.quote_only == [] and not view.on_request
    assert 0 < view.total_cents < with_both and view.total_cents == view.lines[1].net_cents + view.vat_cents
    with pytest.raises(ValidationFailed) as err:
        quotes.request_quote(session=s, actor=demo.actor(GLOBEX))
    assert err.value.fields == {"cart": ("error.catalog_cart_unavailable", {"codes": "PRN-100"})}
    with pytest.raises(NotFound):  # an archived product cannot be added
        fill(demo, GLOBEX, ("PRN-100", "1"))
    view = cart.remove_from_cart(session=s, actor=demo.actor(GLOBEX), product_id=pid(demo, "PRN-100"))
    assert [li.code for li in view.lines] == ["MON-240"] and view.may_order
    cart.remove_from_cart(session=s, actor=demo.actor(GLOBEX), product_id=pid(demo, "MON-240"))
    cart.remove_from_cart(session=s, actor=demo.actor(GLOBEX), product_id=pid(demo, "PRN-100"))  # twice: fine
    fill(demo, GLOBEX, ("LAP-140", "1"), ("MON-240", "2"))
    assert cart.clear_cart(session=s, actor=demo.actor(GLOBEX)).lines == []


def test_a_part_of_a_unit_of_a_product_sold_whole_since_is_said_on_its_line(demo):
    s, staff = demo.session, demo.actor(STAFF)
    admin.update_product(session=s, actor=staff, product_id=pid(demo, "MON-240"), data={"whole_units": False})
    fill(demo, GLOBEX, ("MON-240", "1.5"))
    assert cart.view_cart(session=s, actor=demo.actor(GLOBEX)).may_order
    admin.update_product(session=s, actor=staff, product_id=pid(demo, "MON-240"), data={"whole_units": True})
    view = cart.view_cart(session=s, actor=demo.actor(GLOBEX))
    assert view.lines[0].part_unit and not view.may_order and not view.may_request_quote
    cart.set_quantity(session=s, actor=demo.actor(GLOBEX), product_id=pid(demo, "MON-240"), quantity="2")
    view = cart.view_cart(session=s, actor=demo.actor(GLOBEX))
    assert not view.lines[0].part_unit and view.may_order


def test_mail_in_the_readers_language(demo):
    s = demo.session
    account = s.exec(select(Account).where(Account.email == ACME)).one()
    account.language = "fi"
    s.add(account)
    s.commit()
    fill(demo, ACME, ("PRN-100", "2"))
    made = quotes.request_quote(session=s, actor=demo.actor(ACME), wanted_delivery_date=local_today())
    receipt, notice = mails(demo, made.mail_ids)
    assert receipt.subject == f"Tarjouspyyntö {made.number} vastaanotettu" and "Toivottu toimituspäivä" in receipt.body
    assert "898,00" in receipt.body  # 2 x 449.00 in Finnish
    assert notice.subject.startswith("New quote request")  # sales reads English


def test_pdfs(demo):
    s, aino = demo.session, demo.actor(ACME)
    name, data = quotes.quote_pdf(session=s, actor=aino, number=1002)
    text = pdf_text(data)
    assert name == "quote-1002.pdf" and data.startswith(b"%PDF")
    for expected in ("Quote 1002", "Acme Oy", "LAP-140", "Example Services Oy", "Valid until", "Discounts included"):
        assert expected in text, expected
    german_name, german_data = quotes.quote_pdf(session=s, actor=aino, number=1002, language="de")
    german = pdf_text(german_data)
    assert german_name == "Angebot-1002.pdf"  # named in the reader's language
    detail = quotes.load_quote(s, aino, 1002)
    # dates written as the invoice's PDF writes them: "30.12.2026", not "30.12.26"
    assert detail.expires_on and format_day(detail.expires_on, "de") == detail.expires_on.strftime("%d.%m.%Y")
    assert format_day(detail.expires_on, "de") in german
    name, data = orders.order_pdf(session=s, actor=aino, number=1001, language="fi")
    text = pdf_text(data)
    assert name == "tilausvahvistus-1001.pdf" and "Tilausvahvistus 1001" in text and "NET-SW24" in text
    assert "Viestimme" in text  # it came from a quote: sales' message with it
    assert "Our message" not in pdf_text(orders.order_pdf(session=s, actor=aino, number=1002)[1])  # from the cart
    with pytest.raises(NotFound):
        orders.order_pdf(session=s, actor=aino, number=1003)  # Globex's
    with pytest.raises(NotFound):
        quotes.quote_pdf(session=s, actor=demo.actor(GLOBEX), number=1002)


def test_requested_lines_keep_the_price_of_their_moment(demo):
    s, aino = demo.session, demo.actor(ACME)
    fill(demo, ACME, ("PRN-100", "1"), ("SRV-200", "2"))
    number = quotes.request_quote(session=s, actor=aino).number
    quote_id = quotes.load_quote(s, aino, number).id
    lines = s.exec(select(QuoteLine).where(QuoteLine.quote_id == quote_id).order_by(QuoteLine.position)).all()
    assert [(li.code, li.unit_price_cents, li.net_cents) for li in lines] == [("PRN-100", 44900, 44900),
                                                                            ("SRV-200", None, None)]
    assert not s.exec(select(SalesOrderLine).where(SalesOrderLine.code == "SRV-200")).all()


def test_a_quote_and_its_order_keep_the_customer_as_it_was(demo):
    """The company renamed after the request (its admin may edit its details): the quote, and the
    order made from it, still name the customer as it was, on their pages and PDFs."""
    s, aino = demo.session, demo.actor(ACME)
    fill(demo, ACME, ("PRN-100", "2"))
    made = quotes.request_quote(session=s, actor=aino)
    acme = demo.company("Acme Oy")
    directory.update_company(session=s, actor=demo.actor(STAFF), company_id=acme.id,
                             data={"name": "Renamed Oy", "city": "Tampere"})
    detail = quotes.get_quote(session=s, actor=demo.actor(ACME), number=made.number)
    assert detail.party.company_name == "Acme Oy" and "00100 Helsinki" in detail.party.company_address
    assert "Renamed Oy" not in pdf_text(quotes.quote_pdf(session=s, actor=demo.actor(ACME), number=made.number)[1])
    answer(demo, made.number)
    order = quotes.accept_quote(session=s, actor=demo.actor(ACME), number=made.number)
    shown = orders.get_order(session=s, actor=demo.actor(ACME), number=order.order_number)
    assert shown.party.company_name == "Acme Oy"


def test_send_quote_from_an_older_revision_is_refused_whole(demo):
    s, staff = demo.session, demo.actor(STAFF)
    data = _answer_data(demo, 1001, "85")
    assert quotes.send_quote(session=s, actor=staff, number=1001, data=data, revision=0)  # the form saw revision 0
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as err:  # another tab, started before that sending
        quotes.send_quote(session=s, actor=staff, number=1001, data=_answer_data(demo, 1001, "90"), revision=0)
    assert err.value.fields == {"form": ("error.quote_sent_meanwhile", {})} and demo.committed_state() == before
    for bad in ("x", -1, "01", 1.5, 2**64):
        with pytest.raises(ValidationFailed):
            quotes.send_quote(session=s, actor=staff, number=1001, data=data, revision=bad)
    assert quotes.send_quote(session=s, actor=staff, number=1001, data=_answer_data(demo, 1001, "90"), revision=1)
    assert quotes.get_quote(session=s, actor=staff, number=1001).revision == 2


def test_send_quote_unchanged_since_the_version_sent_makes_no_revision(demo):
    s, staff = demo.session, demo.actor(STAFF)
    data = _answer_data(demo, 1001, "85")
    assert quotes.send_quote(session=s, actor=staff, number=1001, data=data)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as err:  # the form opened again and sent as it was
        quotes.send_quote(session=s, actor=staff, number=1001, data=_answer_data(demo, 1001, "85"))
    assert err.value.fields == {"form": ("error.quote_unchanged", {})} and demo.committed_state() == before
    assert _quoted_mails(demo, 1001) == 1
    # any change is a revision: a price, the words, the last day
    assert quotes.send_quote(session=s, actor=staff, number=1001, data={**data, "answer": "Delivery in May."})
    assert quotes.send_quote(session=s, actor=staff, number=1001, data={**data, "answer": "Delivery in May.",
                                                                      "expires_on": data["expires_on"] - timedelta(days=1)})
    assert quotes.get_quote(session=s, actor=staff, number=1001).revision == 3 and _quoted_mails(demo, 1001) == 3


def test_a_line_staff_wrote_is_mailed_without_an_empty_code(demo):
    s, staff = demo.session, demo.actor(STAFF)
    data = _answer_data(demo, 1001, "85")
    data["lines"].append({"code": "", "name": "Custom cabling", "unit": "pcs", "quantity": "1", "vat_rate": "25.5",
                          "unit_price": "100"})
    (mail,) = mails(demo, quotes.send_quote(session=s, actor=staff, number=1001, data=data))
    assert "1 pcs x Custom cabling: €100.00" in mail.body and "()" not in mail.body
    assert "x Office printer (PRN-100): " in mail.body  # a product's line keeps its code
