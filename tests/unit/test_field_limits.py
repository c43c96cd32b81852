"""The maxlength of every text field (`components/limits.py`) is what the receiving service accepts:
a value of exactly that many characters gets no length error, one character more is refused (or, for
the ticket search, cut there). A browser then never lets anyone type or paste more than the service
takes, and no honest form comes near the event socket's 1 MB message limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from portal_app.components.limits import MAX_LENGTH, max_length
from portal_app.services.accounts import auth, passwords
from portal_app.services.companies import directory
from portal_app.services.portal import config, profiles
from portal_app.services.knowledge import articles
from portal_app.services.reports import reports
from portal_app.services.tickets import ticket_list
from portal_app.services.tickets import core as tickets
from portal_app.services.errors import ValidationFailed

STAFF = "staff@example.com"
USER = "user@acme.example.com"
ADMIN = "admin@acme.example.com"


def length_error(call: Callable[[], Any], field: str) -> str | None:
    """The error key the call gives `field` ("" when it gives that field none)."""
    try:
        call()
    except ValidationFailed as exc:
        return exc.fields.get(field, ("",))[0]
    return ""


TOO_LONG = {"error.too_long", "error.password_too_long"}


def check_limit(make_call: Callable[[str], Callable[[], Any]], field: str, limit: int, *, fill: str = "x",
                prefix: str = "", value: Callable[[int], str] | None = None, refused: set[str] = TOO_LONG) -> None:
    """`limit` characters get no length error, one more is refused (`value(n)`: a valid value of n characters)."""
    value = value or (lambda n: prefix + fill * (n - len(prefix)))
    assert length_error(make_call(value(limit)), field) not in TOO_LONG | refused, f"{field}: {limit} refused"
    assert length_error(make_call(value(limit + 1)), field) in refused, f"{field}: {limit + 1} characters taken"


def email_of(length: int) -> str:
    """A well-formed address of `length` characters (labels of at most 63, a local part of at most 64)."""
    local, domain = "a" * 64, "example.com"
    while len(local) + 1 + len(domain) < length:
        domain = "b" * min(63, length - len(local) - 1 - len(domain) - 1) + "." + domain
    return f"{local}@{domain}"


def test_every_form_has_limits():
    assert set(MAX_LENGTH) == {"account", "company", "contact", "profile", "settings", "ticket", "search",
                               "event_public", "event", "invoice", "catalog", "product", "price_book",
                               "quote_answer", "opportunity", "article", "newsletter", "report", "document",
                               "category"}
    assert all(isinstance(n, int) and n > 0 for fields in MAX_LENGTH.values() for n in fields.values())
    assert max(n for fields in MAX_LENGTH.values() for n in fields.values()) <= 20000
    with pytest.raises(KeyError):
        max_length("ticket", "unknown")


@pytest.mark.parametrize(("form", "name"), [(form, name) for form in ("company", "contact")
                                            for name in sorted(MAX_LENGTH[form])])
def test_company_and_contact_fields(tickets_demo, form, name):
    demo = tickets_demo
    if form == "company":
        acme = demo.company("Acme Oy").id
        save = lambda data: directory.update_company(session=demo.session, actor=demo.actor(STAFF),  # noqa: E731
                                                     company_id=acme, data=data)
    else:
        pekka = demo.contact("pekka.nieminen@acme.example.com").id
        save = lambda data: directory.update_contact(session=demo.session, actor=demo.actor(STAFF),  # noqa: E731
                                                     contact_id=pekka, data=data)

    def make(value: str) -> Callable[[], Any]:
        return lambda: save({name: value})

    if name == "email":  # an address past 254 characters is no address: refused as one
        check_limit(make, name, max_length(form, name), value=email_of, refused=TOO_LONG | {"error.email"})
    else:
        check_limit(make, name, max_length(form, name), prefix="https://example.com/" if name == "website" else "")
    demo.session.rollback()


def test_profile_name(tickets_demo):
    demo = tickets_demo

    def make(value: str) -> Callable[[], Any]:
        return lambda: profiles.save_profile(session=demo.session, actor=demo.actor(STAFF), data={"name": value})

    check_limit(make, "name", max_length("profile", "name"))


@pytest.mark.parametrize("name", ["portal_name", "logo_url", "menu_color", "welcome_message", "home_content"])
def test_settings_text(tickets_demo, name):
    demo = tickets_demo

    def make(value: str) -> Callable[[], Any]:
        return lambda: config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF),
                                                            data={name: value})

    check_limit(make, name, max_length("settings", name), prefix="https://a.example/" if name == "logo_url" else "")
    demo.session.rollback()


def test_settings_links_and_numbers():
    def link(title: str = "Status", url: str = "https://a.example/") -> Callable[[str], Callable[[], Any]]:
        return lambda value: lambda: config.parse_links([{"title": title or value, "url": url or value}])

    check_limit(link(title=""), "link_title_0", max_length("settings", "link_title"))
    check_limit(link(url=""), "link_url_0", max_length("settings", "link_url"), prefix="https://a.example/")


def test_settings_numbers(tickets_demo):
    """Whole numbers: past the limit's digits the value is no number the service takes at all."""
    demo = tickets_demo
    for name in ("lockout_threshold", "lockout_minutes"):
        digits = max_length("settings", name)
        for value, key in (("9" * digits, "error.range"), ("9" * (digits + 1), "error.range")):
            assert length_error(lambda: config.update_portal_settings(
                session=demo.session, actor=demo.actor(STAFF), data={name: value}), name) == key


