"""Support tickets, end to end: a Bug with an attachment, filtering and sorting, a comment that
changes the status, staff replying from the inbox while the customer's page updates by itself,
and another company's contact finding nothing."""

import re
import uuid

from playwright.sync_api import expect
from sqlmodel import select

from portal_app.models import TicketComment

from .people import make_ticket, make_user

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def open_new_ticket(tab, title: str, *, category: str = "Bug", severity: str | None = "2", priority: str = "High",
                    files: list[dict] | None = None) -> int:
    page = tab.open("/tickets")
    page.get_by_role("link", name="New ticket").click()
    expect(page.get_by_role("heading", name="New ticket")).to_be_visible()
    tab.ready()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description").fill(f"Steps to reproduce {title}: open the page, press save.")
    page.get_by_label("Category").select_option(label=category)
    if severity:
        page.get_by_label("Severity").select_option(severity)
    page.get_by_label("Priority").select_option(label=priority)
    for file in files or []:
        with page.expect_file_chooser() as chooser:
            page.get_by_label("Attachments").click()
        chooser.value.set_files(file)
        # an upload's round trip (two workers and Redis in the scale-out test, a busy machine in CI)
        expect(page.get_by_text(file["name"])).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/tickets/\d+/?$"))
    return int(re.search(r"/tickets/(\d+)", page.url).group(1))


def test_bug_with_attachment_and_another_company_sees_nothing(new_tab, portal):
    email = make_user(portal, first="Reporter")
    reporter = new_tab()
    page = reporter.signed_in(email)
    title = f"Invoice export crashes {uuid.uuid4().hex[:6]}"
    number = open_new_ticket(reporter, title, files=[{"name": "screen.png", "mimeType": "image/png", "buffer": PNG}])

    expect(page.get_by_role("heading", name=re.compile(title))).to_be_visible()
    expect(page).to_have_title(f"Ticket {number}: {title}")  # tabs of two tickets are told apart
    expect(page.get_by_text("Severity 2 - Major")).to_be_visible()
    link = page.get_by_role("link", name="screen.png")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    response = page.request.get(portal.url + href)
    assert response.status == 200 and response.body() == PNG
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"

    outsider = new_tab()
    other = outsider.signed_in(make_user(portal, company="Globex GmbH", profile="Primary contact", admin=True,
                                         first="Outsider"))
    outsider.open(f"/tickets/{number}")
    expect(other.get_by_role("heading", name="Ticket not found")).to_be_visible()
    expect(other).to_have_title("Ticket")  # nothing of the ticket, its title neither
    expect(other.get_by_role("main").get_by_role("link", name="All tickets")).to_have_attribute("href", "/tickets")
    expect(other.get_by_text(title)).to_have_count(0)
    assert other.request.get(portal.url + href).status == 404
    assert new_tab().page.request.get(portal.url + href).status == 404  # no session: no file either


