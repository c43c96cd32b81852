"""What a customer is told when a card payment fails, in the customer's language.

Stripe's messages are English (the API's always; Stripe.js's in the locale the page gives it), so a
failure is told by its code: Stripe's `decline_code` when there is one (more precise), else its
error `code`, each mapped here to one of a few texts of the catalogue. Reasons a card issuer asks
merchants not to tell (a lost or stolen card, suspected fraud) read as a plain decline, as Stripe
advises. A code not listed falls back to Stripe's own message when that is in the viewer's language,
else to "the payment did not go through".
"""

from __future__ import annotations

from ...i18n import translate

# catalogue text (invoices.card_error.<reason>) -> Stripe's codes that mean it
_REASONS: dict[str, tuple[str, ...]] = {
    "declined": ("card_declined", "generic_decline", "do_not_honor", "lost_card", "stolen_card", "fraudulent",
                 "pickup_card", "restricted_card", "security_violation", "transaction_not_allowed",
                 "card_not_supported", "currency_not_supported", "call_issuer", "card_velocity_exceeded",
                 "withdrawal_count_limit_exceeded", "not_permitted", "merchant_blacklist",
                 "revocation_of_authorization", "revocation_of_all_authorizations", "stop_payment_order",
                 "no_action_taken", "new_account_information_available", "service_not_allowed",
                 "invalid_account", "do_not_try_again", "invalid_amount", "approve_with_id"),
    "insufficient_funds": ("insufficient_funds",),
    "expired": ("expired_card",),
    "cvc": ("incorrect_cvc", "invalid_cvc", "incomplete_cvc"),
    "number": ("incorrect_number", "invalid_number", "incomplete_number"),
    "expiry": ("invalid_expiry_month", "invalid_expiry_year", "invalid_expiry_month_past",
               "invalid_expiry_year_past", "incomplete_expiry"),
    "zip": ("incorrect_zip", "incomplete_zip"),
    "processing": ("processing_error", "issuer_not_available", "try_again_later", "reenter_transaction"),
    "authentication": ("payment_intent_authentication_failure", "authentication_required",
                       "authentication_not_handled", "setup_intent_authentication_failure"),
}
REASON_OF_CODE: dict[str, str] = {code: reason for reason, codes in _REASONS.items() for code in codes}
CODE_LIMIT = 60  # the longest code kept (PaymentAttempt.last_error_code)


def failure_code(error: object) -> str:
    """The code that tells a failure (`decline_code`, else `code`) of Stripe's error object (a
    PaymentIntent's `last_payment_error`, or Stripe.js's `result.error`); "" when it has none."""
    if not isinstance(error, dict):
        return ""
    for field in ("decline_code", "code"):
        value = error.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()[:CODE_LIMIT]
    return ""


def card_error_text(lang: str, code: str, message: str = "", *, message_lang: str = "en") -> str:
    """The failure told in `lang`: the catalogue's text for a known `code`; Stripe's `message` for
    another when it is in `lang` (`message_lang`); else that the payment did not go through."""
    reason = REASON_OF_CODE.get(code or "")
    if reason is not None:
        return translate(lang, f"invoices.card_error.{reason}")
    if message and message_lang == lang:
        return message
    return translate(lang, "invoices.card_error.failed")
