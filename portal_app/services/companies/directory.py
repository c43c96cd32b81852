"""Companies and contacts: own data per field rights, company admins' colleagues, staff's CRM.

Scoping: staff reaches every company; a company admin reaches the contacts of its own company;
everyone else reaches only itself. A row outside the actor's reach answers NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ...models import (
    COMPANY_FIELDS, CONTACT_FIELDS, Account, AccountKind, Company, CompanyCreate, CompanyUpdate,
    Contact, ContactCreate, ContactUpdate, FieldAccess, ModuleAccess, PortalProfile, utcnow,
)
from ...i18n import DEFAULT_LANGUAGE, available_languages, translate
from ...settings import settings
from . import company_rules
from ..accounts import auth
from ..actor import Actor
from ..mail import outbox
from ..edits import edited
from ..errors import FieldsRefused, NotFound, PermissionDenied, ValidationFailed
from ..submissions import parse_submission_id
from ..translations import row_text
from ..validation import (
    PHONE_CHARACTERS, SchemaT, clean_line, form_dict, like_pattern, normalize_email, parse, parse_id, parse_page,
    phone_problem,
)
from ..folding import folded

# --- views -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldView:
    name: str
    value: str
    editable: bool


@dataclass(frozen=True)
class ContactRow:
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    mobile: str
    job_title: str
    department: str
    is_active: bool
    portal_access: bool
    portal_admin: bool
    profile_id: int | None
    profile_name: str
    locked: bool
    login_count: int
    last_login_at: datetime | None
    has_password: bool


def _fields(row: Any, actor: Actor, prefix: str, names: tuple[str, ...]) -> list[FieldView]:
    """The fields the actor may see, in form order; hidden ones are absent."""
    out = []
    for name in names:
        level = actor.field(f"{prefix}.{name}")
        if level != FieldAccess.HIDDEN:
            out.append(FieldView(name=name, value=str(getattr(row, name) or ""),
                                 editable=level == FieldAccess.EDIT))
    return out


def _changes(row: Any, data: dict[str, str], actor: Actor, prefix: str, names: tuple[str, ...], *,
             colleague: bool = False, seen: Any = None) -> dict[str, str]:
    """The fields this form changed (`edits.edited`: not those it shows from before); a change to a
    field the actor may not edit is refused, next to that field.

    Hidden fields are ignored whatever is sent, so comparing cannot reveal their values; only a field
    the form showed (`seen`) and hidden since is refused when changed, so no typing is silently
    dropped. A company admin editing a colleague (`colleague=True`) may change every field not
    hidden from it: a field read-only for one's own record (the login email) is the admin's to
    correct for others.
    """
    levels = {name: actor.field(f"{prefix}.{name}") for name in names}
    visible = [name for name in names if levels[name] != FieldAccess.HIDDEN]
    refused = [name for name in names
               if levels[name] == FieldAccess.HIDDEN and isinstance(seen, dict) and name in seen
               and name in data and data[name] != seen[name]]
    changes = edited(current={name: str(getattr(row, name) or "") for name in visible},
                     sent={name: data[name] for name in visible if name in data}, seen=seen)
    refused += [name for name in changes if levels[name] != FieldAccess.EDIT and not colleague]
    if refused:
        raise FieldsRefused(refused)
    return changes


# --- own company ---------------------------------------------------------------------------------

def _own_company(session: Session, actor: Actor) -> Company:
    actor.require_module("company")
    company = session.get(Company, actor.company_id) if actor.company_id else None
    if company is None or actor.is_staff:
        raise NotFound()
    return company


def own_company_fields(*, session: Session, actor: Actor) -> tuple[Company, list[FieldView]]:
    company = _own_company(session, actor)
    fields = _fields(company, actor, "company", COMPANY_FIELDS)
    if not actor.can("company", ModuleAccess.EDIT):
        fields = [FieldView(f.name, f.value, False) for f in fields]
    return company, fields


def update_own_company(*, session: Session, actor: Actor, data: Any, seen: Any = None) -> Company:
    """`seen`: the values the form showed (`edits`)."""
    company = _own_company(session, actor)
    actor.require_module("company", ModuleAccess.EDIT)
    values = form_dict(data, COMPANY_FIELDS)
    changes = _changes(company, values, actor, "company", COMPANY_FIELDS, seen=seen)
    return _save_company(session, company, changes)


def _save_company(session: Session, company: Company, changes: dict[str, str]) -> Company:
    if not changes:
        return company
    # a new country checks the ID and code kept; otherwise only what changed (an ID stored before the
    # rule does not block a change of phone number)
    checked = {"business_id": company.business_id or "", "postal_code": company.postal_code or "",
               **changes} if "country" in changes else changes
    problems = company_rules.company_problems(checked, country=changes.get("country", company.country or ""))
    problems = {**_taken_by_another(session, changes, company.id), **problems}
    update = _checked(CompanyUpdate, changes, problems=problems)
    return _stored(session, company, update)


def _stored(session: Session, row: Company | Contact, update: CompanyUpdate | ContactUpdate) -> Any:
    """Write the checked fields onto the row, stamp it and commit."""
    for name, value in update.model_dump(exclude_unset=True).items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def _taken_by_another(session: Session, values: dict[str, str], company_id: int | None) -> dict[str, str]:
    """A name or business ID another company has: two companies that read the same in every company
    box and list would have documents, reports and invoices given to the wrong one. Which company has
    it stays unsaid (a customer renaming its own company learns nothing of others)."""
    problems: dict[str, str] = {}
    name, business_id = (values.get("name") or "").strip(), (values.get("business_id") or "").strip()
    others = select(Company.id).where(col(Company.id) != company_id) if company_id else select(Company.id)
    if name and _name_taken(session, name, company_id):
        problems["name"] = "error.company_name_taken"
    same_id = func.upper(Company.business_id) == business_id.upper()
    if business_id and session.exec(others.where(same_id).limit(1)).first():
        problems["business_id"] = "error.business_id_taken"
    return problems


def _name_taken(session: Session, name: str, company_id: int | None) -> bool:
    """Another company has `name`, capitals aside. SQLite's lower() folds A-Z only ("ÖL" and "öl"
    differ there), so the names of that length are compared here, casefolded, on every database."""
    query = select(Company.name).where(func.length(Company.name) == len(name))
    if company_id:
        query = query.where(col(Company.id) != company_id)
    wanted = name.casefold()
    return any(other.strip().casefold() == wanted for other in session.exec(query))


def _check_website(value: str) -> str:
    if not value:
        return ""
    candidate = value if "://" in value else f"https://{value}"
    from urllib.parse import urlparse

    try:
        parsed = urlparse(candidate)
    except ValueError:  # e.g. "http://[" (an unclosed IPv6 host)
        raise ValidationFailed({"website": "error.url"}) from None
    if parsed.scheme not in ("http", "https") or "." not in parsed.netloc or " " in candidate:
        raise ValidationFailed({"website": "error.url"})
    return candidate


def _checked(schema: type[SchemaT], values: dict[str, str], *, problems: dict[str, Any] | None = None) -> SchemaT:
    """`values` parsed into `schema`, with a website made an address and phone numbers checked
    (`validation.phone_problem`), and `problems` found before (`company_rules`): every field's error at
    once, not the first one's."""
    errors: dict[str, Any] = dict(problems or {})
    if values.get("website"):
        try:
            values["website"] = _check_website(values["website"])
        except ValidationFailed as exc:
            errors.update(exc.fields)
    errors.update({name: "error.phone" if problem == PHONE_CHARACTERS else "error.phone_digits"
                   for name in ("phone", "mobile") if values.get(name) and (problem := phone_problem(values[name]))})
    try:
        parsed = parse(schema, values)
    except ValidationFailed as exc:
        raise ValidationFailed({**errors, **exc.fields}) from None
    if errors:
        raise ValidationFailed(errors)
    return parsed