def test_support_ticket_gets_severity_10_and_list_filters_and_sorts(new_tab, portal):
    email = make_user(portal, first="Lister")
    tab = new_tab()
    page = tab.signed_in(email)
    tag = uuid.uuid4().hex[:6]
    open_new_ticket(tab, f"Low question {tag}", category="Support", severity=None, priority="Low")
    expect(page.get_by_text("Severity 10 - Not in SLA")).to_be_visible()
    open_new_ticket(tab, f"Urgent bug {tag}", category="Bug", severity="1", priority="Urgent")

    tab.open("/tickets")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)  # header + the two tickets
    bug = page.get_by_role("group", name="Category").get_by_label("Bug")
    bug.click()
    expect(table.get_by_role("row")).to_have_count(2)
    page.go_back()  # onto the address the page was opened at: its view again, not the filtered one
    expect(page).to_have_url(re.compile(r"/tickets$"))
    expect(table.get_by_role("row")).to_have_count(3)
    expect(bug).not_to_be_checked()
    page.get_by_role("button", name="Sort by Priority").click()
    expect(page).to_have_url(re.compile(r"sort=priority"))
    expect(table.get_by_role("row").nth(1)).to_contain_text(f"Low question {tag}")
    page.get_by_role("button", name="Sort by Priority").click()
    expect(page).to_have_url(re.compile(r"sort=-priority"))
    expect(table.get_by_role("row").nth(1)).to_contain_text(f"Urgent bug {tag}")

    page.get_by_role("group", name="Category").get_by_label("Bug").click()
    expect(page).to_have_url(re.compile(r"category=Bug"))
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text(f"Urgent bug {tag}")

    page.go_back()  # the filters live in the URL: back shows both again
    expect(table.get_by_role("row")).to_have_count(3)

    page.get_by_label("Search tickets").fill("question")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=question"))
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text(f"Low question {tag}")

    # the menu's link to the list shows it bare, as a new entry: Back returns to the search
    tab.menu().get_by_role("link", name="Support tickets").click()
    expect(page).to_have_url(re.compile(r"/tickets$"))
    expect(table.get_by_role("row")).to_have_count(3)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/tickets\?.*q=question"))
    expect(table.get_by_role("row")).to_have_count(2)
    expect(page.get_by_label("Search tickets")).to_have_value("question")

    # a ticket opened from the list leads back to the list as it was ("All tickets"), not the bare list
    table.get_by_role("link", name=f"Low question {tag}").click()
    tab.ready()
    page.get_by_role("main").get_by_role("link", name="All tickets").click()
    expect(page).to_have_url(re.compile(r"/tickets\?.*q=question"))
    expect(table.get_by_role("row")).to_have_count(2)


def test_comment_with_status_change_and_staff_reply_appears_live(new_tab, portal, mailbox):
    email = make_user(portal, first="Waiting")
    customer = new_tab()
    page = customer.signed_in(email)
    title = f"Cannot print labels {uuid.uuid4().hex[:6]}"
    number = open_new_ticket(customer, title, category="Work Order", severity=None, priority="Normal")

    staff = new_tab()
    inbox = staff.signed_in("staff@example.com")
    staff.open("/admin/tickets")
    inbox.get_by_label("Search tickets").fill(title.split()[-1])
    inbox.get_by_role("button", name="Search").click()
    inbox.get_by_role("link", name=title).click()
    expect(inbox.get_by_role("heading", name=re.compile(title))).to_be_visible()
    staff.ready()
    inbox.get_by_label("Comment").fill("Which printer model do you use?")
    inbox.get_by_label("Change status to").click()
    inbox.get_by_label("New status").select_option(label="Waiting for customer")
    inbox.get_by_role("button", name="Add comment").click()
    expect(inbox.get_by_role("status")).to_contain_text("Status changed to Waiting for customer")

    # the customer's open page shows the reply without a reload
    expect(page.get_by_text("Which printer model do you use?")).to_be_visible(timeout=8000)
    expect(page.get_by_text("Waiting for customer").first).to_be_visible()
    mail = mailbox.wait_for(email)
    assert f"[#{number}]" in mail["Subject"]
    assert "Which printer model do you use?" in mail.get_payload(decode=True).decode()

    page.get_by_label("Comment").fill("A Zebra ZD420, firmware 2.1")
    page.get_by_label("Change status to").click()
    page.get_by_label("New status").select_option(label="Waiting for support")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("status")).to_contain_text("Status changed to Waiting for support")
    comments = page.get_by_role("article")
    expect(comments.first).to_contain_text("A Zebra ZD420")  # newest first
    expect(inbox.get_by_text("A Zebra ZD420, firmware 2.1")).to_be_visible(timeout=8000)


