"""Sign-in, server-side sessions, lockout, and single-use password links.

The browser holds only a random token; the database keeps its SHA-256 with an expiry. Every
request resolves the token again, so logout, expiry, disabling and role changes act at once.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, func, or_, update
from sqlmodel import Session, col, select

from ...i18n import translate
from ...models import Account, AccountKind, AuthSession, Contact, PasswordToken, TokenPurpose, utcnow
from ...settings import settings
from ..actor import Actor, build_actor
from ..errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from .. import throttle
from .passwords import MAX_BYTES as PASSWORD_MAX_BYTES
from .passwords import check_new_password, hash_password, needs_rehash, verify_password
from ..portal.config import get_portal_settings
from ..validation import clean_line, like_pattern, normalize_email, parse_id, parse_page
from ..folding import folded


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    token: str = ""
    actor: Actor | None = None
    throttled_minutes: int = 0  # refused because the client address tried too often: wait this long
    locked_minutes: int = 0  # refused because the email had too many failures: locked this long


SIGN_IN_ADDRESS_LIMIT_WINDOW = timedelta(minutes=15)


def address_limit() -> throttle.Limit:
    """Failed sign-ins per client address (all accounts together) in a sliding window."""
    return throttle.Limit("login-ip", settings.login_address_limit, SIGN_IN_ADDRESS_LIMIT_WINDOW)


def _sign_in_name(email: str) -> str:
    """A typed sign-in address as accounts are stored (`normalize_email`: a browser sends a domain's
    own letters in their IDNA form, "xn--mller-kva", the account has "müller"); an address the portal
    would not store now (an older account may still have it), trimmed and lower-cased."""
    try:
        return normalize_email(email.strip())
    except ValidationFailed:
        return email.strip().lower()


def _find_account(session: Session, email: object) -> Account | None:
    if not isinstance(email, str) or not email.strip() or len(email) > 254 or "\x00" in email:
        return None
    return session.exec(select(Account).where(Account.email == _sign_in_name(email))).first()


def login(*, session: Session, email: object, password: object, client_address: str = "",
          now: datetime | None = None) -> LoginResult:
    """Check credentials. Every failure looks the same to the caller (and costs one hash).

    Guesses are bounded however many run in parallel: each attempt is counted in the database
    (per client address, and on the account by a conditional update) *before* the password is
    verified, so at most `lockout_threshold` guesses per account get a verdict per lock period.
    A locked account refuses even the right password until the lock expires, and a success
    clears only the failures it saw. Blocking (bcrypt): call from a worker thread.
    """
    now = now or utcnow()
    taken = throttle.take(session=session, limit=address_limit(), key=client_address or "unknown", now=now)
    if not taken.ok:
        verify_password(password, None)
        return LoginResult(ok=False, throttled_minutes=taken.retry_minutes)
    policy = get_portal_settings(session)
    account = _find_account(session, email)
    if account is None:
        return _unknown_email(session, email, password, policy.lockout_threshold, policy.lockout_minutes, now)
    seen = _count_attempt(session, account, policy.lockout_threshold, now)
    if seen is None:  # locked (or as many guesses in flight as the threshold allows)
        verify_password(password, None)
        session.refresh(account)
        return LoginResult(ok=False, locked_minutes=_lock_minutes(account.locked_until, policy.lockout_minutes, now))
    password_ok = verify_password(password, account.password_hash)
    actor = build_actor(session, account) if password_ok else None
    if actor is None:
        if _lock_if_due(session, account.id, policy.lockout_threshold, policy.lockout_minutes, now):
            return LoginResult(ok=False, locked_minutes=policy.lockout_minutes)
        return LoginResult(ok=False)
    if not _clear_attempt(session, account.id, seen, now):
        # locked meanwhile by parallel failures: the lock stands
        return LoginResult(ok=False, locked_minutes=policy.lockout_minutes)
    throttle.release(session=session, taken=taken)
    token = secrets.token_urlsafe(32)
    if needs_rehash(account.password_hash or ""):
        session.exec(update(Account).where(Account.id == account.id)
                     .values(password_hash=hash_password(str(password))))
    session.add(AuthSession(token_hash=token_hash(token), account_id=account.id,
                            expires_at=now + timedelta(hours=settings.session_hours)))
    session.commit()
    return LoginResult(ok=True, token=token, actor=actor)


# failed sign-ins count toward the lockout for a day: an unknown email's each for a day, an account's
# until a day passes without one (mistakes weeks apart never add up to a lock)
FAILURES_KEPT = timedelta(days=1)


def _ghost_limits(threshold: int, minutes: int) -> tuple[throttle.Limit, throttle.Limit]:
    """Failures of an email no account has (kept `FAILURES_KEPT`, as an account's are), and its
    "lock" (one hit that lasts the lockout period)."""
    return (throttle.Limit("login-fail", threshold, FAILURES_KEPT),
            throttle.Limit("login-lock", 1, timedelta(minutes=minutes)))


def _unknown_email(session: Session, email: object, password: object, threshold: int, minutes: int,
                   now: datetime) -> LoginResult:
    """An email no account has answers exactly as an account with a wrong password would: its
    failures are counted (in the throttle table, under a hash of the address), the threshold-th
    one "locks" it for the lockout period, with the same messages and the same one bcrypt
    check, so no answer tells whether an account exists."""
    verify_password(password, None)
    key = _sign_in_name(email) if isinstance(email, str) else ""  # one spelling, one count (as an account)
    if threshold <= 0 or not key:
        return LoginResult(ok=False)
    fails, lock = _ghost_limits(threshold, minutes)
    locked_at = throttle.newest(session=session, limit=lock, key=key, now=now)
    if locked_at is not None:
        return LoginResult(ok=False, locked_minutes=_lock_minutes(locked_at + lock.window, minutes, now))
    taken = throttle.take(session=session, limit=fails, key=key, now=now)
    if not taken.ok:  # as many failures in flight as the threshold allows (a lock is being set)
        return LoginResult(ok=False, locked_minutes=minutes)
    if taken.count < threshold:
        return LoginResult(ok=False)
    throttle.forget(session=session, limit=fails, key=key)
    throttle.take(session=session, limit=lock, key=key, now=now)
    return LoginResult(ok=False, locked_minutes=minutes)


def _not_locked(now: datetime):
    return or_(col(Account.locked_until).is_(None), col(Account.locked_until) <= now)


def _count_attempt(session: Session, account: Account, threshold: int, now: datetime) -> int | None:
    """Count this attempt on the account before verifying; the count it reached, or None when
    the account is locked or `threshold` attempts are already counted (committed at once, so
    parallel attempts see it). An expired lock, or a last failure older than `FAILURES_KEPT`,
    starts a fresh count."""
    expired = and_(col(Account.locked_until).is_not(None), col(Account.locked_until) <= now)
    forgotten = or_(col(Account.failed_login_at).is_(None), col(Account.failed_login_at) <= now - FAILURES_KEPT)
    fresh = or_(expired, forgotten)
    stmt = (update(Account)
            .where(Account.id == account.id, _not_locked(now))
            .values(failed_logins=case((fresh, 1), else_=Account.failed_logins + 1), locked_until=None,
                    failed_login_at=now))
    if threshold > 0:
        stmt = stmt.where(or_(fresh, Account.failed_logins < threshold))
    row = session.exec(stmt.returning(Account.failed_logins)).first()
    session.commit()
    return None if row is None else row[0]


def _lock_if_due(session: Session, account_id: int, threshold: int, minutes: int, now: datetime) -> bool:
    """A failed attempt stays counted; reaching the threshold locks the account (0 = never).
    True when this call set the lock."""
    if threshold <= 0:
        return False
    locked = session.exec(update(Account)
                          .where(Account.id == account_id, Account.failed_logins >= threshold, _not_locked(now))
                          .values(locked_until=now + timedelta(minutes=minutes), failed_logins=0)).rowcount
    session.commit()
    return bool(locked)


def _clear_attempt(session: Session, account_id: int, seen: int, now: datetime, *, sign_in: bool = True) -> bool:
    """A success: reset the count if nothing was counted since this attempt, else take back only
    this attempt (parallel failures stay counted). False when the account got locked meanwhile.
    `sign_in=False` (a password check while signed in) does not count a login."""
    values = {"last_login_at": now, "login_count": Account.login_count + 1} if sign_in else {}
    done = session.exec(update(Account).where(Account.id == account_id, Account.failed_logins == seen,
                                              _not_locked(now))
                        .values(failed_logins=0, failed_login_at=None, **values)).rowcount
    if not done:
        done = session.exec(update(Account).where(Account.id == account_id, _not_locked(now))
                            .values(failed_logins=case((Account.failed_logins > 0, Account.failed_logins - 1),
                                                       else_=0), **values)).rowcount
    session.commit()
    return bool(done)


def actor_for_token(*, session: Session, token: object, now: datetime | None = None) -> Actor | None:
    """The signed-in actor behind a session token, or None (unknown, expired, disabled)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return actor_for_token_hash(session=session, token_hash=token_hash(token), now=now)


def actor_for_token_hash(*, session: Session, token_hash: object, now: datetime | None = None) -> Actor | None:
    """The same, from the token's SHA-256 (what the websocket handshake carries)."""
    return session_actor(session=session, token_hash=token_hash, now=now)[0]


def session_actor(*, session: Session, token_hash: object,
                  now: datetime | None = None) -> tuple[Actor | None, datetime | None]:
    """The actor behind a token hash and when its session expires; (None, None) when there is none."""
    if not isinstance(token_hash, str) or len(token_hash) != 64:
        return None, None
    now = now or utcnow()
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash)).first()
    if row is None:
        return None, None
    if row.expires_at <= now:
        session.delete(row)
        session.commit()
        return None, None
    account = session.get(Account, row.account_id)
    actor = build_actor(session, account) if account else None
    return (actor, row.expires_at) if actor else (None, None)


