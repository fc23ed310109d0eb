"""rep_paraphrase_sent_frac: the share of sentences with a near-duplicate elsewhere on the page (content-word sets of
5+ words, 4+ shared, Jaccard >= 0.35); evidence is those sentences. NaN below two sentences."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_paraphrase_sent_frac"

P1 = "Green tea soothes tired muscles quickly."  # green tea soothe tired muscle quickly
P2 = "Tired muscles recover quickly with green tea."  # 5 of 7 words shared with P1
OTHER = "The library opens early on weekdays."
A = "Green tea soothes tired muscles after long winter hikes."  # 8 content words
B8 = "Green tea soothes tired children before noisy birthday parties."  # 8, shares 4 with A: 4/12
B7 = "Green tea soothes tired children before noisy parties."  # 7, shares 4 with A: 4/11
M5 = "Green tea soothes tired muscles."

CASES = [
    ("", float("nan"), []),
    (M5, float("nan"), []),
    (OTHER + " The museum closes late on Sundays.", 0.0, []),
    (P1 + " " + OTHER + " " + P2, 2 / 3, [P1, P2]),
    # Jaccard just below (0.33) and just above (0.36) the 0.35 cut
    (A + " " + B8, 0.0, []),
    (A + " " + B7, 1.0, [A, B7]),
    # min_shared: 3 shared words (Jaccard 3/7) is not enough, 4 (4/6) is
    (M5 + " Green tea soothes sore backs.", 0.0, []),
    (M5 + " Green tea soothes tired backs.", 1.0, [M5, "Green tea soothes tired backs."]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_params_are_live():
    f = REGISTRY[NAME]
    # min_words: a 4-word sentence inside a 5-word one (Jaccard 0.8) is too short to count by default
    short = Analysis(page_of(M5 + " Green tea soothes muscles."))
    assert f.compute(short)[0] == 0.0
    assert replace(f, min_words=4).compute(short)[0] == 1.0
    # min_jaccard: A and B7 are exactly at 4/11
    pair = Analysis(page_of(A + " " + B7))
    assert replace(f, min_jaccard=4 / 11).compute(pair)[0] == 1.0
    assert replace(f, min_jaccard=0.37).compute(pair)[0] == 0.0
    assert replace(f, min_shared=5).compute(pair)[0] == 0.0
    # max_sentences: only the first sentence is read, and one sentence has nothing to compare with
    assert math.isnan(replace(f, max_sentences=1).compute(pair)[0])
