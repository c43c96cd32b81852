"""Staff's logo in the browser: a picture uploaded in the portal settings is the top bar's logo at
once, on staff's open page and on a visitor's sign-in page; a file that is not a picture is refused
next to the zone; "Remove logo" brings back the portal's own mark."""

from __future__ import annotations

import re
import struct

from playwright.sync_api import expect

STAFF = "staff@example.com"
# a 240 x 48 PNG header: enough for the type and pixel checks (the browser need not draw it)
PNG = (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 240, 48) + b"\x08\x06\x00\x00\x00"
       + b"\x00" * 16)


def test_staff_uploads_a_logo_that_every_page_shows(new_tab, portal):
    tab = new_tab()
    page = tab.signed_in(STAFF)
    tab.open("/admin/settings")
    logo = page.locator("header img").first
    expect(logo).to_have_attribute("src", "/logo.svg")

    with page.expect_file_chooser() as chooser:
        page.get_by_label("Upload a logo", exact=True).click()
    chooser.value.set_files({"name": "notes.png", "mimeType": "image/png", "buffer": b"not a picture"})
    expect(page.get_by_role("alert").filter(has_text="Use a PNG, JPEG, WebP or GIF picture.")).to_be_visible()
    expect(logo).to_have_attribute("src", "/logo.svg")

    with page.expect_file_chooser() as chooser:
        page.get_by_label("Upload a logo", exact=True).click()
    chooser.value.set_files({"name": "acme logo.png", "mimeType": "image/png", "buffer": PNG})
    expect(page.get_by_role("status").filter(has_text="Logo saved")).to_be_visible()
    stored = re.compile(r"^/api/branding/[0-9a-f]{32}\.png$")
    expect(logo).to_have_attribute("src", stored)  # the open page's own bar, at once
    expect(page.get_by_label("Logo URL")).to_have_value(stored)  # and the address field, for the form
    address = logo.get_attribute("src")
    assert page.request.get(portal.url + address).body() == PNG

    visitor = new_tab()
    sign_in = visitor.open("/login")
    expect(sign_in.locator("header img").first).to_have_attribute("src", address)

    page.get_by_role("button", name="Remove logo").click()
    expect(logo).to_have_attribute("src", "/logo.svg")
    assert page.request.get(portal.url + address).status == 404  # the stored picture went with it
