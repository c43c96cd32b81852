"""Staff's assignee menu (`tickets.assignable_accounts`): read once, then kept until an account or a
contact changes (the IDENTITY counter), so a disabled collaborator or a renamed staff user shows at
once, and opening ticket after ticket costs no query for it."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from portal_app.services.accounts import auth
from portal_app.services.errors import PermissionDenied
from portal_app.services.tickets import core as tickets

from demo_people import ADMIN, PARTNER, STAFF


def names(demo) -> list[str]:
    return [a.name for a in tickets.assignable_accounts(session=demo.session, actor=demo.actor(STAFF))]


def statements_during(engine, call) -> int:  # noqa: ANN001
    count = [0]

    def seen(*_args) -> None:  # noqa: ANN002
        count[0] += 1

    event.listen(engine, "before_cursor_execute", seen)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return count[0]


def test_the_menu_is_read_once_and_follows_changes_to_people(tickets_demo, engine):
    demo = tickets_demo
    staff = demo.actor(STAFF)
    first = names(demo)
    partner = demo.account(PARTNER)
    kinds = [a.kind for a in tickets.assignable_accounts(session=demo.session, actor=staff)]
    assert kinds == sorted(kinds, key=lambda k: k != "staff") and "collaborator" in kinds
    # asked again (the next ticket opened): no query
    assert statements_during(engine, lambda: tickets.assignable_accounts(session=demo.session, actor=staff)) == 0
    # a collaborator disabled: gone from the menu at once
    auth.disable_account(session=demo.session, actor=staff, account_id=partner.id)
    after = names(demo)
    assert len(after) == len(first) - 1
    kinds = [a.kind for a in tickets.assignable_accounts(session=demo.session, actor=staff)]
    assert "collaborator" not in kinds


def test_customers_never_get_the_menu(tickets_demo):
    names(tickets_demo)  # kept for staff: still refused to others
    with pytest.raises(PermissionDenied):
        tickets.assignable_accounts(session=tickets_demo.session, actor=tickets_demo.actor(ADMIN))
