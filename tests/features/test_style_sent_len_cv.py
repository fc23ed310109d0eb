"""style_sent_len_cv: sentence-length burstiness, the population std / mean of words per sentence (sentences
without words are left out); NaN below min_sentences=3 sentences."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "style_sent_len_cv"

CASES = [
    ("", float("nan"), []),
    # 2 sentences: just below the min_sentences cut
    ("Tea is warm. Milk is cold.", float("nan"), []),
    # a third "sentence" with no word does not count toward the cut
    ("Tea is warm. Milk is cold. ...", float("nan"), []),
    # 3 sentences (at the cut), all of 3 words: no spread
    ("Tea is warm. Milk is cold. Rain is wet.", 0.0, []),
    # lengths 1, 3, 5: mean 3, pstdev sqrt(8/3)
    ("Go. Tea is warm. Milk is very cold now.", math.sqrt(8 / 3) / 3, []),
    # a heading without a full stop joins the next sentence: lengths 5, 3, 3 -> mean 11/3, pstdev sqrt(8)/3
    ("Tea facts\nTea is warm. Milk is cold. Rain is wet.", 2 * math.sqrt(2) / 11, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_min_sentences_is_live():
    """Lengths 3, 1: NaN by default, mean 2 and pstdev 1 once two sentences are enough."""
    a = Analysis(page_of("Tea is warm. Go."))
    assert math.isnan(REGISTRY[NAME].compute(a))
    assert replace(REGISTRY[NAME], min_sentences=2).compute(a) == pytest.approx(0.5)


def test_max_sentences_is_live():
    """Only the first 2 sentences (lengths 1, 3) are read; that is then below the default cut of 3."""
    a = Analysis(page_of("Go. Tea is warm. Milk is very cold now."))
    assert replace(REGISTRY[NAME], max_sentences=2, min_sentences=2).compute(a) == pytest.approx(0.5)
    assert math.isnan(replace(REGISTRY[NAME], max_sentences=2).compute(a))
