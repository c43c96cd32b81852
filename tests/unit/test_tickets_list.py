"""The ticket list: URL filters (parse_filters / to_query), sorting by every column both ways,
pagination, counts per status, and full-text search (words in title, description and public
comments, whole words or prefixes, across punctuation, FTS operators harmless, always scoped to
the actor, answered from the index's tags on SQLite)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from portal_app.models import Account, Company, Contact, Ticket, TicketStatus
from portal_app.services import side_query
from portal_app.services.tickets import ticket_list, ticket_search
from portal_app.services.tickets import core as tickets
from portal_app.services.tickets.ticket_list import DEFAULT_SORT, NO_COMPANY, SORT_COLUMNS, TicketFilters, parse_filters

from demo_people import STAFF, USER, ADMIN, LIISA, GLOBEX_ADMIN, HANS, PARTNER
from ticket_world import ROWS, make_world

S = TicketStatus


# --- parse_filters / to_query ------------------------------------------------------------------------

def test_defaults():
    f = parse_filters({})
    assert f == TicketFilters()
    assert (f.sort, f.page, f.page_size, f.q, f.mine) == ("-updated", 1, 25, "", False)
    assert f.to_query() == {}


@pytest.mark.parametrize("query", [None, "status=New", ["status"], 42])
def test_a_query_that_is_not_a_mapping_gives_defaults(query):
    assert parse_filters(query) == TicketFilters()


@pytest.mark.parametrize(("raw", "expected"), [
    ("New", (S.NEW,)),
    ("new", (S.NEW,)),
    ("NEW", (S.NEW,)),
    ("In progress", (S.IN_PROGRESS,)),
    ("IN PROGRESS", (S.IN_PROGRESS,)),
    ("in_progress", (S.IN_PROGRESS,)),
    ("waiting for customer,Waiting for support", (S.WAITING_CUSTOMER, S.WAITING_SUPPORT)),
    (["Closed", "new"], (S.NEW, S.CLOSED)),
    (["Closed,Resolved", "new"], (S.NEW, S.RESOLVED, S.CLOSED)),
    ("new,new,NEW", (S.NEW,)),
    (" new , closed ", (S.NEW, S.CLOSED)),
    ("bogus,New,'; drop table ticket", (S.NEW,)),
    ("", ()),
    (",,,", ()),
    (["", None, 5, "resolved"], (S.RESOLVED,)),
    (5, ()),
    ({"new": 1}, ()),
])
def test_status_values(raw, expected):
    assert parse_filters({"status": raw}).statuses == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Bug", ("bug",)), ("BUG", ("bug",)), ("Work Order", ("work_order",)), ("work order", ("work_order",)),
    ("WORK_ORDER", ("work_order",)), ("support,bug", ("support", "bug")), (["Work Order", "Support"], ("support", "work_order")),
    ("Feature", ()), ("Work%20Order", ()),
])
def test_category_values(raw, expected):
    assert parse_filters({"category": raw}).categories == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Urgent", ("urgent",)), ("LOW,high", ("low", "high")), (["normal", "Normal"], ("normal",)),
    ("critical", ()),
])
def test_priority_values(raw, expected):
    assert parse_filters({"priority": raw}).priorities == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", (1,)), ("4,1", (1, 4)), (["10", "2"], (2, 10)), ("1,5,0,abc,-1,10,01", (1, 10)), ("", ()), (3, ()),
])
def test_severity_values(raw, expected):
    assert parse_filters({"severity": raw}).severities == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), ("7", 7), ("0", 1), ("-2", 1), ("abc", 1), ("", 1), ("2.5", 1), (["4", "9"], 4),
    ("99999999", 100_000), ("9" * 30, 1), (None, 1), (True, 1), (6, 6),
    # only the canonical spelling: anything else is as if no page were given
    (" 3 ", 1), ("03", 1), ("+3", 1), ("３", 1), ("٣", 1), ("3.0", 1), ("1_0", 1),
])
def test_page_is_clamped(raw, expected):
    assert parse_filters({"page": raw}).page == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("10", 10), ("25", 25), ("50", 50), ("100", 100), ("1000", 100), ("0", 25), ("30", 25), ("-10", 25),
    ("x", 25), (["50"], 50), (None, 25), ("050", 25), (" 50", 25), ("５０", 25), ("+50", 25),
])
def test_page_size_is_one_of_the_choices(raw, expected):
    assert parse_filters({"size": raw}).page_size == expected


@pytest.mark.parametrize("key", sorted(SORT_COLUMNS))
def test_every_sort_key_both_ways_is_accepted(key):
    assert parse_filters({"sort": key}).sort == key
    assert parse_filters({"sort": f"-{key}"}).sort == f"-{key}"
    assert parse_filters({"sort": [f"-{key}", "title"]}).sort == f"-{key}"


@pytest.mark.parametrize("raw", ["bogus", "-bogus", "", "-", "--title", "title;drop", "Title", "id", "password_hash",
                                 "company_id", ["bogus"], [], None, 5, {"title": 1}])
def test_unknown_sort_falls_back_to_recently_updated(raw):
    assert parse_filters({"sort": raw}).sort == DEFAULT_SORT == "-updated"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("on", True), ("yes", True),
                                               (["1"], True), ("0", False), ("no", False), ("", False),
                                               ("TRUE", False), (1, False)])
def test_mine(raw, expected):
    assert parse_filters({"mine": raw}).mine is expected


def test_q_is_stripped_and_cut():
    assert parse_filters({"q": "  printer  "}).q == "printer"
    assert parse_filters({"q": ["a", "b"]}).q == "a"
    assert parse_filters({"q": "x" * 500}).q == "x" * 200
    assert parse_filters({"q": 5}).q == ""


def test_company_and_assignee():
    f = parse_filters({"company": "7", "assignee": "me"})
    assert (f.company_id, f.assignee) == (7, "me")
    assert parse_filters({"assignee": "none"}).assignee == "none"
    assert parse_filters({"assignee": "12"}).assignee == "12"
    for bad in ("someone", "-1", "1" * 12, ["x"], 5, "012", " 12", "+12", "１２", "0"):
        assert parse_filters({"assignee": bad}).assignee == ""
    assert parse_filters({"company": ""}).company_id is None
    for bad in ("x", "0", "-3", "07", " 7", "+7", "７", "7.0"):  # names no company: lists none, not every one
        assert parse_filters({"company": bad}).company_id == NO_COMPANY
    assert parse_filters(TicketFilters(company_id=NO_COMPANY).to_query()).company_id == NO_COMPANY


ROUND_TRIPS = [
    TicketFilters(),
    TicketFilters(statuses=(S.NEW, S.WAITING_CUSTOMER), categories=("work_order",), severities=(1, 10),
                  priorities=("low", "urgent"), mine=True, q="printer, tray", sort="-title", page=3, page_size=50),
    TicketFilters(statuses=tuple(S), categories=("support", "bug", "work_order"), sort="priority", page_size=10),
    TicketFilters(company_id=4, assignee="none", sort="-assignee"),
    TicketFilters(assignee="me", q="ä ö ü 'quoted' \"double\""),
]


@pytest.mark.parametrize("filters", ROUND_TRIPS)
def test_to_query_round_trips(filters):
    query = filters.to_query()
    assert all(isinstance(v, str) for v in query.values())
    assert parse_filters(query) == filters
    # the same query parsed from a URL, where every value is a list
    assert parse_filters({k: [v] for k, v in query.items()}) == filters


def test_to_query_uses_readable_names():
    f = parse_filters({"status": "in_progress,NEW", "category": "work_order", "priority": "URGENT",
                       "sort": "-updated", "page": "1", "size": "25"})
    assert f.to_query() == {"status": "New,In progress", "category": "Work Order", "priority": "Urgent"}


# --- a list world ------------------------------------------------------------------------------------



@pytest.fixture
def world(tickets_demo):
    return make_world(tickets_demo)


@pytest.fixture
def file_world(file_demo):
    """The same world in a SQLite file, where a second connection sees it too."""
    return make_world(file_demo)


def all_rows(demo) -> list[Ticket]:
    demo.session.expire_all()
    return list(demo.session.exec(select(Ticket)).all())


def visible_numbers(demo, email) -> set[int]:
    page = ticket_list.list_tickets(session=demo.session, actor=demo.actor(email), filters=TicketFilters(page_size=100))
    return {r.number for r in page.rows}


def listing(world, email=STAFF, **query):
    return ticket_list.list_tickets(session=world.demo.session, actor=world.demo.actor(email),
                                filters=parse_filters(query))


def numbers_of(page) -> list[int]:
    return [r.number for r in page.rows]


def shown_name(session, column: str, value: int | None) -> str | None:
    """The name the list shows for a creator, assignee or company id (the oracle of name sorts)."""
    if value is None:
        return None
    if column == "company_id":
        return session.get(Company, value).name
    account = session.get(Account, value)
    contact = session.get(Contact, account.contact_id) if account.contact_id else None
    return f"{contact.first_name} {contact.last_name}" if contact and contact.first_name else \
        account.full_name or account.email


NAMED = {"created_by": "created_by_id", "assignee": "assignee_id", "company": "company_id"}


def expected_order(rows: list[Ticket], sort: str) -> list[int]:
    """Tickets in the order `sort`: by the column, or for a person or company by the name shown
    (case-insensitive, then its id); none first ascending, last descending; the id breaks ties."""
    key_name = sort.lstrip("-")
    descending = sort.startswith("-")

    def key(t: Ticket):
        if key_name in NAMED:
            value = getattr(t, NAMED[key_name])
            name = shown_name(Session.object_session(t), NAMED[key_name], value)
            return (value is not None, (name or "").casefold(), value or 0, t.id)
        value = getattr(t, SORT_COLUMNS[key_name].key)
        return (value is not None, value, t.id)

    return [t.number for t in sorted(rows, key=key, reverse=descending)]


@pytest.mark.parametrize("direction", ["", "-"])
@pytest.mark.parametrize("key", sorted(SORT_COLUMNS))
def test_sort_by_every_column_both_ways(world, key, direction):
    sort = direction + key
    page = listing(world, sort=sort, size="100")
    expected = expected_order(all_rows(world.demo), sort)
    assert numbers_of(page) == expected
    # a later page continues the same order
    assert numbers_of(listing(world, sort=sort, size="10", page="1")) == expected[:10]


@pytest.mark.parametrize("key", sorted(SORT_COLUMNS))
def test_sort_is_scoped_too(world, key):
    demo = world.demo
    page = listing(world, ADMIN, sort=f"-{key}", size="100")
    rows = [t for t in all_rows(demo) if t.company_id == demo.company("Acme Oy").id]
    assert numbers_of(page) == expected_order(rows, f"-{key}")


def test_default_sort_is_recently_updated_first(world):
    page = listing(world)
    assert numbers_of(page)[0] == world.numbers[0]  # the one bumped last
    assert numbers_of(page) == expected_order(all_rows(world.demo), "-updated")


@pytest.mark.parametrize(("key", "field"), [("created_by", "created_by"), ("assignee", "assignee"),
                                             ("company", "company")])
def test_people_and_companies_sort_by_the_name_shown(world, key, field):
    """Not by their ids: the column reads in alphabetical order, both ways (unassigned first)."""
    session = world.demo.session
    rows = all_rows(world.demo)
    # the lowest id gets the name last in the alphabet, so an order by id cannot pass
    first = min(getattr(t, NAMED[key]) for t in rows if getattr(t, NAMED[key]) is not None)
    if key == "company":
        session.get(Company, first).name = "Zz the last company"
    else:
        account = session.get(Account, first)
        contact = session.get(Contact, account.contact_id) if account.contact_id else None
        if contact and contact.first_name:
            contact.first_name = "Zz"
        account.full_name = "Zz the last person"
    session.commit()
    for direction in ("", "-"):
        names = [getattr(r, field) for r in listing(world, sort=direction + key, size="100").rows]
        assert len(set(names)) > 1
        assert names == sorted(names, key=str.casefold, reverse=direction == "-")


def test_name_sort_pages_follow_on_across_groups(world):
    """Pages of a name sort split groups of one person anywhere and lose or repeat nothing."""
    actor = world.demo.actor(STAFF)
    for sort in ("created_by", "-assignee"):
        whole = numbers_of(listing(world, sort=sort, size="100"))
        for size in (1, 3, 10):
            pages = []
            for page in range(1, -(-len(whole) // size) + 1):
                filters = replace(parse_filters({"sort": sort}), page=page, page_size=size)
                pages += numbers_of(ticket_list.list_tickets(session=world.demo.session, actor=actor, filters=filters))
            assert pages == whole, (sort, size)


@pytest.mark.parametrize("walk", [
    {}, {"NAME_WALK_FROM": 0}, {"NAME_WALK_FROM": 0, "NAME_WALK_BATCH": 2},
    {"NAME_WALK_FROM": 0, "NAME_WALK_MAX": 3, "NAME_WALK_BATCH": 2},
    {"SMALL_SEARCH": 0}, {"SMALL_SEARCH": 0, "NAME_WALK_MAX": 3, "NAME_WALK_BATCH": 2},
], ids=["counted at once", "walked", "walked in small batches", "walked then counted", "long search",
        "long search walked then counted"])
@pytest.mark.parametrize(("email", "query"), [
    (STAFF, {}), (STAFF, {"category": "bug,support"}), (STAFF, {"assignee": "none"}), (ADMIN, {}),
    (USER, {}), (PARTNER, {}), (STAFF, {"q": "printer"}), (STAFF, {"q": "print*"}), (ADMIN, {"q": "printer"}),
    (STAFF, {"q": "vpn", "status": "new,closed"}),
])
def test_name_sorts_give_the_same_pages_whichever_way_the_groups_are_found(world, monkeypatch, walk, email, query):
    """A long list sorted by name walks the people or companies in name order (forced here on the
    small demo), falling back to counting every group past a few; every page is that of the plain order."""
    for name, value in walk.items():
        monkeypatch.setattr(ticket_list, name, value)
    actor = world.demo.actor(email)
    whole = listing(world, email, size="100", **query)
    rows = [t for t in all_rows(world.demo) if t.number in set(numbers_of(whole))]
    for sort in ("created_by", "-created_by", "assignee", "-assignee", "company", "-company"):
        expected = expected_order(rows, sort)
        for size in (1, 4):
            for page in range(1, -(-len(expected) // size) + 2):
                filters = replace(parse_filters({**query, "sort": sort}), page=page, page_size=size)
                got = ticket_list.list_tickets(session=world.demo.session, actor=actor, filters=filters)
                last = max(1, -(-len(expected) // size))
                assert numbers_of(got) == expected[(min(page, last) - 1) * size:][:size], (sort, size, page)


def test_priority_sorts_by_rank_not_by_name(world):
    page = listing(world, sort="priority", size="100")
    ranks = [{"low": 1, "normal": 2, "high": 3, "urgent": 4}[r.priority] for r in page.rows]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize("sort", ["-updated", "status", "-category", "severity", "title", "-assignee", "company"])
def test_pages_give_every_ticket_exactly_once(world, sort):
    demo = world.demo

    def page_of(number):
        return ticket_list.list_tickets(session=demo.session, actor=demo.actor(STAFF),
                                    filters=TicketFilters(sort=sort, page_size=3, page=number))

    seen = []
    first = page_of(1)
    assert (first.total, first.pages) == (len(ROWS), 4)
    for page_number in range(1, first.pages + 1):
        page = page_of(page_number)
        assert page.page == page_number
        assert len(page.rows) == (3 if page_number < 4 else 1)
        seen += numbers_of(page)
    assert sorted(seen) == sorted(world.numbers) and len(seen) == len(set(seen))
    assert seen == expected_order(all_rows(demo), sort)
    last = page_of(99)  # past the end: the last page
    assert last.page == 4 and numbers_of(last) == seen[-1:]


def test_empty_list_has_one_page(world):
    page = listing(world, q="nothingmatchesthis")
    assert (page.rows, page.total, page.page, page.pages) == ([], 0, 1, 1)


@pytest.mark.parametrize("query", [
    {}, {"category": "bug"}, {"status": "new"}, {"status": "new,closed", "priority": "urgent,high"},
    {"severity": "1,2"}, {"q": "printer"}, {"category": "work_order", "status": "resolved"},
])
@pytest.mark.parametrize("email", [STAFF, ADMIN, USER, PARTNER, HANS])
def test_filters_and_status_counts_match_the_data(world, query, email):
    demo = world.demo
    page = listing(world, email, size="100", **query)
    f = parse_filters(query)
    visible = visible_numbers(demo, email)

    def matches(t: Ticket, with_status: bool) -> bool:
        return (t.number in visible
                and (not with_status or not f.statuses or t.status in f.statuses)
                and (not f.categories or t.category in f.categories)
                and (not f.severities or t.severity in f.severities)
                and (not f.priorities or t.priority in f.priorities)
                and (not f.q or t.number in set(numbers_of(listing(world, STAFF, q=f.q, size="100")))))

    rows = all_rows(demo)
    assert sorted(numbers_of(page)) == sorted(t.number for t in rows if matches(t, True))
    assert page.total == len(page.rows)
    assert page.status_counts == dict(Counter(t.status for t in rows if matches(t, False)))


def test_rows_carry_names(world):
    page = listing(world, q="invoice")
    assert [(r.title, r.created_by, r.company, r.assignee, r.category, r.severity, r.priority, r.status)
            for r in page.rows] == [("Invoice export", "Liisa Mäkinen", "Acme Oy", "Paul Partner", "bug", 1, "normal",
                                     S.WAITING_CUSTOMER)]
    page = listing(world, q="vpn drops")
    assert [(r.created_by, r.assignee) for r in page.rows] == [("Ville Korhonen", "Sam Staff")]


def test_mine_for_each_side(world):
    demo = world.demo
    own = {n for r, n in zip(ROWS, world.numbers) if r[0] == ADMIN}
    assert set(numbers_of(listing(world, ADMIN, mine="1"))) == own
    assigned_to_staff = {n for r, n in zip(ROWS, world.numbers) if r[7] == STAFF}
    assert set(numbers_of(listing(world, STAFF, mine="1", size="100"))) == assigned_to_staff
    assert demo.actor(STAFF).is_staff


def test_staff_filters_by_company_and_assignee(world):
    demo = world.demo
    globex = demo.company("Globex GmbH").id
    rows = all_rows(demo)
    assert sorted(numbers_of(listing(world, company=str(globex), size="100"))) == sorted(
        t.number for t in rows if t.company_id == globex)
    assert sorted(numbers_of(listing(world, assignee="none", size="100"))) == sorted(
        t.number for t in rows if t.assignee_id is None)
    partner = demo.account(PARTNER).id
    assert sorted(numbers_of(listing(world, assignee=str(partner), size="100"))) == sorted(
        t.number for t in rows if t.assignee_id == partner)
    assert sorted(numbers_of(listing(world, assignee="me", size="100"))) == sorted(
        t.number for t in rows if t.assignee_id == demo.account(STAFF).id)


def test_awaiting_support_is_new_and_waiting_for_support(world):
    """The inbox's "Awaiting us": a status filter (the status indexes serve it), in the URL."""
    query = ticket_list.awaiting_support_query()
    assert query == {"status": "New,Waiting for support"}
    expected = {t.number for t in all_rows(world.demo) if t.status in (TicketStatus.NEW, TicketStatus.WAITING_SUPPORT)}
    page = listing(world, size="100", **query)
    assert {r.number for r in page.rows} == expected and expected


