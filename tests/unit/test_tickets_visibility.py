"""Ticket visibility per role (tickets.py module docstring, issue 3 "Visibility"):

- staff: every ticket; collaborator: the tickets assigned to it; company admin: every ticket of its
  company ("mine" narrows to its own); contact: the tickets it created;
- a ticket outside that scope answers NotFound, exactly like a number that does not exist, in every
  service (list, detail, comment, follow, download);
- the "tickets" module switched off, or a profile without it: nothing; at "view": read, never write.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal_app.models import ModuleAccess, TicketComment, TicketStatus
from portal_app.services.tickets import attachments, ticket_list
from portal_app.services.tickets import core as tickets
from portal_app.services.portal import config
from portal_app.services.errors import NotFound, PermissionDenied, ServiceError
from portal_app.services.portal.modules import MODULE_KEYS
from sqlmodel import select

STAFF = "staff@example.com"
ACME_ADMIN = "admin@acme.example.com"
ACME_USER = "user@acme.example.com"
ACME_LIISA = "liisa.makinen@acme.example.com"
GLOBEX_ADMIN = "admin@globex.example.com"
GLOBEX_HANS = "hans.mueller@globex.example.com"
PARTNER = "partner@partner.example.com"
EVERYONE = (STAFF, ACME_ADMIN, ACME_USER, ACME_LIISA, GLOBEX_ADMIN, GLOBEX_HANS, PARTNER)
MISSING_NUMBER = 99_999

# ticket key -> (creator, assignee)
TICKETS = {
    "acme_user": (ACME_USER, None),
    "acme_liisa": (ACME_LIISA, None),
    "acme_admin": (ACME_ADMIN, None),
    "acme_partner": (ACME_USER, PARTNER),
    "globex_hans": (GLOBEX_HANS, None),
    "globex_admin": (GLOBEX_ADMIN, STAFF),
    "globex_partner": (GLOBEX_HANS, PARTNER),
}
ALL = set(TICKETS)

VISIBLE = {
    STAFF: ALL,
    ACME_ADMIN: {"acme_user", "acme_liisa", "acme_admin", "acme_partner"},
    ACME_USER: {"acme_user", "acme_partner"},
    ACME_LIISA: {"acme_liisa"},
    GLOBEX_ADMIN: {"globex_hans", "globex_admin", "globex_partner"},
    GLOBEX_HANS: {"globex_hans", "globex_partner"},
    PARTNER: {"acme_partner", "globex_partner"},
}
MINE = {
    STAFF: {"globex_admin"},  # staff's "mine" is what is assigned to it
    ACME_ADMIN: {"acme_admin"},
    ACME_USER: {"acme_user", "acme_partner"},
    ACME_LIISA: {"acme_liisa"},
    GLOBEX_ADMIN: {"globex_admin"},
    GLOBEX_HANS: {"globex_hans", "globex_partner"},
    PARTNER: {"acme_partner", "globex_partner"},
}


@pytest.fixture
def world(tickets_demo):
    """One ticket per key of TICKETS, each with an attachment on the ticket itself."""
    demo = tickets_demo
    numbers, files = {}, {}
    for key, (creator, assignee) in TICKETS.items():
        staged = demo.stage_file(creator, f"{key}.txt", f"file of {key}\n".encode())
        ticket = demo.make_ticket(creator, f"Ticket {key}", attachment_ids=[staged.id], assignee=assignee)
        numbers[key] = ticket.number
        files[key] = staged.id
    return SimpleNamespace(demo=demo, numbers=numbers, files=files,
                           key_of={n: k for k, n in numbers.items()})


def listed(world, email: str, **filters) -> set[str]:
    page = ticket_list.list_tickets(session=world.demo.session, actor=world.demo.actor(email),
                                filters=ticket_list.TicketFilters(page_size=100, **filters))
    assert page.total == len(page.rows)
    return {world.key_of[row.number] for row in page.rows}


def same_not_found(call_hidden, call_missing) -> None:
    """Both calls answer NotFound with the same key and params: nothing tells them apart."""
    with pytest.raises(NotFound) as hidden:
        call_hidden()
    with pytest.raises(NotFound) as missing:
        call_missing()
    assert (type(hidden.value), hidden.value.key, hidden.value.params, str(hidden.value)) == (
        type(missing.value), missing.value.key, missing.value.params, str(missing.value))


def test_demo_ticket_numbers_are_distinct(world):
    assert len(set(world.numbers.values())) == len(TICKETS)


@pytest.mark.parametrize("email", EVERYONE)
def test_list_shows_exactly_the_roles_scope(world, email):
    assert listed(world, email) == VISIBLE[email]


@pytest.mark.parametrize("email", EVERYONE)
def test_mine_narrows_to_own_tickets(world, email):
    assert listed(world, email, mine=True) == MINE[email]


@pytest.mark.parametrize("email", EVERYONE)
def test_status_counts_only_count_visible_tickets(world, email):
    page = ticket_list.list_tickets(session=world.demo.session, actor=world.demo.actor(email),
                                filters=ticket_list.TicketFilters())
    assert page.status_counts == {TicketStatus.NEW: len(VISIBLE[email])}


@pytest.mark.parametrize("email", EVERYONE)
def test_get_ticket_answers_not_found_outside_the_scope(world, email):
    demo = world.demo
    for key, number in world.numbers.items():
        if key in VISIBLE[email]:
            detail = tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=number)
            assert detail.ticket.number == number
            assert [a.id for a in detail.attachments] == [world.files[key]]
        else:
            same_not_found(
                lambda n=number: tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=n),
                lambda: tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=MISSING_NUMBER))


@pytest.mark.parametrize("email", EVERYONE)
def test_download_answers_not_found_outside_the_scope(world, email):
    demo = world.demo
    for key, attachment_id in world.files.items():
        if key in VISIBLE[email]:
            download = attachments.open_for_download(session=demo.session, actor=demo.actor(email),
                                                     attachment_id=attachment_id)
            assert download.file_name == f"{key}.txt"
            assert download.path.read_bytes() == f"file of {key}\n".encode()
        else:
            same_not_found(
                lambda a=attachment_id: attachments.open_for_download(
                    session=demo.session, actor=demo.actor(email), attachment_id=a),
                lambda: attachments.open_for_download(session=demo.session, actor=demo.actor(email),
                                                      attachment_id=999_999))


@pytest.mark.parametrize("email", [e for e in EVERYONE if e != STAFF])
def test_comment_outside_the_scope_is_not_found_and_changes_nothing(world, email):
    demo = world.demo
    hidden = sorted(ALL - VISIBLE[email])
    assert hidden
    before = demo.committed_state()
    for key in hidden:
        same_not_found(
            lambda n=world.numbers[key]: tickets.add_comment(session=demo.session, actor=demo.actor(email),
                                                             number=n, body="hello?"),
            lambda: tickets.add_comment(session=demo.session, actor=demo.actor(email), number=MISSING_NUMBER,
                                        body="hello?"))
        same_not_found(
            lambda n=world.numbers[key]: tickets.add_comment(session=demo.session, actor=demo.actor(email),
                                                             number=n, new_status=TicketStatus.CLOSED),
            lambda: tickets.add_comment(session=demo.session, actor=demo.actor(email), number=MISSING_NUMBER,
                                        new_status=TicketStatus.CLOSED))
    assert demo.committed_state() == before


@pytest.mark.parametrize("email", EVERYONE)
def test_comment_inside_the_scope_is_saved(world, email):
    demo = world.demo
    for key in sorted(VISIBLE[email]):
        ticket, _mails = tickets.add_comment(session=demo.session, actor=demo.actor(email),
                                             number=world.numbers[key], body=f"note from {email}")
        comments = demo.session.exec(select(TicketComment).where(TicketComment.ticket_id == ticket.id)).all()
        assert [(c.body, c.author_id) for c in comments] == [(f"note from {email}", demo.account(email).id)]


def test_company_admin_follows_tickets_of_its_company_only(world):
    demo = world.demo
    admin = demo.actor(ACME_ADMIN)
    assert tickets.set_following(session=demo.session, actor=admin, number=world.numbers["acme_user"],
                                 follow=True) is True
    assert tickets.get_ticket(session=demo.session, actor=admin, number=world.numbers["acme_user"]).following
    for key in ("globex_hans", "globex_partner"):
        same_not_found(
            lambda n=world.numbers[key]: tickets.set_following(session=demo.session, actor=admin, number=n,
                                                               follow=True),
            lambda: tickets.set_following(session=demo.session, actor=admin, number=MISSING_NUMBER, follow=True))
    assert tickets.set_following(session=demo.session, actor=admin, number=world.numbers["acme_user"],
                                 follow=False) is False
    assert not tickets.get_ticket(session=demo.session, actor=admin, number=world.numbers["acme_user"]).following


@pytest.mark.parametrize("email", [ACME_USER, PARTNER, STAFF])
def test_only_company_admins_follow(world, email):
    demo = world.demo
    own = sorted(VISIBLE[email])[0]
    before = demo.committed_state()
    with pytest.raises(PermissionDenied):
        tickets.set_following(session=demo.session, actor=demo.actor(email), number=world.numbers[own], follow=True)
    assert demo.committed_state() == before


def test_the_creator_keeps_following_its_own_ticket(world):
    demo = world.demo
    number = world.numbers["acme_admin"]
    tickets.set_following(session=demo.session, actor=demo.actor(ACME_ADMIN), number=number, follow=False)
    assert tickets.get_ticket(session=demo.session, actor=demo.actor(ACME_ADMIN), number=number).following


@pytest.mark.parametrize("email", [e for e in EVERYONE if e != STAFF])
def test_only_staff_assigns(world, email):
    demo = world.demo
    before = demo.committed_state()
    for number in (*world.numbers.values(), MISSING_NUMBER):
        with pytest.raises(PermissionDenied):
            tickets.assign(session=demo.session, actor=demo.actor(email), number=number,
                           assignee_id=demo.account(PARTNER).id)
    assert demo.committed_state() == before


def test_staff_assigning_a_missing_ticket_is_not_found(world):
    demo = world.demo
    with pytest.raises(NotFound):
        tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=MISSING_NUMBER,
                       assignee_id=demo.account(PARTNER).id)


def test_collaborator_sees_a_ticket_only_while_assigned(world):
    demo = world.demo
    number = world.numbers["acme_user"]
    with pytest.raises(NotFound):
        tickets.get_ticket(session=demo.session, actor=demo.actor(PARTNER), number=number)
    tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=number, assignee_id=demo.account(PARTNER).id)
    assert tickets.get_ticket(session=demo.session, actor=demo.actor(PARTNER), number=number).ticket.number == number
    tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=number, assignee_id=None)
    with pytest.raises(NotFound):
        tickets.get_ticket(session=demo.session, actor=demo.actor(PARTNER), number=number)
    with pytest.raises(NotFound):
        attachments.open_for_download(session=demo.session, actor=demo.actor(PARTNER),
                                      attachment_id=world.files["acme_user"])


def test_only_staff_and_collaborators_may_be_assigned(world):
    from portal_app.services.errors import ValidationFailed

    demo = world.demo
    before = demo.committed_state()
    for email in (ACME_ADMIN, GLOBEX_HANS):
        with pytest.raises(ValidationFailed) as exc:
            tickets.assign(session=demo.session, actor=demo.actor(STAFF), number=world.numbers["acme_user"],
                           assignee_id=demo.account(email).id)
        assert exc.value.fields == {"assignee": ("error.invalid", {})}
    assert demo.committed_state() == before


def test_collaborator_comments_and_changes_status_on_assigned_tickets(world):
    demo = world.demo
    number = world.numbers["acme_partner"]
    ticket, _ = tickets.add_comment(session=demo.session, actor=demo.actor(PARTNER), number=number,
                                    body="On it", new_status=TicketStatus.IN_PROGRESS)
    assert ticket.status == TicketStatus.IN_PROGRESS
    detail = tickets.get_ticket(session=demo.session, actor=demo.actor(ACME_USER), number=number)
    assert [(c.body, c.author_is_support, c.status_change) for c in detail.comments] == [
        ("On it", True, (TicketStatus.NEW, TicketStatus.IN_PROGRESS))]


@pytest.mark.parametrize("email", [STAFF, PARTNER])
def test_support_side_cannot_open_tickets(world, email):
    demo = world.demo
    before = demo.committed_state()
    with pytest.raises(PermissionDenied):
        tickets.create_ticket(session=demo.session, actor=demo.actor(email),
                              data={"title": "x", "description": "y", "category": "support", "priority": "low"})
    assert demo.committed_state() == before


# --- module and profile ---------------------------------------------------------------------------

CUSTOMERS = (ACME_ADMIN, ACME_USER, ACME_LIISA, GLOBEX_ADMIN, GLOBEX_HANS, PARTNER)


def assert_sees_nothing(world, email: str) -> None:
    demo = world.demo
    actor = demo.actor(email)
    assert not actor.can("tickets")
    page = ticket_list.list_tickets(session=demo.session, actor=actor, filters=ticket_list.TicketFilters(page_size=100))
    assert (page.rows, page.total, page.status_counts) == ([], 0, {})
    before = demo.committed_state()
    for key, number in world.numbers.items():
        with pytest.raises(NotFound):
            tickets.get_ticket(session=demo.session, actor=actor, number=number)
        with pytest.raises(NotFound):
            attachments.open_for_download(session=demo.session, actor=actor, attachment_id=world.files[key])
        with pytest.raises((PermissionDenied, NotFound)):
            tickets.add_comment(session=demo.session, actor=actor, number=number, body="hi")
        with pytest.raises((PermissionDenied, NotFound)):
            tickets.add_comment(session=demo.session, actor=actor, number=number, new_status=TicketStatus.CLOSED)
    with pytest.raises(PermissionDenied):
        tickets.create_ticket(session=demo.session, actor=actor,
                              data={"title": "x", "description": "y", "category": "support", "priority": "low"})
    assert demo.committed_state() == before


@pytest.mark.parametrize("email", CUSTOMERS)
def test_module_switched_off_hides_every_ticket(world, email):
    demo = world.demo
    config.set_module_enabled(session=demo.session, actor=demo.actor(STAFF), module="tickets", enabled=False)
    assert_sees_nothing(world, email)
    # staff keeps its inbox
    assert listed(world, STAFF) == ALL


def test_module_switched_back_on_shows_them_again(world):
    demo = world.demo
    staff = demo.actor(STAFF)
    config.set_module_enabled(session=demo.session, actor=staff, module="tickets", enabled=False)
    assert listed(world, ACME_ADMIN) == set()
    config.set_module_enabled(session=demo.session, actor=staff, module="tickets", enabled=True)
    assert listed(world, ACME_ADMIN) == VISIBLE[ACME_ADMIN]


@pytest.mark.parametrize("email", [ACME_ADMIN, ACME_USER])
def test_profile_without_tickets_sees_nothing(world, email):
    demo = world.demo
    profile = demo.make_profile("No tickets", modules={m: ModuleAccess.EDIT for m in MODULE_KEYS}
                                | {"tickets": ModuleAccess.NONE})
    demo.use_profile(email, profile)
    assert_sees_nothing(world, email)


def test_contact_without_profile_sees_nothing(world):
    demo = world.demo
    contact = demo.contact(ACME_USER)
    contact.profile_id = None
    demo.session.add(contact)
    demo.session.commit()
    assert_sees_nothing(world, ACME_USER)


@pytest.mark.parametrize("email", [ACME_ADMIN, ACME_USER])
def test_profile_with_tickets_at_view_reads_but_never_writes(world, email):
    demo = world.demo
    profile = demo.make_profile("Read tickets", modules={m: ModuleAccess.EDIT for m in MODULE_KEYS}
                                | {"tickets": ModuleAccess.VIEW})
    demo.use_profile(email, profile)
    assert listed(world, email) == VISIBLE[email]
    before = demo.committed_state()
    for key in VISIBLE[email]:
        number = world.numbers[key]
        detail = tickets.get_ticket(session=demo.session, actor=demo.actor(email), number=number)
        assert detail.ticket.number == number
        assert (detail.can_comment, detail.transitions) == (False, ())
        download = attachments.open_for_download(session=demo.session, actor=demo.actor(email),
                                                 attachment_id=world.files[key])
        assert download.size > 0
        for kwargs in ({"body": "hi"}, {"new_status": TicketStatus.CLOSED}, {"body": "x", "new_status": "closed"}):
            with pytest.raises(PermissionDenied):
                tickets.add_comment(session=demo.session, actor=demo.actor(email), number=number, **kwargs)
    with pytest.raises(PermissionDenied):
        tickets.create_ticket(session=demo.session, actor=demo.actor(email),
                              data={"title": "x", "description": "y", "category": "support", "priority": "low"})
    assert demo.committed_state() == before


def test_disabled_account_has_no_actor(world):
    """A disabled account gets no actor at all, so it reaches no ticket service."""
    from portal_app.services.actor import build_actor

    demo = world.demo
    account = demo.account(ACME_ADMIN)
    account.enabled = False
    demo.session.add(account)
    demo.session.commit()
    assert build_actor(demo.session, account) is None


@pytest.mark.parametrize("bad", ["abc", "", None, -1, 0, True, "1 OR 1=1", ["1"], {"n": 1}, 2**70])
def test_garbage_numbers_are_refused_without_a_leak(world, bad):
    demo = world.demo
    with pytest.raises(ServiceError) as exc:
        tickets.get_ticket(session=demo.session, actor=demo.actor(ACME_USER), number=bad)
    assert not isinstance(exc.value, PermissionDenied)


def test_a_contact_moved_to_another_company_takes_no_tickets_along(world):
    demo = world.demo
    contact = demo.contact(ACME_USER)
    contact.company_id = demo.company("Globex GmbH").id
    demo.session.add(contact)
    demo.session.commit()
    assert listed(world, ACME_USER) == set()
    for key in VISIBLE[ACME_USER]:
        with pytest.raises(NotFound):
            tickets.get_ticket(session=demo.session, actor=demo.actor(ACME_USER), number=world.numbers[key])
        with pytest.raises(NotFound):
            attachments.open_for_download(session=demo.session, actor=demo.actor(ACME_USER),
                                          attachment_id=world.files[key])
        with pytest.raises(NotFound):
            tickets.add_comment(session=demo.session, actor=demo.actor(ACME_USER), number=world.numbers[key],
                                body="still mine?")
    # the old company's admin still has them all
    assert listed(world, ACME_ADMIN) == VISIBLE[ACME_ADMIN]
