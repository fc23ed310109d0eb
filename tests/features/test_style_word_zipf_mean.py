"""style_word_zipf_mean: the mean wordfreq Zipf frequency (small English list) over the words, each occurrence
counted; words outside the list count 0. A page without words gives 0.0 (the code's explicit choice)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from wordfreq import zipf_frequency

from seospam.features import REGISTRY
from seospam.features.analysis import Analysis

from .conftest import page_of, run_case

NAME = "style_word_zipf_mean"


def z(word: str) -> float:
    """The reference value: wordfreq's small English list, as the definition names it."""
    return zipf_frequency(word, "en", wordlist="small")


CASES = [
    ("", 0.0, []),
    ("the the the", z("the"), []),
    # words outside the list count 0
    ("Zqxv blorptang.", 0.0, []),
    ("The zqxv.", z("the") / 2, []),
    # each occurrence counts: tea twice, milk once
    ("Tea, tea and milk.", (2 * z("tea") + z("and") + z("milk")) / 4, []),
    # case is folded
    ("THE TEA", (z("the") + z("tea")) / 2, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)


def test_reference_values():
    """The list itself: 'the' is among the most common words, made-up words are not in it."""
    assert z("the") > 7 > z("tea") > 4
    assert z("zqxv") == 0.0


def test_max_words_is_live():
    """Only the first word is read: 'the' alone, or the unknown 'zqxv' alone."""
    one = replace(REGISTRY[NAME], max_words=1)
    assert one.compute(Analysis(page_of("the zqxv"))) == pytest.approx(z("the"))
    assert one.compute(Analysis(page_of("zqxv the"))) == pytest.approx(0.0)