# --- own contact ---------------------------------------------------------------------------------

def _own_contact(session: Session, actor: Actor) -> Contact:
    contact = session.get(Contact, actor.contact_id) if actor.contact_id else None
    if contact is None:
        raise NotFound()
    return contact


def own_contact_fields(*, session: Session, actor: Actor) -> list[FieldView]:
    return _fields(_own_contact(session, actor), actor, "contact", CONTACT_FIELDS)


def update_own_contact(*, session: Session, actor: Actor, data: Any, seen: Any = None) -> Contact:
    """`seen`: the values the form showed (`edits`)."""
    contact = _own_contact(session, actor)
    values = form_dict(data, CONTACT_FIELDS)
    changes = _changes(contact, values, actor, "contact", CONTACT_FIELDS, seen=seen)
    return _save_contact(session, actor, contact, changes)


def _normalized_email(values: dict[str, str], *, required: bool) -> dict[str, Any]:
    """The form's email normalized in place; or its problem, the address left out, for `_checked` to
    say beside the other fields' (a bad email, an empty name and a bad phone, all at once)."""
    try:
        values["email"] = normalize_email(values.get("email", ""), required=required)
    except ValidationFailed as exc:
        values.pop("email", None)
        return exc.fields
    return {}


def _save_contact(session: Session, actor: Actor, contact: Contact, changes: dict[str, str]) -> Contact:
    if not changes:
        return contact
    account = session.exec(select(Account).where(Account.contact_id == contact.id)).first()
    if "email" in changes:
        if email_problem := _normalized_email(changes, required=account is not None and account.enabled):
            _checked(ContactUpdate, changes, problems=email_problem)  # with the other fields' problems, if any
        _check_email_free(session, actor, changes["email"], account)
        _check_no_colleague_has(session, changes["email"], contact.company_id, contact.id)
        if account is not None and changes["email"] and changes["email"] != account.email:
            signs_in = bool(account.password_hash) and account.enabled
            if signs_in and not actor.is_staff and contact.id != actor.contact_id:
                # the colleague signs in with it: a company admin who could point it elsewhere could
                # reset the password there and sign in as the colleague (with the colleague's rights)
                # unseen; with access removed first (a successor), giving it again sets a new password
                raise ValidationFailed({"email": "error.email_signs_in"})
            if signs_in:  # both addresses hear of it: a change nobody asked for is seen
                outbox.enqueue(session=session, mails=login_email_changed(account, changes["email"]), commit=False)
            account.email = changes["email"]
            session.add(account)
            # a link mailed to the old address (a typo, a former owner's) must not set the password
            # of the login that now has this one; the account's own mails go to the new address
            auth.end_password_links(session=session, account_id=account.id)  # type: ignore[arg-type]
    update = _checked(ContactUpdate, changes)
    return _stored(session, contact, update)