def test_passwords():
    """The one exception: the inputs take more than bcrypt's 72 bytes, so a longer password reaches the
    service and is refused with a message instead of being cut by the browser and saved shorter."""
    limit = max_length("account", "password")
    assert limit == max_length("account", "confirm") == max_length("account", "current") > passwords.MAX_BYTES
    make = lambda value: lambda: passwords.check_new_password(value, value)  # noqa: E731
    check_limit(make, "password", passwords.MAX_BYTES, prefix="Quokka-7-")
    assert length_error(make("Quokka-7-" + "x" * (limit - 9)), "password") == "error.password_too_long"


def test_ticket_fields(tickets_demo):
    demo = tickets_demo

    def create(field: str) -> Callable[[str], Callable[[], Any]]:
        def make(value: str) -> Callable[[], Any]:
            data = {"title": "A title", "description": "A description", "category": "support", "priority": "normal"}
            return lambda: tickets.create_ticket(session=demo.session, actor=demo.actor(USER),
                                                 data={**data, field: value})
        return make

    check_limit(create("title"), "title", max_length("ticket", "title"))
    check_limit(create("description"), "description", max_length("ticket", "description"))
    number = demo.make_ticket(USER).number
    check_limit(lambda value: lambda: tickets.add_comment(session=demo.session, actor=demo.actor(USER),
                                                          number=number, body=value),
                "comment", max_length("ticket", "comment"))


def test_search_boxes(tickets_demo):
    demo = tickets_demo
    limit = max_length("search", "tickets")
    assert ticket_list.parse_filters({"q": "x" * (limit + 50)}).q == "x" * limit  # the ticket search cuts
    people = max_length("search", "people")
    check_limit(lambda value: lambda: directory.list_companies(session=demo.session, actor=demo.actor(STAFF),
                                                               query=value), "q", people)
    check_limit(lambda value: lambda: directory.list_contacts(session=demo.session, actor=demo.actor(ADMIN),
                                                              query=value), "q", people)
    check_limit(lambda value: lambda: auth.login_statistics(session=demo.session, actor=demo.actor(STAFF),
                                                            query=value), "q", people)


@pytest.mark.parametrize("name", ["first_name", "last_name", "email", "company", "phone"])
def test_public_event_registration_fields(demo, name):
    from portal_app.services.events import core as events

    base = {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.org", "consent": "on"}

    def make(value: str) -> Callable[[], Any]:
        return lambda: events.register_public(session=demo.session, slug="portal-training", data={**base, name: value},
                                              client_address="203.0.113.7")

    if name == "email":
        check_limit(make, name, max_length("event_public", name), value=email_of, refused=TOO_LONG | {"error.email"})
    else:
        check_limit(make, name, max_length("event_public", name))


@pytest.mark.parametrize("name", ["title", "location", "online_url", "price_text", "time_zone"])
def test_event_form_fields(demo, name):
    from portal_app.services.events import admin as event_admin

    def make(value: str) -> Callable[[], Any]:
        return lambda: event_admin.update_event(session=demo.session, actor=demo.actor(STAFF),
                                                slug="portal-training", data={name: value})

    refused = TOO_LONG | {"error.url", "error.invalid"}
    if name == "online_url":
        check_limit(make, name, max_length("event", name), prefix="https://example.com/", refused=refused)
    elif name == "time_zone":  # no zone name is that long: refused either way
        assert length_error(make("x" * (max_length("event", name) + 1)), name) in refused
    else:
        check_limit(make, name, max_length("event", name))
    demo.session.rollback()


@pytest.mark.parametrize("name", ["name", "address", "business_id", "bank"])
def test_settings_seller_fields(tickets_demo, name):
    demo = tickets_demo

    def make(value: str) -> Callable[[], Any]:
        return lambda: config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF),
                                                            data={"seller": {name: value}})

    check_limit(make, f"seller_{name}", max_length("settings", f"seller_{name}"))
    demo.session.rollback()