def test_a_comment_being_typed_when_the_ticket_is_closed_elsewhere_is_kept(new_tab, portal):
    email = make_user(portal, first="Typist", profile="Primary contact")
    title = f"Toner smears {uuid.uuid4().hex[:6]}"
    number = make_ticket(portal, email, title).number
    typing, closing = new_tab(), new_tab()
    page, other = typing.signed_in(email), closing.signed_in(email)
    typing.open(f"/tickets/{number}")
    page.get_by_label("Comment").fill("A long answer I was still writing for support")
    closing.open(f"/tickets/{number}")  # the same person's other tab closes it
    other.get_by_role("button", name="Close ticket").click()
    other.get_by_role("alertdialog").get_by_role("button", name="Close ticket").click()
    expect(other.get_by_text("This ticket is closed")).to_be_visible()
    expect(other.get_by_label("Your unsent comment")).to_have_count(0)  # its own close: nothing unsent

    expect(page.get_by_text("This ticket is closed")).to_be_visible(timeout=8000)  # live, without a reload
    expect(page.get_by_label("Comment", exact=True)).to_have_count(0)
    expect(page.get_by_text("Your comment was not sent: the ticket was closed meanwhile.")).to_be_visible()
    kept = page.get_by_label("Your unsent comment")
    expect(kept).to_have_value("A long answer I was still writing for support")
    expect(kept).not_to_be_editable()

    page.get_by_role("link", name="New ticket").click()  # a new ticket about the closed one starts with it
    typing.ready()
    expect(page.get_by_label("Description")).to_have_value("A long answer I was still writing for support")
    expect(page.get_by_label("Title")).to_have_value(title)
    page.reload()  # kept in the form's draft from then on, taken from the ticket's page once
    typing.ready()
    expect(page.get_by_label("Description")).to_have_value("A long answer I was still writing for support")


def stage_file(page, name: str, data: bytes) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Attachments").click()
    chooser.value.set_files({"name": name, "mimeType": "text/plain", "buffer": data})
    expect(page.get_by_text(name)).to_be_visible()


def test_staged_files_survive_a_reload_and_go_when_removed(new_tab, portal):
    """Files dropped on the form wait in the database: a reload lists them again, removing one
    deletes it at once, and what is left goes with the ticket."""
    tab = new_tab()
    tab.signed_in(make_user(portal, first="Reloader"))
    page = tab.open("/tickets/new")
    expect(page.get_by_role("heading", name="New ticket")).to_be_visible()
    stage_file(page, "keep.txt", b"keep this")
    stage_file(page, "drop.txt", b"drop this")
    page.reload()
    tab.ready()
    expect(page.get_by_text("keep.txt")).to_be_visible()
    expect(page.get_by_text("drop.txt")).to_be_visible()
    page.get_by_role("button", name="Delete drop.txt").click()
    expect(page.get_by_text("drop.txt")).to_have_count(0)
    page.reload()
    tab.ready()
    expect(page.get_by_text("keep.txt")).to_be_visible()
    expect(page.get_by_text("drop.txt")).to_have_count(0)
    title = f"Files after a reload {uuid.uuid4().hex[:6]}"
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description").fill("The file that was kept should be attached.")
    page.get_by_label("Category").select_option(label="Support")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/tickets/\d+/?$"))
    expect(page.get_by_role("link", name="keep.txt")).to_be_visible()
    expect(page.get_by_role("link", name="drop.txt")).to_have_count(0)


def test_choosing_more_files_than_may_wait_stages_the_first_and_says_why_not_the_rest(new_tab, portal):
    tab = new_tab()
    tab.signed_in(make_user(portal, first="Many"))
    page = tab.open("/tickets/new")
    expect(page.get_by_role("heading", name="New ticket")).to_be_visible()
    files = [{"name": f"part-{n:02d}.txt", "mimeType": "text/plain", "buffer": b"x"} for n in range(11)]
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Attachments").click()
    chooser.value.set_files(files)
    expect(page.get_by_role("alert").filter(has_text="At most 10 files can wait to be sent")).to_be_visible()
    expect(page.get_by_text("part-09.txt")).to_be_visible()
    expect(page.get_by_text("part-10.txt")).to_have_count(0)


