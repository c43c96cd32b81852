"""`services.edits`: a form's edit merged into the record as it is now, by what the form showed."""

from __future__ import annotations

import pytest

from portal_app.models import ArticleVisibility
from portal_app.services.edits import EditClash, edited, edited_part, texts_of

NOW = {"name": "Acme Oy", "city": "Oulu", "phone": ""}  # someone changed the city from Tampere


def test_a_field_sent_as_shown_keeps_what_someone_else_saved_meanwhile():
    seen = {"name": "Acme Oy", "city": "Tampere", "phone": ""}
    assert edited(current=NOW, sent={**seen, "phone": "+358 9 1"}, seen=seen) == {"phone": "+358 9 1"}
    assert edited(current=NOW, sent=seen, seen=seen) == {}


def test_the_same_field_changed_meanwhile_is_refused_with_its_value_now():
    seen = {"name": "Acme Oy", "city": "Tampere", "phone": ""}
    with pytest.raises(EditClash) as info:
        edited(current=NOW, sent={**seen, "city": "Turku", "phone": "+358 9 1"}, seen=seen)
    assert info.value.current == {"city": "Oulu"}
    assert info.value.fields == {"city": ("error.changed_meanwhile_to", {"value": "Oulu"})}
    emptied = {**NOW, "city": ""}
    with pytest.raises(EditClash) as info:
        edited(current=emptied, sent={**seen, "city": "Turku"}, seen=seen)
    assert info.value.fields == {"city": ("error.emptied_meanwhile", {})}
    # told the value now (the form's state adds it to what it showed), the person's own is saved
    assert edited(current=NOW, sent={**seen, "city": "Turku"}, seen={**seen, "city": "Oulu"}) == {"city": "Turku"}


def test_both_making_the_same_change_is_no_clash():
    seen = {"name": "Acme Oy", "city": "Tampere", "phone": ""}
    assert edited(current=NOW, sent={**seen, "city": "Oulu"}, seen=seen) == {}


def test_without_what_the_form_showed_every_difference_from_now_is_a_change():
    assert edited(current=NOW, sent={"city": "Tampere", "phone": ""}, seen=None) == {"city": "Tampere"}
    assert edited(current=NOW, sent={"city": "Tampere"}, seen="not a mapping") == {"city": "Tampere"}
    # a field the form did not show is compared with now
    assert edited(current=NOW, sent={"city": "Oulu", "phone": "1"}, seen={"city": "Tampere"}) == {"phone": "1"}


def test_texts_of_flags_choices_and_nothing():
    assert texts_of({"published": True, "draft": False, "visibility": ArticleVisibility.PUBLIC, "language": None,
                     "count": 3}) == {"published": "1", "draft": "", "visibility": "public", "language": "",
                                      "count": "3"}


def test_edited_part_leaves_out_what_was_sent_as_shown():
    seen = {"title": "Training", "title_fi": "Koulutus", "title_de": "", "public_page": "1", "company_ids": "1,2"}
    sent = {"title": "Training", "title_fi": "Koulutus", "title_de": "Schulung", "public_page": True,
            "company_ids": ["2", "1"]}
    # the Finnish title goes with the German one (the texts in other languages are read as one)
    assert edited_part(current=seen, sent=sent, seen=seen, together=("title_fi", "title_de"),
                       unsaid=("public_page", "company_ids")) == {"title_fi": "Koulutus", "title_de": "Schulung"}
    unticked = {**sent, "title_de": "", "public_page": False, "company_ids": ["1"]}
    assert edited_part(current=seen, sent=unticked, seen=seen, together=("title_fi", "title_de"),
                       unsaid=("public_page", "company_ids")) == {"public_page": False, "company_ids": ["1"]}


def test_edited_part_hands_crafted_values_to_the_service_and_says_a_ticks_clash_without_its_value():
    seen = {"title": "Training", "capacity": "10", "public_page": ""}
    crafted = {"title": ["Training"], "capacity": 10, "public_page": True}
    assert edited_part(current=seen, sent=crafted, seen=seen, unsaid=("public_page",)) == crafted
    with pytest.raises(EditClash) as info:
        edited_part(current={**seen, "public_page": "1"}, sent={"public_page": False},
                    seen={"public_page": "x"}, unsaid=("public_page",))
    assert info.value.fields == {"public_page": ("error.changed_meanwhile_field", {})}
