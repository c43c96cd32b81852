"""Control characters in form text (security finding 5 of issue 8): a ticket title with a line break
was accepted, and every mail about that ticket then failed on its Subject header.

- single-line fields (titles, names, emails, phones, company fields, profile and portal names, link
  titles and URLs, searches) fold line breaks, tabs and other whitespace runs into one space, and
  refuse other control characters (`error.control_chars`); an email or URL that a fold leaves with a
  space inside is refused as not valid;
- multi-line fields (ticket description, comments, welcome message, home page text) keep line
  breaks and tabs and refuse other control characters;
- whatever the database already holds, `mailer.build_message` folds the subject, so no header can be
  injected and no mail fails on it.
"""

from __future__ import annotations

import email

import pytest

from portal_app.models import COMPANY_FIELDS, CONTACT_FIELDS, Ticket
from portal_app.services.companies import directory
from portal_app.services.mail import mailer
from portal_app.services.portal import config, profiles
from portal_app.services.tickets import core as tickets
from portal_app.services.errors import ValidationFailed
from portal_app.services.tickets.ticket_list import parse_filters
from portal_app.services.validation import clean_line, clean_text, fold_line
from portal_app.settings import settings

from demo_people import ADMIN, STAFF, USER

INJECTION = "Printer jams\r\nBcc: victim@evil.example"
FOLDED = "Printer jams Bcc: victim@evil.example"


# --- the helpers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,folded", [
    ("a\r\nb", "a b"), ("a\nb", "a b"), ("a\rb", "a b"), ("a\tb", "a b"), ("a \t\r\n  b", "a b"),
    ("a\u2028b\u2029c", "a b c"), ("a\x0bb\x0cc", "a b c"), ("a\x85b", "a b"), ("a\x1cb\x1fc", "a b c"),
    ("Acme\u00a0Oy", "Acme Oy"), ("\r\n  Acme  \t", "Acme"), ("soft\u00adhy\u200bphen\ufeff", "softhyphen"),
    ("👨\u200d👩\u200d👧 family", "👨\u200d👩\u200d👧 family"), ("می\u200cخواهم", "می\u200cخواهم"),
    ("Käyttäjä – ™ €", "Käyttäjä – ™ €"),
])
def test_single_line_text_is_folded_onto_one_line(raw, folded):
    assert clean_line(raw, field="f") == folded
    assert fold_line(raw) == folded


@pytest.mark.parametrize("raw", ["a\x00b", "a\x1b[31mred", "a\x07", "a\x7fb", "a\x9bb", "abc\u202egpj.exe",
                                 "a\u2066b\u2069", "a\ud800b", "a\U000f0000b"])
def test_other_control_characters_are_refused(raw):
    for clean in (clean_line, clean_text):
        with pytest.raises(ValidationFailed) as exc:
            clean(raw, field="f")
        assert exc.value.fields == {"f": ("error.control_chars", {})}
    assert fold_line(raw) == "".join(ch for ch in raw if ch.isprintable())  # searches and headers: dropped


def test_multi_line_text_keeps_line_breaks_and_tabs():
    text = "Steps:\r\n\t1. print\n\t2. jam\n\nThanks"
    assert clean_text(text, field="f") == text
    assert clean_text("\n  x  \n", field="f") == "x"
    with pytest.raises(ValidationFailed):
        clean_text("a\x0bb", field="f")  # a vertical tab is no line break here


def test_the_length_limit_applies_to_the_folded_text():
    assert clean_line("a" + " \r\n" * 50 + "b", field="f", max_chars=3) == "a b"
    with pytest.raises(ValidationFailed) as exc:
        clean_line("a" * 4, field="f", max_chars=3)
    assert exc.value.fields == {"f": ("error.too_long", {"max": 3})}


def test_a_subject_with_a_line_break_makes_a_mail_with_one_subject():
    message = mailer.build_message(to="a@example.com\r\n", subject=INJECTION, body="Line one\nLine two\n")
    parsed = email.message_from_bytes(bytes(message))
    assert parsed["Subject"] == FOLDED and parsed["To"] == "a@example.com"
    assert parsed["Bcc"] is None and "Line one\nLine two" in parsed.get_payload()


