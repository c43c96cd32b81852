"""Events in the browser: the public registration page with its mail (.ics and cancel link), the
waiting list and its promotion by the cancel link, a signed-in contact registering and cancelling
(seats left following another person's registration without reload), staff's attendees and CSV.

Where capacity matters the test makes its own event (unique slug), so reruns and other tests in
the same portal never collide."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from email.message import Message
from pathlib import Path

from playwright.sync_api import expect
from sqlmodel import select

from portal_app.models import Account, utcnow
from portal_app.services.actor import build_actor
from portal_app.services.events import admin as event_admin

from .people import make_user


def make_event(portal, *, capacity: int, public: bool = True, title: str = "Workshop",
               deadline: datetime | None = None) -> str:
    """A fresh event (starts in ten days, Helsinki time), through staff's service; its slug."""
    slug = f"e2e-{uuid.uuid4().hex[:10]}"
    start = (utcnow() + timedelta(days=10)).replace(hour=8, minute=0, second=0, microsecond=0)
    with portal.db() as session:
        staff = build_actor(session, session.exec(select(Account).where(Account.email == "staff@example.com")).one())
        event_admin.create_event(session=session, actor=staff, data={
            "slug": slug, "title": f"{title} {slug[-4:]}", "capacity": capacity, "public_page": public,
            "starts_at": start, "ends_at": start + timedelta(hours=3), "location": "Training room 2, Helsinki",
            "description": "Bring a laptop."})
        if deadline:  # set by an edit: a new event is not created closed, an edit may close it early
            event_admin.update_event(session=session, actor=staff, slug=slug, data={"registration_deadline": deadline})
    return slug


def text_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            return part.get_payload(decode=True).decode()
    raise AssertionError("no text part")


def cancel_link(message: Message) -> str:
    match = re.search(r"https?://\S+/events/cancel/[\w.~-]+", text_of(message))
    assert match, text_of(message)
    return match.group(0)


def register_publicly(tab, slug: str, email: str, first: str = "Vera") -> None:
    page = tab.open(f"/register/{slug}")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill("Visitor")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile("^Company")).fill("Visitor Oy")
    page.get_by_label(re.compile("^I agree")).check()
    page.get_by_role("button", name="Register").click()


def test_public_registration_waiting_list_and_the_cancel_link(new_tab, portal, mailbox):
    slug = make_event(portal, capacity=1)
    first, second = f"first.{slug}@example.org", f"second.{slug}@example.org"

    visitor = new_tab()
    register_publicly(visitor, slug, first)
    expect(visitor.page.get_by_role("status").filter(has_text="You are registered")).to_be_visible()
    mail = mailbox.wait_for(first)
    assert "Workshop" in str(mail["Subject"])
    calendars = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert calendars and "SUMMARY:Workshop" in calendars[0].get_payload(decode=True).decode()
    link = cancel_link(mail)
    assert link.startswith(portal.url + "/events/cancel/")
    # no account: the event page named is this public one, not the portal's sign-in-only page
    assert f"Event page: {portal.url}/register/{slug}" in text_of(mail).splitlines()

    # the only seat is taken: the next visitor reads it before registering, then is on the waiting list
    late = new_tab()
    expect(late.open(f"/register/{slug}").get_by_role("status").filter(
        has_text="The event is full: registering now puts you on the waiting list.")).to_be_visible()
    register_publicly(late, slug, second, first="Walter")
    expect(late.page.get_by_text("You are on the waiting list (position 1)")).to_be_visible()
    waiting_mail = mailbox.wait_for(second)
    assert "waiting" in text_of(waiting_mail).lower()
    # its link leaves the waiting list, and says so (not "Cancel registration": there is no seat)
    waiting_page = new_tab().open(cancel_link(waiting_mail)[len(portal.url):])
    expect(waiting_page.get_by_role("heading", level=1)).to_have_text("Leave the waiting list")
    expect(waiting_page.get_by_text("is on the waiting list, position 1")).to_be_visible()
    expect(waiting_page.get_by_role("button", name="Leave the waiting list")).to_be_visible()

    # the cancel link works without a login; the seat goes to the waiting visitor, who is mailed
    page = visitor.open(link[len(portal.url):])
    page.get_by_role("button", name="Cancel registration").click()
    expect(page.get_by_text("Your registration is cancelled")).to_be_visible()
    promoted = mailbox.wait_for(second, count=2)
    assert any(p.get_content_type() == "text/calendar" for p in promoted.walk())
    assert f"Event page: {portal.url}/register/{slug}" in text_of(promoted).splitlines()
    # and the one who cancelled is told it is done
    assert mailbox.wait_for(first, count=2)["Subject"].startswith("Registration cancelled: ")

    # the link is used now
    again = new_tab().open(link[len(portal.url):])
    expect(again.get_by_role("button", name="Cancel registration")).to_have_count(0)


