"""Mail to the other side when a ticket changes: one mail per recipient per change, saying what
changed, with a link. Internal notes never reach customers."""

from __future__ import annotations

import os

from sqlmodel import Session, col, select

from ...i18n import translate
from ...models import Account, Attachment, Ticket, TicketComment, TicketFollower
from ...settings import settings
from ..actor import Actor, build_actor
from .scope import is_support, visible_tickets

EXCERPT = 1500


def support_address() -> str:
    """Where staff-side mail goes when a ticket has no assignee."""
    return os.environ.get("PORTAL_SUPPORT_EMAIL", "").strip() or settings.smtp_from


def _status_name(lang: str, status: str) -> str:
    return translate(lang, f"ticket.status.{status}")


def _mail(*, to: str, lang: str, ticket: Ticket, link: str, who: str, created: bool,
          comment: TicketComment | None, status_change: tuple[str, str] | None, files: list[str]) -> dict[str, str]:
    lines = []
    if created:
        subject = translate(lang, "mail.ticket.created_subject", number=ticket.number, title=ticket.title)
        lines.append(translate(lang, "mail.ticket.created_line", who=who))
        lines.append(ticket.description[:EXCERPT])
    else:
        subject = translate(lang, "mail.ticket.updated_subject", number=ticket.number, title=ticket.title)
        if status_change:
            lines.append(translate(lang, "mail.ticket.status_line", who=who,
                                   old=_status_name(lang, status_change[0]), new=_status_name(lang, status_change[1])))
        if comment is not None and (comment.body or not status_change):
            key = "mail.ticket.note_line" if comment.internal else "mail.ticket.comment_line"
            lines.append(translate(lang, key, who=who))
            lines.append(comment.body[:EXCERPT])
    if files:  # named, not attached: they are downloaded from the ticket, where access is checked
        lines.append(translate(lang, "mail.ticket.files_line", files=", ".join(files), count=len(files)))
    lines.append(translate(lang, "mail.ticket.link_line", link=link))
    return {"to": to, "subject": subject, "body": "\n\n".join(line for line in lines if line) + "\n"}


def _link(ticket: Ticket, *, staff: bool) -> str:
    return f"{settings.portal_url}/{'admin/' if staff else ''}tickets/{ticket.number}"


def _file_names(session: Session, ticket: Ticket, *, created: bool, comment: TicketComment | None) -> list[str]:
    """The files that came with this change: the new ticket's own, or the comment's."""
    if comment is not None:
        where = Attachment.comment_id == comment.id
    elif created:
        where = (Attachment.ticket_id == ticket.id) & col(Attachment.comment_id).is_(None)
    else:
        return []
    return list(session.exec(select(Attachment.file_name).where(where).order_by(col(Attachment.id))).all())


def _may_see(session: Session, account: Account, ticket: Ticket) -> bool:
    """A follower is mailed only while the ticket rules still let it see the ticket."""

    viewer = build_actor(session, account)
    return viewer is not None and session.exec(
        visible_tickets(viewer).where(Ticket.id == ticket.id)).first() is not None


def mails_for_change(*, session: Session, ticket: Ticket, actor: Actor, created: bool = False,
                     comment: TicketComment | None = None,
                     status_change: tuple[str, str] | None = None) -> list[dict[str, str]]:

    who = actor.name
    common = {"ticket": ticket, "who": who, "created": created, "comment": comment, "status_change": status_change,
              "files": _file_names(session, ticket, created=created, comment=comment)}
    mails = []
    if is_support(actor):
        if comment is not None and comment.internal:
            # an internal note: tell the assignee (if someone else and staff), never the customer; a
            # collaborator may not read internal notes in the portal, so it gets no copy by mail either
            if ticket.assignee_id and ticket.assignee_id != actor.account_id:
                assignee = session.get(Account, ticket.assignee_id)
                if assignee and assignee.enabled and assignee.kind == "staff":
                    mails.append(_mail(to=assignee.email, lang=assignee.language,
                                       link=_link(ticket, staff=assignee.kind == "staff"), **common))
            return mails
        followers = session.exec(select(Account).join(TicketFollower, TicketFollower.account_id == Account.id)
                                 .where(TicketFollower.ticket_id == ticket.id, Account.enabled == True,  # noqa: E712
                                        Account.id != actor.account_id)
                                 .order_by(col(Account.id))).all()
        for account in followers:
            if not _may_see(session, account, ticket):
                continue  # no longer an admin, moved company, tickets switched off: no more mail
            mails.append(_mail(to=account.email, lang=account.language, link=_link(ticket, staff=False), **common))
        if ticket.assignee_id and ticket.assignee_id != actor.account_id:
            assignee = session.get(Account, ticket.assignee_id)
            if assignee and assignee.enabled:
                mails.append(_mail(to=assignee.email, lang=assignee.language,
                                   link=_link(ticket, staff=assignee.kind == "staff"), **common))
        return mails
    if ticket.assignee_id:
        assignee = session.get(Account, ticket.assignee_id)
        if assignee and assignee.enabled:
            return [_mail(to=assignee.email, lang=assignee.language,
                          link=_link(ticket, staff=assignee.kind == "staff"), **common)]
    return [_mail(to=support_address(), lang="en", link=_link(ticket, staff=True), **common)]


def mails_for_assignment(*, session: Session, ticket: Ticket, actor: Actor) -> list[dict[str, str]]:
    """Tell the new assignee (unless it assigned itself)."""
    if not ticket.assignee_id or ticket.assignee_id == actor.account_id:
        return []
    assignee = session.get(Account, ticket.assignee_id)
    if assignee is None or not assignee.enabled:
        return []
    lang = assignee.language
    link = _link(ticket, staff=assignee.kind == "staff")
    return [{"to": assignee.email,
             "subject": translate(lang, "mail.ticket.assigned_subject", number=ticket.number, title=ticket.title),
             "body": translate(lang, "mail.ticket.assigned_body", who=actor.name, number=ticket.number,
                               title=ticket.title, link=link)}]