@pytest.mark.parametrize("email", [ADMIN, USER, PARTNER])
def test_company_and_assignee_filters_never_widen_a_customers_scope(world, email):
    demo = world.demo
    visible = visible_numbers(demo, email)
    for query in ({"company": str(demo.company("Globex GmbH").id)}, {"assignee": "none"},
                  {"assignee": str(demo.account(STAFF).id)}):
        assert set(numbers_of(listing(world, email, size="100", **query))) == visible


# --- search ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("q", "titles"), [
    ("printer", {"Printer jams on duplex", "Zebra label printer", "Printer offline"}),
    ("PRINTER", {"Printer jams on duplex", "Zebra label printer", "Printer offline"}),
    ("print", set()),  # whole words ...
    ("print*", {"Printer jams on duplex", "Zebra label printer", "Printer offline"}),  # ... or a prefix
    ("PRINT* tray", {"Printer jams on duplex"}),
    ("p*", set()),  # one letter is no prefix: "p*" is the word "p", which no ticket has
    ("grind*", {"Printer jams on duplex"}),  # description, by prefix
    ("tray two", {"Printer jams on duplex"}),
    ("printer tray", {"Printer jams on duplex"}),  # every word, across title and description
    ("printer vpn", set()),
    ("crashed", {"VPN drops"}),  # a comment
    ("vpn-client", {"VPN drops"}),  # across punctuation
    ("vpn client", {"VPN drops"}),
    ("09:30", {"VPN drops"}),
    ("invoice-export", {"Invoice export"}),
    ("csv_encoding", {"Invoice export"}),
    ("CSV encoding", {"Invoice export"}),
    ("encoding, csv!", {"Invoice export"}),
    ("second", {"Zebra label printer"}),  # comment words
    ("käyttäjä", {"käyttäjä ei näe laskuja"}),
    ("KAYTTAJA", {"käyttäjä ei näe laskuja"}),  # diacritics folded
    ("makinen", {"käyttäjä ei näe laskuja"}),
    ("bump", {"Printer jams on duplex"}),
    ("vpn", {"VPN drops", "Globex VPN"}),
])
def test_staff_search(world, q, titles):
    page = listing(world, q=q, size="100")
    assert {r.title for r in page.rows} == titles


