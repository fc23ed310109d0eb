"""basic_words_log10: page size as log10(1 + number of word tokens)."""

from __future__ import annotations

import math

import pytest

from .conftest import run_case

NAME = "basic_words_log10"

CASES = [
    ("", 0.0, []),
    ("Hello.", math.log10(2), []),
    # Nine words: log10(10) = 1.
    ("The tea shop on the corner opens at nine.", 1.0, []),
    # An apostrophe keeps one word; a hyphen splits two; punctuation is no word.
    ("Don't stop.", math.log10(3), []),
    ("A non-addictive tea!", math.log10(5), []),
    ("Pain Relief\n- one\n- two", math.log10(5), []),
    (" ".join(["word"] * 99) + ".", 2.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
