"""Sign-in under parallel guesses, on SQLite (a file, as in production) and on a real PostgreSQL:
the lockout bounds the guesses however many run at once, a success clears only the failures it
saw, and the per-client-address limit holds across accounts. Each attempt runs in its own thread
on its own database session, as parallel websocket events or HTTP posts do."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from sqlalchemy import delete, update
from sqlmodel import Session, select

from portal_app.models import Account, PortalSettings, ThrottleHit
from portal_app.seed import DEMO_PASSWORD
from portal_app.services.accounts import auth, passwords


USER = "user@acme.example.com"
WRONG = "Wrong-pass-2026"
ADDRESS = "203.0.113.7"


@pytest.fixture(scope="module")
def postgres_engine(seeded_postgres_engine):
    return seeded_postgres_engine


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    """A seeded database of each kind, with every account unlocked and no rate-limit hits."""
    engine = request.getfixturevalue("file_engine" if request.param == "sqlite" else "postgres_engine")
    with Session(engine) as session:
        session.exec(update(Account).values(failed_logins=0, locked_until=None))
        session.exec(delete(ThrottleHit))
        session.commit()
    return engine


def set_lockout(engine, threshold: int, minutes: int = 15) -> None:
    with Session(engine) as session:
        session.exec(update(PortalSettings).values(lockout_threshold=threshold, lockout_minutes=minutes))
        session.commit()


def account(engine, email: str = USER) -> Account:
    with Session(engine) as session:
        return session.exec(select(Account).where(Account.email == email)).one()


class Verdicts:
    """Counts the passwords actually checked against a real hash (what a guess needs), and holds
    each check for a moment so that attempts started together really overlap."""

    def __init__(self, monkeypatch, hold_s: float = 0.15) -> None:
        self.lock = threading.Lock()
        self.checked: list[object] = []
        self.started = threading.Event()
        self.hold: dict[object, float] = {}
        original = passwords.verify_password

        def verify(password, stored):  # noqa: ANN001, ANN202
            if stored is not None:
                with self.lock:
                    self.checked.append(password)
                self.started.set()
                time.sleep(self.hold.get(password, hold_s))
            return original(password, stored)

        monkeypatch.setattr(auth, "verify_password", verify)


def attempt(engine, email: str, password: str, address: str = ADDRESS) -> auth.LoginResult:
    with Session(engine) as session:
        return auth.login(session=session, email=email, password=password, client_address=address)


def burst(engine, attempts: list[tuple[str, str, str]]) -> list[auth.LoginResult]:
    """Run the attempts at once, each on its own thread and session; their results in order."""
    results: list[auth.LoginResult | None] = [None] * len(attempts)
    gate = threading.Barrier(len(attempts))

    def run(i: int, email: str, password: str, address: str) -> None:
        gate.wait()
        results[i] = attempt(engine, email, password, address)

    threads = [threading.Thread(target=run, args=(i, *a)) for i, a in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


def test_parallel_guesses_are_bounded_by_the_threshold(engine, monkeypatch):
    set_lockout(engine, 5)
    verdicts = Verdicts(monkeypatch)
    results = burst(engine, [(USER, f"{WRONG}-{i}", f"198.51.100.{i}") for i in range(12)])
    assert not any(r.ok for r in results)
    assert len(verdicts.checked) == 5  # 12 sent at once, 5 checked: the rest refused unheard
    assert account(engine).locked_until is not None
    assert not attempt(engine, USER, DEMO_PASSWORD).ok  # locked: even the right password


def test_a_right_password_sent_with_a_burst_does_not_get_past_or_clear_the_lock(engine, monkeypatch):
    set_lockout(engine, 3)
    verdicts = Verdicts(monkeypatch, hold_s=0.4)
    wrong = [threading.Thread(target=attempt, args=(engine, USER, f"{WRONG}-{i}", f"198.51.100.{i}"))
             for i in range(3)]
    for t in wrong:
        t.start()
    deadline = time.monotonic() + 10
    while len(verdicts.checked) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    right = attempt(engine, USER, DEMO_PASSWORD, "198.51.100.99")  # while the three are checked
    for t in wrong:
        t.join(30)
    assert not right.ok and DEMO_PASSWORD not in verdicts.checked
    assert account(engine).locked_until is not None
    assert not attempt(engine, USER, DEMO_PASSWORD, "198.51.100.98").ok


def test_a_success_clears_only_the_failures_it_saw(engine, monkeypatch):
    set_lockout(engine, 5)
    verdicts = Verdicts(monkeypatch, hold_s=0.0)
    verdicts.hold[DEMO_PASSWORD] = 1.0  # the right password is checked slowly ...
    results: list[auth.LoginResult] = []
    right = threading.Thread(target=lambda: results.append(attempt(engine, USER, DEMO_PASSWORD, "198.51.100.1")))
    right.start()
    assert verdicts.started.wait(10)
    for i in range(2):  # ... while two wrong ones are counted and fail
        assert not attempt(engine, USER, f"{WRONG}-{i}", f"198.51.100.{10 + i}").ok
    right.join(30)
    assert results and results[0].ok
    assert account(engine).failed_logins == 2  # the two failures stay counted
    assert account(engine).login_count >= 1


def test_many_accounts_from_one_address_are_slowed_down(engine, monkeypatch):
    monkeypatch.setattr(auth, "settings", replace(auth.settings, login_address_limit=3))
    set_lockout(engine, 5)
    verdicts = Verdicts(monkeypatch)
    emails = ["user@acme.example.com", "admin@acme.example.com", "liisa.makinen@acme.example.com",
              "admin@globex.example.com", "hans.mueller@globex.example.com", "partner@partner.example.com",
              "staff@example.com", "nobody@example.com"]
    results = burst(engine, [(email, WRONG, ADDRESS) for email in emails])
    throttled = [r for r in results if r.throttled_minutes]
    assert len(throttled) == 5 and all(1 <= r.throttled_minutes <= 15 for r in throttled)
    assert len(verdicts.checked) <= 3
    # the address stays slowed down, the right password too; another address is not
    refused = attempt(engine, USER, DEMO_PASSWORD)
    assert not refused.ok and refused.throttled_minutes
    assert attempt(engine, USER, DEMO_PASSWORD, "198.51.100.50").ok


def test_successes_do_not_count_against_the_address(engine, monkeypatch):
    monkeypatch.setattr(auth, "settings", replace(auth.settings, login_address_limit=2))
    for _ in range(5):  # an office behind one address signing in all morning
        assert attempt(engine, USER, DEMO_PASSWORD).ok
    assert not attempt(engine, USER, WRONG).ok
    assert attempt(engine, USER, DEMO_PASSWORD).ok
