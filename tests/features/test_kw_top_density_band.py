"""kw_top_density_band: the Yoast band of the top content word's density: 0 up to 2.5 %, 1 over 2.5 % up to 3.5 %,
2 over 3.5 % (both cuts strict); NaN below 100 words."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "kw_top_density_band"

# Ten words, all stopwords: padding that adds words but no content word.
PAD = "It was so, and we were there with them all. "
THREE_OF_100 = PAD * 9 + "We drink tea, tea and more tea with them all."

CASES = [
    ("", float("nan"), []),
    # 99 words: no density, no band
    (PAD * 9 + "We drink tea, tea and more tea with them.", float("nan"), []),
    (PAD * 10, 0.0, []),
    # 5 of 200 = 2.5 %: at the "over" cut, still good
    (PAD * 19 + "Tea, tea, tea, tea and tea with them all so.", 0.0, []),
    # 3 of 100 = 3 %: over
    (THREE_OF_100, 1.0, []),
    # 7 of 200 = 3.5 %: at the "far over" cut, still only over
    (PAD * 19 + "Tea, tea, tea, tea, tea, tea and tea with us.", 1.0, []),
    # 4 of 100 = 4 %: far over
    (PAD * 9 + "We drink tea, tea and more tea and tea too.", 2.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_params_are_live():
    a = Analysis(page_of(THREE_OF_100))  # 3 %
    assert replace(REGISTRY[NAME], over=3.0).compute(a) == 0.0
    assert replace(REGISTRY[NAME], far_over=2.9).compute(a) == 2.0
    assert math.isnan(replace(REGISTRY[NAME], min_words=101).compute(a))
