"""Outgoing email: SMTP when SMTP_HOST is set, else an .eml file in the outbox folder."""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Mapping, Sequence
from email.header import Header
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import idna

from ...models import utcnow
from ...settings import settings
from ..validation import fold_line

log = logging.getLogger("portal.mail")


def mail_address(to: str) -> str:
    """An address as the To header and SMTP carry it: a domain with letters beyond ASCII
    ("müller.de") in its IDNA form ("xn--mller-kva.de"); an address it cannot say, as it is."""
    address = fold_line(to)
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError:
        return address


def build_message(*, to: str, subject: str, body: str,
                  attachments: Sequence[Mapping[str, str]] = ()) -> EmailMessage:
    """The message to send. Never raises on its headers: a line break or other control character
    in the subject or address (a ticket title stored before titles were folded, say) is folded into
    a space here too, so no header can be injected and no mail fails for it."""
    message = EmailMessage()
    message["From"] = fold_line(settings.smtp_from)
    message["To"] = mail_address(to)
    subject = fold_line(subject)
    if subject.isascii():
        message["Subject"] = subject
    else:  # encoded whole here: the default policy's refolding drops or adds spaces next to encoded words
        message.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode())
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="portal.local")
    message.set_content(body)
    for item in attachments:
        maintype, _, subtype = str(item.get("content_type") or "text/plain").partition("/")
        params = {"method": "PUBLISH"} if subtype == "calendar" else {}
        message.add_attachment(str(item.get("content", "")), subtype=subtype if maintype == "text" else "plain",
                               filename=fold_line(str(item.get("filename") or "attachment.txt")), params=params)
    return message


def send_mail(*, to: str, subject: str, body: str, attachments: Sequence[Mapping[str, str]] = ()) -> None:
    """Deliver one message. Raises on SMTP failure so the caller can log or retry."""
    message = build_message(to=to, subject=subject, body=body, attachments=attachments)
    if settings.smtp_host:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
            if settings.smtp_user:
                smtp.starttls()
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(message)
        log.info("mail sent to %s: %s", to, subject)
        return
    settings.outbox_dir.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    (settings.outbox_dir / name).write_bytes(bytes(message))
    log.info("mail to %s written to outbox/%s: %s", to, name, subject)
