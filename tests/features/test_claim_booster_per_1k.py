"""claim_booster_per_1k: boosters presenting a benefit as certain ('clinically proven', 'guaranteed') per 1,000 words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "claim_booster_per_1k"

CASES = [
    ("", 0.0, []),
    ("It is good for you.", 0.0, []),
    ("It is clinically proven.", 250.0, ["clinically proven"]),
    ("Proven and guaranteed.", 2000 / 3, ["Proven", "guaranteed"]),
    ("Gone for good.", 1000 / 3, ["for good"]),
    # "fixes" is on the list, bare "fix" is not (only "fix the root cause").
    ("It fixes things, fix it.", 200.0, ["fixes"]),
    # Version 2: a negation cue up to 5 words before, in the same sentence, drops the booster (NegEx).
    ("It has not been clinically proven.", 0.0, []),
    ("It isn't proven. It is proven.", 1000 / 6, ["proven"]),
    # Near-miss: the negation is in the previous sentence, so the booster stays.
    ("It is not. Proven results.", 200.0, ["Proven"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_negation_window_is_live():
    """With a window of one word, "not been clinically proven" is no longer negated."""
    a = Analysis(page_of("It has not been clinically proven."))
    value, _ = replace(REGISTRY[NAME], negation_window=1).compute(a)
    assert value == pytest.approx(1000 / 6)


def test_lexicon_is_live():
    """The lexicon parameter picks the phrase list: the same text read with another lexicon."""
    a = Analysis(page_of("Proven and guaranteed."))
    value, _ = replace(REGISTRY[NAME], lexicon="superlatives").compute(a)
    assert value == pytest.approx(1000 / 3)
