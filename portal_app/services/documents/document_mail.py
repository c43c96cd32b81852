"""The mail that tells a company's contacts a document was shared with them: to each enabled
contact account of the company whose rights show documents now, in its own language, with a link
to /documents (the file itself is never mailed)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ...i18n import format_size, translate
from ...models import Account, AccountKind, Company, Contact, SharedDocument
from ...settings import settings
from ..actor import build_actor
from ..translations import row_text

MODULE = "documents"


def readers(session: Session, company_id: int) -> list[Account]:
    """The company's enabled contact accounts that see documents (their profile, the module on)."""
    accounts = session.exec(select(Account).join(Contact, col(Contact.id) == Account.contact_id)
                            .where(Contact.company_id == company_id, Account.kind == AccountKind.CONTACT,
                                   col(Account.enabled).is_(True)).order_by(Account.id)).all()
    return [a for a in accounts if (actor := build_actor(session, a)) is not None and actor.can(MODULE)]


def shared(session: Session, document: SharedDocument, company: Company) -> list[dict[str, str]]:
    mails = []
    for account in readers(session, company.id):  # type: ignore[arg-type]
        lang = account.language
        title, description = row_text(document, lang, "title"), row_text(document, lang, "description")
        lines = [translate(lang, "mail.documents.shared_line", company=company.name),
                 f"{title}\n{document.file_name} ({format_size(document.size, lang)})"]
        if description:
            lines.append(description)
        lines.append(translate(lang, "mail.documents.link_line", link=f"{settings.portal_url}/documents"))
        mails.append({"to": account.email, "subject": translate(lang, "mail.documents.subject", title=title),
                      "body": "\n\n".join(lines) + "\n"})
    return mails