# --- tickets -----------------------------------------------------------------------------------------

def test_a_title_with_a_line_break_is_folded_and_its_mail_is_sent(tickets_demo):
    demo = tickets_demo
    ticket, mails = tickets.create_ticket(
        session=demo.session, actor=demo.actor(USER),
        data={"title": INJECTION, "description": "Page two jams.\nEvery time.", "category": "support"})
    assert demo.ticket_row(ticket.number).title == FOLDED
    assert demo.ticket_row(ticket.number).description == "Page two jams.\nEvery time."
    before = set(settings.outbox_dir.glob("*.eml")) if settings.outbox_dir.exists() else set()
    for mail in mails:
        mailer.send_mail(**mail)  # raised "Header values may not contain linefeed..." before
    written = set(settings.outbox_dir.glob("*.eml")) - before
    assert len(written) == len(mails) == 1
    parsed = email.message_from_bytes(written.pop().read_bytes())
    assert FOLDED in parsed["Subject"] and parsed["Bcc"] is None


def test_a_stored_title_with_a_line_break_still_gets_its_mail_out(tickets_demo):
    """Tickets saved before titles were folded: the mailer folds the subject itself."""
    demo = tickets_demo
    ticket = demo.make_ticket(USER)
    row = demo.session.get(Ticket, ticket.id)
    row.title = INJECTION
    demo.session.add(row)
    demo.session.commit()
    _ticket, mails = tickets.add_comment(session=demo.session, actor=demo.actor(STAFF), number=ticket.number,
                                         body="We are on it.")
    assert mails and all("\r\n" in m["subject"] for m in mails)
    for mail in mails:
        parsed = email.message_from_bytes(bytes(mailer.build_message(**mail)))
        assert FOLDED in parsed["Subject"] and parsed["Bcc"] is None


@pytest.mark.parametrize("field,value", [("title", "Jam\x1b[2J"), ("description", "Jam\x00"),
                                         ("description", "Jam\u202e")])
def test_ticket_fields_refuse_control_characters(tickets_demo, field, value):
    demo = tickets_demo
    data = {"title": "Printer", "description": "Jams", "category": "support", field: value}
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        tickets.create_ticket(session=demo.session, actor=demo.actor(USER), data=data)
    assert exc.value.fields == {field: ("error.control_chars", {})}
    assert demo.committed_state() == before


def test_comments_keep_line_breaks_and_refuse_other_control_characters(tickets_demo):
    demo = tickets_demo
    number = demo.make_ticket(USER).number
    tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=number, body="One\r\n\tTwo")
    detail = tickets.get_ticket(session=demo.session, actor=demo.actor(USER), number=number)
    assert [c.body for c in detail.comments] == ["One\r\n\tTwo"]
    with pytest.raises(ValidationFailed) as exc:
        tickets.add_comment(session=demo.session, actor=demo.actor(USER), number=number, body="Bell\x07")
    assert exc.value.fields == {"comment": ("error.control_chars", {})}


def test_ticket_searches_are_folded():
    assert parse_filters({"q": "printer\r\n\tjams\x00"}).q == "printer jams"


# --- companies and contacts: every single-line field ----------------------------------------------

# A value with a line break in each field, and what the field keeps: folded, or refused (an email or
# web address with a space inside is not one).
CONTACT_VALUES = {"first_name": "Ann\r\nMarie", "last_name": "Smith\tJones", "email": "ann.smith@acme.example.com\r\n",
                  "phone": "+358 40\n123 4567", "mobile": "+358\r\n50 765 4321", "job_title": "Head of\nIT",
                  "department": "Support\u2028Desk"}
CONTACT_STORED = {"first_name": "Ann Marie", "last_name": "Smith Jones", "email": "ann.smith@acme.example.com",
                  "phone": "+358 40 123 4567", "mobile": "+358 50 765 4321", "job_title": "Head of IT",
                  "department": "Support Desk"}
