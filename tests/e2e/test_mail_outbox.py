"""Mail outbox (security finding 5 of issue 8): staff sees a mail that gave up, with its error, in the
admin panel, and sends it again; the real SMTP server receives it."""

import time
import uuid

from playwright.sync_api import expect
from sqlalchemy import update

from portal_app.models import MailStatus, OutboxMail
from portal_app.services.mail import outbox

STAFF = "staff@example.com"


def failed_mail(portal, to: str, subject: str) -> None:
    """A mail in the served portal's outbox that failed for good (as after a long SMTP outage)."""
    with portal.db() as session:
        (mail_id,) = outbox.enqueue(session=session, mails=[{"to": to, "subject": subject,
                                                                   "body": "Sent again from the outbox.\n"}])
        session.exec(update(OutboxMail).where(OutboxMail.id == mail_id).values(
            status=MailStatus.FAILED, attempts=outbox.MAX_ATTEMPTS,
            last_error="ConnectionRefusedError: [Errno 111] Connection refused"))
        session.commit()


def test_staff_sends_a_failed_mail_again(tab, portal, mailbox):
    tag = uuid.uuid4().hex[:8]
    to, subject = f"outbox.{tag}@example.org", f"Ticket mail {tag}"
    failed_mail(portal, to, subject)

    tab.signed_in(STAFF)
    page = tab.open("/admin")
    page.get_by_role("navigation", name="Admin panel").get_by_role("link", name="Mail outbox").click()
    expect(page.get_by_role("heading", name="Mail outbox")).to_be_visible()
    tab.ready()
    row = page.get_by_role("row").filter(has_text=subject)
    expect(row).to_contain_text(to)
    expect(row).to_contain_text("Connection refused")
    expect(row).to_contain_text("Failed")
    row.get_by_role("button", name="Send again", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("being sent again")

    received = mailbox.wait_for(to)
    assert received["Subject"] == subject
    # the mail is marked sent just after the server took it: look again until the list shows it
    sent_row = page.get_by_role("row").filter(has_text=subject)
    for _ in range(10):
        page.get_by_role("button", name="Sent", exact=True).click()
        try:
            expect(sent_row).to_contain_text("Sent", timeout=1000)
            break
        except AssertionError:
            time.sleep(0.2)
    expect(sent_row).to_contain_text("Sent")


def test_customers_do_not_reach_the_outbox(tab, portal):
    failed_mail(portal, "hidden.recipient@example.org", "Hidden subject")
    tab.signed_in("user@acme.example.com")
    page = tab.open("/admin/mail")
    expect(page.get_by_role("heading", name="This section is not available")).to_be_visible()
    expect(page.get_by_text("Hidden subject")).to_have_count(0)
    expect(page.get_by_text("hidden.recipient@example.org")).to_have_count(0)
