"""Sign-in lockout answers the same for an email no account has: no account enumeration."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal_app.models import utcnow
from portal_app.services.accounts import auth
from portal_app.services.portal import config

USER = "user@acme.example.com"
NOBODY = "nobody.here@acme.example.com"


def attempts(demo, email, password, times, now, address="203.0.113.9"):
    return [auth.login(session=demo.session, email=email, password=password, now=now, client_address=address)
            for _ in range(times)]


@pytest.mark.parametrize(("threshold", "minutes"), [(5, 15), (2, 30), (1, 10)])
def test_unknown_email_locks_exactly_like_an_account(demo, threshold, minutes):
    config.update_portal_settings(session=demo.session, actor=demo.actor("staff@example.com"),
                                         data={"lockout_threshold": str(threshold), "lockout_minutes": str(minutes)})
    now = utcnow()
    real = attempts(demo, USER, "Wrong-pass-2026", threshold + 2, now)
    ghost = attempts(demo, NOBODY, "Wrong-pass-2026", threshold + 2, now)
    assert real == ghost
    assert [r.locked_minutes for r in real] == [0] * (threshold - 1) + [minutes] * 3
    # the right password of the real account is refused the same way while locked, minutes counting down
    later = now + timedelta(minutes=minutes - 1, seconds=30)
    assert attempts(demo, USER, demo.password, 1, later) == attempts(demo, NOBODY, demo.password, 1, later)
    assert attempts(demo, USER, "Wrong-pass-2026", 1, later)[0].locked_minutes == 1
    # after the lock both count from zero again
    after = now + timedelta(minutes=minutes, seconds=1)
    assert attempts(demo, USER, "Wrong-pass-2026", 1, after) == attempts(demo, NOBODY, "Wrong-pass-2026", 1, after)


@pytest.mark.parametrize(("gap", "locks"), [(timedelta(hours=23), True), (timedelta(hours=25), False)])
def test_failures_a_day_old_are_forgotten_for_an_account_as_for_an_unknown_email(demo, gap, locks):
    """Four wrong passwords, then a fifth: within a day it locks, a day later it is the first again."""
    now = utcnow()
    assert attempts(demo, USER, "Wrong-pass-2026", 4, now) == attempts(demo, NOBODY, "Wrong-pass-2026", 4, now)
    later = now + gap
    real, ghost = attempts(demo, USER, "Wrong-pass-2026", 1, later), attempts(demo, NOBODY, "Wrong-pass-2026", 1, later)
    assert real == ghost and (real[0].locked_minutes == 15) is locks
    if not locks:  # counted anew: four more make the lock
        assert [r.locked_minutes for r in attempts(demo, USER, "Wrong-pass-2026", 4, later)] == [0, 0, 0, 15]


def test_unknown_email_case_and_spaces_are_one_address(demo):
    now = utcnow()
    attempts(demo, NOBODY, "x-wrong-pass-1", 4, now)
    assert attempts(demo, "  Nobody.Here@ACME.example.com ", "x-wrong-pass-1", 1, now)[0].locked_minutes == 15


def test_threshold_zero_never_locks_an_unknown_email(demo):
    config.update_portal_settings(session=demo.session, actor=demo.actor("staff@example.com"),
                                         data={"lockout_threshold": "0"})
    results = attempts(demo, NOBODY, "Wrong-pass-2026", 8, utcnow())
    assert all(r == auth.LoginResult(ok=False) for r in results)
