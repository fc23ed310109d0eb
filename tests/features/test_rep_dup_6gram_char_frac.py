"""rep_dup_6gram_char_frac: characters of the word 6-grams that repeat an earlier one (words joined without
spaces, scanned left to right, skipping 6 words after each repeat) over all characters (Gopher, cut 0.14)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_6gram_char_frac"

SHORT = "Drink green tea every day."  # 5 words: 21 word characters, 26 in all
EXACT = "Drink green tea every single day."  # 6 words: 27 word characters, 33 in all
LONG = "Drink hot green tea every single day."  # 7 words, 37 characters; its first 6 words have 27 word characters

CASES = [
    ("", 0.0, []),
    ("Tea is warm. Milk is cold.", 0.0, []),
    # one repeat of a 6-word sentence: its 27 word characters count, not its spaces
    (EXACT + " " + EXACT, 27 / 67, []),
    # two repeats: each later copy counts
    (EXACT + " " + EXACT + " " + EXACT, 54 / 101, []),
    # near miss: a repeated run of 5 words holds no repeated 6-gram
    (SHORT + " " + SHORT, 0.0, []),
    # a repeated run of 7 words: after the first repeated 6-gram the scan skips 6 words, so only 6 count
    (LONG + " " + LONG, 27 / 75, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_n_is_live():
    a = Analysis(page_of(SHORT + " " + SHORT))
    assert replace(REGISTRY[NAME], n=5).compute(a) == pytest.approx(21 / 53)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of(EXACT + " " + EXACT))
    assert replace(REGISTRY[NAME], gopher_cut=0.9).compute(a) == pytest.approx(27 / 67)