def test_bad_public_input_is_said_next_to_the_fields(tab, portal):
    slug = make_event(portal, capacity=5)
    page = tab.open(f"/register/{slug}")
    page.get_by_label("First name").fill("Vera")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Tick the box to agree before registering.")).to_be_visible()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Vera")  # nothing typed is lost


def test_the_public_page_of_a_customers_only_event_is_not_found(tab):
    page = tab.open("/register/roadmap-2027")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("button", name="Register")).to_have_count(0)


def test_the_public_page_shows_a_preview_when_shared(tab):
    page = tab.open("/register/portal-training")
    expect(page.get_by_role("heading", name="Portal training")).to_be_visible()
    assert page.locator('meta[property="og:title"]').count() == 1
    image = page.locator('meta[property="og:image"]').first.get_attribute("content")
    assert image and image.endswith("/event_preview.png")
    assert page.request.get(image).ok
    # a link preview reads the HTML without running it: the event's own title and description are there
    shared = page.request.get(page.url).text()
    assert re.search(r'<meta property="og:title" content="Portal training"/>', shared)
    assert re.search(r'<meta property="og:image" content="[^"]+/event_preview.png"/>', shared)
    assert re.search(r'<meta property="og:description" content="[^"]{20,}"', shared)
    assert "<title>Portal training</title>" in shared
    private = page.request.get(page.url.replace("portal-training", "roadmap-2027")).text()
    assert "Product roadmap" not in private  # no public page: nothing of the event


def test_a_signed_in_contact_registers_and_cancels_with_seats_left_live(new_tab, portal):
    slug = make_event(portal, capacity=5, public=False)
    person = new_tab()
    page = person.signed_in(make_user(portal, first="Eeva"))
    expect(person.menu().get_by_role("link", name="Events")).to_be_visible()
    person.open("/events")
    page.get_by_role("link", name=re.compile(f"Workshop {slug[-4:]}")).click()
    person.ready()
    seats = page.locator("#seats-left")
    expect(seats).to_have_text("5")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered").first).to_be_visible()
    expect(seats).to_have_text("4")

    # someone else registers in another browser: the seats follow without a reload
    other = new_tab()
    other.signed_in(make_user(portal, first="Olli"))
    other.open(f"/events/{slug}")
    other.page.get_by_role("button", name="Register").click()
    expect(other.page.get_by_text("You are registered").first).to_be_visible()
    expect(seats).to_have_text("3", timeout=10000)

    # asked first, the dialog's buttons named by what they do: "Keep registration" changes nothing
    page.get_by_role("button", name="Cancel registration").click()
    dialog = page.get_by_role("alertdialog", name="Cancel the registration?")
    expect(dialog).to_contain_text("Your seat is freed for someone else.")  # nobody waits: no waiting list named
    dialog.get_by_role("button", name="Keep registration").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("You are registered").first).to_be_visible()
    page.get_by_role("button", name="Cancel registration").click()
    dialog.get_by_role("button", name="Cancel registration").click()
    expect(page.get_by_text("Your registration is cancelled")).to_be_visible()
    expect(page.get_by_role("button", name="Register")).to_be_visible()
    expect(seats).to_have_text("4")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered").first).to_be_visible()
    person.open("/events")
    expect(page.get_by_role("heading", name="My registrations")).to_be_visible()
    # from "My registrations", the dialog's button double-clicked: cancelled once, and said so
    row = page.get_by_role("row").filter(has_text=f"Workshop {slug[-4:]}")
    row.get_by_role("button", name="Cancel registration").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel registration").dblclick()
    expect(page.get_by_text("Your registration is cancelled")).to_be_visible()
    expect(page.get_by_text("already cancelled")).to_have_count(0)


def test_the_list_says_registration_closed_past_the_deadline_not_seats_left(tab, portal):
    closed = make_event(portal, capacity=5, public=False, title="Closed", deadline=utcnow() - timedelta(hours=1))
    page = tab.signed_in(make_user(portal, first="Lotta"))
    tab.open("/events")
    card = page.locator(".rt-Card").filter(has=page.get_by_role("heading", name=f"Closed {closed[-4:]}")).last
    expect(card).to_contain_text("Registration closed")
    expect(card).not_to_contain_text("Seats left")


