"""claim_qualifier_per_1k: qualifiers read as endorsements ('promising', 'preliminary', 'may help') per 1,000 words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "claim_qualifier_per_1k"

CASES = [
    ("", 0.0, []),
    ("They promised results.", 0.0, []),
    ("The results are promising.", 250.0, ["promising"]),
    ("Early research is promising.", 500.0, ["Early research", "promising"]),
    # The phrase "may help" is one hit of five words.
    ("It may help a little.", 200.0, ["may help"]),
    ("Potentially useful, a potential aid.", 400.0, ["Potentially", "potential"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_lexicon_is_live():
    """The lexicon parameter picks the phrase list: the same text read with another lexicon."""
    a = Analysis(page_of("The results are promising."))
    value, _ = replace(REGISTRY[NAME], lexicon="hedges").compute(a)
    assert value == pytest.approx(0.0)