@pytest.mark.parametrize(("email", "q", "titles"), [
    (USER, "printer", {"Printer jams on duplex"}),
    (ADMIN, "printer", {"Printer jams on duplex", "Zebra label printer"}),
    (LIISA, "printer", {"Zebra label printer"}),
    (HANS, "printer", {"Printer offline"}),
    (GLOBEX_ADMIN, "vpn", {"Globex VPN"}),
    (PARTNER, "vpn", {"Globex VPN"}),
    (PARTNER, "invoice", {"Invoice export"}),
    (PARTNER, "printer", set()),
    (USER, "invoice", set()),
])
def test_search_stays_in_scope(world, email, q, titles):
    page = listing(world, email, q=q, size="100")
    assert {r.title for r in page.rows} == titles
    assert sum(page.status_counts.values()) == page.total


@pytest.mark.parametrize("spelling", ["{n}", "#{n}", " # {n} ", "{n} "])
def test_a_number_finds_that_ticket(world, spelling):
    number = world.by_title["Zebra label printer"]
    page = listing(world, q=spelling.format(n=number))
    assert numbers_of(page) == [number]
    assert (page.total, page.status_counts) == (1, {TicketStatus.WAITING_SUPPORT: 1})
    for email in (ADMIN, LIISA):  # a customer who may see it
        assert numbers_of(listing(world, email, q=spelling.format(n=number))) == [number]


