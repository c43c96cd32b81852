"""Ticket mail (ticket_mail): to the other side, one mail per recipient per change, saying what
changed, with a link to the ticket; internal notes never reach customers.

- customer side acts -> the assignee, or the support address when unassigned;
- support side acts -> the creator and the company admins who follow the ticket (never the actor),
  and the assignee when that is someone else;
- links: /tickets/<number> for customers and collaborators, /admin/tickets/<number> for staff.
"""

from __future__ import annotations

from collections import Counter

import pytest

from portal_app.models import TicketStatus
from portal_app.services.tickets import core as tickets
from portal_app.services.accounts.auth import create_staff
from portal_app.services.errors import NotFound
from portal_app.settings import settings

from demo_people import STAFF, USER, ADMIN, PARTNER

S = TicketStatus
STAFF2 = "second@example.com"
SUPPORT_ADDRESS = "helpdesk@example.com"


@pytest.fixture
def maildemo(tickets_demo, monkeypatch):
    monkeypatch.setenv("PORTAL_SUPPORT_EMAIL", SUPPORT_ADDRESS)
    create_staff(session=tickets_demo.session, email=STAFF2, full_name="Second Staff",
                 password=tickets_demo.password)
    return tickets_demo


def comment(demo, email, number, body="", **kwargs):
    _ticket, mails = tickets.add_comment(session=demo.session, actor=demo.actor(email), number=number, body=body,
                                         **kwargs)
    assert_one_per_recipient(mails)
    return mails


def assert_one_per_recipient(mails):
    assert all(set(m) == {"to", "subject", "body"} for m in mails)
    duplicates = [to for to, n in Counter(m["to"] for m in mails).items() if n > 1]
    assert duplicates == []


def by_recipient(mails):
    return {m["to"]: m for m in mails}


def customer_link(number):
    return f"{settings.portal_url}/tickets/{number}"


def staff_link(number):
    return f"{settings.portal_url}/admin/tickets/{number}"


def follow(demo, email, number):
    tickets.set_following(session=demo.session, actor=demo.actor(email), number=number, follow=True)


# --- creation ---------------------------------------------------------------------------------------

def test_new_ticket_mails_the_support_address_once(maildemo):
    demo = maildemo
    ticket, mails = tickets.create_ticket(
        session=demo.session, actor=demo.actor(USER),
        data={"title": "Printer jams", "description": "Page two jams.", "category": "support"})
    assert [m["to"] for m in mails] == [SUPPORT_ADDRESS]
    mail = mails[0]
    assert f"#{ticket.number}" in mail["subject"] and "Printer jams" in mail["subject"]
    assert "Ville Korhonen" in mail["body"] and "Page two jams." in mail["body"]
    assert staff_link(ticket.number) in mail["body"]


def test_support_address_falls_back_to_the_sender_address(maildemo, monkeypatch):
    monkeypatch.delenv("PORTAL_SUPPORT_EMAIL")
    demo = maildemo
    _ticket, mails = tickets.create_ticket(
        session=demo.session, actor=demo.actor(USER),
        data={"title": "t", "description": "d", "category": "support"})
    assert [m["to"] for m in mails] == [settings.smtp_from]


# --- customer side acts -------------------------------------------------------------------------------

@pytest.mark.parametrize("email", [USER, ADMIN])
def test_customer_comment_on_unassigned_ticket_goes_to_the_support_address(maildemo, email):
    demo = maildemo
    ticket = demo.make_ticket(USER)
    follow(demo, ADMIN, ticket.number)
    mails = comment(demo, email, ticket.number, "Any news?")
    assert [m["to"] for m in mails] == [SUPPORT_ADDRESS]
    assert "Any news?" in mails[0]["body"] and staff_link(ticket.number) in mails[0]["body"]
    assert f"#{ticket.number}" in mails[0]["subject"]


@pytest.mark.parametrize(("assignee", "link"), [(STAFF, staff_link), (PARTNER, customer_link)])
def test_customer_comment_on_assigned_ticket_goes_to_the_assignee_only(maildemo, assignee, link):
    demo = maildemo
    ticket = demo.make_ticket(USER, assignee=assignee)
    follow(demo, ADMIN, ticket.number)
    mails = comment(demo, USER, ticket.number, "More details")
    assert [m["to"] for m in mails] == [assignee]
    assert link(ticket.number) in mails[0]["body"]
    assert "Ville Korhonen wrote:" in mails[0]["body"] and "More details" in mails[0]["body"]