def login_email_changed(account: Account, new_email: str) -> list[dict[str, str]]:
    """The notice of a login's new sign-in address, to the old one and to the new one."""
    lang = account.language
    return [{"to": to, "subject": translate(lang, "mail.login_email_changed.subject"),
             "body": translate(lang, "mail.login_email_changed.body", old=account.email, new=new_email,
                               link=f"{settings.portal_url}/forgot-password")}
            for to in (account.email, new_email)]


def _check_email_free(session: Session, actor: Actor, email: str, account: Account | None) -> None:
    """Refuse `email` when a login other than `account` signs in with it. Whose login it is stays
    unsaid unless the actor may see that person (staff, or a colleague of the same company): a
    customer learns only that the address cannot be used, not that someone elsewhere signs in
    with it."""
    if not email:
        return
    other = session.exec(select(Account).where(Account.email == email)).first()
    if other is None or (account is not None and other.id == account.id):
        return
    owner = session.get(Contact, other.contact_id) if other.contact_id else None
    visible = actor.is_staff or (owner is not None and owner.company_id == actor.company_id)
    raise ValidationFailed({"email": "error.email_taken" if visible else "error.email_unavailable"})


def _check_no_colleague_has(session: Session, email: str, company_id: int | None, contact_id: int | None) -> None:
    """Refuse `email` when another contact of the same company has it: the same person twice, and
    the first to get portal access would keep the other from ever having it."""
    if not email or company_id is None:
        return
    query = select(Contact.id).where(Contact.company_id == company_id, func.lower(Contact.email) == email.lower())
    if contact_id is not None:
        query = query.where(Contact.id != contact_id)
    if session.exec(query).first() is not None:
        raise ValidationFailed({"email": "error.email_colleague"})


# --- contacts of a company (company admin or staff) -------------------------------------------

def _reachable_company_id(session: Session, actor: Actor, company_id: Any = None) -> int:
    """The company whose contacts the actor manages: its own (company admin) or any (staff)."""
    if actor.is_staff:
        cid = parse_id(company_id, field="company_id")
        if session.get(Company, cid) is None:
            raise NotFound()
        return cid
    if not actor.manages_company_contacts:
        raise PermissionDenied()
    if company_id is not None and company_id != actor.company_id:
        raise NotFound()
    return actor.company_id  # type: ignore[return-value]


