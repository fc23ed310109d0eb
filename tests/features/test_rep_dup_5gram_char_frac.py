"""rep_dup_5gram_char_frac: characters of the word 5-grams that repeat an earlier one (words joined without
spaces, scanned left to right, skipping 5 words after each repeat) over all characters (Gopher, cut 0.15)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_5gram_char_frac"

SHORT = "Drink green tea daily."  # 4 words: 18 word characters, 22 in all
EXACT = "Drink green tea every day."  # 5 words: 21 word characters, 26 in all
LONG = "Drink green tea every single day."  # 6 words, 33 characters; its first 5 words have 24 word characters

CASES = [
    ("", 0.0, []),
    ("Tea is warm. Milk is cold.", 0.0, []),
    # one repeat of a 5-word sentence: its 21 word characters count, not its spaces
    (EXACT + " " + EXACT, 21 / 53, []),
    # words are lower-cased and a line break is just a space between words
    ("Drink green tea every day.\nDRINK GREEN TEA EVERY DAY.", 21 / 53, []),
    # two repeats: each later copy counts
    (EXACT + " " + EXACT + " " + EXACT, 42 / 80, []),
    # near miss: a repeated run of 4 words holds no repeated 5-gram
    (SHORT + " " + SHORT, 0.0, []),
    # a repeated run of 6 words: after the first repeated 5-gram the scan skips 5 words, so only 5 count
    (LONG + " " + LONG, 24 / 67, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_n_is_live():
    a = Analysis(page_of(SHORT + " " + SHORT))
    assert replace(REGISTRY[NAME], n=4).compute(a) == pytest.approx(18 / 45)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of(EXACT + " " + EXACT))
    assert replace(REGISTRY[NAME], gopher_cut=0.9).compute(a) == pytest.approx(21 / 53)
