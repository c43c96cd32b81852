"""Money arithmetic on integers, shared by invoices, quotes and sales orders: cents, thousandths of
a unit, hundredths of a percent (VAT rates and discounts).

Amounts typed by staff ("1240", "1 240,50", "1.240,50", "1240.5") are read exactly with Decimal,
never float; every rounding is half up (away from zero), to the cent, and done once: a line's net
(quantity x unit price, less the line's discount, rounded as a whole), and the VAT of each rate
summed over the document's lines (the VAT summary, as on a Finnish invoice). Nothing else rounds money.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import ValidationFailed

CURRENCIES: tuple[str, ...] = ("EUR", "SEK", "NOK", "DKK", "USD", "GBP", "CHF")
_NUMBER = re.compile(r"-?[0-9]{1,15}([.,][0-9]{1,6})?")
# grouped in thousands with one mark and decimals after the other ("1.240,50", "1,240.50"): unambiguous,
# as the German, Italian and English write money; grouping alone ("1.240") is not (`_typed_as_thousands`)
_GROUPED_WITH_DECIMALS = re.compile(r"(?P<whole>-?[1-9][0-9]{0,2}(?P<mark>[.,])[0-9]{3}(?:(?P=mark)[0-9]{3}){0,4})"
                                    r"(?!(?P=mark))[.,](?P<fraction>[0-9]{1,6})")


def _decimal(value: Any, *, field: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValidationFailed({field: "error.number"})
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationFailed({field: "error.number"})
        return value
    if not isinstance(value, str):
        raise ValidationFailed({field: "error.number"})
    text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    if grouped := _GROUPED_WITH_DECIMALS.fullmatch(text):
        text = f"{grouped['whole'].replace(grouped['mark'], '')}.{grouped['fraction']}"
    if not _NUMBER.fullmatch(text):
        raise ValidationFailed({field: "error.number"})
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationFailed({field: "error.number"}) from None


def _typed_as_thousands(text: str, places: int) -> bool:
    """Whether typed digits read as a thousands separator, not decimals: three digits after the
    mark where at most two decimals are allowed ("1,000" or "1.500" as money: 1000 and 1500 to
    those who wrote them, 1.00 and 1.50 to Decimal); where three are (quantities), three ending in
    a zero after a whole number ("1.500", "2,000" pieces): nobody writes 1.5 with two zeros, while
    "0.250" and "1.125" are decimals."""
    whole, mark, fraction = text.replace(",", ".").partition(".")
    if not mark or len(fraction) != 3 or whole.strip().lstrip("+-") in ("", "0"):
        return False  # "0.500" groups nothing: it is decimals (money takes 0.50, refuses 0.505)
    return places < 3 or fraction.endswith("0")


def _scaled(value: Any, *, field: str, scale: int, places: int, too_large: ValidationFailed | None = None) -> int:
    number = _decimal(value, field=field)
    if isinstance(value, str) and _typed_as_thousands(value.strip(), places):
        raise ValidationFailed({field: "error.number_thousands"})  # never saved 1000 times too low
    if abs(number) >= 10**18:  # no amount is this large (and quantize would overflow Decimal's precision)
        raise too_large or ValidationFailed({field: "error.invoice_amount_range"})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed({field: "error.invoice_too_many_decimals"})
    return int(number * scale)


def parse_cents(value: Any, *, field: str, allow_negative: bool = False, maximum: int = 10**11,
                above_zero: bool = False) -> int:
    """An amount in the currency ("1240", "1 240,50", 12) as whole cents; at most 2 decimals; from 0
    (above it with `above_zero`, from -`maximum` with `allow_negative`) to `maximum` cents. A refusal
    says the range, the largest as the reader writes it."""
    lowest = "signed" if allow_negative else "positive" if above_zero else "zero"
    cents = _scaled(value, field=field, scale=100, places=2, too_large=amount_out_of_range(field, maximum, lowest))
    if (cents < 0 and not allow_negative) or (cents <= 0 and above_zero) or abs(cents) > maximum:
        raise amount_out_of_range(field, maximum, lowest)
    return cents


def amount_out_of_range(field: str, maximum: int, lowest: str = "zero") -> ValidationFailed:
    """"Enter an amount from 0 to 1,000,000,000" (`lowest`: "zero", "positive" or "signed")."""
    key = {"zero": "error.amount_range", "positive": "error.amount_range_positive",
           "signed": "error.amount_range_signed"}[lowest]
    return ValidationFailed({field: (key, {"max": Decimal(maximum) / 100})})


def parse_quantity(value: Any, *, field: str = "quantity", maximum: int = 10**12) -> int:
    """A quantity ("2", "1.5", "0,25") as thousandths; more than 0, at most 3 decimals."""
    milli = _scaled(value, field=field, scale=1000, places=3, too_large=quantity_out_of_range(field, maximum))
    if milli <= 0 or milli > maximum:
        raise quantity_out_of_range(field, maximum)
    return milli


def quantity_out_of_range(field: str, maximum: int) -> ValidationFailed:
    """The refusal "Enter a quantity above 0, at most 1,000,000", the largest as the reader writes it."""
    return ValidationFailed({field: ("error.quantity_range", {"max": quantity_decimal(maximum)})})


def parse_vat_rate(value: Any, *, field: str = "vat_rate") -> int:
    """A VAT percentage ("24", "25.5", "0") as hundredths of a percent; 0 to 100, 2 decimals."""
    bp = _scaled(value, field=field, scale=100, places=2)
    if not 0 <= bp <= 10000:
        raise ValidationFailed({field: ("error.vat_rate_range", {"min": 0, "max": 100})})
    return bp


def parse_discount(value: Any, *, field: str = "discount") -> int:
    """A line discount in percent ("10", "12,5"; "" or None: none) as hundredths of a percent."""
    if value in (None, ""):
        return 0
    return parse_percent(value, field=field)


def parse_percent(value: Any, *, field: str) -> int:
    """A percentage 0 to 100 with at most 2 decimals, as hundredths of a percent (basis points)."""
    bp = _scaled(value, field=field, scale=100, places=2)
    if not 0 <= bp <= 10000:
        raise ValidationFailed({field: ("error.percent_range", {"min": 0, "max": 100})})
    return bp


def _divide(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (away from zero), exactly: integers only."""
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -magnitude if numerator < 0 else magnitude