def test_disabled_assignee_falls_back_to_the_support_address(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER, assignee=STAFF2)
    account = demo.account(STAFF2)
    account.enabled = False
    demo.session.add(account)
    demo.session.commit()
    assert [m["to"] for m in comment(demo, USER, ticket.number, "hello")] == [SUPPORT_ADDRESS]


def test_customer_status_change_says_old_and_new_status(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER, assignee=STAFF, status=S.RESOLVED)
    mails = comment(demo, USER, ticket.number, new_status=S.WAITING_SUPPORT)
    assert [m["to"] for m in mails] == [STAFF]
    body = mails[0]["body"]
    assert "Ville Korhonen changed the status from Resolved to Waiting for support." in body
    assert "wrote:" not in body  # no comment text, no empty quote
    assert staff_link(ticket.number) in body


def test_customer_reply_to_a_ticket_waiting_for_it_tells_support_of_the_status_too(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER, assignee=STAFF, status=S.WAITING_CUSTOMER)
    mails = comment(demo, USER, ticket.number, "Here is the log")
    assert [m["to"] for m in mails] == [STAFF]
    body = mails[0]["body"]
    assert "Ville Korhonen changed the status from Waiting for customer to Waiting for support." in body
    assert "Here is the log" in body


# --- support side acts --------------------------------------------------------------------------------

def test_staff_comment_goes_to_creator_and_following_admins(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER)
    follow(demo, ADMIN, ticket.number)
    mails = comment(demo, STAFF, ticket.number, "Please restart it")
    assert sorted(m["to"] for m in mails) == [ADMIN, USER]  # not Liisa, not Globex, not the support address
    for mail in mails:
        assert customer_link(ticket.number) in mail["body"]
        assert "/admin/" not in mail["body"]
        assert "Sam Staff wrote:" in mail["body"] and "Please restart it" in mail["body"]


def test_unfollowed_admin_gets_nothing(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER)
    follow(demo, ADMIN, ticket.number)
    tickets.set_following(session=demo.session, actor=demo.actor(ADMIN), number=ticket.number, follow=False)
    assert [m["to"] for m in comment(demo, STAFF, ticket.number, "hi")] == [USER]


