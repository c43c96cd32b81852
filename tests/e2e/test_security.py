"""What the browser enforces: the Content-Security-Policy the production build runs under (no
violation on any page, for every role), framing refused, and no session token in Reflex's state."""

import hashlib
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]

PAGES = {
    None: ["/login", "/forgot-password", "/reset-password?token=x", "/no-such-page"],
    "user@acme.example.com": ["/", "/tickets", "/tickets/new", "/me", "/company"],
    "admin@acme.example.com": ["/company", "/tickets"],
    "staff@example.com": ["/admin", "/admin/tickets", "/admin/companies", "/admin/profiles", "/admin/settings"],
}


@pytest.mark.parametrize("who", list(PAGES), ids=lambda w: w or "visitor")
def test_every_page_runs_under_the_policy_without_a_violation(new_tab, portal, who):
    tab = new_tab()
    violations: list[str] = []
    tab.page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    if who:
        tab.signed_in(who)
    for path in PAGES[who]:
        response = tab.page.goto(portal.url + path)
        tab.ready()
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "'unsafe-eval'" not in policy
        assert "frame-ancestors 'none'" in policy and response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
    expect(tab.page.locator("#portal-ready")).to_have_count(1)
    assert violations == []


def test_the_portal_cannot_be_framed_by_another_site(tab, portal):
    page = tab.page
    page.goto("about:blank")
    page.set_content(f'<iframe id="f" src="{portal.url}/login" width="400" height="300"></iframe>')
    page.wait_for_timeout(2000)
    frame = page.frame_locator("#f")
    expect(frame.get_by_role("button", name="Sign in")).to_have_count(0)


def test_reflex_state_on_disk_holds_no_session_token(tab, portal):
    started = time.time()
    page = tab.signed_in("user@acme.example.com")
    tab.open("/tickets")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "portal_session")
    digest = hashlib.sha256(token.encode()).hexdigest().encode()
    states = ROOT / ".states"
    assert oct(states.stat().st_mode & 0o777) == "0o700"
    page.goto("about:blank")  # the list's live check stops: idle for PORTAL_TAB_MEMORY_SECONDS, the state is written
    deadline = time.time() + 40
    written: list[bytes] = []
    while time.time() < deadline:
        written = [p.read_bytes() for p in states.glob("*.pkl") if p.stat().st_mtime >= started]
        if any(digest in data for data in written):
            break
        time.sleep(0.5)
    assert any(digest in data for data in written), "the signed-in tab's state was not written"
    assert not any(token.encode() in data for data in written)
