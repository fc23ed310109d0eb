"""style_title_case_heading_frac: the share of headings of at least min_words=3 words that are in Title Case
(every word that starts with a letter is capitalised, or is a small word such as 'of', 'to', 'and'), with the
Title Case headings as spans; NaN for a page without such headings."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "style_title_case_heading_frac"

CASES = [
    ("", float("nan"), []),
    # no heading at all
    ("Tea is warm.", float("nan"), []),
    # a 2-word heading is below the min_words cut
    ("Side Effects\nTea is warm.", float("nan"), []),
    # 3 words, at the cut; "of" is a small word
    ("Benefits of Green Tea\nTea is warm.", 1.0, ["Benefits of Green Tea"]),
    # near miss: sentence case
    ("How to brew green tea\nUse hot water.", 0.0, []),
    ("Why Green Tea Works\nTea is warm.\nHow to brew it well\nUse hot water.", 0.5, ["Why Green Tea Works"]),
    # a number is skipped by the case test but counts as a word for the cut; a question is a heading too
    ("10 Tea Tips\nTea is warm.\nIs Green Tea Safe?\nYes.", 1.0, ["10 Tea Tips", "Is Green Tea Safe?"]),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_min_words_is_live():
    """With min_words=2 the 2-word sentence-case heading counts; with 5 the 3-word one no longer does."""
    value, _ = replace(REGISTRY[NAME], min_words=2).compute(Analysis(page_of("Side effects\nTea is warm.")))
    assert value == pytest.approx(0.0)
    value, spans = replace(REGISTRY[NAME], min_words=5).compute(Analysis(page_of("Green Tea Facts\nTea is warm.")))
    assert math.isnan(value) and spans == []
