"""Ticket list pages shared in memory (services/tickets/page_cache.py): the same view asked again is
not queried again, anything a list shows that changes is seen at the next call, and people who see
different tickets never share a page."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update
from sqlmodel import select

from portal_app.models import Company, TicketStatus
from portal_app.services.tickets import core as tickets
from portal_app.services.tickets import page_cache, ticket_list

STAFF = "staff@example.com"
ACME_ADMIN = "admin@acme.example.com"
ACME_USER = "user@acme.example.com"
ACME_LIISA = "liisa.makinen@acme.example.com"
GLOBEX_ADMIN = "admin@globex.example.com"


@pytest.fixture
def world(tickets_demo):
    demo = tickets_demo
    demo.make_ticket(ACME_USER, "Printer jams")
    demo.make_ticket(ACME_LIISA, "VPN drops", assignee=STAFF)
    demo.make_ticket("hans.mueller@globex.example.com", "Invoice address")
    return demo


class Statements:
    """Counts the SQL statements the engine runs."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)
        self._engine = engine

    def _count(self, *_args) -> None:  # noqa: ANN002
        self.n += 1

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._count)


def titles(demo, email: str, **filters) -> list[str]:
    page = ticket_list.list_tickets(session=demo.session, actor=demo.actor(email),
                                    filters=ticket_list.TicketFilters(**filters))
    return sorted(row.title for row in page.rows)


def test_the_same_view_is_queried_once(world, engine):
    actor = world.actor(STAFF)
    first = ticket_list.list_tickets(session=world.session, actor=actor, filters=ticket_list.TicketFilters())
    statements = Statements(engine)
    try:
        again = ticket_list.list_tickets(session=world.session, actor=actor, filters=ticket_list.TicketFilters())
        assert again is first and statements.n == 0
    finally:
        statements.close()


def test_a_view_is_counted_once_for_its_pages_sorts_and_statuses(world, engine, monkeypatch):
    """The counts per status do not depend on the page, the sort or the status filter: a search's
    other pages and statuses reuse them (a common word's counts are a third of its search) until a
    ticket changes."""
    staff = world.actor(STAFF)

    def view(**filters):  # noqa: ANN003, ANN202
        return ticket_list.list_tickets(session=world.session, actor=staff, filters=ticket_list.TicketFilters(**filters))

    counted: list[str] = []

    def record(_conn, _cursor, statement, *_args):  # noqa: ANN001
        if "count(" in statement.lower():
            counted.append(statement)

    for q, tally in (("printer", True), ("print*", True), ("", False)):  # without a tally (PostgreSQL) SQL counts
        monkeypatch.setattr(ticket_list.ticket_tally, "available", lambda _session, tally=tally: tally)
        first = view(q=q)
        event.listen(engine, "before_cursor_execute", record)
        try:
            for other in (view(q=q, sort="title"), view(q=q, statuses=(TicketStatus.CLOSED,)),
                          view(q=q, sort="-number", statuses=(TicketStatus.NEW, TicketStatus.CLOSED))):
                assert other.status_counts == first.status_counts
            assert counted == [], (q, counted)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert view(q="printer").status_counts == {TicketStatus.NEW: 1}
    world.make_ticket(ACME_USER, "Printer on fire")
    assert view(q="printer", sort="title").status_counts == {TicketStatus.NEW: 2}
    assert view(q="printer", statuses=(TicketStatus.CLOSED,)).total == 0


def test_people_with_the_same_scope_share_a_page(world):
    """Two company admins of Acme see the same tickets: the second is answered from the first's page."""
    world.make_contact(world.company("Acme Oy"), "Aada", "Admin", "aada@acme.example.com", admin=True, login=True,
                       profile=world.profile("Primary contact"))
    assert titles(world, ACME_ADMIN) == ["Printer jams", "VPN drops"]
    statements = Statements(world.session.get_bind())
    try:
        assert titles(world, "aada@acme.example.com") == ["Printer jams", "VPN drops"]
        assert statements.n <= 6  # building the actor reads its rows; the list itself is not queried
        listing = statements.n
        assert titles(world, "aada@acme.example.com", q="printer") == ["Printer jams"]
        assert statements.n > listing  # a view nobody asked for yet is queried
    finally:
        statements.close()


