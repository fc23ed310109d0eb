"""rep_dup_9gram_char_frac: characters of the word 9-grams that repeat an earlier one (words joined without
spaces, scanned left to right, skipping 9 words after each repeat) over all characters (Gopher, cut 0.11)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "rep_dup_9gram_char_frac"

SHORT = "Drink a hot green tea every single day."  # 8 words: 31 word characters, 39 in all
EXACT = "Drink a cup of hot green tea every day."  # 9 words: 30 word characters, 39 in all
LONG = "Drink a cup of hot green tea every single day."  # 10 words, 46 characters; its first 9 words have 33 word characters

CASES = [
    ("", 0.0, []),
    ("Tea is warm. Milk is cold.", 0.0, []),
    # one repeat of a 9-word sentence: its 30 word characters count, not its spaces
    (EXACT + " " + EXACT, 30 / 79, []),
    # two repeats: each later copy counts
    (EXACT + " " + EXACT + " " + EXACT, 60 / 119, []),
    # near miss: a repeated run of 8 words holds no repeated 9-gram
    (SHORT + " " + SHORT, 0.0, []),
    # a repeated run of 10 words: after the first repeated 9-gram the scan skips 9 words, so only 9 count
    (LONG + " " + LONG, 33 / 93, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_n_is_live():
    a = Analysis(page_of(SHORT + " " + SHORT))
    assert replace(REGISTRY[NAME], n=8).compute(a) == pytest.approx(31 / 79)


def test_gopher_cut_is_reference_only():
    a = Analysis(page_of(EXACT + " " + EXACT))
    assert replace(REGISTRY[NAME], gopher_cut=0.9).compute(a) == pytest.approx(30 / 79)