def _reachable_contact(session: Session, actor: Actor, contact_id: Any) -> Contact:
    cid = parse_id(contact_id, field="contact_id")
    contact = session.get(Contact, cid)
    if contact is None:
        raise NotFound()
    if actor.is_staff:
        return contact
    if not actor.manages_company_contacts or contact.company_id != actor.company_id:
        raise NotFound()
    return contact


def list_contacts(*, session: Session, actor: Actor, company_id: Any = None, query: str = "",
                  include_inactive: bool = True) -> list[ContactRow]:
    cid = _reachable_company_id(session, actor, company_id)
    query = clean_line(query, field="q", max_chars=100)
    stmt = (select(Contact, Account, PortalProfile)
            .join(Account, col(Account.contact_id) == Contact.id, isouter=True)
            .join(PortalProfile, col(Contact.profile_id) == PortalProfile.id, isouter=True)
            .where(Contact.company_id == cid))
    if not include_inactive:
        stmt = stmt.where(Contact.is_active == True)  # noqa: E712
    if query:
        like = like_pattern(query)
        stmt = stmt.where(or_(folded(Contact.first_name + " " + Contact.last_name).like(like, escape="\\"),
                              folded(Contact.email).like(like, escape="\\")))
    now = utcnow()
    reader = None if actor.is_staff else actor.language  # a profile's name: staff see it as they wrote it
    rows = session.exec(stmt.order_by(func.lower(Contact.last_name), func.lower(Contact.first_name), Contact.id)
                        .limit(500)).all()

    def shown(contact: Contact, name: str) -> str:
        """A colleague's field as the actor's own field rights allow ('' when hidden)."""
        return getattr(contact, name) if actor.field(f"contact.{name}") != FieldAccess.HIDDEN else ""

    return [
        ContactRow(
            id=c.id, first_name=c.first_name, last_name=c.last_name, email=shown(c, "email"),
            phone=shown(c, "phone"), mobile=shown(c, "mobile"), job_title=shown(c, "job_title"),
            department=shown(c, "department"), is_active=c.is_active,
            portal_access=bool(a and a.enabled), portal_admin=c.portal_admin, profile_id=c.profile_id,
            profile_name=row_text(p, reader, "name") if p else "",
            locked=bool(a and a.locked_until and a.locked_until > now),
            login_count=a.login_count if a else 0, last_login_at=a.last_login_at if a else None,
            has_password=bool(a and a.password_hash),
        )
        for c, a, p in rows
    ]


def get_contact(*, session: Session, actor: Actor, contact_id: Any) -> Contact:
    return _reachable_contact(session, actor, contact_id)


def _created_by(session: Session, submission: str | None, company_id: int) -> Contact | None:
    """The contact an earlier sending of the same "Add contact" form filed, or None."""
    if submission is None:
        return None
    done = session.exec(select(Contact).where(Contact.submission_id == submission)).first()
    if done is not None and done.company_id != company_id:
        raise ValidationFailed({"form": "error.invalid"})
    return done


def create_contact(*, session: Session, actor: Actor, data: Any, company_id: Any = None,
                   submission_id: Any = None) -> Contact:
    """A new CRM contact of the company, at once. Portal access is a separate step.

    `submission_id`: the form's id (`services/submissions.py`); the same form sent again (a double
    click, also two sendings at the same moment) files nothing and answers with the first's contact."""
    cid = _reachable_company_id(session, actor, company_id)
    submission = parse_submission_id(submission_id)
    if (done := _created_by(session, submission, cid)) is not None:
        return done
    values = form_dict(data, [n for n in CONTACT_FIELDS if actor.field(f"contact.{n}") != FieldAccess.HIDDEN])
    email_problem = _normalized_email(values, required=False)
    if email_problem:
        _checked(ContactCreate, values, problems=email_problem)  # with the other fields' problems, if any
    _check_email_free(session, actor, values["email"], None)  # a login's email belongs to that login's contact
    try:
        _check_no_colleague_has(session, values["email"], cid, None)
    except ValidationFailed:
        if (done := _created_by(session, submission, cid)) is not None:
            return done  # the same form, sent at the same moment, was filed just now
        raise
    create = _checked(ContactCreate, values)
    contact = Contact.model_validate(create, update={"company_id": cid, "submission_id": submission})
    try:
        session.add(contact)
        session.commit()
    except IntegrityError:
        session.rollback()  # the same form, sent at the same moment, got there first
        if (done := _created_by(session, submission, cid)) is None:
            raise
        return done
    session.refresh(contact)
    return contact