def test_people_who_see_different_tickets_never_share_a_page(world):
    assert titles(world, STAFF) == ["Invoice address", "Printer jams", "VPN drops"]
    assert titles(world, ACME_ADMIN) == ["Printer jams", "VPN drops"]
    assert titles(world, ACME_USER) == ["Printer jams"]
    assert titles(world, ACME_LIISA) == ["VPN drops"]
    assert titles(world, GLOBEX_ADMIN) == ["Invoice address"]
    # "mine" is each person's own: staff's is what is assigned to them, a contact's what they opened
    assert titles(world, STAFF, mine=True) == ["VPN drops"]
    assert titles(world, ACME_ADMIN, mine=True) == []
    assert titles(world, ACME_USER, mine=True) == ["Printer jams"]
    assert len(page_cache.pages) == 8


def test_a_ticket_change_is_listed_at_the_next_call(world):
    assert titles(world, ACME_ADMIN, statuses=(TicketStatus.NEW,)) == ["Printer jams", "VPN drops"]
    world.make_ticket(ACME_USER, "Scanner offline")
    assert titles(world, ACME_ADMIN, statuses=(TicketStatus.NEW,)) == ["Printer jams", "Scanner offline", "VPN drops"]
    number = world.session.exec(select(ticket_list.Ticket.number).where(ticket_list.Ticket.title == "VPN drops")).one()
    tickets.add_comment(session=world.session, actor=world.actor(STAFF), number=number, body="On it",
                        new_status=TicketStatus.IN_PROGRESS)
    assert titles(world, ACME_ADMIN, statuses=(TicketStatus.NEW,)) == ["Printer jams", "Scanner offline"]


def test_a_renamed_company_shows_at_the_next_call(world):
    page = ticket_list.list_tickets(session=world.session, actor=world.actor(STAFF),
                                    filters=ticket_list.TicketFilters(q="invoice"))
    assert [row.company for row in page.rows] == ["Globex GmbH"]
    company = world.session.exec(select(Company).where(Company.name == "Globex GmbH")).one()
    company.name = "Globex AG"
    world.session.add(company)
    world.session.commit()
    page = ticket_list.list_tickets(session=world.session, actor=world.actor(STAFF),
                                    filters=ticket_list.TicketFilters(q="invoice"))
    assert [row.company for row in page.rows] == ["Globex AG"]


def test_a_rolled_back_write_keeps_the_pages(world):
    titles(world, STAFF)
    company = world.session.exec(select(Company).where(Company.name == "Globex GmbH")).one()
    company.name = "Not saved"
    world.session.add(company)
    world.session.flush()
    world.session.rollback()
    assert len(page_cache.pages) == 1
    before = page_cache.live.versions(page_cache.TICKET_ROWS)
    titles(world, STAFF)
    assert page_cache.live.versions(page_cache.TICKET_ROWS) == before


def test_a_cache_of_no_pages_queries_every_time(world, engine):
    off = page_cache.PageCache(0)
    calls = []
    assert off.get("k", lambda: calls.append(1) or "page") == "page"
    assert off.get("k", lambda: calls.append(1) or "page") == "page"
    assert calls == [1, 1] and len(off) == 0


def test_the_least_recently_used_page_goes_first_past_the_bound():
    small = page_cache.PageCache(2)
    small.get("a", lambda: 1)
    small.get("b", lambda: 2)
    small.get("a", lambda: 1)  # a used again
    small.get("c", lambda: 3)  # b goes
    assert small.get("a", lambda: "queried") == 1
    assert small.get("b", lambda: "queried") == "queried"


