"""Sign-in, server-side sessions, lockout, and single-use password links.

The browser holds only a random token; the database keeps its SHA-256 with an expiry. Every
request resolves the token again, so logout, expiry, disabling and role changes act at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from ..i18n import translate
from ..models import Account, AccountKind, AuthSession, Contact, PasswordToken, TokenPurpose, utcnow
from ..settings import settings
from .actor import Actor, build_actor
from .errors import NotFound, ValidationFailed
from .passwords import check_new_password, hash_password, needs_rehash, verify_password
from .portal_config import get_portal_settings
from .validation import clean_text, like_pattern, parse_id, parse_page


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    token: str = ""
    actor: Actor | None = None


def _find_account(session: Session, email: object) -> Account | None:
    if not isinstance(email, str) or not email.strip() or len(email) > 254 or "\x00" in email:
        return None
    return session.exec(select(Account).where(Account.email == email.strip().lower())).first()


def login(*, session: Session, email: object, password: object, now: datetime | None = None) -> LoginResult:
    """Check credentials. Every failure looks the same to the caller (and costs one hash).

    A locked account refuses even the right password until the lock expires. Blocking (bcrypt):
    call from a worker thread, not the event loop.
    """
    now = now or utcnow()
    policy = get_portal_settings(session)
    account = _find_account(session, email)
    if account is None:
        verify_password(password, None)
        return LoginResult(ok=False)
    locked = account.locked_until is not None and account.locked_until > now
    password_ok = verify_password(password, account.password_hash)
    actor = build_actor(session, account) if password_ok and not locked else None
    if actor is None:
        if not locked and not password_ok:
            _count_failure(session, account, policy.lockout_threshold, policy.lockout_minutes, now)
        return LoginResult(ok=False)
    token = secrets.token_urlsafe(32)
    values = {"failed_logins": 0, "locked_until": None, "last_login_at": now,
              "login_count": Account.login_count + 1}
    if needs_rehash(account.password_hash or ""):
        values["password_hash"] = hash_password(str(password))
    session.exec(update(Account).where(Account.id == account.id).values(**values))
    session.add(AuthSession(token_hash=token_hash(token), account_id=account.id,
                            expires_at=now + timedelta(hours=settings.session_hours)))
    session.commit()
    return LoginResult(ok=True, token=token, actor=actor)


def _count_failure(session: Session, account: Account, threshold: int, minutes: int, now: datetime) -> None:
    """Count a failed attempt in one conditional UPDATE, locking at the threshold (0 = never)."""
    session.exec(update(Account).where(Account.id == account.id)
                 .values(failed_logins=Account.failed_logins + 1))
    if threshold > 0:
        session.exec(update(Account)
                     .where(Account.id == account.id, Account.failed_logins >= threshold)
                     .values(locked_until=now + timedelta(minutes=minutes), failed_logins=0))
    session.commit()


def actor_for_token(*, session: Session, token: object, now: datetime | None = None) -> Actor | None:
    """The signed-in actor behind a session token, or None (unknown, expired, disabled)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    now = now or utcnow()
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
    if row is None:
        return None
    if row.expires_at <= now:
        session.delete(row)
        session.commit()
        return None
    account = session.get(Account, row.account_id)
    return build_actor(session, account) if account else None


def logout(*, session: Session, token: object) -> None:
    if isinstance(token, str) and token:
        session.exec(delete(AuthSession).where(AuthSession.token_hash == token_hash(token)))
        session.commit()


def end_all_sessions(*, session: Session, account_id: int) -> None:
    session.exec(delete(AuthSession).where(AuthSession.account_id == account_id))


def purge_expired(*, session: Session, now: datetime | None = None) -> int:
    now = now or utcnow()
    gone = session.exec(delete(AuthSession).where(AuthSession.expires_at <= now)).rowcount
    session.exec(delete(PasswordToken).where(PasswordToken.expires_at <= now - timedelta(days=7)))
    session.commit()
    return gone


# --- password links ---------------------------------------------------------------------------

def _issue_token(session: Session, account: Account, purpose: TokenPurpose, lifetime: timedelta) -> str:
    """A new link token; any earlier unused link of the account stops working."""
    now = utcnow()
    session.exec(update(PasswordToken)
                 .where(PasswordToken.account_id == account.id, col(PasswordToken.used_at).is_(None))
                 .values(used_at=now))
    token = secrets.token_urlsafe(32)
    session.add(PasswordToken(token_hash=token_hash(token), account_id=account.id, purpose=purpose,
                              expires_at=now + lifetime))
    return token


def _password_mail(account: Account, purpose: TokenPurpose, token: str) -> dict[str, str]:
    lang = account.language
    link = f"{settings.portal_url}/reset-password?token={token}"
    if purpose == TokenPurpose.RESET:
        subject = translate(lang, "mail.reset.subject")
        body = translate(lang, "mail.reset.body", link=link, minutes=settings.reset_token_minutes)
    else:
        subject = translate(lang, "mail.activate.subject")
        body = translate(lang, "mail.activate.body", link=link, email=account.email,
                         hours=settings.activation_token_hours)
    return {"to": account.email, "subject": subject, "body": body}


