"""A small world of ten tickets over two companies, every status, category and priority, with
comments, assignees and names to sort by: the list's tests build it on each database they test."""

from __future__ import annotations

from types import SimpleNamespace

from portal_app.models import TicketStatus as S
from portal_app.services.tickets import core as tickets

from demo_people import ADMIN, GLOBEX_ADMIN, HANS, LIISA, PARTNER, STAFF, USER

# (creator, title, description, category, severity, priority, status, assignee, comment)
ROWS = [
    (USER, "Printer jams on duplex", "Tray two makes a grinding noise", "bug", "2", "high", S.NEW, None, ""),
    (USER, "VPN drops", "Every hour", "support", None, "urgent", S.IN_PROGRESS, STAFF,
     "The vpn-client crashed at 09:30, log attached"),
    (LIISA, "Invoice export", "Invoice-export fails: CSV_encoding wrong", "bug", "1", "normal", S.WAITING_CUSTOMER,
     PARTNER, ""),
    (ADMIN, "käyttäjä ei näe laskuja", "Mäkinen reports it", "support", None, "low", S.RESOLVED, None, ""),
    (ADMIN, "New office setup", "Ten desks", "work_order", "1", "normal", S.CLOSED, STAFF, ""),
    (LIISA, "Zebra label printer", "Labels are blank", "bug", "4", "urgent", S.WAITING_SUPPORT, None,
     "Also the second printer"),
    (USER, "aardvark lowercase title", "Sorting check", "bug", "3", "low", S.NEW, PARTNER, ""),
    (HANS, "Printer offline", "Globex printer", "support", None, "high", S.NEW, None, "printer still offline"),
    (GLOBEX_ADMIN, "Globex VPN", "vpn setup", "work_order", None, "normal", S.IN_PROGRESS, PARTNER, ""),
    (HANS, "Quote for licences", "Twenty seats", "work_order", "4", "low", S.RESOLVED, STAFF, ""),
]


def make_world(demo):
    numbers = []
    for creator, title, description, category, severity, priority, status, assignee, comment in ROWS:
        ticket = demo.make_ticket(creator, title, description=description, category=category, severity=severity,
                                  priority=priority, assignee=assignee)
        if comment:
            tickets.add_comment(session=demo.session, actor=demo.actor(creator), number=ticket.number, body=comment)
        demo.force_status(ticket.number, status)
        numbers.append(ticket.number)
    # make updated order differ from created order
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=numbers[0], body="bump")
    return SimpleNamespace(demo=demo, numbers=numbers, by_title={r[1]: n for r, n in zip(ROWS, numbers)})
