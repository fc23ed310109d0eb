"""rep_dup_7gram_char_frac: characters of the word 7-grams that repeat an earlier one (words joined without
spaces, scanned left to right, skipping 7 words after each repeat) over all characters (Gopher, cut 0.13)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_7gram_char_frac"

SHORT = "Drink green tea every single day."  # 6 words: 27 word characters, 33 in all
EXACT = "Drink hot green tea every single day."  # 7 words: 30 word characters, 37 in all
LONG = "Drink a hot green tea every single day."  # 8 words, 39 characters; its first 7 words have 28 word characters

CASES = [
    ("", 0.0, []),
    ("Tea is warm. Milk is cold.", 0.0, []),
    # one repeat of a 7-word sentence: its 30 word characters count, not its spaces
    (EXACT + " " + EXACT, 30 / 75, []),
    # two repeats: each later copy counts
    (EXACT + " " + EXACT + " " + EXACT, 60 / 113, []),
    # near miss: a repeated run of 6 words holds no repeated 7-gram
    (SHORT + " " + SHORT, 0.0, []),
    # a repeated run of 8 words: after the first repeated 7-gram the scan skips 7 words, so only 7 count
    (LONG + " " + LONG, 28 / 79, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_n_is_live():
    a = Analysis(page_of(SHORT + " " + SHORT))
    assert replace(REGISTRY[NAME], n=6).compute(a) == pytest.approx(27 / 67)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of(EXACT + " " + EXACT))
    assert replace(REGISTRY[NAME], gopher_cut=0.9).compute(a) == pytest.approx(30 / 75)