def request_password_reset(*, session: Session, email: object) -> dict[str, str] | None:
    """Create a reset link for an enabled account; returns the mail to send, or None.

    The caller answers the same either way and sends the mail off the request path.
    """
    account = _find_account(session, email)
    if account is None or not account.enabled:
        return None
    token = _issue_token(session, account, TokenPurpose.RESET, timedelta(minutes=settings.reset_token_minutes))
    session.commit()
    return _password_mail(account, TokenPurpose.RESET, token)


def issue_set_password_link(*, session: Session, account: Account) -> dict[str, str]:
    """A set-password link for a newly activated account (caller commits and sends)."""
    token = _issue_token(session, account, TokenPurpose.ACTIVATE,
                         timedelta(hours=settings.activation_token_hours))
    return _password_mail(account, TokenPurpose.ACTIVATE, token)


def _valid_token(session: Session, token: object, now: datetime) -> PasswordToken | None:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = session.exec(select(PasswordToken).where(PasswordToken.token_hash == token_hash(token))).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def password_token_valid(*, session: Session, token: object) -> bool:
    return _valid_token(session, token, utcnow()) is not None


def reset_password(*, session: Session, token: object, password: object, confirm: object,
                   now: datetime | None = None) -> Account:
    """Set a new password from a link: single use, expiring; ends every session of the account."""
    now = now or utcnow()
    new_password = check_new_password(password, confirm)
    row = _valid_token(session, token, now)
    if row is None:
        raise NotFound("error.link_invalid")
    # Claim the token with a conditional update so two concurrent uses cannot both pass.
    claimed = session.exec(update(PasswordToken)
                           .where(PasswordToken.id == row.id, col(PasswordToken.used_at).is_(None))
                           .values(used_at=now)).rowcount
    if claimed != 1:
        session.rollback()
        raise NotFound("error.link_invalid")
    account = session.get(Account, row.account_id)
    if account is None or not account.enabled:
        session.rollback()
        raise NotFound("error.link_invalid")
    account.password_hash = hash_password(new_password)
    account.failed_logins = 0
    account.locked_until = None
    session.add(account)
    end_all_sessions(session=session, account_id=account.id)
    session.commit()
    session.refresh(account)
    return account


# --- staff tools -------------------------------------------------------------------------------

def unlock(*, session: Session, actor: Actor, account_id: int) -> Account:
    actor.require_staff()
    account = session.get(Account, parse_id(account_id, field="account_id"))
    if account is None:
        raise NotFound()
    account.locked_until = None
    account.failed_logins = 0
    session.add(account)
    session.commit()
    session.refresh(account)
    return account


@dataclass(frozen=True)
class LoginStat:
    account_id: int
    email: str
    name: str
    kind: str
    company: str
    login_count: int
    last_login_at: datetime | None
    locked: bool


def login_statistics(*, session: Session, actor: Actor, query: object = "", limit: int = 50,
                     offset: int = 0) -> tuple[list[LoginStat], int]:
    """Enabled accounts with login count and last login, searchable by name, email or company."""
    actor.require_staff()
    text = clean_text(query, field="q", max_chars=100)
    offset, limit = parse_page(offset, limit)
    from ..models import Company  # local: keeps the import list of this module about auth

    stmt = (select(Account, Contact, Company)
            .join(Contact, col(Account.contact_id) == Contact.id, isouter=True)
            .join(Company, col(Contact.company_id) == Company.id, isouter=True)
            .where(Account.enabled == True))  # noqa: E712
    if text:
        like = like_pattern(text)
        stmt = stmt.where(or_(
            func.lower(Account.email).like(like, escape="\\"), func.lower(Account.full_name).like(like, escape="\\"),
            func.lower(Contact.first_name + " " + Contact.last_name).like(like, escape="\\"),
            func.lower(Company.name).like(like, escape="\\")))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(Account.last_login_at).desc().nulls_last(), Account.email)
                        .offset(offset).limit(limit)).all()
    now = utcnow()
    stats = [
        LoginStat(
            account_id=acc.id, email=acc.email, kind=acc.kind,
            name=(f"{contact.first_name} {contact.last_name}" if contact else acc.full_name) or acc.email,
            company=company.name if company else "", login_count=acc.login_count,
            last_login_at=acc.last_login_at,
            locked=acc.locked_until is not None and acc.locked_until > now,
        )
        for acc, contact, company in rows
    ]
    return stats, total


def set_language(*, session: Session, actor: Actor, language: str) -> None:
    from ..i18n import available_languages

    if not isinstance(language, str) or language not in available_languages():
        raise ValidationFailed({"language": "error.invalid"})
    session.exec(update(Account).where(Account.id == actor.account_id).values(language=language))
    session.commit()


def create_staff(*, session: Session, email: str, full_name: str, password: str) -> Account:
    """Used by the seed and tests; staff accounts are not created from the portal."""
    account = Account(email=email.lower(), kind=AccountKind.STAFF, full_name=full_name,
                      password_hash=hash_password(password))
    session.add(account)
    session.commit()
    session.refresh(account)
    return account