def line_net(quantity_milli: int, unit_price_cents: int, discount_bp: int = 0) -> int:
    """Quantity x unit price less the discount, in cents: computed exactly, then rounded once, half
    up (away from zero for credit lines). 3 x 0.99 at 10 % is 2.673 -> 2.67."""
    return _divide(quantity_milli * unit_price_cents * (10000 - discount_bp), 1000 * 10000)


def line_discount(quantity_milli: int, unit_price_cents: int, discount_bp: int) -> int:
    """The cents the discount takes off a line: its undiscounted net less its net, so the two
    shown on a line always add up."""
    return line_net(quantity_milli, unit_price_cents) - line_net(quantity_milli, unit_price_cents, discount_bp)


def vat_of(net_cents: int, rate_bp: int) -> int:
    return _divide(net_cents * rate_bp, 10000)


@dataclass(frozen=True)
class VatRow:
    """One row of the VAT summary: a rate and its lines' net, VAT and gross."""

    rate_bp: int
    net_cents: int
    vat_cents: int

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents

    @property
    def rate(self) -> Decimal:
        """The percentage: Decimal("24"), Decimal("25.5")."""
        return rate_decimal(self.rate_bp)


def vat_summary(lines: Iterable[tuple[int, int]]) -> list[VatRow]:
    """(net cents, rate) of each line -> one row per rate, highest rate first; the VAT of a rate is
    rounded once, on its lines' summed net (not line by line)."""
    nets: dict[int, int] = {}
    for net, rate in lines:
        nets[rate] = nets.get(rate, 0) + net
    return [VatRow(rate_bp=r, net_cents=n, vat_cents=vat_of(n, r)) for r, n in sorted(nets.items(), reverse=True)]


def totals(lines: Iterable[tuple[int, int]]) -> tuple[int, int, int]:
    """(net, VAT, total) in cents of the lines (net cents, rate)."""
    rows = vat_summary(lines)
    net = sum(r.net_cents for r in rows)
    vat = sum(r.vat_cents for r in rows)
    return net, vat, net + vat


def as_decimal(cents: int) -> Decimal:
    """Cents as an amount for Babel: Decimal("1240.00")."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


MAX_LINE_CENTS = 10**13  # a document line's net: 200 of them still add up far within the database's integers


def line_too_large(quantity_milli: int, unit_price_cents: int) -> tuple[str, dict[str, Any]] | None:
    """The refusal of a line each of whose numbers is within its limit but whose net is not (a billion
    at a billion each: nor a number the database holds); None for a line within it."""
    if abs(line_net(quantity_milli, unit_price_cents)) <= MAX_LINE_CENTS:
        return None
    return ("error.invoice_line_too_large", {"max": as_decimal(MAX_LINE_CENTS)})


def quantity_decimal(milli: int) -> Decimal:
    """Thousandths as a quantity without trailing zeros: Decimal("2"), Decimal("1.5")."""
    value = Decimal(milli) / 1000
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def rate_decimal(rate_bp: int) -> Decimal:
    """Hundredths of a percent as the percentage: Decimal("24"), Decimal("25.5")."""
    value = Decimal(rate_bp) / 100
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