def update_contact(*, session: Session, actor: Actor, contact_id: Any, data: Any, seen: Any = None) -> Contact:
    """Edit a colleague (company admin: within its own field rights) or any contact (staff); `seen`:
    the values the form showed (`edits`)."""
    contact = _reachable_contact(session, actor, contact_id)
    values = form_dict(data, CONTACT_FIELDS)
    changes = _changes(contact, values, actor, "contact", CONTACT_FIELDS, colleague=contact.id != actor.contact_id,
                       seen=seen)
    return _save_contact(session, actor, contact, changes)


def _account_of(session: Session, contact: Contact) -> Account | None:
    return session.exec(select(Account).where(Account.contact_id == contact.id)).first()


def set_contact_active(*, session: Session, actor: Actor, contact_id: Any, active: Any) -> Contact:
    """Deactivate (or, for staff, reactivate) a contact; deactivation also ends its portal access,
    and with it the company admin flag (access given again later does not bring that back)."""
    if not isinstance(active, bool):
        raise ValidationFailed({"active": "error.invalid"})
    contact = _reachable_contact(session, actor, contact_id)
    if contact.id == actor.contact_id:
        raise PermissionDenied("error.not_yourself")
    if active and not actor.is_staff and not contact.is_active:
        pass  # a company admin may bring back a colleague it deactivated
    contact.is_active = active
    if not active:
        contact.portal_admin = False
    contact.updated_at = utcnow()
    account = _account_of(session, contact)
    if not active and account is not None:
        account.enabled = False
        session.add(account)
        auth.end_all_sessions(session=session, account_id=account.id)
    session.add(contact)
    session.commit()
    session.refresh(contact)
    return contact