COMPANY_VALUES = {"name": "Acme\r\nBcc: x@evil.example", "business_id": "1234567-1\n", "street_address": "Main St\t1",
                  "postal_code": "00100\r\n", "city": "Hel\nsinki", "country": "Fin\r\nland", "phone": "+358\n9 123",
                  "website": "\r\nhttps://acme.example.com\r\n"}
COMPANY_STORED = {"name": "Acme Bcc: x@evil.example", "business_id": "1234567-1", "street_address": "Main St 1",
                  "postal_code": "00100", "city": "Hel sinki", "country": "Fin land", "phone": "+358 9 123",
                  "website": "https://acme.example.com"}


def test_the_tables_name_every_field():
    assert set(CONTACT_VALUES) == set(CONTACT_STORED) == set(CONTACT_FIELDS)
    assert set(COMPANY_VALUES) == set(COMPANY_STORED) == set(COMPANY_FIELDS)


@pytest.mark.parametrize("name", CONTACT_FIELDS)
def test_contact_fields_fold_line_breaks(demo, name):
    contact = demo.contact("pekka.nieminen@acme.example.com")
    saved = directory.update_contact(session=demo.session, actor=demo.actor(STAFF), contact_id=contact.id,
                                     data={name: CONTACT_VALUES[name]})
    assert getattr(saved, name) == CONTACT_STORED[name]


@pytest.mark.parametrize("name", CONTACT_FIELDS)
@pytest.mark.parametrize("how", ["staff-edit", "admin-create", "own-details"])
def test_contact_fields_refuse_control_characters(demo, name, how, field_access):
    demo.use_profile(USER, demo.make_profile("All fields", fields=field_access()))
    value = "Ann\x1b]8;;https://evil.example\x07" if name != "email" else "ann@acme.example.com\x00"
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        if how == "staff-edit":
            directory.update_contact(session=demo.session, actor=demo.actor(STAFF),
                                     contact_id=demo.contact("pekka.nieminen@acme.example.com").id,
                                     data={name: value})
        elif how == "admin-create":
            directory.create_contact(session=demo.session, actor=demo.actor(ADMIN),
                                     data={"first_name": "New", "last_name": "Person", name: value})
        else:
            directory.update_own_contact(session=demo.session, actor=demo.actor(USER), data={name: value})
    assert exc.value.fields == {name: ("error.control_chars", {})}
    assert demo.committed_state() == before


def test_an_email_broken_by_a_line_break_is_refused(demo):
    contact = demo.contact("pekka.nieminen@acme.example.com")
    with pytest.raises(ValidationFailed) as exc:
        directory.update_contact(session=demo.session, actor=demo.actor(STAFF), contact_id=contact.id,
                                 data={"email": "pekka\r\n@acme.example.com"})
    assert exc.value.fields == {"email": ("error.email", {})}


@pytest.mark.parametrize("name", COMPANY_FIELDS)
def test_company_fields_fold_line_breaks(demo, name):
    saved = directory.update_company(session=demo.session, actor=demo.actor(STAFF),
                                     company_id=demo.company("Acme Oy").id, data={name: COMPANY_VALUES[name]})
    assert getattr(saved, name) == COMPANY_STORED[name]


@pytest.mark.parametrize("name", COMPANY_FIELDS)
@pytest.mark.parametrize("how", ["staff-edit", "staff-create", "own-company"])
def test_company_fields_refuse_control_characters(demo, name, how):
    value = "Acme\x08\x08\x08Evil" if name != "website" else "https://acme.example.com/\x1b"
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        if how == "staff-edit":
            directory.update_company(session=demo.session, actor=demo.actor(STAFF),
                                     company_id=demo.company("Acme Oy").id, data={name: value})
        elif how == "staff-create":
            directory.create_company(session=demo.session, actor=demo.actor(STAFF),
                                     data={"name": "New Co", name: value})
        else:
            directory.update_own_company(session=demo.session, actor=demo.actor(ADMIN), data={name: value})
    assert exc.value.fields == {name: ("error.control_chars", {})}
    assert demo.committed_state() == before