def test_pages_of_an_older_counter_leave_when_a_newer_page_is_kept():
    """Once a ticket changed, the pages read before that say nothing of their tickets can never
    answer again: they leave at once instead of waiting for the bound (under load they were most of
    what the GC walked)."""
    cache = page_cache.PageCache(100)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    page_cache.live.bump(page_cache.TICKET_ROWS)
    assert len(cache) == 2  # nothing read since: the old pages are dropped by the next one kept
    assert cache.get("c", lambda: 3) == 3
    assert len(cache) == 1
    assert cache.get("a", lambda: "queried") == "queried"


def test_a_page_read_while_a_ticket_changed_is_not_kept():
    cache = page_cache.PageCache(100)

    def read_during_a_change() -> str:
        page_cache.live.bump(page_cache.TICKET_ROWS)  # committed while the page's query ran
        cache.get("other", lambda: "newer")
        return "stale"

    assert cache.get("a", read_during_a_change) == "stale"
    assert cache.get("a", lambda: "queried") == "queried"
    assert cache.get("other", lambda: "queried again") == "newer"


def test_a_counter_that_went_back_is_taken_once_the_pages_are_old(monkeypatch):
    """Redis emptied: its counters start again from 0. Pages are kept again once the newest is
    older than any page may be (a page read during a change is younger than that)."""
    cache = page_cache.PageCache(100)
    version = [7]
    now = [1000.0]
    monkeypatch.setattr(page_cache.live, "versions", lambda *keys: (version[0],))
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    cache.get("a", lambda: "seven")
    version[0] = 0
    assert cache.get("b", lambda: "zero") == "zero" and len(cache) == 1  # perhaps a race: not kept
    now[0] += page_cache.MAX_AGE_S + 1
    assert cache.get("b", lambda: "zero") == "zero"
    assert cache.get("b", lambda: "queried") == "zero"
    assert cache.get("a", lambda: "queried") == "queried"


# --- a change that wrote only ticket rows keeps the pages it cannot have touched -----------------------

def page(demo, email: str, **filters) -> ticket_list.TicketPage:
    return ticket_list.list_tickets(session=demo.session, actor=demo.actor(email),
                                    filters=ticket_list.TicketFilters(**filters))


def number_of(demo, title: str) -> int:
    return demo.session.exec(select(ticket_list.Ticket.number).where(ticket_list.Ticket.title == title)).one()


def test_a_comment_on_one_companys_ticket_keeps_the_other_companies_pages(world, engine):
    acme, globex = page(world, ACME_ADMIN), page(world, GLOBEX_ADMIN)
    page(world, ACME_ADMIN, q="printer")
    tickets.add_comment(session=world.session, actor=world.actor(STAFF), number=number_of(world, "Invoice address"),
                        body="Which address?", new_status=TicketStatus.WAITING_CUSTOMER)
    assert page(world, ACME_ADMIN) is acme  # Globex's ticket is in none of Acme's lists: not queried again
    again = page(world, GLOBEX_ADMIN)
    assert again is not globex and again.status_counts == {TicketStatus.WAITING_CUSTOMER: 1}
    counted: list[str] = []

    def record(_conn, _cursor, statement, *_args):  # noqa: ANN001
        if "count(" in statement.lower():
            counted.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:  # a page of Acme's search not read yet: its counts are still those kept before the comment
        assert [r.title for r in page(world, ACME_ADMIN, q="printer", sort="title").rows] == ["Printer jams"]
        assert counted == []
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_ticket_entering_or_leaving_a_filtered_list_is_seen_at_the_next_call(world):
    new = page(world, STAFF, statuses=(TicketStatus.NEW,))
    in_progress = page(world, STAFF, statuses=(TicketStatus.IN_PROGRESS,))
    waiting = page(world, STAFF, statuses=(TicketStatus.WAITING_CUSTOMER,))
    assert [r.title for r in in_progress.rows] == [] and len(new.rows) == 3
    tickets.add_comment(session=world.session, actor=world.actor(STAFF), number=number_of(world, "VPN drops"),
                        body="On it", new_status=TicketStatus.IN_PROGRESS)
    assert sorted(r.title for r in page(world, STAFF, statuses=(TicketStatus.NEW,)).rows) == \
        ["Invoice address", "Printer jams"]  # left: its old status met the list's
    assert [r.title for r in page(world, STAFF, statuses=(TicketStatus.IN_PROGRESS,)).rows] == ["VPN drops"]  # entered
    assert page(world, STAFF, statuses=(TicketStatus.WAITING_CUSTOMER,)) is waiting  # neither before nor after


