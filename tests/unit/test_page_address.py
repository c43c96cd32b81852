"""`http/page_address.py`: a page's address without its slash reaches the static server as the
page's own path (no 307 first); anything else passes untouched."""

from __future__ import annotations

import asyncio
from pathlib import Path

from portal_app.http.page_address import PageAddress, built_pages


def build(root: Path) -> Path:
    for page in ("login", "admin/tickets", "tickets/new"):
        (root / page).mkdir(parents=True)
        (root / page / "index.html").write_text("<html></html>")
    (root / "index.html").write_text("<html></html>")
    (root / "assets").mkdir()
    (root / "assets" / "app.js").write_text("")
    return root


def seen_path(middleware_root: Path, path: str, method: str = "GET", kind: str = "http") -> tuple[str, bytes]:
    seen = {}

    async def app(scope, receive, send):  # noqa: ANN001
        seen["path"], seen["raw"] = scope["path"], scope.get("raw_path")

    scope = {"type": kind, "method": method, "path": path, "raw_path": path.encode(), "query_string": b"status=New"}
    asyncio.run(PageAddress(app, static_dir=middleware_root)(scope, None, None))
    return seen["path"], seen["raw"]


def test_the_build_lists_its_pages(tmp_path):
    assert built_pages(build(tmp_path)) == {"/login", "/admin/tickets", "/tickets/new"}
    assert built_pages(tmp_path / "no-build") == frozenset()  # development: nothing changes


def test_a_page_without_its_slash_is_served_as_the_page(tmp_path):
    root = build(tmp_path)
    assert seen_path(root, "/admin/tickets") == ("/admin/tickets/", b"/admin/tickets/")
    assert seen_path(root, "/login", method="HEAD") == ("/login/", b"/login/")


def test_everything_else_passes_untouched(tmp_path):
    root = build(tmp_path)
    for path in ("/admin/tickets/", "/", "/tickets/10014", "/assets/app.js", "/api/session", "/admin"):
        assert seen_path(root, path)[0] == path
    assert seen_path(root, "/login", method="POST")[0] == "/login"
    assert seen_path(root, "/admin/tickets", kind="websocket")[0] == "/admin/tickets"


def test_a_segment_too_long_for_a_file_name_reaches_the_static_server_shortened(tmp_path):
    """A landing link for a long address: the page's fallback, not the system's "name too long"."""
    root = build(tmp_path)
    token = "3." + "a" * 300 + "." + "b" * 43
    assert seen_path(root, f"/newsletters/{token}") == ("/newsletters/_", b"/newsletters/_")
    assert seen_path(root, "/newsletters/" + "a" * 200)[0] == "/newsletters/" + "a" * 200  # fits: as it was
    for path in (f"/api/newsletters/{token}", f"/_event/{token}"):  # the backend's own routes: untouched
        assert seen_path(root, path)[0] == path
    assert seen_path(root, f"/newsletters/{token}", method="POST")[0] == f"/newsletters/{token}"
    assert seen_path(tmp_path / "no-build", f"/newsletters/{token}")[0] == f"/newsletters/{token}"


def test_a_segment_no_file_name_may_hold_reaches_the_static_server_as_a_page_it_does_not_have(tmp_path):
    """`/tickets%00`: the portal's "Page not found" in its shell, not the static server's bare 404."""
    root = build(tmp_path)
    assert seen_path(root, "/tickets\x00")[0] == "/_"
    assert seen_path(root, "/kb/1\x00x/edit")[0] == "/kb/_/edit"
    assert seen_path(root, "/api/files/1\x00")[0] == "/api/files/1\x00"  # the backend's own: untouched
