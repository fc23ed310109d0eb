"""basic_stopword_frac: share of word tokens that are English stopwords (lexicons/stopwords.txt)."""

from __future__ import annotations

import pytest

from .conftest import run_case

NAME = "basic_stopword_frac"

CASES = [
    ("", 0.0, []),
    ("Kratom tea tastes bitter.", 0.0, []),
    ("The tea is hot.", 0.5, []),
    ("Of the.", 1.0, []),
    # Case is folded before the lookup.
    ("THE Tea.", 0.5, []),
    # One stopword of three words.
    ("Tea with honey.", 1 / 3, []),
    # "don't" is one token and not on the list (the list has "do", not "don't").
    ("Don't panic.", 0.0, []),
]


@pytest.mark.parametrize("text,value,spans", CASES)
def test_cases(text, value, spans):
    run_case(NAME, text, value, spans)