def test_an_assignment_reaches_the_assignees_list_and_keeps_the_customers_of_other_companies(world):
    mine = page(world, STAFF, mine=True)
    globex = page(world, GLOBEX_ADMIN)
    assert [r.title for r in mine.rows] == ["VPN drops"]
    tickets.assign(session=world.session, actor=world.actor(STAFF), number=number_of(world, "Printer jams"),
                   assignee_id=world.account(STAFF).id)
    assert sorted(r.title for r in page(world, STAFF, mine=True).rows) == ["Printer jams", "VPN drops"]
    assert page(world, GLOBEX_ADMIN) is globex


def test_a_new_ticket_is_listed_for_its_company(world):
    acme = page(world, ACME_ADMIN, q="scanner")
    assert acme.rows == []
    world.make_ticket(ACME_USER, "Scanner offline")
    assert [r.title for r in page(world, ACME_ADMIN, q="scanner").rows] == ["Scanner offline"]


def test_a_write_to_many_tickets_at_once_drops_every_page(world):
    """An UPDATE not of one ticket by its id does not tell which rows it wrote: nothing is kept."""
    globex = page(world, GLOBEX_ADMIN)
    acme = world.company("Acme Oy")
    world.session.execute(update(ticket_list.Ticket).where(ticket_list.Ticket.company_id == acme.id)
                          .values(priority="high"))
    world.session.commit()
    assert page(world, GLOBEX_ADMIN) is not globex
    assert {r.priority for r in page(world, ACME_ADMIN).rows} == {"high"}


def test_a_ticket_written_as_an_object_tells_its_row(world):
    """The ORM's own writes (an object changed and flushed) carry the row as updates by id do."""
    globex = page(world, GLOBEX_ADMIN)
    acme_new = page(world, ACME_ADMIN, statuses=(TicketStatus.NEW,))
    world.force_status(number_of(world, "Printer jams"), TicketStatus.RESOLVED)
    assert page(world, GLOBEX_ADMIN) is globex
    assert [r.title for r in page(world, ACME_ADMIN, statuses=(TicketStatus.NEW,)).rows] == ["VPN drops"]
    assert acme_new.total == 2


def test_a_change_whose_rows_are_no_longer_known_drops_every_page(world, monkeypatch):
    """A page further behind than the changes kept (or a change told without rows) is dropped."""
    globex = page(world, GLOBEX_ADMIN)
    monkeypatch.setattr(page_cache.live, "changed_rows", lambda *_args: None)
    tickets.add_comment(session=world.session, actor=world.actor(STAFF), number=number_of(world, "Printer jams"),
                        body="Looking", new_status=TicketStatus.IN_PROGRESS)
    assert page(world, GLOBEX_ADMIN) is not globex


@pytest.mark.parametrize(("before", "after", "kept"), [
    ({"company_id": 2, "status": "new"}, {"company_id": 2, "status": "in_progress"}, True),
    ({"company_id": 1, "status": "new"}, {"company_id": 1, "status": "closed"}, False),  # was in it
    ({"company_id": 2, "status": "new"}, {"company_id": 1, "status": "new"}, False),  # moved into it
    (None, {"company_id": 1, "status": "new"}, False),  # inserted into it
    ({"company_id": 1, "status": "new"}, None, False),  # deleted from it
    (None, {"company_id": 2, "status": "new"}, True),
])
def test_a_page_is_touched_when_the_old_or_the_new_row_is_among_its_tickets(before, after, kept):
    conditions = (("company_id", (1,)), ("status", (TicketStatus.NEW, TicketStatus.IN_PROGRESS)))
    assert page_cache.touched([page_cache.live.RowChange(before, after)], conditions) is not kept


