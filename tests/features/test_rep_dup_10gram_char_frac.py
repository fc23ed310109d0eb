"""rep_dup_10gram_char_frac: characters of the word 10-grams that repeat an earlier one (words joined without
spaces, scanned left to right, skipping 10 words after each repeat) over all characters (Gopher, cut 0.10)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_10gram_char_frac"

SHORT = "Drink a cup of hot green tea every day."  # 9 words: 30 word characters, 39 in all
EXACT = "Drink a cup of hot green tea every single day."  # 10 words: 36 word characters, 46 in all
LONG = "Drink a big cup of hot green tea every single day."  # 11 words, 50 characters; its first 10 words have 36 word characters

CASES = [
    ("", 0.0, []),
    ("Tea is warm. Milk is cold.", 0.0, []),
    # one repeat of a 10-word sentence: its 36 word characters count, not its spaces
    (EXACT + " " + EXACT, 36 / 93, []),
    # two repeats: each later copy counts
    (EXACT + " " + EXACT + " " + EXACT, 72 / 140, []),
    # near miss: a repeated run of 9 words holds no repeated 10-gram
    (SHORT + " " + SHORT, 0.0, []),
    # a repeated run of 11 words: after the first repeated 10-gram the scan skips 10 words, so only 10 count
    (LONG + " " + LONG, 36 / 101, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_n_is_live():
    a = Analysis(page_of(SHORT + " " + SHORT))
    assert replace(REGISTRY[NAME], n=9).compute(a) == pytest.approx(30 / 79)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of(EXACT + " " + EXACT))
    assert replace(REGISTRY[NAME], gopher_cut=0.9).compute(a) == pytest.approx(36 / 93)
