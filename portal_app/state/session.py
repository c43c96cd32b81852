"""SessionState: the only auth state. Resolves the session on every event, from the hash of the
session cookie that the websocket handshake carried (see `http/middleware.py`); the state itself
holds no token, so nothing Reflex persists per tab (on disk or in Redis) can sign anybody in."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from datetime import date, datetime
from typing import TypedDict
from urllib.parse import quote

import reflex as rx

from ..http.session import LANGUAGE_COOKIE, SESSION_HEADER, cookie_from_header, hash_from_header
from ..i18n import DEFAULT_LANGUAGE, available_languages, format_moment, format_when, normalize_language, translate
from ..models import DEFAULT_MENU_COLOR, ModuleAccess
from ..services.accounts import auth
from ..services import live
from ..services.accounts.actor_cache import IDENTITY, actors
from ..services.actor import Actor
from ..services.errors import NotAuthenticated
from ..services.portal.modules import MODULES, OPEN_TO_ALL, module_for_path, needs_edit
from ..services.portal.config import get_portal_settings, localized_texts
from ..settings import settings
from .base import run_service


# the portal settings row (branding, modules, links), read again only after a change to it
_SETTINGS = live.Memo(IDENTITY)


def _standing_of(actor: Actor) -> str:
    """What a signed-in page is made for besides the modules: its language and time zone, and whether
    the user manages the company's contacts (a company admin's colleague panel)."""
    return f"{actor.language}|{actor.time_zone}|{actor.is_company_admin}"


def portal_settings() -> dict:
    """The settings row (branding, modules), read again only after a change (`_SETTINGS`)."""
    return _SETTINGS.get(lambda: run_service(lambda session: get_portal_settings(session).model_dump()))


def _modules_of(actor: Actor) -> str:
    """The modules the user may open, for a page that shows several (the home page's summaries)."""
    return "modules:" + ",".join(m.key for m in MODULES if actor.can(m.key))  # never empty: none is a state too


def _rights_of(actor: Actor) -> dict[str, str]:
    """The user's level in each module, and its fields' access as one text (`FIELDS`): an open page
    whose module's level moved (edit lowered to view) or that shows fields (`PAGES_OF_FIELDS`) loads
    again, so that its handlers decide again what it offers."""
    return {**{m.key: str(actor.module(m.key).value) for m in MODULES},
            FIELDS: ",".join(f"{name}={getattr(level, 'value', level)}" for name, level in sorted(actor.fields.items()))}


# pages that show parts of several modules, not one: they load again when the user's modules change
PAGES_OF_SEVERAL_MODULES = frozenset({"/"})
FIELDS = "fields"  # (a key of `_rights_of`: no module has it)
# pages that show profile-controlled fields: they load again when a field's access changes
PAGES_OF_FIELDS = frozenset({"/company", "/me"})
MAX_READY_PATH = 500  # longer than any address of a page


def draft_owner(account_id: int) -> str:
    """The name under which the browser keeps what this account typed and has not sent (a new ticket's
    draft, a comment, a list's last view: assets/ticket_draft.js, comment_draft.js, url_sync.js):
    derived from the server's secret, so it tells nothing about the account and cannot be guessed for
    another. Another person signing in on the same browser, or in the same tab, never gets them."""
    digest = hmac.new(settings.secret.encode(), f"ticket-draft:{account_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


class NavItem(TypedDict):
    label: str
    href: str
    external: bool
    lang: str  # the label's language: the page's, or staff's link title's where not written in it


class LanguageOption(TypedDict):
    code: str
    name: str


class SessionState(rx.State):
    """Shell data for rendering (never a permission) and the language cookie."""

    # the language chosen in this tab, which the shell's `browser_cookie` keeps in the browser's
    # language cookie ('' until a choice); the cookie itself is read from the socket's handshake
    lang_choice: str = ""
    lang_picked: str = ""  # a language chosen while signed out: the next sign-in takes it (LANGUAGE_PICKED_COOKIE)
    lang: str = DEFAULT_LANGUAGE
    languages: list[LanguageOption] = [
        {"code": code, "name": name} for code, name in available_languages().items()
    ]
    signed_in: bool = False
    display_name: str = ""
    draft_owner: str = ""  # `draft_owner` of the account signed in ('' signed out): the shell's marker carries it
    is_staff: bool = False
    nav_items: list[NavItem] = []
    portal_name: str = "Customer Portal"
    logo_url: str = ""
    menu_color: str = DEFAULT_MENU_COLOR
    ready_for: str = ""  # the path whose on_load handlers have all run (tests wait for it)
    # the page's module is switched off or not in the user's profile: the shell shows "This section
    # is not available" instead of the page, at the URL asked for (set by the page's on_load, which
    # then loads nothing of the module; every page's guard clears it)
    unavailable: bool = False
    staff_only: bool = False  # ... and it is the admin panel: the notice says so (no redirect, no history)
    _tab_seen: bool = False  # an event of this tab reached this state (state/expired_tab.py)
    _identity_seen: int = -1  # the counter of who may do what (IDENTITY) when the shell was made
    _hidden_by_rights: bool = False  # `follow_rights` put "not available" in place of the open page
    _standing: str = ""  # the language and the company-admin flag the page was made for (`_standing_of`)
    _time_zone: str = ""  # the zone the user reads times in ('' for the portal's): pass it to format_when
    _modules_seen: str = ""  # the modules the user could open when the page was made (`_modules_of`)
    _rights_seen: dict[str, str] = {}  # the levels and field access the page was made for (`_rights_of`)
    _session_ended: bool = False  # signed in, then found signed out by an event (`session_ended`)

    # --- helpers for subclasses (not events) ---------------------------------------------------

    def _session_hash(self) -> str:
        return hash_from_header(self.router.headers.raw_headers.get(SESSION_HEADER, ""))

    def _actor(self) -> Actor | None:
        """The acting user, from the per-process cache (invalidated by any change to who may do what)."""
        token_hash = self._session_hash()
        if not token_hash:
            return None
        return actors.get(token_hash, load=lambda: run_service(auth.session_actor, token_hash=token_hash))

    def _browser_language(self) -> str:
        """A visitor's language: the one chosen in this tab, else the browser's language cookie as
        the tab's socket presented it (a sign-in sets it to the user's language). Not Reflex's
        rx.Cookie, which costs an event on every page navigation (components/browser_cookie.py)."""
        return self.lang_choice or cookie_from_header(self.router.headers.raw_headers.get("cookie"),
                                                      LANGUAGE_COOKIE)

    def _require_actor(self) -> Actor:
        """The signed-in actor, checked against the database now; raises NotAuthenticated."""
        actor = self._actor()
        if actor is None:
            self._clear_identity()
            raise NotAuthenticated()
        return actor

    def _put(self, **values: object) -> None:
        """Assign only the vars whose value changed: Reflex sends every assigned var in the reply,
        equal or not, and most events change little (a list's filter menus, the shell)."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _t(self, key: str, **params: object) -> str:
        return translate(self.lang, key, **params)

    def _when(self, value: datetime | date | None) -> str:
        """A date or time in a list, in the user's language and time zone."""
        return format_when(value, self.lang, self._time_zone)

    def _moment(self, value: datetime | None) -> str:
        """A moment on a page about one thing, with the whole date, in the user's language and zone."""
        return format_moment(value, self.lang, zone=self._time_zone)

    def _set_language(self, lang: str) -> None:
        lang = normalize_language(lang)
        if lang != self.lang:
            self.lang = lang  # the page's texts follow it (components/i18n.py)

    def _clear_identity(self) -> None:
        if self.signed_in:
            self._session_ended = True
            # a language picked in this tab before that sign-in is not the next person's: the next
            # sign-in's page would write it back over the language that sign-in set in the cookie
            self._put(lang_choice="")
        self.signed_in = False
        self.display_name = ""
        self.draft_owner = ""
        self.is_staff = False
        self.nav_items = []
        self._time_zone = ""

    def _apply_shell(self, actor: Actor | None) -> None:
        """Branding, language and the menu for this actor, from the database."""
        seen = live.versions(IDENTITY)[0]
        if seen != self._identity_seen:
            self._identity_seen = seen
        with_settings = portal_settings()
        self._put(portal_name=with_settings["portal_name"], logo_url=with_settings["logo_url"],
                  menu_color=with_settings["menu_color"])
        if actor is None:
            self._clear_identity()
            self._set_language(self._browser_language() or self.lang)
        else:
            self._session_ended = False
            # a language picked while signed out was the sign-in's to take: not the next person's
            self._put(signed_in=True, display_name=actor.name, is_staff=actor.is_staff, lang_picked="",
                      draft_owner=draft_owner(actor.account_id))
            if self.lang_choice != actor.language:
                # chosen in this tab before this person signed in (the last one's, say): the sign-in set
                # the browser's cookie to this person's language, which their sign-out page reads too
                self._put(lang_choice="")
            self._set_language(actor.language)
            self._time_zone = actor.time_zone
            self._standing = _standing_of(actor)
            self._modules_seen = _modules_of(actor)
            self._rights_seen = _rights_of(actor)
            # the link titles in the user's language (a language without them: the default's)
            links = localized_texts(with_settings, self.lang)["external_links"]
            self._put(nav_items=self._nav(actor, links))

    def _nav(self, actor: Actor, links: list[dict[str, str]]) -> list[NavItem]:
        def own(key: str, href: str) -> NavItem:
            return {"label": self._t(key), "href": href, "external": False, "lang": self.lang}

        items: list[NavItem] = [own("nav.home", "/")]
        for module in MODULES:
            if module.route and actor.can(module.key) and not actor.is_staff:
                items.append(own(f"nav.{module.key}", module.route))
                items += [own(key, route) for key, route in module.more]
        items.append(own("nav.me", "/me"))
        if actor.is_staff:
            items.append(own("nav.admin", "/admin"))
        if actor.can("links"):
            items += [{"label": link["title"], "href": link["url"], "external": True, "lang": link["lang"]}
                      for link in links]
        return items

    def _show_unavailable(self) -> None:
        """This page's module is not the user's to use now: the shell says so in place of the page."""
        self.unavailable = True

    def _page_address(self) -> str:
        """This page's address, its query included (its view and filters)."""
        here, query = self.router.url.path or "/", self.router.url.query
        return f"{here}?{query}" if query else here

    def _reload_here(self) -> rx.event.EventSpec:
        """The page loads again at its address (its on_load handlers run again)."""
        return rx.redirect(self._page_address(), replace=True)

    def _sign_in_address(self, *, ended: bool = False) -> str:
        """The sign-in page, coming back here afterwards (this page's address, its query included);
        `ended`: it says the session of this open page ended (signed out elsewhere, access taken)."""
        return f"/login?next={quote(self._page_address(), safe='')}" + ("&ended=1" if ended else "")

    def _login_redirect(self) -> rx.event.EventSpec:
        """To sign-in and back. It replaces the refused page in the history: pressing back on the
        login page leaves for where the visitor came from, not for the page that sends them here.
        A page whose session ended while open says so there, not just an empty form."""
        ended, self._session_ended = self._session_ended, False
        return rx.redirect(self._sign_in_address(ended=ended), replace=True)

    # --- events ------------------------------------------------------------------------------

    def _enter(self, *, staff: bool, hydrated: bool = True) -> tuple[Actor | None, rx.event.EventSpec | None]:
        """The shell for this page and who may see it: (actor, None), or (None, where to go instead:
        None when the page itself says it is not the user's, as the admin panel's do to customers).
        `guard` and `guard_staff` are this as events; a page whose own on_load handler calls it
        (`page(..., self_guarded=True)`) loads in that one handler instead of three, and marks the
        tab hydrated here, in every outcome, in place of Reflex's trailing event (state/navigation.py)."""
        if hydrated:
            self._get_root_state().is_hydrated = True
        self._put(unavailable=False, staff_only=False, _hidden_by_rights=False)
        actor = self._actor()
        self._apply_shell(actor)
        if actor is None:
            return None, self._login_redirect()
        if staff and not actor.is_staff:  # said in place of the panel's page, at the address asked for:
            self._put(unavailable=True, staff_only=True)  # a bookmark or a shared link explains itself
            if hydrated:  # a self-guarded page's one handler ends here: its page is ready
                self._loaded()
            return None, None
        return actor, None

    def _loaded(self) -> None:
        """What `page_loaded` does, for a self-guarded page's handler (tests wait for it). A path
        no page has (a 100,000-character "ticket number") is not echoed back."""
        path = self.router.url.path
        self._put(ready_for=path if len(path) <= MAX_READY_PATH else "")

    @rx.event
    def guard(self):
        """on_load of pages that need a login: redirect to /login and back."""
        return self._enter(staff=False, hydrated=False)[1]

    @rx.event
    def guard_staff(self):
        """on_load of admin pages: staff only; anyone else sees nothing of the panel."""
        return self._enter(staff=True, hydrated=False)[1]

    @rx.event
    def load_public(self):
        """on_load of pages for visitors: branding and the remembered language."""
        if self.unavailable:
            self.unavailable = False
        self._apply_shell(self._actor())

    @rx.event
    def follow_rights(self):
        """The shell's timer on signed-in pages (`components/shell.py`): after a change to who may do
        what (a module switched off or on, a profile edited, the account disabled) the menu follows,
        and the open page of a module the user may no longer use says so in its place, before the
        user's next click would be refused. While nothing changed, one counter is read, no row."""
        if not self.signed_in or live.versions(IDENTITY)[0] == self._identity_seen:
            return None
        actor = self._actor()
        before, modules_before, rights_before = self._standing, self._modules_seen, self._rights_seen
        self._apply_shell(actor)
        if actor is None:
            return self._login_redirect()
        if before and self._standing != before:
            # the language chosen in another tab, or the company-admin flag given or taken: what the
            # page's handlers made (dates and labels in the old language, a colleague panel) is stale
            return self._reload_here()
        path = self.router.url.path.rstrip("/") or "/"
        if modules_before and self._modules_seen != modules_before and path in PAGES_OF_SEVERAL_MODULES:
            return self._reload_here()  # the home page's summaries of a module switched off or on
        if actor.is_staff:
            return None
        if rights_before and rights_before.get(FIELDS) != self._rights_seen.get(FIELDS) and path in PAGES_OF_FIELDS:
            return self._reload_here()  # a field hidden or made read-only: the form is made again
        module = module_for_path(self.router.url.path)
        if module is None:
            return None
        if module in OPEN_TO_ALL:  # anyone's (public articles), whatever the profile: only staff's switch counts
            available = module in portal_settings()["enabled_modules"]
        else:  # a form of the module ("New ticket") needs the right to edit: lowered to view, it goes too
            available = actor.can(module, ModuleAccess.EDIT if needs_edit(path) else ModuleAccess.VIEW)
        if not available:
            self._show_unavailable()
            self._hidden_by_rights = True
        elif self._hidden_by_rights:  # switched on again: the page loads (its handlers decide again)
            self._hidden_by_rights = False
            return self._reload_here()
        elif rights_before and rights_before.get(module) != self._rights_seen.get(module):
            # still open to the user at another level (edit lowered to view: no comment form, no Save;
            # or an article for customers no longer theirs): the page's handlers decide again
            return self._reload_here()
        return None

    @rx.event
    def session_ended(self):
        """The shell's spinner in place of a signed-in page whose session an event found gone (the
        account disabled, signed out on another device, expired), where that event, such as a
        list's timer, only stopped: to sign-in and back, as `follow_rights` would."""
        if self.signed_in or not self._session_ended:
            return None
        return self._login_redirect()

    @rx.event
    def page_loaded(self):
        """The last on_load handler of every page: the page's own handlers have run."""
        self._loaded()

    @rx.event
    def choose_language(self, code: str):
        if not isinstance(code, str) or code not in available_languages():
            return
        self._set_language(code)
        self.lang_choice = code
        actor = self._actor()
        if actor is None:
            self.lang_picked = code
        else:
            run_service(auth.set_language, actor=actor, language=code)
            # the actor was read before the change: the shell (menu, link titles) in the new language
            self._apply_shell(replace(actor, language=code))
        # what the page's handlers formatted (dates, statuses, labels of a list or a ticket) is in the
        # old language: the page loads again at its address (its view and filters kept)
        return self._reload_here()