def logout(*, session: Session, token: object) -> None:
    if isinstance(token, str) and token:
        session.exec(delete(AuthSession).where(AuthSession.token_hash == token_hash(token)))
        session.commit()


def end_all_sessions(*, session: Session, account_id: int, keep_hash: str = "") -> None:
    """Sign the account out everywhere (but in the session whose hash is `keep_hash`, if given)."""
    session.exec(delete(AuthSession).where(AuthSession.account_id == account_id,
                                           AuthSession.token_hash != keep_hash))


def change_password(*, session: Session, actor: Actor, current: object, new: object, confirm: object,
                    keep_session_hash: str, now: datetime | None = None) -> dict[str, str]:
    """A signed-in user sets a new password, proving the current one; returns the mail telling
    the user. Ends the account's other sessions (not `keep_session_hash`, the one acting) and its
    unused password links.

    The current password is a sign-in guess: counted on the account before bcrypt runs, a wrong
    one counts towards the lockout, and a locked account is refused until the lock expires.
    Blocking (bcrypt): call from a worker thread.
    """
    now = now or utcnow()
    missing = {} if isinstance(current, str) and current else {"current": "error.required"}
    try:
        new_password = check_new_password(new, confirm)
    except ValidationFailed as exc:  # every field's mistake at once, the current password's too
        raise ValidationFailed({**missing, **exc.fields}) from None
    if missing:
        raise ValidationFailed(missing)
    if len(current.encode("utf-8")) > PASSWORD_MAX_BYTES:  # no password can be that long: not a guess
        raise ValidationFailed({"current": "error.current_password_wrong"})
    account = session.get(Account, actor.account_id)
    if account is None or not account.enabled:
        raise NotFound()
    policy = get_portal_settings(session)
    seen = _count_attempt(session, account, policy.lockout_threshold, now)
    if seen is None:
        verify_password(current, None)
        minutes = _lock_minutes(account.locked_until, policy.lockout_minutes, now)
        raise ValidationFailed({"current": ("error.password_locked", {"minutes": minutes})})
    if not verify_password(current, account.password_hash):
        _lock_if_due(session, account.id, policy.lockout_threshold, policy.lockout_minutes, now)
        raise ValidationFailed({"current": "error.current_password_wrong"})
    if not _clear_attempt(session, account.id, seen, now, sign_in=False):
        raise ValidationFailed({"current": ("error.password_locked", {"minutes": policy.lockout_minutes})})
    if new_password == current:  # checked once the current one is proven (a right guess is no failure)
        raise ValidationFailed({"password": "error.password_same"})
    session.exec(update(Account).where(Account.id == account.id)
                 .values(password_hash=hash_password(new_password), failed_logins=0))
    end_all_sessions(session=session, account_id=account.id, keep_hash=keep_session_hash)
    # a reset link sent before (perhaps to whoever the password is changed against) no longer sets one
    end_password_links(session=session, account_id=account.id)  # type: ignore[arg-type]
    session.commit()
    lang = account.language
    return {"to": account.email, "subject": translate(lang, "mail.password_changed.subject"),
            "body": translate(lang, "mail.password_changed.body", greeting=greeting(session, account), email=account.email,
                              link=f"{settings.portal_url}/forgot-password")}


