"""promo_coupon_count: coupon and bundle phrases (lexicons/coupon.txt) plus 'code: WORD' promo codes, counted."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "promo_coupon_count"

CASES = [
    ("", 0.0, []),
    ("The library opens at nine.", 0.0, []),
    ("Buy 3 get 2 free.", 1.0, ["Buy 3 get"]),
    ("Bundle and save today.", 1.0, ["Bundle and save"]),
    ("Enjoy a BOGO deal and a voucher.", 2.0, ["BOGO", "voucher"]),
    ("Code: SAVE20 at checkout.", 1.0, ["Code: SAVE20"]),
    # Version 2: a code found by the pattern and the lexicon ("use code") is one code, spanning both.
    ("Use code SAVE20 today.", 1.0, ["Use code SAVE20"]),
    # Near-miss: a lower-case word after "code" is no promo code.
    ("Enter your zip code below.", 0.0, []),
    # Near-miss: a bundle in other words than the lexicon's.
    ("Buy 2 tins, get one free.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