def test_unassigned_and_columns_a_change_does_not_carry_are_judged_safely():
    change = page_cache.live.RowChange({"assignee_id": None}, {"assignee_id": 5})
    assert page_cache.touched([change], (("assignee_id", (None,)),))  # was unassigned
    assert not page_cache.touched([change], (("assignee_id", (7,)),))
    assert page_cache.touched([change], (("number", (10001,)),))  # not carried: counted as met


def comment(demo, title: str, body: str) -> None:
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=number_of(demo, title), body=body)


@pytest.mark.parametrize("q", ["printer", "print*", "zzyzx*"])
def test_a_search_is_kept_across_a_comment_its_words_are_not_in(world, q):
    """Also a prefix (tested with the index's words it begins, as its search is) and a prefix no
    word begins."""
    kept = page(world, STAFF, q=q)
    assert [r.title for r in kept.rows] == ([] if q == "zzyzx*" else ["Printer jams"])
    comment(world, "VPN drops", "The tunnel resets every hour.")
    assert page(world, STAFF, q=q) is kept
    assert page(world, STAFF) is not None


@pytest.mark.parametrize("q", ["printer", "print*", "printer tunnel"])
def test_a_comment_with_a_searchs_words_brings_its_ticket_into_the_results(world, q):
    first = page(world, STAFF, q=q)
    comment(world, "VPN drops", "Printer tunnel printing fails too.")
    assert "VPN drops" in [r.title for r in page(world, STAFF, q=q).rows]
    assert page(world, STAFF, q=q).total == first.total + 1


def test_a_retitled_ticket_is_searched_again(world):
    assert page(world, STAFF, q="scanner").rows == []
    ticket = world.session.exec(select(ticket_list.Ticket).where(ticket_list.Ticket.title == "VPN drops")).one()
    ticket.title = "Scanner drops"
    world.session.add(ticket)
    world.session.commit()
    assert [r.title for r in page(world, STAFF, q="scanner").rows] == ["Scanner drops"]


def test_a_search_that_cannot_ask_the_index_drops_its_page(world, monkeypatch):
    printer = page(world, STAFF, q="printer")

    def broken(*_args):  # noqa: ANN002, ANN202
        raise RuntimeError("the index could not be read")

    monkeypatch.setattr(ticket_list.ticket_search, "matching", broken)
    comment(world, "VPN drops", "The tunnel resets every hour.")
    assert page(world, STAFF, q="printer") is not printer


def test_one_verdict_serves_every_page_of_a_view(world, monkeypatch):
    """The pages and sorts of one search share its conditions and words: the index is asked once."""
    asked = []
    matching = ticket_list.ticket_search.matching
    monkeypatch.setattr(ticket_list.ticket_search, "matching",
                        lambda *args: asked.append(args[1]) or matching(*args))
    first, by_title = page(world, STAFF, q="printer"), page(world, STAFF, q="printer", sort="title")
    comment(world, "VPN drops", "The tunnel resets every hour.")
    assert page(world, STAFF, q="printer") is first
    assert page(world, STAFF, q="printer", sort="title") is by_title
    assert len(asked) == 1


def test_a_touched_page_is_read_again_when_next_asked(world):
    cache = page_cache.PageCache(100)
    conditions = (("company_id", (1,)),)
    cache.get("one", lambda: "company one", conditions=conditions)
    cache.get("two", lambda: "company two", conditions=(("company_id", (2,)),))
    page_cache.live.feed().bump_rows(page_cache.TICKET_ROWS,
                                     [page_cache.live.RowChange({"company_id": 1}, {"company_id": 1})])
    assert cache.get("two", lambda: "queried") == "company two"
    assert cache.get("one", lambda: "queried", conditions=conditions) == "queried"
