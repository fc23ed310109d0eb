"""promo_price_count: prices ('$39.95', '20 dollars', '100 USD') and percentage discounts ('50% off'), counted."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "promo_price_count"

CASES = [
    ("", 0.0, []),
    # A bare number is no price; a percentage is a discount only with "off"/"discount"/"savings".
    ("It costs 40.", 0.0, []),
    ("About 50% of people agree.", 0.0, []),
    ("Only $39.95 today.", 1.0, ["$39.95"]),
    # Prices and discounts come back in page order.
    ("Only $39.95, now 50% off.", 2.0, ["$39.95", "50% off"]),
    ("It costs 20 dollars or 100 USD.", 2.0, ["20 dollars", "100 USD"]),
    ("Pay £ 5 or €9,99.", 2.0, ["£ 5", "€9,99"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
