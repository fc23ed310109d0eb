"""kw_top_density_pct: Yoast keyphrase density of the most frequent content word (3+ letters, not a stopword, not a
number), as occurrences / words × 100; NaN below 100 words."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "kw_top_density_pct"

# Ten words, all stopwords: padding that adds words but no content word.
PAD = "It was so, and we were there with them all. "

CASES = [
    ("", float("nan"), []),
    ("Tea is good.", float("nan"), []),
    # 90 + 9 = 99 words: one short of min_words
    (PAD * 9 + "We drink tea, tea and more tea with them.", float("nan"), []),
    # 90 + 10 = 100 words, "tea" 3 times: 3 %
    (PAD * 9 + "We drink tea, tea and more tea with them all.", 3.0, []),
    # 100 words of stopwords: no content word at all
    (PAD * 10, 0.0, []),
    # case folds, but "teas" is its own word: "tea" 3 (not 5) of 100
    (PAD * 9 + "So tea, TEA, Tea and teas, teas with them all.", 3.0, []),
    # "ox" (2 letters) and "2024" (a number) are no content words: "cat" once wins, 1 %
    (PAD * 9 + "Ox, ox, ox, 2024, 2024 and one cat with us.", 1.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_min_words_is_live():
    a = Analysis(page_of("Tea is good, tea."))
    assert replace(REGISTRY[NAME], min_words=4).compute(a) == pytest.approx(50.0)
    assert math.isnan(replace(REGISTRY[NAME], min_words=5).compute(a))