@pytest.mark.parametrize("email", [USER, HANS, GLOBEX_ADMIN, PARTNER])
def test_a_number_finds_nothing_outside_the_scope(world, email):
    number = world.by_title["Zebra label printer"]  # Liisa's, of Acme, not assigned
    page = listing(world, email, q=f"#{number}")
    assert (numbers_of(page), page.total, page.status_counts) == ([], 0, {})


def test_a_number_keeps_the_other_filters(world):
    number = world.by_title["Zebra label printer"]
    assert numbers_of(listing(world, q=str(number), status="new")) == []
    assert numbers_of(listing(world, q=str(number), category="bug")) == [number]


def test_a_number_in_a_text_is_still_found_by_the_text(world):
    demo = world.demo
    number = world.by_title["Quote for licences"]
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=number, body="Order 4711 sent")
    assert numbers_of(listing(world, q="4711")) == [number]  # no ticket 4711: the words decide
    assert numbers_of(listing(world, q="order 4711")) == [number]


OPERATOR_QUERIES = [
    '"', '""', '"printer', 'printer"', '"printer"*', "*", "printer*", "**", "AND", "OR", "NOT", "printer AND",
    "AND printer", "printer OR zebra", "NOT printer", "printer NOT tray", "NEAR(", "NEAR(printer tray)",
    "NEAR(printer, 2)", "-", "-printer", "printer -tray", "^printer", "+printer", "title:printer", "ticket_fts:x",
    "{title}: printer", "(", ")", "()", "(printer", "'", "';--", "\\", "%", "_", "%printer%", "\x00", "\u202e",
    "printer\nOR\n1", "a" * 200, " ".join(["printer"] * 50), "🙂", "ä" * 50, "rowid = 1", "MATCH", "*printer",
]


