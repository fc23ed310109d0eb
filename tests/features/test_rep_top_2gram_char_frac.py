"""rep_top_2gram_char_frac: characters of the most frequent word 2-gram (words joined by one space) times its count,
over all characters of the page, capped at 1 (Gopher top n-gram rule); 0 when no 2-gram occurs twice."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_top_2gram_char_frac"

CASES = [
    ("", 0.0, []),
    ("Tea is warm.", 0.0, []),
    # "green tea" (9 characters) twice in 23 characters
    ("green tea and green tea", 18 / 23, []),
    # words are lower-cased and punctuation dropped, but every character counts in the denominator
    ("Green tea! GREEN TEA!", 18 / 21, []),
    # the most frequent 2-gram wins: "green tea" twice, the others once
    ("green tea, green tea, black tea", 18 / 31, []),
    # a tie goes to the 2-gram seen first: "tea cup" (7), not "long spoon" (10)
    ("tea cup, long spoon, tea cup, long spoon", 14 / 40, []),
    # overlapping occurrences all count ("tea tea" 3 times, 21 of 15 characters): capped at 1
    ("tea tea tea tea", 1.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_n_is_live():
    a = Analysis(page_of("green tea and green tea"))
    assert replace(REGISTRY[NAME], n=3).compute(a) == 0.0
    assert replace(REGISTRY[NAME], n=1).compute(a) == pytest.approx(5 * 2 / 23)  # "green" first of the ties


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of("green tea and green tea"))
    assert replace(REGISTRY[NAME], gopher_cut=0.9).compute(a) == pytest.approx(18 / 23)
