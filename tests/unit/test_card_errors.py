"""A declined card told in the customer's language (services/invoices/card_errors.py): Stripe's codes
to the catalogue's texts, the decline code before the error code, a lost or stolen card told as a
plain decline, and Stripe's English message only to an English reader for a code not listed."""

from __future__ import annotations

import pytest

from portal_app.i18n import available_languages, translate
from portal_app.services.invoices.card_errors import REASON_OF_CODE, card_error_text, failure_code


def test_the_decline_code_tells_more_than_the_error_code():
    assert failure_code({"code": "card_declined", "decline_code": "insufficient_funds"}) == "insufficient_funds"
    assert failure_code({"code": "card_declined", "decline_code": ""}) == "card_declined"
    assert failure_code({"code": "  expired_card "}) == "expired_card"
    for nothing in (None, "card_declined", [], {}, {"code": 402}, {"decline_code": None, "code": " "}):
        assert failure_code(nothing) == ""
    assert len(failure_code({"code": "x" * 1000})) == 60


@pytest.mark.parametrize("lang", available_languages())
def test_every_reason_has_its_own_text_in_every_language(lang):
    texts = {reason: translate(lang, f"invoices.card_error.{reason}") for reason in {*REASON_OF_CODE.values(), "failed"}}
    for reason, text in texts.items():
        assert text and not text.startswith("invoices."), (lang, reason)
    assert len(set(texts.values())) == len(texts)  # no two reasons read the same


def test_a_known_code_is_told_in_the_readers_language():
    assert card_error_text("en", "card_declined", "Your card was declined.") == \
        "The card was declined. Use another card, or ask your card issuer why."
    assert card_error_text("fi", "card_declined", "Your card was declined.") == \
        "Kortti hylättiin. Käytä toista korttia tai kysy syytä kortin myöntäjältä."
    assert card_error_text("fi", "insufficient_funds") == "Kortilla ei ole riittävästi katetta. Käytä toista korttia."
    assert card_error_text("en", "payment_intent_authentication_failure").startswith("The card's verification")


def test_a_lost_or_stolen_card_reads_as_a_plain_decline():
    plain = card_error_text("en", "card_declined")
    for code in ("lost_card", "stolen_card", "fraudulent", "pickup_card"):
        assert card_error_text("en", code, "Your card was reported stolen.") == plain


def test_an_unknown_code_shows_stripes_message_only_in_its_own_language():
    assert card_error_text("en", "some_new_code", "Stripe's new words.") == "Stripe's new words."
    assert card_error_text("fi", "some_new_code", "Stripe's new words.") == translate("fi", "invoices.card_error.failed")
    assert card_error_text("fi", "", "Korttisi hylättiin.", message_lang="fi") == "Korttisi hylättiin."  # Stripe.js, in fi
    assert card_error_text("en", "", "") == translate("en", "invoices.card_error.failed")