def _claim_access(session: Session, contact: Contact, submission: str | None) -> bool:
    """Record that the click `submission` gives the contact portal access; False when that click
    has done so already (its other sending came first). The conditional UPDATE is the
    transaction's first write: on SQLite it takes the write lock, on PostgreSQL it holds the
    contact's row, so the other sending waits and then finds the id taken."""
    if submission is None:
        return True
    claimed = session.exec(update(Contact)  # type: ignore[call-overload]
                           .where(col(Contact.id) == contact.id,
                                  col(Contact.access_submission_id).is_distinct_from(submission))
                           .values(access_submission_id=submission)
                           .execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def set_portal_access(*, session: Session, actor: Actor, contact_id: Any, enabled: Any,
                      admin: Any = None, profile_id: Any = None, submission_id: Any = None) -> dict[str, str] | None:
    """Give or remove portal access and the admin flag; returns the set-password mail to send.

    Staff may also choose the profile; a company admin's new users get the default profile.
    `submission_id`: the id of the click that gives access (`services/submissions.py`); the same click
    sent again (a double click, also at the same moment) changes nothing and returns None: the
    first sending's mail is the one, and its link stays valid.
    """
    if not isinstance(enabled, bool) or (admin is not None and not isinstance(admin, bool)):
        raise ValidationFailed({"portal_access": "error.invalid"})
    submission = parse_submission_id(submission_id) if enabled else None
    contact = _reachable_contact(session, actor, contact_id)
    if contact.id == actor.contact_id:
        raise PermissionDenied("error.not_yourself")
    if enabled and not contact.is_active:
        raise ValidationFailed({"portal_access": "error.contact_inactive"})
    if profile_id is not None and profile_id != "":
        if not actor.is_staff:
            raise PermissionDenied()
        pid = parse_id(profile_id, field="profile_id")
        if session.get(PortalProfile, pid) is None:
            raise ValidationFailed({"profile_id": "error.invalid"})
        contact.profile_id = pid
    mail = None
    account = _account_of(session, contact)
    if enabled:
        if not _claim_access(session, contact, submission):
            session.rollback()
            return None
        # read as it is now that this click holds the contact: another click may have just made
        # the account, and its login email must then count as this contact's own, not as taken
        account = session.exec(select(Account).where(Account.contact_id == contact.id)
                               .execution_options(populate_existing=True)).first()
        try:
            email = _login_email(session, actor, contact, account)
        except ValidationFailed:
            session.rollback()  # the click is not used up by a refusal
            raise
        if contact.profile_id is None:
            default = session.exec(select(PortalProfile).where(PortalProfile.is_default == True)).first()  # noqa: E712
            contact.profile_id = default.id if default else None
        if account is None:
            account = Account(email=email, kind=AccountKind.CONTACT, contact_id=contact.id, enabled=True,
                              language=_first_language(session, actor, contact.company_id))
            session.add(account)
            session.flush()
            mail = auth.issue_set_password_link(session=session, account=account)
        elif not account.enabled or not account.password_hash:
            if not account.enabled:
                # access given again (to the same person, or to a successor on this contact): the
                # password from before does not come back with it, only the link just mailed sets one
                account.password_hash = None
            account.enabled = True
            account.email = email
            session.add(account)
            mail = auth.issue_set_password_link(session=session, account=account)
    elif account is not None and account.enabled:
        account.enabled = False
        session.add(account)
        auth.end_all_sessions(session=session, account_id=account.id)
    if not enabled:
        contact.portal_admin = False  # an admin signs in: access given again later starts without the flag
    elif admin is not None:
        contact.portal_admin = admin
    contact.updated_at = utcnow()
    session.add(contact)
    session.commit()
    return mail


def _first_language(session: Session, actor: Actor, company_id: int) -> str:
    """A new login's language, which its set-password mail is written in (the person may pick another
    later): the company admin's who gives the access; given by staff, the one most of the company's
    logins use, else (its first login) the language staff works in, else the portal's default."""
    if not actor.is_staff and actor.language in available_languages():
        return actor.language
    most = session.exec(select(Account.language).join(Contact, col(Contact.id) == Account.contact_id)
                        .where(Contact.company_id == company_id, col(Account.enabled).is_(True))
                        .group_by(Account.language).order_by(func.count().desc(), Account.language)).first()
    if most in available_languages():
        return most
    return actor.language if actor.language in available_languages() else DEFAULT_LANGUAGE


def _login_email(session: Session, actor: Actor, contact: Contact, account: Account | None) -> str:
    """The contact's email as its login name; refused, with a message for the contact's row, when
    it has none, it is not valid, or another login already uses it."""
    if not contact.email:
        raise ValidationFailed({"portal_access": "error.access_needs_email"})
    try:
        email = normalize_email(contact.email, required=True)
        _check_email_free(session, actor, email, account)
        if not actor.is_staff and _listed_first_elsewhere(session, email, contact):
            raise ValidationFailed({"email": "error.email_unavailable"})
    except ValidationFailed as exc:
        key = {"error.email_taken": "error.access_email_taken",
               "error.email_unavailable": "error.access_email_unavailable"}.get(exc.fields["email"][0],
                                                                                "error.access_bad_email")
        raise ValidationFailed({"portal_access": key}) from None
    return email


def _listed_first_elsewhere(session: Session, email: str, contact: Contact) -> bool:
    """Whether a contact of another company had `email` before this one: a company admin cannot give a
    login (its set-password mail, and every sign-in after) to an address another company listed first,
    such as another company's contact copied into its own (staff decide between two companies)."""
    return session.exec(select(Contact.id).where(col(Contact.company_id) != contact.company_id,
                                                 func.lower(Contact.email) == email.lower(),
                                                 col(Contact.id) < contact.id).limit(1)).first() is not None


def send_set_password_link(*, session: Session, actor: Actor, contact_id: Any,
                           submission_id: Any = None) -> dict[str, str] | None:
    """A fresh set-password link for a contact that has portal access (it replaces the one before).
    `submission_id`: the click's id, as for `set_portal_access`: the same click sent again sends
    nothing and returns None, so the link of the mail already sent stays the valid one."""
    submission = parse_submission_id(submission_id)
    contact = _reachable_contact(session, actor, contact_id)
    account = _account_of(session, contact)
    if account is None or not account.enabled:
        raise ValidationFailed({"portal_access": "error.no_portal_access"})
    if not _claim_access(session, contact, submission):
        session.rollback()
        return None
    mail = auth.issue_set_password_link(session=session, account=account)
    session.commit()
    return mail


# --- companies (staff) ---------------------------------------------------------------------------

def list_companies(*, session: Session, actor: Actor, query: str = "", offset: int = 0,
                   limit: int = 50) -> tuple[list[Company], int]:
    actor.require_staff()
    query = clean_line(query, field="q", max_chars=100)
    offset, limit = parse_page(offset, limit)
    stmt = select(Company)
    if query:
        like = like_pattern(query)
        stmt = stmt.where(or_(folded(Company.name).like(like, escape="\\"), folded(Company.business_id).like(like, escape="\\"),
                              folded(Company.city).like(like, escape="\\")))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(func.lower(Company.name), Company.id).offset(offset).limit(limit)).all()
    return list(rows), total


