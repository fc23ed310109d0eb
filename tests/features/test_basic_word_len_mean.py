"""basic_word_len_mean: mean length in characters of the word tokens (0 for a page without words)."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "basic_word_len_mean"

CASES = [
    ("", 0.0, []),
    ("The cat sat.", 3.0, []),
    ("I am here.", 7 / 3, []),
    # Punctuation and spaces are not counted: (2 + 3) / 2.
    ("Hi,   you!", 2.5, []),
    # "don't" is one five-character token.
    ("Don't go.", 3.5, []),
    # Digits are word tokens too.
    ("In 2024.", 3.0, []),
    # A hyphen splits: "well" and "known".
    ("Well-known.", 4.5, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