def _lock_minutes(until: datetime | None, lockout_minutes: int, now: datetime) -> int:
    """Whole minutes until a lock ending at `until` ends (the lock period when none is stored yet:
    as many guesses in flight as the threshold allows, one of which is about to set it)."""
    if until is None or until <= now:
        return max(1, lockout_minutes)
    return max(1, math.ceil((until - now).total_seconds() / 60))


def purge_expired(*, session: Session, now: datetime | None = None) -> int:
    """Expired sessions, old password links and old rate-limit hits; the number of sessions."""
    now = now or utcnow()
    gone = session.exec(delete(AuthSession).where(AuthSession.expires_at <= now)).rowcount
    session.exec(delete(PasswordToken).where(PasswordToken.expires_at <= now - timedelta(days=7)))
    session.commit()
    # the longest rate-limit window is an hour
    throttle.purge(session=session, older_than=timedelta(days=1), now=now)
    return gone


# --- password links ---------------------------------------------------------------------------

def end_password_links(*, session: Session, account_id: int) -> None:
    """Every unused set-password or reset link of the account stops working (in the caller's
    transaction): a new link replaces them, or the login's email changed."""
    session.exec(update(PasswordToken)
                 .where(PasswordToken.account_id == account_id, col(PasswordToken.used_at).is_(None))
                 .values(used_at=utcnow()))


