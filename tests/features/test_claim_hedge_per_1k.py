"""claim_hedge_per_1k: epistemic hedges ('may', 'some people', 'more research is needed') per 1,000 words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "claim_hedge_per_1k"

CASES = [
    ("", 0.0, []),
    ("It will work.", 0.0, []),
    ("It may work.", 1000 / 3, ["may"]),
    ("Some people feel better.", 250.0, ["Some people"]),
    # The longest phrase wins at a position: one hit, not "more research" plus more.
    ("More research is needed.", 250.0, ["More research is needed"]),
    ("In some people it helps.", 200.0, ["In some people"]),
    ("It might work, perhaps.", 1000 * 2 / 4, ["might", "perhaps"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_lexicon_is_live():
    """The lexicon parameter picks the phrase list: the same text read with another lexicon."""
    a = Analysis(page_of("It might work, perhaps."))
    value, _ = replace(REGISTRY[NAME], lexicon="qualifiers").compute(a)
    assert value == pytest.approx(0.0)
