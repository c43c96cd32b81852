"""The customer's home page tickets (`ticket_list.customer_home`): their open tickets, the few most
recent first, and those awaiting their reply (waiting for the customer), within what they may see;
nothing for support, nor with the tickets module off."""

from __future__ import annotations

from portal_app.models import ModuleAccess, TicketStatus as S
from portal_app.services.tickets import ticket_list
from portal_app.services.tickets import core as tickets

from demo_people import ADMIN, GLOBEX_ADMIN, LIISA, PARTNER, STAFF, USER


def home(demo, email):
    return ticket_list.customer_home(session=demo.session, actor=demo.actor(email))


def test_open_tickets_newest_first_and_those_awaiting_a_reply(tickets_demo):
    demo = tickets_demo
    made = {}
    for title, status, creator in (("Old question", S.IN_PROGRESS, USER), ("Done", S.RESOLVED, USER),
                                   ("Closed one", S.CLOSED, USER), ("Need logs", S.WAITING_CUSTOMER, USER),
                                   ("Liisa's", S.WAITING_CUSTOMER, LIISA), ("Fresh", S.NEW, USER)):
        made[title] = demo.make_ticket(creator, title, status=status).number
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=made["Old question"], body="Bump")
    mine = home(demo, USER)
    assert [r.title for r in mine.open] == ["Old question", "Fresh", "Need logs"]
    assert mine.open_total == 3
    assert [r.title for r in mine.awaiting] == ["Need logs"] and mine.awaiting_total == 1
    assert mine.can_create
    # a company admin sees the company's
    admin = home(demo, ADMIN)
    assert {r.title for r in admin.awaiting} == {"Need logs", "Liisa's"}
    assert home(demo, GLOBEX_ADMIN).open == []


def test_only_the_few_most_recent_are_shown(tickets_demo):
    demo = tickets_demo
    for i in range(ticket_list.HOME_TICKETS + 2):
        demo.make_ticket(USER, f"Ticket {i}")
    mine = home(demo, USER)
    assert len(mine.open) == ticket_list.HOME_TICKETS and mine.open_total == ticket_list.HOME_TICKETS + 2
    assert mine.open[0].title == f"Ticket {ticket_list.HOME_TICKETS + 1}"


def test_nothing_for_support(tickets_demo):
    demo = tickets_demo
    demo.make_ticket(USER, assignee=PARTNER, status=S.WAITING_CUSTOMER)
    assert home(demo, STAFF) is None and home(demo, PARTNER) is None


def test_nothing_with_the_tickets_module_off_and_no_button_without_edit(tickets_demo):
    demo = tickets_demo
    demo.make_ticket(USER, status=S.WAITING_CUSTOMER)
    demo.use_profile(USER, demo.make_profile("Read tickets", modules={"tickets": ModuleAccess.VIEW}))
    assert home(demo, USER).can_create is False and len(home(demo, USER).awaiting) == 1
    demo.use_profile(USER, demo.make_profile("No tickets", modules={"tickets": ModuleAccess.NONE}))
    assert home(demo, USER) is None