def company_choice_label(company: Company) -> str:
    """A company in a company box's matches: its name, then its business ID and city where known, so
    companies of like names are told apart before one is picked."""
    details = ", ".join(part for part in (company.business_id, company.city) if part)
    return f"{company.name} ({details})" if details else company.name


def get_company(*, session: Session, actor: Actor, company_id: Any) -> Company:
    actor.require_staff()
    company = session.get(Company, parse_id(company_id, field="company_id"))
    if company is None:
        raise NotFound()
    return company


def _company_created_by(session: Session, submission: str | None) -> Company | None:
    """The company an earlier sending of the same "New company" form filed, or None."""
    if submission is None:
        return None
    return session.exec(select(Company).where(Company.submission_id == submission)).first()


def create_company(*, session: Session, actor: Actor, data: Any, submission_id: Any = None) -> Company:
    """Staff files a new company. `submission_id`: the form's id (`services/submissions.py`); the
    same form sent again (a double click, also two sendings at the same moment) files nothing and
    answers with the first's company."""
    actor.require_staff()
    submission = parse_submission_id(submission_id)
    if (done := _company_created_by(session, submission)) is not None:
        return done
    values = form_dict(data, COMPANY_FIELDS)
    problems = company_rules.company_problems(values, country=values.get("country") or "")
    taken = _taken_by_another(session, values, None)
    if taken and (done := _company_created_by(session, submission)) is not None:
        return done  # the same form, sent at the same moment, filed it just now
    company = Company.model_validate(_checked(CompanyCreate, values, problems={**taken, **problems}),
                                     update={"submission_id": submission})
    try:
        session.add(company)
        session.commit()
    except IntegrityError:
        session.rollback()  # the same form, sent at the same moment, got there first
        if (done := _company_created_by(session, submission)) is None:
            raise
        return done
    session.refresh(company)
    return company


def update_company(*, session: Session, actor: Actor, company_id: Any, data: Any, seen: Any = None) -> Company:
    """`seen`: the values the form showed (`edits`)."""
    company = get_company(session=session, actor=actor, company_id=company_id)
    values = form_dict(data, COMPANY_FIELDS)
    changes = edited(current={k: str(getattr(company, k) or "") for k in values}, sent=values, seen=seen)
    return _save_company(session, company, changes)


def unlock_contact(*, session: Session, actor: Actor, contact_id: Any) -> None:
    """Staff lifts a sign-in lock of a contact's account."""
    actor.require_staff()
    contact = _reachable_contact(session, actor, contact_id)
    account = _account_of(session, contact)
    if account is None:
        raise NotFound()
    auth.unlock(session=session, actor=actor, account_id=account.id)


def set_contact_profile(*, session: Session, actor: Actor, contact_id: Any, profile_id: Any) -> Contact:
    actor.require_staff()
    contact = _reachable_contact(session, actor, contact_id)
    pid = parse_id(profile_id, field="profile_id")
    if session.get(PortalProfile, pid) is None:
        raise ValidationFailed({"profile_id": "error.invalid"})
    contact.profile_id = pid
    session.add(contact)
    session.commit()
    session.refresh(contact)
    return contact


def set_portal_admin(*, session: Session, actor: Actor, contact_id: Any, admin: Any) -> Contact:
    """Give or take the company admin flag (not to oneself); given only to a contact with portal access."""
    if not isinstance(admin, bool):
        raise ValidationFailed({"portal_admin": "error.invalid"})
    contact = _reachable_contact(session, actor, contact_id)
    if contact.id == actor.contact_id:
        raise PermissionDenied("error.not_yourself")
    if admin:
        account = _account_of(session, contact)
        if not contact.is_active or account is None or not account.enabled:
            # the flag is a right in the portal: without access it would wait, unseen, for whoever
            # is given access to this contact next
            raise ValidationFailed({"portal_admin": "error.admin_needs_access"})
    contact.portal_admin = admin
    contact.updated_at = utcnow()
    session.add(contact)
    session.commit()
    session.refresh(contact)
    return contact