@pytest.mark.parametrize("name", ["description", "product_code", "unit", "notes", "note"])
def test_invoice_text_fields(demo, name):
    """Staff's draft (its notes and each line's texts) and a bank payment's note."""
    from portal_app.services.invoices import admin as invoice_admin

    acme = demo.company("Acme Oy").id
    line = {"description": "Work", "quantity": "1", "unit_price": "10", "vat_rate": "24"}

    def make(value: str) -> Callable[[], Any]:
        if name == "note":
            return lambda: invoice_admin.record_bank_payment(session=demo.session, actor=demo.actor(STAFF),
                                                             number=1002, amount="1", note=value)
        data = {"notes": value, "lines": [line]} if name == "notes" else {"lines": [{**line, name: value}]}
        return lambda: invoice_admin.create_draft(session=demo.session, actor=demo.actor(STAFF), company_id=acme,
                                                  data=data)

    check_limit(make, name if name in ("notes", "note") else f"lines.0.{name}", max_length("invoice", name))
    demo.session.rollback()


@pytest.mark.parametrize("name", ["message", "reason"])
def test_catalog_text_fields(demo, name):
    """The cart's message (a quote request) and a quote's decline reason."""
    from sqlmodel import select

    from portal_app.models import QuoteRequest
    from portal_app.services.catalog import quotes

    acme = demo.company("Acme Oy").id
    number = demo.session.exec(select(QuoteRequest.number).where(QuoteRequest.company_id == acme,
                                                                 QuoteRequest.status == "quoted")).first()

    def make(value: str) -> Callable[[], Any]:
        if name == "reason":
            assert number is not None, "the demo data has a quoted quote of Acme's"
            return lambda: quotes.decline_quote(session=demo.session, actor=demo.actor(ADMIN), number=number,
                                                reason=value)
        return lambda: quotes.request_quote(session=demo.session, actor=demo.actor(ADMIN), message=value)

    check_limit(make, name, max_length("catalog", name))
    demo.session.rollback()


@pytest.mark.parametrize("name", sorted(MAX_LENGTH["article"]))
def test_article_fields(demo, name):
    base = {"title": "Printer jams", "category": "Printing", "body": "Open the tray."}
    check_limit(lambda value: lambda: articles.save_article(session=demo.session, actor=demo.actor(STAFF),
                                                           data={**base, name: value}),
                name, max_length("article", name))


@pytest.mark.parametrize("name", sorted(MAX_LENGTH["report"]))
def test_report_fields(demo, name):
    base = {"title": "Tickets", "description": "", "kind": "tickets_by_status", "months": "12"}
    months = name == "months"  # two digits: 12 is a window, 111 is refused as one
    check_limit(lambda value: lambda: reports.save_report(session=demo.session, actor=demo.actor(STAFF),
                                                         data={**base, name: value}),
                name, max_length("report", name), fill="1" if months else "x",
                refused={"error.report_months"} if months else TOO_LONG)


def test_article_search(demo):
    check_limit(lambda value: lambda: articles.list_articles(session=demo.session, actor=None, lang="en", search=value),
                "search", max_length("search", "articles"))


@pytest.mark.parametrize("name", sorted(MAX_LENGTH["document"]))
def test_shared_document_fields(demo, name):
    from portal_app.services.documents import shared_files

    made = shared_files.list_documents(session=demo.session, actor=demo.actor(STAFF)).rows[0]
    base = {"title": "Contract", "category": "contract", "description": ""}
    check_limit(lambda value: lambda: shared_files.update_document(session=demo.session, actor=demo.actor(STAFF),
                                                                   document_id=made.id, data={**base, name: value}),
                name, max_length("document", name))
