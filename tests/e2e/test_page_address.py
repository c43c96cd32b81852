"""A page's address as people type it, bookmark it or get it by mail (no trailing slash) is
answered with the page at once, not with a redirect first, and the page works at that address."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect


def status_of(url: str, path: str) -> int:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_fixed_pages_answer_without_a_redirect(portal):
    for path in ("/login", "/tickets", "/admin/tickets", "/tickets/new", "/login?next=%2Ftickets"):
        assert status_of(portal.url, path) == 200, path


def test_a_list_opened_from_its_address_keeps_its_query_and_works(tab):
    page = tab.signed_in("staff@example.com")
    tab.open("/admin/tickets?status=New")
    expect(page).to_have_url(re.compile(r"/admin/tickets\?status=New$"))
    expect(page.get_by_role("checkbox", name="New")).to_be_checked()
    expect(page.get_by_role("row").nth(1)).to_contain_text("New")
    page.get_by_role("checkbox", name="Waiting for support").click()  # the page's events work at this address
    expect(page).to_have_url(re.compile(r"/admin/tickets\?status=New%2C\w"))
    tab.ready()
    expect(page.get_by_role("checkbox", name="Waiting for support")).to_be_checked()
    expect(page.get_by_role("checkbox", name="New")).to_be_checked()
