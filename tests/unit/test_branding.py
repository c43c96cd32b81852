"""services/portal/branding.py: staff's uploaded logo is a checked picture stored under a random
name; it replaces (and deletes) the stored logo before it, and is served to anyone by name only."""

from __future__ import annotations

import struct

import pytest

from portal_app.services.errors import NotFound, PermissionDenied, ValidationFailed
from portal_app.services.portal import branding, config

from demo_people import ADMIN, STAFF, USER

PNG = (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 240, 48) + b"\x08\x06\x00\x00\x00"
       + b"\x00" * 16)


def stored() -> list[str]:
    return sorted(p.name for p in branding.logo_dir().iterdir())


@pytest.fixture(autouse=True)
def no_logos_yet():
    for p in branding.logo_dir().iterdir():  # the data folder is the test process's
        p.unlink()


def test_an_uploaded_logo_becomes_the_portals_and_replaces_the_one_before(demo):
    first = branding.set_logo(session=demo.session, actor=demo.actor(STAFF), data=PNG).logo_url
    assert first.startswith(branding.ROUTE) and first.endswith(".png")
    name = first.rsplit("/", 1)[1]
    assert stored() == [name] and (branding.logo_dir() / name).read_bytes() == PNG
    assert config.get_portal_settings(demo.session).logo_url == first
    found = branding.logo_file(name)
    assert found.content_type == "image/png" and found.path.read_bytes() == PNG
    second = branding.set_logo(session=demo.session, actor=demo.actor(STAFF), data=PNG).logo_url
    assert second != first and stored() == [second.rsplit("/", 1)[1]]
    with pytest.raises(NotFound):  # the replaced one is gone
        branding.logo_file(name)
    assert branding.remove_logo(session=demo.session, actor=demo.actor(STAFF)).logo_url == "" and stored() == []


def test_a_logo_hosted_elsewhere_is_left_alone_and_a_typed_address_deletes_the_stored_one(demo):
    config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF),
                                  data={"logo_url": "https://cdn.example.com/logo.png"})
    made = branding.set_logo(session=demo.session, actor=demo.actor(STAFF), data=PNG).logo_url
    assert len(stored()) == 1
    config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF), data={"portal_name": "Renamed"})
    assert stored() == [made.rsplit("/", 1)[1]]  # other settings saved: the logo stays
    config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF), data={"logo_url": made})
    assert stored() == [made.rsplit("/", 1)[1]]  # its own address saved again: still there
    config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF),
                                  data={"logo_url": "https://cdn.example.com/logo.png"})
    assert stored() == []  # replaced by a typed address: no file left behind
    with pytest.raises(NotFound):
        branding.logo_file(made.rsplit("/", 1)[1])
    assert branding.remove_logo(session=demo.session, actor=demo.actor(STAFF)).logo_url == ""


@pytest.mark.parametrize(("data", "key"), [
    (b"", "error.catalog_image_empty"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "error.catalog_image_type"),
    (b"GIF8" + b"\x00" * 40, "error.catalog_image_type"),
    (PNG + b"\x00" * branding.LOGO_MAX_BYTES, "error.catalog_image_too_large"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 100_000, 100_000) + b"\x00" * 21,
     "error.catalog_image_pixels"),
])
def test_what_is_not_a_fit_picture_is_refused_and_nothing_kept(demo, data, key):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as refused:
        branding.set_logo(session=demo.session, actor=demo.actor(STAFF), data=data)
    assert refused.value.fields["logo"][0] == key
    assert demo.committed_state() == before and stored() == []


def test_only_staff_changes_the_logo_and_only_stored_names_are_served(demo):
    for who in (ADMIN, USER):
        with pytest.raises(PermissionDenied):
            branding.set_logo(session=demo.session, actor=demo.actor(who), data=PNG)
        with pytest.raises(PermissionDenied):
            branding.remove_logo(session=demo.session, actor=demo.actor(who))
    for bad in ("../portal.db", "secret.key", "a" * 32 + ".svg", "A" * 32 + ".png", "", None, "0" * 32 + ".png"):
        with pytest.raises(NotFound):
            branding.logo_file(bad)