def test_admin_who_created_and_follows_gets_one_mail(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(ADMIN)
    follow(demo, ADMIN, ticket.number)
    assert [m["to"] for m in comment(demo, STAFF, ticket.number, "hi")] == [ADMIN]


def test_staff_comment_also_tells_another_assignee_but_never_the_actor(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER, assignee=STAFF2)
    mails = by_recipient(comment(demo, STAFF, ticket.number, "I looked at it"))
    assert set(mails) == {USER, STAFF2}
    assert staff_link(ticket.number) in mails[STAFF2]["body"]
    assert customer_link(ticket.number) in mails[USER]["body"]
    # the assignee answering itself is not mailed
    assert [m["to"] for m in comment(demo, STAFF2, ticket.number, "Done")] == [USER]


def test_collaborator_comment_goes_to_the_customer_side(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER, assignee=PARTNER)
    follow(demo, ADMIN, ticket.number)
    mails = comment(demo, PARTNER, ticket.number, "Fixed on our side", new_status=S.RESOLVED)
    assert sorted(m["to"] for m in mails) == [ADMIN, USER]
    for mail in mails:
        assert "Paul Partner changed the status from New to Resolved." in mail["body"]
        assert "Paul Partner wrote:" in mail["body"] and "Fixed on our side" in mail["body"]


def test_disabled_follower_gets_nothing(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER)
    follow(demo, ADMIN, ticket.number)
    account = demo.account(USER)
    account.enabled = False
    demo.session.add(account)
    demo.session.commit()
    assert [m["to"] for m in comment(demo, STAFF, ticket.number, "hi")] == [ADMIN]


def test_staff_status_change_with_comment_is_one_mail_per_recipient(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER, status=S.IN_PROGRESS)
    mails = comment(demo, STAFF, ticket.number, "Need your logs", new_status=S.WAITING_CUSTOMER)
    assert [m["to"] for m in mails] == [USER]
    body = mails[0]["body"]
    assert "changed the status from In progress to Waiting for customer." in body
    assert "Need your logs" in body
    assert body.count(customer_link(ticket.number)) == 1


def test_mail_is_in_the_recipients_language(maildemo):
    demo = maildemo
    account = demo.account(USER)
    account.language = "fi"
    demo.session.add(account)
    demo.session.commit()
    ticket = demo.make_ticket(USER, status=S.IN_PROGRESS)
    mails = comment(demo, STAFF, ticket.number, "Tarvitsemme lokit", new_status=S.WAITING_CUSTOMER)
    body = mails[0]["body"]
    assert "Sam Staff muutti tilan" in body and "Avaa tukipyyntö" in body
    assert "changed the status" not in body


def test_long_comments_are_cut_in_the_mail(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER)
    mails = comment(demo, STAFF, ticket.number, "x" * 5000)
    assert "x" * 1500 in mails[0]["body"] and "x" * 1501 not in mails[0]["body"]


# --- internal notes -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("assignee", "expected"), [(None, []), (STAFF, []), (STAFF2, [STAFF2]), (PARTNER, [])])
def test_internal_note_reaches_staff_only(maildemo, assignee, expected):
    demo = maildemo
    ticket = demo.make_ticket(USER, assignee=assignee)
    follow(demo, ADMIN, ticket.number)
    mails = comment(demo, STAFF, ticket.number, "Customer misconfigured it", internal=True)
    assert [m["to"] for m in mails] == expected
    for mail in mails:
        assert "added an internal note" in mail["body"]
        assert staff_link(ticket.number) in mail["body"]


# --- assignment ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("assignee", "link"), [(STAFF2, staff_link), (PARTNER, customer_link)])
def test_assignment_tells_the_new_assignee(maildemo, assignee, link):
    demo = maildemo
    ticket = demo.make_ticket(USER)
    _ticket, mails = tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                                    assignee_id=demo.account(assignee).id)
    assert [m["to"] for m in mails] == [assignee]
    assert link(ticket.number) in mails[0]["body"] and f"#{ticket.number}" in mails[0]["subject"]


def test_self_assignment_unassignment_and_no_change_send_nothing(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER)
    staff = demo.account(STAFF).id
    for assignee_id in (staff, staff, None):
        _ticket, mails = tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                                        assignee_id=assignee_id)
        assert mails == []
    detail = tickets.get_ticket(session=demo.session, actor=demo.actor(STAFF), number=ticket.number)
    assert [(h.field, h.old_value, h.new_value) for h in detail.history][:2] == [
        ("assignee", "Sam Staff", ""), ("assignee", "", "Sam Staff")]


# --- followers who may no longer see the ticket ---------------------------------------------------------

def test_admin_demoted_after_following_gets_no_more_mail(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER)
    follow(demo, ADMIN, ticket.number)
    contact = demo.contact(ADMIN)
    contact.portal_admin = False
    demo.session.add(contact)
    demo.session.commit()
    with pytest.raises(NotFound):  # it cannot see the ticket any more
        tickets.get_ticket(session=demo.session, actor=demo.actor(ADMIN), number=ticket.number)
    assert [m["to"] for m in comment(demo, STAFF, ticket.number, "Secret details")] == [USER]


def test_creator_moved_to_another_company_gets_no_more_mail(maildemo):
    demo = maildemo
    ticket = demo.make_ticket(USER)
    follow(demo, ADMIN, ticket.number)
    contact = demo.contact(USER)
    contact.company_id = demo.company("Globex GmbH").id
    demo.session.add(contact)
    demo.session.commit()
    assert [m["to"] for m in comment(demo, STAFF, ticket.number, "Acme internals")] == [ADMIN]


def test_customers_get_no_ticket_mail_while_the_module_is_off(maildemo):
    from portal_app.services.portal import config

    demo = maildemo
    ticket = demo.make_ticket(USER)
    follow(demo, ADMIN, ticket.number)
    config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module="tickets", enabled=False)
    assert comment(demo, STAFF, ticket.number, "hello") == []
    config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module="tickets", enabled=True)
    assert sorted(m["to"] for m in comment(demo, STAFF, ticket.number, "again")) == [ADMIN, USER]
