"""claim_natural_per_1k: 'natural' and detox appeals ('naturally', 'toxins', 'detox*', 'cleans*') per 1,000 words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "claim_natural_per_1k"

CASES = [
    ("", 0.0, []),
    ("Nature walks.", 0.0, []),
    ("Cleanse daily.", 500.0, ["Cleanse"]),
    ("A natural detox.", 2000 / 3, ["natural", "detox"]),
    # A trailing * in the lexicon matches any word starting with the stem.
    ("Detoxifying tea.", 500.0, ["Detoxifying"]),
    ("Toxins flush out.", 2000 / 3, ["Toxins", "flush out"]),
    # "pure" is a whole word: "pureed" does not match.
    ("Pureed soup.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_lexicon_is_live():
    """The lexicon parameter picks the phrase list: the same text read with another lexicon."""
    a = Analysis(page_of("A natural detox."))
    value, _ = replace(REGISTRY[NAME], lexicon="superlatives").compute(a)
    assert value == pytest.approx(0.0)
