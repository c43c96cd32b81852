"""A ticket's thread kept between views (services/tickets/thread_cache.py): a ticket opened again reads
only its row through the viewer's scope; anything its page shows that changes is seen at the next
view; staff's thread (internal notes) never answers a customer."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import select

from portal_app.models import Account, Company, TicketComment, TicketStatus
from portal_app.services.errors import NotFound
from portal_app.services.tickets import core as tickets
from portal_app.services.tickets import thread_cache

from test_ticket_page_cache import Statements

STAFF = "staff@example.com"
ACME_ADMIN = "admin@acme.example.com"
ACME_USER = "user@acme.example.com"
GLOBEX_ADMIN = "admin@globex.example.com"


@pytest.fixture
def world(tickets_demo):
    demo = tickets_demo
    demo.number = demo.make_ticket(ACME_USER, "Printer jams").number
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=demo.number, body="Which printer?")
    return demo


def view(demo, email: str):
    return tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=demo.number)


def bodies(demo, email: str) -> list[str]:
    return [c.body for c in view(demo, email).comments]


def test_a_ticket_opened_again_reads_only_its_row(world):
    first = view(world, STAFF)
    actor = world.actor(STAFF)
    statements = Statements(world.session.get_bind())
    try:
        again = tickets.get_ticket(session=world.session, actor=actor, number=world.number)
        assert statements.n == 1  # the ticket through staff's scope; the thread is kept
    finally:
        statements.close()
    assert again.comments == first.comments and again.company == first.company == "Acme Oy"
    assert again.created_by == first.created_by and again.history == first.history


def test_a_company_admin_asks_whether_it_follows_every_time(world):
    view(world, ACME_ADMIN)
    actor = world.actor(ACME_ADMIN)
    assert not tickets.get_ticket(session=world.session, actor=actor, number=world.number).following
    tickets.set_following(session=world.session, actor=actor, number=world.number, follow=True)
    assert tickets.get_ticket(session=world.session, actor=actor, number=world.number).following


def test_a_new_comment_and_a_status_change_show_at_the_next_view(world):
    assert bodies(world, ACME_USER) == ["Which printer?"]
    tickets.add_comment(session=world.session, actor=world.actor(ACME_USER), number=world.number,
                        body="The one on floor 2")
    assert bodies(world, ACME_USER) == ["The one on floor 2", "Which printer?"]
    tickets.add_comment(session=world.session, actor=world.actor(STAFF), number=world.number, body="Fixed",
                        new_status=TicketStatus.RESOLVED)
    detail = view(world, ACME_USER)
    assert detail.ticket.status == TicketStatus.RESOLVED and detail.comments[0].body == "Fixed"
    assert [h.field for h in detail.history][:1] == ["status"]


def test_staff_internal_notes_never_reach_a_customer(world):
    tickets.add_comment(session=world.session, actor=world.actor(STAFF), number=world.number,
                        body="Customer is on the old plan", internal=True)
    assert bodies(world, STAFF) == ["Customer is on the old plan", "Which printer?"]
    assert bodies(world, ACME_ADMIN) == ["Which printer?"]
    assert bodies(world, ACME_USER) == ["Which printer?"]
    assert len(thread_cache.threads) == 2  # one thread per side


def test_the_scope_is_asked_even_when_the_thread_is_kept(world):
    view(world, ACME_ADMIN)
    with pytest.raises(NotFound):
        view(world, GLOBEX_ADMIN)  # same side (customer), another company: not found as before


def test_renamed_people_and_companies_show_at_the_next_view(world):
    detail = view(world, ACME_USER)
    assert detail.created_by and detail.company == "Acme Oy"
    staff_name = detail.comments[0].author
    world.session.exec(update(Account).where(Account.email == STAFF).values(full_name="Sam Support"))
    world.session.commit()
    assert view(world, ACME_USER).comments[0].author == "Sam Support" != staff_name
    company = world.company("Acme Oy")
    company.name = "Acme Oyj"
    world.session.add(company)
    world.session.commit()
    assert view(world, ACME_USER).company == "Acme Oyj"


def test_an_edited_comment_shows_at_the_next_view(world):
    """A write outside the ticket services (say, an erasure) that leaves the ticket row alone."""
    assert bodies(world, ACME_USER) == ["Which printer?"]
    comment = world.session.exec(select(TicketComment).where(TicketComment.body == "Which printer?")).one()
    comment.body = "[removed]"
    world.session.add(comment)
    world.session.commit()
    assert bodies(world, ACME_USER) == ["[removed]"]


def test_the_settings_closing_rule_shows_at_the_next_view(world):
    tickets.add_comment(session=world.session, actor=world.actor(STAFF), number=world.number, body="Fixed",
                        new_status=TicketStatus.RESOLVED)
    settings = world.settings()
    settings.customers_can_close = True
    world.session.add(settings)
    world.session.commit()
    assert TicketStatus.CLOSED in view(world, ACME_ADMIN).transitions
    settings.customers_can_close = False
    world.session.add(settings)
    world.session.commit()
    assert TicketStatus.CLOSED not in view(world, ACME_ADMIN).transitions


def test_a_thread_read_while_it_changed_is_not_used_again(world, monkeypatch):
    """The counters are read before the rows: a change committed meanwhile leaves the entry stale."""
    real = tickets._read_thread

    def read_during_a_comment(session, ticket, *, staff):  # noqa: ANN001
        thread = real(session, ticket, staff=staff)
        thread_cache.live.bump(thread_cache.live.ticket_key(ticket.number))  # committed meanwhile
        return thread

    monkeypatch.setattr(tickets, "_read_thread", read_during_a_comment)
    view(world, ACME_USER)
    monkeypatch.setattr(tickets, "_read_thread", real)
    statements = Statements(world.session.get_bind())
    try:
        view(world, ACME_USER)
        read_again = statements.n
    finally:
        statements.close()
    assert read_again > 8  # the actor's rows, then the ticket and its thread again


def test_long_threads_and_unreadable_counters_are_not_kept(world, monkeypatch):
    monkeypatch.setattr(thread_cache, "MAX_THREAD_CHARS", 5)
    view(world, ACME_USER)
    assert len(thread_cache.threads) == 0
    monkeypatch.setattr(thread_cache, "MAX_THREAD_CHARS", 16_000)
    monkeypatch.setattr(thread_cache.live, "versions", lambda *keys: tuple(-1 for _ in keys))
    view(world, ACME_USER)
    assert len(thread_cache.threads) == 0


def test_the_least_recently_used_thread_goes_first_past_the_bound():
    small = thread_cache.ThreadCache(2)
    always = {"keep": lambda _value: True}
    small.get("a", 1, lambda: "A", **always)
    small.get("b", 1, lambda: "B", **always)
    small.get("a", 1, lambda: "read", **always)
    small.get("c", 1, lambda: "C", **always)  # b goes
    assert small.get("a", 1, lambda: "read", **always) == "A"
    assert small.get("b", 1, lambda: "read", **always) == "read"
    assert small.get("a", 2, lambda: "A2", **always) == "A2"  # another stamp: read again