def _issue_token(session: Session, account: Account, purpose: TokenPurpose, lifetime: timedelta) -> str:
    """A new link token; any earlier unused link of the account stops working."""
    now = utcnow()
    end_password_links(session=session, account_id=account.id)  # type: ignore[arg-type]
    token = secrets.token_urlsafe(32)
    session.add(PasswordToken(token_hash=token_hash(token), account_id=account.id, purpose=purpose,
                              expires_at=now + lifetime))
    return token


def greeting(session: Session, account: Account) -> str:
    """"Hello Aino," in the account's language, as the portal's other mails greet; "Hello," without a name."""
    contact = session.get(Contact, account.contact_id) if account.contact_id else None
    name = (contact.first_name if contact else account.full_name.split(" ")[0]).strip()
    return (translate(account.language, "mail.greeting_named", name=name) if name
            else translate(account.language, "mail.greeting"))


def _password_mail(session: Session, account: Account, purpose: TokenPurpose, token: str) -> dict[str, str]:
    lang = account.language
    link = f"{settings.portal_url}/reset-password?token={token}"
    if purpose == TokenPurpose.RESET:
        subject = translate(lang, "mail.reset.subject")
        body = translate(lang, "mail.reset.body", greeting=greeting(session, account), link=link,
                         minutes=settings.reset_token_minutes)
    else:
        subject = translate(lang, "mail.activate.subject")
        body = translate(lang, "mail.activate.body", greeting=greeting(session, account), link=link,
                         email=account.email, hours=settings.activation_token_hours)
    return {"to": account.email, "subject": subject, "body": body}


RESET_LIMIT_WINDOW = timedelta(hours=1)


def reset_limits() -> tuple[throttle.Limit, throttle.Limit]:
    """Forgot-password requests per email address and per client address, per hour."""
    return (throttle.Limit("reset-email", settings.reset_email_limit, RESET_LIMIT_WINDOW),
            throttle.Limit("reset-ip", settings.reset_address_limit, RESET_LIMIT_WINDOW))


RESET_REPEAT_WINDOW = timedelta(minutes=1)