@pytest.mark.parametrize("email", [STAFF, USER, HANS, PARTNER])
def test_fts_operators_do_not_crash_and_stay_scoped(world, email):
    demo = world.demo
    visible = visible_numbers(demo, email)
    for q in OPERATOR_QUERIES:
        page = listing(world, email, q=q, size="100")
        assert set(numbers_of(page)) <= visible, q
        assert page.total == len(page.rows), q
        if not tickets.ticket_search.terms(q):  # no word at all: no text filter
            assert set(numbers_of(page)) == visible, q


@pytest.mark.parametrize(("q", "titles"), [
    ('"printer', {"Printer jams on duplex", "Zebra label printer", "Printer offline"}),
    ("NEAR(zebra", set()),  # "near" is a word like any other: no ticket has it
    ("-zebra", {"Zebra label printer"}),
    ("zebra*", {"Zebra label printer"}),
    ("zebra AND", set()),  # "and" is a word like any other: no ticket has it
    ("label OR", set()),
])
def test_operators_are_plain_words(world, q, titles):
    assert {r.title for r in listing(world, q=q, size="100").rows} == titles


def test_new_comments_are_found_and_searching_combines_with_filters(world):
    demo = world.demo
    number = world.by_title["Quote for licences"]
    assert numbers_of(listing(world, q="okapi")) == []
    tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=number, body="Okapi pricing sent")
    assert numbers_of(listing(world, q="okapi")) == [number]
    assert numbers_of(listing(world, HANS, q="okapi")) == [number]
    assert numbers_of(listing(world, USER, q="okapi")) == []
    assert numbers_of(listing(world, q="okapi", category="bug")) == []
    assert numbers_of(listing(world, q="okapi", category="work_order", status="resolved")) == [number]


