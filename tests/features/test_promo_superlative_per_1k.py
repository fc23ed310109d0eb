"""promo_superlative_per_1k: superlatives and hype ('best', 'miracle', 'breakthrough') per 1,000 words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "promo_superlative_per_1k"

CASES = [
    ("", 0.0, []),
    ("Better tea.", 0.0, []),
    ("The best tea.", 1000 / 3, ["best"]),
    ("A miracle breakthrough!", 2000 / 3, ["miracle", "breakthrough"]),
    ("The No. 1 choice.", 250.0, ["No. 1"]),
    ("Our number one pick.", 250.0, ["number one"]),
    ("All-natural tea, all natural.", 400.0, ["All-natural", "all natural"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_lexicon_is_live():
    """The lexicon parameter picks the phrase list: the same text read with another lexicon."""
    a = Analysis(page_of("A miracle breakthrough!"))
    value, _ = replace(REGISTRY[NAME], lexicon="boosters").compute(a)
    assert value == pytest.approx(0.0)
