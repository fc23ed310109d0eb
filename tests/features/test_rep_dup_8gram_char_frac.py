"""rep_dup_8gram_char_frac: characters of the word 8-grams that repeat an earlier one (words joined without
spaces, scanned left to right, skipping 8 words after each repeat) over all characters (Gopher, cut 0.12)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_8gram_char_frac"

SHORT = "Drink hot green tea every single day."  # 7 words: 30 word characters, 37 in all
EXACT = "Drink a hot green tea every single day."  # 8 words: 31 word characters, 39 in all
LONG = "Drink a cup of hot green tea every day."  # 9 words, 39 characters; its first 8 words have 27 word characters

CASES = [
    ("", 0.0, []),
    ("Tea is warm. Milk is cold.", 0.0, []),
    # one repeat of a 8-word sentence: its 31 word characters count, not its spaces
    (EXACT + " " + EXACT, 31 / 79, []),
    # two repeats: each later copy counts
    (EXACT + " " + EXACT + " " + EXACT, 62 / 119, []),
    # near miss: a repeated run of 7 words holds no repeated 8-gram
    (SHORT + " " + SHORT, 0.0, []),
    # a repeated run of 9 words: after the first repeated 8-gram the scan skips 8 words, so only 8 count
    (LONG + " " + LONG, 27 / 79, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_n_is_live():
    a = Analysis(page_of(SHORT + " " + SHORT))
    assert replace(REGISTRY[NAME], n=7).compute(a) == pytest.approx(30 / 75)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of(EXACT + " " + EXACT))
    assert replace(REGISTRY[NAME], gopher_cut=0.9).compute(a) == pytest.approx(31 / 79)
