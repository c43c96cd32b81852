"""Money, shared by invoices, quotes and orders (`services/money.py`): discounts in basis points,
rounded once, half up, to the cent; VAT per rate on the summed net; amounts read exactly."""

from __future__ import annotations

import pytest

from portal_app.services.errors import ValidationFailed
from portal_app.services.money import (
    as_decimal, line_discount, line_net, parse_cents, parse_discount, parse_percent, totals, vat_of, vat_summary,
)


@pytest.mark.parametrize(("quantity", "price", "discount", "net"), [
    (1000, 10000, 0, 10000),  # 1 x 100.00
    (3000, 99, 1000, 267),  # 3 x 0.99 = 2.97, -10 % = 2.673 -> 2.67
    (1000, 5, 1000, 5),  # 0.05 - 10 % = 0.045 -> 0.05 (half up)
    (1000, 15, 5000, 8),  # 0.15 / 2 = 0.075 -> 0.08
    (1500, 333, 0, 500),  # 1.5 x 3.33 = 4.995 -> 5.00
    (1500, 333, 250, 487),  # 4.995 - 2.5 % = 4.870125 -> 4.87: rounded once, not twice (4.995 -> 5.00 -> 4.875 -> 4.88)
    (2000, 44900, 10000, 0),  # 100 % off
    (1000, -4999, 1000, -4499),  # a credit line: -44.991 -> -44.99 (away from zero only at .5)
    (1000, -5, 1000, -5),  # -0.045 -> -0.05: half away from zero
    (10**9, 10**11, 1, 99990000000000000),  # the largest quantity and price, exact (no float, no Decimal context)
])
def test_line_net_with_discount_is_rounded_once_half_up(quantity, price, discount, net):
    assert line_net(quantity, price, discount) == net


def test_the_discount_and_the_net_add_up_to_the_undiscounted_net():
    for quantity, price, discount in [(3000, 99, 1000), (1500, 333, 250), (7, 12345, 3333), (2500, 101, 9999)]:
        assert line_discount(quantity, price, discount) + line_net(quantity, price, discount) == line_net(quantity, price)
    assert line_discount(5000, 109000, 500) == 27250


def test_vat_per_rate_is_rounded_on_the_summed_net():
    # three lines of 0.33 + 0.33 + 0.34 at 25.5 %: 1.00 -> 0.255 -> 0.26 VAT (per line it would be 0.09 x 3 = 0.27)
    assert totals([(33, 2550), (33, 2550), (34, 2550)]) == (100, 26, 126)
    rows = vat_summary([(1000, 1400), (2000, 2550), (500, 1400), (100, 0)])
    assert [(r.rate_bp, r.net_cents, r.vat_cents, r.gross_cents) for r in rows] == [
        (2550, 2000, 510, 2510), (1400, 1500, 210, 1710), (0, 100, 0, 100)]
    assert vat_of(1, 5000) == 1 and vat_of(-1, 5000) == -1 and vat_of(2, 2400) == 0


def test_percentages_and_discounts_are_read_exactly():
    assert parse_discount("10") == 1000 and parse_discount("12,5") == 1250 and parse_discount("0.01") == 1
    assert parse_discount("") == 0 and parse_discount(None) == 0 and parse_discount(0) == 0
    assert parse_percent("100", field="p") == 10000
    for bad in ("100.01", "-1", "1.005", "abc", True, 1.5, "1e2"):
        with pytest.raises(ValidationFailed):
            parse_discount(bad)
    assert parse_cents("1 240,50", field="a") == 124050 and str(as_decimal(124050)) == "1240.50"


@pytest.mark.parametrize("value", [10**30, -(10**30), "9" * 15, 10**18])
def test_huge_numbers_are_out_of_range_not_a_crash(value):
    from portal_app.services.money import parse_quantity

    for parse in (lambda v: parse_cents(v, field="a"), parse_quantity, parse_discount):
        with pytest.raises(ValidationFailed):
            parse(value)


@pytest.mark.parametrize(("value", "options", "said"), [
    ("-5", {}, "Enter an amount from 0 to 1,000,000,000."),
    ("99999999999999", {}, "Enter an amount from 0 to 1,000,000,000."),
    (10**18, {}, "Enter an amount from 0 to 1,000,000,000."),  # past what Decimal is asked to scale
    ("0", {"above_zero": True}, "Enter an amount above 0, at most 1,000,000,000."),
    ("-2000000000", {"allow_negative": True}, "Enter an amount from -1,000,000,000 to 1,000,000,000."),
    ("-5", {"maximum": 10**8}, "Enter an amount from 0 to 1,000,000."),
])
def test_an_amount_out_of_range_is_refused_with_the_range(value, options, said):
    from portal_app.i18n import translate

    with pytest.raises(ValidationFailed) as refused:
        parse_cents(value, field="amount", **options)
    key, params = refused.value.fields["amount"]
    assert translate("en", key, **params) == said
    assert parse_cents("0", field="amount") == 0 and parse_cents("-5", field="a", allow_negative=True) == -500