# --- the search's three ways to a page -----------------------------------------------------------------

STRATEGIES = {
    "collect": {"SMALL_SEARCH": 0, "COLLECT_COST": 0.0},  # every match collected, the sort index walked
    "probe": {"SMALL_SEARCH": 0, "PROBE_COST": 0.0},  # the sort index walked, each ticket looked up
}


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
@pytest.mark.parametrize(("email", "query"), [
    (STAFF, {"q": "printer"}),
    (STAFF, {"q": "printer", "status": "new,closed"}),
    (STAFF, {"q": "vpn", "mine": "1"}),
    (STAFF, {"q": "vpn", "company": "1"}),
    (STAFF, {"q": "vpn", "assignee": "none"}),
    (STAFF, {"q": "print*", "priority": "high,normal,low"}),
    (ADMIN, {"q": "printer"}),
    (ADMIN, {"q": "printer", "mine": "1"}),
    (USER, {"q": "printer"}),
    (PARTNER, {"q": "vpn"}),
    (HANS, {"q": "printer", "category": "bug", "severity": "2,3"}),
])
def test_every_way_to_a_search_page_gives_the_same_pages(world, monkeypatch, strategy, email, query):
    """Whichever way `_search_list` takes to a page (chosen by the matches' number and density at
    scale, forced here), the pages, the total and the counts are those of the plain way."""
    whole = listing(world, email, size="100", **query)
    rows = [t for t in all_rows(world.demo) if t.number in set(numbers_of(whole))]
    for name, value in STRATEGIES[strategy].items():
        monkeypatch.setattr(ticket_list, name, value)
    for sort in ("-updated", "title", "-priority", "number", "-created_by", "assignee"):
        expected = expected_order(rows, sort)
        for page in range(1, len(expected) + 2):  # pages of one, the last ones read backwards
            filters = replace(parse_filters(query), sort=sort, page=page, page_size=1)
            got = ticket_list.list_tickets(session=world.demo.session, actor=world.demo.actor(email), filters=filters)
            assert (got.total, got.status_counts) == (whole.total, whole.status_counts)
            assert numbers_of(got) == expected[min(page, max(len(expected), 1)) - 1:][:1], (sort, page)