def test_a_registration_of_an_event_staff_cancels_goes_with_it(new_tab, portal):
    """The registered contact's open event page says the event is cancelled and the registration
    with it, without a reload; nothing offers to cancel it any more, here or in "My registrations"."""
    slug = make_event(portal, capacity=5, public=False)
    person = new_tab()
    page = person.signed_in(make_user(portal, first="Erkki"))
    person.open(f"/events/{slug}")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered").first).to_be_visible()
    staff = new_tab()
    admin = staff.signed_in("staff@example.com")
    staff.open(f"/admin/events/{slug}")
    admin.get_by_role("button", name="Cancel event").click()
    admin.get_by_role("alertdialog").get_by_role("button", name="Cancel event").dblclick()  # one cancel, said once
    expect(admin.get_by_text("The event is cancelled; its registrants are being emailed.")).to_be_visible()
    expect(admin.get_by_text("registration is closed")).to_have_count(0)
    expect(page.get_by_text("Your registration was cancelled with it")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Cancel registration")).to_have_count(0)
    expect(page.locator("#seats-left")).to_have_count(0)
    person.open("/events")
    row = page.get_by_role("row").filter(has_text=f"Workshop {slug[-4:]}")
    expect(row).to_contain_text("Event cancelled")
    expect(row.get_by_role("button", name="Cancel registration")).to_have_count(0)


def test_staff_sees_attendees_and_exports_the_csv(new_tab, portal):
    slug = make_event(portal, capacity=1)
    for n in range(2):
        register_publicly(new_tab(), slug, f"csv{n}.{slug}@example.org", first=f"Csv{n}")
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open("/admin/events")
    page.get_by_role("link", name=re.compile(f"Workshop {slug[-4:]}")).click()
    staff.ready()
    rows = page.get_by_role("row")
    expect(rows.filter(has_text=f"csv0.{slug}")).to_contain_text("Registered")
    expect(rows.filter(has_text=f"csv1.{slug}")).to_contain_text("Waiting list")
    link = page.get_by_role("link", name="Export CSV")
    href = link.get_attribute("href")
    assert href == f"/api/events/{slug}/attendees.csv"
    with page.expect_download() as download:  # a click saves the file, as staff does
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    assert f"csv0.{slug}@example.org" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    response = page.request.get(portal.url + href)  # with staff's session cookie
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.body().decode("utf-8-sig")
    header = text.splitlines()[0]
    assert "Email" in header and "Status" in header
    assert f"csv0.{slug}@example.org" in text and "Waiting list" in text

    # check-in, and the CSV route refuses anyone but staff
    box = page.get_by_label(re.compile("Checked in: Csv0"))
    box.click()  # the tick shows once the server has it
    expect(box).to_be_checked()
    visitor = new_tab()
    response = visitor.page.request.get(f"{portal.url}/api/events/{slug}/attendees.csv")
    assert response.status == 404


def test_a_long_unbroken_name_wraps_in_staffs_attendee_list(new_tab, portal):
    """A cell that wraps its own user-written text (a visitor's 100-letter name) does so on a wide
    screen too, so the table keeps the check-in column on the screen."""
    slug = make_event(portal, capacity=5)
    first = "Wrapped" + "W" * 93  # the form's longest name
    register_publicly(new_tab(), slug, f"long.{slug}@example.org", first=first)
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    page.set_viewport_size({"width": 1280, "height": 900})
    staff.open(f"/admin/events/{slug}")
    cell = page.get_by_role("cell", name=f"{first} Visitor", exact=True)
    expect(cell).to_be_visible()
    table = page.get_by_role("table").filter(has=cell)
    sizes = table.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert sizes[0] <= sizes[1], sizes
    box = page.get_by_label(re.compile(f"Checked in: {first}")).bounding_box()
    assert box and box["x"] + box["width"] <= 1280


def test_adding_a_contact_by_hand_says_what_is_wrong_with_the_address(new_tab, portal):
    """The portal's own messages at the field (the browser's bubble would leave the last one standing)."""
    slug = make_event(portal, capacity=5)
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open(f"/admin/events/{slug}")
    field = page.get_by_label("Add a contact by hand")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#contact-error")).to_be_visible()
    empty = page.locator("#contact-error").inner_text()
    field.fill("bad")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#contact-error")).not_to_have_text(empty)
    expect(page.locator("#contact-error")).to_be_visible()
