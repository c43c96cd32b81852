"""Staff cancels an order: an optional reason kept on the order and shown to the customer, and one
mail to the order's contact (in the contact's language) through the outbox, in the transaction that
cancels; a second cancelling (a double click, two staff at once) changes nothing and mails nobody."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from portal_app.models import Account, OutboxMail, SalesOrder
from portal_app.services.catalog import orders
from portal_app.services.catalog.catalog_rules import TEXT_LIMITS
from portal_app.settings import settings
from portal_app.services.errors import ValidationFailed

from catalog_world import ACME, GLOBEX, STAFF, fill
from test_catalog_flow import pdf_text


def place(demo, email: str = ACME) -> int:
    fill(demo, email, ("PRN-100", "2"))
    return orders.place_order(session=demo.session, actor=demo.actor(email), message="Second floor.").number


def speaks(demo, email: str, language: str) -> None:
    account = demo.session.exec(select(Account).where(Account.email == email)).one()
    account.language = language
    demo.session.add(account)
    demo.session.commit()


def cancel_mails(demo, number: int) -> list[OutboxMail]:
    return list(demo.session.exec(select(OutboxMail).where(col(OutboxMail.subject).contains(f" {number} "))
                                  .where(col(OutboxMail.subject).not_like("%received%"))
                                  .where(col(OutboxMail.subject).not_like("New order%"))).all())


def test_cancelling_with_a_reason_mails_the_contact_and_the_customer_sees_it(demo):
    s, staff = demo.session, demo.actor(STAFF)
    number = place(demo)
    moved = orders.set_order_status(session=s, actor=staff, number=number, status="cancelled",
                                    reason="  The printers are discontinued.\nWe will call you.  ")
    assert moved.status == "cancelled" and moved.next_statuses == [] and len(moved.mail_ids) == 1
    mail = s.get(OutboxMail, moved.mail_ids[0])
    assert mail.to == ACME and mail.subject == f"Order {number} cancelled"
    assert f"your order {number} has been cancelled" in mail.body
    assert "Reason: The printers are discontinued.\nWe will call you." in mail.body
    assert f"{settings.portal_url}/orders/{number}" in mail.body and "/admin/" not in mail.body
    assert "Office printer (PRN-100)" in mail.body  # what was ordered
    mine = orders.get_order(session=s, actor=demo.actor(ACME), number=number)
    assert mine.status == "cancelled" and mine.cancel_reason == "The printers are discontinued.\nWe will call you."
    assert s.exec(select(SalesOrder).where(SalesOrder.number == number)).one().cancel_reason == mine.cancel_reason
    # its PDF says it is cancelled, and why: not to be taken for a confirmation
    text = pdf_text(orders.order_pdf(session=s, actor=demo.actor(ACME), number=number)[1])
    assert f"Cancelled order {number}" in text and "Order confirmation" not in text
    assert "Reason for cancelling" in text and "The printers are discontinued." in text


def test_cancelling_without_a_reason_mails_without_one(demo):
    s, staff = demo.session, demo.actor(STAFF)
    number = place(demo)
    moved = orders.set_order_status(session=s, actor=staff, number=number, status="cancelled", reason="  ")
    mail = s.get(OutboxMail, moved.mail_ids[0])
    assert mail.subject == f"Order {number} cancelled" and "Reason" not in mail.body
    assert moved.cancel_reason == ""
    assert s.exec(select(SalesOrder).where(SalesOrder.number == number)).one().cancel_reason is None
    # (the service called without a reason, as before: still one mail)
    other = place(demo)
    assert len(orders.set_order_status(session=s, actor=staff, number=other, status="cancelled").mail_ids) == 1


def test_the_mail_is_in_the_contacts_language(demo):
    s = demo.session
    speaks(demo, GLOBEX, "fi")
    number = place(demo, GLOBEX)
    moved = orders.set_order_status(session=s, actor=demo.actor(STAFF), number=number, status="cancelled",
                                    reason="Tuote on poistunut.")
    mail = s.get(OutboxMail, moved.mail_ids[0])
    assert mail.to == GLOBEX and mail.subject == f"Tilaus {number} peruttu"
    assert f"tilauksesi {number} on peruttu" in mail.body and "Syy: Tuote on poistunut." in mail.body
    assert "Avaa se portaalissa" in mail.body


def test_each_move_mails_the_contact_once_and_takes_no_reason(demo):
    s, staff = demo.session, demo.actor(STAFF)
    number = place(demo)
    before = len(s.exec(select(OutboxMail)).all())
    moved = orders.set_order_status(session=s, actor=staff, number=number, status="confirmed")
    assert len(moved.mail_ids) == 1
    mail = s.get(OutboxMail, moved.mail_ids[0])
    assert mail.to == ACME and mail.subject == f"Order {number}: Confirmed"
    assert f"we have confirmed your order {number}." in mail.body and "Office printer (PRN-100)" in mail.body
    assert f"{settings.portal_url}/orders/{number}" in mail.body and "/admin/" not in mail.body
    with pytest.raises(ValidationFailed) as err:
        orders.set_order_status(session=s, actor=staff, number=number, status="shipped", reason="Why not")
    assert err.value.fields == {"reason": ("error.invalid", {})}
    assert orders.order_state(session=s, actor=staff, number=number).status == "confirmed"
    assert len(s.exec(select(OutboxMail)).all()) == before + 1  # the refused move mailed nobody
    shipped = orders.set_order_status(session=s, actor=staff, number=number, status="shipped")
    assert s.get(OutboxMail, shipped.mail_ids[0]).subject == f"Order {number}: Shipped"
    # a second click on the same move (the status moved meanwhile) is refused and mails nobody
    with pytest.raises(ValidationFailed):
        orders.set_order_status(session=s, actor=staff, number=number, status="shipped")
    delivered = orders.set_order_status(session=s, actor=staff, number=number, status="delivered")
    assert f"your order {number} has been delivered." in s.get(OutboxMail, delivered.mail_ids[0]).body
    assert len(s.exec(select(OutboxMail)).all()) == before + 3


def test_a_move_is_mailed_in_the_contacts_language(demo):
    s = demo.session
    speaks(demo, GLOBEX, "de")
    number = place(demo, GLOBEX)
    moved = orders.set_order_status(session=s, actor=demo.actor(STAFF), number=number, status="confirmed")
    mail = s.get(OutboxMail, moved.mail_ids[0])
    assert mail.subject == f"Bestellung {number}: Bestätigt"
    assert f"wir haben Ihre Bestellung {number} bestätigt." in mail.body


@pytest.mark.parametrize("reason", ["x" * (TEXT_LIMITS["cancel_reason"] + 1), ["a"], {"a": 1}, True, "bad\x00"])
def test_a_bad_reason_changes_nothing(demo, reason):
    s, staff = demo.session, demo.actor(STAFF)
    number = place(demo)
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as err:
        orders.set_order_status(session=s, actor=staff, number=number, status="cancelled", reason=reason)
    assert set(err.value.fields) == {"reason"}
    assert demo.committed_state() == before and cancel_mails(demo, number) == []


def test_cancelling_twice_mails_once(demo):
    s, staff = demo.session, demo.actor(STAFF)
    number = place(demo)
    orders.set_order_status(session=s, actor=staff, number=number, status="cancelled", reason="Duplicate")
    with pytest.raises(ValidationFailed):  # a double click's second event
        orders.set_order_status(session=s, actor=staff, number=number, status="cancelled", reason="Duplicate")
    assert len(cancel_mails(demo, number)) == 1


def test_two_cancellings_at_once_mail_once(demo, monkeypatch):
    """Both read the order while it was open; the conditional UPDATE lets one through, the other
    changes nothing and mails nobody (its mail was never stored)."""
    s, staff = demo.session, demo.actor(STAFF)
    number = place(demo)
    real = orders.load_order

    def racing(session, actor, number_):  # noqa: ANN001, ANN202
        order = real(session, actor, number_)
        stale = SalesOrder(id=order.id, number=order.number, status=order.status, company_id=order.company_id,
                           contact_id=order.contact_id)
        monkeypatch.setattr(orders, "load_order", real)
        orders.set_order_status(session=session, actor=actor, number=number_, status="cancelled", reason="First")
        return stale

    monkeypatch.setattr(orders, "load_order", racing)
    with pytest.raises(ValidationFailed) as err:
        orders.set_order_status(session=s, actor=staff, number=number, status="cancelled", reason="Second")
    assert err.value.fields == {"status": ("error.catalog_order_changed", {})}
    assert len(cancel_mails(demo, number)) == 1
    assert orders.get_order(session=s, actor=staff, number=number).cancel_reason == "First"


def _dialog_buttons(component) -> tuple[str, str]:  # noqa: ANN001
    """(the dismiss button's part, the confirm button's part) of a rendered confirm dialog."""
    rendered = str(component.render())
    dismiss = rendered.split("AlertDialog.Cancel", 1)[1].split("AlertDialog.Action", 1)[0]
    return dismiss, rendered.split("AlertDialog.Action", 1)[1]


def test_the_cancel_dialogs_name_their_buttons_by_what_they_do():
    """"Cancel order?" answered by "Keep order" / "Cancel order" (in Finnish too), not by "Cancel"
    (which kept the order) / "Confirm"; other dialogs say "Cancel" / their button's own label."""
    from portal_app.components.confirm import confirm_button
    from portal_app.pages.catalog.admin_documents import _cancel_form
    from portal_app.pages.events import _register_forms

    form = str(_cancel_form().render())
    assert f"'id:\"cancel-reason\"', 'maxLength:{TEXT_LIMITS['cancel_reason']}', 'name:\"reason\"'" in form
    dismiss, confirm = _dialog_buttons(_cancel_form())
    assert "Keep order" in dismiss and "S\\\\u00e4ilyt\\\\u00e4 tilaus" in dismiss and '"Cancel"' not in dismiss
    assert "Cancel order" in confirm and "Peruuta tilaus" in confirm and '"Confirm"' not in confirm
    dismiss, confirm = _dialog_buttons(_register_forms())
    assert "Keep registration" in dismiss and '"Cancel"' not in dismiss
    assert "Cancel registration" in confirm and '"Confirm"' not in confirm
    dismiss, confirm = _dialog_buttons(confirm_button("Void invoice", title="Void?", description="", on_confirm=None))
    assert '"Cancel"' in dismiss and '"Void invoice"' in confirm and "Confirm" not in confirm