@pytest.mark.parametrize(("probe_cost", "walk"), [(0.0, "every ticket"), (None, "scope")])
def test_a_search_walking_every_ticket_keeps_the_filters_out_of_the_plan(world, monkeypatch, probe_cost, walk):
    """A long search read ticket by ticket along the sort's index over every ticket tests the filters
    on the way (`+ticket.status`): with the status's own index SQLite looked up every closed ticket
    and sorted them (1.2 s at 100,000 tickets). Walking one scope's index keeps them as they are."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_):  # noqa: ANN001, ANN002
        statements.append(statement)

    query = {"q": "printer", "status": "new,closed", "sort": "title"}
    plain = listing(world, size="100", **query)
    monkeypatch.setattr(ticket_list, "SMALL_SEARCH", 0)
    if probe_cost is not None:
        monkeypatch.setattr(ticket_list, "PROBE_COST", probe_cost)
    else:  # probing pays only along the scope's own index
        monkeypatch.setattr(ticket_list, "_probe_walk", lambda *_: ticket_list.WALK_SCOPE)
    event.listen(world.demo.session.get_bind(), "before_cursor_execute", record)
    try:
        walked = ticket_list.query_tickets(session=world.demo.session, actor=world.demo.actor(STAFF),
                                           filters=parse_filters({**query, "size": "100"}))  # (not the page cache)
    finally:
        event.remove(world.demo.session.get_bind(), "before_cursor_execute", record)
    page = next(s for s in statements if "ticket_fts.rowid = ticket.id" in s)  # the probing page
    assert ("+ticket.status" in page) == (walk == "every ticket")
    assert (numbers_of(walked), walked.total) == (numbers_of(plain), plain.total)
    assert plain.total > 0


@pytest.mark.parametrize(("conditions", "column", "walk"), [
    ([("category", ("bug",)), ("severity", (1, 2))], "updated_at", ""),  # no index: every bug read, then sorted
    ([("status", ("new", "in_progress"))], "updated_at", ""),  # two statuses: two runs of the index, sorted
    ([("status", ("new",))], "updated_at", "scope"),  # ix_ticket_status_updated
    ([("company_id", (1,))], "title_key", "scope"),  # ix_ticket_company_title
])
def test_a_long_search_walks_a_scope_only_along_an_index_in_the_sort_order(world, monkeypatch, conditions, column,
                                                                         walk):
    """Walking the scope's tickets and looking each up pays only when the walk stops after the page:
    when SQLite reads them in the sort's order. Otherwise it reads the whole scope and sorts it
    (140-180 ms for the bugs of severity 1 or 2 matching "error", at 100,000 tickets), and the
    matches are collected instead."""
    monkeypatch.setattr(ticket_list, "PROBE_COST", 1e9)  # walking every ticket never pays here
    monkeypatch.setattr(ticket_list, "_scope_size", lambda *_: 0)  # walking the scope would, by the count
    monkeypatch.setattr(ticket_list, "_WALKS_IN_ORDER", {})
    window = ticket_list._window(100, parse_filters({}))
    conn = world.demo.session.connection()
    assert ticket_list._probe_walk(conn, conditions, window, 100, column) == walk
    assert ticket_list._probe_walk(conn, conditions, window, 100, column) == walk  # asked once, then known
    assert len(ticket_list._WALKS_IN_ORDER) == 1


# --- counts on a second connection -----------------------------------------------------------------------

@pytest.mark.parametrize(("email", "query"), [
    (STAFF, {"q": "printer"}),
    (STAFF, {"q": "vpn", "status": "in_progress,closed"}),
    (STAFF, {"q": "print*", "company": "1"}),
    (ADMIN, {"q": "printer"}),
    (ADMIN, {"q": "invoice", "status": "waiting_customer"}),
    (USER, {"q": "printer"}),
    (PARTNER, {"q": "vpn"}),
    (HANS, {"q": "printer", "category": "support"}),
])
def test_counts_asked_on_a_second_connection_are_those_asked_on_one(file_world, monkeypatch, side_threads, email,
                                                                    query):
    """On a SQLite file the open statuses of a search are counted on a second connection meanwhile
    (`side_query`); the list is the same as when everything is asked on one."""
    beside = listing(file_world, email, size="100", **query)
    assert side_threads and side_threads[0].startswith("side-query")
    monkeypatch.setattr(side_query, "available", lambda conn: False)
    alone = listing(file_world, email, size="100", **query)
    assert (numbers_of(beside), beside.total, beside.status_counts) == (
        numbers_of(alone), alone.total, alone.status_counts)
    assert beside.total > 0
    unfiltered_by_status = {k: v for k, v in query.items() if k != "status"}
    shown = set(numbers_of(listing(file_world, email, size="100", **unfiltered_by_status)))
    assert beside.status_counts == dict(Counter(t.status for t in all_rows(file_world.demo) if t.number in shown))


# --- prefixes looked up in the index's vocabulary ---------------------------------------------------------

PREFIX_QUERIES = ["print*", "PRINT* tray", "grind*", "vpn*", "inv* csv*", "la*", "käy*", "mäk*", "zzz*", "pr*",
                  "co*", "st*", "to*", "se*", "ca*", "cs*", "printer prints*"]


@pytest.mark.parametrize("q", PREFIX_QUERIES)
@pytest.mark.parametrize("email", [STAFF, ADMIN, USER, HANS, PARTNER])
def test_a_prefix_looked_up_finds_what_fts5s_own_prefix_finds(world, monkeypatch, email, q):
    """A prefix of a few words is asked as those words (`ticket_search.expand`); the pages, total
    and counts are those of FTS5's own prefix query, whatever the prefix (tag-like, non-ASCII,
    matching nothing)."""
    looked_up = listing(world, email, size="100", q=q)
    monkeypatch.setattr(ticket_search, "MAX_EXPANSION", -1)  # every prefix left to FTS5
    own = listing(world, email, size="100", q=q)
    assert (numbers_of(looked_up), looked_up.total, looked_up.status_counts) == (
        numbers_of(own), own.total, own.status_counts)


def test_a_prefix_of_a_few_words_becomes_those_words(world):
    conn = world.demo.session.connection()
    expand = ticket_search.expand
    assert expand(conn, ticket_search.terms("print* tray")) == [
        ticket_search.Term("print", words=("printer",)), ticket_search.Term("tray")]
    assert expand(conn, ticket_search.terms("zzz*")) == [ticket_search.Term("zzz", words=())]  # nothing begins so
    assert listing(world, q="zzz*").total == 0
    assert expand(conn, ticket_search.terms("käy*")) == [ticket_search.Term("käy", prefix=True)]  # not ASCII
    assert expand(conn, ticket_search.terms("st*")) == [ticket_search.Term("st", prefix=True)]  # "stnew" is a tag


def test_a_prefix_of_many_words_stays_a_prefix(world, monkeypatch):
    conn = world.demo.session.connection()
    assert ticket_search.expand(conn, ticket_search.terms("la*"))[0].words == ("label", "labels", "laskuja")
    monkeypatch.setattr(ticket_search, "MAX_EXPANSION", 2)
    assert ticket_search.expand(conn, ticket_search.terms("la*")) == [ticket_search.Term("la", prefix=True)]


def test_every_beginning_of_every_tag_is_known_to_be_one(world):
    """The vocabulary holds the tags too: a prefix that could begin one is never looked up there."""
    for ticket in all_rows(world.demo):
        for tag in ticket_search.tags(ticket).split():
            assert all(ticket_search.may_begin_a_tag(tag[:n]) for n in range(2, len(tag) + 1)), tag
    assert not any(ticket_search.may_begin_a_tag(w) for w in ("print", "error", "vpn", "stat", "canon", "tone",
                                                                "copy", "sea", "press", "csv"))


@pytest.mark.parametrize("email", [STAFF, ADMIN])
def test_titles_sort_without_regard_to_capitals(world, email):
    """A title in small letters sorts among the others, not after every capital (ASCII's order)."""
    titles = [r.title for r in listing(world, email, sort="title", size="100").rows]
    assert titles == sorted(titles, key=lambda t: (t.translate(_ASCII_LOWER), t)), titles
    assert titles[0] == "aardvark lowercase title"
    assert titles.index("Invoice export") < titles.index("käyttäjä ei näe laskuja") < titles.index("New office setup")
    backwards = [r.title for r in listing(world, email, sort="-title", size="100").rows]
    assert backwards == titles[::-1]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
