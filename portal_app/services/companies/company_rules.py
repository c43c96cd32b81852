"""What a company's business ID and postal code look like in its country: defined here, once.

The country is typed freely, so a rule applies when the country is one of its names (in English,
Finnish, the country's own language, or its ISO code; any case). Elsewhere both are taken as typed:
their formats are too many to guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


def finnish_business_id(value: str) -> bool:
    """A Y-tunnus: seven digits, a hyphen and a check digit (weights 7, 9, 10, 5, 8, 4, 2; modulo 11)."""
    if not re.fullmatch(r"[0-9]{7}-[0-9]", value):
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:7], (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return remainder != 1 and int(value[8]) == (0 if remainder == 0 else 11 - remainder)


@dataclass(frozen=True)
class CountryRule:
    names: frozenset[str]
    postal_code: str  # a regular expression for the whole code
    postal_example: str
    business_id_error: str = ""  # the message key when `business_id` refuses a value
    business_id: Any = None  # a check of the business ID, or None: as typed


COUNTRY_RULES = (
    CountryRule(frozenset({"finland", "suomi", "fi", "fin"}), r"[0-9]{5}", "00100",
                "error.business_id_fi", finnish_business_id),
    CountryRule(frozenset({"germany", "deutschland", "saksa", "de", "deu"}), r"[0-9]{5}", "10115"),
    CountryRule(frozenset({"italy", "italia", "italien", "it", "ita"}), r"[0-9]{5}", "00184"),
    CountryRule(frozenset({"sweden", "sverige", "ruotsi", "se", "swe"}), r"[0-9]{3} ?[0-9]{2}", "114 55"),
)


def rule_for(country: str) -> CountryRule | None:
    name = " ".join(country.split()).casefold()
    return next((rule for rule in COUNTRY_RULES if name in rule.names), None)


def company_problems(values: dict[str, str], *, country: str) -> dict[str, Any]:
    """The message per field of `values` ("business_id", "postal_code") that does not fit `country`."""
    rule = rule_for(country)
    if rule is None:
        return {}
    problems: dict[str, Any] = {}
    business_id = values.get("business_id") or ""
    if business_id and rule.business_id is not None and not rule.business_id(business_id):
        problems["business_id"] = rule.business_id_error
    postal_code = values.get("postal_code") or ""
    if postal_code and not re.fullmatch(rule.postal_code, postal_code):
        problems["postal_code"] = ("error.postal_code", {"example": rule.postal_example})
    return problems


def postal_lines(company: Any) -> list[str]:
    """A company as a document names its customer: its name, then its address lines (those set).
    Invoices, quotes and orders keep these as they were when made: later edits do not change them."""
    if company is None:
        return []
    address = [company.street_address, f"{company.postal_code} {company.city}".strip(), company.country]
    return [company.name, *[line for line in address if line]]