def _reset_link_just_sent(session: Session, account: Account, now: datetime) -> bool:
    """Whether a reset link that still works went to this account within `RESET_REPEAT_WINDOW`. A
    new link would end that one (`_issue_token`), so the first mail would no longer work."""
    return session.exec(select(PasswordToken.id).where(
        PasswordToken.account_id == account.id, PasswordToken.purpose == TokenPurpose.RESET,
        col(PasswordToken.used_at).is_(None), PasswordToken.created_at > now - RESET_REPEAT_WINDOW,
        PasswordToken.expires_at > now)).first() is not None


def request_password_reset(*, session: Session, email: object, client_address: str = "",
                           now: datetime | None = None) -> dict[str, str] | None:
    """Create a reset link for an enabled account; returns the mail to send, or None.

    The caller answers the same either way and sends the mail off the request path. Past the
    per-address limit it is refused (RateLimited, a message the requester may see); past the
    per-email limit nothing more is sent, silently, known address or not (no enumeration).
    """
    if not isinstance(email, str) or not email.strip() or len(email) > 254 or "\x00" in email:
        raise ValidationFailed({"email": "error.email"})
    address = normalize_email(email.strip())  # a malformed address is told so, and not counted
    per_email, per_address = reset_limits()
    taken = throttle.take(session=session, limit=per_address, key=client_address or "unknown", now=now)
    if not taken.ok:
        raise RateLimited(minutes=taken.retry_minutes)
    account = _find_account(session, address)
    if account is not None and _reset_link_just_sent(session, account, now or utcnow()):
        return None  # a double click or a resend: the link already on its way stays the one that works
    if not throttle.take(session=session, limit=per_email, key=address, now=now).ok:
        return None
    if account is None or not account.enabled:
        return None
    token = _issue_token(session, account, TokenPurpose.RESET, timedelta(minutes=settings.reset_token_minutes))
    session.commit()
    return _password_mail(session, account, TokenPurpose.RESET, token)


def issue_set_password_link(*, session: Session, account: Account) -> dict[str, str]:
    """A set-password link for a newly activated account (caller commits and sends)."""
    token = _issue_token(session, account, TokenPurpose.ACTIVATE,
                         timedelta(hours=settings.activation_token_hours))
    return _password_mail(session, account, TokenPurpose.ACTIVATE, token)


def _valid_token(session: Session, token: object, now: datetime) -> PasswordToken | None:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = session.exec(select(PasswordToken).where(PasswordToken.token_hash == token_hash(token))).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def password_token_valid(*, session: Session, token: object) -> bool:
    return _valid_token(session, token, utcnow()) is not None


@dataclass(frozen=True)
class PasswordLink:
    language: str  # the login's (its mail was written in it)
    first: bool  # the login has no password yet: access just given, not a reset


def password_link(*, session: Session, token: object) -> PasswordLink | None:
    """What a valid set-password or reset link is for; None for a used, expired or unknown link, or
    one whose login was disabled since (its portal access removed): the page says so before a
    password is typed, as `reset_password` would."""
    row = _valid_token(session, token, utcnow())
    account = session.get(Account, row.account_id) if row is not None else None
    if account is None or not account.enabled:
        return None
    return PasswordLink(language=account.language, first=account.password_hash is None)


def reset_password(*, session: Session, token: object, password: object, confirm: object,
                   now: datetime | None = None, browser_session_hash: str = "") -> Account:
    """Set a new password from a link: single use, expiring; ends every session of the account, and
    the session of the browser the link was opened in (`browser_session_hash`), whoever's it was: a
    colleague's open session on a shared desk is not what the link's person signs in to next."""
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
    if isinstance(browser_session_hash, str) and browser_session_hash:
        session.exec(delete(AuthSession).where(AuthSession.token_hash == browser_session_hash))
    session.commit()
    session.refresh(account)
    return account


# --- staff tools -------------------------------------------------------------------------------

def _staff_target(session: Session, actor: Actor, account_id: object) -> Account:
    """The account a staff tool acts on (staff only; an unknown id answers NotFound)."""
    actor.require_staff()
    account = session.get(Account, parse_id(account_id, field="account_id"))
    if account is None:
        raise NotFound()
    return account