def test_a_website_broken_by_a_line_break_is_refused(demo):
    with pytest.raises(ValidationFailed) as exc:
        directory.update_company(session=demo.session, actor=demo.actor(STAFF), company_id=demo.company("Acme Oy").id,
                                 data={"website": "https://acme.example.com/a\r\nb"})
    assert exc.value.fields == {"website": ("error.url", {})}


def test_directory_searches_fold_line_breaks(demo):
    staff = demo.actor(STAFF)
    companies, total = directory.list_companies(session=demo.session, actor=staff, query="\r\nacme\t")
    assert total == 1 and companies[0].name == "Acme Oy"
    rows = directory.list_contacts(session=demo.session, actor=staff, company_id=demo.company("Acme Oy").id,
                                   query="Pekka\r\nNieminen")
    assert [r.last_name for r in rows] == ["Nieminen"]
    with pytest.raises(ValidationFailed):
        directory.list_companies(session=demo.session, actor=staff, query="acme\x1b")


# --- profiles and portal settings -------------------------------------------------------------------

def test_profile_names_fold_line_breaks_and_refuse_control_characters(demo):
    staff = demo.actor(STAFF)
    profile = profiles.save_profile(session=demo.session, actor=staff, data={"name": "Field\r\nservice"})
    assert profile.name == "Field service"
    with pytest.raises(ValidationFailed) as exc:
        profiles.save_profile(session=demo.session, actor=staff, data={"name": "Evil\u202eecivres"})
    assert exc.value.fields == {"name": ("error.control_chars", {})}


def test_portal_settings_fold_single_lines_and_keep_multi_line_texts(demo):
    row = config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF), data={
        "portal_name": "Acme\r\nPortal", "welcome_message": "Hello,\r\nwelcome!", "home_content": "# News\n\n\tItem",
        "external_links": [{"title": "Status\npage", "url": "\r\nhttps://status.example.com\n"}],
    })
    assert row.portal_name == "Acme Portal"
    assert row.welcome_message == "Hello,\r\nwelcome!" and row.home_content == "# News\n\n\tItem"
    assert row.external_links == [{"title": "Status page", "url": "https://status.example.com"}]


@pytest.mark.parametrize("data,field,key", [
    ({"portal_name": "Acme\x00"}, "portal_name", "error.control_chars"),
    ({"welcome_message": "Hi\x1b[5m"}, "welcome_message", "error.control_chars"),
    ({"home_content": "Hi\u202e"}, "home_content", "error.control_chars"),
    ({"logo_url": "/logo\r\n.png"}, "logo_url", "error.url"),
    ({"external_links": [{"title": "Evil\x07", "url": "https://a.example"}]}, "link_title_0", "error.control_chars"),
    ({"external_links": [{"title": "Split", "url": "https://a.example/x\r\ny"}]}, "link_url_0", "error.url"),
])
def test_portal_settings_refuse_control_characters(demo, data, field, key):
    before = demo.committed_state()
    with pytest.raises(ValidationFailed) as exc:
        config.update_portal_settings(session=demo.session, actor=demo.actor(STAFF), data=data)
    assert exc.value.fields == {field: (key, {})}
    assert demo.committed_state() == before


def test_a_contact_form_says_every_fields_problem_at_once(demo):
    admin = demo.actor(ADMIN)
    bad = {"first_name": "", "last_name": "Virta", "email": "not-an-address", "phone": "call me"}
    with pytest.raises(ValidationFailed) as new:
        directory.create_contact(session=demo.session, actor=admin, data=bad)
    assert set(new.value.fields) == {"first_name", "email", "phone"}
    colleague = directory.create_contact(session=demo.session, actor=admin,
                                         data={"first_name": "Olli", "last_name": "Virta"})
    with pytest.raises(ValidationFailed) as edit:
        directory.update_contact(session=demo.session, actor=admin, contact_id=colleague.id, data=bad)
    assert set(edit.value.fields) == {"first_name", "email", "phone"}
    demo.session.refresh(colleague)
    assert (colleague.first_name, colleague.email, colleague.phone) == ("Olli", "", "")