def test_an_attached_file_downloads_with_the_name_it_was_uploaded_with(new_tab, portal):
    email = make_user(portal, first="Saver")
    reporter = new_tab()
    page = reporter.signed_in(email)
    name = "O'Brien notes (v2).txt"
    number = open_new_ticket(reporter, f"Notes to keep {uuid.uuid4().hex[:6]}",
                             files=[{"name": name, "mimeType": "text/plain", "buffer": b"keep these notes"}])
    reporter.ready()
    said = []
    page.on("console", lambda message: said.append(message.text))
    with page.expect_download() as download:  # a click saves the file; the page stays
        page.get_by_role("link", name=name).click()
    assert download.value.suggested_filename == name
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == b"keep these notes"
    assert re.search(rf"/tickets/{number}/?$", page.url)
    # a download is not leaving the page: its connection stays open (a closed one came back only at
    # the next event, and reloaded the page's data under the person's hands), and the page answers
    assert not [text for text in said if "Disconnect websocket" in text], said
    page.get_by_label("Comment").fill("Saved the notes, thank you.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("article").first).to_contain_text("Saved the notes, thank you.")


def test_a_list_opened_again_in_the_tab_never_shows_an_earlier_views_address(tab, portal):
    page = tab.signed_in("admin@acme.example.com")
    tab.open("/tickets")
    page.get_by_label("Search tickets").fill("zzzznomatch")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/tickets\?q=zzzznomatch$"))
    tab.open("/tickets?page=999")  # typed or bookmarked, in the same tab: the last page, at its address
    expect(page).to_have_url(re.compile(r"/tickets(\?page=\d+)?$"))  # (page 2 when other tests made more)
    expect(page.get_by_label("Search tickets")).to_have_value("")
    page.get_by_label("Search tickets").fill("printer")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=printer"))
    page.get_by_role("table").get_by_role("link").first.click()  # a ticket, then back by its link
    expect(page).to_have_url(re.compile(r"/tickets/\d+$"))
    page.get_by_role("link", name="All tickets").click()  # back to the view it came from
    tab.ready()
    expect(page).to_have_url(re.compile(r"/tickets\?q=printer$"))
    expect(page.get_by_label("Search tickets")).to_have_value("printer")
    tab.open("/tickets")  # the bare list, typed: its own address and view, not the earlier one's
    expect(page).to_have_url(re.compile(r"/tickets$"))
    expect(page.get_by_label("Search tickets")).to_have_value("")
    page.reload()
    tab.ready()
    expect(page).to_have_url(re.compile(r"/tickets$"))


def test_a_page_past_the_end_shows_the_last_page_at_its_own_address(tab, portal):
    page = tab.signed_in("admin@acme.example.com")
    tab.open("/tickets?category=Support&page=99")
    # the last page (not an empty table), and its address in place of the one asked for
    expect(page).to_have_url(re.compile(r"/tickets\?category=Support$"))
    expect(page.get_by_role("row").nth(1)).to_be_visible()
    page.go_back()  # replaced, not added: back leaves the list
    expect(page).not_to_have_url(re.compile(r"/tickets"))


def test_values_the_list_ignores_leave_its_address(tab, portal):
    page = tab.signed_in("admin@acme.example.com")
    tab.open("/tickets?sort=foo&page=-1&category=Support")
    expect(page).to_have_url(re.compile(r"/tickets\?category=Support$"))
    expect(page.get_by_role("row").nth(1)).to_be_visible()


def test_an_internal_note_refused_once_is_still_internal_when_sent_again(new_tab, portal):
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open("/admin/tickets/10001")
    page.get_by_label("Comment").fill("ibex: internal only")
    internal = page.get_by_label("Internal note (staff only)")
    internal.check()
    page.get_by_label("Change status to").click()
    expect(page.get_by_label("Change status to")).to_be_checked()
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("An internal note cannot change the status.")).to_be_visible()
    expect(internal).to_be_checked()  # the form drawn again keeps the tick, as it keeps the text
    expect(page.get_by_label("Comment")).to_have_value("ibex: internal only")
    page.get_by_label("Change status to").click()
    expect(page.get_by_label("Change status to")).not_to_be_checked()
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("status")).to_contain_text("Comment added")
    expect(page.get_by_role("article").first).to_contain_text("ibex: internal only")
    with portal.db() as session:
        note = session.exec(select(TicketComment).where(TicketComment.body == "ibex: internal only")).one()
        assert note.internal