def _saved(session: Session, account: Account) -> Account:
    session.add(account)
    session.commit()
    session.refresh(account)
    return account


def unlock(*, session: Session, actor: Actor, account_id: int) -> Account:
    account = _staff_target(session, actor, account_id)
    account.locked_until = None
    account.failed_logins = 0
    return _saved(session, account)


def disable_account(*, session: Session, actor: Actor, account_id: object) -> Account:
    """Staff turns a login off (not its own): it can no longer sign in, and its sessions end now.
    For a contact this is removing its portal access; the CRM contact stays."""
    account = _staff_target(session, actor, account_id)
    if account.id == actor.account_id:
        raise PermissionDenied("error.not_yourself")
    account.enabled = False
    end_all_sessions(session=session, account_id=account.id)
    return _saved(session, account)


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
    status: str = "active"  # "active", "invited" (no password yet), "locked" or "disabled"
    company_id: int | None = None  # where the person is managed (their company's page); None for staff


def login_statistics(*, session: Session, actor: Actor, query: object = "", limit: int = 50,
                     offset: int = 0) -> tuple[list[LoginStat], int]:
    """Accounts with login count, last login and status (enabled ones first), searchable by name,
    email or company."""
    actor.require_staff()
    text = clean_line(query, field="q", max_chars=100)
    offset, limit = parse_page(offset, limit)
    from ...models import Company  # local: keeps the import list of this module about auth

    stmt = (select(Account, Contact, Company)
            .join(Contact, col(Account.contact_id) == Contact.id, isouter=True)
            .join(Company, col(Contact.company_id) == Company.id, isouter=True))
    if text:
        like = like_pattern(text)
        stmt = stmt.where(or_(
            folded(Account.email).like(like, escape="\\"), folded(Account.full_name).like(like, escape="\\"),
            folded(Contact.first_name + " " + Contact.last_name).like(like, escape="\\"),
            folded(Company.name).like(like, escape="\\")))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(Account.enabled).desc(), col(Account.last_login_at).desc().nulls_last(),
                                      Account.email)
                        .offset(offset).limit(limit)).all()
    now = utcnow()
    stats = []
    for acc, contact, company in rows:
        locked = acc.locked_until is not None and acc.locked_until > now
        usable = acc.enabled and (contact is None or contact.is_active)
        stats.append(LoginStat(
            account_id=acc.id, email=acc.email, kind=acc.kind,
            name=(f"{contact.first_name} {contact.last_name}" if contact else acc.full_name) or acc.email,
            company=company.name if company else "", login_count=acc.login_count,
            last_login_at=acc.last_login_at, locked=locked,
            # "invited": given access, its set-password link not used yet (no sign-in possible so far)
            status="disabled" if not usable else "locked" if locked else "invited" if not acc.password_hash else "active",
            company_id=company.id if company else None,
        ))
    return stats, total


def set_language(*, session: Session, actor: Actor, language: str) -> None:
    from ...i18n import available_languages

    if not isinstance(language, str) or language not in available_languages():
        raise ValidationFailed({"language": "error.invalid"})
    session.exec(update(Account).where(Account.id == actor.account_id).values(language=language))
    session.commit()


def set_time_zone(*, session: Session, actor: Actor, time_zone: object) -> str:
    """The zone the user reads times in: an IANA name (`local_time.readable_zones`), or '' for the
    portal's. Returns the zone kept."""
    from ... import local_time

    chosen = time_zone.strip() if isinstance(time_zone, str) else None
    if chosen is None or (chosen and chosen not in local_time.readable_zones()):
        raise ValidationFailed({"time_zone": "error.time_zone_choice"})
    session.exec(update(Account).where(Account.id == actor.account_id).values(time_zone=chosen))
    session.commit()
    return chosen


def create_staff(*, session: Session, email: str, full_name: str, password: str) -> Account:
    """Used by the seed and tests; staff accounts are not created from the portal."""
    account = Account(email=email.lower(), kind=AccountKind.STAFF, full_name=full_name,
                      password_hash=hash_password(password))
    session.add(account)
    session.commit()
    session.refresh(account)
    return account
