"""promo_cta_count: calls to action and urgency ('buy now', 'order today', 'click here'), counted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "promo_cta_count"

CASES = [
    ("", 0.0, []),
    ("We buy food now and then.", 0.0, []),
    ("Buy now and save.", 1.0, ["Buy now"]),
    ("Click here. Order today!", 2.0, ["Click here", "Order today"]),
    # The longest phrase wins: one hit, not "get yours" plus more.
    ("Get yours today.", 1.0, ["Get yours today"]),
    # Hyphen or space: the same phrase.
    ("Money-back guarantee, money back guarantee.", 2.0, ["Money-back guarantee", "money back guarantee"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_lexicon_is_live():
    """The lexicon parameter picks the phrase list: the same text read with another lexicon."""
    a = Analysis(page_of("Click here. Order today!"))
    value, _ = replace(REGISTRY[NAME], lexicon="affiliate").compute(a)
    assert value == pytest.approx(0.0)
