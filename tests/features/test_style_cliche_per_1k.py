"""style_cliche_per_1k: LLM-favoured words and phrases ('delve', 'plays a vital role') from lexicons/cliches.txt,
per 1,000 words, with the span of each phrase (the longest phrase wins where two start together)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "style_cliche_per_1k"

CASES = [
    ("", 0.0, []),
    ("The library opens at nine.", 0.0, []),
    # one hit in 4 words
    ("We delve into tea.", 250.0, ["delve"]),
    # case is folded
    ("We DELVE into tea.", 250.0, ["DELVE"]),
    # one phrase, not also its tail "vital role": 1 hit in 7 words
    ("Sleep plays a vital role in health.", 1000 / 7, ["plays a vital role"]),
    # two hits in 5 words
    ("A holistic and seamless plan.", 400.0, ["holistic", "seamless"]),
    # near miss: "vital" and "role" apart are no cliche
    ("A vital sign has a role.", 0.0, []),
    ("It's important to note that tea is warm.", 1000 / 8, ["It's important to note"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_lexicon_is_live():
    """The lexicon parameter picks the phrase list: the same text read with another lexicon finds nothing."""
    a = Analysis(page_of("We delve into tea."))
    value, spans = replace(REGISTRY[NAME], lexicon="hedges").compute(a)
    assert (value, spans) == (0.0, [])
