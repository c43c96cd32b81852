"""AdminUsersState (issue 9, item 14): each row opens the person, shows its status, and staff can
unlock and disable (the server refuses anyone else; disabling ends the person's sessions)."""

from __future__ import annotations

from statekit import EMAILS, Portal

from portal_app.db import session_scope
from portal_app.services.accounts import auth
from portal_app.state.admin_users import AdminUsersState


def _rows(inst) -> dict[str, dict]:
    return {r["email"]: r for r in inst.rows}


def test_rows_open_the_person_and_show_the_status(portal: Portal):
    inst = portal.state(AdminUsersState, "staff", url="/admin")
    portal.call(inst, "load")
    rows = _rows(inst)
    acme = portal.company_id("Acme Oy")
    assert rows[EMAILS["acme_user"]]["href"] == f"/admin/company?id={acme}"
    assert rows[EMAILS["staff"]]["href"] == "" and rows[EMAILS["staff"]]["is_self"]
    assert {r["status_label"] for r in inst.rows} == {"Active"}


def test_staff_disables_a_user_whose_sessions_end(portal: Portal):
    token = portal.token("acme_user")
    inst = portal.state(AdminUsersState, "staff", url="/admin")
    portal.call(inst, "load")
    portal.call(inst, "disable", portal.account_id(EMAILS["acme_user"]))
    assert not inst.errors and inst.notice
    row = _rows(inst)[EMAILS["acme_user"]]
    assert row["status"] == "disabled" and row["status_label"] == "Disabled"
    with session_scope() as s:
        assert auth.actor_for_token(session=s, token=token) is None


def test_staff_cannot_disable_itself(portal: Portal):
    inst = portal.state(AdminUsersState, "staff", url="/admin")
    portal.call(inst, "load")
    before = portal.snapshot()
    portal.call(inst, "disable", portal.account_id(EMAILS["staff"]))
    assert inst.errors and portal.snapshot() == before


def test_the_search_is_in_the_address(portal: Portal):
    inst = portal.state(AdminUsersState, "staff", url="/admin")
    portal.call(inst, "load")
    portal.call(inst, "search", {"q": "acme"})
    assert inst.view_url == "/admin?q=acme" and all("acme" in r["email"] for r in inst.rows)
    portal.set_url(inst, inst.view_url)
    portal.call(inst, "load")  # reloaded: the same search, the box filled
    assert inst.query == "acme" and inst.rows and all("acme" in r["email"] for r in inst.rows)