def test_a_comment_being_typed_survives_a_reload_and_is_forgotten_once_sent(new_tab, portal):
    staff = new_tab()
    page = staff.signed_in("staff@example.com")
    staff.open("/admin/tickets/10001")
    box = page.get_by_label("Comment")
    box.fill("okapi: half a reply")
    page.reload()
    staff.ready()
    expect(page.get_by_label("Comment")).to_have_value("okapi: half a reply")
    staff.open("/admin/tickets/10002")  # another ticket's box starts empty
    expect(page.get_by_label("Comment")).to_have_value("")
    staff.open("/admin/tickets/10001")
    expect(page.get_by_label("Comment")).to_have_value("okapi: half a reply")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("status")).to_contain_text("Comment added")
    expect(page.get_by_label("Comment")).to_have_value("")
    page.reload()
    staff.ready()
    expect(page.get_by_role("article").first).to_contain_text("okapi: half a reply")
    expect(page.get_by_label("Comment")).to_have_value("")

    # Sign out leaves no comment behind in the tab
    page.get_by_label("Comment").fill("okapi: not for the next person")
    kept = "() => Object.keys(sessionStorage).filter((k) => k.startsWith('portal.commentDraft.')).length"
    assert page.evaluate(kept) == 1
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate(kept) == 0


def test_the_next_person_signed_in_on_a_tab_never_gets_the_last_ones_comment(new_tab, portal):
    """The session ended elsewhere (another tab's Sign out, an expiry), so this tab's own Sign out never
    ran: what the customer typed stays theirs, and support signing in on the same tab starts empty."""
    tab = new_tab()
    page = tab.signed_in("admin@acme.example.com")
    tab.open("/tickets/10001")
    page.get_by_label("Comment").fill("okapi: the customer's half comment")
    page.get_by_label("Change status to").click()  # a checkbox the server follows: asked, then shown
    expect(page.get_by_label("Change status to")).to_be_checked()
    page.get_by_label("New status").select_option(label="Closed")
    page.context.clear_cookies()  # the session is gone; this tab signed nothing out
    tab.signed_in("staff@example.com")
    tab.open("/admin/tickets/10001")
    expect(page.get_by_label("Comment")).to_have_value("")
    expect(page.get_by_label("New status")).not_to_have_value("closed")
    page.context.clear_cookies()
    tab.signed_in("admin@acme.example.com")  # the customer again, on the same tab: their comment is back
    tab.open("/tickets/10001")
    expect(page.get_by_label("Comment")).to_have_value("okapi: the customer's half comment")


def test_a_full_field_says_its_limit_instead_of_cutting_silently(new_tab, portal):
    tab = new_tab()
    page = tab.signed_in(make_user(portal, first="Limit"))
    tab.open("/tickets/new")
    title = page.get_by_label("Title", exact=True)
    title.fill("x" * 198)
    note = page.get_by_role("status").filter(has_text="That is the limit")
    expect(note).to_have_count(0)
    title.press_sequentially("abcd")  # the last two letters do not fit
    expect(title).to_have_value("x" * 198 + "ab")
    expect(note).to_have_text("That is the limit: at most 200 characters fit here.")
    title.press("Backspace")
    expect(note).to_have_count(0)  # room again: the note goes
