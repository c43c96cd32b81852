"""Payment references: the Finnish national reference (viitenumero, check digit by the weights
7-3-1) and the international RF creditor reference (ISO 11649). Pure functions."""

from __future__ import annotations

import re

_WEIGHTS = (7, 3, 1)


def finnish_check_digit(base: str) -> int:
    """The check digit of a Finnish reference's base (3 to 19 digits): weights 7, 3, 1 repeated
    from the right; the digit takes the sum up to the next ten."""
    if not re.fullmatch(r"[0-9]{3,19}", base):
        raise ValueError("a Finnish reference base is 3 to 19 digits")
    total = sum(int(d) * _WEIGHTS[i % 3] for i, d in enumerate(reversed(base)))
    return (10 - total % 10) % 10


def finnish_reference(base: int | str) -> str:
    """The reference of a base (an invoice number): the base and its check digit, digits only."""
    text = str(base)
    if len(text) < 3:
        text = text.rjust(3, "0")
    return text + str(finnish_check_digit(text))


def is_finnish_reference(value: str) -> bool:
    digits = value.replace(" ", "")
    return bool(re.fullmatch(r"[0-9]{4,20}", digits)) and finnish_check_digit(digits[:-1]) == int(digits[-1])


def _as_number(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text))


def rf_reference(reference: str) -> str:
    """ISO 11649 creditor reference of a reference (letters and digits): "RF" + two check digits
    + the reference; the check digits make (reference + "RF" + check) mod 97 equal 1."""
    body = reference.replace(" ", "").upper()
    if not re.fullmatch(r"[0-9A-Z]{1,21}", body):
        raise ValueError("a creditor reference holds 1 to 21 letters or digits")
    check = 98 - _as_number(body + "RF00") % 97
    return f"RF{check:02d}{body}"


def is_rf_reference(value: str) -> bool:
    text = value.replace(" ", "").upper()
    if not re.fullmatch(r"RF[0-9]{2}[0-9A-Z]{1,21}", text):
        return False
    return _as_number(text[4:] + text[:4]) % 97 == 1


def grouped(reference: str, size: int = 5) -> str:
    """For people: the Finnish reference in groups of five from the right, an RF one in fours from the left."""
    text = reference.replace(" ", "")
    if text.upper().startswith("RF"):
        return " ".join(text[i:i + 4] for i in range(0, len(text), 4))
    head = len(text) % size
    parts = ([text[:head]] if head else []) + [text[i:i + size] for i in range(head, len(text), size)]
    return " ".join(parts)
