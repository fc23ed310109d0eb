"""kw_top_phrase_density_pct: words inside the most repeated 2-4 word phrase (content words at both ends, seen 3+
times; the largest occurrences × length wins) in % of words, with the occurrences as evidence; NaN below 50 words."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "kw_top_phrase_density_pct"

# Ten words, all stopwords: padding that adds words but no content word.
PAD = "It was so, and we were there with them all. "
THRICE = "Green tea, green tea and green tea for them all."

CASES = [
    ("", float("nan"), []),
    ("Green tea, green tea, green tea.", float("nan"), []),
    # 50 words, "green tea" once: nothing repeats
    (PAD * 4 + "The green tea shop opens at noon on most days.", 0.0, []),
    # 49 words: one short of min_words
    (PAD * 4 + "Green tea, green tea and green tea for them.", float("nan"), []),
    # 50 words, "green tea" 3 times: 6 words of 50 = 12 %
    (PAD * 4 + THRICE, 12.0, ["Green tea", "green tea", "green tea"]),
    # twice is not repeated (3+ needed)
    (PAD * 4 + "Green tea, green tea and black tea for them all.", 0.0, []),
    # the 3-word phrase (3 × 3 = 9 words) beats its 2-word parts (3 × 2): 9 of 50 = 18 %
    (PAD * 4 + "Green tea extract, green tea extract and green tea extract.", 18.0,
     ["Green tea extract", "green tea extract", "green tea extract"]),
    # a phrase must start and end with a content word: "tea with" (stopword end) is none
    (PAD * 4 + "Tea with us, tea with us, tea with us so.", 0.0, []),
    # Version 2: overlapping occurrences count once. "tea" × 10: "tea tea" 5 times side by side (10 words) beats
    # "tea tea tea" 3 times (9): 10 of 50 = 20 % (version 1 counted 7 overlapping 4-grams: 56 %)
    (PAD * 4 + " ".join(["tea"] * 10), 20.0, ["tea tea"] * 5),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_min_words_is_live():
    a = Analysis(page_of(THRICE))  # 10 words
    value, spans = replace(REGISTRY[NAME], min_words=10).compute(a)
    assert value == pytest.approx(60.0) and len(spans) == 3
    assert math.isnan(replace(REGISTRY[NAME], min_words=11).compute(a)[0])
